#include "render/sampled_pass.h"

#include <algorithm>

namespace vitrine::render {

SampledPass::SampledPass(gpu::Context& ctx, std::span<const uint32_t> vert, std::span<const uint32_t> frag,
                         uint32_t push_bytes, VkShaderStageFlags push_stages, uint32_t sets, VkFilter filter)
    : ctx_(ctx), push_stages_(push_stages) {
    VkDevice dev = ctx.device();
    vert_ = gpu::make_shader(ctx, vert.data(), vert.size_bytes());
    frag_ = gpu::make_shader(ctx, frag.data(), frag.size_bytes());
    set_layout_ = gpu::make_set_layout(ctx, {{0, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, VK_SHADER_STAGE_FRAGMENT_BIT}});
    layout_ = gpu::make_pipeline_layout(ctx, {set_layout_}, push_bytes, push_stages);
    VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, std::max(1u, sets)};
    VkDescriptorPoolCreateInfo pci{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    pci.maxSets = std::max(1u, sets);
    pci.poolSizeCount = 1;
    pci.pPoolSizes = &size;
    VK_CHECK(vkCreateDescriptorPool(dev, &pci, nullptr, &pool_));
    VkSamplerCreateInfo si{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
    si.magFilter = si.minFilter = filter;
    si.addressModeU = si.addressModeV = si.addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
    VK_CHECK(vkCreateSampler(dev, &si, nullptr, &sampler_));
}

SampledPass::~SampledPass() {
    VkDevice dev = ctx_.device();
    VkShaderModule v = vert_, f = frag_;
    VkDescriptorSetLayout sl = set_layout_;
    VkPipelineLayout l = layout_;
    VkPipeline pl = pipeline_;
    VkDescriptorPool pool = pool_;
    VkSampler s = sampler_;
    ctx_.defer([=] {
        if (pl) vkDestroyPipeline(dev, pl, nullptr);
        vkDestroyPipelineLayout(dev, l, nullptr);
        vkDestroyDescriptorSetLayout(dev, sl, nullptr);
        vkDestroyShaderModule(dev, v, nullptr);
        vkDestroyShaderModule(dev, f, nullptr);
        vkDestroyDescriptorPool(dev, pool, nullptr);
        vkDestroySampler(dev, s, nullptr);
    });
}

gpu::GraphicsPipelineDesc SampledPass::desc(VkRenderPass render_pass) const {
    gpu::GraphicsPipelineDesc d;
    d.vert = vert_;
    d.frag = frag_;
    d.layout = layout_;
    d.render_pass = render_pass;
    d.cull = VK_CULL_MODE_NONE;
    d.depth_test = d.depth_write = false;
    return d;
}

VkDescriptorSet SampledPass::allocate(VkImageView image) {
    VkDescriptorSetAllocateInfo ai{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
    ai.descriptorPool = pool_;
    ai.descriptorSetCount = 1;
    ai.pSetLayouts = &set_layout_;
    VkDescriptorSet set = VK_NULL_HANDLE;
    if (vkAllocateDescriptorSets(ctx_.device(), &ai, &set) != VK_SUCCESS) return VK_NULL_HANDLE;
    write(set, image);
    return set;
}

void SampledPass::write(VkDescriptorSet set, VkImageView image) {
    gpu::write_image(ctx_, set, 0, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, image, sampler_,
                     VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL);
}

void SampledPass::bind(VkCommandBuffer cmd, VkDescriptorSet set, const void* push, uint32_t push_bytes) const {
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline_);
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, layout_, 0, 1, &set, 0, nullptr);
    vkCmdPushConstants(cmd, layout_, push_stages_, 0, push_bytes, push);
}

}  // namespace vitrine::render
