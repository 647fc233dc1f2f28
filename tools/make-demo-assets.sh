#!/usr/bin/env bash
# Writes the demo exhibition's committed content: a checkered floor (tools/make-grid.py), three relics at the small level of
# detail (about 8k vessel triangles, 512x256 textures) so that they load and render fast,
# also on a CPU Vulkan driver, and keep the repository small; and the demo's sounds:
# synthesised room tone and bell (tools/make_sounds.cpp) and the tour's narration
# (tools/make-narration.sh, espeak-ng).
#
# usage: tools/make-demo-assets.sh BUILD_DIR OUT_DIR
#   BUILD_DIR  a configured and built tree holding tools/make-relic and tools/make-sounds
#              (cmake --build BUILD_DIR --target make-relic make-sounds)
#   OUT_DIR    where relics/{bronze,porcelain,jade}/, room/ and sounds/ go; for the repository: assets
#
# Regenerate the committed assets with  tools/make-demo-assets.sh build assets
# and never edit them by hand; tests/assets_reproducible.sh checks they match.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 BUILD_DIR OUT_DIR" >&2
  exit 2
fi
make_relic=$1/tools/make-relic
make_sounds=$1/tools/make-sounds
out=$2
for tool in "$make_relic" "$make_sounds"; do
  if [ ! -x "$tool" ]; then
    echo "make-demo-assets: error: $tool not found; build it first (cmake --build $1 --target $(basename "$tool"))" >&2
    exit 1
  fi
done
# name  material   shape
relics=(
  "bronze    bronze    vase"
  "porcelain porcelain jar"
  "jade      jade      bowl"
)
for line in "${relics[@]}"; do
  read -r name material shape <<<"$line"
  dir=$out/relics/$name
  # Start clean so that no stale file (say, from another --texture) is left behind.
  rm -rf "$dir"
  "$make_relic" "$dir" --lod small --material "$material" --shape "$shape" >/dev/null
done
# The checkered floor that LED-wall tests and the wall demo stand relics on.
python3 "$(dirname "$0")/make-grid.py" "$out/room/grid.gltf"
# The sounds: room tone and bell (synthesised), the tour's narration (espeak-ng).
rm -rf "$out/sounds"
"$make_sounds" "$out/sounds" >/dev/null
"$(dirname "$0")/make-narration.sh" "$out/sounds/narration.wav"
echo "make-demo-assets: wrote $out/relics/{bronze,porcelain,jade}, $out/room/grid.gltf and $out/sounds/{ambience,bell,narration}.wav"
