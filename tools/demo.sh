#!/usr/bin/env bash
# The demo show: the generated bronze vessel turning on its plinth under the
# neutral studio environment. With a display it opens a window; without one it
# renders frames of the turn to PNG files and says where they are.
# usage: tools/demo.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
vitrine="$build/engine/app/vitrine"
relic="$build/assets/relic/relic.gltf"
[ -x "$vitrine" ] && [ -f "$relic" ] || { echo "demo: build first (see README.md)" >&2; exit 1; }

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$vitrine" view "$relic" --pitch 12
fi

out="$build/demo"
mkdir -p "$out"
echo "demo: no display found; rendering the turntable to $out"
# Eight frames of the 40-second turn, one every 5 s of show time.
"$vitrine" render "$relic" --frames 8 --fps 0.2 --pitch 12 --size 960x960 --out "$out/relic.png" --quiet
for i in 0 1 2 3 4 5 6 7; do echo "demo: wrote $out/relic_000$i.png (show time $((i * 5)) s)"; done
for finish in porcelain jade; do
  "$vitrine" render "$build/assets/relic_$finish/relic.gltf" --time 5 --pitch 12 --size 960x960 \
    --out "$out/relic_$finish.png" --quiet
  echo "demo: wrote $out/relic_$finish.png (the same vessel in $finish)"
done
# The three finishes side by side at true scale, and a registrar's turnaround sheet.
"$vitrine" render "$relic" "$build/assets/relic_porcelain/relic.gltf" "$build/assets/relic_jade/relic.gltf" \
  --time 5 --pitch 12 --size 1200x600 --out "$out/lineup.png" --quiet
echo "demo: wrote $out/lineup.png (bronze, porcelain and jade side by side at true scale)"
"$vitrine" render "$relic" --turnaround 8 --grid 4x2 --time 0 --pitch 12 --size 1600x800 --out "$out/turnaround.png" --quiet
echo "demo: wrote $out/turnaround.png (8 views around the vessel in one frame)"
echo "demo: done; open $out/relic_0000.png … relic_0007.png, relic_porcelain.png, relic_jade.png, lineup.png, turnaround.png"
