#!/usr/bin/env bash
# The technician's status panel in `vitrine run`, driven as a technician would: the demo
# in a window under Xvfb with `--record`, the key I pressed with xdotool (real X input) once
# frames are on screen — the panel appears over the picture's top left (state, show time,
# frame times, ...) — then `vitrine send /vitrine/panel off` over OSC, and it is gone.
# Read from the recorded frames: the panel's box is darker than the picture without it.
# usage: run_panel.sh VITRINE REPO
set -u
vitrine=$1 repo=$2
command -v xdotool >/dev/null || { echo "skipped: xdotool is missing (tools/install-deps.sh installs it)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAILED: $*"; tail -20 "$tmp/run.log"; exit 1; }
export VITRINE_VALIDATION=1

cat >"$tmp/drive.sh" <<'EOS'
#!/usr/bin/env bash
# Inside the X server: run the show, press I after frame 10, turn the panel off over OSC
# after frame 70.
vitrine=$1 repo=$2 tmp=$3
"$vitrine" run "$repo/scenes/demo.scene.yaml" --size 320x180 --osc-port 0 --no-audio --frames 130 \
  --record "$tmp/rec" >"$tmp/run.log" 2>&1 &
pid=$!
frame() { for i in $(seq 1200); do [ -f "$tmp/rec/frame_$1.png" ] && return 0; kill -0 $pid 2>/dev/null || return 1; sleep 0.1; done; return 1; }
frame 0010 || { echo "no frame 10"; exit 1; }
wid=$(xdotool search --sync --name "Vitrine" | head -1)
xdotool windowfocus --sync "$wid" && xdotool key --window "$wid" i || echo "xdotool failed"
echo "pressed I at $(ls "$tmp/rec" | wc -l) frames"
frame 0070 || { echo "no frame 70"; exit 1; }
port=$(sed -n 's/.*run: OSC control on 127.0.0.1:\([0-9]*\).*/\1/p' "$tmp/run.log" | head -1)
"$vitrine" send 127.0.0.1:$port /vitrine/panel off
echo "sent /vitrine/panel off at $(ls "$tmp/rec" | wc -l) frames"
wait $pid
EOS
chmod +x "$tmp/drive.sh"
timeout 300 "$repo/tests/xvfb.sh" 640x480x24 "$tmp/drive.sh" "$vitrine" "$repo" "$tmp"
rc=$?
[ $rc = 0 ] || fail "the run: exit $rc"

# In each frame's top left tenth (the panel's box): the share of pixels darker than 0.4
# of white — the panel's translucent black box (about 0.34 over the studio); the studio
# behind it (0.5 .. 0.7 there) has none.
python3 - "$repo/tests" "$tmp/rec" >"$tmp/levels.txt" <<'EOP' || fail "cannot read the recorded frames"
import os, sys
sys.path.insert(0, sys.argv[1])
from png_rows import read
def level(path):
    w, h, bpp, rows = read(path, max_rows=None)
    dark = count = 0
    for line in rows[:h // 10]:
        for x in range(w // 4):
            dark += sum(line[x * bpp:x * bpp + 3]) < 3 * 100; count += 1
    return dark / count
sys.argv = sys.argv[1:]
folder = sys.argv[1]
for name in sorted(os.listdir(folder)):
    print(name, round(level(os.path.join(folder, name)), 3))
EOP
level() { awk -v f="frame_$1.png" '$1 == f {print $2}' "$tmp/levels.txt"; }
before=$(level 0005) during=$(level 0060) after=$(level 0129)
echo "dark share of the panel's box: frame 5 $before, frame 60 $during (after I), frame 129 $after (after /vitrine/panel off)"
[ -n "$before" ] && [ -n "$during" ] && [ -n "$after" ] || fail "frames missing"
awk -v b="$before" -v d="$during" -v a="$after" 'BEGIN { exit !(b < 0.1 && d > 0.5 && a < 0.1) }' ||
  fail "the panel did not come with I and go with /vitrine/panel off"
echo "run_panel: ok"
