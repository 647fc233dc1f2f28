#version 450
// Overlay panels: the vertex colour (times the font atlas for text), alpha-blended over
// the picture. Colours are sRGB as ImGui's: an sRGB attachment gets them as linear, so a
// solid rectangle's pixels come out as the very bytes asked for.
layout(constant_id = 0) const int kSrgbTarget = 0;
layout(push_constant) uniform Push {
    vec2 scale;
    vec2 translate;
    uint textured;  // 0: solid colour (the atlas is not read)
} p;
layout(set = 0, binding = 0) uniform sampler2D atlas;
layout(location = 0) in vec2 in_uv;
layout(location = 1) in vec4 in_colour;
layout(location = 0) out vec4 out_colour;

vec3 srgb_to_linear(vec3 c) {
    return mix(c / 12.92, pow((c + 0.055) / 1.055, vec3(2.4)), greaterThan(c, vec3(0.04045)));
}

void main() {
    vec4 c = in_colour;
    if (kSrgbTarget != 0) c.rgb = srgb_to_linear(c.rgb);
    if (p.textured != 0u) c *= texture(atlas, in_uv);
    out_colour = c;
}
