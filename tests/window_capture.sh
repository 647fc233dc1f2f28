#!/usr/bin/env bash
# A window and its capture (`view --record`) share one device: the recorded frames are
# what the window showed, and equal the offscreen render of the same view.
set -u
vitrine=$1 compare=$2 out=$3 model=$4
if ! command -v xvfb-run >/dev/null; then echo "skipped: xvfb-run is not installed"; exit 77; fi
rm -rf "$out/recorded" && mkdir -p "$out"
args=(--env studio --time 5 --pitch 10)
VITRINE_VALIDATION=1 timeout 240 "$(dirname "$0")/xvfb.sh" 640x480x24 \
  "$vitrine" view "$model" --size 160x120 --frames 4 --record "$out/recorded" "${args[@]}" --quiet || { echo "view failed"; exit 1; }
[ "$(ls "$out/recorded" | wc -l)" -eq 4 ] || { echo "expected 4 recorded frames"; exit 1; }
VITRINE_VALIDATION=1 "$vitrine" render "$model" --size 160x120 --out "$out/offscreen_view.png" "${args[@]}" --quiet || exit 1
for f in "$out/recorded"/*.png; do "$compare" "$f" "$out/offscreen_view.png" --max-diff 1 --max-failing-fraction 0 || exit 1; done
echo "window capture equals the offscreen render"
