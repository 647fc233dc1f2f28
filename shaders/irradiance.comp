#version 450
#include "common.glsl"
// Diffuse irradiance / pi (Lambert) by cosine-weighted sampling of a low mip.
layout(local_size_x = 8, local_size_y = 8) in;
layout(binding = 0) uniform samplerCube source;
layout(binding = 1, rgba16f) uniform writeonly image2DArray target;
layout(push_constant) uniform Push { float source_lod; uint samples; } pc;

void main() {
    ivec3 id = ivec3(gl_GlobalInvocationID);
    int size = imageSize(target).x;
    if (id.x >= size || id.y >= size) return;
    vec2 st = (vec2(id.xy) + 0.5) / float(size) * 2.0 - 1.0;
    vec3 n = cube_dir(uint(id.z), st);
    mat3 frame = tangent_frame(n);
    vec3 sum = vec3(0.0);
    for (uint i = 0u; i < pc.samples; ++i) {
        vec2 xi = hammersley(i, pc.samples);
        float phi = 2.0 * PI * xi.x;
        float cos_t = sqrt(1.0 - xi.y), sin_t = sqrt(xi.y);
        vec3 l = frame * vec3(sin_t * cos(phi), sin_t * sin(phi), cos_t);
        sum += textureLod(source, l, pc.source_lod).rgb;
    }
    imageStore(target, id, vec4(sum / float(pc.samples), 1.0));
}
