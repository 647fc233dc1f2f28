// Uniform layouts and binding numbers shared by C++ and GLSL (std140).
#ifndef VITRINE_SHADER_LAYOUT_H
#define VITRINE_SHADER_LAYOUT_H

#ifdef __cplusplus
#include <cstdint>
#include <glm/glm.hpp>
namespace vitrine::shader {
using vec4 = glm::vec4;
using ivec4 = glm::ivec4;
using mat4 = glm::mat4;
#define VITRINE_STRUCT(name) struct alignas(16) name
#else
#define VITRINE_STRUCT(name) struct name
#endif

#define MAX_LIGHTS 8
#define LIGHT_DIRECTIONAL 0
#define LIGHT_POINT 1
#define LIGHT_SPOT 2

#define TONEMAP_NONE 0
#define TONEMAP_PBR_NEUTRAL 1
#define TONEMAP_ACES 2

#define ALPHA_OPAQUE 0
#define ALPHA_MASK 1
#define ALPHA_BLEND 2

// Set 0: the frame. Set 1: the material.
#define BIND_FRAME 0
#define BIND_IRRADIANCE 1
#define BIND_PREFILTERED 2
#define BIND_BRDF_LUT 3

#define BIND_MATERIAL 0
#define BIND_BASE_COLOR 1
#define BIND_METAL_ROUGH 2
#define BIND_NORMAL 3
#define BIND_OCCLUSION 4
#define BIND_EMISSIVE 5

VITRINE_STRUCT(LightUniform) {
    vec4 position;   // xyz world position, w type
    vec4 direction;  // xyz direction the light points, w range (0 = infinite)
    vec4 color;      // rgb colour * intensity
    vec4 cone;       // x light angle scale, y light angle offset (spot)
};

VITRINE_STRUCT(FrameUniforms) {
    mat4 view;
    mat4 proj;
    mat4 inv_view_proj;
    vec4 camera;      // xyz eye position (world)
    vec4 env;         // x intensity, y rotation about +Y (radians), z prefiltered mip count, w sky mip
    vec4 tonemap;     // x exposure multiplier, y operator, z 1 = solid background, w unused
    vec4 background;  // rgb background colour (display-referred, written as is)
    ivec4 counts;     // x light count
    LightUniform lights[MAX_LIGHTS];
};

VITRINE_STRUCT(MaterialUniforms) {
    vec4 base_color;
    vec4 emissive;   // rgb factor * emissive strength
    vec4 params;     // x metallic, y roughness, z alpha cutoff, w alpha mode
    vec4 params2;    // x normal scale, y occlusion strength, z dielectric F0, w unlit (1)
    ivec4 uv_set;    // TEXCOORD set for base, metal/rough, normal, occlusion
    ivec4 uv_set2;   // x emissive; y 1 when a normal texture is present
    vec4 uv_xform[10];  // per texture (same order), two rows of KHR_texture_transform's 3x3
};

#ifdef __cplusplus
}  // namespace vitrine::shader
#endif
#endif
