#version 450
// An image frame's pixels from the virtual texture, as they are (unlit), with opacity.
#include "layout.h"
#define VT_BINDING_SET VT_SET
#include "vt.glsl"
layout(push_constant) uniform Push { ImageDraw image; };
layout(location = 0) in vec2 in_t;
layout(location = 1) flat in uvec2 in_origin;
layout(location = 0) out vec4 out_color;

void main() {
    vec2 dx = dFdx(in_t), dy = dFdy(in_t);  // before any branch: derivatives need the whole quad
    uint id = uint(image.shape.w + 0.5);
    vec2 pixel = vec2(in_origin) + in_t;    // only to find the image's edge: coarse is fine
    if (any(lessThan(pixel, vec2(0.0))) || any(greaterThan(pixel, vt_size(id)))) discard;  // beyond the image
    vec4 c = vt_sample(id, in_origin, in_t, dx, dy);
    float a = c.a * image.shape.z;
    out_color = vec4(c.rgb, a);
}
