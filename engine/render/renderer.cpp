#include "render/renderer.h"

#include <algorithm>
#include <cstring>

#include <glm/gtc/matrix_inverse.hpp>

#include "gpu/pipeline.h"
#include "layout.h"

namespace vitrine::render {

namespace {
const uint32_t kPbrVert[] =
#include "pbr.vert.spv.inc"
    ;
const uint32_t kPbrFrag[] =
#include "pbr.frag.spv.inc"
    ;
const uint32_t kFullscreenVert[] =
#include "fullscreen.vert.spv.inc"
    ;
const uint32_t kTonemapFrag[] =
#include "tonemap.frag.spv.inc"
    ;

constexpr VkFormat kHdrFormat = VK_FORMAT_R16G16B16A16_SFLOAT;
constexpr VkFormat kDepthFormat = VK_FORMAT_D32_SFLOAT;

struct DrawPush {
    glm::mat4 model;
    glm::mat4 normal;
};

VkRenderPass create_pass(VkDevice device, const std::vector<VkAttachmentDescription>& att, const VkSubpassDescription& sub,
                         const VkSubpassDependency (&deps)[2]) {
    VkRenderPassCreateInfo ci{VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO};
    ci.attachmentCount = uint32_t(att.size());
    ci.pAttachments = att.data();
    ci.subpassCount = 1;
    ci.pSubpasses = &sub;
    ci.dependencyCount = 2;
    ci.pDependencies = deps;
    VkRenderPass pass;
    VK_CHECK(vkCreateRenderPass(device, &ci, nullptr, &pass));
    return pass;
}

// The scene pass in three flavours: `clear` starts from nothing (else the colour and
// depth of an earlier pass are loaded); `store` keeps colour and depth for a later
// pass. MSAA resolves into the single-sample image every time.
VkRenderPass make_scene_pass(VkDevice device, VkSampleCountFlagBits samples, bool clear, bool store) {
    bool msaa = samples != VK_SAMPLE_COUNT_1_BIT;
    VkImageLayout color_kept = msaa ? VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL : VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL;
    std::vector<VkAttachmentDescription> att;
    att.push_back({0, kHdrFormat, samples, clear ? VK_ATTACHMENT_LOAD_OP_CLEAR : VK_ATTACHMENT_LOAD_OP_LOAD,
                   (store || !msaa) ? VK_ATTACHMENT_STORE_OP_STORE : VK_ATTACHMENT_STORE_OP_DONT_CARE,
                   VK_ATTACHMENT_LOAD_OP_DONT_CARE, VK_ATTACHMENT_STORE_OP_DONT_CARE,
                   clear ? VK_IMAGE_LAYOUT_UNDEFINED : color_kept, color_kept});
    att.push_back({0, kDepthFormat, samples, clear ? VK_ATTACHMENT_LOAD_OP_CLEAR : VK_ATTACHMENT_LOAD_OP_LOAD,
                   store ? VK_ATTACHMENT_STORE_OP_STORE : VK_ATTACHMENT_STORE_OP_DONT_CARE,
                   VK_ATTACHMENT_LOAD_OP_DONT_CARE, VK_ATTACHMENT_STORE_OP_DONT_CARE,
                   clear ? VK_IMAGE_LAYOUT_UNDEFINED : VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL,
                   VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL});
    if (msaa)
        att.push_back({0, kHdrFormat, VK_SAMPLE_COUNT_1_BIT, VK_ATTACHMENT_LOAD_OP_DONT_CARE, VK_ATTACHMENT_STORE_OP_STORE,
                       VK_ATTACHMENT_LOAD_OP_DONT_CARE, VK_ATTACHMENT_STORE_OP_DONT_CARE, VK_IMAGE_LAYOUT_UNDEFINED,
                       VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL});
    VkAttachmentReference color{0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
    VkAttachmentReference depth{1, VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL};
    VkAttachmentReference resolve{2, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
    VkSubpassDescription sub{};
    sub.pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS;
    sub.colorAttachmentCount = 1;
    sub.pColorAttachments = &color;
    sub.pResolveAttachments = msaa ? &resolve : nullptr;
    sub.pDepthStencilAttachment = &depth;
    VkSubpassDependency deps[2] = {
        // Earlier reads of the resolved image (output pass, copies) and earlier attachment writes.
        {VK_SUBPASS_EXTERNAL, 0,
         VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT | VK_PIPELINE_STAGE_LATE_FRAGMENT_TESTS_BIT |
             VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
         VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT | VK_PIPELINE_STAGE_EARLY_FRAGMENT_TESTS_BIT | VK_PIPELINE_STAGE_LATE_FRAGMENT_TESTS_BIT,
         VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT | VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT |
             VK_ACCESS_TRANSFER_READ_BIT,
         VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT |
             VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_READ_BIT,
         0},
        {0, VK_SUBPASS_EXTERNAL, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
         VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
         VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT, VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_TRANSFER_READ_BIT, 0},
    };
    return create_pass(device, att, sub, deps);
}

VkRenderPass make_output_pass(VkDevice device, VkFormat format, VkImageLayout final_layout) {
    VkAttachmentDescription att{0, format, VK_SAMPLE_COUNT_1_BIT, VK_ATTACHMENT_LOAD_OP_DONT_CARE, VK_ATTACHMENT_STORE_OP_STORE,
                                VK_ATTACHMENT_LOAD_OP_DONT_CARE, VK_ATTACHMENT_STORE_OP_DONT_CARE, VK_IMAGE_LAYOUT_UNDEFINED,
                                final_layout};
    VkAttachmentReference color{0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
    VkSubpassDescription sub{};
    sub.pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS;
    sub.colorAttachmentCount = 1;
    sub.pColorAttachments = &color;
    VkSubpassDependency deps[2] = {
        // Waits for the swapchain acquire (signalled at colour output) and earlier copies of this image.
        {VK_SUBPASS_EXTERNAL, 0, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
         VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT, VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT,
         VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT, 0},
        {0, VK_SUBPASS_EXTERNAL, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT,
         VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT, VK_ACCESS_TRANSFER_READ_BIT, 0},
    };
    return create_pass(device, {att}, sub, deps);
}

shader::LightUniform light_uniform(const scene::Light& l, const glm::mat4& world) {
    shader::LightUniform u{};
    int type = l.type == scene::LightType::Directional ? LIGHT_DIRECTIONAL : l.type == scene::LightType::Spot ? LIGHT_SPOT : LIGHT_POINT;
    u.position = glm::vec4(glm::vec3(world[3]), float(type));
    glm::vec3 dir = glm::mat3(world) * glm::vec3(0, 0, -1);
    float len = glm::length(dir);
    u.direction = glm::vec4(len > 0 ? dir / len : glm::vec3(0, 0, -1), l.range);
    u.color = glm::vec4(l.color * l.intensity, 0);
    float cos_outer = std::cos(l.outer_cone), cos_inner = std::cos(l.inner_cone);
    float scale = 1.0f / std::max(0.001f, cos_inner - cos_outer);
    u.cone = glm::vec4(scale, -cos_outer * scale, 0, 0);
    return u;
}

}  // namespace

Result<std::unique_ptr<Renderer>> Renderer::create(gpu::Context& ctx, VkFormat output_format, VkImageLayout output_layout) {
    std::unique_ptr<Renderer> r(new Renderer(ctx));
    VkDevice dev = ctx.device();
    r->output_format_ = output_format;
    VkSampleCountFlags counts = ctx.properties().limits.framebufferColorSampleCounts &
                                ctx.properties().limits.framebufferDepthSampleCounts;
    r->samples_ = (counts & VK_SAMPLE_COUNT_4_BIT) ? VK_SAMPLE_COUNT_4_BIT : VK_SAMPLE_COUNT_1_BIT;
    r->scene_pass_ = make_scene_pass(dev, r->samples_, true, false);
    r->opaque_pass_ = make_scene_pass(dev, r->samples_, true, true);
    r->transmission_pass_ = make_scene_pass(dev, r->samples_, false, false);
    r->output_pass_ = make_output_pass(dev, output_format, output_layout);

    const VkShaderStageFlags VF = VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, F = VK_SHADER_STAGE_FRAGMENT_BIT;
    const VkDescriptorType UBO = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, TEX = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
    r->frame_layout_ = gpu::make_set_layout(ctx, {{BIND_FRAME, UBO, VF}, {BIND_IRRADIANCE, TEX, F}, {BIND_PREFILTERED, TEX, F},
                                                  {BIND_BRDF_LUT, TEX, F}, {BIND_SCENE_COLOR, TEX, F}, {BIND_SHEEN, TEX, F}});
    r->material_layout_ = gpu::make_set_layout(ctx, {{BIND_MATERIAL, UBO, F}, {BIND_TEXTURES, TEX, F, TEX_SLOTS}});
    r->tonemap_layout_ = gpu::make_set_layout(ctx, {{0, UBO, F}, {1, TEX, F}, {2, TEX, F}});
    r->pbr_layout_ = gpu::make_pipeline_layout(ctx, {r->frame_layout_, r->material_layout_}, sizeof(DrawPush), VK_SHADER_STAGE_VERTEX_BIT);
    r->tonemap_pipeline_layout_ = gpu::make_pipeline_layout(ctx, {r->tonemap_layout_}, 0, 0);

    VkShaderModule vert = gpu::make_shader(ctx, kPbrVert, sizeof kPbrVert);
    VkShaderModule frag = gpu::make_shader(ctx, kPbrFrag, sizeof kPbrFrag);
    VkShaderModule fs_vert = gpu::make_shader(ctx, kFullscreenVert, sizeof kFullscreenVert);
    VkShaderModule tm_frag = gpu::make_shader(ctx, kTonemapFrag, sizeof kTonemapFrag);
    r->modules_ = {vert, frag, fs_vert, tm_frag};

    gpu::GraphicsPipelineDesc d;
    d.vert = vert;
    d.frag = frag;
    d.layout = r->pbr_layout_;
    d.render_pass = r->scene_pass_;
    d.samples = r->samples_;
    d.bindings = {{0, sizeof(scene::Vertex), VK_VERTEX_INPUT_RATE_VERTEX}};
    d.attributes = {
        {0, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(scene::Vertex, position)},
        {1, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(scene::Vertex, normal)},
        {2, 0, VK_FORMAT_R32G32B32A32_SFLOAT, offsetof(scene::Vertex, tangent)},
        {3, 0, VK_FORMAT_R32G32_SFLOAT, offsetof(scene::Vertex, uv0)},
        {4, 0, VK_FORMAT_R32G32_SFLOAT, offsetof(scene::Vertex, uv1)},
        {5, 0, VK_FORMAT_R32G32B32A32_SFLOAT, offsetof(scene::Vertex, color)},
    };
    r->pbr_desc_ = d;
    gpu::GraphicsPipelineDesc t;
    t.vert = fs_vert;
    t.frag = tm_frag;
    t.layout = r->tonemap_pipeline_layout_;
    t.render_pass = r->output_pass_;
    t.cull = VK_CULL_MODE_NONE;
    t.depth_test = t.depth_write = false;
    r->tonemap_ = gpu::make_graphics_pipeline(ctx, t);

    uint32_t n = gpu::kFramesInFlight;
    VkDescriptorPoolSize sizes[] = {{UBO, 2 * n}, {TEX, 7 * n}};
    VkDescriptorPoolCreateInfo pci{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    pci.maxSets = 2 * n;
    pci.poolSizeCount = 2;
    pci.pPoolSizes = sizes;
    VK_CHECK(vkCreateDescriptorPool(dev, &pci, nullptr, &r->pool_));
    for (Slot& s : r->slots_) {
        auto ubo = gpu::Buffer::create(ctx, sizeof(shader::FrameUniforms), VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT, gpu::MemoryUse::Upload);
        if (!ubo) return ubo.error();
        s.frame_ubo = std::move(ubo.value());
        VkDescriptorSetLayout layouts[2] = {r->frame_layout_, r->tonemap_layout_};
        VkDescriptorSet sets[2];
        VkDescriptorSetAllocateInfo ai{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
        ai.descriptorPool = r->pool_;
        ai.descriptorSetCount = 2;
        ai.pSetLayouts = layouts;
        VK_CHECK(vkAllocateDescriptorSets(dev, &ai, sets));
        s.frame_set = sets[0];
        s.tonemap_set = sets[1];
        gpu::write_buffer(ctx, s.frame_set, BIND_FRAME, UBO, s.frame_ubo.handle(), sizeof(shader::FrameUniforms));
        gpu::write_buffer(ctx, s.tonemap_set, 0, UBO, s.frame_ubo.handle(), sizeof(shader::FrameUniforms));
    }
    VkSamplerCreateInfo si{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
    si.magFilter = si.minFilter = VK_FILTER_NEAREST;
    si.addressModeU = si.addressModeV = si.addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
    VK_CHECK(vkCreateSampler(dev, &si, nullptr, &r->target_sampler_));
    return r;
}

Renderer::~Renderer() {
    model_.reset();
    if (env_) destroy_environment(ctx_, *env_);
    env_.reset();
    color_msaa_.reset();
    depth_.reset();
    scene_color_.reset();
    resolved_.reset();
    for (Slot& s : slots_) { s.frame_ubo.reset(); s.dynamic_vertices.reset(); }
    VkDevice dev = ctx_.device();
    auto fb = scene_fb_;
    std::vector<VkPipeline> pipelines;
    for (auto& [key, p] : pbr_) pipelines.push_back(p);
    auto tonemap = tonemap_;
    auto modules = modules_;
    auto layouts = std::array<VkPipelineLayout, 2>{pbr_layout_, tonemap_pipeline_layout_};
    auto sets = std::array<VkDescriptorSetLayout, 3>{frame_layout_, material_layout_, tonemap_layout_};
    auto passes = std::array<VkRenderPass, 4>{scene_pass_, opaque_pass_, transmission_pass_, output_pass_};
    auto pool = pool_;
    auto sampler = target_sampler_;
    ctx_.defer([=] {
        if (fb) vkDestroyFramebuffer(dev, fb, nullptr);
        for (VkPipeline p : pipelines) vkDestroyPipeline(dev, p, nullptr);
        vkDestroyPipeline(dev, tonemap, nullptr);
        for (VkShaderModule m : modules) vkDestroyShaderModule(dev, m, nullptr);
        for (VkPipelineLayout l : layouts) vkDestroyPipelineLayout(dev, l, nullptr);
        for (VkDescriptorSetLayout l : sets) vkDestroyDescriptorSetLayout(dev, l, nullptr);
        for (VkRenderPass p : passes) vkDestroyRenderPass(dev, p, nullptr);
        vkDestroyDescriptorPool(dev, pool, nullptr);
        vkDestroySampler(dev, sampler, nullptr);
    });
}

Result<void> Renderer::set_environment(const ImageF& equirect) {
    auto env = build_environment(ctx_, equirect);
    if (!env) return env.error();
    if (env_) destroy_environment(ctx_, *env_);
    env_ = std::move(env.value());
    write_frame_sets();
    return {};
}

Result<void> Renderer::set_model(const scene::Model& model) {
    auto gm = GpuModel::upload(ctx_, model, material_layout_);
    if (!gm) return gm.error();
    model_ = std::move(gm.value());
    scene_ = &model;
    for (int m = -1; m < int(model.materials.size()); ++m)
        pbr_pipeline(model_->material_features(m), model_->material_blends(m), model_->material_double_sided(m));
    return {};
}

VkPipeline Renderer::pbr_pipeline(int features, bool blend, bool double_sided) {
    int64_t key = int64_t(features) << 2 | int64_t(blend) << 1 | int64_t(double_sided);
    auto it = pbr_.find(key);
    if (it != pbr_.end()) return it->second;
    gpu::GraphicsPipelineDesc d = pbr_desc_;
    d.blend = blend;
    d.depth_write = !blend;
    d.cull = double_sided ? VK_CULL_MODE_NONE : VK_CULL_MODE_BACK_BIT;
    d.frag_constant0 = features;
    VkPipeline p = gpu::make_graphics_pipeline(ctx_, d);
    pbr_[key] = p;
    return p;
}

void Renderer::write_frame_sets() {
    const VkDescriptorType TEX = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
    const VkImageLayout RO = VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL;
    for (Slot& s : slots_) {
        if (env_) {
            gpu::write_image(ctx_, s.frame_set, BIND_IRRADIANCE, TEX, env_->irradiance.view(), env_->sampler, RO);
            gpu::write_image(ctx_, s.frame_set, BIND_PREFILTERED, TEX, env_->prefiltered.view(), env_->sampler, RO);
            gpu::write_image(ctx_, s.frame_set, BIND_BRDF_LUT, TEX, env_->brdf_lut.view(), env_->sampler, RO);
            gpu::write_image(ctx_, s.frame_set, BIND_SHEEN, TEX, env_->sheen.view(), env_->sampler, RO);
            gpu::write_image(ctx_, s.tonemap_set, 2, TEX, env_->cube.view(), env_->sampler, RO);
        }
        if (resolved_) gpu::write_image(ctx_, s.tonemap_set, 1, TEX, resolved_.view(), target_sampler_, RO);
        if (scene_color_ && env_) gpu::write_image(ctx_, s.frame_set, BIND_SCENE_COLOR, TEX, scene_color_.view(), env_->sampler, RO);
    }
}

Result<void> Renderer::resize(uint32_t width, uint32_t height) {
    if (width == width_ && height == height_ && scene_fb_) return {};
    if (width == 0 || height == 0 || width > 16384 || height > 16384)
        return fail("output size " + std::to_string(width) + "x" + std::to_string(height) + " is not between 1 and 16384");
    bool msaa = samples_ != VK_SAMPLE_COUNT_1_BIT;
    gpu::ImageDesc c;
    c.format = kHdrFormat;
    c.width = width;
    c.height = height;
    c.samples = samples_;
    // Colour and depth may be kept between the opaque and transmission passes, so not transient.
    c.usage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | (msaa ? 0 : VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT);
    auto color = gpu::Image::create(ctx_, c);
    if (!color) return color.error();
    gpu::ImageDesc dd = c;
    dd.format = kDepthFormat;
    dd.usage = VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT;
    auto depth = gpu::Image::create(ctx_, dd);
    if (!depth) return depth.error();
    gpu::Image resolved;
    if (msaa) {
        gpu::ImageDesc rd = c;
        rd.samples = VK_SAMPLE_COUNT_1_BIT;
        rd.usage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
        auto r = gpu::Image::create(ctx_, rd);
        if (!r) return r.error();
        resolved = std::move(r.value());
    }
    // What transmissive surfaces see through: the opaque scene at half size, mipmapped
    // so rough surfaces blur it. Kept SHADER_READ_ONLY between frames.
    gpu::ImageDesc sd;
    sd.format = kHdrFormat;
    sd.width = std::max(1u, width / 2);
    sd.height = std::max(1u, height / 2);
    sd.mips = gpu::mip_count(sd.width, sd.height);
    sd.usage = VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
    auto scene_color = gpu::Image::create(ctx_, sd);
    if (!scene_color) return scene_color.error();
    gpu::Image& sc_img = scene_color.value();
    ctx_.submit_now([&](VkCommandBuffer cmd) {
        gpu::transition(cmd, sc_img, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL,
                        VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, 0, VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT, VK_ACCESS_SHADER_READ_BIT);
    });
    scene_color_ = std::move(scene_color.value());
    if (scene_fb_) {
        VkDevice dev = ctx_.device();
        VkFramebuffer fb = scene_fb_;
        ctx_.defer([dev, fb] { vkDestroyFramebuffer(dev, fb, nullptr); });
    }
    color_msaa_ = std::move(color.value());
    depth_ = std::move(depth.value());
    resolved_ = msaa ? std::move(resolved) : gpu::Image();
    std::vector<VkImageView> views = {color_msaa_.view(), depth_.view()};
    if (msaa) views.push_back(resolved_.view());
    VkFramebufferCreateInfo fi{VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO};
    fi.renderPass = scene_pass_;
    fi.attachmentCount = uint32_t(views.size());
    fi.pAttachments = views.data();
    fi.width = width;
    fi.height = height;
    fi.layers = 1;
    VK_CHECK(vkCreateFramebuffer(ctx_.device(), &fi, nullptr, &scene_fb_));
    width_ = width;
    height_ = height;
    if (!msaa) {
        // Single-sample: the tone mapper reads the colour target itself.
        for (Slot& s : slots_)
            gpu::write_image(ctx_, s.tonemap_set, 1, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, color_msaa_.view(),
                             target_sampler_, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL);
    }
    write_frame_sets();
    return {};
}

VkFramebuffer Renderer::make_output_framebuffer(VkImageView view) const {
    VkFramebufferCreateInfo fi{VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO};
    fi.renderPass = output_pass_;
    fi.attachmentCount = 1;
    fi.pAttachments = &view;
    fi.width = width_;
    fi.height = height_;
    fi.layers = 1;
    VkFramebuffer fb;
    VK_CHECK(vkCreateFramebuffer(ctx_.device(), &fi, nullptr, &fb));
    return fb;
}

Result<void> Renderer::record(VkCommandBuffer cmd, uint32_t slot, const scene::Pose& pose, const View& view,
                              const Look& look, VkFramebuffer output) {
    if (!env_) return fail("renderer has no environment");
    if (!scene_fb_) return fail("renderer has no size");
    Slot& s = slots_[slot % gpu::kFramesInFlight];

    shader::FrameUniforms fu{};
    fu.view = view.view;
    fu.proj = view.proj;
    fu.inv_view_proj = glm::inverse(view.proj * view.view);
    fu.camera = glm::vec4(view.eye, 1);
    fu.env = {look.env_intensity, look.env_rotation, float(kPrefilterMips), look.sky_blur};
    int op = look.tonemap == ToneMap::Aces ? TONEMAP_ACES : look.tonemap == ToneMap::None ? TONEMAP_NONE : TONEMAP_PBR_NEUTRAL;
    fu.tonemap = {std::exp2(look.exposure_ev), float(op), look.solid_background ? 1.0f : 0.0f, 0};
    fu.background = glm::vec4(look.background, 1);
    int lights = 0;
    if (scene_)
        for (size_t n = 0; n < scene_->nodes.size() && lights < MAX_LIGHTS; ++n)
            if (scene_->nodes[n].light >= 0)
                fu.lights[lights++] = light_uniform(scene_->lights[size_t(scene_->nodes[n].light)], pose.world[n]);
    fu.counts = {lights, 0, 0, 0};

    // Deformed (skinned / morphed) vertices of this frame.
    uint64_t dynamic_bytes = 0;
    for (const auto& item : pose.items) dynamic_bytes += item.deformed.size() * sizeof(scene::Vertex);
    if (dynamic_bytes > s.dynamic_vertices.size()) {
        auto b = gpu::Buffer::create(ctx_, dynamic_bytes * 3 / 2, VK_BUFFER_USAGE_VERTEX_BUFFER_BIT, gpu::MemoryUse::Upload);
        if (!b) return b.error();
        s.dynamic_vertices = std::move(b.value());
    }
    std::vector<uint64_t> dynamic_offset(pose.items.size(), 0);
    uint64_t cursor = 0;
    for (size_t i = 0; i < pose.items.size(); ++i) {
        const auto& d = pose.items[i].deformed;
        if (d.empty()) continue;
        dynamic_offset[i] = cursor;
        std::memcpy(static_cast<char*>(s.dynamic_vertices.mapped()) + cursor, d.data(), d.size() * sizeof(scene::Vertex));
        cursor += d.size() * sizeof(scene::Vertex);
    }

    // Opaque and masked first in file order; transmissive, then blended, back to front.
    std::vector<size_t> opaque, transmissive, blended;
    if (model_)
        for (size_t i = 0; i < pose.items.size(); ++i) {
            const auto& it = pose.items[i];
            int material = model_->primitive(it.mesh, it.primitive).material;
            (model_->material_blends(material) ? blended : model_->material_transmits(material) ? transmissive : opaque).push_back(i);
        }
    std::vector<float> depth(pose.items.size(), 0);
    for (auto* list : {&transmissive, &blended})
        for (size_t i : *list) {
            const auto& it = pose.items[i];
            const auto& prim = scene_->meshes[size_t(it.mesh)].primitives[size_t(it.primitive)];
            glm::vec3 centre = glm::vec3(it.world * glm::vec4((prim.min + prim.max) * 0.5f, 1));
            depth[i] = (view.view * glm::vec4(centre, 1)).z;  // more negative = farther
        }
    auto far_first = [&](size_t a, size_t b) { return depth[a] < depth[b]; };
    std::stable_sort(transmissive.begin(), transmissive.end(), far_first);
    std::stable_sort(blended.begin(), blended.end(), far_first);
    bool split = !transmissive.empty();
    fu.counts.y = split ? 1 : 0;
    fu.scene_color = glm::vec4(float(scene_color_.desc().mips), 0, 0, 0);
    std::memcpy(s.frame_ubo.mapped(), &fu, sizeof fu);

    VkClearValue clears[3] = {};
    clears[1].depthStencil = {1.0f, 0};
    VkRenderPassBeginInfo rp{VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO};
    rp.framebuffer = scene_fb_;
    rp.renderArea = {{0, 0}, {width_, height_}};
    rp.clearValueCount = samples_ != VK_SAMPLE_COUNT_1_BIT ? 3 : 2;
    rp.pClearValues = clears;
    VkViewport vp{0, 0, float(width_), float(height_), 0, 1};
    VkRect2D sc{{0, 0}, {width_, height_}};
    auto draw = [&](const std::vector<size_t>& list) {
        if (!model_) return;
        vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pbr_layout_, 0, 1, &s.frame_set, 0, nullptr);
        vkCmdBindIndexBuffer(cmd, model_->index_buffer(), 0, VK_INDEX_TYPE_UINT32);
        VkPipeline bound = VK_NULL_HANDLE;
        for (size_t i : list) {
            const auto& it = pose.items[i];
            const GpuPrimitive& gp = model_->primitive(it.mesh, it.primitive);
            if (gp.index_count == 0) continue;
            VkPipeline p = pbr_pipeline(model_->material_features(gp.material), model_->material_blends(gp.material),
                                        model_->material_double_sided(gp.material));
            if (p != bound) {
                vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, p);
                bound = p;
            }
            VkDescriptorSet mset = model_->material_set(gp.material);
            vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pbr_layout_, 1, 1, &mset, 0, nullptr);
            DrawPush push{it.world, glm::inverseTranspose(it.world)};
            vkCmdPushConstants(cmd, pbr_layout_, VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof push, &push);
            VkBuffer vb = it.deformed.empty() ? model_->vertex_buffer() : s.dynamic_vertices.handle();
            VkDeviceSize off = it.deformed.empty() ? 0 : dynamic_offset[i];
            vkCmdBindVertexBuffers(cmd, 0, 1, &vb, &off);
            int32_t vertex_offset = it.deformed.empty() ? int32_t(gp.first_vertex) : 0;
            vkCmdDrawIndexed(cmd, gp.index_count, 1, uint32_t(gp.first_index), vertex_offset, 0);
        }
    };
    rp.renderPass = split ? opaque_pass_ : scene_pass_;
    vkCmdBeginRenderPass(cmd, &rp, VK_SUBPASS_CONTENTS_INLINE);
    vkCmdSetViewport(cmd, 0, 1, &vp);
    vkCmdSetScissor(cmd, 0, 1, &sc);
    draw(opaque);
    if (!split) draw(blended);
    vkCmdEndRenderPass(cmd);
    if (split) {
        copy_scene_color(cmd);
        rp.renderPass = transmission_pass_;
        vkCmdBeginRenderPass(cmd, &rp, VK_SUBPASS_CONTENTS_INLINE);
        vkCmdSetViewport(cmd, 0, 1, &vp);
        vkCmdSetScissor(cmd, 0, 1, &sc);
        draw(transmissive);
        draw(blended);
        vkCmdEndRenderPass(cmd);
    }

    rp.renderPass = output_pass_;
    rp.framebuffer = output;
    rp.clearValueCount = 0;
    vkCmdBeginRenderPass(cmd, &rp, VK_SUBPASS_CONTENTS_INLINE);
    vkCmdSetViewport(cmd, 0, 1, &vp);
    vkCmdSetScissor(cmd, 0, 1, &sc);
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, tonemap_);
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, tonemap_pipeline_layout_, 0, 1, &s.tonemap_set, 0, nullptr);
    vkCmdDraw(cmd, 3, 1, 0, 0);
    vkCmdEndRenderPass(cmd);
    return {};
}

void Renderer::copy_scene_color(VkCommandBuffer cmd) {
    const gpu::Image& src = samples_ != VK_SAMPLE_COUNT_1_BIT ? resolved_ : color_msaa_;
    const VkPipelineStageFlags TR = VK_PIPELINE_STAGE_TRANSFER_BIT, FS = VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT;
    const VkImageLayout RO = VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL;
    gpu::transition(cmd, src, RO, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
                    VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT, TR, VK_ACCESS_TRANSFER_READ_BIT);
    gpu::transition(cmd, scene_color_, RO, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, FS, 0, TR, VK_ACCESS_TRANSFER_WRITE_BIT);
    const gpu::ImageDesc& d = scene_color_.desc();
    VkImageBlit blit{};
    blit.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
    blit.srcOffsets[1] = {int32_t(width_), int32_t(height_), 1};
    blit.dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
    blit.dstOffsets[1] = {int32_t(d.width), int32_t(d.height), 1};
    vkCmdBlitImage(cmd, src.handle(), VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, scene_color_.handle(),
                   VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &blit, VK_FILTER_LINEAR);
    for (uint32_t m = 1; m < d.mips; ++m) {
        gpu::transition(cmd, scene_color_, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, TR,
                        VK_ACCESS_TRANSFER_WRITE_BIT, TR, VK_ACCESS_TRANSFER_READ_BIT, int(m - 1));
        VkImageBlit b{};
        b.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, m - 1, 0, 1};
        b.srcOffsets[1] = {int32_t(std::max(1u, d.width >> (m - 1))), int32_t(std::max(1u, d.height >> (m - 1))), 1};
        b.dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, m, 0, 1};
        b.dstOffsets[1] = {int32_t(std::max(1u, d.width >> m)), int32_t(std::max(1u, d.height >> m)), 1};
        vkCmdBlitImage(cmd, scene_color_.handle(), VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, scene_color_.handle(),
                       VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &b, VK_FILTER_LINEAR);
        gpu::transition(cmd, scene_color_, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, RO, TR, VK_ACCESS_TRANSFER_READ_BIT, FS,
                        VK_ACCESS_SHADER_READ_BIT, int(m - 1));
    }
    gpu::transition(cmd, scene_color_, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, RO, TR, VK_ACCESS_TRANSFER_WRITE_BIT, FS,
                    VK_ACCESS_SHADER_READ_BIT, int(d.mips - 1));
    // The transmission pass resolves over `resolved_` (MSAA) or loads the colour target itself.
    gpu::transition(cmd, src, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, RO, TR, VK_ACCESS_TRANSFER_READ_BIT,
                    VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT | FS,
                    VK_ACCESS_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_SHADER_READ_BIT);
}

}  // namespace vitrine::render
