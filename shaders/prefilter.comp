#version 450
#include "common.glsl"
// Prefiltered radiance for one roughness (one mip), with source-mip selection by
// sample density (filtered importance sampling). lobe 0: GGX, importance sampled.
// lobe 1: Charlie sheen, uniform hemisphere samples weighted by D_charlie.
layout(local_size_x = 8, local_size_y = 8) in;
layout(binding = 0) uniform samplerCube source;
layout(binding = 1, rgba16f) uniform writeonly image2DArray target;
layout(push_constant) uniform Push { float roughness; float source_size; uint samples; uint lobe; } pc;

void main() {
    ivec3 id = ivec3(gl_GlobalInvocationID);
    int size = imageSize(target).x;
    if (id.x >= size || id.y >= size) return;
    vec2 st = (vec2(id.xy) + 0.5) / float(size) * 2.0 - 1.0;
    vec3 n = cube_dir(uint(id.z), st);
    if (pc.lobe == 1u) {
        mat3 f = tangent_frame(n);
        vec3 sum = vec3(0.0);
        float weight = 0.0;
        float texel_sa = 4.0 * PI / (6.0 * pc.source_size * pc.source_size);
        float lod = max(0.5 * log2((2.0 * PI / float(pc.samples)) / texel_sa) + 1.0, 0.0);
        float r = max(pc.roughness, 0.07);
        for (uint i = 0u; i < pc.samples; ++i) {
            vec2 xi = hammersley(i, pc.samples);
            float phi = 2.0 * PI * xi.x, cos_t = xi.y, sin_t = sqrt(1.0 - cos_t * cos_t);
            vec3 local = vec3(sin_t * cos(phi), sin_t * sin(phi), cos_t);
            vec3 h = normalize(local + vec3(0.0, 0.0, 1.0));
            float w = d_charlie(r, h.z) * local.z;
            sum += textureLod(source, f * local, lod).rgb * w;
            weight += w;
        }
        imageStore(target, id, vec4(sum / max(weight, 1e-6), 1.0));
        return;
    }
    if (pc.roughness <= 0.0) {
        imageStore(target, id, vec4(textureLod(source, n, 0.0).rgb, 1.0));
        return;
    }
    float alpha = pc.roughness * pc.roughness;
    mat3 frame = tangent_frame(n);
    vec3 sum = vec3(0.0);
    float weight = 0.0;
    float texel_solid_angle = 4.0 * PI / (6.0 * pc.source_size * pc.source_size);
    for (uint i = 0u; i < pc.samples; ++i) {
        vec3 h = frame * importance_ggx(hammersley(i, pc.samples), alpha);
        vec3 l = normalize(2.0 * dot(n, h) * h - n);
        float ndotl = dot(n, l);
        if (ndotl <= 0.0) continue;
        float ndoth = max(dot(n, h), 0.0);
        float pdf = d_ggx(ndoth, alpha) * 0.25;  // N = V: pdf(l) = D * NdotH / (4 VdotH) = D / 4
        float sample_solid_angle = 1.0 / (float(pc.samples) * pdf + 1e-6);
        float lod = max(0.5 * log2(sample_solid_angle / texel_solid_angle) + 1.0, 0.0);
        sum += textureLod(source, l, lod).rgb * ndotl;
        weight += ndotl;
    }
    imageStore(target, id, vec4(sum / max(weight, 1e-6), 1.0));
}
