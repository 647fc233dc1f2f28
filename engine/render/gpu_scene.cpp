#include "render/gpu_scene.h"

#include <cstdlib>

#include <algorithm>
#include <cmath>
#include <cstring>

#include <glm/gtc/matrix_inverse.hpp>

#include "core/log.h"
#include "gpu/upload_ring.h"
#include "layout.h"
#include "render/lights.h"
#include "render/passes.h"

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
const uint32_t kPbrBatchVert[] =
#include "pbr_mv.vert.spv.inc"
    ;
const uint32_t kPbrBatchFrag[] =
#include "pbr_mv.frag.spv.inc"
    ;
const uint32_t kTonemapLayeredFrag[] =
#include "tonemap_layered.frag.spv.inc"
    ;
const uint32_t kImageVert[] =
#include "image.vert.spv.inc"
    ;
const uint32_t kImageBatchVert[] =
#include "image_mv.vert.spv.inc"
    ;
const uint32_t kImageFrag[] =
#include "image.frag.spv.inc"
    ;
const uint32_t kPbrPyramidFrag[] =
#include "pbr_vt.frag.spv.inc"
    ;

const VkDescriptorType UBO_DYN = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER_DYNAMIC;
const VkDescriptorType SSBO = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
const VkDescriptorType TEX = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
const VkImageLayout RO = VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL;
}  // namespace

ViewTargets::~ViewTargets() {
    if (!ctx) return;
    VkDevice dev = ctx->device();
    VkFramebuffer fb = framebuffer;
    VkDescriptorPool p = pool;
    ctx->defer([dev, fb, p] {
        vkDestroyFramebuffer(dev, fb, nullptr);
        vkDestroyDescriptorPool(dev, p, nullptr);
    });
}

Result<std::unique_ptr<GpuScene>> GpuScene::create(gpu::Context& ctx) {
    std::unique_ptr<GpuScene> s(new GpuScene(ctx));
    VkDevice dev = ctx.device();
    s->cache_ = std::make_unique<gpu::PipelineCache>(ctx);
    VkSampleCountFlags counts = ctx.limits().msaa;
    s->samples_ = (counts & VK_SAMPLE_COUNT_4_BIT) ? VK_SAMPLE_COUNT_4_BIT : VK_SAMPLE_COUNT_1_BIT;
    s->scene_pass_ = make_scene_pass(dev, s->samples_, true, false);
    s->opaque_pass_ = make_scene_pass(dev, s->samples_, true, true);
    s->transmission_pass_ = make_scene_pass(dev, s->samples_, false, false);

    const VkShaderStageFlags VF = VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, F = VK_SHADER_STAGE_FRAGMENT_BIT;
    s->frame_layout_ = gpu::make_set_layout(
        ctx, {{BIND_VIEW, UBO_DYN, VF}, {BIND_IRRADIANCE, TEX, F}, {BIND_PREFILTERED, TEX, F}, {BIND_BRDF_LUT, TEX, F},
              {BIND_SHEEN, TEX, F}, {BIND_SKY, TEX, F}, {BIND_LIGHTS, SSBO, F}, {BIND_DRAWS, SSBO, VK_SHADER_STAGE_VERTEX_BIT}});
    s->material_layout_ = gpu::make_set_layout(ctx, {{BIND_MATERIAL, VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, F},
                                                     {BIND_TEXTURES, TEX, F, TEX_SLOTS}});
    s->targets_layout_ = gpu::make_set_layout(ctx, {{BIND_SCENE_COLOR, TEX, F}, {BIND_HDR, TEX, F}});
    s->pbr_layout_ = gpu::make_pipeline_layout(ctx, {s->frame_layout_, s->material_layout_, s->targets_layout_},
                                               sizeof(uint32_t), VK_SHADER_STAGE_VERTEX_BIT);
    s->tonemap_layout_ = gpu::make_pipeline_layout(ctx, {s->frame_layout_, s->targets_layout_}, 0, 0);
    s->tonemap_layered_layout_ =
        gpu::make_pipeline_layout(ctx, {s->frame_layout_, s->targets_layout_}, sizeof(int32_t), F);
    // Multiview batches where the device has them. Not on lavapipe (Mesa 22.3) unless
    // forced: there, triangles that cross the frustum's edge vanish from views after the
    // first (found with TextureTransformTest in a quilt); content inside every view is
    // drawn correctly, which is what tests force it for. VITRINE_NO_MULTIVIEW=1: never.
    const char* no_multiview = std::getenv("VITRINE_NO_MULTIVIEW");
    const char* force = std::getenv("VITRINE_MULTIVIEW");
    bool forced = force && std::string(force) == "force";
    bool quirk = ctx.device_name().find("llvmpipe") != std::string::npos;
    if (ctx.limits().multiview && ctx.limits().max_multiview_views >= 2 && !(no_multiview && std::string(no_multiview) == "1") &&
        (!quirk || forced))
        s->multiview_batch_ = std::min<uint32_t>(ctx.limits().max_multiview_views, MAX_MULTIVIEW);

    VkShaderModule vert = gpu::make_shader(ctx, kPbrVert, sizeof kPbrVert);
    VkShaderModule frag = gpu::make_shader(ctx, kPbrFrag, sizeof kPbrFrag);
    VkShaderModule fs_vert = gpu::make_shader(ctx, kFullscreenVert, sizeof kFullscreenVert);
    VkShaderModule tm_frag = gpu::make_shader(ctx, kTonemapFrag, sizeof kTonemapFrag);
    VkShaderModule batch_vert = gpu::make_shader(ctx, kPbrBatchVert, sizeof kPbrBatchVert);
    VkShaderModule batch_frag = gpu::make_shader(ctx, kPbrBatchFrag, sizeof kPbrBatchFrag);
    VkShaderModule tm_layered = gpu::make_shader(ctx, kTonemapLayeredFrag, sizeof kTonemapLayeredFrag);
    VkShaderModule image_vert = gpu::make_shader(ctx, kImageVert, sizeof kImageVert);
    VkShaderModule image_batch_vert = gpu::make_shader(ctx, kImageBatchVert, sizeof kImageBatchVert);
    VkShaderModule image_frag = gpu::make_shader(ctx, kImageFrag, sizeof kImageFrag);
    VkShaderModule pyramid_frag = gpu::make_shader(ctx, kPbrPyramidFrag, sizeof kPbrPyramidFrag);
    s->modules_ = {vert, frag, fs_vert, tm_frag, batch_vert, batch_frag, tm_layered, image_vert, image_batch_vert, image_frag,
                   pyramid_frag};

    gpu::GraphicsPipelineDesc d;
    d.vert = vert;
    d.frag = frag;
    d.layout = s->pbr_layout_;
    d.render_pass = s->scene_pass_;
    d.samples = s->samples_;
    d.cache = s->cache_->handle();
    d.bindings = {{0, sizeof(scene::Vertex), VK_VERTEX_INPUT_RATE_VERTEX}};
    d.attributes = {
        {0, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(scene::Vertex, position)},
        {1, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(scene::Vertex, normal)},
        {2, 0, VK_FORMAT_R32G32B32A32_SFLOAT, offsetof(scene::Vertex, tangent)},
        {3, 0, VK_FORMAT_R32G32_SFLOAT, offsetof(scene::Vertex, uv0)},
        {4, 0, VK_FORMAT_R32G32_SFLOAT, offsetof(scene::Vertex, uv1)},
        {5, 0, VK_FORMAT_R32G32B32A32_SFLOAT, offsetof(scene::Vertex, color)},
    };
    s->pbr_desc_ = d;
    d.vert = batch_vert;
    d.frag = batch_frag;
    s->pbr_batch_desc_ = d;
    gpu::GraphicsPipelineDesc t;
    t.vert = fs_vert;
    t.frag = tm_frag;
    t.layout = s->tonemap_layout_;
    t.cull = VK_CULL_MODE_NONE;
    t.depth_test = t.depth_write = false;
    t.cache = s->cache_->handle();
    s->tonemap_desc_ = t;
    t.frag = tm_layered;
    t.layout = s->tonemap_layered_layout_;
    s->tonemap_layered_desc_ = t;

    // Two sets per frame slot: views one at a time, and multiview batches.
    VkDescriptorPoolSize sizes[] = {{UBO_DYN, 2 * kFrameSlots}, {SSBO, 4 * kFrameSlots}, {TEX, 10 * kFrameSlots}};
    VkDescriptorPoolCreateInfo pci{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    pci.maxSets = 2 * kFrameSlots;
    pci.poolSizeCount = 3;
    pci.pPoolSizes = sizes;
    VK_CHECK(vkCreateDescriptorPool(dev, &pci, nullptr, &s->pool_));
    uint64_t align = std::max<uint64_t>(ctx.limits().min_uniform_offset_alignment, 16);
    s->view_stride_ = (sizeof(shader::ViewUniforms) + align - 1) / align * align;
    for (uint32_t i = 0; i < kFrameSlots; ++i) {
        FrameSlot& f = s->frames_[i];
        VkDescriptorSetAllocateInfo ai{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
        ai.descriptorPool = s->pool_;
        ai.descriptorSetCount = 1;
        ai.pSetLayouts = &s->frame_layout_;
        VK_CHECK(vkAllocateDescriptorSets(dev, &ai, &f.set));
        VK_CHECK(vkAllocateDescriptorSets(dev, &ai, &f.batch_set));
        // Start with room for 16 views, 64 lights and 256 draws; grows when a frame needs more.
        if (auto r = s->grow(f.views, 16 * s->view_stride_, VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT, BIND_VIEW, UBO_DYN, f.set,
                             sizeof(shader::ViewUniforms));
            !r)
            return r.error();
        if (auto r = s->grow(f.lights, sizeof(shader::LightsHeader) + 64 * sizeof(shader::LightUniform),
                             VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, BIND_LIGHTS, SSBO, f.set, VK_WHOLE_SIZE);
            !r)
            return r.error();
        if (auto r = s->grow(f.draws, 256 * sizeof(shader::DrawUniform), VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, BIND_DRAWS,
                             SSBO, f.set, VK_WHOLE_SIZE);
            !r)
            return r.error();
    }
    VkSamplerCreateInfo si{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
    si.magFilter = si.minFilter = VK_FILTER_NEAREST;
    si.addressModeU = si.addressModeV = si.addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
    si.maxLod = 0.25f;
    VK_CHECK(vkCreateSampler(dev, &si, nullptr, &s->target_sampler_));
    return s;
}

GpuScene::~GpuScene() {
    models_.clear();
    vt_.reset();
    if (env_) destroy_environment(ctx_, *env_);
    env_.reset();
    for (FrameSlot& f : frames_) f = FrameSlot{};
    VkDevice dev = ctx_.device();
    std::vector<VkPipeline> pipelines;
    for (auto& [key, p] : pbr_) pipelines.push_back(p);
    for (auto& [key, p] : tonemaps_) pipelines.push_back(p);
    for (auto& [key, p] : pbr_batch_) pipelines.push_back(p);
    for (auto& [key, p] : image_pipelines_) pipelines.push_back(p);
    std::vector<VkRenderPass> passes = {scene_pass_, opaque_pass_, transmission_pass_};
    for (auto& [key, p] : batch_passes_) passes.push_back(p);
    for (auto& [key, p] : canvas_passes_) passes.push_back(p);
    auto modules = modules_;
    auto layouts = std::array<VkPipelineLayout, 5>{pbr_layout_, tonemap_layout_, tonemap_layered_layout_, image_layout_,
                                                   pbr_vt_layout_};
    auto sets = std::array<VkDescriptorSetLayout, 3>{frame_layout_, material_layout_, targets_layout_};
    auto pool = pool_;
    auto sampler = target_sampler_;
    cache_->save();
    ctx_.defer([=] {
        for (VkPipeline p : pipelines) vkDestroyPipeline(dev, p, nullptr);
        for (VkShaderModule m : modules) vkDestroyShaderModule(dev, m, nullptr);
        for (VkPipelineLayout l : layouts)
            if (l) vkDestroyPipelineLayout(dev, l, nullptr);
        for (VkDescriptorSetLayout l : sets) vkDestroyDescriptorSetLayout(dev, l, nullptr);
        for (VkRenderPass p : passes) vkDestroyRenderPass(dev, p, nullptr);
        vkDestroyDescriptorPool(dev, pool, nullptr);
        vkDestroySampler(dev, sampler, nullptr);
    });
}

Result<void> GpuScene::grow(gpu::Buffer& buffer, uint64_t bytes, VkBufferUsageFlags usage, uint32_t binding,
                            VkDescriptorType type, VkDescriptorSet set, uint64_t range) {
    if (buffer && buffer.size() >= bytes) return {};
    auto b = gpu::Buffer::create(ctx_, std::max<uint64_t>(bytes, buffer.size() * 2), usage, gpu::MemoryUse::Upload);
    if (!b) return b.error();
    buffer = std::move(b.value());  // the old one is deferred until the GPU is done with it
    if (set) {
        gpu::write_buffer(ctx_, set, binding, type, buffer.handle(), range == VK_WHOLE_SIZE ? buffer.size() : range);
    }
    return {};
}

Result<void> GpuScene::add_model(const scene::Model& model, ModelId id) {
    if (id < models_.size() && models_[id].cpu == &model) return {};
    VITRINE_CHECK(id >= models_.size() || !models_[id].gpu);
    auto gm = GpuModel::upload(ctx_, model, material_layout_);
    if (!gm) return gm.error();
    for (int m = -1; m < int(model.materials.size()); ++m)
        pbr_pipeline(gm.value()->material_features(m), gm.value()->material_blends(m), gm.value()->material_double_sided(m));
    if (id >= models_.size()) models_.resize(size_t(id) + 1);
    models_[id] = {&model, std::move(gm.value())};
    return {};
}

void GpuScene::remove_model(ModelId id) {
    if (id >= models_.size()) return;
    models_[id] = {};  // ~GpuModel defers its objects on the context's timeline
    while (!models_.empty() && !models_.back().gpu) models_.pop_back();
}

size_t GpuScene::model_count() const {
    size_t n = 0;
    for (const ModelEntry& m : models_) n += m.gpu ? 1 : 0;
    return n;
}

bool GpuScene::holds(const scene::Model& model) const {
    for (const ModelEntry& m : models_)
        if (m.cpu == &model) return true;
    return false;
}

uint64_t GpuScene::model_bytes() const {
    uint64_t total = 0;
    for (const ModelEntry& m : models_)
        if (m.gpu) total += m.gpu->bytes();
    return total;
}

Result<void> GpuScene::set_environment(const ImageF& equirect) {
    auto env = build_environment(ctx_, equirect);
    if (!env) return env.error();
    if (env_) destroy_environment(ctx_, *env_);
    env_ = std::move(env.value());
    for (FrameSlot& f : frames_) write_environment(f.set);
    return {};
}

Result<uint32_t> GpuScene::add_image(std::shared_ptr<const zoom::Pyramid> pyramid) {
    if (!vt_) {
        auto vt = VirtualTexture::create(ctx_, tile_memory_, kFrameSlots);
        if (!vt) return vt.error();
        vt_ = std::move(vt.value());
        vt_->set_fade_frames(tile_fade_);
        image_layout_ = gpu::make_pipeline_layout(ctx_, {frame_layout_, vt_->layout()}, sizeof(shader::ImageDraw),
                                                  VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT);
        // Sets 0..2 as PBR's (so both bind the same sets), the virtual texture at VT_SET_PBR.
        static_assert(VT_SET_PBR == 3);
        pbr_vt_layout_ = gpu::make_pipeline_layout(ctx_, {frame_layout_, material_layout_, targets_layout_, vt_->layout()},
                                                   sizeof(uint32_t), VK_SHADER_STAGE_VERTEX_BIT);
    }
    return vt_->add_image(std::move(pyramid));
}

void GpuScene::set_tile_fade(uint32_t frames) {
    tile_fade_ = frames;
    if (vt_) vt_->set_fade_frames(frames);
}

Result<bool> GpuScene::settle_images() {
    if (!vt_ || (image_draws_.empty() && !frame_textured_)) return false;
    return vt_->settle(current_);
}

VkPipeline GpuScene::image_pipeline(uint32_t batch_views) {
    auto it = image_pipelines_.find(batch_views);
    if (it != image_pipelines_.end()) return it->second;
    gpu::GraphicsPipelineDesc d;
    d.vert = modules_[batch_views ? 8 : 7];
    d.frag = modules_[9];
    d.layout = image_layout_;
    d.render_pass = batch_views ? batch_pass(batch_views) : scene_pass_;
    d.samples = samples_;
    d.cache = cache_->handle();
    d.cull = VK_CULL_MODE_NONE;  // a frame is seen from both sides (the back mirrored, like a slide)
    d.blend = true;              // opacity, and the transparent margin beyond the image
    d.depth_write = true;
    VkPipeline p = gpu::make_graphics_pipeline(ctx_, d);
    image_pipelines_[batch_views] = p;
    return p;
}

void GpuScene::record_images(VkCommandBuffer cmd, VkDescriptorSet frame_set, uint32_t dynamic_offset, uint32_t batch_views) {
    if (image_draws_.empty()) return;
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, image_pipeline(batch_views));
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, image_layout_, 0, 1, &frame_set, 1, &dynamic_offset);
    VkDescriptorSet vt_set = vt_->set(current_);
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, image_layout_, 1, 1, &vt_set, 0, nullptr);
    for (const shader::ImageDraw& d : image_draws_) {
        vkCmdPushConstants(cmd, image_layout_, VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0, sizeof d, &d);
        vkCmdDraw(cmd, 6, 1, 0, 0);
    }
}

void GpuScene::write_environment(VkDescriptorSet set) {
    gpu::write_image(ctx_, set, BIND_IRRADIANCE, TEX, env_->irradiance.view(), env_->sampler, RO);
    gpu::write_image(ctx_, set, BIND_PREFILTERED, TEX, env_->prefiltered.view(), env_->sampler, RO);
    gpu::write_image(ctx_, set, BIND_BRDF_LUT, TEX, env_->brdf_lut.view(), env_->sampler, RO);
    gpu::write_image(ctx_, set, BIND_SHEEN, TEX, env_->sheen.view(), env_->sampler, RO);
    gpu::write_image(ctx_, set, BIND_SKY, TEX, env_->cube.view(), env_->sampler, RO);
}

VkPipeline GpuScene::pbr_pipeline(int features, bool blend, bool double_sided) {
    int64_t key = int64_t(features) << 2 | int64_t(blend) << 1 | int64_t(double_sided);
    auto it = pbr_.find(key);
    if (it != pbr_.end()) return it->second;
    gpu::GraphicsPipelineDesc d = pbr_desc_;
    d.blend = blend;
    d.depth_write = !blend;
    d.cull = double_sided ? VK_CULL_MODE_NONE : VK_CULL_MODE_BACK_BIT;
    d.frag_constant0 = features;
    if (features & FEATURE_PYRAMID) {  // only once the virtual texture exists
        VITRINE_CHECK(pbr_vt_layout_ != VK_NULL_HANDLE);
        d.frag = modules_[10];
        d.layout = pbr_vt_layout_;
    }
    VkPipeline p = gpu::make_graphics_pipeline(ctx_, d);
    pbr_[key] = p;
    return p;
}

VkRenderPass GpuScene::batch_pass(uint32_t views) {
    auto it = batch_passes_.find(views);
    if (it != batch_passes_.end()) return it->second;
    VITRINE_CHECK(views >= 1 && views <= 32);
    uint32_t mask = views >= 32 ? ~0u : (1u << views) - 1;  // bit i: layer i (a shift by 32 is undefined)
    VkRenderPass p = make_scene_pass(ctx_.device(), samples_, true, false, mask);
    batch_passes_[views] = p;
    return p;
}

VkPipeline GpuScene::pbr_batch_pipeline(int64_t key, uint32_t views) {
    auto it = pbr_batch_.find({key, views});
    if (it != pbr_batch_.end()) return it->second;
    gpu::GraphicsPipelineDesc d = pbr_batch_desc_;
    bool blend = key & 2, double_sided = key & 1;
    d.blend = blend;
    d.depth_write = !blend;
    d.cull = double_sided ? VK_CULL_MODE_NONE : VK_CULL_MODE_BACK_BIT;
    d.frag_constant0 = int(key >> 2);
    d.render_pass = batch_pass(views);
    VkPipeline p = gpu::make_graphics_pipeline(ctx_, d);
    pbr_batch_[{key, views}] = p;
    return p;
}

VkRenderPass GpuScene::canvas_pass(VkFormat format) {
    auto it = canvas_passes_.find(format);
    if (it != canvas_passes_.end()) return it->second;
    VkRenderPass p = make_canvas_pass(ctx_.device(), format);
    canvas_passes_[format] = p;
    return p;
}

VkPipeline GpuScene::tonemap_pipeline(VkFormat format, bool layered) {
    auto it = tonemaps_.find({format, layered});
    if (it != tonemaps_.end()) return it->second;
    gpu::GraphicsPipelineDesc t = layered ? tonemap_layered_desc_ : tonemap_desc_;
    t.render_pass = canvas_pass(format);
    VkPipeline p = gpu::make_graphics_pipeline(ctx_, t);
    tonemaps_[{format, layered}] = p;
    return p;
}

Result<std::unique_ptr<ViewTargets>> GpuScene::make_targets(uint32_t width, uint32_t height, uint32_t layers) {
    uint32_t max_side = std::min(ctx_.limits().max_image_2d,
                                 std::min(ctx_.limits().max_framebuffer_width, ctx_.limits().max_framebuffer_height));
    if (width == 0 || height == 0 || width > max_side || height > max_side)
        return fail("view size " + std::to_string(width) + "x" + std::to_string(height) + " is not between 1 and " +
                    std::to_string(max_side) + " pixels a side (the limit of " + ctx_.device_name() + ")");
    VITRINE_CHECK(layers >= 1 && (layers == 1 || layers <= multiview_batch_));
    auto t = std::make_unique<ViewTargets>();
    t->ctx = &ctx_;
    t->width = width;
    t->height = height;
    t->layers = layers;
    bool msaa = samples_ != VK_SAMPLE_COUNT_1_BIT;
    gpu::ImageDesc c;
    c.format = kHdrFormat;
    c.width = width;
    c.height = height;
    c.samples = samples_;
    c.layers = layers;
    // Colour and depth may be kept between the opaque and transmission passes, so not transient.
    c.usage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | (msaa ? 0 : VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT);
    auto color = gpu::Image::create(ctx_, c);
    if (!color) return color.error();
    t->color = std::move(color.value());
    gpu::ImageDesc dd = c;
    dd.format = kDepthFormat;
    dd.usage = VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT;
    auto depth = gpu::Image::create(ctx_, dd);
    if (!depth) return depth.error();
    t->depth = std::move(depth.value());
    if (msaa) {
        gpu::ImageDesc rd = c;
        rd.samples = VK_SAMPLE_COUNT_1_BIT;
        rd.usage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
        auto r = gpu::Image::create(ctx_, rd);
        if (!r) return r.error();
        t->resolved = std::move(r.value());
    }
    // What transmissive surfaces see through: the opaque scene at half size, mipmapped
    // so rough surfaces blur it (small beside the MSAA targets; made for every view size).
    gpu::ImageDesc sd;
    sd.format = kHdrFormat;
    sd.width = layers > 1 ? 1 : std::max(1u, width / 2);  // a batch never transmits: a stand-in
    sd.height = layers > 1 ? 1 : std::max(1u, height / 2);
    sd.mips = gpu::mip_count(sd.width, sd.height);
    sd.usage = VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
    auto scene_color = gpu::Image::create(ctx_, sd);
    if (!scene_color) return scene_color.error();
    t->scene_color = std::move(scene_color.value());
    gpu::Image& sc = t->scene_color;
    auto cmd = ctx_.uploads().cmd();
    if (!cmd) return cmd.error();
    gpu::transition(cmd.value(), sc, VK_IMAGE_LAYOUT_UNDEFINED, RO, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, 0,
                    VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT, VK_ACCESS_SHADER_READ_BIT);

    std::vector<VkImageView> views = {t->color.view(), t->depth.view()};
    if (msaa) views.push_back(t->resolved.view());
    VkFramebufferCreateInfo fi{VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO};
    fi.renderPass = layers > 1 ? batch_pass(layers) : scene_pass_;
    fi.attachmentCount = uint32_t(views.size());
    fi.pAttachments = views.data();
    fi.width = width;
    fi.height = height;
    fi.layers = 1;
    VK_CHECK(vkCreateFramebuffer(ctx_.device(), &fi, nullptr, &t->framebuffer));
    ctx_.name(VK_OBJECT_TYPE_FRAMEBUFFER, t->framebuffer, "view targets " + std::to_string(width) + "x" + std::to_string(height));

    VkDescriptorPoolSize size{TEX, 2};
    VkDescriptorPoolCreateInfo pci{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    pci.maxSets = 1;
    pci.poolSizeCount = 1;
    pci.pPoolSizes = &size;
    VK_CHECK(vkCreateDescriptorPool(ctx_.device(), &pci, nullptr, &t->pool));
    VkDescriptorSetAllocateInfo ai{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
    ai.descriptorPool = t->pool;
    ai.descriptorSetCount = 1;
    ai.pSetLayouts = &targets_layout_;
    VK_CHECK(vkAllocateDescriptorSets(ctx_.device(), &ai, &t->set));
    VkSampler linear = env_ ? env_->sampler : target_sampler_;
    gpu::write_image(ctx_, t->set, BIND_SCENE_COLOR, TEX, t->scene_color.view(), linear, RO);
    gpu::write_image(ctx_, t->set, BIND_HDR, TEX, t->hdr().view(), target_sampler_, RO);
    return t;
}

Result<void> GpuScene::prepare(std::span<const Instance> instances, const Look& look, uint32_t views,
                               std::span<const ImageInstance> images) {
    if (!env_) return fail(ErrorKind::Gpu, "the scene has no environment");
    current_ = (current_ + 1) % kFrameSlots;
    FrameSlot& f = frames_[current_];
    if (auto r = ctx_.wait(f.busy_until); !r) return r.error();
    // The slot's last frame is done: its tile feedback is read and its table rewritten.
    image_draws_.clear();
    if (vt_) {
        if (auto r = vt_->begin_frame(current_); !r) return r.error();
        for (const ImageInstance& im : images) {
            if (im.image >= vt_->image_count()) continue;  // not added (a bug upstream): nothing to show
            // The region from a whole pixel near its corner: the shader's floats stay small (exact
            // to well under a pixel) however large the image.
            glm::uvec2 origin(uint32_t(std::clamp(std::floor(im.region.x), 0.0, 4.0e9)),
                              uint32_t(std::clamp(std::floor(im.region.y), 0.0, 4.0e9)));
            glm::vec4 region(float(im.region.x - origin.x), float(im.region.y - origin.y), float(im.region.z),
                             float(im.region.w));
            image_draws_.push_back(
                {im.transform, glm::vec4(im.size, im.opacity, float(im.image)), region, glm::uvec4(origin, 0, 0)});
        }
    }
    f.busy_until = UINT64_MAX;  // until frame_submitted(): Context::wait clamps it to everything submitted
    f.views_used = 0;
    f.views_prepared = views;
    look_ = look;
    // A batch reads MAX_MULTIVIEW uniforms from its offset: room for that past the last slot.
    uint64_t batch_tail = multiview_batch_ ? MAX_MULTIVIEW * sizeof(shader::ViewUniforms) : 0;
    if (auto r = grow(f.views, std::max(views, 1u) * view_stride_ + batch_tail, VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT, BIND_VIEW,
                      UBO_DYN, f.set, sizeof(shader::ViewUniforms));
        !r)
        return r.error();

    draws_.clear();
    lights_.clear();
    draw_data_.clear();
    frame_textured_ = false;
    uint64_t deformed_bytes = 0;
    lights_.assign(room_lights_.begin(), room_lights_.end());  // keeps lights_'s capacity
    for (const Instance& inst : instances) {
        VITRINE_CHECK(inst.model < models_.size() && models_[inst.model].gpu && inst.pose);
        const ModelEntry& m = models_[inst.model];
        append_lights(*m.cpu, *inst.pose, inst.transform, lights_);
        for (const scene::DrawItem& it : inst.pose->items) {
            const GpuPrimitive& gp = m.gpu->primitive(it.mesh, it.primitive);
            if (gp.index_count == 0) continue;
            glm::mat4 world = inst.transform * it.world;
            const auto& prim = m.cpu->meshes[size_t(it.mesh)].primitives[size_t(it.primitive)];
            glm::vec3 centre;
            if (it.deformed.empty()) {
                centre = glm::vec3(world * glm::vec4((prim.min + prim.max) * 0.5f, 1));
            } else {
                glm::vec3 lo(it.deformed[0].position), hi = lo;
                for (const scene::Vertex& v : it.deformed) {
                    lo = glm::min(lo, v.position);
                    hi = glm::max(hi, v.position);
                }
                centre = glm::vec3(inst.transform * glm::vec4((lo + hi) * 0.5f, 1));
            }
            Kind kind = m.gpu->material_blends(gp.material)    ? Kind::Blended
                        : m.gpu->material_transmits(gp.material) ? Kind::Transmissive
                                                                 : Kind::Opaque;
            // A pyramid for this material's base colour (the instance's first that names it, or all).
            const InstanceTexture* texture = nullptr;
            if (vt_)
                for (const InstanceTexture& t : inst.textures)
                    if ((t.material < 0 || t.material == prim.material) && t.image < vt_->image_count()) {
                        texture = &t;
                        break;
                    }
            int features = m.gpu->material_features(gp.material) | (texture ? FEATURE_PYRAMID : 0);
            VkPipeline p = pbr_pipeline(features, m.gpu->material_blends(gp.material), m.gpu->material_double_sided(gp.material));
            int64_t deformed = -1;
            if (!it.deformed.empty()) {
                deformed = int64_t(deformed_bytes);
                deformed_bytes += it.deformed.size() * sizeof(scene::Vertex);
            }
            int64_t key = int64_t(features) << 2 | int64_t(m.gpu->material_blends(gp.material)) << 1 |
                          int64_t(m.gpu->material_double_sided(gp.material));
            draws_.push_back({m.gpu.get(), &gp, p, uint32_t(draw_data_.size()), key, deformed, kind, centre});
            shader::DrawUniform du{world, glm::inverseTranspose(world), glm::vec4(1), glm::vec4(0), glm::vec4(0), glm::vec4(0)};
            if (texture) {
                // As image frames: from a whole pixel (exact in a float up to 2^24) near the corner.
                glm::dvec2 origin(std::clamp(std::floor(texture->region.x), 0.0, 16777215.0),
                                  std::clamp(std::floor(texture->region.y), 0.0, 16777215.0));
                du.pyramid = glm::vec4(float(texture->region.x - origin.x), float(texture->region.y - origin.y),
                                       float(texture->region.z), float(texture->region.w));
                du.pyramid_image = glm::vec4(float(texture->image), float(origin.x), float(origin.y), 0);
                frame_textured_ = true;
            }
            for (const scene::MaterialOverride& o : inst.materials) {
                if (o.material != prim.material) continue;
                int bits = 0;
                if (o.has_base_color) du.base_color = o.base_color, bits |= OVERRIDE_BASE_COLOR;
                if (o.has_emissive) {
                    float strength = o.material >= 0 ? m.cpu->materials[size_t(o.material)].emissive_strength : 1.0f;
                    du.emissive = glm::vec4(o.emissive * strength, 0);
                    bits |= OVERRIDE_EMISSIVE;
                }
                du.emissive.w = float(bits);
            }
            draw_data_.push_back(du);
        }
    }
    if (lights_.size() > LIGHTS_WARN && !warned_lights_) {
        log::warn(std::to_string(lights_.size()) + " punctual lights: every one costs every shaded pixel (more than " +
                  std::to_string(LIGHTS_WARN) + " is slow)");
        warned_lights_ = true;
    }
    light_count_ = uint32_t(lights_.size());

    if (auto r = grow(f.lights, sizeof(shader::LightsHeader) + std::max<size_t>(1, lights_.size()) * sizeof(shader::LightUniform),
                      VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, BIND_LIGHTS, SSBO, f.set, VK_WHOLE_SIZE);
        !r)
        return r.error();
    if (auto r = grow(f.draws, std::max<size_t>(1, draw_data_.size()) * sizeof(shader::DrawUniform),
                      VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, BIND_DRAWS, SSBO, f.set, VK_WHOLE_SIZE);
        !r)
        return r.error();
    if (deformed_bytes)
        if (auto r = grow(f.deformed, deformed_bytes, VK_BUFFER_USAGE_VERTEX_BUFFER_BIT, 0, SSBO, VK_NULL_HANDLE, 0); !r)
            return r.error();
    frame_transmits_ = std::any_of(draws_.begin(), draws_.end(), [](const Draw& d) { return d.kind == Kind::Transmissive; });
    if (multiview_batch_) {
        // The batch set mirrors the frame set (this slot is idle: safe to rewrite).
        auto write = [&](uint32_t binding, VkDescriptorType type, const gpu::Buffer& b, uint64_t range) {
            gpu::write_buffer(ctx_, f.batch_set, binding, type, b.handle(), range);
        };
        write(BIND_VIEW, UBO_DYN, f.views, MAX_MULTIVIEW * sizeof(shader::ViewUniforms));
        write(BIND_LIGHTS, SSBO, f.lights, f.lights.size());
        write(BIND_DRAWS, SSBO, f.draws, f.draws.size());
        write_environment(f.batch_set);
    }
    // The header the light loop and the scene-colour branch read (views of this frame split
    // exactly when it transmits: draw() and the batches agree), then the lights.
    shader::LightsHeader header{};
    header.counts = {int(lights_.size()), frame_transmits_ ? 1 : 0, 0, 0};
    std::memcpy(f.lights.mapped(), &header, sizeof header);
    if (!lights_.empty())
        std::memcpy(static_cast<char*>(f.lights.mapped()) + sizeof header, lights_.data(),
                    lights_.size() * sizeof(shader::LightUniform));
    if (!draw_data_.empty())
        std::memcpy(f.draws.mapped(), draw_data_.data(), draw_data_.size() * sizeof(shader::DrawUniform));
    size_t d = 0;
    for (const Instance& inst : instances)
        for (const scene::DrawItem& it : inst.pose->items) {
            const GpuPrimitive& gp = models_[inst.model].gpu->primitive(it.mesh, it.primitive);
            if (gp.index_count == 0) continue;
            const Draw& draw = draws_[d++];
            if (draw.deformed >= 0)
                std::memcpy(static_cast<char*>(f.deformed.mapped()) + draw.deformed, it.deformed.data(),
                            it.deformed.size() * sizeof(scene::Vertex));
        }
    return {};
}

void GpuScene::sort_draws(const View& view) {
    opaque_.clear();
    transmissive_.clear();
    blended_.clear();
    depth_.resize(draws_.size());
    for (uint32_t i = 0; i < draws_.size(); ++i) {
        const Draw& dr = draws_[i];
        (dr.kind == Kind::Opaque ? opaque_ : dr.kind == Kind::Transmissive ? transmissive_ : blended_).push_back(i);
        // Distance along the view direction, without the eye's translation (a constant per
        // view): views that look the same way (a quilt's) sort identically, batched or not.
        depth_[i] = (glm::mat3(view.view) * dr.centre).z;  // more negative = farther
    }
    // Back to front across every instance; ties keep file order.
    auto far_first = [&](uint32_t a, uint32_t b) { return depth_[a] < depth_[b]; };
    std::stable_sort(transmissive_.begin(), transmissive_.end(), far_first);
    std::stable_sort(blended_.begin(), blended_.end(), far_first);
}

shader::ViewUniforms GpuScene::view_uniforms(const View& view, const ViewTargets& t, bool split) const {
    shader::ViewUniforms u{};

    u.view = view.view;
    u.proj = view.proj;
    if (view.overscan > 0) {
        // Widen the picture by `overscan` pixels a side: clip x, y scale by picture / target.
        glm::mat4 widen(1);
        widen[0][0] = float(view.picture_width()) / float(t.width);
        widen[1][1] = float(view.picture_height()) / float(t.height);
        u.proj = widen * view.proj;
    }
    u.inv_view_proj = glm::inverse(u.proj * view.view);
    u.camera = glm::vec4(view.eye, 1);
    u.env = {look_.env_intensity, look_.env_rotation, float(kPrefilterMips), look_.sky_blur};
    int op = look_.tonemap == ToneMap::Aces ? TONEMAP_ACES : look_.tonemap == ToneMap::None ? TONEMAP_NONE : TONEMAP_PBR_NEUTRAL;
    u.tonemap = {std::exp2(look_.exposure_ev), float(op), look_.solid_background ? 1.0f : 0.0f, float(view.orientation_code())};
    u.background = glm::vec4(look_.background, 1);
    u.counts = {int(light_count_), split ? 1 : 0, int(view.overscan), 0};
    u.scene_color = glm::vec4(float(t.scene_color.desc().mips), 0, 0, 0);
    u.viewport = {view.viewport.x, view.viewport.y, int(view.viewport.width), int(view.viewport.height)};
    return u;
}

// The draws of `list` with the frame's set at `dynamic_offset` and the targets' set;
// `batch_views` > 0: the multiview pipelines for a batch of that many views.
void GpuScene::record_draws(VkCommandBuffer cmd, const std::vector<uint32_t>& list, VkDescriptorSet frame_set,
                            uint32_t dynamic_offset, const ViewTargets& t, uint32_t batch_views) {
    FrameSlot& f = frames_[current_];
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pbr_layout_, 0, 1, &frame_set, 1, &dynamic_offset);
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pbr_layout_, 2, 1, &t.set, 0, nullptr);
    if (frame_textured_) {  // sets 0..2 are the same in both layouts: binding set 3 keeps them
        VkDescriptorSet vt_set = vt_->set(current_);
        vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pbr_vt_layout_, VT_SET_PBR, 1, &vt_set, 0, nullptr);
    }
    VkPipeline bound = VK_NULL_HANDLE;
    const GpuModel* bound_model = nullptr;
    for (uint32_t i : list) {
        const Draw& dr = draws_[i];
        VkPipeline p = batch_views ? pbr_batch_pipeline(dr.key, batch_views) : dr.pipeline;
        if (p != bound) {
            vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, p);
            bound = p;
        }
        if (dr.model != bound_model) {
            vkCmdBindIndexBuffer(cmd, dr.model->index_buffer(), 0, VK_INDEX_TYPE_UINT32);
            bound_model = dr.model;
        }
        VkDescriptorSet mset = dr.model->material_set(dr.prim->material);
        vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pbr_layout_, 1, 1, &mset, 0, nullptr);
        vkCmdPushConstants(cmd, pbr_layout_, VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof(uint32_t), &dr.index);
        VkBuffer vb = dr.deformed < 0 ? dr.model->vertex_buffer() : f.deformed.handle();
        VkDeviceSize off = dr.deformed < 0 ? 0 : VkDeviceSize(dr.deformed);
        vkCmdBindVertexBuffers(cmd, 0, 1, &vb, &off);
        int32_t vertex_offset = dr.deformed < 0 ? int32_t(dr.prim->first_vertex) : 0;
        vkCmdDrawIndexed(cmd, dr.prim->index_count, 1, uint32_t(dr.prim->first_index), vertex_offset, 0);
    }
}

// Begins `pass` on the targets (colour and depth cleared where the pass clears them) with
// the viewport and scissor covering them.
void GpuScene::begin_scene_pass(VkCommandBuffer cmd, VkRenderPass pass, const ViewTargets& t) {
    VkClearValue clears[3] = {};
    clears[1].depthStencil = {1.0f, 0};
    VkRenderPassBeginInfo rp{VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO};
    rp.renderPass = pass;
    rp.framebuffer = t.framebuffer;
    rp.renderArea = {{0, 0}, {t.width, t.height}};
    rp.clearValueCount = samples_ != VK_SAMPLE_COUNT_1_BIT ? 3 : 2;
    rp.pClearValues = clears;
    vkCmdBeginRenderPass(cmd, &rp, VK_SUBPASS_CONTENTS_INLINE);
    VkViewport vp{0, 0, float(t.width), float(t.height), 0, 1};
    VkRect2D sc{{0, 0}, {t.width, t.height}};
    vkCmdSetViewport(cmd, 0, 1, &vp);
    vkCmdSetScissor(cmd, 0, 1, &sc);
}

// The tone map of one view into rectangle `r` of the canvas: from its targets, or
// (layer >= 0) from that layer of a batch's targets.
void GpuScene::record_tonemap(VkCommandBuffer cmd, const Rect& r, VkFramebuffer canvas, VkFormat format,
                              VkDescriptorSet frame_set, uint32_t dynamic_offset, const ViewTargets& t, int32_t layer) {
    VkRenderPassBeginInfo rp{VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO};
    rp.renderPass = canvas_pass(format);
    rp.framebuffer = canvas;
    rp.renderArea = {{r.x, r.y}, {r.width, r.height}};
    vkCmdBeginRenderPass(cmd, &rp, VK_SUBPASS_CONTENTS_INLINE);
    VkViewport vp{float(r.x), float(r.y), float(r.width), float(r.height), 0, 1};
    VkRect2D sc{{r.x, r.y}, {r.width, r.height}};
    vkCmdSetViewport(cmd, 0, 1, &vp);
    vkCmdSetScissor(cmd, 0, 1, &sc);
    VkPipelineLayout layout = layer >= 0 ? tonemap_layered_layout_ : tonemap_layout_;
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, tonemap_pipeline(format, layer >= 0));
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, layout, 0, 1, &frame_set, 1, &dynamic_offset);
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, layout, 1, 1, &t.set, 0, nullptr);
    if (layer >= 0) vkCmdPushConstants(cmd, layout, VK_SHADER_STAGE_FRAGMENT_BIT, 0, sizeof layer, &layer);
    vkCmdDraw(cmd, 3, 1, 0, 0);
    vkCmdEndRenderPass(cmd);
}

void GpuScene::draw(VkCommandBuffer cmd, const View& view, ViewTargets& t, VkFramebuffer canvas, VkFormat format,
                    gpu::PassTimer* timer) {
    auto mark = [&](const char* pass) {
        if (timer) timer->mark(cmd, pass);
    };
    FrameSlot& f = frames_[current_];
    VITRINE_CHECK(view.target_width() == t.width && view.target_height() == t.height);
    // Per-view uniforms at this view's dynamic offset; prepare() sized the ring for the frame's views.
    VITRINE_CHECK(f.views_used < f.views_prepared);
    uint32_t dynamic_offset = uint32_t(f.views_used * view_stride_);
    ++f.views_used;

    sort_draws(view);
    bool split = !transmissive_.empty();
    VITRINE_CHECK(split == frame_transmits_);  // the lights buffer's header says so to the shader
    shader::ViewUniforms u = view_uniforms(view, t, split);
    std::memcpy(static_cast<char*>(f.views.mapped()) + dynamic_offset, &u, sizeof u);

    auto draw_list = [&](const std::vector<uint32_t>& list) { record_draws(cmd, list, f.set, dynamic_offset, t, 0); };
    ctx_.begin_label(cmd, "scene");
    begin_scene_pass(cmd, split ? opaque_pass_ : scene_pass_, t);
    draw_list(opaque_);
    record_images(cmd, f.set, dynamic_offset, 0);
    if (!split) draw_list(blended_);
    vkCmdEndRenderPass(cmd);
    ctx_.end_label(cmd);
    mark("scene+resolve");
    if (split) {
        ctx_.begin_label(cmd, "transmission copy");
        copy_scene_color(cmd, t);
        ctx_.end_label(cmd);
        mark("transmission copy");
        ctx_.begin_label(cmd, "transmission");
        begin_scene_pass(cmd, transmission_pass_, t);
        draw_list(transmissive_);
        draw_list(blended_);
        vkCmdEndRenderPass(cmd);
        ctx_.end_label(cmd);
        mark("transmission");
    }

    ctx_.begin_label(cmd, "tone map");
    record_tonemap(cmd, view.viewport, canvas, format, f.set, dynamic_offset, t, -1);
    ctx_.end_label(cmd);
    mark("tone map");
}

void GpuScene::draw_batch(VkCommandBuffer cmd, std::span<const View> views, ViewTargets& t, VkFramebuffer canvas,
                          VkFormat format, gpu::PassTimer* timer) {
    FrameSlot& f = frames_[current_];
    uint32_t k = uint32_t(views.size());
    VITRINE_CHECK(k >= 1 && k <= multiview_batch_ && t.layers == k && frame_batches());
    for (const View& v : views)
        VITRINE_CHECK(v.target_width() == t.width && v.target_height() == t.height && v.orientation_code() == 0 &&
                      v.overscan == 0);
    // The batch's uniforms lie side by side from one aligned offset (gl_ViewIndex picks one).
    uint32_t slots = uint32_t((k * sizeof(shader::ViewUniforms) + view_stride_ - 1) / view_stride_);
    VITRINE_CHECK(f.views_used + slots <= f.views_prepared);
    uint32_t dynamic_offset = uint32_t(f.views_used * view_stride_);
    f.views_used += slots;
    sort_draws(views[0]);  // views of a batch look the same way: one order serves all
    for (uint32_t i = 0; i < k; ++i) {
        shader::ViewUniforms u = view_uniforms(views[i], t, false);
        std::memcpy(static_cast<char*>(f.views.mapped()) + dynamic_offset + i * sizeof u, &u, sizeof u);
    }

    ctx_.begin_label(cmd, "scene (multiview)");
    begin_scene_pass(cmd, batch_pass(k), t);
    record_draws(cmd, opaque_, f.batch_set, dynamic_offset, t, k);
    record_images(cmd, f.batch_set, dynamic_offset, k);
    record_draws(cmd, blended_, f.batch_set, dynamic_offset, t, k);
    vkCmdEndRenderPass(cmd);
    ctx_.end_label(cmd);
    if (timer) timer->mark(cmd, "scene+resolve (multiview)");

    ctx_.begin_label(cmd, "tone map (layers)");
    for (uint32_t i = 0; i < k; ++i)
        record_tonemap(cmd, views[i].viewport, canvas, format, f.batch_set, dynamic_offset, t, int32_t(i));
    ctx_.end_label(cmd);
    if (timer) timer->mark(cmd, "tone map");
}

void GpuScene::copy_scene_color(VkCommandBuffer cmd, ViewTargets& t) {
    const gpu::Image& src = t.hdr();
    const VkPipelineStageFlags TR = VK_PIPELINE_STAGE_TRANSFER_BIT, FS = VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT;
    gpu::transition(cmd, src, RO, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
                    VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT, TR, VK_ACCESS_TRANSFER_READ_BIT);
    gpu::transition(cmd, t.scene_color, RO, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, FS, 0, TR, VK_ACCESS_TRANSFER_WRITE_BIT, 0);
    const gpu::ImageDesc& d = t.scene_color.desc();
    VkImageBlit blit{};
    blit.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
    blit.srcOffsets[1] = {int32_t(t.width), int32_t(t.height), 1};
    blit.dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
    blit.dstOffsets[1] = {int32_t(d.width), int32_t(d.height), 1};
    vkCmdBlitImage(cmd, src.handle(), VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, t.scene_color.handle(),
                   VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &blit, VK_FILTER_LINEAR);
    gpu::generate_mips(cmd, t.scene_color, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, TR, VK_ACCESS_TRANSFER_WRITE_BIT);
    // The transmission pass resolves over the resolved image (MSAA) or loads the colour target itself.
    gpu::transition(cmd, src, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, RO, TR, VK_ACCESS_TRANSFER_READ_BIT,
                    VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT | FS,
                    VK_ACCESS_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_SHADER_READ_BIT);
}

}  // namespace vitrine::render
