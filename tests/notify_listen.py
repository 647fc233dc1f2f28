#!/usr/bin/env python3
# A stand-in for systemd's notify socket (tests/kiosk.sh): binds a datagram socket at
# PATH and writes every message it receives, one line each with the seconds since it
# started ("1.234 WATCHDOG=1"), to OUT, until it is killed.
import socket, sys, time
path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
start = time.monotonic()
with open(out, "w", buffering=1) as f:
    while True:
        data = s.recv(4096).decode("utf-8", "replace")
        for line in data.splitlines():
            f.write("%.3f %s\n" % (time.monotonic() - start, line))
