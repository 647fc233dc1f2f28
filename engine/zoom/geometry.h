// The shape of a tile pyramid, as `vips dzsave` makes it: each level half the one
// above (odd sizes round up) down to 1 x 1, cut into square tiles that overlap their
// neighbours by `overlap` pixels on every inner side. Level 0 here is the FULL
// resolution (like a mip chain); Deep Zoom numbers the same levels the other way round
// (its level N-1 is ours 0: dzi_level()).
#pragma once
#include <cstdint>
#include <vector>

namespace vitrine::zoom {

struct LevelSize {
    uint32_t width = 0, height = 0;
    bool operator==(const LevelSize&) const = default;
};

// Pixels of one level; y from the top.
struct PixelRect {
    uint32_t x = 0, y = 0, width = 0, height = 0;
    bool operator==(const PixelRect&) const = default;
};

// Full resolution first, each next level ceil(half), the last 1 x 1.
std::vector<LevelSize> halving_levels(uint32_t width, uint32_t height);
inline uint32_t dzi_level(uint32_t level, uint32_t level_count) { return level_count - 1 - level; }

// Tiles across and down a level (content tiles of `tile` pixels; overlap not counted).
inline uint32_t tiles_across(uint32_t pixels, uint32_t tile) { return (pixels + tile - 1) / tile; }

// The pixels tile (col, row) holds: its tile x tile cell plus `overlap` pixels on each
// side that has a neighbour, clipped to the level.
PixelRect tile_rect(LevelSize level, uint32_t tile, uint32_t overlap, uint32_t col, uint32_t row);

}  // namespace vitrine::zoom
