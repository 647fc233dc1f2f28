// The lenticular interleave on the GPU: a fullscreen pass over a panel's canvas that
// reads the quilt per sub-pixel (shaders/interleave.frag, after room/quilt.cpp's
// interleave(), its reference). Used where the native picture is shown live.
#pragma once
#include <memory>

#include "layout.h"
#include "render/sampled_pass.h"

namespace vitrine::render {

class InterleavePass {
public:
    // `canvas_pass`: the render pass of the panel's canvas (GpuScene::canvas_pass).
    InterleavePass(gpu::Context& ctx, VkRenderPass canvas_pass);
    // The quilt read from now on: an sRGB image view, SHADER_READ_ONLY_OPTIMAL when drawn.
    void set_quilt(VkImageView quilt);
    // Inside a render pass on the canvas: every pixel of `extent` written.
    void record(VkCommandBuffer cmd, const shader::InterleaveParams& params, VkExtent2D extent) const;

private:
    SampledPass pass_;
    VkDescriptorSet set_ = VK_NULL_HANDLE;
};

}  // namespace vitrine::render
