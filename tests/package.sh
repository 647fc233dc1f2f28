#!/usr/bin/env bash
# The Debian package: `cpack -G DEB` makes vitrine_VERSION_ARCH.deb with the binary, the
# demo scenes and their assets, and the docs, and Depends from dpkg-shlibdeps. Extracted
# into a temporary root (no apt, no root), its binary runs from there alone: no RPATH,
# no path into the source or build tree compiled in (source names in diagnostics aside),
# run from an empty folder with a clean environment; `--version` says the version; `info`
# resolves every demo asset inside the extracted root; one demo frame equals the
# demo_attract golden.
# usage: package.sh CPACK BUILD_DIR SOURCE_DIR VERSION IMAGE_COMPARE GOLDEN_DIR
set -u
cpack=$1 build=$2 src=$3 version=$4 compare=$5 goldens=$6
for tool in dpkg-deb dpkg-shlibdeps dpkg readelf strings; do
  command -v $tool >/dev/null || { echo "skipped: $tool is missing (tools/install-deps.sh installs dpkg-dev)"; exit 77; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

start=$(date +%s)
"$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; echo "cpack failed"; exit 1; }
arch=$(dpkg --print-architecture)
deb=$work/pkg/vitrine_${version}_$arch.deb
[ -f "$deb" ] || { cat "$work/cpack.log"; ls "$work/pkg"; echo "no $(basename "$deb")"; exit 1; }
echo "cpack: $(basename "$deb"), $(($(stat -c %s "$deb") / 1024)) KiB in $(($(date +%s) - start)) s"

dpkg-deb -f "$deb" Package Version Architecture Depends
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libvulkan1 libglfw3 libyaml-cpp0.7 liblua5.4-0 liblo7 libopenal1 libsndfile1 libc6 "mesa-vulkan-drivers | vulkan-icd" fonts-dejavu-core libmicrohttpd12; do
  [[ "$depends" == *"$lib"* ]] || fail "Depends lacks $lib"
done
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $6}' >"$work/contents"
for f in ./usr/bin/vitrine ./usr/share/vitrine/scenes/demo.scene.yaml ./usr/share/vitrine/scenes/demo.inputs.yaml \
         ./usr/share/vitrine/scenes/hooks/demo.lua ./usr/share/vitrine/scenes/displays/corner.display.yaml \
         ./usr/share/vitrine/assets/relics/bronze/relic.gltf ./usr/share/vitrine/assets/sounds/bell.wav \
         ./usr/share/doc/vitrine/README.md ./usr/share/doc/vitrine/scene-file.md; do
  grep -qxF "$f" "$work/contents" || fail "the package lacks $f"
done
grep -v '^\./usr/\(bin/vitrine$\|share/vitrine/\|share/doc/vitrine/\|lib/systemd/system/\)' "$work/contents" >"$work/stray" &&
  fail "files outside /usr/bin/vitrine, /usr/share/vitrine, /usr/share/doc/vitrine: $(tr '\n' ' ' <"$work/stray")"

root=$work/root
dpkg-deb -x "$deb" "$root"
vitrine=$root/usr/bin/vitrine
data=$root/usr/share/vitrine
readelf -d "$vitrine" | grep -q 'RPATH\|RUNPATH' && fail "the installed binary has an RPATH: $(readelf -d "$vitrine" | grep 'RPATH\|RUNPATH')"
# Source file names stay in diagnostics (__FILE__); no other path into either tree.
for tree in "$(cd "$src" && pwd)" "$(cd "$build" && pwd)"; do
  strings -a "$vitrine" | grep -F "$tree" | grep -vE '\.(c|cc|cpp|h|hpp|inl)$' >"$work/paths" &&
    fail "the installed binary names $(head -3 "$work/paths" | tr '\n' ' ')"
done

# Nothing points back at the trees: an empty folder under the temporary root, a clean
# environment (the lavapipe pin and validation only), no corpus.
mkdir -p "$work/cwd" "$work/home"
run() {
  (cd "$work/cwd" && env -i PATH=/usr/bin:/bin HOME="$work/home" VITRINE_VALIDATION=1 \
     ${VK_ICD_FILENAMES:+VK_ICD_FILENAMES=$VK_ICD_FILENAMES} ${VK_DRIVER_FILES:+VK_DRIVER_FILES=$VK_DRIVER_FILES} \
     "$vitrine" "$@")
}
out=$(run --version); rc=$?
[ $rc = 0 ] && [ "$out" = "vitrine $version" ] || fail "--version: exit $rc, '$out' (expected 'vitrine $version')"

run info "$data/scenes/demo.scene.yaml" >"$work/info" || fail "info of the installed demo failed"
sed -n '/^assets/,/^nodes/p' "$work/info" | sed '1d;$d' >"$work/assets"
[ -s "$work/assets" ] || fail "info listed no assets"
while read -r name path; do
  [[ "$path" == "$data/assets/"* ]] && [ -f "$path" ] || fail "asset $name resolved to $path, not inside the extracted root"
done <"$work/assets"

# A shipped site file (the kiosk's installation) checks with its scene from the root.
for site in "$data"/scenes/*.site.yaml; do
  [ -f "$site" ] || continue
  run check "$site" >"$work/site" 2>&1 || fail "check $(basename "$site") from the package: $(head -3 "$work/site")"
done

run render "$data/scenes/demo.scene.yaml" --time 5 --size 320x180 --out "$work/cwd/demo.png" --quiet ||
  fail "rendering the installed demo failed"
"$compare" "$work/cwd/demo.png" "$goldens/demo_attract.png" || fail "the installed demo's frame differs from demo_attract.png"

[ $failures = 0 ] || exit 1
echo "package: $(basename "$deb") installs a binary that runs from its own tree: version, demo assets, demo frame"
