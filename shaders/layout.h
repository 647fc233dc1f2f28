// Uniform layouts and binding numbers shared by C++ and GLSL (std140).
#ifndef VITRINE_SHADER_LAYOUT_H
#define VITRINE_SHADER_LAYOUT_H

#ifdef __cplusplus
#include <cstdint>
#include <glm/glm.hpp>
namespace vitrine::shader {
using vec4 = glm::vec4;
using ivec4 = glm::ivec4;
using uvec4 = glm::uvec4;
using mat4 = glm::mat4;
#define VITRINE_STRUCT(name) struct alignas(16) name
#else
#define VITRINE_STRUCT(name) struct name
#endif

// Punctual lights live in a storage buffer: no cap; more than LIGHTS_WARN logs a warning
// (every light costs every shaded pixel).
#define LIGHTS_WARN 64
#define LIGHT_DIRECTIONAL 0
#define LIGHT_POINT 1
#define LIGHT_SPOT 2

#define TONEMAP_NONE 0
#define TONEMAP_PBR_NEUTRAL 1
#define TONEMAP_ACES 2

#define ALPHA_OPAQUE 0
#define ALPHA_MASK 1
#define ALPHA_BLEND 2

// Set 0: the prepared frame (one per frame in flight): per-view uniforms at a dynamic
// offset, lights, per-draw matrices, the environment. Set 1 (PBR): the material.
// Set 2 (PBR) / set 1 (tone map): the view's targets.
#define BIND_VIEW 0         // ViewUniforms, dynamic offset per view (multiview: MAX_MULTIVIEW of them in a row)
#define BIND_IRRADIANCE 1
#define BIND_PREFILTERED 2
#define BIND_BRDF_LUT 3
#define BIND_SHEEN 4        // environment prefiltered with the Charlie sheen lobe
#define BIND_SKY 5          // radiance cube with mips (background)
#define BIND_LIGHTS 6       // LightUniform[]
#define BIND_DRAWS 7        // DrawUniform[], indexed by the push constant

// Views drawn in one pass with VK_KHR_multiview (a batch) read their uniforms from an
// array indexed by gl_ViewIndex; at most this many per batch.
#define MAX_MULTIVIEW 32

#define BIND_SCENE_COLOR 0  // opaque scene of this view, mipmapped: what transmissive materials see through
#define BIND_HDR 1          // the view's resolved HDR colour (tone map input)

#define BIND_MATERIAL 0
#define BIND_TEXTURES 1  // sampler2D array, one per TEX_* slot

// Material texture slots (the array index at BIND_TEXTURES).
#define TEX_BASE_COLOR 0
#define TEX_METAL_ROUGH 1
#define TEX_NORMAL 2
#define TEX_OCCLUSION 3
#define TEX_EMISSIVE 4
#define TEX_CLEARCOAT 5
#define TEX_CLEARCOAT_ROUGHNESS 6
#define TEX_CLEARCOAT_NORMAL 7
#define TEX_SPECULAR 8
#define TEX_SPECULAR_COLOR 9
#define TEX_SHEEN_COLOR 10
#define TEX_SHEEN_ROUGHNESS 11
#define TEX_TRANSMISSION 12
#define TEX_THICKNESS 13
#define TEX_SLOTS 14

// Material features, baked into each PBR pipeline as specialization constant 0 so
// unused texture fetches and layers compile away: bit TEX_* = that texture is
// present; the bits below = that layer is enabled.
#define FEATURE_CLEARCOAT (1 << 16)
#define FEATURE_SHEEN (1 << 17)
#define FEATURE_TRANSMISSION (1 << 18)
#define FEATURE_SPECULAR (1 << 19)
// The base colour comes from a tile pyramid through the virtual texture (the pbr_vt
// variant, with the virtual texture's set at VT_SET_PBR); DrawUniform.pyramid says where.
#define FEATURE_PYRAMID (1 << 20)
// The material's choices the shader branches on (alpha mode, unlit, a finite attenuation
// distance) are bits here too, never read from a uniform buffer in a condition: lavapipe
// (Mesa 22.3) inlines uniform-buffer values that steer branches and loops into a new
// shader at every bind of such a pipeline and never frees it (megabytes a frame, issue
// 15). The frame's light count and scene-colour flag come from the lights buffer's
// header (LightsHeader) for the same reason.
#define FEATURE_ALPHA_MASK (1 << 21)   // alphaMode MASK: discarded below the cutoff
#define FEATURE_ALPHA_BLEND (1 << 22)  // alphaMode BLEND: alpha kept (neither: opaque, alpha 1)
#define FEATURE_UNLIT (1 << 23)        // KHR_materials_unlit
#define FEATURE_ATTENUATION (1 << 24)  // KHR_materials_volume with a finite attenuation distance

VITRINE_STRUCT(LightUniform) {
    vec4 position;   // xyz world position, w type
    vec4 direction;  // xyz direction the light points, w range (0 = infinite)
    vec4 color;      // rgb colour * intensity
    vec4 cone;       // x light angle scale, y light angle offset (spot)
};

// In front of the frame's LightUniform array (BIND_LIGHTS, std430): what the PBR shader's
// light loop and scene-colour branch read (storage, not uniform: see FEATURE_ALPHA_MASK).
VITRINE_STRUCT(LightsHeader) {
    ivec4 counts;  // x light count, y 1 when BIND_SCENE_COLOR holds the opaque scene (the frame transmits)
};

VITRINE_STRUCT(ViewUniforms) {
    mat4 view;
    mat4 proj;
    mat4 inv_view_proj;
    vec4 camera;      // xyz eye position (world)
    vec4 env;         // x intensity, y rotation about +Y (radians), z prefiltered mip count, w sky mip
    vec4 tonemap;     // x exposure multiplier, y operator, z 1 = solid background, w orientation (View::orientation_code)
    vec4 background;  // rgb background colour (display-referred, written as is)
    ivec4 counts;     // x light count, y 1 when BIND_SCENE_COLOR holds the opaque scene (both as in LightsHeader), z overscan (pixels a side)
    vec4 scene_color; // x mip count of the scene colour texture
    ivec4 viewport;   // x, y: the view's rectangle on the canvas (pixels); z, w: its size
};

VITRINE_STRUCT(DrawUniform) {
    mat4 model;
    mat4 normal;  // inverse transpose of model
    vec4 base_color;  // replaces the material's base colour factor when OVERRIDE_BASE_COLOR
    vec4 emissive;    // rgb replaces the material's emissive (x strength); w OVERRIDE_* bits
    vec4 pyramid;     // FEATURE_PYRAMID: the image pixels TEXCOORD_0's 0..1 spans, from the origin: x, y, w, h
    vec4 pyramid_image;  // x: that image's index in the virtual texture's table; y, z: the origin (whole pixels)
};
#define OVERRIDE_BASE_COLOR 1
#define OVERRIDE_EMISSIVE 2

VITRINE_STRUCT(MaterialUniforms) {
    vec4 base_color;
    vec4 emissive;   // rgb factor * emissive strength
    vec4 params;     // x metallic, y roughness, z alpha cutoff, w alpha mode
    vec4 params2;    // x normal scale, y occlusion strength, z dielectric F0 from ior, w unlit (1)
    vec4 clearcoat;  // x factor, y roughness, z normal scale
    vec4 specular;   // rgb colour factor, w specular factor
    vec4 sheen;      // rgb colour, w roughness
    vec4 transmission;  // x factor, y thickness (model units), z attenuation distance (0 = infinite), w ior
    vec4 attenuation;   // rgb attenuation colour
    ivec4 uv_set[4]; // TEXCOORD set per TEX_* slot, 4 per ivec4
    vec4 uv_xform[TEX_SLOTS * 2];  // per slot, two rows of KHR_texture_transform's 3x3
};

// The lenticular interleave pass (push constants; see interleave.frag, room/quilt.h).
VITRINE_STRUCT(InterleaveParams) {
    vec4 lens;   // pitch, tilt, center, subp (HoloPlayCore's values from the calibration)
    vec4 grid;   // views, columns, rows, flags (INTERLEAVE_*)
    vec4 sizes;  // tile width, tile height, quilt width, quilt height (pixels)
    vec4 panel;  // native width, height (pixels)
};
// A mesh screen's warp pass (push constants; see warp.vert).
VITRINE_STRUCT(WarpParams) {
    mat4 eye_view_proj;  // the eye picture's view and projection
    vec4 fit;            // x scale, y/z offset: canvas pixels into the output's pixels
    vec4 target;         // output width, height (pixels)
};

// Pyramids shown through the virtual texture (render/virtual_texture.h, shaders/vt.glsl).
// Set VT_SET of the image pipeline, set VT_SET_PBR of the PBR pipelines whose material's
// base colour is a pyramid (FEATURE_PYRAMID). shaders/vt.glsl reads VT_BINDING_SET.
#define VT_SET 1
#define VT_SET_PBR 3
#define BIND_VT_ATLAS 0     // sampler2D: the fixed-size atlas of 256 x 256 page slots (sRGB)
#define BIND_VT_TABLE 1     // uint[]: image directory, level records, page entries (VirtualTexture)
#define BIND_VT_FEEDBACK 2  // uint[]: one bit per page entry, set by every fragment that wants it
#define VT_PAGE_CONTENT 248
#define VT_PAGE_BORDER 4
#define VT_PAGE_SIDE 256

// One image frame drawn through the virtual texture (push constants; image.vert).
VITRINE_STRUCT(ImageDraw) {
    mat4 model;   // the frame's world matrix: centred on its origin, in its XY plane, facing +Z
    vec4 shape;   // x, y: size (metres); z: opacity; w: the image's index in the table
    vec4 region;  // what the frame shows, image pixels from `origin` (y down): x, y, width, height
    uvec4 origin; // xy: a whole image pixel near the region's corner (so the floats stay small)
};

#define INTERLEAVE_INV_VIEW 1
#define INTERLEAVE_FLIP_X 2
#define INTERLEAVE_FLIP_Y 4
#define INTERLEAVE_FLIP_SUBP 8

#ifdef __cplusplus
}  // namespace vitrine::shader
#endif
#endif
