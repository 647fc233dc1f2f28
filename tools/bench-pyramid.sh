#!/bin/bash
# Benchmark: `vitrine pyramid build` against `vips dzsave` on a 20 000 x 20 000 JPEG
# (photo-like: blurred colour noise, Q90, made once with vips and cached), wall time
# and peak RSS of each by /usr/bin/time -v; then how fast our tiles decode on one core
# (libturbojpeg, the full-resolution level) next to libjpeg-turbo's own figure
# (tjbench when installed, else one 4096 x 4096 JPEG of the same settings).
# usage: tools/bench-pyramid.sh BUILD_DIR|VITRINE [CACHE_DIR]   (cache: BUILD_DIR/bench)
# PYRAMID_BENCH_OUT=DIR writes both pyramids there instead of the cache folder (e.g.
# /dev/shm, where creating ~8 400 tile files costs little next to encoding them).
set -eu
ARG=${1:?usage: tools/bench-pyramid.sh BUILD_DIR|VITRINE [CACHE_DIR]}
if [ -d "$ARG" ]; then
    VITRINE=$ARG/engine/app/vitrine
    CACHE=${2:-$ARG/bench}
else
    VITRINE=$ARG
    CACHE=${2:-$(dirname "$ARG")/bench}
fi
[ -x "$VITRINE" ] || { echo "no vitrine binary at $VITRINE" >&2; exit 1; }
command -v vips >/dev/null || { echo "vips is not installed (apt-get install libvips-tools)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is not installed (apt-get install time)" >&2; exit 1; }
mkdir -p "$CACHE"
IN=$CACHE/photo-20000.jpg
SIDE=20000

if [ ! -s "$IN" ]; then
    echo "making $IN (once) ..." >&2
    T=$(mktemp -d "$CACHE/make.XXXXXX")
    for b in 1 2 3; do vips gaussnoise "$T/n$b.v" 5000 5000 --mean 128 --sigma 50; done
    vips bandjoin "$T/n1.v $T/n2.v $T/n3.v" "$T/n.v"
    vips gaussblur "$T/n.v" "$T/b.v" 2
    vips cast "$T/b.v" "$T/c.v" uchar
    vips replicate "$T/c.v" "$IN.partial.jpg[Q=90]" 4 4
    mv "$IN.partial.jpg" "$IN"
    rm -rf "$T"
fi

RUN=$(mktemp -d "${PYRAMID_BENCH_OUT:-$CACHE}/run.XXXXXX")
trap 'rm -rf "$RUN"' EXIT
mkdir -p "$RUN/vips" "$RUN/ours"

# seconds and MB from /usr/bin/time -v's report
measure() {  # measure NAME COMMAND...
    local log="$RUN/$1.time"
    shift
    /usr/bin/time -v "$@" >"$log.out" 2>"$log" || { cat "$log.out" "$log" >&2; exit 1; }
    local wall rss
    wall=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}' | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
    rss=$(grep "Maximum resident set size" "$log" | awk '{print int($NF / 1024)}')
    echo "$wall $rss"
}

read -r vips_s vips_mb < <(measure vips vips dzsave "$IN" "$RUN/vips/out")
read -r ours_s ours_mb < <(measure ours "$VITRINE" pyramid build "$IN" --out "$RUN/ours/out.dzi")
cores=$(nproc)
awk -v vs="$vips_s" -v vm="$vips_mb" -v os="$ours_s" -v om="$ours_mb" -v side=$SIDE -v cores="$cores" 'BEGIN {
    mpx = side * side / 1e6
    printf "pyramid build %dx%d jpeg (%d cores): vitrine %.1f s %d MB (%.0f Mpx/s) | vips dzsave %.1f s %d MB (%.0f Mpx/s) | %.2fx %s\n",
        side, side, cores, os, om, mpx / os, vs, vm, mpx / vs, (os < vs ? vs / os : os / vs), (os < vs ? "faster" : "SLOWER")
}'

# Tile decode throughput on one core: a tiny libturbojpeg program, built here.
cat >"$RUN/decode.cpp" <<'EOF'
#include <turbojpeg.h>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>
// decode FILE_OR_FOLDER [ROUNDS]: every .jpeg/.jpg, decoded to RGB, on this one thread.
int main(int argc, char** argv) {
    std::vector<std::vector<unsigned char>> files;
    std::filesystem::path p(argv[1]);
    auto load = [&](const std::filesystem::path& f) {
        std::ifstream in(f, std::ios::binary);
        files.emplace_back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    };
    if (std::filesystem::is_directory(p)) {
        for (auto& e : std::filesystem::directory_iterator(p)) load(e.path());
    } else {
        load(p);
    }
    int rounds = argc > 2 ? std::atoi(argv[2]) : 1;
    tjhandle tj = tjInitDecompress();
    std::vector<unsigned char> rgb;
    double pixels = 0;
    auto start = std::chrono::steady_clock::now();
    for (int r = 0; r < rounds; ++r)
        for (auto& f : files) {
            int w, h, sub, space;
            if (tjDecompressHeader3(tj, f.data(), f.size(), &w, &h, &sub, &space)) return 1;
            rgb.resize(size_t(w) * h * 3);
            if (tjDecompress2(tj, f.data(), f.size(), rgb.data(), w, 0, h, TJPF_RGB, 0)) return 1;
            pixels += double(w) * h;
        }
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%zu %.1f %.3f %.1f\n", files.size(), pixels / 1e6, s, pixels / 1e6 / s);
}
EOF
c++ -O2 -std=c++17 "$RUN/decode.cpp" -o "$RUN/decode" -lturbojpeg
levels=$(ls "$RUN/ours/out_files" | sort -n | tail -1)
rm -rf "$RUN/vips"  # room on disk
read -r n mpx secs rate < <(taskset -c 0 "$RUN/decode" "$RUN/ours/out_files/$levels")
if command -v tjbench >/dev/null; then
    vips crop "$IN" "$RUN/big.jpg[Q=85,subsample-mode=on]" 0 0 4096 4096
    own=$(cd "$RUN" && taskset -c 0 tjbench big.jpg -benchtime 3 2>&1 | grep Throughput | tail -1 | awk '{print $2}')
    own_what="tjbench, one 4096x4096 Q85 4:2:0 JPEG: ${own:-?} Mpx/s"
else
    vips crop "$IN" "$RUN/big.jpg[Q=85,subsample-mode=on]" 0 0 4096 4096
    read -r _ _ _ big_rate < <(taskset -c 0 "$RUN/decode" "$RUN/big.jpg" 3)
    own_what="tjbench not installed; libturbojpeg on one 4096x4096 Q85 4:2:0 JPEG: $big_rate Mpx/s"
fi
echo "tile decode, one core: $n tiles of our full-resolution level (${mpx} Mpx) in ${secs} s: $rate Mpx/s | $own_what"
