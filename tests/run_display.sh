#!/usr/bin/env bash
# `run SCENE --display FILE` in a real window under Xvfb with validation on: an LED wall's
# canvas scaled into the window, a curved (mesh) wall warped on the GPU, a lenticular panel's
# native picture; a tracked viewer moved
# by OSC /vitrine/eye while the show runs.
# usage: run_display.sh VITRINE REPO
set -u
vitrine=$1 repo=$2
if ! command -v xvfb-run >/dev/null; then echo "skipped: xvfb-run is not installed"; exit 77; fi
scene=$repo/tests/scenes/wall.scene.yaml
run() {
  out=$(VITRINE_VALIDATION=1 timeout 240 "$repo/tests/xvfb.sh" 1024x768x24 "$vitrine" run "$@" 2>&1)
  rc=$?
  echo "$out"
  [ "$rc" -eq 0 ] || { echo "FAILED: run $* exited $rc"; exit 1; }
}
run "$scene" --display "$repo/tests/displays/corner_small.display.yaml" --size 640x240 --frames 8 --no-osc
run "$scene" --display "$repo/tests/displays/curved_small.display.yaml" --size 480x306 --frames 4 --no-osc
run "$repo/scenes/demo.scene.yaml" --display "$repo/tests/displays/lkg_small.display.yaml" --size 320x320 --frames 4 --no-osc
echo "$out" | grep -q "interleaved for the panel on the GPU" || { echo "FAILED: expected the lenticular note"; exit 1; }

# A tracked viewer: the eye follows /vitrine/eye; a bad message is refused with a warning.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
VITRINE_VALIDATION=1 timeout 240 "$repo/tests/xvfb.sh" 1024x768x24 "$vitrine" run "$scene" \
  --display "$repo/tests/displays/tracked_small.display.yaml" --size 640x240 --osc-port 0 >"$tmp/log" 2>&1 &
pid=$!
port=""
for _ in $(seq 1 600); do
  port=$(grep -o "OSC control on 127.0.0.1:[0-9]*" "$tmp/log" | grep -o "[0-9]*$")
  [ -n "$port" ] && grep -q "pid [0-9]*" "$tmp/log" && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$tmp/log"; echo "FAILED: no OSC port"; kill $pid; exit 1; }
"$vitrine" send "127.0.0.1:$port" /vitrine/eye 0.5 1.7 5.5
"$vitrine" send "127.0.0.1:$port" /vitrine/eye 1 2
sleep 1
vpid=$(grep -o "pid [0-9]*" "$tmp/log" | grep -o "[0-9]*")
kill -TERM "$vpid"
wait $pid
rc=$?
cat "$tmp/log"
[ "$rc" -eq 0 ] || { echo "FAILED: tracked run exited $rc"; exit 1; }
grep -q "eye at 0.5, 1.7, 5.5" "$tmp/log" || { echo "FAILED: the eye did not move"; exit 1; }
grep -q "/vitrine/eye needs x y z" "$tmp/log" || { echo "FAILED: a bad eye message was not refused"; exit 1; }
echo "run --display: ok"
