#include "render/interleave.h"

#include "gpu/pipeline.h"

namespace vitrine::render {

namespace {
const uint32_t kFullscreenVert[] =
#include "fullscreen.vert.spv.inc"
    ;
const uint32_t kInterleaveFrag[] =
#include "interleave.frag.spv.inc"
    ;
}  // namespace

Result<std::unique_ptr<InterleavePass>> InterleavePass::create(gpu::Context& ctx, VkRenderPass canvas_pass) {
    std::unique_ptr<InterleavePass> p(new InterleavePass(ctx));
    VkDevice dev = ctx.device();
    p->vert_ = gpu::make_shader(ctx, kFullscreenVert, sizeof kFullscreenVert);
    p->frag_ = gpu::make_shader(ctx, kInterleaveFrag, sizeof kInterleaveFrag);
    p->set_layout_ = gpu::make_set_layout(
        ctx, {{0, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, VK_SHADER_STAGE_FRAGMENT_BIT}});
    p->layout_ = gpu::make_pipeline_layout(ctx, {p->set_layout_}, sizeof(shader::InterleaveParams),
                                           VK_SHADER_STAGE_FRAGMENT_BIT);
    gpu::GraphicsPipelineDesc d;
    d.vert = p->vert_;
    d.frag = p->frag_;
    d.layout = p->layout_;
    d.render_pass = canvas_pass;
    d.cull = VK_CULL_MODE_NONE;
    d.depth_test = d.depth_write = false;
    p->pipeline_ = gpu::make_graphics_pipeline(ctx, d);

    VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1};
    VkDescriptorPoolCreateInfo pci{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    pci.maxSets = 1;
    pci.poolSizeCount = 1;
    pci.pPoolSizes = &size;
    VK_CHECK(vkCreateDescriptorPool(dev, &pci, nullptr, &p->pool_));
    VkDescriptorSetAllocateInfo ai{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
    ai.descriptorPool = p->pool_;
    ai.descriptorSetCount = 1;
    ai.pSetLayouts = &p->set_layout_;
    VK_CHECK(vkAllocateDescriptorSets(dev, &ai, &p->set_));
    VkSamplerCreateInfo si{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};  // texelFetch only: filtering unused
    si.magFilter = si.minFilter = VK_FILTER_NEAREST;
    si.addressModeU = si.addressModeV = si.addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
    VK_CHECK(vkCreateSampler(dev, &si, nullptr, &p->sampler_));
    return p;
}

InterleavePass::~InterleavePass() {
    VkDevice dev = ctx_.device();
    VkShaderModule v = vert_, f = frag_;
    VkDescriptorSetLayout sl = set_layout_;
    VkPipelineLayout l = layout_;
    VkPipeline pl = pipeline_;
    VkDescriptorPool pool = pool_;
    VkSampler s = sampler_;
    ctx_.defer([=] {
        vkDestroyPipeline(dev, pl, nullptr);
        vkDestroyPipelineLayout(dev, l, nullptr);
        vkDestroyDescriptorSetLayout(dev, sl, nullptr);
        vkDestroyShaderModule(dev, v, nullptr);
        vkDestroyShaderModule(dev, f, nullptr);
        vkDestroyDescriptorPool(dev, pool, nullptr);
        vkDestroySampler(dev, s, nullptr);
    });
}

void InterleavePass::set_quilt(VkImageView quilt) {
    gpu::write_image(ctx_, set_, 0, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, quilt, sampler_,
                     VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL);
}

void InterleavePass::record(VkCommandBuffer cmd, const shader::InterleaveParams& params, VkExtent2D extent) const {
    VkViewport vp{0, 0, float(extent.width), float(extent.height), 0, 1};
    VkRect2D sc{{0, 0}, extent};
    vkCmdSetViewport(cmd, 0, 1, &vp);
    vkCmdSetScissor(cmd, 0, 1, &sc);
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline_);
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, layout_, 0, 1, &set_, 0, nullptr);
    vkCmdPushConstants(cmd, layout_, VK_SHADER_STAGE_FRAGMENT_BIT, 0, sizeof params, &params);
    vkCmdDraw(cmd, 3, 1, 0, 0);
}

}  // namespace vitrine::render
