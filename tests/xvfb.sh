#!/usr/bin/env bash
# Runs a command under xvfb-run and exits with the command's own status: xvfb-run's
# cleanup can fail after the command is done ("problem while cleaning up temporary
# directory", exit 5), which says nothing about the program under test.
# usage: xvfb.sh SCREEN(WxHxD) command args...
set -u
screen=$1
shift
status=$(mktemp)
xvfb-run -a -s "-screen 0 $screen" sh -c '"$@"; echo $? > "$0"' "$status" "$@"
xrc=$?
rc=$(cat "$status" 2>/dev/null)
rm -f "$status"
[ -n "$rc" ] && exit "$rc"
echo "xvfb.sh: xvfb-run failed before the command ran (exit $xrc)" >&2
exit 1
