#!/usr/bin/env bash
# A long job is not a hang: a render of ten thousand frames stops within a second of
# SIGINT or SIGTERM, exits 130 with one line, keeps every finished frame whole (each PNG
# ends with its IEND chunk) and leaves no temporary file.
# usage: render_interrupt.sh VITRINE SCENE WORK
set -u
vitrine=$1 scene=$2 work=$3
export VITRINE_VALIDATION=1
failures=0
for sig in INT TERM; do
    dir=$work/$sig
    rm -rf "$dir" && mkdir -p "$dir"
    "$vitrine" render "$scene" --from 0 --to 1000 --fps 10 --size 64x36 --out "$dir/%05d.png" 2>"$dir.log" &
    pid=$!
    for _ in $(seq 1 600); do  # until a few frames are written (at most a minute)
        [ "$(find "$dir" -name '*.png' | wc -l)" -ge 3 ] && break
        sleep 0.1
    done
    start=$(date +%s.%N)
    kill -s "$sig" "$pid"
    wait "$pid"
    rc=$?
    took=$(python3 -c "print(round($(date +%s.%N) - $start, 2))")
    frames=$(find "$dir" -name '*.png' | wc -l)
    echo "SIG$sig: exit $rc after ${took} s, $frames frames kept: $(grep 'error:' "$dir.log")"
    if [ "$rc" -ne 130 ]; then echo "FAIL: expected exit 130"; failures=$((failures + 1)); fi
    if python3 -c "import sys; sys.exit(0 if $took > 1.5 else 1)"; then echo "FAIL: took more than a second to stop"; failures=$((failures + 1)); fi
    if [ "$frames" -lt 3 ]; then echo "FAIL: finished frames were not kept"; failures=$((failures + 1)); fi
    if ! grep 'error:' "$dir.log" | grep -q "stopped by SIG$sig after"; then echo "FAIL: no 'stopped by SIG$sig' line"; failures=$((failures + 1)); fi
    if [ -n "$(find "$dir" -name '*partial*')" ]; then echo "FAIL: temporaries left: $(ls "$dir" | grep partial)"; failures=$((failures + 1)); fi
    python3 - "$dir" <<'EOF' || failures=$((failures + 1))
import os, sys
d = sys.argv[1]
bad = [f for f in sorted(os.listdir(d)) if not open(os.path.join(d, f), "rb").read().endswith(b"IEND\xaeB`\x82")]
if bad: print("FAIL: half-written frames:", bad); sys.exit(1)
EOF
    # The frames that were kept are numbered from 0 without a gap.
    last=$(find "$dir" -name '*.png' | sort | tail -1)
    [ "$(basename "$last")" = "$(printf '%05d.png' $((frames - 1)))" ] || { echo "FAIL: a gap in the frames kept"; failures=$((failures + 1)); }
done
[ "$failures" -eq 0 ] || exit 1
echo "render_interrupt: stopped cleanly on SIGINT and SIGTERM"
