#!/usr/bin/env bash
# `vitrine run SCENE` in a window under Xvfb, driven over OSC by another program
# (`vitrine send`), edited while it runs: the state changes on /vitrine/state; a broken
# edit is reported with file:line:column and the show keeps running; the fix reloads at
# the same state; SIGTERM ends the run cleanly. Without a display, run says so and exits 3.
# usage: run_scene.sh VITRINE SCENE
set -u
vitrine=$1 scene=$2
here=$(cd "$(dirname "$0")" && pwd)
export VITRINE_VALIDATION=1

out=$(env -u DISPLAY -u WAYLAND_DISPLAY "$vitrine" run "$scene" 2>&1); rc=$?
[ $rc = 3 ] || { echo "without a display: expected exit 3, got $rc: $out"; exit 1; }
echo "$out" | grep -q "no display" || { echo "without a display: unclear message: $out"; exit 1; }

# A copy of the scene to edit: its folder holds the scene and hooks; ../assets is a link
# to the repository's assets (search roots may be links; the files stay inside them).
work=$(mktemp -d)
log=$work/run.log
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/scenes"
cp -r "$(dirname "$scene")/hooks" "$work/scenes/"
cp "$scene" "$work/scenes/show.scene.yaml"
ln -s "$(cd "$(dirname "$scene")/../assets" && pwd)" "$work/assets"
copy=$work/scenes/show.scene.yaml

wait_for() {  # PATTERN: up to 60 s
  for i in $(seq 1 300); do grep -q -- "$1" "$log" 2>/dev/null && return 0; sleep 0.2; done
  return 1
}
(
  wait_for "run: OSC control" || exit 1
  # The show picked a free port (--osc-port 0) and says which.
  port=$(sed -n 's/.*run: OSC control on 127.0.0.1:\([0-9]*\).*/\1/p' "$log" | head -1)
  # Ask for the tour until the show reports it (the window may take a while to open).
  for i in $(seq 1 60); do
    "$vitrine" send 127.0.0.1:$port /vitrine/state tour
    grep -q "run: state tour" "$log" && break
    sleep 0.5
  done
  sed -i 's/^idle_timeout: 120/idle_timout: 120/' "$copy"          # a typo
  wait_for "the last good version keeps running" || exit 1
  sed -i 's/^idle_timout: 120/idle_timeout: 120/' "$copy"          # the fix
  wait_for "run: reloaded" || exit 1
  sleep 1
  "$vitrine" send 127.0.0.1:$port /vitrine/stop_now_please        # unknown: a warning, nothing else
  sleep 1
  # A supervisor stops the kiosk: SIGTERM ends the run cleanly (exit 0).
  pid=$(sed -n 's/.* (pid \([0-9]*\)).*/\1/p' "$log" | head -1)
  [ -n "$pid" ] && kill -TERM "$pid"
) &
sender=$!
"$here/xvfb.sh" 640x360x24 "$vitrine" run "$copy" --size 320x180 --osc-port 0 --frames 100000 2>"$log"
rc=$?
wait $sender
sender_rc=$?
cat "$log"
[ $rc = 0 ] || { echo "run exited $rc"; exit 1; }
[ $sender_rc = 0 ] || { echo "the driving script timed out waiting for the show"; exit 1; }
grep -q "run: state tour" "$log" || { echo "the OSC message did not change the state"; exit 1; }
grep -q "show.scene.yaml:[0-9]*:1: unknown key 'idle_timout' at top level (did you mean 'idle_timeout'?)" "$log" ||
  { echo "the broken edit was not reported with its line and column"; exit 1; }
grep -q "run: reloaded .* state tour" "$log" || { echo "the fix did not reload in the same state"; exit 1; }
grep -q "frames presented" "$log" || { echo "no frames presented"; exit 1; }
echo "run: window opened, driven over OSC, a broken edit survived, the fix reloaded, closed cleanly"
