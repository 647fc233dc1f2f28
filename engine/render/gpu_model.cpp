#include "render/gpu_model.h"

#include <cstring>

#include "gpu/pipeline.h"
#include "gpu/upload_ring.h"
#include "layout.h"

namespace vitrine::render {

namespace {

uint32_t sampler_key(const scene::Sampler& s) {
    return uint32_t(s.mag) | uint32_t(s.min) << 2 | uint32_t(s.mipmaps) << 4 | uint32_t(s.mip) << 5 |
           uint32_t(s.wrap_s) << 7 | uint32_t(s.wrap_t) << 10;
}

VkSamplerAddressMode address(scene::Wrap w) {
    switch (w) {
        case scene::Wrap::Clamp: return VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
        case scene::Wrap::Mirror: return VK_SAMPLER_ADDRESS_MODE_MIRRORED_REPEAT;
        default: return VK_SAMPLER_ADDRESS_MODE_REPEAT;
    }
}

void set_xform(shader::MaterialUniforms& u, int slot, const scene::TextureRef& ref) {
    glm::mat3 m = ref.transform.matrix();
    u.uv_xform[slot * 2] = glm::vec4(m[0][0], m[1][0], m[2][0], 0);
    u.uv_xform[slot * 2 + 1] = glm::vec4(m[0][1], m[1][1], m[2][1], 0);
}

}  // namespace

Result<std::unique_ptr<GpuModel>> GpuModel::upload(gpu::Context& ctx, const scene::Model& model,
                                                   VkDescriptorSetLayout material_layout) {
    std::unique_ptr<GpuModel> g(new GpuModel(ctx));
    g->model_ = &model;
    g->materials_ = model.materials;

    // Geometry: every primitive into one vertex and one index buffer, streamed through
    // the upload ring primitive by primitive (no concatenated copy on the CPU).
    uint64_t nv = 0, ni = 0;
    for (const auto& mesh : model.meshes) {
        std::vector<GpuPrimitive> prims;
        for (const auto& p : mesh.primitives) {
            prims.push_back({nv, ni, uint32_t(p.indices.size()), p.material});
            nv += p.vertices.size();
            ni += p.indices.size();
        }
        g->meshes_.push_back(std::move(prims));
    }
    auto vb = gpu::Buffer::create(ctx, std::max<uint64_t>(nv, 1) * sizeof(scene::Vertex),
                                  VK_BUFFER_USAGE_VERTEX_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT, gpu::MemoryUse::DeviceLocal);
    if (!vb) return vb.error();
    auto ib = gpu::Buffer::create(ctx, std::max<uint64_t>(ni, 1) * sizeof(uint32_t),
                                  VK_BUFFER_USAGE_INDEX_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT, gpu::MemoryUse::DeviceLocal);
    if (!ib) return ib.error();
    g->vertices_ = std::move(vb.value());
    g->indices_ = std::move(ib.value());
    size_t m = 0;
    for (const auto& mesh : model.meshes) {
        for (size_t p = 0; p < mesh.primitives.size(); ++p) {
            const scene::Primitive& prim = mesh.primitives[p];
            const GpuPrimitive& gp = g->meshes_[m][p];
            if (!prim.vertices.empty())
                if (auto r = ctx.uploads().to_buffer(g->vertices_.handle(), gp.first_vertex * sizeof(scene::Vertex),
                                                     prim.vertices.data(), prim.vertices.size() * sizeof(scene::Vertex));
                    !r)
                    return r.error();
            if (!prim.indices.empty())
                if (auto r = ctx.uploads().to_buffer(g->indices_.handle(), gp.first_index * sizeof(uint32_t), prim.indices.data(),
                                                     prim.indices.size() * sizeof(uint32_t));
                    !r)
                    return r.error();
        }
        ++m;
    }
    if (auto r = gpu::after_buffer_uploads(ctx); !r) return r.error();

    // Textures, uploaded once per colour space they are used in.
    g->srgb_.resize(model.images.size());
    g->linear_.resize(model.images.size());
    for (size_t i = 0; i < model.images.size(); ++i) {
        const auto& img = model.images[i];
        if (img.pixels.rgba.empty()) continue;
        for (bool srgb : {true, false}) {
            if (srgb ? !img.srgb : !img.linear) continue;
            auto t = gpu::upload_texture(ctx, img.pixels, srgb, true);
            if (!t) return fail(model.source + ": image '" + img.name + "': " + t.error().message);
            (srgb ? g->srgb_ : g->linear_)[i] = std::move(t.value());
            g->texture_bytes_ += img.pixels.rgba.size() * 4 / 3;
        }
    }
    Image8 white{1, 1, {255, 255, 255, 255}}, flat{1, 1, {128, 128, 255, 255}};
    auto w = gpu::upload_texture(ctx, white, false, false);
    auto f = gpu::upload_texture(ctx, flat, false, false);
    if (!w) return w.error();
    if (!f) return f.error();
    g->white_ = std::move(w.value());
    g->flat_normal_ = std::move(f.value());

    auto sampler_for = [&](const scene::Sampler& s) {
        uint32_t key = sampler_key(s);
        auto it = g->samplers_.find(key);
        if (it != g->samplers_.end()) return it->second;
        VkSamplerCreateInfo si{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
        si.magFilter = s.mag == scene::Filter::Nearest ? VK_FILTER_NEAREST : VK_FILTER_LINEAR;
        si.minFilter = s.min == scene::Filter::Nearest ? VK_FILTER_NEAREST : VK_FILTER_LINEAR;
        si.mipmapMode = s.mip == scene::Filter::Nearest ? VK_SAMPLER_MIPMAP_MODE_NEAREST : VK_SAMPLER_MIPMAP_MODE_LINEAR;
        si.addressModeU = address(s.wrap_s);
        si.addressModeV = address(s.wrap_t);
        si.addressModeW = VK_SAMPLER_ADDRESS_MODE_REPEAT;
        si.maxLod = s.mipmaps ? VK_LOD_CLAMP_NONE : 0.25f;
        si.anisotropyEnable = ctx.anisotropy() && s.mipmaps && s.min == scene::Filter::Linear;
        si.maxAnisotropy = si.anisotropyEnable ? 8.0f : 1.0f;
        VkSampler smp;
        VK_CHECK(vkCreateSampler(ctx.device(), &si, nullptr, &smp));
        g->samplers_[key] = smp;
        return smp;
    };

    // Materials: the model's, then the glTF default material last.
    std::vector<scene::Material> mats = model.materials;
    mats.emplace_back();
    uint32_t n = uint32_t(mats.size());
    VkDescriptorPoolSize sizes[] = {{VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, n}, {VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, n * TEX_SLOTS}};
    VkDescriptorPoolCreateInfo pci{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    pci.maxSets = n;
    pci.poolSizeCount = 2;
    pci.pPoolSizes = sizes;
    VK_CHECK(vkCreateDescriptorPool(ctx.device(), &pci, nullptr, &g->pool_));
    scene::Sampler default_sampler;
    VkSampler default_vk = sampler_for(default_sampler);
    for (const scene::Material& m : mats) {
        shader::MaterialUniforms u{};
        u.base_color = m.base_color;
        u.emissive = glm::vec4(m.emissive * m.emissive_strength, 0);
        u.params = {m.metallic, m.roughness, m.alpha_cutoff,
                    float(m.alpha_mode == scene::AlphaMode::Blend ? ALPHA_BLEND : m.alpha_mode == scene::AlphaMode::Mask ? ALPHA_MASK : ALPHA_OPAQUE)};
        float f0 = (m.ior - 1) / (m.ior + 1);
        u.params2 = {m.normal_tex.scale, m.occlusion_tex.texture >= 0 ? m.occlusion_tex.scale : 0.0f, f0 * f0, m.unlit ? 1.0f : 0.0f};
        u.clearcoat = {m.clearcoat.factor, m.clearcoat.roughness, m.clearcoat.normal_texture.scale, 0};
        u.specular = glm::vec4(m.specular.color, m.specular.factor);
        u.sheen = glm::vec4(m.sheen.color, m.sheen.roughness);
        u.transmission = {m.transmission.factor, m.transmission.thickness, m.transmission.attenuation_distance, m.ior};
        u.attenuation = glm::vec4(m.transmission.attenuation_color, 0);
        int features = 0;
        if (m.clearcoat.factor > 0) features |= FEATURE_CLEARCOAT;
        if (glm::length(m.sheen.color) > 0) features |= FEATURE_SHEEN;
        if (m.transmission.factor > 0) features |= FEATURE_TRANSMISSION;
        if (m.transmission.factor > 0 && m.transmission.attenuation_distance > 0) features |= FEATURE_ATTENUATION;
        if (m.alpha_mode == scene::AlphaMode::Mask) features |= FEATURE_ALPHA_MASK;
        if (m.alpha_mode == scene::AlphaMode::Blend) features |= FEATURE_ALPHA_BLEND;
        if (m.unlit) features |= FEATURE_UNLIT;
        if (m.specular.factor != 1 || m.specular.color != glm::vec3(1) || m.specular.texture.texture >= 0 ||
            m.specular.color_texture.texture >= 0)
            features |= FEATURE_SPECULAR;
        const scene::TextureRef* refs[TEX_SLOTS] = {
            &m.base_color_tex, &m.metal_rough_tex, &m.normal_tex, &m.occlusion_tex, &m.emissive_tex,
            &m.clearcoat.texture, &m.clearcoat.roughness_texture, &m.clearcoat.normal_texture,
            &m.specular.texture, &m.specular.color_texture, &m.sheen.color_texture, &m.sheen.roughness_texture,
            &m.transmission.texture, &m.transmission.thickness_texture};
        for (int slot = 0; slot < TEX_SLOTS; ++slot) {
            int t = refs[slot]->texture;
            bool present = t >= 0 && model.textures[size_t(t)].image >= 0 &&
                           !model.images[size_t(model.textures[size_t(t)].image)].pixels.rgba.empty();
            if (present) features |= 1 << slot;
            u.uv_set[slot / 4][slot % 4] = refs[slot]->tex_coord;
            set_xform(u, slot, *refs[slot]);
        }
        auto ubo = gpu::Buffer::upload(ctx, &u, sizeof u, VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT);
        if (!ubo) return ubo.error();

        VkDescriptorSetAllocateInfo ai{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
        ai.descriptorPool = g->pool_;
        ai.descriptorSetCount = 1;
        ai.pSetLayouts = &material_layout;
        VkDescriptorSet set;
        VK_CHECK(vkAllocateDescriptorSets(ctx.device(), &ai, &set));
        gpu::write_buffer(ctx, set, BIND_MATERIAL, VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, ubo->handle(), sizeof u);
        for (int slot = 0; slot < TEX_SLOTS; ++slot) {
            bool srgb = slot == TEX_BASE_COLOR || slot == TEX_EMISSIVE || slot == TEX_SPECULAR_COLOR || slot == TEX_SHEEN_COLOR;
            bool normal = slot == TEX_NORMAL || slot == TEX_CLEARCOAT_NORMAL;
            VkImageView view = normal ? g->flat_normal_.view() : g->white_.view();
            VkSampler smp = default_vk;
            int t = refs[slot]->texture;
            if (t >= 0) {
                const scene::Texture& tex = model.textures[size_t(t)];
                const gpu::Image& img = tex.image >= 0 ? (srgb ? g->srgb_ : g->linear_)[size_t(tex.image)] : g->white_;
                if (img) view = img.view();
                smp = sampler_for(tex.sampler);
            }
            gpu::write_image(ctx, set, BIND_TEXTURES, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, view, smp,
                             VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, uint32_t(slot));
        }
        g->material_sets_.push_back(set);
        g->features_.push_back(features);
        g->material_ubos_.push_back(std::move(ubo.value()));
    }
    return g;
}

GpuModel::~GpuModel() {
    gpu::Context* ctx = &ctx_;
    VkDescriptorPool pool = pool_;
    std::vector<VkSampler> samplers;
    for (auto& [k, s] : samplers_) samplers.push_back(s);
    ctx_.defer([ctx, pool, samplers] {
        vkDestroyDescriptorPool(ctx->device(), pool, nullptr);
        for (VkSampler s : samplers) vkDestroySampler(ctx->device(), s, nullptr);
    });
}

bool GpuModel::material_blends(int m) const {
    return m >= 0 && materials_[size_t(m)].alpha_mode == scene::AlphaMode::Blend;
}

bool GpuModel::material_transmits(int m) const {
    return m >= 0 && materials_[size_t(m)].transmission.factor > 0;
}

bool GpuModel::material_double_sided(int m) const { return m >= 0 && materials_[size_t(m)].double_sided; }

}  // namespace vitrine::render
