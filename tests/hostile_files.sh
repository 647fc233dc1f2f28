#!/usr/bin/env bash
# Hostile files through the real command line, one family per area: loaders (glTF nested
# 100 000 deep, not a glTF, a texture claiming 100 000 x 100 000 pixels, an HDR cut
# short, FIFOs, folders and /dev/zero as every kind of input), display files (a huge
# canvas, a screen past it, corners 10^12 m away, names starting with '-'), scene files
# (a NUL byte in a path, Latin-1, UTF-16, YAML nested too deep, search roots reaching /
# or /etc), pyramids (a FIFO tile, overlap past the tile size, 100 000 scale factors, a
# JPEG claiming more rows than it holds, with and without --allow-truncated), audio (a
# WAV lying about its size, 7-bit samples), and the command line (--size overflow,
# --out "", --turnaround 0, --region NaN/inf, an unknown command). Each case runs under
# `timeout`: it must end with its exit code, at most one error line, a line naming the
# file and the problem, and within a few seconds — never a crash or a hang.
# usage: hostile_files.sh VITRINE WORKDIR RELIC_GLTF [AREA...]   (areas: loaders display scene pyramid audio cli)
set -u
vitrine=$1 work=$2 relic=$3
shift 3
areas=${*:-loaders display scene pyramid audio cli}
command -v python3 >/dev/null || { echo "python3 is needed to write the hostile files"; exit 77; }
relic=$(realpath "$relic")
vitrine=$(realpath "$vitrine")
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1
export VITRINE_VALIDATION=1
failures=0
cases=0
slow=20  # seconds: any case longer than this failed (none should take more than a few)

# judge CODE FILE PROBLEM RC ELAPSED OUTPUT COMMAND...
judge() {
    local code=$1 file=$2 problem=$3 rc=$4 elapsed=$5 out=$6
    shift 6
    local why=""
    cases=$((cases + 1))
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then why="hung (killed after ${slow}s)"
    elif [ "$rc" -ge 128 ]; then why="crashed (signal $((rc - 128)))"
    elif [ "$rc" -ne "$code" ]; then why="exit $rc, expected $code"; fi
    local errors
    errors=$(printf '%s\n' "$out" | grep -c "error:")
    [ "$errors" -le 1 ] || why="$why; $errors error lines"
    if [ -n "$problem" ] && ! printf '%s\n' "$out" | grep -F -- "$file" | grep -qF -- "$problem"; then
        why="$why; no line names '$file' and '$problem'"
    fi
    [ "$elapsed" -le 10 ] || why="$why; took ${elapsed}s"
    if [ -n "$why" ]; then
        echo "FAIL: vitrine $*: $why"
        printf '%s\n' "$out" | grep -v "GPU: llvmpipe" | head -6 | sed 's/^/    /'
        failures=$((failures + 1))
    else
        echo "ok ($elapsed s): vitrine $* -> $(printf '%s\n' "$out" | grep -F -- "$file" | grep -F -- "$problem" | head -1 | cut -c1-160)"
    fi
}

# refused CODE FILE PROBLEM COMMAND...: exit CODE, one line naming FILE and PROBLEM.
refused() {
    local code=$1 file=$2 problem=$3
    shift 3
    local start=$SECONDS out rc
    out=$(timeout -k 5 "$slow" "$vitrine" "$@" 2>&1 </dev/null)
    rc=$?
    judge "$code" "$file" "$problem" "$rc" $((SECONDS - start)) "$out" "$@"
}

# accepted COMMAND...: exit 0.
accepted() {
    local start=$SECONDS out rc
    out=$(timeout -k 5 "$slow" "$vitrine" "$@" 2>&1 </dev/null)
    rc=$?
    judge 0 "" "" "$rc" $((SECONDS - start)) "$out" "$@"
}

want() { [[ " $areas " == *" $1 "* ]]; }

# ---- hostile files, written here (nothing large is committed) ----
python3 - <<'EOF'
import struct, os
deep = 100000
open('deep.gltf', 'w').write('{"asset":{"version":"2.0"},"extras":' + '[' * deep + ']' * deep + '}')
js = ('{"asset":{"version":"2.0"},"extras":' + '{"a":' * deep + '1' + '}' * deep + '}').encode()
js += b' ' * (-len(js) % 4)
open('deep.glb', 'wb').write(b'glTF' + struct.pack('<III', 2, 20 + len(js), len(js)) + b'JSON' + js)
# A texture whose PNG header claims 100 000 x 100 000 pixels.
png = b'\x89PNG\r\n\x1a\n' + struct.pack('>I', 13) + b'IHDR' + struct.pack('>II', 100000, 100000) + b'\x08\x06\0\0\0' + b'\0' * 64
open('huge.png', 'wb').write(png)
open('huge.gltf', 'w').write('{"asset":{"version":"2.0"},"images":[{"uri":"huge.png"}],"textures":[{"source":0}],'
                             '"materials":[{"pbrMetallicRoughness":{"baseColorTexture":{"index":0}}}]}')
# A Radiance HDR (run-length scanlines), whole and cut short.
w, h = 64, 32
hdr = b'#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y %d +X %d\n' % (h, w)
for y in range(h):
    hdr += bytes([2, 2, w >> 8, w & 255])
    for c in range(4):
        hdr += bytes([128 + w // 2, 100 + c if c < 3 else 129]) + bytes([w // 2]) + bytes((x * 3 + y) & 255 for x in range(w // 2))
open('env.hdr', 'wb').write(hdr)
for cut in (40, len(hdr) // 2, len(hdr) - 1):
    open('cut%d.hdr' % cut, 'wb').write(hdr[:cut])
open('cuts.txt', 'w').write(' '.join('cut%d.hdr' % c for c in (40, len(hdr) // 2, len(hdr) - 1)))
# WAVs: one whose data chunk claims 4 GB it does not hold, one of 7-bit samples.
def wav(claim, holds, bits):
    block = (bits + 7) // 8
    fmt = struct.pack('<HHIIHH', 1, 1, 8000, 8000 * block, block, bits)
    body = b'WAVE' + b'fmt ' + struct.pack('<I', 16) + fmt + b'data' + struct.pack('<I', claim) + bytes(holds)
    return b'RIFF' + struct.pack('<I', len(body)) + body
open('lies.wav', 'wb').write(wav(0xFFFFFFF0, 2000, 16))
open('bits7.wav', 'wb').write(wav(2000, 2000, 7))
open('tone.wav', 'wb').write(wav(16000, 16000, 16))
EOF

# A scene of one relic (the relic's folder is a search root) with what `extra` adds.
scene() {  # scene FILE [LINES...]
    local file=$1
    shift
    { echo "vitrine: 1"; echo "search: [$(realpath --relative-to="$(dirname "$file")" "$(dirname "$relic")")]"; printf '%s\n' "$@"; } >"$file"
}

scene s.scene.yaml "assets:" "  r: {gltf: $(basename "$relic")}" "nodes:" "  - {name: n, model: r}"

wall() {  # wall FILE CANVAS PA REGION
    printf 'canvas: %s\nviewer:\n  eye: [0, 1.6, 3]\nscreens:\n  - name: w\n    pa: %s\n    pb: [2, 0, -3]\n    pc: [-2, 2, -3]\n    region: %s\n' \
        "$2" "$3" "$4" >"$1"
}

if want loaders; then
    echo "== loaders"
    refused 1 deep.gltf "nested deeper than 256 levels" info deep.gltf
    refused 1 deep.gltf "nested deeper than 256 levels" render deep.gltf --out x.png --size 32x32
    refused 1 deep.glb "nested deeper than 256 levels" info deep.glb
    refused 1 tone.wav "not a glTF file" info tone.wav
    refused 1 tone.wav "not a glTF file" render tone.wav --out x.png --size 32x32
    refused 1 huge.gltf "image 0 ('huge.png') claims 100000 x 100000 pixels" info huge.gltf
    refused 1 huge.gltf "image 0 ('huge.png') claims 100000 x 100000 pixels" render huge.gltf --out x.png --size 32x32
    for cut in $(cat cuts.txt); do
        refused 1 "$cut" "truncated HDR image" render "$relic" --env "$cut" --out x.png --size 32x32
    done
    # FIFOs, folders and devices as every kind of input: refused at once, never read.
    mkfifo pipe.gltf pipe.hdr pipe.scene.yaml pipe.display.yaml pipe.inputs.yaml pipe.lua pipe.wav pipe.dzi pipe.jpg
    mkdir folder.gltf folder.hdr
    ln -s /dev/zero zero.gltf
    ln -s /dev/zero zero.hdr
    fifo="not a regular file (a named pipe)"
    refused 1 pipe.gltf "$fifo" render pipe.gltf --out x.png --size 32x32
    refused 1 pipe.gltf "$fifo" info pipe.gltf
    refused 1 folder.gltf "not a regular file (a folder)" info folder.gltf
    refused 1 zero.gltf "not a regular file (a character device)" info zero.gltf
    refused 1 pipe.hdr "$fifo" render "$relic" --env pipe.hdr --out x.png --size 32x32
    refused 1 folder.hdr "not a regular file (a folder)" render "$relic" --env folder.hdr --out x.png --size 32x32
    refused 1 zero.hdr "not a regular file (a character device)" render "$relic" --env zero.hdr --out x.png --size 32x32
    refused 1 pipe.scene.yaml "$fifo" check pipe.scene.yaml
    refused 1 pipe.scene.yaml "$fifo" render pipe.scene.yaml --time 0 --out x.png --size 32x32
    refused 1 pipe.display.yaml "$fifo" check pipe.display.yaml
    refused 1 pipe.display.yaml "$fifo" render "$relic" --display pipe.display.yaml --out x.png
    refused 1 pipe.inputs.yaml "$fifo" render s.scene.yaml --time 0 --inputs pipe.inputs.yaml --out x.png --size 32x32
    scene hooks.scene.yaml "hooks: pipe.lua"
    refused 1 hooks.scene.yaml "hooks path 'pipe.lua' is not a regular file (a named pipe)" check hooks.scene.yaml
    scene model.scene.yaml "assets:" "  m: {gltf: pipe.gltf}"
    refused 1 model.scene.yaml "asset path 'pipe.gltf' is not a regular file (a named pipe)" check model.scene.yaml
    scene sound.scene.yaml "assets:" "  s: {audio: pipe.wav}"
    refused 1 sound.scene.yaml "asset path 'pipe.wav' is not a regular file (a named pipe)" check sound.scene.yaml
    refused 1 pipe.dzi "$fifo" info pipe.dzi
    refused 1 pipe.jpg "$fifo" pyramid build pipe.jpg --out p.dzi
fi

if want display; then
    echo "== display files"
    wall big.display.yaml "[65536, 65536]" "[-2, 0, -3]" "[0, 0, 100, 50]"
    refused 1 big.display.yaml "the canvas is 65536 x 65536 = 4294967296 pixels, more than the 2147483648 (2^31)" check big.display.yaml
    refused 1 big.display.yaml "more than the 2147483648 (2^31)" render "$relic" --display big.display.yaml --out x.png
    wall wide.display.yaml "[100000, 10]" "[-2, 0, -3]" "[0, 0, 100, 10]"
    refused 1 wide.display.yaml "'canvas' width must be a whole number from 1 to 65536" check wide.display.yaml
    wall screen.display.yaml "[100, 50]" "[-2, 0, -3]" "[0, 0, 1000000000, 50]"
    refused 1 screen.display.yaml "reaches outside the canvas (100 x 50)" check screen.display.yaml
    wall far.display.yaml "[100, 50]" "[-1e12, 0, -3]" "[0, 0, 100, 50]"
    refused 1 far.display.yaml "must lie within 10 km of the room's origin" check far.display.yaml
    refused 1 far.display.yaml "must lie within 10 km of the room's origin" render "$relic" --display far.display.yaml --out x.png
    # Names starting with '-' are file names: accepted; one starting with "--" says how to name it.
    wall ./-x.display.yaml "[64, 32]" "[-2, 0, -3]" "[0, 0, 64, 32]"
    accepted check -x.display.yaml
    accepted check ./-x.display.yaml
    accepted render "$relic" --display -x.display.yaml --out minus.png --env studio
    accepted render "$relic" --display ./-x.display.yaml --out minus.png --env studio
    cp ./-x.display.yaml ./--x.display.yaml
    refused 2 --x.display.yaml "write ./--x.display.yaml" check --x.display.yaml
    accepted check ./--x.display.yaml
fi

if want scene; then
    echo "== scene files"
    for path in '"x\0y.gltf"' '"x\x00.gltf"'; do
        scene nul.scene.yaml "assets:" "  a: {gltf: $path}"
        refused 1 nul.scene.yaml:4:13 "asset path contains a NUL byte" check nul.scene.yaml
    done
    printf 'vitrine: 1\nassets:\n  caf\xe9: {gltf: a.gltf}\n' >latin1.scene.yaml
    refused 1 latin1.scene.yaml:3:6 "byte 0xE9 is not UTF-8" check latin1.scene.yaml
    refused 1 latin1.scene.yaml "1 problem" render latin1.scene.yaml --time 0 --out x.png --size 32x32
    printf '\xff\xfev\0i\0t\0r\0i\0n\0e\0:\0 \x001\0\n\0' >utf16.scene.yaml
    refused 1 utf16.scene.yaml:1:1 "the file is UTF-16 (little-endian, by its byte order mark)" check utf16.scene.yaml
    printf '\xfe\xff\0v\0i' >utf16be.scene.yaml
    refused 1 utf16be.scene.yaml:1:1 "UTF-16 (big-endian" check utf16be.scene.yaml
    printf 'vitrine: 1\nseed: 4\0 2\n' >nulbyte.scene.yaml
    refused 1 nulbyte.scene.yaml:2:8 "a NUL byte (0x00)" check nulbyte.scene.yaml
    python3 -c "print('vitrine: 1\nnodes: ' + '[' * 100000)" >deep.scene.yaml
    refused 1 deep.scene.yaml:2: "YAML nested deeper than 256 levels" check deep.scene.yaml
    python3 -c "print('vitrine: 1\nnodes:\n  ' + '- ' * 100000 + 'x')" >dashes.scene.yaml
    refused 1 dashes.scene.yaml:3: "YAML nested deeper than 256 levels" check dashes.scene.yaml
    python3 -c "print('- ' + '{' * 100000)" >deep.inputs.yaml
    refused 1 deep.inputs.yaml:1: "YAML nested deeper than 256 levels" render s.scene.yaml --time 0 --inputs deep.inputs.yaml --out x.png --size 32x32
    mkdir -p a/b/c
    up=$(printf '../%.0s' $(seq 1 40))
    printf 'vitrine: 1\nsearch: [%s]\nassets:\n  p: {gltf: etc/passwd}\n' "${up%/}" >a/b/c/root.scene.yaml
    refused 1 a/b/c/root.scene.yaml:2: "resolves to /, the whole file system" check a/b/c/root.scene.yaml
    printf 'vitrine: 1\nsearch: [ok, %setc]\nassets:\n  p: {gltf: passwd}\n' "$up" >a/b/c/etc.scene.yaml
    refused 1 a/b/c/etc.scene.yaml:2:14 "resolves to the system folder /etc" check a/b/c/etc.scene.yaml
fi

if want pyramid; then
    echo "== pyramids"
    "$vitrine" pyramid build procedural:pattern:600x400 --out p.dzi --tile 128 --quiet >/dev/null 2>&1 || { echo "setup: cannot build p.dzi"; exit 1; }
    top=$(ls p_files | sort -n | tail -1)
    rm "p_files/$top/1_1.jpeg" && mkfifo "p_files/$top/1_1.jpeg"
    refused 1 "p_files/$top/1_1.jpeg" "not a regular file (a named pipe)" render p.dzi --reference --out x.png --size 200x100 --region 100,100,200,100
    rm "p_files/$top/1_1.jpeg" && ln -s /dev/zero "p_files/$top/1_1.jpeg"
    refused 1 "p_files/$top/1_1.jpeg" "not a regular file (a character device)" render p.dzi --reference --out x.png --size 200x100 --region 100,100,200,100
    mkdir -p o_files
    printf '<?xml version="1.0"?><Image xmlns="http://schemas.microsoft.com/deepzoom/2008" TileSize="254" Overlap="300" Format="jpeg"><Size Width="1000" Height="800"/></Image>' >o.dzi
    refused 1 o.dzi "Overlap=300 is larger than TileSize=254" info o.dzi
    mkdir -p iiif
    python3 -c "print('{\"type\": \"ImageService3\", \"width\": 1000, \"height\": 800, \"tiles\": [{\"width\": 256, \"scaleFactors\": [' + ', '.join(['1'] * 100000) + ']}]}')" >iiif/info.json
    refused 1 iiif/info.json "lists 100000 scaleFactors; a 1000x800 image has at most 11" info iiif
    # A JPEG whose frame header claims 4000 rows and holds 255: refused, nothing left behind.
    python3 - "p_files/$top/0_0.jpeg" <<'EOF'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
i = d.find(b'\xff\xc0')
d[i + 5:i + 7] = (4000).to_bytes(2, 'big')
open('tall.jpg', 'wb').write(d)
EOF
    mkdir -p out
    refused 1 tall.jpg "truncated" pyramid build tall.jpg --out out/tall.dzi
    refused 1 tall.jpg "--allow-truncated" pyramid build tall.jpg --out out/tall.tif
    [ -z "$(ls -A out)" ] || { echo "FAIL: a refused build left $(ls -A out | tr '\n' ' ')"; failures=$((failures + 1)); }
    accepted pyramid build tall.jpg --out out/tall.dzi --allow-truncated
    [ -f out/tall.dzi ] || { echo "FAIL: --allow-truncated built nothing"; failures=$((failures + 1)); }
    head -c $(($(stat -c %s "p_files/$top/0_0.jpeg") / 2)) "p_files/$top/0_0.jpeg" >cut.jpg
    refused 1 cut.jpg "truncated" pyramid build cut.jpg --out out/cut.dzi
fi

if want audio; then
    echo "== audio"
    scene lies.scene.yaml "assets:" "  s: {audio: lies.wav}"
    refused 1 lies.wav "truncated: its data chunk claims 4294967280 bytes" check lies.scene.yaml
    scene bits.scene.yaml "assets:" "  s: {audio: bits7.wav}"
    refused 1 bits7.wav "7-bit samples" check bits.scene.yaml
    scene tone.scene.yaml "assets:" "  s: {audio: tone.wav}"
    accepted check tone.scene.yaml
fi

if want cli; then
    echo "== command line"
    refused 1 --size "each a whole number from 1 to 65536, got '4294967297x1'" render "$relic" --size 4294967297x1 --out x.png
    refused 1 --size "got '1x4294967296'" render "$relic" --size 1x4294967296 --out x.png
    refused 2 --out "an empty path names no file" render "$relic" --out ""
    refused 2 --out "an empty path names no file" pyramid build procedural:pattern:64x64 --out ""
    refused 2 --out "an empty path names no file" render p.dzi --out ""
    refused 1 --turnaround "expects a number of views from 1 to 1024" render "$relic" --turnaround 0 --out x.png
    for region in nan,0,10,10 0,0,inf,10 0,0,10,-inf 1e300,0,10,10; do
        refused 1 --region "got '$region'" render procedural:pattern:1000x1000 --reference --region "$region" --out x.png --size 32x32
    done
    refused 1 --centre "finite numbers" render procedural:pattern:1000x1000 --reference --centre nan,1 --magnification 2 --out x.png --size 32x32
    out=$(timeout 10 "$vitrine" frobnicate 2>&1); rc=$?
    cases=$((cases + 1))
    if [ "$rc" -ne 2 ] || [ "$(printf '%s\n' "$out" | wc -l)" -ne 1 ] || [[ "$out" != *"unknown command 'frobnicate'"*"--help"* ]]; then
        echo "FAIL: vitrine frobnicate: exit $rc, $(printf '%s\n' "$out" | wc -l) lines: $(printf '%s\n' "$out" | head -2)"
        failures=$((failures + 1))
    else
        echo "ok: vitrine frobnicate -> $out"
    fi
fi

echo "hostile files: $cases cases, $failures failed"
[ "$failures" -eq 0 ]
