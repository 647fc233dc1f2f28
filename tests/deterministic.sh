#!/usr/bin/env bash
# `vitrine render` is deterministic: the same command twice gives identical pixels
# (an animated pose at a fixed show time, IBL computed afresh each run).
set -eu
vitrine=$1 compare=$2 out=$3 model=$4
mkdir -p "$out"
for run in a b; do
  VITRINE_VALIDATION=1 "$vitrine" render "$model" --time 7.5 --pitch 10 --size 200x200 --env studio \
    --out "$out/deterministic_$run.png" --quiet
done
"$compare" "$out/deterministic_a.png" "$out/deterministic_b.png" --max-diff 0 --max-failing-fraction 0
