#!/usr/bin/env bash
# An injected device loss (VITRINE_FAULT=device-lost@N: the N-th queue submission
# reports VK_ERROR_DEVICE_LOST) is survived: exit 0, every frame written, pixel-identical
# to the run without the fault, and one line saying the device was rebuilt. Then the
# same in the window path under Xvfb (--record), when xvfb-run is installed.
set -u
vitrine=$1 compare=$2 out=$3 model=$4
rm -rf "$out/lost" "$out/clean" "$out/wlost" "$out/wclean"
mkdir -p "$out/lost" "$out/clean"
common=(--frames 10 --fps 10 --size 96x96 --env studio --pitch 10)
VITRINE_VALIDATION=1 "$vitrine" render "$model" "${common[@]}" --out "$out/clean/f.png" --quiet || { echo "clean run failed"; exit 1; }
for at in 5 9; do
  rm -f "$out/lost"/*.png
  log=$(VITRINE_FAULT=device-lost@$at VITRINE_VALIDATION=1 "$vitrine" render "$model" "${common[@]}" --out "$out/lost/f.png" 2>&1)
  rc=$?
  echo "$log" | grep -v "^vitrine: wrote\|^vitrine: GPU"
  [ "$rc" -eq 0 ] || { echo "device-lost@$at: exit $rc"; exit 1; }
  [ "$(echo "$log" | grep -c "device was lost; rebuilt")" -eq 1 ] || { echo "device-lost@$at: expected one recovery line"; exit 1; }
  [ "$(ls "$out/lost" | wc -l)" -eq 10 ] || { echo "device-lost@$at: expected 10 frames"; exit 1; }
  for f in "$out/clean"/*.png; do
    "$compare" "$out/lost/$(basename "$f")" "$f" --max-diff 0 --max-failing-fraction 0 >/dev/null || { echo "device-lost@$at: $(basename "$f") differs"; exit 1; }
  done
  echo "device-lost@$at: 10 frames identical to the run without the fault"
done
if ! command -v xvfb-run >/dev/null; then echo "window path skipped: xvfb-run is not installed"; exit 0; fi
win=(view "$model" --size 96x96 --frames 8 --env studio --pitch 10 --time 0)
VITRINE_VALIDATION=1 timeout 240 "$(dirname "$0")/xvfb.sh" 640x480x24 "$vitrine" "${win[@]}" --record "$out/wclean" --quiet \
  || { echo "window clean run failed"; exit 1; }
log=$(VITRINE_FAULT=device-lost@6 VITRINE_VALIDATION=1 timeout 240 "$(dirname "$0")/xvfb.sh" 640x480x24 "$vitrine" "${win[@]}" --record "$out/wlost" 2>&1)
rc=$?
[ "$rc" -eq 0 ] || { echo "$log"; echo "window device-lost: exit $rc"; exit 1; }
[ "$(echo "$log" | grep -c "device was lost; rebuilt")" -eq 1 ] || { echo "$log"; echo "window: expected one recovery line"; exit 1; }
[ "$(ls "$out/wlost" | wc -l)" -eq 8 ] || { echo "window: expected 8 recorded frames"; ls "$out/wlost"; exit 1; }
for f in "$out/wclean"/*.png; do
  "$compare" "$out/wlost/$(basename "$f")" "$f" --max-diff 0 --max-failing-fraction 0 >/dev/null || { echo "window: $(basename "$f") differs"; exit 1; }
done
echo "window device-lost: 8 recorded frames identical to the run without the fault"
