#!/usr/bin/env bash
# The editor as a curator drives it: `vitrine edit` on a copy of the demo under Xvfb at
# 1280x720, stopped at show time 3 (--time), real X input from xdotool: click the vase,
# turn it 30 degrees with the gizmo (E), drag its red (x) arrow to the left (W), click the
# first key of sweep.translation on the timeline and press "Key at playhead", drag the
# jade asset from the outliner onto the floor; a control desk changes cue 2's pre-wait
# over OSC (/vitrine/edit); Ctrl+S saves, Esc quits. Then:
#  - the saved file equals what the same edits give headless (edit --script), and only
#    those lines changed (SCENE~ is the original);
#  - the picture outside the panels, before any edit, equals `render --time 3` at the
#    same size, pixel for pixel.
# usage: edit_window.sh VITRINE REPO
set -u
vitrine=$1 repo=$2
command -v xdotool >/dev/null || { echo "skipped: xdotool is missing (tools/install-deps.sh installs it)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAILED: $*"; tail -20 "$tmp/edit.log"; exit 1; }
export VITRINE_VALIDATION=1
mkdir -p "$tmp/ui" "$tmp/script"
for d in ui script; do cp -r "$repo/scenes" "$tmp/$d/scenes"; ln -s "$repo/assets" "$tmp/$d/assets"; done

cat >"$tmp/drive.sh" <<'EOS'
#!/usr/bin/env bash
vitrine=$1 tmp=$2
cd "$tmp/ui"
"$vitrine" edit scenes/demo.scene.yaml --size 1280x720 --time 3 --osc-port 0 --no-audio --frames 2000 \
  --record "$tmp/rec" >"$tmp/edit.log" 2>&1 &
pid=$!
count() { ls "$tmp/rec" 2>/dev/null | wc -l; }
# Waits until `n` more frames were shown (the editor has taken what came before).
settle() { local want=$(( $(count) + ${1:-4} )); for i in $(seq 600); do [ "$(count)" -ge $want ] && return 0; kill -0 $pid 2>/dev/null || return 1; sleep 0.1; done; return 1; }
for i in $(seq 1200); do [ "$(count)" -ge 8 ] && break; kill -0 $pid 2>/dev/null || { echo "the editor ended"; exit 1; }; sleep 0.1; done
wid=$(xdotool search --sync --name "Vitrine" | head -1)
xdotool windowfocus --sync "$wid"
cp "$tmp/rec/frame_0005.png" "$tmp/before.png"
xdotool mousemove --window "$wid" 340 330 click 1; settle
# E: the gizmo turns; the green (y) handle dragged 60 px up is 30 degrees (15-degree steps).
xdotool key --window "$wid" e; settle 2
xdotool mousemove --window "$wid" 356 390; settle 2
xdotool mousedown 1; settle 2
for y in 380 370 360 350 340 330; do xdotool mousemove --window "$wid" 356 $y; settle 2; done
xdotool mouseup 1; settle
# W: it moves again; the red (x) handle dragged 100 px left.
xdotool key --window "$wid" w; settle 2
xdotool mousemove --window "$wid" 470 485; settle 2
xdotool mousedown 1; settle 2
for x in 450 430 410 390 370; do xdotool mousemove --window "$wid" $x 487; settle 2; done
xdotool mouseup 1; settle
xdotool mousemove --window "$wid" 178 617 click 1; settle
xdotool mousemove --window "$wid" 315 675 click 1; settle
# The jade asset dragged from the outliner onto the floor in the picture: a new instance there.
xdotool mousemove --window "$wid" 30 360; settle 2
xdotool mousedown 1; settle 2
for p in "60 370" "200 400" "400 450" "500 470" "520 480"; do xdotool mousemove --window "$wid" $p; settle 2; done
xdotool mouseup 1; settle
port=$(sed -n 's/.*run: OSC control on 127.0.0.1:\([0-9]*\).*/\1/p' "$tmp/edit.log" | head -1)
"$vitrine" send --wait 20000 127.0.0.1:$port /vitrine/edit "cue set 2 prewait 0.5" >"$tmp/reply.txt"
settle
xdotool key --window "$wid" ctrl+s; settle
xdotool key --window "$wid" Escape
wait $pid
EOS
chmod +x "$tmp/drive.sh"
timeout 500 "$repo/tests/xvfb.sh" 1280x720x24 "$tmp/drive.sh" "$vitrine" "$tmp"
rc=$?
[ $rc = 0 ] || fail "the editor: exit $rc"
grep -q "ok" "$tmp/reply.txt" || fail "OSC /vitrine/edit replied: $(cat "$tmp/reply.txt")"
echo "OSC /vitrine/edit replied: $(cat "$tmp/reply.txt")"

# The same edits, headless.
cat >"$tmp/script/EDITS.txt" <<'EOT'
turn vase 0 30 0
move vase -0.18 0 0
key add attract sweep.translation 3 [-1, 1.5, 1.2]
node add model jade jade at -0.25 0 0
cue set 2 prewait 0.5
EOT
(cd "$tmp/script" && "$vitrine" edit scenes/demo.scene.yaml --script EDITS.txt --save) || fail "the headless edits"
echo "--- what the window saved:"
diff "$tmp/ui/scenes/demo.scene.yaml~" "$tmp/ui/scenes/demo.scene.yaml"
cmp "$tmp/ui/scenes/demo.scene.yaml~" "$repo/scenes/demo.scene.yaml" || fail "SCENE~ is not the original"
cmp "$tmp/ui/scenes/demo.scene.yaml" "$tmp/script/scenes/demo.scene.yaml" ||
  { diff "$tmp/ui/scenes/demo.scene.yaml" "$tmp/script/scenes/demo.scene.yaml"; fail "the window's file differs from the headless one"; }
changed=$(diff "$tmp/ui/scenes/demo.scene.yaml~" "$tmp/ui/scenes/demo.scene.yaml" | grep -c '^[<>]')
[ "$changed" = 8 ] || fail "expected 8 diff lines (the translation changed: 2; a rotation, a key and a pre-wait added: 3; the new node's 3), got $changed"

# The viewport outside the panels: the frame render --time gives.
"$vitrine" render "$repo/scenes/demo.scene.yaml" --time 3 --size 1280x720 --out "$tmp/render.png" >/dev/null 2>&1 ||
  "$vitrine" render "$repo/scenes/demo.scene.yaml" --time 3 --size 1280x720 --out "$tmp/render.png" >/dev/null 2>&1 ||
  fail "render --time 3"
python3 - "$repo/tests" "$tmp/before.png" "$tmp/render.png" <<'EOP' || fail "the viewport differs from render --time 3"
import sys
sys.path.insert(0, sys.argv[1])
from png_rows import read
sys.argv = sys.argv[1:]
w, h, ba, A = read(sys.argv[1]); w2, h2, bb, B = read(sys.argv[2])
assert (w, h) == (w2, h2) == (1280, 720), (w, h, w2, h2)
# Between the panels at their first places: x 252..958 (outliner 250 px, inspector from
# 960), y 24..508 (below the menu bar, above the timeline at 510).
worst = 0; count = 0
for y in range(24, 508):
    for x in range(252, 958):
        d = max(abs(A[y][x * ba + c] - B[y][x * bb + c]) for c in range(3)); worst = max(worst, d); count += 1
print("viewport %d pixels: largest difference %d (of 255)" % (count, worst))
sys.exit(0 if worst <= 1 else 1)
EOP
echo "edit_window: ok"
