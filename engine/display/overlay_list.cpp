// Building an OverlayList by hand: rectangles and text, batched into as few commands as
// their texture and clip rectangle allow (ImGui's draw lists do the same).
#include <algorithm>
#include <cmath>

#include "display/overlay_font.h"

namespace vitrine::display {

void OverlayList::clear() {
    vertices.clear();
    indices.clear();
    indices16.clear();
    commands.clear();
    clip_ = kNoClip;
}

void OverlayList::append(const OverlayList& other) {
    if (other.commands.empty()) return;
    if (!ui_atlas) ui_atlas = other.ui_atlas;
    uint32_t base_vertex = uint32_t(vertices.size()), base_index = uint32_t(indices.size());
    vertices.insert(vertices.end(), other.vertices.begin(), other.vertices.end());
    indices.insert(indices.end(), other.indices.begin(), other.indices.end());
    for (OverlayCommand c : other.commands) {
        c.index_offset += base_index;
        c.vertex_offset += base_vertex;
        commands.push_back(c);
    }
}

OverlayCommand& OverlayList::command_for(OverlayTexture texture, glm::vec4 clip, uint32_t new_vertices) {
    size_t index_end = index_size == IndexSize::U16 ? indices16.size() : indices.size();
    if (!commands.empty()) {
        OverlayCommand& last = commands.back();
        bool fits = index_size == IndexSize::U32 || vertices.size() + new_vertices - last.vertex_offset <= 65536;
        if (last.texture == texture && last.clip == clip && fits && last.index_offset + last.index_count == index_end)
            return last;
    }
    OverlayCommand c;
    c.clip = clip;
    c.texture = texture;
    c.index_offset = uint32_t(index_end);
    c.vertex_offset = index_size == IndexSize::U16 ? uint32_t(vertices.size()) : 0;
    commands.push_back(c);
    return commands.back();
}

void OverlayList::quad(glm::vec2 p0, glm::vec2 p1, glm::vec2 uv0, glm::vec2 uv1, uint32_t colour) {
    OverlayCommand& c = commands.back();
    uint32_t base = uint32_t(vertices.size()) - c.vertex_offset;
    vertices.push_back({p0, uv0, colour});
    vertices.push_back({{p1.x, p0.y}, {uv1.x, uv0.y}, colour});
    vertices.push_back({p1, uv1, colour});
    vertices.push_back({{p0.x, p1.y}, {uv0.x, uv1.y}, colour});
    for (uint32_t i : {0u, 1u, 2u, 0u, 2u, 3u}) {
        if (index_size == IndexSize::U16) indices16.push_back(uint16_t(base + i));
        else indices.push_back(base + i);
    }
    c.index_count += 6;
}

void OverlayList::rect(float x, float y, float w, float h, uint32_t colour) {
    if (!(w > 0 && h > 0)) return;
    command_for(OverlayTexture::None, clip_, 4);
    quad({x, y}, {x + w, y + h}, {0, 0}, {0, 0}, colour);
}

namespace {

// Lays out `text` from (x, y) (the first line's top): calls quad(glyph, p0, p1) for each
// visible glyph; returns the box's size.
template <typename Quad>
glm::vec2 layout(const FontAtlas& font, std::string_view text, float x, float y, float pixel_height, Quad&& quad) {
    float s = pixel_height / FontAtlas::kRasterPixels;
    float pen = x, baseline = y + font.ascent * s, right = x, bottom = y + (font.ascent - font.descent) * s;
    for (size_t i = 0; i < text.size();) {
        uint32_t cp = next_code_point(text, i);
        if (cp == '\n') {
            pen = x;
            baseline += font.line_advance() * s;
            bottom = baseline - font.descent * s;
            continue;
        }
        if (cp == '\r') continue;
        const Glyph& g = font.glyph(cp);
        glm::vec2 p0 = glm::vec2(pen, baseline) + g.off0 * s, p1 = glm::vec2(pen, baseline) + g.off1 * s;
        if (p1.x > p0.x && p1.y > p0.y) {
            quad(g, p0, p1);
            right = std::max(right, p1.x);
            bottom = std::max(bottom, p1.y);
        }
        pen += g.advance * s;
        right = std::max(right, pen);
    }
    return {right - x, bottom - y};
}

}  // namespace

glm::vec2 measure(std::string_view text, float pixel_height) {
    const FontAtlas* font = overlay_font();
    if (!font || !(pixel_height > 0)) return {0, 0};
    return layout(*font, text, 0, 0, pixel_height, [](const Glyph&, glm::vec2, glm::vec2) {});
}

void OverlayList::text(float x, float y, std::string_view text, uint32_t colour, float pixel_height) {
    const FontAtlas* font = overlay_font();
    if (!font || !(pixel_height > 0) || text.empty()) return;
    // The box measure() gives is the clip rectangle: a glyph reaching left of x or above
    // the line (a negative bearing, a tall accent: rare) is cut there.
    glm::vec2 size = measure(text, pixel_height);
    glm::vec4 clip{std::max(clip_.x, x), std::max(clip_.y, y), std::min(clip_.z, x + size.x), std::min(clip_.w, y + size.y)};
    if (clip.z <= clip.x || clip.w <= clip.y) return;
    layout(*font, text, x, y, pixel_height, [&](const Glyph& g, glm::vec2 p0, glm::vec2 p1) {
        command_for(OverlayTexture::Font, clip, 4);
        quad(p0, p1, g.uv0, g.uv1, colour);
    });
}

}  // namespace vitrine::display
