#!/usr/bin/env bash
# Every command answers --help, -h and `vitrine help CMD` with the same text from the
# usage table (stdout, exit 0, before anything is opened); `vitrine --help` lists every
# command; every option the commands parse (engine/app's "--name" literals) is in the
# help; `--version` prints "vitrine VERSION"; usage errors are one error line with the
# synopsis after it.
# usage: cli_help.sh VITRINE SOURCE_DIR VERSION
set -u
vitrine=$1 src=$2 version=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# A display is never needed: help comes before any window or device.
unset DISPLAY WAYLAND_DISPLAY

out=$("$vitrine" --version 2>"$work/err"); rc=$?
[ $rc = 0 ] && [ "$out" = "vitrine $version" ] && [ ! -s "$work/err" ] || fail "--version: exit $rc, '$out'"

"$vitrine" --help >"$work/all" 2>"$work/err"; rc=$?
[ $rc = 0 ] && [ -s "$work/all" ] && [ ! -s "$work/err" ] || fail "--help: exit $rc"
for form in -h help; do
  "$vitrine" $form >"$work/other" 2>&1 && cmp -s "$work/all" "$work/other" || fail "vitrine $form differs from --help"
done

commands="run kiosk edit render view check info send pyramid bench"
for cmd in $commands; do
  grep -q "^  vitrine $cmd " "$work/all" || fail "--help does not list '$cmd'"
  "$vitrine" help $cmd >"$work/$cmd" 2>"$work/err"; rc=$?
  [ $rc = 0 ] && [ ! -s "$work/err" ] || fail "help $cmd: exit $rc, $(cat "$work/err")"
  head -1 "$work/$cmd" | grep -q "^usage: vitrine $cmd" || fail "help $cmd starts with '$(head -1 "$work/$cmd")'"
  for ask in "$cmd --help" "$cmd -h" "$cmd nowhere.scene.yaml --out x.png --help"; do
    "$vitrine" $ask >"$work/other" 2>"$work/err"; rc=$?
    [ $rc = 0 ] && cmp -s "$work/$cmd" "$work/other" && [ ! -s "$work/err" ] ||
      fail "vitrine $ask: exit $rc, not the text of 'help $cmd' ($(head -c 200 "$work/err"))"
  done
  cat "$work/$cmd" >>"$work/all"
done
[ ! -e x.png ] || fail "a --help run wrote x.png"

# Every option the commands parse is explained somewhere.
for flag in $(grep -oh '"--[a-z0-9-]\+"' "$src"/engine/app/*.cpp | tr -d '"' | sort -u); do
  grep -q -- "$flag\b" "$work/all" || fail "$flag is parsed by engine/app but is in no help text"
done

# A form's key gives that form: `help render pyramid`.
"$vitrine" help render pyramid | head -1 | grep -q "^usage: vitrine render PYRAMID" || fail "help render pyramid"

# Unknown: one error line, exit 2.
out=$("$vitrine" help frobnicate 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && [ "$(printf '%s\n' "$out" | grep -c 'error:')" = 1 ] || fail "help frobnicate: exit $rc, $out"
# A usage error: one error line, then the synopsis and where the options are.
out=$("$vitrine" send 2>&1 >/dev/null); rc=$?
echo "vitrine send -> $out"
[ $rc = 2 ] && [ "$(printf '%s\n' "$out" | grep -c 'error:')" = 1 ] && [[ "$out" == *"usage: vitrine send "*"--help"* ]] ||
  fail "send without a target: exit $rc"
out=$("$vitrine" send --frobnicate 127.0.0.1:9 /x 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && [[ "$out" == *"unknown option --frobnicate"*"usage: vitrine send"* ]] || fail "send --frobnicate: exit $rc, $out"
out=$("$vitrine" send --wait soon 127.0.0.1:9 /x 2>&1 >/dev/null); rc=$?
[ $rc = 1 ] && [[ "$out" == *"--wait expects milliseconds"* ]] || fail "send --wait soon: exit $rc, $out"
# No command: the overview on stderr, exit 2.
"$vitrine" >/dev/null 2>"$work/err"; rc=$?
[ $rc = 2 ] && cmp -s <(head -1 "$work/err") <(head -1 "$work/all") || fail "vitrine alone: exit $rc"

[ $failures = 0 ] || exit 1
echo "help: $commands answer --help, -h and help CMD; every parsed option is explained; vitrine $version"
