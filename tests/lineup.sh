#!/usr/bin/env bash
# Line-ups at true scale: several models side by side in one image (golden), and the
# same file twice is uploaded once (GPU model bytes equal one copy's).
# usage: lineup.sh VITRINE COMPARE OUT GOLDENS A B C
set -u
vitrine=$1 compare=$2 out=$3 goldens=$4 a=$5 b=$6 c=$7
mkdir -p "$out"
common=(--size 400x200 --env studio --time 5 --pitch 10 --quiet)
VITRINE_VALIDATION=1 "$vitrine" render "$a" "$b" "$c" --out "$out/lineup_three.png" "${common[@]}" || exit 1
bless() { [ "${VITRINE_BLESS:-0}" = 1 ] && cp "$out/$1.png" "$goldens/$1.png" && echo "blessed $goldens/$1.png"; }
bless lineup_three || "$compare" "$out/lineup_three.png" "$goldens/lineup_three.png" || exit 1
once=$(VITRINE_COUNTERS=1 VITRINE_VALIDATION=1 "$vitrine" render "$a" --out "$out/lineup_once.png" "${common[@]}" 2>&1) || exit 1
twice=$(VITRINE_COUNTERS=1 VITRINE_VALIDATION=1 "$vitrine" render "$a" "$a" --out "$out/lineup_twice.png" "${common[@]}" 2>&1) || exit 1
echo "one copy:   $(echo "$once" | grep counters:)"
echo "two copies: $(echo "$twice" | grep counters:)"
bytes_once=$(echo "$once" | sed -n 's/.*model_bytes=\([0-9]*\).*/\1/p')
bytes_twice=$(echo "$twice" | sed -n 's/.*model_bytes=\([0-9]*\).*/\1/p')
models_twice=$(echo "$twice" | sed -n 's/.*models_uploaded=\([0-9]*\).*/\1/p')
[ -n "$bytes_once" ] && [ "$bytes_once" -gt 0 ] || { echo "no model_bytes counter"; exit 1; }
[ "$bytes_once" = "$bytes_twice" ] || { echo "the same model twice took $bytes_twice bytes, once $bytes_once"; exit 1; }
[ "$models_twice" = "1" ] || { echo "the same file twice was uploaded $models_twice times"; exit 1; }
bless lineup_twice || "$compare" "$out/lineup_twice.png" "$goldens/lineup_twice.png" || exit 1
echo "lineup ok"
