#!/usr/bin/env bash
# The demo show's sound, offline (the loopback device, no sound card): rendered twice in
# lockstep with the frames, the same SHA-256 both times; audible from the first second (the
# bell at 0.5 s, from the vase on the left); the WAV's channel mask for each layout; HRTF
# and a refused 6.1; a sound on a node a timeline carries from left to right crosses the
# stereo field.
# usage: audio_show.sh VITRINE REPO OUT_DIR
set -u
vitrine=$1 repo=$2 out=$3
scene=$repo/scenes/demo.scene.yaml
mkdir -p "$out"
export VITRINE_VALIDATION=1
run() { "$vitrine" "$@" --quiet || { echo "FAILED: vitrine $* (exit $?)"; exit 1; }; }

for n in 1 2; do
  run render "$scene" --from 0 --to 6 --fps 4 --size 96x54 --out "$out/f${n}_%05d.png" --audio "$out/demo_$n.wav"
done
a=$(sha256sum < "$out/demo_1.wav") b=$(sha256sum < "$out/demo_2.wav")
[ "$a" = "$b" ] || { echo "FAILED: two renders of the demo's sound differ"; exit 1; }
echo "demo sound, twice: ${a%% *}"

python3 - "$out/demo_1.wav" <<'PY' || exit 1
import math, struct, sys
d = open(sys.argv[1], 'rb').read()
assert d[:4] == b'RIFF' and d[8:12] == b'WAVE', 'not a WAV'
i, fmt, data = 12, None, None
while i + 8 <= len(d):
    cid, n = d[i:i+4], struct.unpack('<I', d[i+4:i+8])[0]
    if cid == b'fmt ': fmt = d[i+8:i+8+n]
    if cid == b'data': data = d[i+8:i+8+n]
    i += 8 + n + (n & 1)
tag, ch, rate = struct.unpack('<HHI', fmt[:8])
assert (tag, ch, rate) == (0xFFFE, 2, 48000), (tag, ch, rate)
frames = len(data) // 4
assert frames == 25 * 48000 // 4, frames  # 25 frames of 1/4 s
s = struct.unpack('<%dh' % (frames * 2), data)
def rms(ch, a, b):
    x = s[ch + 2 * int(a * rate): ch + 2 * int(b * rate): 2]
    return math.sqrt(sum(v * v for v in x) / len(x)) / 32768
first = max(rms(0, 0, 1), rms(1, 0, 1))
assert first > 10 ** (-40 / 20), 'silent in the first second: %g' % first
left, right = rms(0, 0.5, 1.5), rms(1, 0.5, 1.5)
assert left > right * 1.2, 'the bell (on the left) is not louder on the left: %g %g' % (left, right)
print('first second %.1f dBFS; bell left/right %.1f dB' % (20 * math.log10(first), 20 * math.log10(left / right)))
PY

for layout in quad 5.1 7.1 hrtf; do
  run render "$scene" --from 0 --to 1 --fps 4 --size 96x54 --out "$out/l_%05d.png" --audio "$out/$layout.wav" --audio-layout $layout
  python3 - "$out/$layout.wav" $layout <<'PY' || exit 1
import struct, sys
d = open(sys.argv[1], 'rb').read()
ch = struct.unpack('<H', d[22:24])[0]
mask = struct.unpack('<I', d[40:44])[0]
want = {'quad': (4, 0x33), '5.1': (6, 0x60F), '7.1': (8, 0x63F), 'hrtf': (2, 0x3)}[sys.argv[2]]
assert (ch, mask) == want, (sys.argv[2], ch, hex(mask))
print('%s: %d channels, mask 0x%X' % (sys.argv[2], ch, mask))
PY
done
err=$("$vitrine" render "$scene" --from 0 --to 1 --fps 4 --size 96x54 --out "$out/l_%05d.png" --audio "$out/x.wav" --audio-layout 6.1 2>&1)
[ $? -eq 1 ] && echo "$err" | grep -q "6.1" || { echo "FAILED: 6.1 was not refused: $err"; exit 1; }
# A moving source: white noise (made here, fixed seed) on a node carried from 3 m left of
# the camera to 3 m right of it in 4 s.
mkdir -p "$out/moving/sounds"
python3 - "$out/moving/sounds/noise.wav" <<'PY'
import struct, sys
rate, n, x, out = 48000, 48000 * 4, 0x9E3779B97F4A7C15, []
for i in range(n):
    x ^= (x << 13) & 0xFFFFFFFFFFFFFFFF; x ^= x >> 7; x ^= (x << 17) & 0xFFFFFFFFFFFFFFFF
    out.append(((x >> 40) & 0xFFFF) // 4 - 8192)
data = struct.pack('<%dh' % n, *out)
open(sys.argv[1], 'wb').write(b'RIFF' + struct.pack('<I', 36 + len(data)) + b'WAVEfmt ' +
    struct.pack('<IHHIIHH', 16, 1, 1, rate, rate * 2, 2, 16) + b'data' + struct.pack('<I', len(data)) + data)
PY
cat > "$out/moving/moving.scene.yaml" <<'YAML'
vitrine: 1
assets:
  noise: {audio: sounds/noise.wav}
camera: cam
nodes:
  - name: cam
    camera: {fov: 40, orbit: {yaw: 0, pitch: 0, distance: 3, target: [0, 0, 0]}}
  - name: cart
    translation: [-3, 0, 0]
    children:
      - name: hiss
        sound: {audio: noise, play: true, loop: true, distance: {model: none}}
timelines:
  - name: across
    duration: 4
    tracks:
      - target: cart.translation
        keys:
          - {t: 0, value: [-3, 0, 0]}
          - {t: 4, value: [3, 0, 0]}
states:
  - name: across
    timeline: across
YAML
run render "$out/moving/moving.scene.yaml" --from 0 --to 3.75 --fps 4 --size 64x36 --out "$out/moving/m_%05d.png" --audio "$out/moving.wav"
python3 - "$out/moving.wav" <<'PY' || exit 1
import math, struct, sys
d = open(sys.argv[1], 'rb').read()
i = 12
while i + 8 <= len(d):
    cid, n = d[i:i+4], struct.unpack('<I', d[i+4:i+8])[0]
    if cid == b'data': data = d[i+8:i+8+n]
    i += 8 + n + (n & 1)
s = struct.unpack('<%dh' % (len(data) // 2), data)
balance = []
for q in range(4):
    l = math.sqrt(sum(v * v for v in s[2 * q * 48000:2 * (q + 1) * 48000:2]) / 48000)
    r = math.sqrt(sum(v * v for v in s[2 * q * 48000 + 1:2 * (q + 1) * 48000:2]) / 48000)
    balance.append(20 * math.log10((r + 1e-9) / (l + 1e-9)))
print('moving source, right - left by second: ' + ', '.join('%.1f dB' % b for b in balance))
assert balance[0] < -6 and balance[3] > 6 and all(a < b for a, b in zip(balance, balance[1:])), balance
PY
echo "demo sound: ok"
