#!/usr/bin/env bash
# The pipeline cache is kept on disk ($VITRINE_CACHE_DIR), and a damaged or foreign
# cache file is ignored (rebuilt), never trusted: the image stays the same.
set -u
vitrine=$1 compare=$2 out=$3 model=$4
cache="$out/pipeline-cache"
rm -rf "$cache" && mkdir -p "$out"
args=(--size 96x96 --env studio --pitch 10 --quiet)
VITRINE_CACHE_DIR="$cache" VITRINE_VALIDATION=1 "$vitrine" render "$model" "${args[@]}" --out "$out/cache_cold.png" || exit 1
file=$(ls "$cache"/pipelines-*.bin 2>/dev/null | head -1)
[ -n "$file" ] && [ -s "$file" ] || { echo "no pipeline cache was written to $cache"; exit 1; }
echo "cache: $(basename "$file"), $(stat -c %s "$file") bytes"
VITRINE_CACHE_DIR="$cache" VITRINE_VALIDATION=1 "$vitrine" render "$model" "${args[@]}" --out "$out/cache_warm.png" || exit 1
"$compare" "$out/cache_warm.png" "$out/cache_cold.png" --max-diff 0 --max-failing-fraction 0 || exit 1
# Damaged: a valid-looking length with garbage after it; then a foreign device's header.
head -c 4096 /dev/urandom > "$file"
VITRINE_CACHE_DIR="$cache" VITRINE_VALIDATION=1 "$vitrine" render "$model" "${args[@]}" --out "$out/cache_damaged.png" || exit 1
"$compare" "$out/cache_damaged.png" "$out/cache_cold.png" --max-diff 0 --max-failing-fraction 0 || exit 1
printf '\x20\x00\x00\x00\x01\x00\x00\x00\xde\x10\x00\x00\x34\x12\x00\x00' > "$file"
head -c 64 /dev/zero >> "$file"
VITRINE_CACHE_DIR="$cache" VITRINE_VALIDATION=1 "$vitrine" render "$model" "${args[@]}" --out "$out/cache_foreign.png" || exit 1
"$compare" "$out/cache_foreign.png" "$out/cache_cold.png" --max-diff 0 --max-failing-fraction 0 || exit 1
echo "pipeline cache written, reused, and refused when damaged or foreign"
