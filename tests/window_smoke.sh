#!/usr/bin/env bash
# Opens a real window under Xvfb, draws frames, resizes it halfway (the swapchain
# must be recreated), and closes, with validation on: any message fails.
set -u
vitrine=$1 model=$2
if ! command -v xvfb-run >/dev/null; then echo "skipped: xvfb-run is not installed"; exit 77; fi
out=$(VITRINE_VALIDATION=1 timeout 240 "$(dirname "$0")/xvfb.sh" 1280x1024x24 \
      "$vitrine" view "$model" --size 320x240 --frames 12 --resize-to 400x300 --env studio 2>&1)
rc=$?
echo "$out"
[ "$rc" -eq 0 ] || { echo "view exited $rc"; exit 1; }
echo "$out" | grep -q "12 frames presented" || { echo "expected 12 presented frames"; exit 1; }
echo "$out" | grep -q "[1-9][0-9]* swapchain recreations" || { echo "expected the resize to recreate the swapchain"; exit 1; }
