#!/usr/bin/env bash
# Runs a command that must fail cleanly: exit code CODE, and a stderr whose
# error line contains TEXT (file name and problem). A crash (signal) fails.
# usage: expect_error.sh CODE TEXT command args...
set -u
code=$1 text=$2
shift 2
err=$(VITRINE_VALIDATION=1 timeout 120 "$@" 2>&1 >/dev/null)
rc=$?
echo "$err"
if [ "$rc" -ne "$code" ]; then echo "expected exit $code, got $rc"; exit 1; fi
errors=$(printf '%s\n' "$err" | grep -c "error:")
if [ "$errors" -ne 1 ]; then echo "expected exactly one error line, got $errors"; exit 1; fi
if ! printf '%s\n' "$err" | grep "error:" | grep -qF -- "$text"; then echo "error line does not mention '$text'"; exit 1; fi
