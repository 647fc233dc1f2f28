#version 450
#include "common.glsl"
// Over (NdotV, roughness): R, G = split-sum GGX scale and bias, with the
// height-correlated Smith visibility the glTF Sample Viewer uses; B = directional
// albedo of the Charlie sheen lobe with Neubelt visibility (KHR_materials_sheen).
layout(local_size_x = 8, local_size_y = 8) in;
layout(binding = 1, rgba16f) uniform writeonly image2D lut;

float v_smith_correlated(float ndotv, float ndotl, float alpha) {
    float a2 = alpha * alpha;
    float gv = ndotl * sqrt(ndotv * ndotv * (1.0 - a2) + a2);
    float gl = ndotv * sqrt(ndotl * ndotl * (1.0 - a2) + a2);
    return 0.5 / max(gv + gl, 1e-6);
}

void main() {
    ivec2 id = ivec2(gl_GlobalInvocationID.xy);
    ivec2 size = imageSize(lut);
    if (id.x >= size.x || id.y >= size.y) return;
    float ndotv = (float(id.x) + 0.5) / float(size.x);
    float roughness = (float(id.y) + 0.5) / float(size.y);
    float alpha = roughness * roughness;
    vec3 v = vec3(sqrt(1.0 - ndotv * ndotv), 0.0, ndotv);
    float a = 0.0, b = 0.0;
    const uint N = 512u;
    for (uint i = 0u; i < N; ++i) {
        vec3 h = importance_ggx(hammersley(i, N), alpha);
        vec3 l = normalize(2.0 * dot(v, h) * h - v);
        float ndotl = clamp(l.z, 0.0, 1.0);
        float ndoth = clamp(h.z, 0.0, 1.0);
        float vdoth = clamp(dot(v, h), 0.0, 1.0);
        if (ndotl > 0.0) {
            float vis = v_smith_correlated(ndotv, ndotl, alpha) * 4.0 * ndotl * vdoth / max(ndoth, 1e-6);
            float fc = pow(1.0 - vdoth, 5.0);
            a += (1.0 - fc) * vis;
            b += fc * vis;
        }
    }
    // Sheen: uniform hemisphere sampling (pdf 1 / 2pi) of D_charlie * V_neubelt * NdotL.
    float sheen = 0.0;
    for (uint i = 0u; i < N; ++i) {
        vec2 xi = hammersley(i, N);
        float phi = 2.0 * PI * xi.x, cos_t = xi.y, sin_t = sqrt(1.0 - cos_t * cos_t);
        vec3 l = vec3(sin_t * cos(phi), sin_t * sin(phi), cos_t);
        vec3 h = normalize(l + v);
        sheen += d_charlie(roughness, h.z) * v_neubelt(l.z, ndotv) * l.z;
    }
    imageStore(lut, id, vec4(a / float(N), b / float(N), sheen * 2.0 * PI / float(N), 0.0));
}
