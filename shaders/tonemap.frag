#version 450
#include "layout.h"
#include "common.glsl"
// Composites the scene over the environment (or a solid colour), applies exposure
// and the tone mapper into the view's rectangle of the canvas (the viewport), reading
// the view's HDR image at the same pixel. The target is sRGB, so output is linear.
#ifdef LAYERED
// A view of a multiview batch: its HDR picture is layer `layer` of the batch's targets.
layout(set = 0, binding = BIND_VIEW) uniform View { ViewUniforms views[MAX_MULTIVIEW]; };
layout(push_constant) uniform Push { int layer; } pc;
#define frame views[pc.layer]
layout(set = 1, binding = BIND_HDR) uniform sampler2DArray hdr;
#define HDR_SIZE textureSize(hdr, 0).xy
#define HDR_FETCH(p) texelFetch(hdr, ivec3(p, pc.layer), 0)
#else
layout(set = 0, binding = BIND_VIEW) uniform View { ViewUniforms frame; };
layout(set = 1, binding = BIND_HDR) uniform sampler2D hdr;
#define HDR_SIZE textureSize(hdr, 0)
#define HDR_FETCH(p) texelFetch(hdr, p, 0)
#endif
layout(set = 0, binding = BIND_SKY) uniform samplerCube sky;
layout(location = 0) in vec2 in_uv;
layout(location = 0) out vec4 out_color;

// Khronos PBR Neutral tone mapper (KhronosGroup/ToneMapping).
vec3 pbr_neutral(vec3 c) {
    const float start = 0.8 - 0.04;
    const float desat = 0.15;
    float x = min(c.r, min(c.g, c.b));
    float offset = x < 0.08 ? x - 6.25 * x * x : 0.04;
    c -= offset;
    float peak = max(c.r, max(c.g, c.b));
    if (peak < start) return c;
    const float d = 1.0 - start;
    float new_peak = 1.0 - d * d / (peak + d - start);
    c *= new_peak / peak;
    float g = 1.0 - 1.0 / (desat * (peak - new_peak) + 1.0);
    return mix(c, vec3(new_peak), g);
}

// ACES filmic, Stephen Hill's fit (as in the glTF Sample Viewer).
vec3 aces(vec3 c) {
    const mat3 in_m = mat3(0.59719, 0.07600, 0.02840, 0.35458, 0.90834, 0.13383, 0.04823, 0.01566, 0.83777);
    const mat3 out_m = mat3(1.60475, -0.10208, -0.00327, -0.53108, 1.10813, -0.07276, -0.07367, -0.00605, 1.07602);
    c = in_m * (c / 0.6);
    vec3 a = c * (c + 0.0245786) - 0.000090537;
    vec3 b = c * (0.983729 * c + 0.4329510) + 0.238081;
    return clamp(out_m * (a / b), 0.0, 1.0);
}

vec3 tonemap(vec3 c) {
    c *= frame.tonemap.x;
    int op = int(frame.tonemap.y);
    if (op == TONEMAP_PBR_NEUTRAL) c = pbr_neutral(c);
    else if (op == TONEMAP_ACES) c = aces(c);
    return clamp(c, 0.0, 1.0);
}

vec3 srgb_to_linear(vec3 c) {
    return mix(c / 12.92, pow((c + 0.055) / 1.055, vec3(2.4)), greaterThan(c, vec3(0.04045)));
}

// The picture's texel shown at texel `p` of the view's rectangle: undo the clockwise
// quarter turns, then the flips (render::View).
ivec2 picture_texel(ivec2 p, ivec2 size, int code) {
    int turns = code & 3;
    ivec2 q = turns == 0 ? p
            : turns == 1 ? ivec2(p.y, size.y - 1 - p.x)
            : turns == 2 ? ivec2(size.x - 1 - p.x, size.y - 1 - p.y)
                         : ivec2(size.x - 1 - p.y, p.x);
    if ((code & 4) != 0) q.x = size.x - 1 - q.x;
    if ((code & 8) != 0) q.y = size.y - 1 - q.y;
    return q;
}

void main() {
    int code = int(frame.tonemap.w + 0.5);
    int overscan = frame.counts.z;
    ivec2 target = HDR_SIZE;
    ivec2 texel = picture_texel(ivec2(gl_FragCoord.xy) - frame.viewport.xy, target - 2 * overscan, code) + overscan;
    vec2 uv = code == 0 && overscan == 0 ? in_uv : (vec2(texel) + 0.5) / vec2(target);
    vec4 scene = HDR_FETCH(texel);
    float coverage = clamp(scene.a, 0.0, 1.0);
    if (frame.tonemap.z > 0.5) {
        vec3 fg = coverage > 0.0 ? tonemap(scene.rgb / coverage) : vec3(0.0);
        out_color = vec4(fg * coverage + srgb_to_linear(frame.background.rgb) * (1.0 - coverage), 1.0);
        return;
    }
    vec4 clip = vec4(uv * 2.0 - 1.0, 1.0, 1.0);
    vec4 world = frame.inv_view_proj * clip;
    vec3 dir = normalize(world.xyz / world.w - frame.camera.xyz);
    vec3 env = textureLod(sky, rotate_y(dir, -frame.env.y), frame.env.w).rgb * frame.env.x;
    out_color = vec4(tonemap(scene.rgb + (1.0 - coverage) * env), 1.0);
}
