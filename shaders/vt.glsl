// Sampling a tile pyramid through the virtual texture (render/virtual_texture.h): a fixed
// atlas of 256 x 256 page slots (248 pixels of one level of one image + a 4-pixel border
// of its neighbours, so hardware bilinear filtering never sees a page edge), and a table:
//   vt[0]              image count
//   vt[1 + i]          offset H of image i's header
//   vt[H]              its level count (level 0 = full resolution)
//   vt[H + 1 + 4k ..]  level k: width, height, pages across, offset of its page entries
//   entries            per page: 0 = not resident, else slot + 1 (bits 0..15) and how far
//                      it has blended in over its parent (bits 16..23, 255 = fully)
// Every sample also sets the feedback bit of each page it wanted (same index as its
// entry), which the CPU reads back to decide what to load.
// The includer defines VT_BINDING_SET (the descriptor set the virtual texture is bound at).
layout(set = VT_BINDING_SET, binding = BIND_VT_ATLAS) uniform sampler2D vt_atlas;
layout(std430, set = VT_BINDING_SET, binding = BIND_VT_TABLE) readonly buffer VtTable { uint vt[]; };
layout(std430, set = VT_BINDING_SET, binding = BIND_VT_FEEDBACK) buffer VtFeedback { uint vt_feedback[]; };

uvec4 vt_level(uint image, uint k) {
    uint h = vt[1u + image] + 1u + 4u * k;
    return uvec4(vt[h], vt[h + 1u], vt[h + 2u], vt[h + 3u]);
}

// Full-resolution position origin + t (image pixels; t stays small where precision
// matters, within the view's own span) in level k: its whole level pixel P and the
// fraction, in integers for the large part, so a 1 000 000-pixel-wide image is as exact
// as a small one. Level k halves k times: full-resolution X is X / 2^k there (vips's
// halving, odd sizes rounded up), whatever the level's own width.
void vt_level_pos(uvec2 origin, vec2 t, uint k, out uvec2 P, out vec2 frac) {
    uvec2 low = origin & uvec2((1u << k) - 1u);
    vec2 r = (vec2(low) + t) * exp2(-float(k));  // level pixels past origin >> k (exact scaling)
    vec2 q = floor(r);
    frac = r - q;
    P = uvec2(max(ivec2(origin >> k) + ivec2(q), ivec2(0)));  // left of or above the image: its edge
}

// The entry index of level k's (record L) page holding origin + t; local: the position in
// that page's content (0..248, more at the image's far edge, where the border clamps).
uint vt_page(uvec4 L, uint k, uvec2 origin, vec2 t, out vec2 local) {
    uvec2 P;
    vec2 frac;
    vt_level_pos(origin, t, k, P, frac);
    uint rows = (L.y + uint(VT_PAGE_CONTENT) - 1u) / uint(VT_PAGE_CONTENT);
    uvec2 page = min(P / uint(VT_PAGE_CONTENT), uvec2(L.z - 1u, rows - 1u));
    local = vec2(P - page * uint(VT_PAGE_CONTENT)) + frac;
    return L.w + page.y * L.z + page.x;
}

void vt_request(uint index) {
    uint word = index >> 5u, bit = 1u << (index & 31u);
    if ((vt_feedback[word] & bit) == 0u) atomicOr(vt_feedback[word], bit);
}

vec4 vt_fetch(uint entry, vec2 local) {
    uint slot = (entry & 0xffffu) - 1u;
    ivec2 atlas = textureSize(vt_atlas, 0);
    uint per_row = uint(atlas.x) / uint(VT_PAGE_SIDE);
    vec2 origin = vec2(float(slot % per_row), float(slot / per_row)) * float(VT_PAGE_SIDE);
    local = clamp(local, vec2(-3.5), vec2(float(VT_PAGE_CONTENT) + 3.5));
    // On a 1/256-texel grid (the filters' own precision), so origin + local is exact in
    // float wherever the page sits in the atlas: the same pixels whichever slot it got.
    local = floor(local * 256.0 + 0.5) / 256.0;
    return textureLod(vt_atlas, (origin + local + float(VT_PAGE_BORDER)) / vec2(atlas), 0.0);
}

// Level k at origin + t: its page, or (front to back) the coarser resident pages it is
// still blending in over; pinned coarse levels end the walk.
vec4 vt_level_sample(uint image, uint k, uint levels, uvec2 origin, vec2 t) {
    vec4 sum = vec4(0.0);
    float left = 1.0;
    for (uint j = k; j < levels && left > 0.0; ++j) {
        vec2 local;
        uint e = vt[vt_page(vt_level(image, j), j, origin, t, local)];
        if (e == 0u) continue;
        float fade = float((e >> 16u) & 255u) / 255.0;
        sum += left * fade * vt_fetch(e, local);
        left *= 1.0 - fade;
    }
    return sum;
}

// The image's full-resolution size (pixels).
vec2 vt_size(uint image) { return vec2(vt_level(image, 0u).xy); }

// Trilinear at full-resolution position origin + t: the level of detail from the footprint
// of a pixel (dx, dy: t's derivatives, image pixels; the larger axis), the two levels
// around it, each bilinear inside its page. zoom/coverage.h models the same rule on the CPU.
vec4 vt_sample(uint image, uvec2 origin, vec2 t, vec2 dx, vec2 dy) {
    if (any(isnan(t)) || any(isinf(t))) return vec4(0.0);  // a degenerate primitive: no table index from it
    uint levels = vt[vt[1u + image]];
    float rho = max(length(dx), length(dy));
    float lod = clamp(log2(max(rho, 1e-12)), 0.0, float(levels - 1u));
    uint k = uint(floor(lod));
    float f = lod - float(k);
    vec2 local;
    vt_request(vt_page(vt_level(image, k), k, origin, t, local));
    vec4 c = vt_level_sample(image, k, levels, origin, t);
    if (f > 0.0 && k + 1u < levels) {
        vt_request(vt_page(vt_level(image, k + 1u), k + 1u, origin, t, local));
        c = mix(c, vt_level_sample(image, k + 1u, levels, origin, t), f);
    }
    return c;
}
