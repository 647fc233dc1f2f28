#!/usr/bin/env bash
# A fullscreen window wider than the device can draw (17000 px; lavapipe's limit is
# 16384) fails with one clear line and exit 3 — never a crash.
set -u
vitrine=$1 model=$2
if ! command -v xvfb-run >/dev/null; then echo "skipped: xvfb-run is not installed"; exit 77; fi
here=$(dirname "$0")
err=$(VITRINE_VALIDATION=1 timeout 240 "$here/xvfb.sh" 17000x300x24 "$vitrine" view "$model" --fullscreen --frames 3 --env studio 2>&1 >/dev/null)
rc=$?
echo "$err"
[ "$rc" -eq 3 ] || { echo "expected exit 3, got $rc"; exit 1; }
[ "$(echo "$err" | grep -c "error:")" -eq 1 ] || { echo "expected exactly one error line"; exit 1; }
echo "$err" | grep "error:" | grep -q "17000x300" || { echo "the error should name the window size"; exit 1; }
echo "big window refused cleanly"
