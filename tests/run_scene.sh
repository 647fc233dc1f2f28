#!/usr/bin/env bash
# `vitrine run SCENE` in a window under Xvfb, driven over OSC by another program
# (`vitrine send`): the state changes on /vitrine/state, and the run ends cleanly.
# Without a display, run says so and exits 3.
# usage: run_scene.sh VITRINE SCENE
set -u
vitrine=$1 scene=$2
here=$(cd "$(dirname "$0")" && pwd)
export VITRINE_VALIDATION=1

out=$(env -u DISPLAY -u WAYLAND_DISPLAY "$vitrine" run "$scene" 2>&1); rc=$?
[ $rc = 3 ] || { echo "without a display: expected exit 3, got $rc: $out"; exit 1; }
echo "$out" | grep -q "no display" || { echo "without a display: unclear message: $out"; exit 1; }

port=$((20000 + RANDOM % 20000))
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# The sender keeps asking for the tour until the show reports it (the window may take
# a while to open on a CPU renderer), then asks for its status once more.
(
  for i in $(seq 1 120); do
    sleep 0.5
    grep -q "run: OSC control" "$log" 2>/dev/null || continue
    "$vitrine" send 127.0.0.1:$port /vitrine/state tour
    grep -q "run: state tour" "$log" && break
  done
) &
sender=$!
"$here/xvfb.sh" 640x360x24 "$vitrine" run "$scene" --size 320x180 --osc-port $port --frames 150 2>"$log"
rc=$?
wait $sender
cat "$log"
[ $rc = 0 ] || { echo "run exited $rc"; exit 1; }
grep -q "run: state tour" "$log" || { echo "the OSC message did not change the state"; exit 1; }
grep -q "frames presented" "$log" || { echo "no frames presented"; exit 1; }
echo "run: window opened, driven over OSC, closed cleanly"
