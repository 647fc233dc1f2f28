// Procedural pyramids: images made up on the fly, any size up to 1 000 000 x 1 000 000,
// for tests, benchmarks and as a streaming source for the builder (open_pyramid +
// read_tile is all that is needed). Opened by open_pyramid("procedural:NAME:WxH") or
// "procedural:NAME:WxH:MM" (MM: millimetres per full-resolution pixel).
//
// NAME is
//   pattern  colourful sinusoids in many directions at wavelengths from ~11 px to ~600 000
//            px (none a divisor or multiple of the 248/254/256 page and tile sizes), minus a
//            grid of dark lines every 256, 4096 and 65536 px (offset by 37 px, so lines do
//            not sit on tile edges): detail and a sense of scale at every zoom;
//   checker  black and white cells of 64 x 64 px.
// Values are 8-bit sRGB code values. Every level is computed in closed form as exactly
// what a box-filtered pyramid holds: a coarser pixel is the mean of its 2 x 2 parents
// (at odd edges of the 2 x 1, 1 x 2 or 1 x 1 that exist), like vips dzsave, before
// rounding to 8 bits. A tile costs O(its pixels) at any level. Tiles are 256 px, no
// overlap, levels down to 1 x 1, tile_format "procedural", colour "sRGB".
#pragma once
#include <array>
#include <cstdint>
#include <string>

#include "core/result.h"

namespace vitrine::zoom {

constexpr uint32_t kMaxProceduralSide = 1000000;

// Whether `path` is a procedural spec ("procedural:...").
bool is_procedural(const std::string& path);

// The pattern's exact value (before rounding) of pixel (x, y) of `level` (0 = full
// resolution) of a width x height procedural image, channel 0..2; the levels'
// sizes are halving_levels(width, height). Unknown names, levels or pixels outside
// the level are bugs (VITRINE_CHECK).
double procedural_value(const std::string& name, uint32_t width, uint32_t height, uint32_t level,
                        uint32_t x, uint32_t y, int channel);
// The same, rounded as read_tile returns it (RGB).
std::array<uint8_t, 3> procedural_pixel(const std::string& name, uint32_t width, uint32_t height,
                                        uint32_t level, uint32_t x, uint32_t y);

}  // namespace vitrine::zoom
