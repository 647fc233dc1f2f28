#!/usr/bin/env bash
# The kiosk's metrics page (session/metrics.h), end to end, in a window under Xvfb:
# - open hours: `kiosk --metrics-port 0` logs the port it took; /metrics, fetched with
#   python3's urllib while the kiosk runs, counts frames (and goes on counting), names the
#   show's state as a label, holds resident memory and HELP/TYPE for every sample; other
#   paths are 404; SIGTERM still ends the kiosk with exit 0 (validation on);
# - outside hours (black): state "closed", vitrine_open 0;
# - a port already taken: one error line, and the show goes on without its page.
# usage: metrics.sh VITRINE REPO
set -u
vitrine=$1 repo=$2
tmp=$(mktemp -d)
pid= holder=
trap 'kill $pid $holder 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAILED: $*"; for f in "$tmp"/*.log; do echo "--- $f"; tail -15 "$f"; done; exit 1; }
export VITRINE_VALIDATION=1

# The kiosk tests' site, its gallery given a state to name (its assets where it looks).
mkdir -p "$tmp/copy/tests/sites"
ln -s "$repo/assets" "$tmp/copy/assets"
cp "$repo/tests/sites/kiosk.site.yaml" "$repo/tests/sites/gallery.scene.yaml" "$tmp/copy/tests/sites/"
printf 'states:\n  - name: welcome\n' >>"$tmp/copy/tests/sites/gallery.scene.yaml"
site=$tmp/copy/tests/sites/kiosk.site.yaml

# Fetches the page until it has counted `min` frames (60 s at most), checks it, and prints
# "FRAMES STATE OPEN". usage: scrape URL MIN
scrape() {
  python3 - "$@" <<'EOF'
import re, sys, time, urllib.error, urllib.request
url, least = sys.argv[1], int(sys.argv[2])
deadline = time.time() + 60
while True:
    with urllib.request.urlopen(url, timeout=5) as r:
        kind = r.headers.get("Content-Type", "")
        text = r.read().decode()
    samples, typed, helped = {}, set(), set()
    for line in text.splitlines():
        if line.startswith("# HELP "): helped.add(line.split()[2])
        elif line.startswith("# TYPE "): typed.add(line.split()[2])
        elif line:
            key, value = line.rsplit(" ", 1)
            family = key.split("{")[0]
            if family not in typed or family not in helped: sys.exit("no HELP/TYPE before: " + line)
            samples[key] = float(value)
    frames = samples.get("vitrine_frames_shown_total", 0)
    if frames >= least or time.time() > deadline: break
    time.sleep(0.2)
if not kind.startswith("text/plain; version=0.0.4"): sys.exit("Content-Type: " + kind)
if frames < least: sys.exit("only %d frames counted:\n%s" % (frames, text))
states = [re.fullmatch(r'vitrine_state\{state="(.*)"\}', k).group(1) for k in samples if k.startswith("vitrine_state{")]
if len(states) != 1: sys.exit("not one state label:\n" + text)
if samples.get("vitrine_resident_memory_bytes", 0) <= 0: sys.exit("no resident memory:\n" + text)
if samples.get("vitrine_uptime_seconds", 0) <= 0: sys.exit("no uptime:\n" + text)
try:
    urllib.request.urlopen(url.replace("/metrics", "/nothing"), timeout=5)
    sys.exit("/nothing answered")
except urllib.error.HTTPError as e:
    if e.code != 404: sys.exit("/nothing: %d, not 404" % e.code)
print("%d %s %d" % (frames, states[0], samples["vitrine_open"]))
EOF
}

# Starts the kiosk at local time $1 with the page on any free port; sets pid, kpid, url.
start() {
  timeout 120 "$repo/tests/xvfb.sh" 640x480x24 "$vitrine" kiosk "$site" --size 160x90 --metrics-port 0 --at "$1" \
    >"$tmp/$2.log" 2>&1 &
  pid=$!
  for i in $(seq 600); do grep -q "first frame is on screen" "$tmp/$2.log" && break; sleep 0.1; done
  url=$(grep -o "metrics on http://127.0.0.1:[0-9]*/metrics" "$tmp/$2.log" | cut -d' ' -f3)
  kpid=$(grep -o "first frame is on screen (pid [0-9]*)" "$tmp/$2.log" | grep -o "[0-9]*")
  [ -n "$url" ] || fail "$2: no 'metrics on' line"
  [ -n "$kpid" ] || fail "$2: no first frame"
}
stop() {
  kill -TERM "$kpid"
  wait $pid
  rc=$?
  pid=
  [ $rc = 0 ] || fail "$1: exit $rc after SIGTERM"
}

start 2026-12-08T11:00 open
first=$(scrape "$url" 1) || fail "open: $first"
later=$(scrape "$url" $((${first%% *} + 5))) || fail "open, later: $later"
stop open
set -- $first
[ "$2" = welcome ] && [ "$3" = 1 ] || fail "open: state $2, open $3"
echo "open: $url: frames ${first%% *} then ${later%% *}, state $2"

start 2026-12-08T19:00 closed
closed=$(scrape "$url" 3) || fail "closed: $closed"
stop closed
set -- $closed
[ "$2" = closed ] && [ "$3" = 0 ] || fail "outside hours: state $2, open $3"
echo "closed: frames $1, state $2"

# A port someone else holds: one error line naming it, and the kiosk runs its frames.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); time.sleep(120)' "$port" &
holder=$!
for i in $(seq 50); do python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])))' "$port" 2>/dev/null && break; sleep 0.1; done
timeout 120 "$repo/tests/xvfb.sh" 640x480x24 "$vitrine" kiosk "$site" --size 160x90 --metrics-port "$port" --frames 5 \
  --at 2026-12-08T11:00 >"$tmp/taken.log" 2>&1 || fail "port taken: exit $?"
grep -q "error: metrics: cannot listen on 127.0.0.1:$port: the port is taken" "$tmp/taken.log" || fail "port taken: no error line"
grep -q "kiosk: 5 frames shown" "$tmp/taken.log" || fail "port taken: the show did not go on"
echo "port $port taken: one error line, 5 frames shown"
echo "metrics: ok"
