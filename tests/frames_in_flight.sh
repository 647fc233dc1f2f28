#!/usr/bin/env bash
# Frames in flight change nothing: a 12-frame sequence (2 in flight, pipelined read-back,
# PNGs written on worker threads) equals 12 single renders at the same show times, and
# the same sequence on the fence timeline (VITRINE_NO_TIMELINE=1) equals it too.
set -eu
vitrine=$1 compare=$2 out=$3 model=$4
mkdir -p "$out/flight" && rm -f "$out/flight"/*.png
common=(--size 96x96 --env studio --pitch 10 --quiet)
VITRINE_VALIDATION=1 "$vitrine" render "$model" --time 1 --frames 12 --fps 4 --out "$out/flight/seq.png" "${common[@]}"
for i in $(seq 0 11); do
  t=$(awk -v i="$i" 'BEGIN { printf "%.6f", 1 + i / 4 }')
  n=$(printf "%04d" "$i")
  VITRINE_VALIDATION=1 "$vitrine" render "$model" --time "$t" --out "$out/flight/single_$n.png" "${common[@]}"
  "$compare" "$out/flight/seq_$n.png" "$out/flight/single_$n.png" --max-diff 0 --max-failing-fraction 0
done
# The fence timeline (devices without timeline semaphores) gives the same frames.
VITRINE_NO_TIMELINE=1 VITRINE_VALIDATION=1 "$vitrine" render "$model" --time 1 --frames 12 --fps 4 --out "$out/flight/fences.png" "${common[@]}"
for i in $(seq 0 11); do
  n=$(printf "%04d" "$i")
  "$compare" "$out/flight/fences_$n.png" "$out/flight/seq_$n.png" --max-diff 0 --max-failing-fraction 0
done
echo "12 frames in flight equal 12 single renders, with timeline semaphores and with fences"
