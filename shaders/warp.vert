#version 450
// A curved (mesh) screen's warp: each vertex goes where its UVs put it on the canvas
// (canvas pixels, fitted into the output), carrying where the eye sees it (clip x, y, w).
#include "layout.h"
layout(push_constant) uniform Params { WarpParams p; };
layout(location = 0) in vec3 in_world;
layout(location = 1) in vec2 in_canvas;  // canvas pixels, y from the top
layout(location = 0) noperspective out vec3 out_clip;

void main() {
    vec4 clip = p.eye_view_proj * vec4(in_world, 1.0);
    out_clip = clip.xyw;  // affine across the canvas: divided per pixel
    vec2 px = p.fit.yz + in_canvas * p.fit.x;
    gl_Position = vec4(px / p.target.xy * 2.0 - 1.0, 0.0, 1.0);
}
