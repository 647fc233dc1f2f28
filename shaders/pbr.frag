#version 450
#include "layout.h"
#include "common.glsl"
// glTF 2.0 metallic-roughness (spec Appendix B) with split-sum image-based lighting
// and punctual lights, plus KHR_materials_specular, _clearcoat, _sheen,
// _transmission and _volume, in linear HDR.
#ifdef MULTIVIEW
// A batch of views in one pass (VK_KHR_multiview): this view's uniforms by gl_ViewIndex.
#extension GL_EXT_multiview : require
layout(set = 0, binding = BIND_VIEW) uniform View { ViewUniforms views[MAX_MULTIVIEW]; };
#define frame views[gl_ViewIndex]
#else
layout(set = 0, binding = BIND_VIEW) uniform View { ViewUniforms frame; };
#endif
layout(set = 0, binding = BIND_IRRADIANCE) uniform samplerCube irradiance_map;
layout(set = 0, binding = BIND_PREFILTERED) uniform samplerCube prefiltered_map;
layout(set = 0, binding = BIND_BRDF_LUT) uniform sampler2D brdf_lut;
layout(set = 0, binding = BIND_SHEEN) uniform samplerCube sheen_map;
layout(std430, set = 0, binding = BIND_LIGHTS) readonly buffer Lights { LightsHeader header; LightUniform lights[]; };
layout(set = 2, binding = BIND_SCENE_COLOR) uniform sampler2D scene_color;
layout(set = 1, binding = BIND_MATERIAL) uniform Material { MaterialUniforms mat; };
layout(set = 1, binding = BIND_TEXTURES) uniform sampler2D tex[TEX_SLOTS];

layout(location = 0) in vec3 in_world;
layout(location = 1) in vec3 in_normal;
layout(location = 2) in vec4 in_tangent;
layout(location = 3) in vec2 in_uv0;
layout(location = 4) in vec2 in_uv1;
layout(location = 5) in vec4 in_color;
layout(location = 6) flat in vec3 in_scale;
layout(location = 7) flat in vec4 in_base_color;
layout(location = 8) flat in vec4 in_emissive;
#ifdef PYRAMID
// The base colour from a tile pyramid (FEATURE_PYRAMID): TEXCOORD_0 into the image's uv.
layout(location = 9) flat in vec4 in_pyramid;
layout(location = 10) flat in vec3 in_pyramid_image;  // image index, origin x, y
#define VT_BINDING_SET VT_SET_PBR
#include "vt.glsl"
#endif
layout(location = 0) out vec4 out_color;

layout(constant_id = 0) const int FEATURES = 0x7FFFFFFF;
#define HAS(bit) ((FEATURES & (bit)) != 0)

// Absent textures are not fetched (a uniform branch): white, or a flat normal.
vec4 sample_slot(int slot) {
    if (!HAS(1 << slot))
        return (slot == TEX_NORMAL || slot == TEX_CLEARCOAT_NORMAL) ? vec4(0.5, 0.5, 1.0, 1.0) : vec4(1.0);
    int set = mat.uv_set[slot / 4][slot % 4];
    vec3 uv = vec3(set == 1 ? in_uv1 : in_uv0, 1.0);
    vec2 t = vec2(dot(mat.uv_xform[slot * 2].xyz, uv), dot(mat.uv_xform[slot * 2 + 1].xyz, uv));
    return texture(tex[slot], t);
}

float v_smith_correlated(float ndotv, float ndotl, float alpha) {
    float a2 = alpha * alpha;
    float gv = ndotl * sqrt(ndotv * ndotv * (1.0 - a2) + a2);
    float gl = ndotv * sqrt(ndotl * ndotl * (1.0 - a2) + a2);
    float s = gv + gl;
    return s > 0.0 ? 0.5 / s : 0.0;
}

vec3 f_schlick(vec3 f0, vec3 f90, float vdoth) { return f0 + (f90 - f0) * pow(clamp(1.0 - vdoth, 0.0, 1.0), 5.0); }

vec3 perturbed_normal(vec3 ng, int slot, float scale, bool present) {
    if (!present) return ng;
    vec3 t = in_tangent.xyz - ng * dot(ng, in_tangent.xyz);
    float tl = length(t);
    if (tl <= 1e-6) return ng;
    t /= tl;
    vec3 b = cross(ng, t) * (in_tangent.w < 0.0 ? -1.0 : 1.0);
    if (!gl_FrontFacing) b = -b;  // mirrored side: keep the frame right-handed to the flipped normal
    vec3 tn = sample_slot(slot).xyz * 2.0 - 1.0;
    tn.xy *= scale;
    return normalize(mat3(t, b, ng) * tn);
}

vec3 env_specular(vec3 r, float roughness) {
    return textureLod(prefiltered_map, rotate_y(r, -frame.env.y), roughness * (frame.env.z - 1.0)).rgb;
}

// What a transmissive surface shows: the opaque scene (or the environment) seen
// along the refracted ray through the volume, attenuated by Beer's law.
// The path of the view ray through the volume: refracted at the surface, as long as
// the thickness (scaled by the node's scale).
vec3 volume_travel(vec3 n, vec3 v, float ior, float thickness) {
    vec3 dir = refract(-v, n, 1.0 / ior);
    if (dot(dir, dir) < 1e-8) dir = -v;
    return normalize(dir) * thickness * in_scale;
}

vec3 volume_attenuation(float distance) {
    if (!HAS(FEATURE_ATTENUATION)) return vec3(1.0);  // an infinite attenuation distance
    return pow(max(mat.attenuation.rgb, vec3(1e-4)), vec3(distance / mat.transmission.z));
}

vec3 transmitted_light(vec3 travel, float roughness, float ior) {
    vec3 dir = length(travel) > 0.0 ? normalize(travel) : -normalize(frame.camera.xyz - in_world);
    vec3 exit = in_world + travel;
    float lod_roughness = roughness * clamp(ior * 2.0 - 2.0, 0.0, 1.0);
    vec3 behind = env_specular(dir, lod_roughness) * frame.env.x;
    if (header.counts.y == 1) {
        vec4 clip = frame.proj * frame.view * vec4(exit, 1.0);
        vec2 uv = clip.xy / clip.w * 0.5 + 0.5;
        vec4 s = textureLod(scene_color, uv, lod_roughness * frame.scene_color.x);
        behind = s.rgb + (1.0 - clamp(s.a, 0.0, 1.0)) * behind;
    }
    return behind * volume_attenuation(length(travel));
}

void main() {
    int overrides = int(in_emissive.w);
    vec4 base_factor = (overrides & OVERRIDE_BASE_COLOR) != 0 ? in_base_color : mat.base_color;
    vec3 emissive_factor = (overrides & OVERRIDE_EMISSIVE) != 0 ? in_emissive.rgb : mat.emissive.rgb;
#ifdef PYRAMID
    vec2 pyramid_t = in_pyramid.xy + in_uv0 * in_pyramid.zw;  // image pixels from the origin
    vec4 base_texel = vt_sample(uint(in_pyramid_image.x + 0.5), uvec2(in_pyramid_image.yz + 0.5), pyramid_t,
                                dFdx(pyramid_t), dFdy(pyramid_t));
#else
    vec4 base_texel = sample_slot(TEX_BASE_COLOR);
#endif
    vec4 base = base_factor * base_texel * in_color;
    if (HAS(FEATURE_ALPHA_MASK)) {
        if (base.a < mat.params.z) discard;
        base.a = 1.0;
    } else if (!HAS(FEATURE_ALPHA_BLEND)) {
        base.a = 1.0;  // opaque
    }
    if (HAS(FEATURE_UNLIT)) {  // KHR_materials_unlit
        out_color = vec4(base.rgb, base.a);
        return;
    }

    vec4 mr = sample_slot(TEX_METAL_ROUGH);
    float roughness = clamp(mat.params.y * mr.g, 0.0, 1.0);
    float metallic = clamp(mat.params.x * mr.b, 0.0, 1.0);
    float alpha = max(roughness * roughness, 1e-3);

    vec3 ng = normalize(in_normal);
    if (!gl_FrontFacing) ng = -ng;
    vec3 n = perturbed_normal(ng, TEX_NORMAL, mat.params2.x, HAS(1 << TEX_NORMAL));
    vec3 v = normalize(frame.camera.xyz - in_world);
    float ndotv = clamp(abs(dot(n, v)), 1e-4, 1.0);

    // KHR_materials_specular: dielectric F0 colour and a weight on the specular lobe.
    vec3 spec_color = vec3(1.0);
    float spec_weight = 1.0;
    if (HAS(FEATURE_SPECULAR)) {
        spec_color = mat.specular.rgb * sample_slot(TEX_SPECULAR_COLOR).rgb;
        spec_weight = mix(mat.specular.w * sample_slot(TEX_SPECULAR).a, 1.0, metallic);
    }
    vec3 dielectric_f0 = min(vec3(mat.params2.z) * spec_color, vec3(1.0));
    vec3 f0 = mix(dielectric_f0, base.rgb, metallic);
    vec3 c_diff = mix(base.rgb, vec3(0.0), metallic);
    float transmission = 0.0;
    if (HAS(FEATURE_TRANSMISSION)) transmission = mat.transmission.x * sample_slot(TEX_TRANSMISSION).r * (1.0 - metallic);
    // Layers are skipped where a texture zeroes them; where only the material's factors set
    // their strength, FEATURE_* says it is above 0 (gpu_model.cpp), so no branch hinges on a
    // uniform value alone (see FEATURE_ALPHA_MASK in layout.h). Transmission without its
    // texture and the metal-rough one is computed even at 0 (metallic 1): mixed in at 0.
    const bool transmission_textured = (FEATURES & ((1 << TEX_TRANSMISSION) | (1 << TEX_METAL_ROUGH))) != 0;
    bool transmits = HAS(FEATURE_TRANSMISSION) && (!transmission_textured || transmission > 0.0);

    // Image-based lighting (split sum with multiple-scattering energy compensation).
    vec2 f_ab = texture(brdf_lut, vec2(ndotv, roughness)).rg;
    vec3 fr = max(vec3(1.0 - roughness), f0) - f0;
    vec3 k_s = f0 + fr * pow(1.0 - ndotv, 5.0);
    vec3 fss_ess = spec_weight * (k_s * f_ab.x + f_ab.y);
    float ems = 1.0 - (f_ab.x + f_ab.y);
    vec3 f_avg = spec_weight * (f0 + (1.0 - f0) / 21.0);
    vec3 fms_ems = ems * fss_ess * f_avg / (1.0 - f_avg * ems);
    vec3 k_d = c_diff * (1.0 - fss_ess - fms_ems);
    vec3 irradiance = texture(irradiance_map, rotate_y(n, -frame.env.y)).rgb;
    vec3 radiance = env_specular(reflect(-v, n), roughness);
    vec3 diffuse_ibl = k_d * irradiance;
    vec3 travel = vec3(0.0);
    if (transmits) {
        float thickness = mat.transmission.y * sample_slot(TEX_THICKNESS).g;
        travel = volume_travel(n, v, mat.transmission.w, thickness);
        vec3 through = transmitted_light(travel, roughness, mat.transmission.w);
        diffuse_ibl = mix(diffuse_ibl, (1.0 - fss_ess) * base.rgb * through / max(frame.env.x, 1e-6), transmission);
    }
    vec3 color = frame.env.x * (radiance * fss_ess + fms_ems * irradiance + diffuse_ibl);

    float ao = sample_slot(TEX_OCCLUSION).r;
    color = mix(color, color * ao, mat.params2.y);

    // Sheen (textiles): a layer on top of the base, which it darkens by its albedo.
    vec3 sheen_color = vec3(0.0);
    float sheen_roughness = 1.0, sheen_max = 0.0, sheen_scale = 1.0;
    if (HAS(FEATURE_SHEEN)) {
        sheen_color = mat.sheen.rgb * sample_slot(TEX_SHEEN_COLOR).rgb;
        sheen_roughness = max(mat.sheen.w * sample_slot(TEX_SHEEN_ROUGHNESS).a, 0.07);
        sheen_max = max(sheen_color.r, max(sheen_color.g, sheen_color.b));
    }
    bool sheen_on = HAS(FEATURE_SHEEN) && (!HAS(1 << TEX_SHEEN_COLOR) || sheen_max > 0.0);
    if (sheen_on) {
        // The base is darkened by what the sheen layer reflects (albedo scaling).
        float e = texture(brdf_lut, vec2(ndotv, sheen_roughness)).b;
        sheen_scale = 1.0 - sheen_max * e;
        vec3 sheen_light = textureLod(sheen_map, rotate_y(n, -frame.env.y), sheen_roughness * (frame.env.z - 1.0)).rgb;
        color = color * sheen_scale + frame.env.x * sheen_color * sheen_light * e * ao;
    }

    // Clearcoat (lacquer, glaze): a dielectric layer with its own normal and roughness.
    float cc = 0.0, cc_rough = 0.0;
    vec3 ccn = ng;
    if (HAS(FEATURE_CLEARCOAT)) {
        cc = mat.clearcoat.x * sample_slot(TEX_CLEARCOAT).r;
        cc_rough = clamp(mat.clearcoat.y * sample_slot(TEX_CLEARCOAT_ROUGHNESS).g, 0.0, 1.0);
        ccn = perturbed_normal(ng, TEX_CLEARCOAT_NORMAL, mat.clearcoat.z, HAS(1 << TEX_CLEARCOAT_NORMAL));
    }
    bool coat_on = HAS(FEATURE_CLEARCOAT) && (!HAS(1 << TEX_CLEARCOAT) || cc > 0.0);
    float cc_ndotv = clamp(abs(dot(ccn, v)), 1e-4, 1.0);
    vec3 cc_fresnel = f_schlick(vec3(0.04), vec3(1.0), cc_ndotv);

    // Punctual lights.
    vec3 cc_light = vec3(0.0);
    for (int i = 0; i < header.counts.x; ++i) {
        LightUniform light = lights[i];
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
        vec3 radiance_in = light.color.rgb * attenuation;
        vec3 h = normalize(l + v);
        float ndotl = clamp(dot(n, l), 0.0, 1.0);
        float ndoth = clamp(dot(n, h), 0.0, 1.0);
        float vdoth = clamp(dot(v, h), 0.0, 1.0);
        if (ndotl > 0.0 && attenuation > 0.0) {
            vec3 f = spec_weight * f_schlick(f0, vec3(1.0), vdoth);
            vec3 diffuse = (1.0 - f) * c_diff / PI * (1.0 - transmission);
            vec3 specular = f * d_ggx(ndoth, alpha) * v_smith_correlated(ndotv, ndotl, alpha);
            vec3 lit = radiance_in * ndotl * (diffuse + specular);
            if (sheen_on)
                lit = lit * sheen_scale + radiance_in * ndotl * sheen_color * d_charlie(sheen_roughness, ndoth) * v_neubelt(ndotl, ndotv);
            color += lit;
        }
        if (HAS(FEATURE_TRANSMISSION) && transmission > 0.0 && attenuation > 0.0) {
            // Light entering behind the surface and leaving toward the eye: the light's
            // direction from the exit point, mirrored through the surface, lit by a GGX
            // lobe whose roughness grows with the IOR, less what Fresnel reflects.
            vec3 lt = type == LIGHT_DIRECTIONAL ? l : normalize(light.position.xyz - (in_world + travel));
            vec3 mirrored = normalize(lt - 2.0 * dot(lt, n) * n);
            float mdotn = clamp(dot(n, mirrored), 0.0, 1.0);
            if (mdotn > 0.0) {
                vec3 hm = normalize(mirrored + v);
                float alpha_t = max(alpha * clamp(mat.transmission.w * 2.0 - 2.0, 0.0, 1.0), 1e-3);
                vec3 f = spec_weight * f_schlick(f0, vec3(1.0), clamp(dot(v, hm), 0.0, 1.0));
                vec3 through = (1.0 - f) * base.rgb * d_ggx(clamp(dot(n, hm), 0.0, 1.0), alpha_t) *
                               v_smith_correlated(ndotv, mdotn, alpha_t) * mdotn;
                color += transmission * radiance_in * through * volume_attenuation(length(travel));
            }
        }
        float cc_ndotl = clamp(dot(ccn, l), 0.0, 1.0);
        if (coat_on && cc_ndotl > 0.0 && attenuation > 0.0) {
            float cc_alpha = max(cc_rough * cc_rough, 1e-3);
            float cc_ndoth = clamp(dot(ccn, h), 0.0, 1.0);
            vec3 f = f_schlick(vec3(0.04), vec3(1.0), clamp(dot(v, h), 0.0, 1.0));
            cc_light += radiance_in * cc_ndotl * f * d_ggx(cc_ndoth, cc_alpha) * v_smith_correlated(cc_ndotv, cc_ndotl, cc_alpha);
        }
    }

    color += emissive_factor * sample_slot(TEX_EMISSIVE).rgb;
    if (coat_on) {
        vec2 cc_ab = texture(brdf_lut, vec2(cc_ndotv, cc_rough)).rg;
        vec3 cc_ibl = frame.env.x * env_specular(reflect(-v, ccn), cc_rough) * (0.04 * cc_ab.x + cc_ab.y);
        color = color * (1.0 - cc * cc_fresnel) + cc * (cc_ibl * ao + cc_light);
    }
    out_color = vec4(color, base.a);
}
