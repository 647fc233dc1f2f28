#include "display/overlay.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "display/overlay_font.h"

namespace vitrine::display {

constexpr uint32_t kUiAtlases = 8;  // new ui atlases a pass takes (the editor makes one)

namespace {
const uint32_t kOverlayVert[] =
#include "overlay.vert.spv.inc"
    ;
const uint32_t kOverlayFrag[] =
#include "overlay.frag.spv.inc"
    ;

struct Push {  // overlay.vert / overlay.frag
    float scale[2], translate[2];
    uint32_t textured;
};

bool is_srgb(VkFormat f) {
    switch (f) {
        case VK_FORMAT_R8G8B8A8_SRGB:
        case VK_FORMAT_B8G8R8A8_SRGB:
        case VK_FORMAT_A8B8G8R8_SRGB_PACK32:
        case VK_FORMAT_R8G8B8_SRGB:
        case VK_FORMAT_B8G8R8_SRGB: return true;
        default: return false;
    }
}
}  // namespace

OverlayPass::OverlayPass(gpu::Context& ctx, VkRenderPass render_pass, VkFormat format, VkSampleCountFlagBits samples)
    : ctx_(ctx),
      pass_(ctx, kOverlayVert, kOverlayFrag, sizeof(Push), VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 1 + kUiAtlases,
            VK_FILTER_LINEAR) {
    gpu::GraphicsPipelineDesc d = pass_.desc(render_pass);
    d.blend = true;  // ImGui's: colour over by alpha, alpha accumulating
    d.samples = samples;
    d.frag_constant0 = is_srgb(format) ? 1 : 0;
    d.bindings = {{0, sizeof(OverlayVertex), VK_VERTEX_INPUT_RATE_VERTEX}};
    d.attributes = {{0, 0, VK_FORMAT_R32G32_SFLOAT, offsetof(OverlayVertex, pos)},
                    {1, 0, VK_FORMAT_R32G32_SFLOAT, offsetof(OverlayVertex, uv)},
                    {2, 0, VK_FORMAT_R8G8B8A8_UNORM, offsetof(OverlayVertex, colour)}};
    pass_.set_pipeline(gpu::make_graphics_pipeline(ctx, d));
}

Result<std::unique_ptr<OverlayPass>> OverlayPass::create(const OverlayInit& init) {
    if (!init.context || !init.render_pass) return fail(ErrorKind::Gpu, "overlay pass: no device or render pass given");
    if (init.subpass != 0) return fail(ErrorKind::Gpu, "overlay pass: only subpass 0 is supported");
    if (init.image_count == 0) return fail(ErrorKind::Gpu, "overlay pass: an image count of 0");
    std::unique_ptr<OverlayPass> p(
        new OverlayPass(*init.context, init.render_pass, init.colour_format, init.samples));
    // The font's atlas, or one transparent texel when there is no font (text is skipped
    // then, but the descriptor stays valid).
    const FontAtlas* font = overlay_font();
    Image8 none{1, 1, {255, 255, 255, 0}};
    auto atlas = gpu::upload_texture(*init.context, font ? font->pixels : none, false, false);
    if (!atlas) return atlas.error();
    p->atlas_ = std::move(atlas.value());
    init.context->name(VK_OBJECT_TYPE_IMAGE, p->atlas_.handle(), "overlay font atlas");
    p->set_ = p->pass_.allocate(p->atlas_.view());
    if (!p->set_) return fail(ErrorKind::Gpu, "overlay pass: cannot allocate its descriptor set");
    p->frames_.resize(init.image_count);
    return p;
}

// Buffers and the atlas go through the deletion queue (gpu::Buffer, gpu::Image), as does
// the pipeline (SampledPass): a frame in flight keeps them until it completes.
OverlayPass::~OverlayPass() = default;

namespace {
// `buffer` holds at least `bytes`: grown to the next power of two (never shrunk), so a
// panel that stays the same size allocates nothing after its first frame.
Result<void> reserve(gpu::Context& ctx, gpu::Buffer& buffer, uint64_t bytes, VkBufferUsageFlags usage) {
    if (buffer && buffer.size() >= bytes) return {};
    uint64_t size = std::max<uint64_t>(4096, std::bit_ceil(bytes));
    auto b = gpu::Buffer::create(ctx, size, usage, gpu::MemoryUse::Upload);
    if (!b) return b.error();
    buffer = std::move(b.value());  // the old one is freed once the GPU is done with it
    return {};
}
}  // namespace

Result<void> OverlayPass::record(VkCommandBuffer cmd, uint32_t image_index, const OverlayList& list, VkExtent2D extent) {
    if (list.empty() || extent.width == 0 || extent.height == 0) return {};
    if (image_index >= frames_.size())
        return fail(ErrorKind::Gpu, "overlay pass: image " + std::to_string(image_index) + " of " +
                                        std::to_string(frames_.size()));
    bool u16 = list.index_size == OverlayList::IndexSize::U16;
    size_t index_count = u16 ? list.indices16.size() : list.indices.size();
    // A command past the end of the list's indices or vertices would read outside the buffers.
    for (const OverlayCommand& c : list.commands)
        if (uint64_t(c.index_offset) + c.index_count > index_count || (c.index_count && c.vertex_offset >= list.vertices.size()))
            return fail(ErrorKind::Gpu, "overlay list: a command reaches past its indices or vertices");
    if (list.vertices.empty() || index_count == 0) return {};
    Frame& f = frames_[image_index];
    uint64_t vbytes = list.vertices.size() * sizeof(OverlayVertex), ibytes = index_count * (u16 ? 2 : 4);
    if (auto r = reserve(ctx_, f.vertices, vbytes, VK_BUFFER_USAGE_VERTEX_BUFFER_BIT); !r) return r;
    if (auto r = reserve(ctx_, f.indices, ibytes, VK_BUFFER_USAGE_INDEX_BUFFER_BIT); !r) return r;
    std::memcpy(f.vertices.mapped(), list.vertices.data(), vbytes);
    std::memcpy(f.indices.mapped(), u16 ? static_cast<const void*>(list.indices16.data()) : list.indices.data(), ibytes);

    ctx_.begin_label(cmd, "overlay");
    VkViewport vp{0, 0, float(extent.width), float(extent.height), 0, 1};
    vkCmdSetViewport(cmd, 0, 1, &vp);
    VkDeviceSize offset = 0;
    VkBuffer vb = f.vertices.handle();
    vkCmdBindVertexBuffers(cmd, 0, 1, &vb, &offset);
    vkCmdBindIndexBuffer(cmd, f.indices.handle(), 0, u16 ? VK_INDEX_TYPE_UINT16 : VK_INDEX_TYPE_UINT32);
    // A new ui atlas (the editor's fonts) is uploaded once, ahead of this frame's submission.
    if (list.ui_atlas && list.ui_atlas != ui_source_) {
        auto atlas = gpu::upload_texture(ctx_, *list.ui_atlas, false, false);
        if (!atlas) return atlas.error();
        ui_atlas_ = std::move(atlas.value());
        ctx_.name(VK_OBJECT_TYPE_IMAGE, ui_atlas_.handle(), "overlay ui atlas");
        ui_set_ = pass_.allocate(ui_atlas_.view());
        // A set per atlas (a set a frame in flight reads is never rewritten): kUiAtlases in a process.
        if (!ui_set_) return fail(ErrorKind::Gpu, "overlay pass: more than " + std::to_string(kUiAtlases) + " ui atlases");
        ui_source_ = list.ui_atlas;
    }
    Push push{{2.0f / float(extent.width), 2.0f / float(extent.height)}, {-1, -1}, 0};
    bool bound = false;
    OverlayTexture bound_texture = OverlayTexture::None;
    for (const OverlayCommand& c : list.commands) {
        // The scissor is the clip rectangle on whole pixels, inside the picture: the
        // pass writes nothing outside its commands' rectangles.
        auto at = [](float v, uint32_t limit) { return int64_t(std::clamp<double>(std::floor(double(v)), 0, limit)); };
        auto up = [](float v, uint32_t limit) { return int64_t(std::clamp<double>(std::ceil(double(v)), 0, limit)); };
        int64_t x0 = at(c.clip.x, extent.width), y0 = at(c.clip.y, extent.height);
        int64_t x1 = up(c.clip.z, extent.width), y1 = up(c.clip.w, extent.height);
        if (c.index_count == 0 || x1 <= x0 || y1 <= y0) continue;
        VkRect2D scissor{{int32_t(x0), int32_t(y0)}, {uint32_t(x1 - x0), uint32_t(y1 - y0)}};
        vkCmdSetScissor(cmd, 0, 1, &scissor);
        bool ui = c.texture == OverlayTexture::Ui && ui_set_;
        uint32_t textured = c.texture == OverlayTexture::Font || ui ? 1 : 0;
        OverlayTexture texture = ui ? OverlayTexture::Ui : OverlayTexture::Font;
        if (!bound || push.textured != textured || bound_texture != texture) {
            push.textured = textured;
            pass_.bind(cmd, ui ? ui_set_ : set_, &push, sizeof push);
            bound = true;
            bound_texture = texture;
        }
        vkCmdDrawIndexed(cmd, c.index_count, 1, c.index_offset, int32_t(c.vertex_offset), 0);
    }
    ctx_.end_label(cmd);
    return {};
}

}  // namespace vitrine::display
