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

// The entry index of the page of level k (record L) holding uv; p: uv in that level's
// pixels. Level k halves k times: full-resolution X is X / 2^k there (vips's halving,
// odd sizes rounded up), whatever the level's own width.
uint vt_page(uvec4 L, uint k, vec2 uv, vec2 size, out vec2 p, out vec2 page) {
    p = uv * size * exp2(-float(k));
    uint rows = (L.y + uint(VT_PAGE_CONTENT) - 1u) / uint(VT_PAGE_CONTENT);
    page = clamp(floor(p / float(VT_PAGE_CONTENT)), vec2(0.0), vec2(float(L.z - 1u), float(rows - 1u)));
    return L.w + uint(page.y) * L.z + uint(page.x);
}

void vt_request(uint index) {
    uint word = index >> 5u, bit = 1u << (index & 31u);
    if ((vt_feedback[word] & bit) == 0u) atomicOr(vt_feedback[word], bit);
}

vec4 vt_fetch(uint entry, vec2 p, vec2 page) {
    uint slot = (entry & 0xffffu) - 1u;
    ivec2 atlas = textureSize(vt_atlas, 0);
    uint per_row = uint(atlas.x) / uint(VT_PAGE_SIDE);
    vec2 origin = vec2(float(slot % per_row), float(slot / per_row)) * float(VT_PAGE_SIDE);
    vec2 local = clamp(p - page * float(VT_PAGE_CONTENT), vec2(-3.5), vec2(float(VT_PAGE_CONTENT) + 3.5));
    // On a 1/256-texel grid (the filters' own precision), so origin + local is exact in
    // float wherever the page sits in the atlas: the same pixels whichever slot it got.
    local = floor(local * 256.0 + 0.5) / 256.0;
    return textureLod(vt_atlas, (origin + local + float(VT_PAGE_BORDER)) / vec2(atlas), 0.0);
}

// Level k at uv: its page, or (front to back) the coarser resident pages it is still
// blending in over; pinned coarse levels end the walk.
vec4 vt_level_sample(uint image, uint k, uint levels, vec2 uv, vec2 size) {
    vec4 sum = vec4(0.0);
    float left = 1.0;
    for (uint j = k; j < levels && left > 0.0; ++j) {
        vec2 p, page;
        uint e = vt[vt_page(vt_level(image, j), j, uv, size, p, page)];
        if (e == 0u) continue;
        float fade = float((e >> 16u) & 255u) / 255.0;
        sum += left * fade * vt_fetch(e, p, page);
        left *= 1.0 - fade;
    }
    return sum;
}

// Trilinear: the level of detail from the footprint of a pixel (uv derivatives dx, dy;
// the larger axis), the two levels around it, each bilinear inside its page.
// zoom/coverage.h models the same rule on the CPU.
vec4 vt_sample(uint image, vec2 uv, vec2 dx, vec2 dy) {
    if (any(isnan(uv)) || any(isinf(uv))) return vec4(0.0);  // a degenerate primitive: no table index from it
    uint levels = vt[vt[1u + image]];
    vec2 size = vec2(vt_level(image, 0u).xy);
    float rho = max(length(dx * size), length(dy * size));
    float lod = clamp(log2(max(rho, 1e-12)), 0.0, float(levels - 1u));
    uint k = uint(floor(lod));
    float f = lod - float(k);
    vec2 p, page;
    vt_request(vt_page(vt_level(image, k), k, uv, size, p, page));
    vec4 c = vt_level_sample(image, k, levels, uv, size);
    if (f > 0.0 && k + 1u < levels) {
        vt_request(vt_page(vt_level(image, k + 1u), k + 1u, uv, size, p, page));
        c = mix(c, vt_level_sample(image, k + 1u, levels, uv, size), f);
    }
    return c;
}
