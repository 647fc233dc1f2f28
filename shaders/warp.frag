#version 450
// The eye's picture sampled where the eye sees this point of the screen: 2 x 2 samples
// over the pixel's footprint (the picture is twice as dense), as room/mesh_warp.cpp does.
#include "layout.h"
layout(set = 0, binding = 0) uniform sampler2D picture;  // sRGB: filtered in linear light
layout(location = 0) noperspective in vec3 in_clip;
layout(location = 0) out vec4 out_color;

void main() {
    vec2 uv = in_clip.xy / in_clip.z * 0.5 + 0.5;  // Vulkan clip: y down, like the picture
    vec2 dx = dFdx(uv) * 0.25, dy = dFdy(uv) * 0.25;
    vec3 c = texture(picture, uv - dx - dy).rgb + texture(picture, uv + dx - dy).rgb +
             texture(picture, uv - dx + dy).rgb + texture(picture, uv + dx + dy).rgb;
    out_color = vec4(c * 0.25, 1.0);
}
