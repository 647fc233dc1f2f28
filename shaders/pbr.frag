#version 450
#include "layout.h"
#include "common.glsl"
// glTF 2.0 metallic-roughness (spec Appendix B) with split-sum image-based lighting
// and punctual lights (KHR_lights_punctual), in linear HDR.
layout(set = 0, binding = BIND_FRAME) uniform Frame { FrameUniforms frame; };
layout(set = 0, binding = BIND_IRRADIANCE) uniform samplerCube irradiance_map;
layout(set = 0, binding = BIND_PREFILTERED) uniform samplerCube prefiltered_map;
layout(set = 0, binding = BIND_BRDF_LUT) uniform sampler2D brdf_lut;
layout(set = 1, binding = BIND_MATERIAL) uniform Material { MaterialUniforms mat; };
layout(set = 1, binding = BIND_BASE_COLOR) uniform sampler2D base_color_tex;
layout(set = 1, binding = BIND_METAL_ROUGH) uniform sampler2D metal_rough_tex;
layout(set = 1, binding = BIND_NORMAL) uniform sampler2D normal_tex;
layout(set = 1, binding = BIND_OCCLUSION) uniform sampler2D occlusion_tex;
layout(set = 1, binding = BIND_EMISSIVE) uniform sampler2D emissive_tex;

layout(location = 0) in vec3 in_world;
layout(location = 1) in vec3 in_normal;
layout(location = 2) in vec4 in_tangent;
layout(location = 3) in vec2 in_uv0;
layout(location = 4) in vec2 in_uv1;
layout(location = 5) in vec4 in_color;
layout(location = 0) out vec4 out_color;

vec2 uv_for(int slot, int set) {
    vec3 uv = vec3(set == 1 ? in_uv1 : in_uv0, 1.0);
    return vec2(dot(mat.uv_xform[slot * 2].xyz, uv), dot(mat.uv_xform[slot * 2 + 1].xyz, uv));
}

float v_smith_correlated(float ndotv, float ndotl, float alpha) {
    float a2 = alpha * alpha;
    float gv = ndotl * sqrt(ndotv * ndotv * (1.0 - a2) + a2);
    float gl = ndotv * sqrt(ndotl * ndotl * (1.0 - a2) + a2);
    float s = gv + gl;
    return s > 0.0 ? 0.5 / s : 0.0;
}

vec3 f_schlick(vec3 f0, float vdoth) { return f0 + (1.0 - f0) * pow(clamp(1.0 - vdoth, 0.0, 1.0), 5.0); }

void main() {
    vec4 base = mat.base_color * texture(base_color_tex, uv_for(0, mat.uv_set.x)) * in_color;
    int alpha_mode = int(mat.params.w);
    if (alpha_mode == ALPHA_MASK) {
        if (base.a < mat.params.z) discard;
        base.a = 1.0;
    } else if (alpha_mode == ALPHA_OPAQUE) {
        base.a = 1.0;
    }
    if (mat.params2.w > 0.5) {  // KHR_materials_unlit
        out_color = vec4(base.rgb, base.a);
        return;
    }

    vec4 mr = texture(metal_rough_tex, uv_for(1, mat.uv_set.y));
    float roughness = clamp(mat.params.y * mr.g, 0.0, 1.0);
    float metallic = clamp(mat.params.x * mr.b, 0.0, 1.0);
    float alpha = max(roughness * roughness, 1e-3);

    vec3 ng = normalize(in_normal);
    if (!gl_FrontFacing) ng = -ng;
    vec3 n = ng;
    if (mat.uv_set2.y == 1) {
        vec3 t = in_tangent.xyz - ng * dot(ng, in_tangent.xyz);
        float tl = length(t);
        if (tl > 1e-6) {
            t /= tl;
            vec3 b = cross(ng, t) * (in_tangent.w < 0.0 ? -1.0 : 1.0);
            if (!gl_FrontFacing) b = -b;  // mirrored side: keep the tangent frame right-handed to the flipped normal
            vec3 tn = texture(normal_tex, uv_for(2, mat.uv_set.z)).xyz * 2.0 - 1.0;
            tn.xy *= mat.params2.x;
            n = normalize(mat3(t, b, ng) * tn);
        }
    }
    vec3 v = normalize(frame.camera.xyz - in_world);
    float ndotv = clamp(abs(dot(n, v)), 1e-4, 1.0);

    vec3 f0 = mix(vec3(mat.params2.z), base.rgb, metallic);
    vec3 c_diff = mix(base.rgb, vec3(0.0), metallic);

    // Image-based lighting (split sum with multiple-scattering energy compensation).
    vec2 f_ab = texture(brdf_lut, vec2(ndotv, roughness)).rg;
    vec3 fr = max(vec3(1.0 - roughness), f0) - f0;
    vec3 k_s = f0 + fr * pow(1.0 - ndotv, 5.0);
    vec3 fss_ess = k_s * f_ab.x + f_ab.y;
    float ems = 1.0 - (f_ab.x + f_ab.y);
    vec3 f_avg = f0 + (1.0 - f0) / 21.0;
    vec3 fms_ems = ems * fss_ess * f_avg / (1.0 - f_avg * ems);
    vec3 k_d = c_diff * (1.0 - fss_ess - fms_ems);
    vec3 r = reflect(-v, n);
    float env_rot = frame.env.y;
    vec3 irradiance = texture(irradiance_map, rotate_y(n, -env_rot)).rgb;
    vec3 radiance = textureLod(prefiltered_map, rotate_y(r, -env_rot), roughness * (frame.env.z - 1.0)).rgb;
    vec3 color = frame.env.x * (radiance * fss_ess + (fms_ems + k_d) * irradiance);

    float ao = texture(occlusion_tex, uv_for(3, mat.uv_set.w)).r;
    color = mix(color, color * ao, mat.params2.y);

    // Punctual lights.
    for (int i = 0; i < frame.counts.x; ++i) {
        LightUniform light = frame.lights[i];
        vec3 l;
        float attenuation = 1.0;
        int type = int(light.position.w);
        if (type == LIGHT_DIRECTIONAL) {
            l = -normalize(light.direction.xyz);
        } else {
            vec3 to_light = light.position.xyz - in_world;
            float d2 = max(dot(to_light, to_light), 1e-8);
            l = to_light * inversesqrt(d2);
            float range = light.direction.w;
            float window = range > 0.0 ? clamp(1.0 - pow(d2 / (range * range), 2.0), 0.0, 1.0) : 1.0;
            attenuation = window / d2;
            if (type == LIGHT_SPOT) {
                float cd = dot(normalize(light.direction.xyz), -l);
                float a = clamp(cd * light.cone.x + light.cone.y, 0.0, 1.0);
                attenuation *= a * a;
            }
        }
        float ndotl = clamp(dot(n, l), 0.0, 1.0);
        if (ndotl <= 0.0 || attenuation <= 0.0) continue;
        vec3 h = normalize(l + v);
        float ndoth = clamp(dot(n, h), 0.0, 1.0);
        float vdoth = clamp(dot(v, h), 0.0, 1.0);
        vec3 f = f_schlick(f0, vdoth);
        vec3 diffuse = (1.0 - f) * c_diff / PI;
        vec3 specular = f * d_ggx(ndoth, alpha) * v_smith_correlated(ndotv, ndotl, alpha);
        color += light.color.rgb * attenuation * ndotl * (diffuse + specular);
    }

    color += mat.emissive.rgb * texture(emissive_tex, uv_for(4, mat.uv_set2.x)).rgb;
    out_color = vec4(color, base.a);
}
