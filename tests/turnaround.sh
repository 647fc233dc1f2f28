#!/usr/bin/env bash
# A turnaround sheet is N views in one frame: each cell must equal the single-view
# render of its yaw at the cell's size (golden tolerance: <= 0.1% of pixels off by > 5/255).
# usage: turnaround.sh VITRINE COMPARE OUT NAME N CxR CELL_W CELL_H MODEL [render args...]
set -u
vitrine=$1 compare=$2 out=$3 name=$4 n=$5 grid=$6 cw=$7 ch=$8 model=$9
shift 9
[ -e "$model" ] || { echo "skipped: $model is not here (no corpus)"; exit 77; }
cols=${grid%x*} rows=${grid#*x}
mkdir -p "$out"
sheet="$out/$name.png"
VITRINE_VALIDATION=1 "$vitrine" render "$model" --turnaround "$n" --grid "$grid" --size "$((cols * cw))x$((rows * ch))" \
  --out "$sheet" --quiet "$@" || { echo "sheet render failed"; exit 1; }
fail=0
for ((i = 0; i < n; i++)); do
  yaw=$(awk -v i="$i" -v n="$n" 'BEGIN { printf "%.6f", 360 * i / n }')
  VITRINE_VALIDATION=1 "$vitrine" render "$model" --yaw "$yaw" --size "${cw}x${ch}" --out "$out/${name}_cell$i.png" --quiet "$@" \
    || { echo "single render $i failed"; exit 1; }
  x=$(((i % cols) * cw)) y=$(((i / cols) * ch))
  "$compare" "$sheet" "$out/${name}_cell$i.png" --crop "$x,$y,$cw,$ch" || fail=1
done
[ "$fail" -eq 0 ] && echo "turnaround $name: $n cells equal their single renders"
exit $fail
