// The one translation unit that compiles stb_truetype (Debian's libstb).
#define STB_TRUETYPE_IMPLEMENTATION
#define STBTT_STATIC
#include <stb_truetype.h>

#include "display/overlay_font.h"

#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "core/log.h"
#include "core/paths.h"

namespace vitrine::display {

namespace {

// Where Debian (fonts-dejavu-core, installed by tools/install-deps.sh) and other
// distributions put a sans font; VITRINE_FONT comes first.
std::vector<std::string> font_candidates() {
    std::vector<std::string> c;
    if (const char* f = std::getenv("VITRINE_FONT"); f && *f) c.push_back(f);
    for (const char* p : {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf",
                          "/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
                          "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
                          "/usr/share/fonts/truetype/freefont/FreeSans.ttf"})
        c.push_back(p);
    return c;
}

// ASCII's printable characters and Latin-1's (U+00A0..U+00FF), rasterised and packed;
// null when the file is not a font stb_truetype reads.
std::unique_ptr<FontAtlas> rasterise(const std::vector<uint8_t>& ttf) {
    stbtt_fontinfo info;
    if (!stbtt_InitFont(&info, ttf.data(), stbtt_GetFontOffsetForIndex(ttf.data(), 0))) return nullptr;
    auto font = std::make_unique<FontAtlas>();
    const float px = FontAtlas::kRasterPixels;
    float scale = stbtt_ScaleForPixelHeight(&info, px);
    int ascent, descent, gap;
    stbtt_GetFontVMetrics(&info, &ascent, &descent, &gap);
    font->ascent = ascent * scale, font->descent = descent * scale, font->line_gap = gap * scale;
    stbtt_packedchar ascii[95], latin1[96];
    stbtt_pack_range ranges[2] = {{px, 32, nullptr, 95, ascii, 0, 0}, {px, 160, nullptr, 96, latin1, 0, 0}};
    for (int side : {256, 512, 1024}) {
        std::vector<uint8_t> alpha(size_t(side) * side);
        stbtt_pack_context pc;
        if (!stbtt_PackBegin(&pc, alpha.data(), side, side, 0, 1, nullptr)) return nullptr;
        int packed = stbtt_PackFontRanges(&pc, ttf.data(), 0, ranges, 2);
        stbtt_PackEnd(&pc);
        if (!packed) continue;
        // White everywhere, coverage in alpha: ImGui's RGBA32 atlas, so its own can replace it.
        font->pixels.width = font->pixels.height = uint32_t(side);
        font->pixels.rgba.assign(alpha.size() * 4, 255);
        for (size_t i = 0; i < alpha.size(); ++i) font->pixels.rgba[i * 4 + 3] = alpha[i];
        auto keep = [&](const stbtt_packedchar* chars, int first, int count) {
            for (int i = 0; i < count; ++i) {
                const stbtt_packedchar& c = chars[i];
                Glyph& g = font->glyphs[size_t(first + i)];
                g.present = stbtt_FindGlyphIndex(&info, first + i) != 0;
                g.uv0 = glm::vec2(c.x0, c.y0) / float(side);
                g.uv1 = glm::vec2(c.x1, c.y1) / float(side);
                g.off0 = {c.xoff, c.yoff};
                g.off1 = {c.xoff2, c.yoff2};
                g.advance = c.xadvance;
            }
        };
        keep(ascii, 32, 95);
        keep(latin1, 160, 96);
        return font;
    }
    return nullptr;
}

}  // namespace

const Glyph& FontAtlas::glyph(uint32_t cp) const {
    if (cp < glyphs.size() && glyphs[cp].present) return glyphs[cp];
    return glyphs['?'];
}

uint32_t next_code_point(std::string_view s, size_t& i) {
    auto byte = [&](size_t k) { return uint8_t(s[k]); };
    uint8_t b = byte(i++);
    if (b < 0x80) return b;
    int extra = (b & 0xE0) == 0xC0 ? 1 : (b & 0xF0) == 0xE0 ? 2 : (b & 0xF8) == 0xF0 ? 3 : -1;
    if (extra < 0) return 0xFFFD;
    uint32_t cp = b & (0x3F >> extra);
    for (int k = 0; k < extra; ++k) {
        if (i >= s.size() || (byte(i) & 0xC0) != 0x80) return 0xFFFD;
        cp = cp << 6 | (byte(i++) & 0x3F);
    }
    return cp;
}

const FontAtlas* overlay_font() {
    static std::unique_ptr<FontAtlas> font;
    static std::once_flag once;
    std::call_once(once, [] {
        for (const std::string& path : font_candidates()) {
            std::error_code ec;
            if (!std::filesystem::is_regular_file(path, ec)) continue;
            auto ttf = read_file(path, 64ull << 20);
            if (ttf && (font = rasterise(ttf.value()))) return;
            log::warn("overlay font " + path + " cannot be read as a TrueType font; trying the next");
        }
        log::warn("no font for overlays (install fonts-dejavu-core, or set VITRINE_FONT to a .ttf): their text is not drawn");
    });
    return font.get();
}

}  // namespace vitrine::display
