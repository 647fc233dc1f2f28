#version 450
// An image frame's pixels from the virtual texture, as they are (unlit), with opacity.
#include "layout.h"
#define VT_BINDING_SET VT_SET
#include "vt.glsl"
layout(push_constant) uniform Push { ImageDraw image; };
layout(location = 0) in vec2 in_uv;
layout(location = 0) out vec4 out_color;

void main() {
    vec2 dx = dFdx(in_uv), dy = dFdy(in_uv);  // before any branch: derivatives need the whole quad
    if (any(lessThan(in_uv, vec2(0.0))) || any(greaterThan(in_uv, vec2(1.0)))) discard;  // beyond the image
    vec4 c = vt_sample(uint(image.shape.w + 0.5), in_uv, dx, dy);
    float a = c.a * image.shape.z;
    out_color = vec4(c.rgb, a);
}
