#!/usr/bin/env bash
# Nothing the program did not write is changed: every command that writes (frames,
# --audio, quilts and native pictures, canvases and previews, pyramid renders, pyramid
# builds in each format), pointed at each of its inputs (by name, by another spelling, by
# a symlink, by a hard link), at an existing file of another kind and at a folder holding
# someone's files, is refused in one line before it writes anything; no temporary is
# left behind; --force replaces a file of another kind but never an input or a folder of
# someone's files.
# usage: data_loss.sh VITRINE WORK RELIC_DIR TEST_DISPLAYS_DIR
set -u
vitrine=$1 work=$2 relic=$3 displays=$4
export VITRINE_VALIDATION=1
relic=$(cd "$relic" && pwd) displays=$(cd "$displays" && pwd) vitrine=$(cd "$(dirname "$vitrine")" && pwd)/$(basename "$vitrine")
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0

# ---- a small exhibition: a scene with hooks, a model with textures, inputs, displays ----
cp -r "$relic" relic
cat > show.lua <<'EOF'
function on_enter(state) show.log("entered " .. state) end
EOF
cat > show.scene.yaml <<'EOF'
vitrine: 1
hooks: show.lua
assets:
  vase: {gltf: relic/relic.gltf}
environment: {source: studio}
camera: cam
nodes:
  - {name: vase, model: vase}
  - name: cam
    camera: {fov: 40, orbit: {yaw: 0, pitch: 10, distance: 3, target: [0, 0.3, 0]}}
timelines: [{name: t, duration: 2}]
states: [{name: a, timeline: t}]
EOF
cat > show.inputs.yaml <<'EOF'
inputs:
  - {t: 0.1, touch: vase}
EOF
cp "$displays/lkg_small.display.yaml" lkg.display.yaml
cp "$displays/flat_planar.display.yaml" wall.display.yaml
ln -s show.scene.yaml link.png
ln show.scene.yaml hard.png
ln relic/relic.bin frame_001.png
ln relic/relic.bin seq_0001.png
python3 - <<'EOF'
import struct, zlib
def png(path, w, h):
    raw = b"".join(b"\0" + bytes(v for x in range(w) for v in ((x * 7 + y * 3) % 256, (x * y) % 256, 128)) for y in range(h))
    def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
                           chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
png("scan.png", 300, 200)
EOF
mkdir -p src && cp scan.png src/scan.png
mkdir -p existing/docs && echo "five years of work" > existing/docs/thesis.txt
mkdir -p p_files && echo "notes" > p_files/notes.txt
echo "not a picture" > victim.png
echo "not a sound" > victim.wav
echo "not a pyramid" > victim.tif
echo "not a pyramid" > victim.dzi
"$vitrine" pyramid build scan.png --format tiff --out scan.tif --quiet >/dev/null 2>&1 || { echo "setup: cannot build scan.tif"; exit 1; }
"$vitrine" pyramid build scan.png --out view.dzi --quiet >/dev/null 2>&1 || { echo "setup: cannot build view.dzi"; exit 1; }
"$vitrine" render show.scene.yaml --display lkg.display.yaml --time 0 --quilt quilt.png --quiet >/dev/null 2>&1 ||
    { echo "setup: cannot render a quilt"; exit 1; }
quilt=$(ls quilt_qs*.png)

snapshot() { find . \( -type f -o -type l \) -print0 | sort -z | xargs -0 sha256sum; find . -type d | sort; }
before=$(snapshot)

# refused TEXT COMMAND...: exit 1 or 2, one error line mentioning TEXT, and nothing changed.
refused() {
    local text=$1
    shift
    local err rc
    err=$(timeout 120 "$vitrine" "$@" 2>&1 >/dev/null)
    rc=$?
    local now
    now=$(snapshot)
    local why=""
    if [ "$rc" -ne 1 ] && [ "$rc" -ne 2 ]; then why="exit $rc"; fi
    if [ "$(printf '%s\n' "$err" | grep -c 'error:')" -ne 1 ]; then why="$why; not one error line"; fi
    if ! printf '%s\n' "$err" | grep 'error:' | grep -qF -- "$text"; then why="$why; error does not mention '$text'"; fi
    if [ "$now" != "$before" ]; then why="$why; files changed: $(diff <(echo "$before") <(echo "$now") | head -5 | tr '\n' ' ')"; fi
    if [ -n "$why" ]; then
        echo "FAIL: vitrine $*: $why"
        printf '%s\n' "$err" | sed 's/^/    /' | head -5
        failures=$((failures + 1))
        before=$(snapshot)  # judge the next case on its own
    else
        echo "ok: vitrine $* -> $(printf '%s\n' "$err" | grep 'error:' | head -1)"
    fi
}

input="is one of this run's inputs"
S=(show.scene.yaml --size 32x32 --inputs show.inputs.yaml)
# ---- render SCENE: one frame, frames, the sound ----
for out in show.scene.yaml ./show.scene.yaml "$work/show.scene.yaml" link.png hard.png show.lua show.inputs.yaml \
           relic/relic.gltf relic/relic.bin relic/vessel_basecolor.png relic/../relic/vessel_orm.png; do
    refused "$input" render "${S[@]}" --time 0 --out "$out"
done
refused "$input" render "${S[@]}" --from 0 --to 0.2 --fps 10 --out "frame_%03d.png"   # frame 1 is the model's buffer
refused "$input" render "${S[@]}" --from 0 --to 0.2 --fps 10 --out "fresh_%03d.png" --audio show.lua
refused "is not a WAV file" render "${S[@]}" --from 0 --to 0.2 --fps 10 --out "fresh_%03d.png" --audio victim.wav
refused "cannot write" render "${S[@]}" --from 0 --to 0.2 --fps 10 --out "fresh_%03d.png" --audio nowhere/sound.wav
refused "is not a PNG image" render "${S[@]}" --time 0 --out victim.png
refused "is a folder" render "${S[@]}" --time 0 --out existing
refused "empty path" render "${S[@]}" --time 0 --out ""
# ---- render MODEL: a frame, a sequence, a turnaround ----
refused "$input" render relic/relic.gltf --size 32x32 --env studio --out relic/relic.gltf
refused "$input" render relic/relic.gltf --size 32x32 --env studio --out relic/vessel_normal.png
refused "$input" render relic/relic.gltf --size 32x32 --env studio --frames 2 --out seq.png   # seq_0001.png is the buffer
refused "$input" render relic/relic.gltf --size 64x64 --env studio --turnaround 4 --out relic/plinth_basecolor.png
refused "is not a PNG image" render relic/relic.gltf --size 32x32 --env studio --out victim.png
# ---- displays: a wall's canvas and preview, a lenticular quilt and native picture ----
refused "$input" render show.scene.yaml --display wall.display.yaml --time 0 --out wall.display.yaml
refused "$input" render show.scene.yaml --display wall.display.yaml --time 0 --out show.lua
refused "$input" render show.scene.yaml --display wall.display.yaml --time 0 --preview-from 0,1.5,1 --out hard.png
refused "$input" render show.scene.yaml --display wall.display.yaml --time 0 --preview-from 0,1.5,1 --out fresh.png \
    --preview-mask relic/vessel_orm.png
refused "$input" render show.scene.yaml --display lkg.display.yaml --time 0 --out lkg.display.yaml
refused "$input" render show.scene.yaml --display lkg.display.yaml --time 0 --out relic/vessel_orm.png --interleave gpu
refused "$input" render "$quilt" --display lkg.display.yaml --out "$quilt"
refused "$input" render "$quilt" --display lkg.display.yaml --out "./$quilt"
refused "is not a PNG image" render "$quilt" --display lkg.display.yaml --out victim.png
# ---- pyramids: renders of one, builds in each format ----
refused "$input" render view.dzi --size 32x32 --reference --out view.dzi
refused "a folder this run reads" render view.dzi --size 32x32 --out view_files/0/0_0.jpeg
refused "$input" pyramid build scan.tif --format tiff --out scan.tif
refused "$input" pyramid build scan.tif --format tiff --out ./scan.tif --force
refused "is this build's source" pyramid build scan.png --format iiif3 --out scan.png --force
refused "not Deep Zoom tiles" pyramid build view_files/0/0_0.jpeg --out view.dzi --force
refused "not a IIIF pyramid" pyramid build src/scan.png --format iiif3 --out src --force
refused "not a IIIF pyramid" pyramid build scan.png --format iiif3 --out existing
refused "not a IIIF pyramid" pyramid build scan.png --format iiif3 --out existing --force
refused "not Deep Zoom tiles" pyramid build scan.png --out p.dzi --force
refused "a pyramid of this name exists" pyramid build scan.png --out view.dzi
refused "a pyramid of this name exists" pyramid build scan.png --format tiff --out scan.tif
refused "is not a TIFF pyramid" pyramid build scan.png --format tiff --out victim.tif
refused "is not a Deep Zoom descriptor" pyramid build scan.png --out victim.dzi
refused "is a folder" render view.dzi --size 32x32 --reference --out existing

# ---- what is allowed: --force replaces a file of another kind; a pyramid of ours is rebuilt ----
expect_ok() {
    if ! err=$(timeout 120 "$vitrine" "$@" 2>&1 >/dev/null); then
        echo "FAIL: vitrine $* should succeed:"; printf '%s\n' "$err" | sed 's/^/    /' | head -5
        failures=$((failures + 1))
    else
        echo "ok: vitrine $* succeeded"
    fi
}
expect_ok render "${S[@]}" --time 0 --out victim.png --force
head -c 8 victim.png | od -c | grep -q 'P   N   G' || { echo "FAIL: victim.png was not replaced by a PNG"; failures=$((failures + 1)); }
expect_ok render "${S[@]}" --time 0 --out victim.png   # a PNG is replaced without --force
expect_ok pyramid build scan.png --out view.dzi --force --quiet
expect_ok pyramid build scan.png --format iiif3 --out iiif --quiet
expect_ok pyramid build scan.png --format iiif3 --out iiif --force --quiet
expect_ok pyramid build scan.png --format tiff --out victim.tif --force --quiet
[ "$(cat existing/docs/thesis.txt)" = "five years of work" ] || { echo "FAIL: the thesis changed"; failures=$((failures + 1)); }
[ -f p_files/notes.txt ] || { echo "FAIL: p_files/notes.txt is gone"; failures=$((failures + 1)); }
leftovers=$(find . -name '*.partial*')
if [ -n "$leftovers" ]; then echo "FAIL: temporaries left behind: $leftovers"; failures=$((failures + 1)); fi

if [ "$failures" -ne 0 ]; then echo "data_loss: $failures failure(s)"; exit 1; fi
echo "data_loss: every refusal held; nothing the program did not write was changed"
