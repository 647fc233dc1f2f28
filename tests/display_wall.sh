#!/usr/bin/env bash
# An LED corner wall on lavapipe with validation on: the test scene's canvas against its
# golden, continuous across the corner's seam; a tiled render equal to the one-pass
# render; the visitor preview from the sweet spot equal to a direct render inside the
# wall's outline, and visibly different from elsewhere; a relic on the display's stage.
# usage: display_wall.sh VITRINE IMAGE_COMPARE OUT_DIR GOLDEN_DIR REPO
set -u
vitrine=$1 compare=$2 out=$3 goldens=$4 repo=$5
scene=$repo/tests/scenes/wall.scene.yaml
wall=$repo/tests/displays/corner_small.display.yaml
mkdir -p "$out"
export VITRINE_VALIDATION=1
run() { "$vitrine" "$@" --quiet || { echo "FAILED: vitrine $* (exit $?)"; exit 1; }; }
check() { "$compare" "$@" || { echo "FAILED: image-compare $*"; exit 1; }; }

run render "$scene" --display "$wall" --time 0 --out "$out/wall_corner.png"
run render "$repo/assets/relics/jade/relic.gltf" --display "$wall" --env studio --out "$out/wall_relic.png"
run render "$scene" --display "$repo/tests/displays/curved_small.display.yaml" --time 0 --out "$out/wall_curved.png"
if [ "${VITRINE_BLESS:-0}" = 1 ]; then
  cp "$out/wall_corner.png" "$out/wall_relic.png" "$out/wall_curved.png" "$goldens/" && echo "blessed wall_corner, wall_relic, wall_curved"
  exit 0
fi
check "$out/wall_corner.png" "$goldens/wall_corner.png" --max-diff 12 --max-failing-fraction 0.005 --seam 216
# The scene names its display (`display:`): without --display it is drawn for that wall.
run render "$scene" --time 0 --out "$out/wall_by_scene.png"
cmp "$out/wall_by_scene.png" "$out/wall_corner.png" || { echo "FAILED: the scene's own display was not used"; exit 1; }
check "$out/wall_relic.png" "$goldens/wall_relic.png" --max-diff 12 --max-failing-fraction 0.005 --seam 216

check "$out/wall_curved.png" "$goldens/wall_curved.png" --max-diff 12 --max-failing-fraction 0.005

# The screen meshes are what tools/make-curved-screen.py makes.
python3 "$repo/tools/make-curved-screen.py" "$out/curved_wall.gltf" &&
  python3 "$repo/tools/make-curved-screen.py" --flat "$out/flat_wall.gltf" || { echo "FAILED: make-curved-screen.py"; exit 1; }
for f in curved_wall flat_wall; do
  cmp -s "$out/$f.gltf" "$repo/tests/displays/$f.gltf" || { echo "FAILED: tests/displays/$f.gltf is not what the tool makes"; exit 1; }
done
# A mesh screen that is in fact flat, warped, equals the planar screen it lies on.
for relic in porcelain jade; do
  run render "$repo/assets/relics/$relic/relic.gltf" --env studio --display "$repo/tests/displays/flat_mesh.display.yaml" \
    --out "$out/flat_mesh_$relic.png"
  run render "$repo/assets/relics/$relic/relic.gltf" --env studio --display "$repo/tests/displays/flat_planar.display.yaml" \
    --out "$out/flat_planar_$relic.png"
  check "$out/flat_mesh_$relic.png" "$out/flat_planar_$relic.png" --min-psnr 40
done

# The GPU warp (what `run` draws every frame) against the CPU warp, and the flat mesh
# warped on the GPU against its planar screen.
run render "$scene" --display "$repo/tests/displays/curved_small.display.yaml" --time 0 --warp gpu --out "$out/wall_curved_gpu.png"
check "$out/wall_curved_gpu.png" "$out/wall_curved.png" --min-psnr 50
run render "$repo/assets/relics/porcelain/relic.gltf" --env studio --display "$repo/tests/displays/flat_mesh.display.yaml" \
  --warp gpu --out "$out/flat_mesh_gpu.png"
check "$out/flat_mesh_gpu.png" "$out/flat_planar_porcelain.png" --min-psnr 40

# Tiles: a canvas cut into 100 x 64 pieces (neither divides it) equals the one-pass canvas.
run render "$scene" --display "$wall" --time 0 --tile 100x64 --out "$out/wall_tiled.png"
check "$out/wall_tiled.png" "$out/wall_corner.png" --max-diff 8 --max-failing-fraction 0.002

# Visitor preview: from the sweet spot, the wall shows what the scene looks like from there.
at="--preview-from 0,1.6,6 --preview-look-at 0,1.5,-3 --preview-fov 60 --size 640x480"
run render "$scene" --display "$wall" --time 0 $at --out "$out/preview_sweet.png" --preview-mask "$out/preview_mask.png"
run render "$scene" --display "$wall" --time 0 $at --preview-direct --out "$out/preview_direct.png"
check "$out/preview_sweet.png" "$out/preview_direct.png" --mask "$out/preview_mask.png" --min-psnr 30
# From two metres to the left the illusion breaks: the same wall, a different picture.
aside="--preview-from -2,1.6,6 --preview-look-at 0,1.5,-3 --preview-fov 60 --size 640x480"
run render "$scene" --display "$wall" --time 0 $aside --out "$out/preview_aside.png" --preview-mask "$out/preview_aside_mask.png"
run render "$scene" --display "$wall" --time 0 $aside --preview-direct --out "$out/preview_aside_direct.png"
check "$out/preview_aside.png" "$out/preview_aside_direct.png" --mask "$out/preview_aside_mask.png" --max-psnr 25
# A screen mapped turned and mirrored on the canvas (LED processors): the same picture,
# turned; tiles agree; the visitor preview of the turned canvas is the same room.
right=$repo/tests/displays/right_only.display.yaml
run render "$scene" --display "$right" --time 0 --out "$out/right_only.png"
for spec in "turned 1,1,0" "turned_270 3,0,1"; do
  set -- $spec
  run render "$scene" --display "$repo/tests/displays/$1.display.yaml" --time 0 --out "$out/$1.png"
  check "$out/$1.png" "$out/right_only.png" --crop 216,0,144,216 --unturn "$2" --max-diff 8 --max-failing-fraction 0.002
done
run render "$scene" --display "$repo/tests/displays/turned.display.yaml" --time 0 --tile 100x70 --out "$out/turned_tiled.png"
check "$out/turned_tiled.png" "$out/turned.png" --max-diff 8 --max-failing-fraction 0.002
# A device lost mid-canvas (the fifth submission) is rebuilt; the tiles, lit by the same
# room lights, come out as without the fault.
VITRINE_FAULT=device-lost@5 run render "$scene" --display "$repo/tests/displays/turned.display.yaml" --time 0 --tile 100x70 \
  --out "$out/turned_tiled_fault.png"
cmp "$out/turned_tiled_fault.png" "$out/turned_tiled.png" || { echo "FAILED: the canvas after a lost device differs"; exit 1; }
at="--preview-from 1,1.6,5 --preview-look-at 0,1.5,-3 --size 640x480"
run render "$scene" --display "$repo/tests/displays/turned.display.yaml" --time 0 $at --out "$out/preview_turned.png" \
  --preview-mask "$out/preview_turned_mask.png"
run render "$scene" --display "$wall" --time 0 $at --out "$out/preview_unturned.png"
check "$out/preview_turned.png" "$out/preview_unturned.png" --mask "$out/preview_turned_mask.png" --min-psnr 35
echo "display wall: ok"
