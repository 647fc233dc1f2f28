#!/usr/bin/env bash
# The committed demo assets (assets/relics, assets/room, assets/sounds) are exactly what
# tools/make-demo-assets.sh makes: every file byte for byte, none missing, none extra.
#
# usage: tests/assets_reproducible.sh MAKE_RELIC_BINARY MAKE_SOUNDS_BINARY REPO_DIR
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 MAKE_RELIC_BINARY MAKE_SOUNDS_BINARY REPO_DIR" >&2
  exit 2
fi
make_relic=$(realpath "$1")
make_sounds=$(realpath "$2")
repo=$(realpath "$3")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# make-demo-assets.sh wants a build tree; give it one that holds just these binaries.
mkdir -p "$tmp/build/tools"
ln -s "$make_relic" "$tmp/build/tools/make-relic"
ln -s "$make_sounds" "$tmp/build/tools/make-sounds"
"$repo/tools/make-demo-assets.sh" "$tmp/build" "$tmp/out" >/dev/null

fix="regenerate with: tools/make-demo-assets.sh BUILD_DIR assets"
status=0
# Every path on either side, relative to the assets folder, in a stable order.
list() { [ -d "$1/relics" ] && (cd "$1" && find relics room sounds \( -type f -o -type l \) 2>/dev/null | LC_ALL=C sort); true; }
while read -r f; do
  [ -n "$f" ] || continue
  made=$tmp/out/$f committed=$repo/assets/$f
  if [ ! -e "$committed" ]; then
    echo "assets/$f is missing, but tools/make-demo-assets.sh makes it; $fix"
    status=1
  elif [ ! -e "$made" ]; then
    echo "assets/$f is not made by tools/make-demo-assets.sh (an extra file); remove it or $fix"
    status=1
  elif ! cmp -s "$made" "$committed"; then
    echo "assets/$f differs from what tools/make-demo-assets.sh makes; $fix"
    status=1
  fi
done < <( { list "$tmp/out"; list "$repo/assets"; } | LC_ALL=C sort -u)
if [ ! -d "$repo/assets/relics" ]; then
  echo "assets/relics is missing; $fix"
  status=1
fi
if [ ! -d "$repo/assets/sounds" ]; then
  echo "assets/sounds is missing; $fix"
  status=1
fi
[ $status -eq 0 ] && echo "assets/{relics,room,sounds}: $(list "$tmp/out" | wc -l) files match tools/make-demo-assets.sh"
exit $status
