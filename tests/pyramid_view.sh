#!/usr/bin/env bash
# Pyramids through the virtual texture on lavapipe with validation on: views straddling
# page and tile borders at 0.6x, 1.4x and 2.5x magnification (and the whole image) equal
# the CPU reference resampling of the same pyramid (no pages: a seam would show as a worse
# column or row), for a procedural 100 000 x 60 000 image and for a Deep Zoom pyramid
# built by `vitrine pyramid build`; a tile memory far too small for the view still draws
# (coarser) with one warning; the same frame rendered twice is the same file.
# usage: pyramid_view.sh VITRINE IMAGE_COMPARE OUT_DIR
set -u
vitrine=$1 compare=$2 out=$3
mkdir -p "$out"
export VITRINE_VALIDATION=1
run() { "$vitrine" "$@" --quiet || { echo "FAILED: vitrine $* (exit $?)"; exit 1; }; }
check() { "$compare" "$@" || { echo "FAILED: image-compare $*"; exit 1; }; }

same() {  # PYRAMID TAG ARGS...: GPU render vs the CPU reference
  local pyramid=$1 tag=$2
  shift 2
  run render "$pyramid" --size 320x200 --out "$out/$tag.png" "$@"
  run render "$pyramid" --size 320x200 --out "$out/$tag.ref.png" --reference "$@"
  check "$out/$tag.png" "$out/$tag.ref.png" --min-psnr 45 --uniform-error 1.5
}
big=procedural:pattern:100000x60000
# Centres on page borders (248 px) of level 0 and tile borders (256 px): 248*100, 256*90.
for m in 0.6 1.4 2.5; do same $big big_$m --magnification $m --centre 24800,23040; done
same $big big_whole
same $big big_lod7 --magnification 0.0078 --centre 31000,30000

# A real pyramid on disk, through its reader: Deep Zoom 254/1 JPEG tiles.
"$vitrine" pyramid build procedural:pattern:3001x2003 --out "$out/built.dzi" > /dev/null || { echo "FAILED: pyramid build"; exit 1; }
for m in 0.6 1.4 2.5; do same "$out/built.dzi" dzi_$m --magnification $m --centre 1016,762; done

# Deterministic: the same frame twice is the same file.
run render $big --size 320x200 --magnification 1.4 --centre 24800,23040 --out "$out/again.png"
cmp "$out/again.png" "$out/big_1.4.png" || { echo "FAILED: the same frame differs between runs"; exit 1; }

# 4 MiB of tile memory (16 pages) for a view that wants ~60: drawn, coarser, one warning.
log=$("$vitrine" render $big --size 1280x800 --magnification 2.5 --centre 24800,23040 --tile-memory 4 --out "$out/tiny.png" 2>&1)
code=$?
[ $code -eq 0 ] || { echo "FAILED: tiny tile memory exits $code: $log"; exit 1; }
echo "$log" | grep -q "tile memory" || { echo "FAILED: no warning about the tile memory: $log"; exit 1; }
echo "pyramid views: ok"
