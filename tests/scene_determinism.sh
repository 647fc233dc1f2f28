#!/usr/bin/env bash
# Seeking equals playing: frames rendered alone with --time T are byte-identical to the
# frames at those times of a played-through span (--from 0 --to 20 --fps 10), without
# inputs and with a scripted visitor (a touch at 3 s starts the tour); and a span with a
# lost GPU in the middle equals the same frames without the fault.
# usage: scene_determinism.sh VITRINE SCENE INPUTS OUT_DIR
set -u
vitrine=$1 scene=$2 inputs=$3 out=$4
export VITRINE_VALIDATION=1
mkdir -p "$out"
size=256x144
for variant in plain touched; do
  extra=()
  [ $variant = touched ] && extra=(--inputs "$inputs")
  rm -f "$out/$variant"_*.png
  "$vitrine" render "$scene" --from 0 --to 20 --fps 10 --size $size --out "$out/${variant}_seq_%05d.png" --quiet "${extra[@]}" ||
    { echo "the span render failed"; exit 1; }
  for pair in "0 00000" "7.3 00073" "19.9 00199"; do
    set -- $pair
    "$vitrine" render "$scene" --time "$1" --size $size --out "$out/${variant}_at_$1.png" --quiet "${extra[@]}" ||
      { echo "--time $1 failed"; exit 1; }
    cmp -s "$out/${variant}_at_$1.png" "$out/${variant}_seq_$2.png" ||
      { echo "$variant: --time $1 differs from frame $2 of the played span"; exit 1; }
  done
  n=$(ls "$out/${variant}"_seq_*.png | wc -l)
  [ "$n" = 201 ] || { echo "$variant: expected 201 frames (0..20 s at 10 fps inclusive), got $n"; exit 1; }
done
# Without the visitor: the same picture before the touch, another one after it (the
# tour's camera), so the inputs really were used.
cmp -s "$out/plain_at_0.png" "$out/touched_at_0.png" || { echo "before the touch, the frames differ"; exit 1; }
cmp -s "$out/plain_at_7.3.png" "$out/touched_at_7.3.png" && { echo "the scripted touch changed nothing"; exit 1; }
# A GPU lost in the middle of the span: rebuilt, the show seeks back to the first frame
# not read back, and the files are the same as without the fault.
rm -f "$out"/lost_*.png
VITRINE_FAULT=device-lost@6 "$vitrine" render "$scene" --from 2 --to 4 --fps 5 --size $size --inputs "$inputs" \
  --out "$out/lost_%05d.png" --quiet 2>"$out/lost.log" || { cat "$out/lost.log"; echo "the faulted span failed"; exit 1; }
grep -q "lost" "$out/lost.log" || { echo "the fault was not injected"; exit 1; }
for i in 00000 00005 00010; do
  j=$(printf %05d $((10#$i * 2 + 20)))  # show time 2 + i/5 is frame 20 + 2i of the 10 fps span
  cmp -s "$out/lost_$i.png" "$out/touched_seq_$j.png" || { echo "after the lost device, frame $i differs"; exit 1; }
done
echo "seeking equals playing at 0, 7.3 and 19.9 s (a touch at 3 s); the touch changes the picture"
