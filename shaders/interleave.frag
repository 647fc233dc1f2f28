#version 450
// The interleave: a quilt (views in tiles, view 0 the bottom-left tile, left to right,
// then upward) mapped to a lenticular panel's sub-pixels as HoloPlayCore's published
// shader does, blending the two nearest views in linear light. room/quilt.cpp's
// interleave() is the reference this follows step for step (and is tested against).
#include "layout.h"
layout(set = 0, binding = 0) uniform sampler2D quilt;  // sRGB: texelFetch gives linear values
layout(push_constant) uniform Params { InterleaveParams p; };
layout(location = 0) in vec2 in_uv;
layout(location = 0) out vec4 out_color;

// Which view (fractional, 0..views) sub-pixel `channel` of the pixel at uv shows.
float view_at(vec2 uv, int channel, int flags, float views) {
    int i = (flags & INTERLEAVE_FLIP_SUBP) != 0 ? 2 - channel : channel;
    float z = (uv.x + float(i) * p.lens.w + uv.y * p.lens.y) * p.lens.x - p.lens.z;
    z -= floor(z);
    if ((flags & INTERLEAVE_INV_VIEW) != 0) z = z > 0.0 ? 1.0 - z : 0.0;
    float f = z * views;
    return f >= views ? 0.0 : f;
}

// Bilinear inside one view's tile (taps clamped to the tile), at t (0..1 from its top-left).
vec3 sample_view(int view, vec2 t) {
    int columns = int(p.grid.y);
    ivec2 tile = ivec2(p.sizes.xy);
    ivec2 origin = ivec2((view % columns) * tile.x, int(p.sizes.w) - (view / columns + 1) * tile.y);
    vec2 q = clamp(t * vec2(tile) - 0.5, vec2(0.0), vec2(tile - 1));
    ivec2 a = ivec2(q), b = min(a + 1, tile - 1);
    vec2 w = q - vec2(a);
    vec3 c00 = texelFetch(quilt, origin + ivec2(a.x, a.y), 0).rgb, c01 = texelFetch(quilt, origin + ivec2(b.x, a.y), 0).rgb;
    vec3 c10 = texelFetch(quilt, origin + ivec2(a.x, b.y), 0).rgb, c11 = texelFetch(quilt, origin + ivec2(b.x, b.y), 0).rgb;
    vec3 top = c00 + (c01 - c00) * w.x, bottom = c10 + (c11 - c10) * w.x;
    return top + (bottom - top) * w.y;
}

void main() {
    int flags = int(p.grid.w + 0.5);
    float views = p.grid.x;
    vec2 size = p.panel.xy;
    vec2 frag = gl_FragCoord.xy;  // pixel centres, y from the top
    if ((flags & INTERLEAVE_FLIP_X) != 0) frag.x = size.x - frag.x;
    if ((flags & INTERLEAVE_FLIP_Y) != 0) frag.y = size.y - frag.y;
    vec2 uv = vec2(frag.x / size.x, 1.0 - frag.y / size.y);  // v from the bottom, as the shader's
    vec2 t = vec2(uv.x, 1.0 - uv.y);
    vec3 rgb;
    for (int c = 0; c < 3; ++c) {
        float f = view_at(uv, c, flags, views);
        int i0 = int(f), i1 = i0 + 1 == int(views) ? 0 : i0 + 1;
        float w = f - float(i0);
        float a = sample_view(i0, t)[c], b = sample_view(i1, t)[c];
        rgb[c] = a + (b - a) * w;
    }
    out_color = vec4(rgb, 1.0);
}
