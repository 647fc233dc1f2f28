#include "render/environment.h"

#include <cmath>

#include "gpu/pipeline.h"

namespace vitrine::render {

namespace {
const uint32_t kEquirectToCube[] =
#include "equirect_to_cube.comp.spv.inc"
    ;
const uint32_t kPrefilter[] =
#include "prefilter.comp.spv.inc"
    ;
const uint32_t kIrradiance[] =
#include "irradiance.comp.spv.inc"
    ;
const uint32_t kBrdfLut[] =
#include "brdf_lut.comp.spv.inc"
    ;

constexpr uint32_t kCubeSize = 256, kPrefilterSize = 128, kSheenSize = 64, kIrradianceSize = 32, kLutSize = 128;

struct ComputePass {
    VkDescriptorSetLayout set_layout = VK_NULL_HANDLE;
    VkPipelineLayout layout = VK_NULL_HANDLE;
    VkPipeline pipeline = VK_NULL_HANDLE;
    VkShaderModule module = VK_NULL_HANDLE;
};

// Binding 0: the sampled source (absent when `sampled_input` is false); binding 1: the storage target.
ComputePass make_pass(gpu::Context& ctx, const uint32_t* code, size_t bytes, uint32_t push_bytes, bool sampled_input = true) {
    ComputePass p;
    std::vector<gpu::Binding> bindings = {{1, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, VK_SHADER_STAGE_COMPUTE_BIT}};
    if (sampled_input) bindings.push_back({0, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, VK_SHADER_STAGE_COMPUTE_BIT});
    p.set_layout = gpu::make_set_layout(ctx, bindings);
    p.layout = gpu::make_pipeline_layout(ctx, {p.set_layout}, push_bytes, VK_SHADER_STAGE_COMPUTE_BIT);
    p.module = gpu::make_shader(ctx, code, bytes);
    p.pipeline = gpu::make_compute_pipeline(ctx, p.module, p.layout);
    return p;
}

void destroy_pass(gpu::Context& ctx, ComputePass& p) {
    vkDestroyPipeline(ctx.device(), p.pipeline, nullptr);
    vkDestroyShaderModule(ctx.device(), p.module, nullptr);
    vkDestroyPipelineLayout(ctx.device(), p.layout, nullptr);
    vkDestroyDescriptorSetLayout(ctx.device(), p.set_layout, nullptr);
}

Result<gpu::Image> make_cube(gpu::Context& ctx, uint32_t size, uint32_t mips, VkImageUsageFlags extra) {
    gpu::ImageDesc d;
    d.format = VK_FORMAT_R16G16B16A16_SFLOAT;
    d.width = d.height = size;
    d.mips = mips;
    d.layers = 6;
    d.cube = true;
    d.usage = VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_STORAGE_BIT | extra;
    return gpu::Image::create(ctx, d);
}
}  // namespace

ImageF procedural_studio(uint32_t width, uint32_t height) {
    ImageF img;
    img.width = width;
    img.height = height;
    img.rgba.resize(size_t(width) * height * 4);
    for (uint32_t j = 0; j < height; ++j)
        for (uint32_t i = 0; i < width; ++i) {
            float theta = (j + 0.5f) / height * 3.14159265f;
            float phi = ((i + 0.5f) / width - 0.5f) * 6.2831853f;
            float y = std::cos(theta);
            // Soft grey dome, darker floor, and two broad softboxes (key front-left, fill right).
            float v = 0.45f + 0.35f * y;
            if (y < 0) v = 0.25f + 0.1f * y;
            auto box = [&](float p0, float t0, float w) {
                float dp = std::remainder(phi - p0, 6.2831853f), dt = theta - t0;
                return std::exp(-(dp * dp + dt * dt) / (w * w));
            };
            v += 6.0f * box(-0.8f, 0.9f, 0.35f) + 2.0f * box(1.9f, 1.2f, 0.4f);
            float* p = &img.rgba[(size_t(j) * width + i) * 4];
            p[0] = p[1] = p[2] = v;
            p[3] = 1;
        }
    return img;
}

Result<std::unique_ptr<Environment>> build_environment(gpu::Context& ctx, const ImageF& equirect) {
    auto env = std::make_unique<Environment>();
    auto source = gpu::upload_texture_f16(ctx, equirect);
    if (!source) return source.error();
    uint32_t cube_mips = gpu::mip_count(kCubeSize, kCubeSize);
    auto cube = make_cube(ctx, kCubeSize, cube_mips, VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT);
    auto pre = make_cube(ctx, kPrefilterSize, kPrefilterMips, 0);
    auto irr = make_cube(ctx, kIrradianceSize, 1, 0);
    auto sheen = make_cube(ctx, kSheenSize, kPrefilterMips, 0);
    gpu::ImageDesc ld;
    ld.format = VK_FORMAT_R16G16B16A16_SFLOAT;
    ld.width = ld.height = kLutSize;
    ld.usage = VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_STORAGE_BIT;
    auto lut = gpu::Image::create(ctx, ld);
    for (auto* r : {&cube, &pre, &irr, &sheen, &lut})
        if (!r->ok()) return r->error();
    env->sheen = std::move(sheen.value());
    env->cube = std::move(cube.value());
    env->prefiltered = std::move(pre.value());
    env->irradiance = std::move(irr.value());
    env->brdf_lut = std::move(lut.value());

    VkSamplerCreateInfo si{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
    si.magFilter = si.minFilter = VK_FILTER_LINEAR;
    si.mipmapMode = VK_SAMPLER_MIPMAP_MODE_LINEAR;
    si.addressModeU = si.addressModeV = si.addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
    si.maxLod = VK_LOD_CLAMP_NONE;
    VK_CHECK(vkCreateSampler(ctx.device(), &si, nullptr, &env->sampler));
    // The equirect wraps horizontally.
    VkSampler wrap_sampler;
    si.addressModeU = VK_SAMPLER_ADDRESS_MODE_REPEAT;
    VK_CHECK(vkCreateSampler(ctx.device(), &si, nullptr, &wrap_sampler));

    ComputePass to_cube = make_pass(ctx, kEquirectToCube, sizeof kEquirectToCube, 0);
    ComputePass prefilter = make_pass(ctx, kPrefilter, sizeof kPrefilter, 16);
    ComputePass irradiance = make_pass(ctx, kIrradiance, sizeof kIrradiance, 8);
    ComputePass brdf = make_pass(ctx, kBrdfLut, sizeof kBrdfLut, 0, false);

    uint32_t set_count = 3 + 2 * kPrefilterMips;
    VkDescriptorPoolSize sizes[] = {{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, set_count},
                                    {VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, set_count}};
    VkDescriptorPoolCreateInfo pci{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    pci.maxSets = set_count;
    pci.poolSizeCount = 2;
    pci.pPoolSizes = sizes;
    VkDescriptorPool pool;
    VK_CHECK(vkCreateDescriptorPool(ctx.device(), &pci, nullptr, &pool));
    auto make_set = [&](ComputePass& pass, VkImageView src, VkSampler smp, VkImageView dst) {
        VkDescriptorSetAllocateInfo ai{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
        ai.descriptorPool = pool;
        ai.descriptorSetCount = 1;
        ai.pSetLayouts = &pass.set_layout;
        VkDescriptorSet set;
        VK_CHECK(vkAllocateDescriptorSets(ctx.device(), &ai, &set));
        if (src) gpu::write_image(ctx, set, 0, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, src, smp, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL);
        gpu::write_image(ctx, set, 1, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, dst, VK_NULL_HANDLE, VK_IMAGE_LAYOUT_GENERAL);
        return set;
    };
    VkDescriptorSet cube_set = make_set(to_cube, source->view(), wrap_sampler, env->cube.mip_view(0));
    std::vector<VkDescriptorSet> pre_sets;
    for (uint32_t m = 0; m < kPrefilterMips; ++m)
        pre_sets.push_back(make_set(prefilter, env->cube.view(), env->sampler, env->prefiltered.mip_view(m)));
    std::vector<VkDescriptorSet> sheen_sets;
    for (uint32_t m = 0; m < kPrefilterMips; ++m)
        sheen_sets.push_back(make_set(prefilter, env->cube.view(), env->sampler, env->sheen.mip_view(m)));
    VkDescriptorSet irr_set = make_set(irradiance, env->cube.view(), env->sampler, env->irradiance.mip_view(0));
    VkDescriptorSet lut_set = make_set(brdf, VK_NULL_HANDLE, VK_NULL_HANDLE, env->brdf_lut.view());

    gpu::Image& cube_img = env->cube;
    auto built = ctx.submit_now([&](VkCommandBuffer cmd) {
        const VkPipelineStageFlags CS = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT;
        gpu::transition(cmd, cube_img, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_GENERAL, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, 0,
                        CS, VK_ACCESS_SHADER_WRITE_BIT);
        gpu::transition(cmd, env->prefiltered, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_GENERAL,
                        VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, 0, CS, VK_ACCESS_SHADER_WRITE_BIT);
        gpu::transition(cmd, env->irradiance, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_GENERAL,
                        VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, 0, CS, VK_ACCESS_SHADER_WRITE_BIT);
        gpu::transition(cmd, env->sheen, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_GENERAL,
                        VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, 0, CS, VK_ACCESS_SHADER_WRITE_BIT);
        gpu::transition(cmd, env->brdf_lut, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_GENERAL,
                        VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, 0, CS, VK_ACCESS_SHADER_WRITE_BIT);

        vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, to_cube.pipeline);
        vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, to_cube.layout, 0, 1, &cube_set, 0, nullptr);
        vkCmdDispatch(cmd, kCubeSize / 8, kCubeSize / 8, 6);

        vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, brdf.pipeline);
        vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, brdf.layout, 0, 1, &lut_set, 0, nullptr);
        vkCmdDispatch(cmd, kLutSize / 8, kLutSize / 8, 1);

        gpu::generate_mips(cmd, cube_img, VK_IMAGE_LAYOUT_GENERAL, CS, VK_ACCESS_SHADER_WRITE_BIT);

        vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, prefilter.pipeline);
        for (uint32_t m = 0; m < kPrefilterMips; ++m) {
            for (uint32_t lobe = 0; lobe < 2; ++lobe) {
                struct { float roughness; float source_size; uint32_t samples; uint32_t lobe; } push{
                    float(m) / float(kPrefilterMips - 1), float(kCubeSize), lobe ? 256u : 128u, lobe};
                vkCmdPushConstants(cmd, prefilter.layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof push, &push);
                VkDescriptorSet set = lobe ? sheen_sets[m] : pre_sets[m];
                vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, prefilter.layout, 0, 1, &set, 0, nullptr);
                uint32_t size = std::max(1u, (lobe ? kSheenSize : kPrefilterSize) >> m);
                vkCmdDispatch(cmd, (size + 7) / 8, (size + 7) / 8, 6);
            }
        }
        vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, irradiance.pipeline);
        struct { float lod; uint32_t samples; } ipush{4.0f, 1024u};
        vkCmdPushConstants(cmd, irradiance.layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof ipush, &ipush);
        vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, irradiance.layout, 0, 1, &irr_set, 0, nullptr);
        vkCmdDispatch(cmd, kIrradianceSize / 8, kIrradianceSize / 8, 6);

        for (gpu::Image* img : {&env->prefiltered, &env->irradiance, &env->sheen, &env->brdf_lut})
            gpu::transition(cmd, *img, VK_IMAGE_LAYOUT_GENERAL, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, CS,
                            VK_ACCESS_SHADER_WRITE_BIT, VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT, VK_ACCESS_SHADER_READ_BIT);
    });

    vkDestroyDescriptorPool(ctx.device(), pool, nullptr);
    vkDestroySampler(ctx.device(), wrap_sampler, nullptr);
    for (ComputePass* p : {&to_cube, &prefilter, &irradiance, &brdf}) destroy_pass(ctx, *p);
    if (!built) {
        destroy_environment(ctx, *env);
        return built.error();
    }
    return env;
}

void destroy_environment(gpu::Context& ctx, Environment& env) {
    VkSampler s = env.sampler;
    gpu::Context* c = &ctx;
    if (s) ctx.defer([c, s] { vkDestroySampler(c->device(), s, nullptr); });
    env.sampler = VK_NULL_HANDLE;
}

}  // namespace vitrine::render
