// The Vulkan objects of a small pass that samples one image per draw (the lenticular
// interleave, the mesh-screen warp): shader modules, a set layout of one combined image
// sampler at binding 0, the pipeline layout with push constants, a pool, a sampler. The
// pipeline is made by the pass from `desc()`. Everything is freed through the Context's
// deletion queue.
#pragma once
#include <span>

#include "gpu/context.h"
#include "gpu/pipeline.h"

namespace vitrine::render {

class SampledPass {
public:
    SampledPass(gpu::Context& ctx, std::span<const uint32_t> vert, std::span<const uint32_t> frag, uint32_t push_bytes,
                VkShaderStageFlags push_stages, uint32_t sets, VkFilter filter);
    ~SampledPass();
    SampledPass(const SampledPass&) = delete;
    SampledPass& operator=(const SampledPass&) = delete;

    // A pipeline description with the shaders and layout filled in (no depth, no culling).
    gpu::GraphicsPipelineDesc desc(VkRenderPass render_pass) const;
    void set_pipeline(VkPipeline pipeline) { pipeline_ = pipeline; }
    // One of the `sets` sets, pointing at `image` (SHADER_READ_ONLY_OPTIMAL when drawn); null when all are taken.
    VkDescriptorSet allocate(VkImageView image);
    void write(VkDescriptorSet set, VkImageView image);
    // Binds the pipeline, `set` and the push constants.
    void bind(VkCommandBuffer cmd, VkDescriptorSet set, const void* push, uint32_t push_bytes) const;

private:
    gpu::Context& ctx_;
    VkShaderModule vert_ = VK_NULL_HANDLE, frag_ = VK_NULL_HANDLE;
    VkDescriptorSetLayout set_layout_ = VK_NULL_HANDLE;
    VkPipelineLayout layout_ = VK_NULL_HANDLE;
    VkPipeline pipeline_ = VK_NULL_HANDLE;
    VkDescriptorPool pool_ = VK_NULL_HANDLE;
    VkSampler sampler_ = VK_NULL_HANDLE;
    VkShaderStageFlags push_stages_ = 0;
};

}  // namespace vitrine::render
