// Curved (mesh) screens on the GPU: each mesh's triangles drawn where their UVs put them
// on the canvas, sampling the picture the eye sees through the mesh's frustum
// (shaders/warp.vert/.frag; room/mesh_warp.cpp is the CPU reference). Live outputs.
#pragma once
#include <memory>
#include <span>
#include <vector>

#include "gpu/resources.h"
#include "layout.h"
#include "render/sampled_pass.h"

namespace vitrine::render {

struct WarpVertex {
    glm::vec3 world;   // metres, room frame
    glm::vec2 canvas;  // canvas pixels, y from the top
};

class WarpPass {
public:
    // `canvas_pass`: the render pass of the canvas (GpuScene::canvas_pass).
    WarpPass(gpu::Context& ctx, VkRenderPass canvas_pass, uint32_t max_meshes);
    // A mesh and the picture (sRGB view, SHADER_READ_ONLY_OPTIMAL when drawn) it samples.
    Result<void> add_mesh(std::span<const WarpVertex> vertices, std::span<const uint32_t> indices, VkImageView picture);
    // Inside a render pass on the canvas; only `scissor` (the mesh's region, fitted) is written.
    void record(VkCommandBuffer cmd, uint32_t mesh, const shader::WarpParams& params, VkRect2D scissor) const;

private:
    struct Mesh {
        gpu::Buffer vertices, indices;
        uint32_t index_count = 0;
        VkDescriptorSet set = VK_NULL_HANDLE;
    };
    gpu::Context& ctx_;
    SampledPass pass_;
    std::vector<Mesh> meshes_;
};

}  // namespace vitrine::render
