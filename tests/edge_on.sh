#!/usr/bin/env bash
# Triangles seen exactly edge-on must not stall a frame: DamagedHelmet from exactly +X at
# 120x67 once ran for minutes in llvmpipe's anisotropic filter (NaN derivatives). A
# kiosk cannot hang, so this render must finish well inside the timeout.
set -u
vitrine=$1 model=$2 out=$3
[ -f "$model" ] || { echo "skipped: $model is not here (no corpus)"; exit 77; }
mkdir -p "$out"
VITRINE_VALIDATION=1 timeout 60 "$vitrine" render "$model" --yaw 90 --size 120x67 --out "$out/edge_on.png" --quiet
rc=$?
[ "$rc" -eq 124 ] && { echo "the edge-on render did not finish in 60 s"; exit 1; }
exit $rc
