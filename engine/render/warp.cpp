#include "render/warp.h"

#include <cstring>

#include "gpu/pipeline.h"

namespace vitrine::render {

namespace {
const uint32_t kWarpVert[] =
#include "warp.vert.spv.inc"
    ;
const uint32_t kWarpFrag[] =
#include "warp.frag.spv.inc"
    ;
}  // namespace

Result<std::unique_ptr<WarpPass>> WarpPass::create(gpu::Context& ctx, VkRenderPass canvas_pass, uint32_t max_meshes) {
    std::unique_ptr<WarpPass> p(new WarpPass(ctx));
    VkDevice dev = ctx.device();
    p->vert_ = gpu::make_shader(ctx, kWarpVert, sizeof kWarpVert);
    p->frag_ = gpu::make_shader(ctx, kWarpFrag, sizeof kWarpFrag);
    p->set_layout_ = gpu::make_set_layout(ctx, {{0, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, VK_SHADER_STAGE_FRAGMENT_BIT}});
    p->layout_ = gpu::make_pipeline_layout(ctx, {p->set_layout_}, sizeof(shader::WarpParams), VK_SHADER_STAGE_VERTEX_BIT);
    gpu::GraphicsPipelineDesc d;
    d.vert = p->vert_;
    d.frag = p->frag_;
    d.layout = p->layout_;
    d.render_pass = canvas_pass;
    d.cull = VK_CULL_MODE_NONE;  // UVs may mirror a triangle on the canvas
    d.depth_test = d.depth_write = false;
    d.bindings = {{0, sizeof(WarpVertex), VK_VERTEX_INPUT_RATE_VERTEX}};
    d.attributes = {{0, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(WarpVertex, world)},
                    {1, 0, VK_FORMAT_R32G32_SFLOAT, offsetof(WarpVertex, canvas)}};
    p->pipeline_ = gpu::make_graphics_pipeline(ctx, d);

    VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, std::max(1u, max_meshes)};
    VkDescriptorPoolCreateInfo pci{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    pci.maxSets = std::max(1u, max_meshes);
    pci.poolSizeCount = 1;
    pci.pPoolSizes = &size;
    VK_CHECK(vkCreateDescriptorPool(dev, &pci, nullptr, &p->pool_));
    VkSamplerCreateInfo si{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
    si.magFilter = si.minFilter = VK_FILTER_LINEAR;
    si.addressModeU = si.addressModeV = si.addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
    VK_CHECK(vkCreateSampler(dev, &si, nullptr, &p->sampler_));
    return p;
}

WarpPass::~WarpPass() {
    VkDevice dev = ctx_.device();
    VkShaderModule v = vert_, f = frag_;
    VkDescriptorSetLayout sl = set_layout_;
    VkPipelineLayout l = layout_;
    VkPipeline pl = pipeline_;
    VkDescriptorPool pool = pool_;
    VkSampler s = sampler_;
    meshes_.clear();  // buffers are deferred by their destructors
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

Result<void> WarpPass::add_mesh(std::span<const WarpVertex> vertices, std::span<const uint32_t> indices, VkImageView picture) {
    Mesh m;
    auto vb = gpu::Buffer::create(ctx_, std::max<uint64_t>(vertices.size_bytes(), 4), VK_BUFFER_USAGE_VERTEX_BUFFER_BIT,
                                  gpu::MemoryUse::Upload);
    if (!vb) return vb.error();
    auto ib = gpu::Buffer::create(ctx_, std::max<uint64_t>(indices.size_bytes(), 4), VK_BUFFER_USAGE_INDEX_BUFFER_BIT,
                                  gpu::MemoryUse::Upload);
    if (!ib) return ib.error();
    m.vertices = std::move(vb.value());
    m.indices = std::move(ib.value());
    std::memcpy(m.vertices.mapped(), vertices.data(), vertices.size_bytes());
    std::memcpy(m.indices.mapped(), indices.data(), indices.size_bytes());
    m.index_count = uint32_t(indices.size());
    VkDescriptorSetAllocateInfo ai{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
    ai.descriptorPool = pool_;
    ai.descriptorSetCount = 1;
    ai.pSetLayouts = &set_layout_;
    if (vkAllocateDescriptorSets(ctx_.device(), &ai, &m.set) != VK_SUCCESS) return fail(ErrorKind::Gpu, "too many mesh screens");
    gpu::write_image(ctx_, m.set, 0, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, picture, sampler_,
                     VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL);
    meshes_.push_back(std::move(m));
    return {};
}

void WarpPass::record(VkCommandBuffer cmd, uint32_t mesh, const shader::WarpParams& params, VkRect2D scissor) const {
    const Mesh& m = meshes_[mesh];
    VkViewport vp{0, 0, params.target.x, params.target.y, 0, 1};
    vkCmdSetViewport(cmd, 0, 1, &vp);
    vkCmdSetScissor(cmd, 0, 1, &scissor);
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline_);
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, layout_, 0, 1, &m.set, 0, nullptr);
    vkCmdPushConstants(cmd, layout_, VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof params, &params);
    VkDeviceSize offset = 0;
    VkBuffer vb = m.vertices.handle();
    vkCmdBindVertexBuffers(cmd, 0, 1, &vb, &offset);
    vkCmdBindIndexBuffer(cmd, m.indices.handle(), 0, VK_INDEX_TYPE_UINT32);
    vkCmdDrawIndexed(cmd, m.index_count, 1, 0, 0, 0);
}

}  // namespace vitrine::render
