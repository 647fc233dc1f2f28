#!/usr/bin/env bash
# Pyramids through the virtual texture on lavapipe with validation on: views straddling
# page and tile borders at 0.6x, 1.4x and 2.5x magnification (and the whole image) equal
# the CPU reference resampling of the same pyramid (no pages: a seam would show as a worse
# column or row), for a procedural 100 000 x 60 000 image and for a Deep Zoom pyramid
# built by `vitrine pyramid build`; a tile memory far too small for the view still draws
# (coarser) with one warning; the same frame rendered twice is the same file, and with a
# lost GPU in the middle; the atlas does not grow with the image (100 Gpx = 1 Mpx).
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
# A million pixels wide, 16x, near the far edge: positions stay exact (integer origin + a
# small float), not 2^-24 of the width.
same procedural:pattern:1000000x100000 far_16 --magnification 16 --centre 987654.3,54321.7

# A real pyramid on disk, through its reader: Deep Zoom 254/1 JPEG tiles.
"$vitrine" pyramid build procedural:pattern:3001x2003 --out "$out/built.dzi" --force > /dev/null || { echo "FAILED: pyramid build"; exit 1; }
for m in 0.6 1.4 2.5; do same "$out/built.dzi" dzi_$m --magnification $m --centre 1016,762; done

# A lost tile and a corrupt one: drawn from the coarser level there, one warning naming each.
cp -r "$out/built_files" "$out/damaged_files" && cp "$out/built.dzi" "$out/damaged.dzi"
cp "$out/built.vitrine.json" "$out/damaged.vitrine.json" 2>/dev/null
rm "$out/damaged_files/11/2_1.jpeg"
printf 'not a jpeg' > "$out/damaged_files/11/1_1.jpeg"
log=$("$vitrine" render "$out/damaged.dzi" --size 320x200 --magnification 0.6 --centre 1016,762 --out "$out/damaged.png" 2>&1)
[ $? -eq 0 ] || { echo "FAILED: a damaged pyramid stopped the render: $log"; exit 1; }
for tile in 11/2_1.jpeg 11/1_1.jpeg; do
  n=$(echo "$log" | grep -c "warning: .*$tile")
  [ "$n" -eq 1 ] || { echo "FAILED: expected one warning naming $tile, got $n: $log"; exit 1; }
done

# Deterministic: the same frame twice is the same file.
run render $big --size 320x200 --magnification 1.4 --centre 24800,23040 --out "$out/again.png"
cmp "$out/again.png" "$out/big_1.4.png" || { echo "FAILED: the same frame differs between runs"; exit 1; }

# A lost GPU in the middle (after the pinned pages' upload, during the probe frames):
# rebuilt, the pyramid added again, the same file.
VITRINE_FAULT=device-lost@3 run render $big --size 320x200 --magnification 1.4 --centre 24800,23040 --out "$out/lost.png"
cmp "$out/lost.png" "$out/big_1.4.png" || { echo "FAILED: a lost device changed the picture"; exit 1; }

# Fixed memory: a 100-gigapixel pyramid and a 1-megapixel one get the same atlas.
atlas() { "$vitrine" render "$1" --size 320x200 --out "$out/atlas.png" 2>&1 | grep -o "([0-9]* MiB atlas)"; }
a=$(atlas procedural:pattern:1000000x100000) b=$(atlas procedural:pattern:1000x1000)
[ -n "$a" ] && [ "$a" = "$b" ] || { echo "FAILED: atlas sizes differ: 100 Gpx '$a', 1 Mpx '$b'"; exit 1; }
echo "100 Gpx and 1 Mpx pyramids: $a each"

# 4 MiB of tile memory (16 pages) for a view that wants ~60: drawn, coarser, one warning.
log=$("$vitrine" render $big --size 1280x800 --magnification 2.5 --centre 24800,23040 --tile-memory 4 --out "$out/tiny.png" 2>&1)
code=$?
[ $code -eq 0 ] || { echo "FAILED: tiny tile memory exits $code: $log"; exit 1; }
echo "$log" | grep -q "tile memory" || { echo "FAILED: no warning about the tile memory: $log"; exit 1; }
echo "pyramid views: ok"
