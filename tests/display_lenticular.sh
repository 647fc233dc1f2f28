#!/usr/bin/env bash
# A lenticular panel on lavapipe with validation on: a relic's quilt (named by the
# _qs{columns}x{rows}a{aspect} convention) and native image against their goldens;
# interleaving that quilt file again (as a quilt made by another tool) gives the same
# native image byte for byte; a scene renders through its camera.
# usage: display_lenticular.sh VITRINE IMAGE_COMPARE OUT_DIR GOLDEN_DIR REPO
set -u
vitrine=$1 compare=$2 out=$3 goldens=$4 repo=$5
lkg=$repo/tests/displays/lkg_small.display.yaml
mkdir -p "$out"
rm -f "$out"/*.png
export VITRINE_VALIDATION=1
run() { "$vitrine" "$@" --quiet || { echo "FAILED: vitrine $* (exit $?)"; exit 1; }; }
check() { "$compare" "$@" || { echo "FAILED: image-compare $*"; exit 1; }; }

run render "$repo/assets/relics/porcelain/relic.gltf" --display "$lkg" --env studio --time 1 \
  --quilt "$out/lkg_quilt.png" --out "$out/lkg_native.png"
quilt=$out/lkg_quilt_qs4x3a0.75.png
[ -f "$quilt" ] || { echo "FAILED: the quilt is not named by the convention (expected $quilt)"; ls "$out"; exit 1; }
if [ "${VITRINE_BLESS:-0}" = 1 ]; then
  cp "$quilt" "$goldens/lkg_quilt.png" && cp "$out/lkg_native.png" "$goldens/lkg_native.png" && echo "blessed lkg_quilt, lkg_native"
  exit 0
fi
check "$quilt" "$goldens/lkg_quilt.png" --max-diff 12 --max-failing-fraction 0.005
check "$out/lkg_native.png" "$goldens/lkg_native.png" --max-diff 12 --max-failing-fraction 0.005

# A device lost while the quilt is drawn: rebuilt, the same quilt and native image.
VITRINE_FAULT=device-lost@3 run render "$repo/assets/relics/porcelain/relic.gltf" --display "$lkg" --env studio --time 1 \
  --quilt "$out/fault.png" --out "$out/fault_native.png"
cmp "$out/fault_qs4x3a0.75.png" "$quilt" && cmp "$out/fault_native.png" "$out/lkg_native.png" ||
  { echo "FAILED: the quilt after a lost device differs"; exit 1; }

# The GPU interleave pass (what `run` shows on a panel) against the CPU reference: every
# sub-pixel within one 8-bit step (its float32 formula and rounding).
run render "$repo/assets/relics/porcelain/relic.gltf" --display "$lkg" --env studio --time 1 --interleave gpu \
  --out "$out/lkg_native_gpu.png"
check "$out/lkg_native_gpu.png" "$out/lkg_native.png" --max-diff 1 --max-failing-fraction 0

# The quilt file, interleaved on its own, gives the very same native image.
run render "$quilt" --display "$lkg" --out "$out/lkg_native_again.png"
cmp "$out/lkg_native.png" "$out/lkg_native_again.png" || { echo "FAILED: interleaving the quilt file differs"; exit 1; }

# 48 views in multiview batches (6 a pass on lavapipe, forced there: see GpuScene) and
# one view at a time: the same bytes, for relics that stay inside every view.
for m in porcelain jade bronze; do
  VITRINE_MULTIVIEW=force run render "$repo/assets/relics/$m/relic.gltf" --display "$repo/tests/displays/lkg48.display.yaml" \
    --env studio --time 1 --quilt "$out/mv_$m.png"
  VITRINE_NO_MULTIVIEW=1 run render "$repo/assets/relics/$m/relic.gltf" --display "$repo/tests/displays/lkg48.display.yaml" \
    --env studio --time 1 --quilt "$out/pv_$m.png"
  cmp "$out/mv_${m}_qs8x6a0.75.png" "$out/pv_${m}_qs8x6a0.75.png" ||
    { echo "FAILED: multiview and per-view quilts of $m differ"; exit 1; }
  echo "quilt of $m: multiview batches and per-view passes identical"
done

# A scene: its camera looks at the focal plane.
run render "$repo/scenes/demo.scene.yaml" --display "$lkg" --time 2 --quilt "$out/demo.png" --out "$out/demo_native.png"
[ -f "$out/demo_qs4x3a0.75.png" ] || { echo "FAILED: no scene quilt"; exit 1; }
echo "display lenticular: ok"
