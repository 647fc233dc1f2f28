#!/usr/bin/env bash
# A GPU that never comes back (VITRINE_FAULT=device-lost@N+: every submission from the
# N-th on is lost): after a few rebuilds the program gives up with one clear line and
# exit 3, never a hang or a crash.
set -u
vitrine=$1 model=$2 out=$3
mkdir -p "$out"
err=$(VITRINE_FAULT=device-lost@4+ VITRINE_VALIDATION=1 timeout 120 "$vitrine" render "$model" --frames 4 --size 64x64 \
      --env studio --out "$out/gone.png" 2>&1 >/dev/null)
rc=$?
echo "$err" | grep -v "VITRINE_FAULT"
[ "$rc" -eq 3 ] || { echo "expected exit 3, got $rc"; exit 1; }
[ "$(echo "$err" | grep -c "error:")" -eq 1 ] || { echo "expected exactly one error line"; exit 1; }
echo "$err" | grep "error:" | grep -q "lost" || { echo "the error should say the device was lost"; exit 1; }
echo "a device that never comes back: exit 3 with one line"
