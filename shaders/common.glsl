const float PI = 3.14159265358979;

// glTF equirect convention: direction (sin t sin p, cos t, -sin t cos p),
// t = v*pi, p = (u-0.5)*2pi.
vec2 dir_to_equirect(vec3 d) {
    float theta = acos(clamp(d.y, -1.0, 1.0));
    float phi = atan(d.x, -d.z);
    return vec2(phi / (2.0 * PI) + 0.5, theta / PI);
}

// Cube face texel -> direction, Vulkan/GL face order +X -X +Y -Y +Z -Z.
vec3 cube_dir(uint face, vec2 st) {  // st in [-1,1]
    switch (face) {
        case 0u: return normalize(vec3(1.0, -st.y, -st.x));
        case 1u: return normalize(vec3(-1.0, -st.y, st.x));
        case 2u: return normalize(vec3(st.x, 1.0, st.y));
        case 3u: return normalize(vec3(st.x, -1.0, -st.y));
        case 4u: return normalize(vec3(st.x, -st.y, 1.0));
        default: return normalize(vec3(-st.x, -st.y, -1.0));
    }
}

vec2 hammersley(uint i, uint n) {
    return vec2(float(i) / float(n), float(bitfieldReverse(i)) * 2.3283064365386963e-10);
}

// GGX half vector around +Z for roughness alpha = r^2.
vec3 importance_ggx(vec2 xi, float alpha) {
    float phi = 2.0 * PI * xi.x;
    float cos_t = sqrt((1.0 - xi.y) / (1.0 + (alpha * alpha - 1.0) * xi.y));
    float sin_t = sqrt(1.0 - cos_t * cos_t);
    return vec3(sin_t * cos(phi), sin_t * sin(phi), cos_t);
}

mat3 tangent_frame(vec3 n) {
    vec3 up = abs(n.y) < 0.999 ? vec3(0, 1, 0) : vec3(1, 0, 0);
    vec3 t = normalize(cross(up, n));
    return mat3(t, cross(n, t), n);
}

float d_ggx(float ndoth, float alpha) {
    float a2 = alpha * alpha;
    float f = ndoth * ndoth * (a2 - 1.0) + 1.0;
    return a2 / (PI * f * f);
}

vec3 rotate_y(vec3 d, float angle) {
    float c = cos(angle), s = sin(angle);
    return vec3(c * d.x + s * d.z, d.y, -s * d.x + c * d.z);
}

// Charlie sheen distribution (perceptual roughness in, alpha = r^2) and Neubelt visibility.
float d_charlie(float roughness, float ndoth) {
    float inv_r = 1.0 / max(roughness * roughness, 1e-3);
    float sin2 = max(1.0 - ndoth * ndoth, 0.0);
    return (2.0 + inv_r) * pow(sin2, inv_r * 0.5) / (2.0 * PI);
}
float v_neubelt(float ndotl, float ndotv) { return clamp(1.0 / (4.0 * (ndotl + ndotv - ndotl * ndotv)), 0.0, 1.0); }
