// The lenticular interleave on the GPU: a fullscreen pass over a panel's canvas that
// reads the quilt per sub-pixel (shaders/interleave.frag, after room/quilt.cpp's
// interleave(), its reference). Used where the native picture is shown live.
#pragma once
#include <memory>

#include "gpu/context.h"
#include "layout.h"

namespace vitrine::render {

class InterleavePass {
public:
    // `canvas_pass`: the render pass of the panel's canvas (GpuScene::canvas_pass).
    static Result<std::unique_ptr<InterleavePass>> create(gpu::Context& ctx, VkRenderPass canvas_pass);
    ~InterleavePass();
    InterleavePass(const InterleavePass&) = delete;
    InterleavePass& operator=(const InterleavePass&) = delete;

    // The quilt read from now on: an sRGB image view, SHADER_READ_ONLY_OPTIMAL when drawn.
    void set_quilt(VkImageView quilt);
    // Inside a render pass on the canvas: every pixel of `extent` written.
    void record(VkCommandBuffer cmd, const shader::InterleaveParams& params, VkExtent2D extent) const;

private:
    explicit InterleavePass(gpu::Context& ctx) : ctx_(ctx) {}
    gpu::Context& ctx_;
    VkShaderModule vert_ = VK_NULL_HANDLE, frag_ = VK_NULL_HANDLE;
    VkDescriptorSetLayout set_layout_ = VK_NULL_HANDLE;
    VkPipelineLayout layout_ = VK_NULL_HANDLE;
    VkPipeline pipeline_ = VK_NULL_HANDLE;
    VkDescriptorPool pool_ = VK_NULL_HANDLE;
    VkDescriptorSet set_ = VK_NULL_HANDLE;
    VkSampler sampler_ = VK_NULL_HANDLE;
};

}  // namespace vitrine::render
