#version 450
#include "common.glsl"
layout(local_size_x = 8, local_size_y = 8) in;
layout(binding = 0) uniform sampler2D equirect;
layout(binding = 1, rgba16f) uniform writeonly image2DArray cube;

void main() {
    ivec3 id = ivec3(gl_GlobalInvocationID);
    int size = imageSize(cube).x;
    if (id.x >= size || id.y >= size) return;
    vec2 st = (vec2(id.xy) + 0.5) / float(size) * 2.0 - 1.0;
    vec3 d = cube_dir(uint(id.z), st);
    vec3 c = textureLod(equirect, dir_to_equirect(d), 0.0).rgb;
    imageStore(cube, id, vec4(min(c, vec3(60000.0)), 1.0));
}
