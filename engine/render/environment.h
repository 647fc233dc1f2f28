// Image-based lighting computed on the GPU at load: equirect -> cube map (with
// mips) -> prefiltered GGX specular mips, diffuse irradiance, and the BRDF LUT.
#pragma once
#include <memory>

#include "core/image.h"
#include "gpu/resources.h"

namespace vitrine::render {

struct Environment {
    gpu::Image cube;         // radiance, 256^2 per face, full mip chain (sky background)
    gpu::Image prefiltered;  // 128^2, kPrefilterMips mips, roughness = mip / (mips-1)
    gpu::Image irradiance;   // 32^2
    gpu::Image sheen;        // 64^2, kPrefilterMips mips, Charlie lobe, roughness = mip / (mips-1)
    gpu::Image brdf_lut;     // 128^2 RGBA16F: GGX scale, bias; sheen albedo
    VkSampler sampler = VK_NULL_HANDLE;  // trilinear clamp, shared by all four
};

constexpr uint32_t kPrefilterMips = 6;

// Builds the maps from an equirectangular HDR image (row 0 at the top).
Result<std::unique_ptr<Environment>> build_environment(gpu::Context& ctx, const ImageF& equirect);

// A soft studio made in code: used when no .hdr is given and the corpus's
// neutral-studio.hdr is not present, so the demo always has lighting.
ImageF procedural_studio(uint32_t width = 256, uint32_t height = 128);

void destroy_environment(gpu::Context& ctx, Environment& env);

}  // namespace vitrine::render
