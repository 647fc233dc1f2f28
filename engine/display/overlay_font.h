// The overlay's font, on the CPU: one atlas per process, rasterised by stb_truetype at
// kRasterPixels (text at other heights scales its quads; the sampler filters linearly).
// Only overlay.cpp and overlay_list.cpp see inside it.
#pragma once
#include <array>

#include "core/image.h"
#include "display/overlay.h"

namespace vitrine::display {

struct Glyph {
    bool present = false;
    glm::vec2 uv0{0}, uv1{0};    // in the atlas
    glm::vec2 off0{0}, off1{0};  // the quad's corners from the pen on the baseline, raster pixels
    float advance = 0;           // raster pixels
};

struct FontAtlas {
    static constexpr float kRasterPixels = 32;
    Image8 pixels;
    float ascent = 0, descent = 0, line_gap = 0;  // raster pixels, descent below the baseline (negative)
    std::array<Glyph, 256> glyphs;                // by code point: ASCII and Latin-1

    // The glyph drawn for a code point: its own, else '?'.
    const Glyph& glyph(uint32_t code_point) const;
    float line_advance() const { return ascent - descent + line_gap; }
};

// The next code point of UTF-8 text at `i` (advanced); malformed bytes read as U+FFFD.
uint32_t next_code_point(std::string_view text, size_t& i);

}  // namespace vitrine::display
