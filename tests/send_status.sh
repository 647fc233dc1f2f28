#!/usr/bin/env bash
# `vitrine send` reads a running show's status: `vitrine run` under Xvfb with OSC on a
# free port; `send /vitrine/status` prints the reply as one line, ADDRESS ARGS... (the
# state, the show time, the cue, the sound), before and after `send /vitrine/state`
# (which waits for nothing and prints nothing). A status request to a port that does
# not answer is one error line naming HOST:PORT, exit 1, after --wait; to a closed port,
# at once. `send --help` answers from the usage table.
# usage: send_status.sh VITRINE
set -u
vitrine=$1
here=$(cd "$(dirname "$0")" && pwd)
export VITRINE_VALIDATION=1
work=$(mktemp -d)
log=$work/run.log
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

help=$("$vitrine" send --help); rc=$?
[ $rc = 0 ] && [[ "$help" == *"--wait MS"* ]] || fail "send --help: exit $rc, $help"

# A port that listens but never answers (python holds it), and one that nothing holds.
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True); time.sleep(60)' >"$work/silent.port" &
silent_pid=$!
for i in $(seq 1 50); do [ -s "$work/silent.port" ] && break; sleep 0.1; done
silent=$(cat "$work/silent.port")
closed=$(python3 -c '
import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

start=$(date +%s%N)
out=$("$vitrine" send --wait 300 127.0.0.1:$silent /vitrine/status 2>"$work/err"); rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
err=$(cat "$work/err")
echo "silent port: exit $rc after $ms ms: $err"
[ $rc = 1 ] || fail "no reply: expected exit 1, got $rc"
[ -z "$out" ] || fail "no reply: printed '$out'"
[ "$(grep -c 'error:' "$work/err")" = 1 ] && [[ "$err" == *"127.0.0.1:$silent"*"300 ms"* ]] ||
  fail "no reply: expected one error line naming 127.0.0.1:$silent and the wait"
[ $ms -ge 290 ] && [ $ms -lt 3000 ] || fail "no reply: --wait 300 took $ms ms"
out=$("$vitrine" send 127.0.0.1:$silent /vitrine/go 2>&1); rc=$?
[ $rc = 0 ] && [ -z "$out" ] || fail "/vitrine/go waits for nothing: exit $rc, '$out'"
kill $silent_pid 2>/dev/null

out=$("$vitrine" send 127.0.0.1:$closed /vitrine/status 2>"$work/err"); rc=$?
err=$(cat "$work/err")
echo "closed port: exit $rc: $err"
[ $rc = 1 ] && [ "$(grep -c 'error:' "$work/err")" = 1 ] && [[ "$err" == *"127.0.0.1:$closed"* ]] ||
  fail "closed port: expected exit 1 and one error line naming 127.0.0.1:$closed"

cat > "$work/status.scene.yaml" <<'EOF'
vitrine: 1
environment: {source: studio}
camera: cam
nodes:
  - {name: box}
  - name: cam
    camera: {fov: 40, orbit: {yaw: 0, pitch: 0, distance: 3, target: [0, 0, 0]}}
timelines: [{name: loop, duration: 10, loop: true}]
states:
  - {name: attract, timeline: loop, transitions: [{touch: any, to: tour}]}
  - {name: tour, timeline: loop}
EOF

wait_for() {  # PATTERN: up to 60 s, while the show runs
  for i in $(seq 1 300); do
    grep -q -- "$1" "$log" 2>/dev/null && return 0
    [ -e "$work/run.done" ] && return 1
    sleep 0.2
  done
  return 1
}
(
  wait_for "in state attract (pid" || exit 1
  port=$(sed -n 's/.*run: OSC control on 127.0.0.1:\([0-9]*\).*/\1/p' "$log" | head -1)
  pid=$(sed -n 's/.* (pid \([0-9]*\)).*/\1/p' "$log" | head -1)
  status() { "$vitrine" send 127.0.0.1:$port /vitrine/status 2>>"$work/send.err"; }
  first=""
  for i in $(seq 1 60); do first=$(status) && break; sleep 0.5; done
  echo "status: $first"
  echo "$first" >"$work/first"
  out=$("$vitrine" send 127.0.0.1:$port /vitrine/state tour); rc=$?
  [ $rc = 0 ] && [ -z "$out" ] || echo "state tour: exit $rc, printed '$out'" >"$work/state.err"
  second=""
  for i in $(seq 1 40); do
    second=$(status)
    [[ "$second" == "/vitrine/status tour "* ]] && break
    sleep 0.25
  done
  echo "status: $second"
  echo "$second" >"$work/second"
  kill -TERM "$pid"
) &
driver=$!
"$here/xvfb.sh" 640x360x24 "$vitrine" run "$work/status.scene.yaml" --size 160x90 --osc-port 0 --no-audio 2>"$log"
rc=$?
touch "$work/run.done"
wait $driver
cat "$log"
[ $rc = 0 ] || fail "run exited $rc"
[ -f "$work/state.err" ] && fail "$(cat "$work/state.err")"
first=$(cat "$work/first" 2>/dev/null) second=$(cat "$work/second" 2>/dev/null)
# STATE TIME CUE SOUND: no cue is "", the sound's words are quoted together.
re='^/vitrine/status ([a-z]+) ([0-9.]+) "" "audio off"$'
[[ "$first" =~ $re ]] && [ "${BASH_REMATCH[1]}" = attract ] || fail "first status: '$first'"
t1=${BASH_REMATCH[2]:-0}
[[ "$second" =~ $re ]] && [ "${BASH_REMATCH[1]}" = tour ] || fail "status after /vitrine/state tour: '$second'"
t2=${BASH_REMATCH[2]:-0}
awk -v a="$t1" -v b="$t2" 'BEGIN { exit !(b > a) }' || fail "show time did not advance: $t1 then $t2"
[ -s "$work/send.err" ] && echo "send while the window opened: $(sort -u "$work/send.err")"
[ $failures = 0 ] || exit 1
echo "send: status read from a running show ($first; then $second); no reply is one error line"
