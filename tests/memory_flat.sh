#!/usr/bin/env bash
# Memory stays flat over a show (issue 15: it grew by megabytes a frame). Every shipped
# scene (scenes/*.scene.yaml), rendered offline and played in a window under Xvfb, must
# have after 10N frames the resident memory it had after N, and no more live Vulkan
# objects, and leave no Vulkan object behind when its device is gone.
#
# How: VITRINE_COUNTERS=frames makes vitrine print, per frame, its live Vulkan objects
# and VmRSS / VmHWM from /proc/self/status ("counters: frame 12: vulkan objects 168,
# rss_kb 137568, hwm_kb 140556"); one run of 10N frames is read at frame N (past the
# warm-up: pipelines compiled on first draw, targets, tiles, audio) and at frame 10N.
#
# Tolerances, and why the test is not flaky:
# - resident memory (VmRSS, and the peak VmHWM) after 10N frames at most 2 % above that
#   after N. Once warm, frames allocate nothing that stays: measured on lavapipe, VmRSS
#   moved by less than 0.1 % between frame 10 and 100 in every scene and mode (malloc
#   arenas, the PNG writer's buffers, the X server's present buffers). 2 % of the ~140 MB
#   these runs hold is ~3 MB: a leak of 32 KB a frame over 90 frames fails; the leak this
#   guards against added 1.9 to 3.7 MB every frame.
# - live Vulkan objects: at most 4 above frame N's count at any frame up to 10N. An
#   object replaced mid-run (a buffer grown, a target resized) lives on until the frames in
#   flight that use it complete (at most 2 frames, deferred), so a sample may see a few
#   more for a frame or two; a leak of one object a frame is 9N more.
# Frames are tiny (64x36; a display's canvas on its small test stand-in) so the family
# runs in a couple of minutes on two slow cores.
#
# usage: memory_flat.sh VITRINE REPO [N]   (default N = 10)
set -u
vitrine=$1 repo=$2 n=${3:-10}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# The frame-k numbers of a log: "objects rss_kb hwm_kb".
at_frame() { sed -n "s/^counters: frame $2: vulkan objects \([0-9-]*\), rss_kb \([0-9-]*\), hwm_kb \([0-9-]*\)$/\1 \2 \3/p" "$1"; }

# check LOG WHAT: frame n against frame 10n.
check() {
  local log=$1 what=$2
  local first last
  first=$(at_frame "$log" "$n") last=$(at_frame "$log" $((10 * n)))
  if [ -z "$first" ] || [ -z "$last" ]; then
    tail -20 "$log"
    echo "FAILED: $what: no counters at frames $n and $((10 * n))"
    fail=1
    return
  fi
  set -- $first $last  # objects rss hwm at n, then at 10n
  local most
  most=$(sed -n 's/^counters: frame \([0-9]*\): vulkan objects \([0-9-]*\),.*/\1 \2/p' "$log" |
         awk -v lo="$n" -v hi=$((10 * n)) '$1 >= lo && $1 <= hi && $2 > m { m = $2 } END { print m + 0 }')
  echo "$what: frame $n: $1 objects, rss $2 kB, peak $3 kB; frame $((10 * n)): $4 objects, rss $5 kB, peak $6 kB (most objects $most)"
  if [ "$5" -gt $(( $2 * 102 / 100 )) ] || [ "$6" -gt $(( $3 * 102 / 100 )) ]; then
    echo "FAILED: $what: resident memory grew more than 2 % from frame $n to frame $((10 * n))"
    fail=1
  fi
  if [ "$most" -gt $(( $1 + 4 )) ]; then
    echo "FAILED: $what: live Vulkan objects grew from frame $n to frame $((10 * n))"
    fail=1
  fi
  if ! grep -q "^counters: vulkan objects left after the device: none$" "$log"; then
    grep "left after the device" "$log"
    echo "FAILED: $what: Vulkan objects outlived the device"
    fail=1
  fi
}

# The small test stand-in for a shipped display (same kind and layout, a few hundred
# pixels of canvas): a 3840-pixel canvas would take minutes for 10N frames on lavapipe.
small_display() {
  case "$(basename "$1")" in
    corner.display.yaml) echo "$repo/tests/displays/corner_small.display.yaml" ;;
    curved.display.yaml) echo "$repo/tests/displays/curved_small.display.yaml" ;;
    lkg_4k.display.yaml) echo "$repo/tests/displays/lkg_small.display.yaml" ;;
    *) echo "$1" ;;  # no stand-in: its own canvas
  esac
}

windows=1
command -v xvfb-run >/dev/null || { windows=0; echo "note: xvfb-run is not installed: the windowed runs are skipped"; }
frames=$((10 * n))
to=$(awk -v f="$frames" 'BEGIN { printf "%g", (f - 1) / 10 }')  # 10N frames at 10 fps from 0
count=0
for scene in "$repo"/scenes/*.scene.yaml; do
  name=$(basename "$scene" .scene.yaml)
  count=$((count + 1))
  display=()
  own=$(sed -n 's/^display: *\([^ #]*\).*/\1/p' "$scene")
  [ -n "$own" ] && display=(--display "$(small_display "$(dirname "$scene")/$own")")

  log=$tmp/$name.render.log
  VITRINE_COUNTERS=frames timeout 300 "$vitrine" render "$scene" "${display[@]}" --from 0 --to "$to" --fps 10 \
    --size 64x36 --out "$tmp/${name}_%05d.png" --quiet >"$log" 2>&1
  rc=$?
  if [ $rc -ne 0 ]; then tail -20 "$log"; echo "FAILED: render $name exited $rc"; fail=1; else check "$log" "$name offline"; fi
  rm -f "$tmp"/*.png

  [ $windows = 1 ] || continue
  log=$tmp/$name.run.log
  for attempt in 1 2; do
    VITRINE_COUNTERS=frames timeout 300 "$repo/tests/xvfb.sh" 640x480x24 "$vitrine" run "$scene" --frames "$frames" \
      --size 64x36 --no-osc >"$log" 2>&1
    rc=$?
    # A virtual X server that did not come up (another test's took the display number) is
    # tried once more; anything else is the program's own failure.
    [ $rc -ne 0 ] && [ $attempt = 1 ] && grep -q "xvfb-run failed before the command ran\|cannot open a window" "$log" || break
    echo "note: $name: the X server did not start; trying once more"
    sleep 2
  done
  if [ $rc -ne 0 ]; then tail -20 "$log"; echo "FAILED: run $name exited $rc"; fail=1; else check "$log" "$name in a window"; fi
done
[ $count -gt 0 ] || { echo "FAILED: no scenes in $repo/scenes"; exit 1; }
[ $fail = 0 ] || exit 1
echo "memory flat: ok ($count scenes, $n and $frames frames)"
