#version 450
#include "layout.h"
#ifdef MULTIVIEW
// A batch of views in one pass (VK_KHR_multiview): this view's uniforms by gl_ViewIndex.
#extension GL_EXT_multiview : require
layout(set = 0, binding = BIND_VIEW) uniform View { ViewUniforms views[MAX_MULTIVIEW]; };
#define frame views[gl_ViewIndex]
#else
layout(set = 0, binding = BIND_VIEW) uniform View { ViewUniforms frame; };
#endif
layout(std430, set = 0, binding = BIND_DRAWS) readonly buffer Draws { DrawUniform draws[]; };
layout(push_constant) uniform Push { uint draw; } pc;

layout(location = 0) in vec3 in_position;
layout(location = 1) in vec3 in_normal;
layout(location = 2) in vec4 in_tangent;
layout(location = 3) in vec2 in_uv0;
layout(location = 4) in vec2 in_uv1;
layout(location = 5) in vec4 in_color;

layout(location = 0) out vec3 out_world;
layout(location = 1) out vec3 out_normal;
layout(location = 2) out vec4 out_tangent;
layout(location = 3) out vec2 out_uv0;
layout(location = 4) out vec2 out_uv1;
layout(location = 5) out vec4 out_color;
layout(location = 6) flat out vec3 out_scale;  // model scale, for volume thickness
layout(location = 7) flat out vec4 out_base_color;  // the instance's factors (see DrawUniform)
layout(location = 8) flat out vec4 out_emissive;
layout(location = 9) flat out vec4 out_pyramid;         // see DrawUniform (FEATURE_PYRAMID)
layout(location = 10) flat out vec3 out_pyramid_image;

void main() {
    mat4 model = draws[pc.draw].model;
    vec4 world = model * vec4(in_position, 1.0);
    out_world = world.xyz;
    out_normal = mat3(draws[pc.draw].normal) * in_normal;
    out_tangent = vec4(mat3(model) * in_tangent.xyz, in_tangent.w);
    out_uv0 = in_uv0;
    out_uv1 = in_uv1;
    out_color = in_color;
    out_base_color = draws[pc.draw].base_color;
    out_emissive = draws[pc.draw].emissive;
    out_pyramid = draws[pc.draw].pyramid;
    out_pyramid_image = draws[pc.draw].pyramid_image.xyz;
    out_scale = vec3(length(model[0].xyz), length(model[1].xyz), length(model[2].xyz));
    gl_Position = frame.proj * frame.view * world;
}
