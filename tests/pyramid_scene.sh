#!/usr/bin/env bash
# A show with a pyramid (tests/scenes/scroll.scene.yaml) on lavapipe with validation on:
# the whole scroll and the end of the zoom_to tour (40x, into the seal) against their
# goldens, with the scroll wrapped round an arc as its material's base colour; seeking
# equals playing (frames of a played span byte-identical to frames rendered alone); a
# window (`view PYRAMID` and `run` of the show) draws frames under Xvfb.
# usage: pyramid_scene.sh VITRINE IMAGE_COMPARE OUT_DIR GOLDEN_DIR REPO
set -u
vitrine=$1 compare=$2 out=$3 goldens=$4 repo=$5
scene=$repo/tests/scenes/scroll.scene.yaml
mkdir -p "$out"
export VITRINE_VALIDATION=1
run() { "$vitrine" "$@" --quiet || { echo "FAILED: vitrine $* (exit $?)"; exit 1; }; }
check() { "$compare" "$@" || { echo "FAILED: image-compare $*"; exit 1; }; }

run render "$scene" --time 0 --size 320x180 --out "$out/pyramid_scroll_0.png"
run render "$scene" --time 6 --size 320x180 --out "$out/pyramid_scroll_6.png"
if [ "${VITRINE_BLESS:-0}" = 1 ]; then
  cp "$out/pyramid_scroll_0.png" "$out/pyramid_scroll_6.png" "$goldens/" && echo "blessed pyramid_scroll_0, pyramid_scroll_6"
  exit 0
fi
check "$out/pyramid_scroll_0.png" "$goldens/pyramid_scroll_0.png" --max-diff 8 --max-failing-fraction 0.002
check "$out/pyramid_scroll_6.png" "$goldens/pyramid_scroll_6.png" --max-diff 8 --max-failing-fraction 0.002

# Seek == play through the tour: frames 0..6 s at 2 fps against single renders.
run render "$scene" --from 0 --to 6 --fps 2 --size 320x180 --out "$out/tour_%05d.png"
for pair in "1.5 00003" "3.5 00007" "6 00012"; do
  set -- $pair
  run render "$scene" --time "$1" --size 320x180 --out "$out/at_$1.png"
  cmp -s "$out/at_$1.png" "$out/tour_$2.png" || { echo "FAILED: --time $1 differs from frame $2 of the played tour"; exit 1; }
done
cmp -s "$out/at_6.png" "$out/pyramid_scroll_6.png" || { echo "FAILED: the same frame differs between runs"; exit 1; }

if ! command -v xvfb-run >/dev/null; then echo "skipped the windows: xvfb-run is not installed"; exit 0; fi
log=$(timeout 240 "$(dirname "$0")/xvfb.sh" 1280x1024x24 "$vitrine" view procedural:pattern:100000x50000:0.05 \
      --size 320x200 --frames 12 --magnification 2 --centre 41400,22225 2>&1)
rc=$?
[ $rc -eq 0 ] || { echo "FAILED: view PYRAMID exited $rc: $log"; exit 1; }
echo "$log" | grep -q "12 frames presented" || { echo "FAILED: view PYRAMID: $log"; exit 1; }
echo "pyramid scene: ok"
