#!/usr/bin/env bash
# `vitrine kiosk SITE` (issue 16), in a window under Xvfb, with a test-owned systemd
# notify socket (tests/notify_listen.py):
# - open hours show the site's scene, outside hours black; crossing 18:00 switches;
# - READY=1 after the first frame, then WATCHDOG=1 while frames complete, STATUS= lines;
# - VITRINE_FAULT=hang@N freezes the frame loop: the pings stop (systemd would restart it);
# - SIGHUP reloads the site file; a broken site file is refused at start (exit 1) and on
#   SIGHUP (the running show goes on);
# - `kiosk install --out` writes a Type=notify unit with the site's watchdog.
# usage: kiosk.sh VITRINE REPO
set -u
vitrine=$1 repo=$2
site=$repo/tests/sites/kiosk.site.yaml
tmp=$(mktemp -d)
listener=
trap 'kill $listener 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAILED: $*"; for f in "$tmp"/*.log; do echo "--- $f"; tail -15 "$f"; done; exit 1; }
kiosk() { "$repo/tests/xvfb.sh" 640x480x24 "$vitrine" kiosk "$@"; }

# Open and closed.
kiosk "$site" --size 96x54 --frames 10 --at 2026-12-08T11:00 >"$tmp/open.log" 2>&1 || fail "open: exit $?"
grep -q "kiosk: open: .*gallery.scene.yaml" "$tmp/open.log" || fail "open hours did not show the scene"
grep -q "kiosk: 10 frames shown" "$tmp/open.log" || fail "open: not 10 frames"
kiosk "$site" --size 96x54 --frames 10 --at 2026-12-08T19:00 >"$tmp/closed.log" 2>&1 || fail "closed: exit $?"
grep -q "kiosk: closed: black and silent" "$tmp/closed.log" || fail "outside hours was not black"
grep -q "gallery.scene.yaml" "$tmp/closed.log" && fail "outside hours loaded the scene"

# The switch at 18:00, and systemd's notify protocol.
python3 "$repo/tests/notify_listen.py" "$tmp/notify.sock" "$tmp/notify.txt" &
listener=$!
for i in $(seq 50); do [ -S "$tmp/notify.sock" ] && break; sleep 0.1; done
NOTIFY_SOCKET=$tmp/notify.sock WATCHDOG_USEC=400000 timeout 120 "$repo/tests/xvfb.sh" 640x480x24 "$vitrine" kiosk "$site" \
  --size 96x54 --at 2026-12-08T17:59:57 >"$tmp/switch.log" 2>&1 &
pid=$!
for i in $(seq 600); do grep -q "kiosk: closed: black" "$tmp/switch.log" && break; sleep 0.1; done
# A ping every 0.1 s while frames complete (WatchdogSec/4): wait for a few, however slow
# the machine draws.
for i in $(seq 600); do [ "$(grep -c " WATCHDOG=1$" "$tmp/notify.txt")" -ge 5 ] && break; sleep 0.1; done
sleep 0.5
pkill -TERM -f "^$vitrine kiosk $site --size 96x54 --at 2026-12-08T17:59:57"
wait $pid
rc=$?
[ $rc = 0 ] || fail "switch: exit $rc after SIGTERM"
grep -q "kiosk: open: " "$tmp/switch.log" || fail "switch: not open at 17:59:57"
grep -q "kiosk: closed: black" "$tmp/switch.log" || fail "switch: not closed after 18:00"
sleep 0.3
head -1 "$tmp/notify.txt" | grep -q " READY=1$" || fail "notify: the first message is not READY=1: $(head -1 "$tmp/notify.txt")"
pings=$(grep -c " WATCHDOG=1$" "$tmp/notify.txt")
[ "$pings" -ge 5 ] || fail "notify: only $pings watchdog pings"
grep -q " STATUS=open, state .*, show time .* fps$" "$tmp/notify.txt" || fail "notify: no STATUS line"
grep -q " STOPPING=1$" "$tmp/notify.txt" || fail "notify: no STOPPING=1 at the end"
echo "notify: READY, $pings watchdog pings, STATUS, STOPPING"

# A frozen frame loop stops the pings.
: >"$tmp/notify.txt"
NOTIFY_SOCKET=$tmp/notify.sock WATCHDOG_USEC=400000 VITRINE_FAULT=hang@10 timeout 120 "$repo/tests/xvfb.sh" 640x480x24 \
  "$vitrine" kiosk "$site" --size 96x54 --at 2026-12-08T11:00 >"$tmp/hang.log" 2>&1 &
pid=$!
for i in $(seq 600); do grep -q "the frame loop stops here" "$tmp/hang.log" && break; sleep 0.1; done
grep -q "the frame loop stops here" "$tmp/hang.log" || fail "hang: the fault did not fire"
before=$(grep -c " WATCHDOG=1$" "$tmp/notify.txt")
sleep 1.5
after=$(grep -c " WATCHDOG=1$" "$tmp/notify.txt")
pkill -TERM -f "^$vitrine kiosk $site --size 96x54 --at 2026-12-08T11:00"
wait $pid
[ "$before" -ge 1 ] || fail "hang: no pings before the fault"
[ "$after" = "$before" ] || fail "hang: $((after - before)) pings after the loop froze"
echo "hang: $before pings, then none for 1.5 s"

# SIGHUP reloads the site file; a broken one is refused and the show goes on.
mkdir -p "$tmp/copy/tests/sites"  # a copy of the site to break, its scene's assets where it looks for them
ln -s "$repo/assets" "$tmp/copy/assets"
cp "$repo/tests/sites/kiosk.site.yaml" "$repo/tests/sites/gallery.scene.yaml" "$tmp/copy/tests/sites/"
timeout 120 "$repo/tests/xvfb.sh" 640x480x24 "$vitrine" kiosk "$tmp/copy/tests/sites/kiosk.site.yaml" --size 96x54 --at 2026-12-08T11:00 \
  >"$tmp/hup.log" 2>&1 &
pid=$!
for i in $(seq 600); do grep -q "first frame is on screen" "$tmp/hup.log" && break; sleep 0.1; done
pkill -HUP -f "^$vitrine kiosk $tmp/copy/tests/sites/kiosk.site.yaml"
for i in $(seq 100); do grep -q "SIGHUP: reloading" "$tmp/hup.log" && break; sleep 0.1; done
echo "hours: {monday: 25:00}" >>"$tmp/copy/tests/sites/kiosk.site.yaml"
pkill -HUP -f "^$vitrine kiosk $tmp/copy/tests/sites/kiosk.site.yaml"
for i in $(seq 100); do grep -q "the running show goes on" "$tmp/hup.log" && break; sleep 0.1; done
sleep 0.5
pkill -TERM -f "^$vitrine kiosk $tmp/copy/tests/sites/kiosk.site.yaml"
wait $pid
rc=$?
[ $rc = 0 ] || fail "hup: exit $rc"
grep -q "SIGHUP: reloading" "$tmp/hup.log" || fail "SIGHUP did not reload"
grep -q "problem(s); the running show goes on" "$tmp/hup.log" || fail "a broken site on SIGHUP was not refused"
"$vitrine" kiosk "$tmp/copy/tests/sites/kiosk.site.yaml" >"$tmp/bad.log" 2>&1
rc=$?
[ $rc = 1 ] || fail "a broken site file: exit $rc, not 1"
grep -q "the kiosk does not start" "$tmp/bad.log" || fail "a broken site file: no error line"

# The systemd unit.
"$vitrine" kiosk install "$site" --out "$tmp/unit.service" >"$tmp/install.log" 2>&1 || fail "install: exit $?"
for line in "Type=notify" "WatchdogSec=2" "Restart=always" "ExecStart=.* kiosk $site" "ExecReload=/bin/kill -HUP \$MAINPID"; do
  grep -q "^$line$" "$tmp/unit.service" || fail "install: no '$line' in the unit"
done
grep -q "enable --now unit.service" "$tmp/install.log" || fail "install: does not say how to enable it"
"$vitrine" kiosk install "$site" --out "$tmp/unit.service" >"$tmp/install.log" 2>&1 || fail "install over its own unit: exit $?"
# Never over the site, its scene, or a file that is not a unit (without --force).
cp "$repo/tests/sites/kiosk.site.yaml" "$tmp/copy/tests/sites/kiosk.site.yaml"
before=$(md5sum <"$tmp/copy/tests/sites/kiosk.site.yaml")
"$vitrine" kiosk install "$tmp/copy/tests/sites/kiosk.site.yaml" --out "$tmp/copy/tests/sites/kiosk.site.yaml" --force \
  >"$tmp/over.log" 2>&1 && fail "install wrote over its site file"
grep -q "kiosk.site.yaml: is one of this run.s inputs; refusing to write a systemd unit over it" "$tmp/over.log" || fail "install over the site: $(cat "$tmp/over.log")"
"$vitrine" kiosk install "$tmp/copy/tests/sites/kiosk.site.yaml" --out "$tmp/copy/tests/sites/gallery.scene.yaml" \
  >"$tmp/over.log" 2>&1 && fail "install wrote over the scene"
[ "$(md5sum <"$tmp/copy/tests/sites/kiosk.site.yaml")" = "$before" ] || fail "the site file changed"
echo "notes" >"$tmp/notes.txt"
"$vitrine" kiosk install "$site" --out "$tmp/notes.txt" >"$tmp/over.log" 2>&1 && fail "install replaced a text file"
grep -q "notes" "$tmp/notes.txt" || fail "install replaced a text file"
echo "kiosk: ok"
