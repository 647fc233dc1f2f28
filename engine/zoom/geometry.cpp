#include "zoom/geometry.h"

#include <algorithm>

namespace vitrine::zoom {

std::vector<LevelSize> halving_levels(uint32_t width, uint32_t height) {
    std::vector<LevelSize> levels;
    if (!width || !height) return levels;
    LevelSize s{width, height};
    levels.push_back(s);
    while (s.width > 1 || s.height > 1) {
        s = {(s.width + 1) / 2, (s.height + 1) / 2};
        levels.push_back(s);
    }
    return levels;
}

PixelRect tile_rect(LevelSize level, uint32_t tile, uint32_t overlap, uint32_t col, uint32_t row) {
    auto span = [&](uint32_t size, uint32_t i, uint32_t* start, uint32_t* length) {
        uint64_t a = uint64_t(i) * tile, b = a + tile;
        a = a > overlap ? a - overlap : 0;
        b = std::min<uint64_t>(size, b + overlap);
        *start = uint32_t(a);
        *length = b > a ? uint32_t(b - a) : 0;
    };
    PixelRect r;
    span(level.width, col, &r.x, &r.width);
    span(level.height, row, &r.y, &r.height);
    return r;
}

}  // namespace vitrine::zoom
