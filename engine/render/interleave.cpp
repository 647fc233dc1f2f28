#include "render/interleave.h"

namespace vitrine::render {

namespace {
const uint32_t kFullscreenVert[] =
#include "fullscreen.vert.spv.inc"
    ;
const uint32_t kInterleaveFrag[] =
#include "interleave.frag.spv.inc"
    ;
}  // namespace

InterleavePass::InterleavePass(gpu::Context& ctx, VkRenderPass canvas_pass)
    // texelFetch only: the sampler's filter is unused.
    : pass_(ctx, kFullscreenVert, kInterleaveFrag, sizeof(shader::InterleaveParams), VK_SHADER_STAGE_FRAGMENT_BIT, 1,
            VK_FILTER_NEAREST) {
    pass_.set_pipeline(gpu::make_graphics_pipeline(ctx, pass_.desc(canvas_pass)));
}

void InterleavePass::set_quilt(VkImageView quilt) {
    if (set_) pass_.write(set_, quilt);
    else set_ = pass_.allocate(quilt);
}

void InterleavePass::record(VkCommandBuffer cmd, const shader::InterleaveParams& params, VkExtent2D extent) const {
    VkViewport vp{0, 0, float(extent.width), float(extent.height), 0, 1};
    VkRect2D sc{{0, 0}, extent};
    vkCmdSetViewport(cmd, 0, 1, &vp);
    vkCmdSetScissor(cmd, 0, 1, &sc);
    pass_.bind(cmd, set_, &params, sizeof params);
    vkCmdDraw(cmd, 3, 1, 0, 0);
}

}  // namespace vitrine::render
