#!/usr/bin/env bash
# One golden-image test: render MODEL with validation on, then compare with
# tests/golden/GOLDEN.png (or, with VITRINE_BLESS=1, make it the golden).
# usage: render_case.sh VITRINE IMAGE_COMPARE OUT_DIR GOLDEN_DIR NAME GOLDEN MODEL [render args] -- [compare args]
set -u
vitrine=$1 compare=$2 out=$3 goldens=$4 name=$5 golden=$6 model=$7
shift 7
render_args=()
while (($#)) && [ "$1" != "--" ]; do render_args+=("$1"); shift; done
(($#)) && shift
compare_args=("$@")

if [ ! -f "$model" ]; then
  echo "skipped: $model is not present (the shared corpus lives in ../shared/corpus)"
  exit 77
fi
mkdir -p "$out"
actual="$out/$name.png"
VITRINE_VALIDATION=1 "$vitrine" render "$model" --out "$actual" --quiet "${render_args[@]}" || {
  echo "render failed (exit $?)"; exit 1; }
if [ "${VITRINE_BLESS:-0}" = 1 ]; then
  if [ "$name" != "$golden" ] || [ ! -w "$goldens" ]; then
    echo "skipped: $name is compared against $golden, which this case does not bless"
    exit 77
  fi
  cp "$actual" "$goldens/$golden.png"
  echo "blessed $goldens/$golden.png"
  exit 0
fi
"$compare" "$actual" "$goldens/$golden.png" "${compare_args[@]}"
