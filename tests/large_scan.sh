#!/usr/bin/env bash
# Generates a 2.25 M-triangle relic with 8192x4096 textures and renders it with
# validation on; the vessel must cover the image centre.
set -eu
make_relic=$1 vitrine=$2 compare=$3 out=$4
"$make_relic" "$out/large_scan" --detail 6 --texture 8192
VITRINE_VALIDATION=1 "$vitrine" render "$out/large_scan/relic.gltf" --out "$out/large_scan.png" \
  --size 256x256 --pitch 12 --env studio --quiet
# Bronze and verdigris at the centre, the grey studio in the corner.
"$compare" "$out/large_scan.png" --expect 100,120,10,10,104,120,102,45 --expect 4,4,10,10,201,201,201,20
