#!/usr/bin/env bash
# `vitrine check` on display files: a good one prints the technician's numbers (size,
# pixel pitch, the eye's distance) and exits 0; a bad one lists every problem with its
# place and exits 1, never crashing.
# usage: check_display.sh VITRINE REPO
set -u
vitrine=$1 repo=$2
out=$("$vitrine" check "$repo/scenes/displays/coex.display.yaml" 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || { echo "FAILED: coex.display.yaml exited $rc"; exit 1; }
echo "$out" | grep -q "left: .*pixel pitch 4.00 x 4.00 mm, eye 8.79 m" || { echo "FAILED: no pitch or distance"; exit 1; }
echo "$out" | grep -q "(pixels not square)" && { echo "FAILED: square pixels called not square"; exit 1; }
"$vitrine" check "$repo/scenes/displays/corner.display.yaml" | grep -q "(pixels not square)" ||
  { echo "FAILED: corner.display.yaml's 2.33 x 2.78 mm pixels not reported"; exit 1; }
out=$("$vitrine" check "$repo/tests/displays/bad/overlap.display.yaml" 2>&1)
rc=$?
echo "$out"
[ $rc -eq 1 ] || { echo "FAILED: a bad display file exited $rc"; exit 1; }
echo "$out" | grep -q "overlap.display.yaml:6:93: screen 'right': region overlaps the region of screen 'left' by 16 x 144 pixels" &&
  echo "$out" | grep -q "overlap.display.yaml:6:113: unknown key 'rotat' in screen 'right' (did you mean 'rotate'?)" ||
  { echo "FAILED: the problems are not listed with their places"; exit 1; }
out=$("$vitrine" check "$repo/tests/displays/around_eye.display.yaml" 2>&1)
rc=$?
echo "$out"
[ $rc -eq 1 ] && echo "$out" | grep -q "around_eye.display.yaml:6:5: screen 'arc': the mesh reaches 180 degrees or more" ||
  { echo "FAILED: a mesh around the eye was not refused by check"; exit 1; }
echo "check display: ok"
