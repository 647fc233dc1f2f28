#!/bin/bash
# Parity with vips dzsave: `vitrine pyramid build` must cut the same pyramid as vips
# 8.14 for the same tile size and overlap -- the same .dzi (byte for byte), the same
# files under NAME_files (vips's own NAME_files/vips-properties.xml aside: we write
# NAME.vitrine.json beside the .dzi instead), every tile the same pixel size, and
# (lossless, PNG tiles) the same pixels at every level: vips halves with
# (a + b + c + d + 2) >> 2, repeating the last column / row at odd sizes.
# usage: pyramid_vips.sh VITRINE   (exit 77 when vips is not installed)
set -u
VITRINE=${1:?usage: pyramid_vips.sh VITRINE}
if ! command -v vips >/dev/null; then
    echo "skipped: vips not installed"
    exit 77
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pyramid_vips.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
failures=0

# Every tile under a folder: "relative/path WIDTHxHEIGHT", read from JPEG SOF / PNG IHDR headers.
tile_sizes() {
    python3 - "$1" <<'EOF'
import os, struct, sys
root = sys.argv[1]
def size(path):
    with open(path, 'rb') as f:
        data = f.read(65536)
    if data[:8] == b'\x89PNG\r\n\x1a\n':
        w, h = struct.unpack('>II', data[16:24])
        return w, h
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        length = struct.unpack('>H', data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            h, w = struct.unpack('>HH', data[i + 5:i + 9])
            return w, h
        i += 2 + length
    return None
out = []
for d, _, files in os.walk(root):
    for name in files:
        if name.endswith(('.jpeg', '.jpg', '.png')):
            p = os.path.join(d, name)
            s = size(p)
            out.append('%s %s' % (os.path.relpath(p, root), '%dx%d' % s if s else 'unreadable'))
print('\n'.join(sorted(out)))
EOF
}

# Decoded pixels of every PNG tile under a folder (8-bit RGB/RGBA, no interlace): one
# line per tile, "path sha1-of-pixels", with python's zlib only.
png_pixels() {
    python3 - "$(dirname "$0")" "$1" <<'EOF'
import hashlib, os, sys
sys.path.insert(0, sys.argv[1])
from png_rows import read
root = sys.argv[2]
def pixels(path):
    return hashlib.sha1(b''.join(read(path)[3])).hexdigest()
out = []
for d, _, files in os.walk(root):
    for name in files:
        if name.endswith('.png'):
            p = os.path.join(d, name)
            out.append('%s %s' % (os.path.relpath(p, root), pixels(p)))
print('\n'.join(sorted(out)))
EOF
}

# compare NAME INPUT OURS_INPUT [dzsave/build options...]: both pyramids, then every check.
compare() {
    local name=$1 input=$2 ours=$3 tile=$4 overlap=$5
    shift 5
    local v="$WORK/vips/$name" o="$WORK/ours/$name"
    mkdir -p "$v" "$o"
    if ! vips dzsave "$input" "$v/$name" --tile-size "$tile" --overlap "$overlap" "$@"; then
        echo "FAIL $name: vips dzsave failed"; failures=$((failures + 1)); return
    fi
    local lossless=()
    [[ " $* " == *" --suffix .png "* ]] && lossless=(--lossless)
    if ! "$VITRINE" pyramid build "$ours" --out "$o/$name.dzi" --tile "$tile" --overlap "$overlap" "${lossless[@]}" 2>"$WORK/err"; then
        echo "FAIL $name: vitrine pyramid build failed: $(cat "$WORK/err")"; failures=$((failures + 1)); return
    fi
    if ! cmp -s "$v/$name.dzi" "$o/$name.dzi"; then
        echo "FAIL $name: the .dzi differs"; diff "$v/$name.dzi" "$o/$name.dzi" | head -5; failures=$((failures + 1)); return
    fi
    tile_sizes "$v/${name}_files" >"$WORK/v.list"
    tile_sizes "$o/${name}_files" >"$WORK/o.list"
    # find's file list, vips's properties file aside, must be the same too.
    diff <(cd "$v/${name}_files" && find . -type f ! -name vips-properties.xml | sort) \
         <(cd "$o/${name}_files" && find . -type f | sort) >"$WORK/files.diff"
    if [ -s "$WORK/files.diff" ] || ! cmp -s "$WORK/v.list" "$WORK/o.list"; then
        echo "FAIL $name: tiles differ (files or pixel sizes):"
        head -5 "$WORK/files.diff"; diff "$WORK/v.list" "$WORK/o.list" | head -5
        failures=$((failures + 1)); return
    fi
    if [ ${#lossless[@]} -gt 0 ] && ! cmp -s <(png_pixels "$v/${name}_files") <(png_pixels "$o/${name}_files"); then
        echo "FAIL $name: lossless tiles' pixels differ from vips's"
        diff <(png_pixels "$v/${name}_files") <(png_pixels "$o/${name}_files") | head -5
        failures=$((failures + 1)); return
    fi
    echo "ok   $name: $(wc -l <"$WORK/o.list") tiles"
}

mkdir -p "$WORK/in"
for size in 1x1 255x255 256x256 257x1 3001x2003; do
    w=${size%x*} h=${size#*x}
    vips black "$WORK/in/$size.v" "$w" "$h" --bands 3 && vips copy "$WORK/in/$size.v" "$WORK/in/$size.png" || exit 1
    compare "s${size}_254_1" "$WORK/in/$size.png" "$WORK/in/$size.png" 254 1
    compare "s${size}_256_0" "$WORK/in/$size.png" "$WORK/in/$size.png" 256 0
done

# Pixels: noise with odd sizes at every level, PNG tiles on both sides.
vips gaussnoise "$WORK/in/noise1.v" 517 263 --mean 128 --sigma 60 &&
    vips gaussnoise "$WORK/in/noise2.v" 517 263 --mean 128 --sigma 60 &&
    vips gaussnoise "$WORK/in/noise3.v" 517 263 --mean 128 --sigma 60 &&
    vips bandjoin "$WORK/in/noise1.v $WORK/in/noise2.v $WORK/in/noise3.v" "$WORK/in/noise.v" &&
    vips cast "$WORK/in/noise.v" "$WORK/in/noise8.v" uchar &&
    vips copy "$WORK/in/noise8.v" "$WORK/in/noise.png" || exit 1
compare noise_254_1 "$WORK/in/noise.png" "$WORK/in/noise.png" 254 1 --suffix .png
compare noise_100_3 "$WORK/in/noise.png" "$WORK/in/noise.png" 100 3 --suffix .png
compare noise_255_0 "$WORK/in/noise.png" "$WORK/in/noise.png" 255 0 --suffix .png  # odd tiles: rows pair across bands
compare noise_61_2 "$WORK/in/noise.png" "$WORK/in/noise.png" 61 2 --suffix .png

# IIIF 3: vips's --layout iiif3 file names (its default tile, 512, and 256); info.json,
# vips-properties.xml and our vitrine.json aside.
for tile in 512 256; do
    v="$WORK/vips/iiif$tile" o="$WORK/ours/iiif$tile"
    opts=(); [ $tile = 256 ] && opts=(--tile-size 256)
    tile_opt=(); [ $tile = 256 ] && tile_opt=(--tile 256)
    if vips dzsave "$WORK/in/3001x2003.png" "$v" --layout iiif3 "${opts[@]}" &&
        "$VITRINE" pyramid build "$WORK/in/3001x2003.png" --format iiif3 --out "$o" "${tile_opt[@]}" 2>"$WORK/err" &&
        diff <(cd "$v" && find . -type f ! -name info.json ! -name vips-properties.xml | sort) \
             <(cd "$o" && find . -type f ! -name info.json ! -name vitrine.json | sort) >"$WORK/files.diff" &&
        cmp -s <(tile_sizes "$v") <(tile_sizes "$o"); then
        echo "ok   iiif3 tile $tile: $(tile_sizes "$o" | wc -l) tiles"
    else
        echo "FAIL iiif3 tile $tile: $(cat "$WORK/err")"; head -5 "$WORK/files.diff"; failures=$((failures + 1))
    fi
done

# 20 000 x 20 000 (geometry): the same black JPEG into both.
vips black "$WORK/in/big.v" 20000 20000 && vips copy "$WORK/in/big.v" "$WORK/in/big.jpg" && rm "$WORK/in/big.v" || exit 1
compare big_254_1 "$WORK/in/big.jpg" "$WORK/in/big.jpg" 254 1

if [ $failures -gt 0 ]; then
    echo "$failures comparison(s) with vips dzsave failed"
    exit 1
fi
echo "all pyramids match vips dzsave $(vips --version)"
