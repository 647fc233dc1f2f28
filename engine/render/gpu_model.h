// A scene::Model on the GPU: one vertex and one index buffer for every primitive,
// textures (sRGB or linear as the material uses them, mipmapped on the GPU),
// samplers, and a descriptor set per material.
#pragma once
#include <map>
#include <memory>
#include <vector>

#include "gpu/resources.h"
#include "scene/model.h"

namespace vitrine::render {

struct GpuPrimitive {
    uint64_t first_vertex = 0;  // in vertices, into GpuModel::vertices
    uint64_t first_index = 0;   // in indices, into GpuModel::indices
    uint32_t index_count = 0;
    int material = -1;          // -1: default material (last set)
};

class GpuModel {
public:
    // `material_layout` is the renderer's set 1 layout.
    static Result<std::unique_ptr<GpuModel>> upload(gpu::Context& ctx, const scene::Model& model,
                                                    VkDescriptorSetLayout material_layout);
    ~GpuModel();

    const GpuPrimitive& primitive(int mesh, int prim) const { return meshes_[size_t(mesh)][size_t(prim)]; }
    VkDescriptorSet material_set(int material) const {
        return material >= 0 ? material_sets_[size_t(material)] : material_sets_.back();
    }
    bool material_blends(int material) const;
    bool material_double_sided(int material) const;
    bool material_transmits(int material) const;  // KHR_materials_transmission
    // FEATURE_* and texture-present bits of shaders/layout.h, for pipeline specialization.
    int material_features(int material) const { return material >= 0 ? features_[size_t(material)] : features_.back(); }
    size_t material_count() const { return materials_.size(); }
    VkBuffer vertex_buffer() const { return vertices_.handle(); }
    VkBuffer index_buffer() const { return indices_.handle(); }
    uint64_t bytes() const { return texture_bytes_ + vertices_.size() + indices_.size(); }

private:
    GpuModel(gpu::Context& ctx) : ctx_(ctx) {}
    gpu::Context& ctx_;
    const scene::Model* model_ = nullptr;
    std::vector<scene::Material> materials_;
    std::vector<std::vector<GpuPrimitive>> meshes_;
    gpu::Buffer vertices_, indices_;
    std::vector<gpu::Image> srgb_, linear_;  // per model image; empty when unused that way
    gpu::Image white_, flat_normal_;
    std::vector<gpu::Buffer> material_ubos_;
    std::map<uint32_t, VkSampler> samplers_;
    VkDescriptorPool pool_ = VK_NULL_HANDLE;
    std::vector<VkDescriptorSet> material_sets_;
    std::vector<int> features_;  // per material set (the default material last)
    uint64_t texture_bytes_ = 0;
};

}  // namespace vitrine::render
