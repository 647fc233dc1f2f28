#version 450
// An image frame (a pyramid shown through the virtual texture): two triangles spanning
// the frame, centred on the model origin in its XY plane, facing +Z.
#include "layout.h"
#ifdef MULTIVIEW
#extension GL_EXT_multiview : require
layout(set = 0, binding = BIND_VIEW) uniform View { ViewUniforms views[MAX_MULTIVIEW]; };
#define frame views[gl_ViewIndex]
#else
layout(set = 0, binding = BIND_VIEW) uniform View { ViewUniforms frame; };
#endif
layout(push_constant) uniform Push { ImageDraw image; };
layout(location = 0) out vec2 out_t;          // image pixels from the origin
layout(location = 1) flat out uvec2 out_origin;

void main() {
    const vec2 corners[6] = vec2[](vec2(0, 0), vec2(0, 1), vec2(1, 1), vec2(0, 0), vec2(1, 1), vec2(1, 0));
    vec2 c = corners[gl_VertexIndex];
    vec3 local = vec3((c.x - 0.5) * image.shape.x, (0.5 - c.y) * image.shape.y, 0.0);
    out_t = image.region.xy + c * image.region.zw;
    out_origin = image.origin.xy;
    gl_Position = frame.proj * frame.view * (image.model * vec4(local, 1.0));
}
