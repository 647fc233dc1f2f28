#version 450
// Overlay panels (engine/display/overlay.h): vertices in the picture's pixels, y from the
// top, as ImGui's; Vulkan's clip space has y down too, so no flip.
layout(push_constant) uniform Push {
    vec2 scale;      // 2 / picture size
    vec2 translate;  // -1
    uint textured;   // read by overlay.frag
} p;
layout(location = 0) in vec2 in_pos;
layout(location = 1) in vec2 in_uv;
layout(location = 2) in vec4 in_colour;  // sRGB, R8G8B8A8_UNORM
layout(location = 0) out vec2 out_uv;
layout(location = 1) out vec4 out_colour;

void main() {
    out_uv = in_uv;
    out_colour = in_colour;
    gl_Position = vec4(in_pos * p.scale + p.translate, 0.0, 1.0);
}
