#!/usr/bin/env bash
# Control that must not hang the show: `/vitrine/seek` to a show whose timeline loops
# every 10 ms with a cue (100 events a second). A seek past a week is refused with a
# warning; a seek to an hour (360 000 events to replay) is done in slices while frames go
# on and lands; a seek to a week (60 million events: abandoned after 20 million) is under
# way when SIGTERM arrives, and the run ends within a second, cleanly (exit 0).
# usage: run_seek.sh VITRINE
set -u
vitrine=$1
here=$(cd "$(dirname "$0")" && pwd)
export VITRINE_VALIDATION=1
work=$(mktemp -d)
log=$work/run.log
trap 'rm -rf "$work"' EXIT
cat > "$work/seek.scene.yaml" <<'EOF'
vitrine: 1
environment: {source: studio}
camera: cam
nodes:
  - {name: box}
  - name: cam
    camera: {fov: 40, orbit: {yaw: 0, pitch: 0, distance: 3, target: [0, 0, 0]}}
timelines: [{name: t, duration: 0.01, loop: true}]
cues: [{id: "1", at: {timeline: t, t: 0}}]
states: [{name: s, timeline: t}]
EOF

wait_for() {  # PATTERN [SECONDS]: up to 60 s
  for i in $(seq 1 $((${2:-60} * 5))); do grep -q -- "$1" "$log" 2>/dev/null && return 0; sleep 0.2; done
  return 1
}
(
  wait_for "in state s (pid" || exit 1
  port=$(sed -n 's/.*run: OSC control on 127.0.0.1:\([0-9]*\).*/\1/p' "$log" | head -1)
  pid=$(sed -n 's/.* (pid \([0-9]*\)).*/\1/p' "$log" | head -1)
  give_up() { echo "$1"; kill -TERM "$pid"; exit 1; }
  "$vitrine" send 127.0.0.1:$port /vitrine/seek 10000000
  wait_for "seek: show time must be from 0 to 604800" 10 || give_up "a seek past a week was not refused"
  "$vitrine" send 127.0.0.1:$port /vitrine/seek 3600
  wait_for "run: sought to show time 36" 120 || give_up "a seek to an hour did not land"
  "$vitrine" send 127.0.0.1:$port /vitrine/seek 604800
  sleep 1  # under way: at most 8 ms of events a frame
  grep -q "run: sought to show time 6048\|seek: abandoned" "$log" && give_up "the week-long seek ended too soon to test"
  start=$(date +%s%N)
  kill -TERM "$pid"
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  ms=$((($(date +%s%N) - start) / 1000000))
  echo "SIGTERM during a seek: the run ended after $ms ms"
  [ "$ms" -lt 1500 ] || { echo "SIGTERM took more than a second during a seek"; exit 1; }
) &
sender=$!
"$here/xvfb.sh" 640x360x24 "$vitrine" run "$work/seek.scene.yaml" --size 160x90 --osc-port 0 --no-audio 2>"$log"
rc=$?
wait $sender
sender_rc=$?
cat "$log"
[ $sender_rc = 0 ] || { echo "the driving script failed"; exit 1; }
[ $rc = 0 ] || { echo "run exited $rc"; exit 1; }
echo "run_seek: far seeks refused, long ones sliced, SIGTERM honoured during a seek"
