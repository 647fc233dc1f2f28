// Panels drawn over an output's finished picture: a technician's status panel today, Dear
// ImGui's windows next. `OverlayList` is ImGui's draw data in our words (vertices in
// pixels, indices, commands with a clip rectangle and a texture), so an ImGui frame maps
// onto it one to one; rect() and text() build one by hand. `OverlayPass` draws a list
// inside a render pass that loads the picture, with ImGui's backend contract (made for a
// render pass and a number of frames in flight). On a lenticular panel the list is drawn
// on the native (interleaved) picture after the interleave, and only inside its
// commands' clip rectangles: every other pixel stays exactly the interleave's.
#pragma once
#include <memory>
#include <string_view>
#include <vector>

#include <glm/vec2.hpp>
#include <glm/vec4.hpp>

#include "core/image.h"
#include "gpu/resources.h"
#include "render/sampled_pass.h"

namespace vitrine::display {

// ImDrawVert's layout: 20 bytes, colour as IM_COL32 (R in the lowest byte), sRGB.
struct OverlayVertex {
    glm::vec2 pos;  // pixels from the picture's top-left
    glm::vec2 uv;   // in the font atlas (ignored by untextured commands)
    uint32_t colour;
};
static_assert(sizeof(OverlayVertex) == 20);

constexpr uint32_t rgba(uint8_t r, uint8_t g, uint8_t b, uint8_t a = 255) {
    return uint32_t(r) | uint32_t(g) << 8 | uint32_t(b) << 16 | uint32_t(a) << 24;
}

// None: solid colour; Font: the overlay font's atlas; Ui: the list's own `ui_atlas`
// (Dear ImGui's font atlas, with the glyphs its panels use).
enum class OverlayTexture : uint8_t { None, Font, Ui };

struct OverlayCommand {
    glm::vec4 clip{0};  // x0, y0, x1, y1 in pixels (ImDrawCmd::ClipRect): nothing is drawn outside
    uint32_t index_offset = 0, index_count = 0;
    uint32_t vertex_offset = 0;  // added to every index (ImDrawCmd::VtxOffset: 16-bit indices past 65535 vertices)
    OverlayTexture texture = OverlayTexture::None;
};

struct OverlayList {
    std::vector<OverlayVertex> vertices;
    // 32-bit indices in `indices`, or 16-bit ones (ImGui's default ImDrawIdx) in
    // `indices16`: only the one `index_size` names is read; the helpers write to it and,
    // for 16-bit, start a new command (vertex_offset) before 65536 vertices.
    enum class IndexSize : uint8_t { U32, U16 };
    IndexSize index_size = IndexSize::U32;
    std::vector<uint32_t> indices;
    std::vector<uint16_t> indices16;
    std::vector<OverlayCommand> commands;
    // The texture of OverlayTexture::Ui commands (RGBA8, coverage in alpha): uploaded by
    // the pass when it is a new one (by pointer), kept while lists keep naming it.
    std::shared_ptr<const Image8> ui_atlas;

    bool empty() const { return commands.empty(); }
    void clear();
    // `other`'s commands after this list's (both with 32-bit indices; `other`'s ui_atlas
    // is taken when this list has none).
    void append(const OverlayList& other);

    // The clip rectangle later rect() and text() calls are cut to (pixels; default: none).
    void set_clip(float x, float y, float w, float h) { clip_ = {x, y, x + w, y + h}; }
    void clear_clip() { clip_ = kNoClip; }

    // A solid rectangle; on whole pixels it covers exactly the pixels [x, x+w) x [y, y+h).
    void rect(float x, float y, float w, float h, uint32_t colour);
    // UTF-8 text, its first line's top at y (lines split at '\n'); characters the font
    // lacks (it holds ASCII and Latin-1) show as '?'. Drawn inside, and clipped to, the box
    // measure() gives at (x, y). Skipped (one warning per process) when no font was found.
    void text(float x, float y, std::string_view utf8, uint32_t colour, float pixel_height);

private:
    static constexpr glm::vec4 kNoClip{-1e9f, -1e9f, 1e9f, 1e9f};
    glm::vec4 clip_ = kNoClip;
    OverlayCommand& command_for(OverlayTexture texture, glm::vec4 clip, uint32_t new_vertices);
    void quad(glm::vec2 p0, glm::vec2 p1, glm::vec2 uv0, glm::vec2 uv1, uint32_t colour);
};

// Width and height in pixels of the box text(x, y, utf8, colour, pixel_height) draws in:
// its widest line, from the first line's top to the last line's bottom; 0 x 0 without a font.
glm::vec2 measure(std::string_view utf8, float pixel_height);

// The font atlas (RGBA8: white, glyph coverage in alpha, as ImGui's), rasterised once
// per process with stb_truetype from a TTF on the system (VITRINE_FONT, else DejaVu Sans
// and a few other usual places); null when there is none.
struct FontAtlas;
const FontAtlas* overlay_font();

// ImGui_ImplVulkan_InitInfo's part that matters here. The Context gives the device and
// the queue (the atlas goes through its upload ring, ahead of the next submission).
struct OverlayInit {
    gpu::Context* context = nullptr;
    VkRenderPass render_pass = VK_NULL_HANDLE;  // loads the colour attachment it draws over
    uint32_t subpass = 0;  // 0 only (gpu::make_graphics_pipeline's pipelines are for subpass 0)
    uint32_t image_count = gpu::kFramesInFlight;  // frames in flight: one set of buffers each
    VkFormat colour_format = VK_FORMAT_UNDEFINED;  // an sRGB format: colours are converted to linear first
    VkSampleCountFlagBits samples = VK_SAMPLE_COUNT_1_BIT;
};

class OverlayPass {
public:
    static Result<std::unique_ptr<OverlayPass>> create(const OverlayInit& init);
    ~OverlayPass();
    OverlayPass(const OverlayPass&) = delete;
    OverlayPass& operator=(const OverlayPass&) = delete;

    // Inside the render pass, on a picture of `extent`: the list, each command cut to its
    // clip rectangle. `image_index` picks the buffers: the GPU must be done with the frame
    // that last used that index (a frame loop's slot). Buffers grow as needed and are
    // kept, so a warm pass allocates nothing. An empty list records nothing.
    Result<void> record(VkCommandBuffer cmd, uint32_t image_index, const OverlayList& list, VkExtent2D extent);

private:
    OverlayPass(gpu::Context& ctx, VkRenderPass render_pass, VkFormat format, VkSampleCountFlagBits samples);
    gpu::Context& ctx_;
    render::SampledPass pass_;
    gpu::Image atlas_;
    VkDescriptorSet set_ = VK_NULL_HANDLE;
    std::shared_ptr<const Image8> ui_source_;  // the ui atlas uploaded (kept alive: pointers compare)
    gpu::Image ui_atlas_;
    VkDescriptorSet ui_set_ = VK_NULL_HANDLE;
    struct Frame {
        gpu::Buffer vertices, indices;
    };
    std::vector<Frame> frames_;
};

}  // namespace vitrine::display
