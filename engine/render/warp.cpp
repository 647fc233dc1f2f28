#include "render/warp.h"

#include <cstring>

namespace vitrine::render {

namespace {
const uint32_t kWarpVert[] =
#include "warp.vert.spv.inc"
    ;
const uint32_t kWarpFrag[] =
#include "warp.frag.spv.inc"
    ;
}  // namespace

WarpPass::WarpPass(gpu::Context& ctx, VkRenderPass canvas_pass, uint32_t max_meshes)
    : ctx_(ctx),
      pass_(ctx, kWarpVert, kWarpFrag, sizeof(shader::WarpParams), VK_SHADER_STAGE_VERTEX_BIT, max_meshes, VK_FILTER_LINEAR) {
    gpu::GraphicsPipelineDesc d = pass_.desc(canvas_pass);  // no culling: UVs may mirror a triangle
    d.bindings = {{0, sizeof(WarpVertex), VK_VERTEX_INPUT_RATE_VERTEX}};
    d.attributes = {{0, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(WarpVertex, world)},
                    {1, 0, VK_FORMAT_R32G32_SFLOAT, offsetof(WarpVertex, canvas)}};
    pass_.set_pipeline(gpu::make_graphics_pipeline(ctx, d));
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
    m.set = pass_.allocate(picture);
    if (!m.set) return fail(ErrorKind::Gpu, "more mesh screens than the warp pass was made for");
    meshes_.push_back(std::move(m));
    return {};
}

void WarpPass::record(VkCommandBuffer cmd, uint32_t mesh, const shader::WarpParams& params, VkRect2D scissor) const {
    const Mesh& m = meshes_[mesh];
    VkViewport vp{0, 0, params.target.x, params.target.y, 0, 1};
    vkCmdSetViewport(cmd, 0, 1, &vp);
    vkCmdSetScissor(cmd, 0, 1, &scissor);
    pass_.bind(cmd, m.set, &params, sizeof params);
    VkDeviceSize offset = 0;
    VkBuffer vb = m.vertices.handle();
    vkCmdBindVertexBuffers(cmd, 0, 1, &vb, &offset);
    vkCmdBindIndexBuffer(cmd, m.indices.handle(), 0, VK_INDEX_TYPE_UINT32);
    vkCmdDrawIndexed(cmd, m.index_count, 1, 0, 0, 0);
}

}  // namespace vitrine::render
