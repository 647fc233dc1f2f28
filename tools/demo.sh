#!/usr/bin/env bash
# The demo show: scenes/demo.scene.yaml, three relics on their plinths with an attract
# loop and a tour on touch. With a display it plays in a window (click a relic to start
# the tour); without one it renders half a minute of the show, with a scripted visitor
# (scenes/demo.inputs.yaml), to PNG frames and says where they are, then the corner LED
# wall of scenes/corner_wall.scene.yaml: its canvas and two visitor previews; then the
# pattern exhibition of scenes/magnified.scene.yaml (a gigapixel scroll flown into to 22x).
# usage: tools/demo.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
vitrine="$build/engine/app/vitrine"
scene="$here/scenes/demo.scene.yaml"
[ -x "$vitrine" ] || { echo "demo: build first (see README.md)" >&2; exit 1; }

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$vitrine" run "$scene"
fi

out="$build/demo"
mkdir -p "$out"
rm -f "$out"/show_*.png
echo "demo: no display found; rendering the show (0 to 30 s, 1 frame a second) to $out"
"$vitrine" render "$scene" --from 0 --to 30 --fps 1 --size 960x540 --inputs "$here/scenes/demo.inputs.yaml" \
  --out "$out/show_%05d.png" --audio "$out/show.wav" --quiet
echo "demo: wrote $out/show_00000.png … show_00030.png (frame N is show time N s) and its sound, $out/show.wav:"
echo "demo:   0-5 s attract loop; 6 s a visitor touches the vase and the tour starts;"
echo "demo:   14 s the jar; 20 s the visitor touches the bowl and the tour jumps to it; the room tone throughout,"
echo "demo:   the bell ringing from the vase on the left, the narrator from the jar once the tour starts"
# The naked-eye corner wall: the canvas its LED processor gets, and how a visitor at the
# sweet spot and one off to the side see the wall.
wall="$here/scenes/corner_wall.scene.yaml"
"$vitrine" render "$wall" --time 5 --out "$out/wall_canvas.png" --quiet
"$vitrine" render "$wall" --time 5 --preview-from 0,1.6,6 --size 960x540 --out "$out/wall_sweet_spot.png" --quiet
"$vitrine" render "$wall" --time 5 --preview-from 3,1.6,5 --size 960x540 --out "$out/wall_from_the_side.png" --quiet
echo "demo: wrote $out/wall_canvas.png (the corner LED wall's 3840x1080 canvas) and the visitor previews"
echo "demo:   wall_sweet_spot.png (the relic stands in the room) and wall_from_the_side.png (the illusion breaks)"
# The pattern exhibition: a 200 000 x 40 000 scroll, whole, at 22x, and on the way out.
magnified="$here/scenes/magnified.scene.yaml"
rm -f "$out"/magnified_*.png
"$vitrine" render "$magnified" --from 0 --to 16 --fps 0.5 --size 960x540 --out "$out/magnified_%05d.png" --quiet
echo "demo: wrote $out/magnified_00000.png … magnified_00008.png (frame N is show time 2N s): the whole scroll,"
echo "demo:   the flight to 22x actual size (frame 4), across to the seal (frame 7) and out again"
"$vitrine" check "$scene"
