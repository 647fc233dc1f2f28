#!/usr/bin/env bash
# `vitrine render --frames N --fps F` writes NAME_0000.png ... at show times t0 + i/F:
# frame 0 equals a single render at t0, and the turntable moves by frame 2.
set -eu
vitrine=$1 compare=$2 out=$3 model=$4
mkdir -p "$out"
rm -f "$out"/sequence_*.png
common=(--pitch 10 --size 96x96 --env studio --quiet)
VITRINE_VALIDATION=1 "$vitrine" render "$model" --time 2 --frames 3 --fps 0.5 --out "$out/sequence.png" "${common[@]}"
VITRINE_VALIDATION=1 "$vitrine" render "$model" --time 2 --out "$out/single.png" "${common[@]}"
[ -f "$out/sequence_0000.png" ] && [ -f "$out/sequence_0001.png" ] && [ -f "$out/sequence_0002.png" ]
[ ! -f "$out/sequence_0003.png" ]
"$compare" "$out/sequence_0000.png" "$out/single.png" --max-diff 0 --max-failing-fraction 0
if "$compare" "$out/sequence_0002.png" "$out/single.png" --max-diff 2 --max-failing-fraction 0.01; then
  echo "frame 2 (show time 6 s) should differ from show time 2 s"; exit 1
fi
echo "sequence ok"
