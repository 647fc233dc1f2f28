// make-relic: writes the demo relic, a lathe-turned vessel (bronze, porcelain or
// jade) on a stone plinth, as glTF 2.0 (.gltf + .bin + PNG textures). Everything is
// computed here from fixed seeds: the profile, the engraved meander and wave bands,
// the verdigris patina, the normal map derived from the engraving depth, and a
// 40-second turntable animation.
//
// usage: make-relic OUT_DIR [--material bronze|porcelain|jade] [--shape vase|jar|bowl]
//                  [--detail N | --lod small] [--texture WIDTH]
//   --material     bronze with verdigris (default); glazed blue-and-white porcelain
//                  (KHR_materials_clearcoat); carved jade (KHR_materials_transmission,
//                  _volume, _ior)
//   --shape        the lathe profile: vase (default; baluster with a tall neck), jar
//                  (squat, round-shouldered, short wide neck) or bowl (low and open)
//   --detail N     multiplies the vessel's segments and profile samples by N
//                  (1: 67k triangles; 6: about 2.4 M, the "large scan" stress case)
//   --lod small    a small level of detail for fast loading and a small repository (the
//                  committed demo assets, tools/make-demo-assets.sh): 64 segments and
//                  48 profile samples (about 8k vessel triangles), 16-bit indices,
//                  RGB rather than RGBA PNGs, a 128x128 plinth texture and 512x256
//                  vessel textures unless --texture says otherwise. Same shape,
//                  materials and animation as the full relic.
//   --texture W    vessel texture width in pixels (height W/2); from 4096 up the
//                  textures are written as JPEG (quality 92) to keep files and time sane
// The output depends only on the options: the same options give the same bytes (for a
// given compiler and C library; tests/assets_reproducible.sh checks the committed assets).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <stb_image_write.h>

namespace {

constexpr float kPi = 3.14159265358979f;

struct V3 { float x, y, z; };
V3 operator-(V3 a, V3 b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
V3 operator*(V3 a, float s) { return {a.x * s, a.y * s, a.z * s}; }
float dot(V3 a, V3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
V3 cross(V3 a, V3 b) { return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x}; }
V3 normalize(V3 a) { float l = std::sqrt(dot(a, a)); return l > 0 ? a * (1 / l) : V3{0, 1, 0}; }

// Deterministic value noise.
float hash(int x, int y, int seed) {
    uint32_t h = uint32_t(x) * 374761393u + uint32_t(y) * 668265263u + uint32_t(seed) * 2246822519u;
    h = (h ^ (h >> 13)) * 1274126177u;
    return float((h ^ (h >> 16)) & 0xFFFFFF) / float(0xFFFFFF);
}
float smooth(float t) { return t * t * (3 - 2 * t); }
// Tileable in x with period `px` cells.
float value_noise(float x, float y, int px, int seed) {
    int x0 = int(std::floor(x)), y0 = int(std::floor(y));
    float fx = smooth(x - x0), fy = smooth(y - y0);
    auto h = [&](int i, int j) { return hash(((i % px) + px) % px, j, seed); };
    float a = h(x0, y0), b = h(x0 + 1, y0), c = h(x0, y0 + 1), d = h(x0 + 1, y0 + 1);
    return (a + (b - a) * fx) * (1 - fy) + (c + (d - c) * fx) * fy;
}
float fbm(float u, float v, int seed) {
    float s = 0, amp = 0.5f;
    int cells = 8;
    for (int o = 0; o < 5; ++o, cells *= 2, amp *= 0.5f) s += amp * value_noise(u * cells, v * cells, cells, seed + o);
    return s;
}

// Engraving depth (0 = surface, 1 = deepest) at texture coordinate (u around, v down).
float engraving(float u, float v) {
    float depth = 0;
    auto band = [](float v, float a, float b) { return v >= a && v <= b; };
    // Meander (Greek key) band on the shoulder.
    if (band(v, 0.30f, 0.40f)) {
        float lv = (v - 0.30f) / 0.10f;              // 0..1 across the band
        float lu = std::fmod(u * 24.0f, 1.0f);        // 24 repeats around
        int gx = int(lu * 6), gy = int(lv * 6);        // 6x6 grid per key
        static const char* key[6] = {"######", "#.....", "#.###.", "#.#.#.", "#...#.", "#####."};
        if (key[gy][gx] == '#') depth = 1;
    }
    // Thin rules framing the bands.
    for (float r : {0.285f, 0.415f, 0.62f, 0.74f})
        if (std::fabs(v - r) < 0.004f) depth = 1;
    // Running wave (spiral scroll) band on the belly.
    if (band(v, 0.63f, 0.73f)) {
        float lv = (v - 0.63f) / 0.10f;
        float wave = 0.5f + 0.32f * std::sin(u * 2 * kPi * 16);
        if (std::fabs(lv - wave) < 0.09f) depth = 1;
    }
    // Vertical gadroons (lobes) on the lower body.
    if (v > 0.78f && v < 0.93f) {
        float lobe = std::fabs(std::sin(u * kPi * 32));
        depth = std::max(depth, 0.35f * (1 - lobe));
    }
    return depth;
}

// Vessel radius (metres) along its height; Catmull-Rom through control points.
struct Pt { float h, r; };
struct Shape {
    std::vector<Pt> profile;  // from the foot (h = 0) up to the lip
    int inner_div;            // the interior wall goes 12 / inner_div of the profile down from the lip
};
// Vase: a baluster with a foot ring, full belly, narrow neck and flared lip (the original relic).
const Shape kVase = {{
    {0.000f, 0.060f}, {0.012f, 0.064f}, {0.030f, 0.052f}, {0.060f, 0.075f}, {0.120f, 0.118f},
    {0.190f, 0.128f}, {0.250f, 0.112f}, {0.300f, 0.078f}, {0.335f, 0.050f}, {0.370f, 0.046f},
    {0.405f, 0.058f}, {0.420f, 0.070f},
}, 40};
// Jar: a squat ginger jar, round shoulder, short wide neck with a rolled lip.
const Shape kJar = {{
    {0.000f, 0.072f}, {0.010f, 0.076f}, {0.024f, 0.066f}, {0.050f, 0.094f}, {0.100f, 0.126f},
    {0.155f, 0.136f}, {0.205f, 0.126f}, {0.245f, 0.098f}, {0.268f, 0.078f}, {0.284f, 0.074f},
    {0.300f, 0.077f}, {0.310f, 0.083f},
}, 30};
// Bowl: low and open on a foot ring, the wall curving out to a slightly everted lip.
const Shape kBowl = {{
    {0.000f, 0.056f}, {0.008f, 0.059f}, {0.018f, 0.050f}, {0.032f, 0.066f}, {0.055f, 0.094f},
    {0.080f, 0.116f}, {0.105f, 0.131f}, {0.128f, 0.140f}, {0.146f, 0.145f}, {0.158f, 0.148f},
    {0.166f, 0.152f}, {0.170f, 0.156f},
}, 16};

Pt profile_at(const std::vector<Pt>& profile, float t) {  // t in [0, 1] along the control points
    float f = t * float(profile.size() - 1);
    int i = std::min(int(f), int(profile.size()) - 2);
    float s = f - float(i);
    auto P = [&](int k) { return profile[size_t(std::clamp(k, 0, int(profile.size()) - 1))]; };
    Pt p0 = P(i - 1), p1 = P(i), p2 = P(i + 1), p3 = P(i + 2);
    auto cr = [&](float a, float b, float c, float d) {
        return 0.5f * (2 * b + (-a + c) * s + (2 * a - 5 * b + 4 * c - d) * s * s + (-a + 3 * b - 3 * c + d) * s * s * s);
    };
    return {cr(p0.h, p1.h, p2.h, p3.h), cr(p0.r, p1.r, p2.r, p3.r)};
}

struct Mesh {
    std::vector<float> pos, nrm, tan, uv;
    std::vector<uint32_t> idx;
    float minv[3] = {1e9f, 1e9f, 1e9f}, maxv[3] = {-1e9f, -1e9f, -1e9f};
    void vertex(V3 p, V3 n, V3 t, float w, float u, float v) {
        pos.insert(pos.end(), {p.x, p.y, p.z});
        nrm.insert(nrm.end(), {n.x, n.y, n.z});
        tan.insert(tan.end(), {t.x, t.y, t.z, w});
        uv.insert(uv.end(), {u, v});
        float c[3] = {p.x, p.y, p.z};
        for (int k = 0; k < 3; ++k) { minv[k] = std::min(minv[k], c[k]); maxv[k] = std::max(maxv[k], c[k]); }
    }
    uint32_t count() const { return uint32_t(pos.size() / 3); }
};

// Revolves a polyline of (height, radius, v) about +Y. The normals are perpendicular to
// the line, on its right-hand side: away from the axis where the line goes up, towards
// it where the line comes down; `outward` false flips them. Triangles are wound
// counter-clockwise seen from the side the normals face.
void lathe(Mesh& m, const std::vector<Pt>& line, const std::vector<float>& vcoord, bool outward, int segments) {
    uint32_t base = m.count();
    size_t rings = line.size();
    for (size_t i = 0; i < rings; ++i) {
        Pt a = line[i > 0 ? i - 1 : i], b = line[i + 1 < rings ? i + 1 : i];
        float dh = b.h - a.h, dr = b.r - a.r;
        for (int j = 0; j <= segments; ++j) {
            float u = float(j) / float(segments), th = u * 2 * kPi;
            float c = std::cos(th), s = std::sin(th);
            V3 p{line[i].r * c, line[i].h, line[i].r * s};
            V3 n = normalize(V3{dh * c, -dr, dh * s});  // perpendicular to the profile, outward
            if (!outward) n = n * -1;
            V3 t{-s, 0, c};  // increasing u
            V3 up = normalize(V3{dr * c, dh, dr * s});  // increasing height = decreasing v
            float w = dot(cross(n, t), up) > 0 ? 1.0f : -1.0f;
            m.vertex(p, n, t, w, u, vcoord[i]);
        }
    }
    uint32_t stride = uint32_t(segments + 1);
    for (uint32_t i = 0; i + 1 < rings; ++i)
        for (uint32_t j = 0; j < uint32_t(segments); ++j) {
            uint32_t a = base + i * stride + j, b = a + 1, c = a + stride, d = c + 1;
            // Orientation test against the stored normal of vertex a.
            V3 pa{m.pos[a * 3], m.pos[a * 3 + 1], m.pos[a * 3 + 2]}, pb{m.pos[b * 3], m.pos[b * 3 + 1], m.pos[b * 3 + 2]},
               pc{m.pos[c * 3], m.pos[c * 3 + 1], m.pos[c * 3 + 2]}, pd{m.pos[d * 3], m.pos[d * 3 + 1], m.pos[d * 3 + 2]};
            V3 na{m.nrm[a * 3], m.nrm[a * 3 + 1], m.nrm[a * 3 + 2]};
            V3 face = cross(pb - pa, pd - pa);
            if (dot(face, face) < 1e-20f) face = cross(pd - pa, pc - pa);
            bool ccw = dot(face, na) > 0;
            if (ccw) m.idx.insert(m.idx.end(), {a, b, d, a, d, c});
            else m.idx.insert(m.idx.end(), {a, d, b, a, c, d});
        }
}

void disc(Mesh& m, float h, float r, bool up, int segments, float v) {
    uint32_t centre = m.count();
    V3 n{0, up ? 1.0f : -1.0f, 0};
    m.vertex({0, h, 0}, n, {1, 0, 0}, 1, 0.5f, v);
    for (int j = 0; j <= segments; ++j) {
        float th = float(j) / float(segments) * 2 * kPi;
        m.vertex({r * std::cos(th), h, r * std::sin(th)}, n, {1, 0, 0}, 1, float(j) / float(segments), v);
    }
    for (uint32_t j = 0; j < uint32_t(segments); ++j) {
        uint32_t a = centre + 1 + j, b = a + 1;
        if (up) m.idx.insert(m.idx.end(), {centre, b, a});
        else m.idx.insert(m.idx.end(), {centre, a, b});
    }
}

// The lip faces up and the interior wall faces the opening (it shows in an open bowl).
Mesh make_vessel(float lift, const Shape& shape, int segments, int samples) {
    Mesh m;
    std::vector<Pt> outer;
    std::vector<float> vs;
    // Arc-length parameter for v so the bands keep their proportions.
    std::vector<Pt> raw;
    for (int i = 0; i <= samples; ++i) raw.push_back(profile_at(shape.profile, float(i) / float(samples)));
    std::vector<float> len(raw.size(), 0);
    for (size_t i = 1; i < raw.size(); ++i) len[i] = len[i - 1] + std::hypot(raw[i].h - raw[i - 1].h, raw[i].r - raw[i - 1].r);
    for (size_t i = 0; i < raw.size(); ++i) {
        outer.push_back({raw[i].h + lift, raw[i].r});
        vs.push_back(1.0f - len[i] / len.back());  // v = 0 at the lip (top of the texture)
    }
    lathe(m, outer, vs, true, segments);
    // Lip and interior: a short wall going down inside the neck.
    const float wall = 0.004f;
    Pt lip = raw.back();
    std::vector<Pt> inner = {{lip.h + lift, lip.r}, {lip.h + lift + 0.002f, lip.r - wall * 0.5f}, {lip.h + lift, lip.r - wall}};
    for (int i = 1; i <= 12; ++i) {
        float t = 1.0f - float(i) / float(shape.inner_div);
        Pt p = profile_at(shape.profile, t);
        inner.push_back({p.h + lift, std::max(p.r - wall, 0.01f)});
    }
    lathe(m, inner, std::vector<float>(inner.size(), 0.001f), /*outward=*/true, segments);
    disc(m, inner.back().h, inner.back().r, true, segments, 0.001f);
    disc(m, lift, raw.front().r, false, segments, 0.999f);
    return m;
}

Mesh make_plinth() {
    Mesh m;
    const int segments = 96;
    std::vector<Pt> side = {{0.0f, 0.17f}, {0.06f, 0.17f}, {0.065f, 0.165f}};
    std::vector<float> vs = {1.0f, 0.2f, 0.1f};
    lathe(m, side, vs, true, segments);
    disc(m, 0.065f, 0.165f, true, segments, 0.05f);
    return m;
}

using Pixels = std::vector<uint8_t>;

uint8_t to8(float f) { return uint8_t(std::lround(std::clamp(f, 0.0f, 1.0f) * 255.0f)); }

enum class Finish { Bronze, Porcelain, Jade };

// Per finish: base colour, roughness and metal at one texel. `groove` is the engraving
// (bronze, jade) or the painted motif (porcelain), `n` a blotch noise.
void surface(Finish f, float u, float v, float groove, float n, float rgb[3], float* rough, float* metal) {
    switch (f) {
        case Finish::Bronze: {
            // Verdigris gathers in grooves and in blotches; polished bronze elsewhere.
            float patina = std::clamp((n - 0.52f) * 5.0f + groove * 0.9f, 0.0f, 1.0f);
            float grain = 0.85f + 0.3f * fbm(u * 4, v * 4, 11);
            float bronze[3] = {0.72f * grain, 0.50f * grain, 0.26f * grain}, verd[3] = {0.26f, 0.52f, 0.42f};
            for (int c = 0; c < 3; ++c) rgb[c] = bronze[c] * (1 - patina) + verd[c] * patina;
            *rough = 0.28f + 0.5f * patina + 0.1f * fbm(u * 8, v * 8, 5);
            *metal = 1.0f - patina;
            return;
        }
        case Finish::Porcelain: {
            // Cobalt underglaze painting on white body; the glaze is a clearcoat.
            float cobalt = std::clamp(groove * (0.8f + 0.4f * fbm(u * 6, v * 6, 13)), 0.0f, 1.0f);
            float white[3] = {0.86f, 0.87f, 0.85f}, blue[3] = {0.05f, 0.12f, 0.45f};
            for (int c = 0; c < 3; ++c) rgb[c] = white[c] * (1 - cobalt) + blue[c] * cobalt;
            *rough = 0.45f;
            *metal = 0.0f;
            return;
        }
        case Finish::Jade: {
            // Nephrite: mottled green, cloudier in the blotches; carved, waxy polish.
            float cloud = std::clamp((n - 0.45f) * 3.0f, 0.0f, 1.0f);
            float green[3] = {0.32f, 0.62f, 0.38f}, pale[3] = {0.70f, 0.80f, 0.62f};
            for (int c = 0; c < 3; ++c) rgb[c] = green[c] * (1 - cloud) + pale[c] * cloud;
            *rough = 0.22f + 0.15f * groove;
            *metal = 0.0f;
            return;
        }
    }
}

void make_textures(Finish finish, int w, int h, Pixels& color, Pixels& normal, Pixels& orm) {
    color.resize(size_t(w) * h * 4);
    normal.resize(size_t(w) * h * 4);
    orm.resize(size_t(w) * h * 4);
    std::vector<float> height(size_t(w) * h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            float u = (x + 0.5f) / w, v = (y + 0.5f) / h;
            // Porcelain's motif is painted, not carved: its surface stays smooth.
            height[size_t(y) * w + x] = finish == Finish::Porcelain ? 0.02f * fbm(u, v, 7) : -engraving(u, v) + 0.15f * fbm(u, v, 7);
        }
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            float u = (x + 0.5f) / w, v = (y + 0.5f) / h;
            size_t i = size_t(y) * w + x;
            float groove = engraving(u, v);
            float n = fbm(u * 1.0f, v * 1.0f, 3);
            float rgb[3], rough, metal;
            surface(finish, u, v, groove, n, rgb, &rough, &metal);
            for (int c = 0; c < 3; ++c) color[i * 4 + size_t(c)] = to8(std::pow(rgb[c], 1 / 2.2f));
            color[i * 4 + 3] = 255;
            float ao = finish == Finish::Porcelain ? 1.0f : 1.0f - 0.45f * groove;
            orm[i * 4 + 0] = to8(ao);
            orm[i * 4 + 1] = to8(rough);
            orm[i * 4 + 2] = to8(metal);
            orm[i * 4 + 3] = 255;
            // Normal from the height field; u wraps, v clamps. Green up (glTF convention).
            auto H = [&](int xx, int yy) {
                xx = (xx + w) % w;
                yy = std::clamp(yy, 0, h - 1);
                return height[size_t(yy) * w + xx];
            };
            const float strength = 2.5f;
            float dx = (H(x + 1, y) - H(x - 1, y)) * strength, dy = (H(x, y + 1) - H(x, y - 1)) * strength;
            V3 nn = normalize(V3{-dx, dy, 1.0f});
            normal[i * 4 + 0] = to8(nn.x * 0.5f + 0.5f);
            normal[i * 4 + 1] = to8(nn.y * 0.5f + 0.5f);
            normal[i * 4 + 2] = to8(nn.z * 0.5f + 0.5f);
            normal[i * 4 + 3] = 255;
        }
}

void make_stone(int w, int h, Pixels& color) {
    color.resize(size_t(w) * h * 4);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            float u = (x + 0.5f) / w, v = (y + 0.5f) / h;
            float vein = std::fabs(std::sin((u * 6 + fbm(u, v, 21) * 3) * kPi));
            float g = 0.16f + 0.05f * fbm(u * 2, v * 2, 23) + 0.05f * std::pow(1 - vein, 8.0f);
            size_t i = (size_t(y) * w + x) * 4;
            color[i] = to8(std::pow(g, 1 / 2.2f));
            color[i + 1] = to8(std::pow(g * 0.97f, 1 / 2.2f));
            color[i + 2] = to8(std::pow(g * 0.93f, 1 / 2.2f));
            color[i + 3] = 255;
        }
}

struct BinWriter {
    std::vector<uint8_t> data;
    std::string views, accessors;
    int nviews = 0, naccessors = 0;
    int add(const void* p, size_t bytes, int target) {
        while (data.size() % 4) data.push_back(0);
        size_t off = data.size();
        data.insert(data.end(), static_cast<const uint8_t*>(p), static_cast<const uint8_t*>(p) + bytes);
        char buf[160];
        std::snprintf(buf, sizeof buf, "%s{\"buffer\":0,\"byteOffset\":%zu,\"byteLength\":%zu%s}", nviews ? "," : "", off, bytes,
                      target == 34962 ? ",\"target\":34962" : target == 34963 ? ",\"target\":34963" : "");
        views += buf;
        return nviews++;
    }
    int accessor(int view, int component, size_t count, const char* type, const float* mn = nullptr, const float* mx = nullptr) {
        char buf[320];
        std::string bounds;
        if (mn && mx) {
            std::snprintf(buf, sizeof buf, ",\"min\":[%g,%g,%g],\"max\":[%g,%g,%g]", mn[0], mn[1], mn[2], mx[0], mx[1], mx[2]);
            bounds = buf;
        }
        std::snprintf(buf, sizeof buf, "%s{\"bufferView\":%d,\"componentType\":%d,\"count\":%zu,\"type\":\"%s\"%s}",
                      naccessors ? "," : "", view, component, count, type, bounds.c_str());
        accessors += buf;
        return naccessors++;
    }
};

std::string primitive_json(BinWriter& bw, const Mesh& m, int material, bool short_indices) {
    int p = bw.accessor(bw.add(m.pos.data(), m.pos.size() * 4, 34962), 5126, m.count(), "VEC3", m.minv, m.maxv);
    int n = bw.accessor(bw.add(m.nrm.data(), m.nrm.size() * 4, 34962), 5126, m.count(), "VEC3");
    int t = bw.accessor(bw.add(m.tan.data(), m.tan.size() * 4, 34962), 5126, m.count(), "VEC4");
    int u = bw.accessor(bw.add(m.uv.data(), m.uv.size() * 4, 34962), 5126, m.count(), "VEC2");
    int i;
    if (short_indices && m.count() <= 65535) {
        std::vector<uint16_t> idx16(m.idx.begin(), m.idx.end());
        i = bw.accessor(bw.add(idx16.data(), idx16.size() * 2, 34963), 5123, idx16.size(), "SCALAR");
    } else {
        i = bw.accessor(bw.add(m.idx.data(), m.idx.size() * 4, 34963), 5125, m.idx.size(), "SCALAR");
    }
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "{\"attributes\":{\"POSITION\":%d,\"NORMAL\":%d,\"TANGENT\":%d,\"TEXCOORD_0\":%d},\"indices\":%d,\"material\":%d}",
                  p, n, t, u, i, material);
    return buf;
}

}  // namespace

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    fs::path out;
    int detail = 1, tw = -1;  // -1: the level of detail's default
    bool detail_given = false;
    std::string material = "bronze", shape_name = "vase", lod = "full";
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--detail" && i + 1 < argc) detail = std::atoi(argv[++i]), detail_given = true;
        else if (a == "--material" && i + 1 < argc) material = argv[++i];
        else if (a == "--shape" && i + 1 < argc) shape_name = argv[++i];
        else if (a == "--lod" && i + 1 < argc) lod = argv[++i];
        else if (a == "--texture" && i + 1 < argc) tw = std::atoi(argv[++i]);
        else if (out.empty() && a.rfind("--", 0) != 0) out = a;
        else out.clear(), detail = 0;
    }
    const bool small = lod == "small";
    if (tw == -1) tw = small ? 512 : 1024;
    Finish finish = material == "porcelain" ? Finish::Porcelain : material == "jade" ? Finish::Jade : Finish::Bronze;
    const Shape& shape = shape_name == "jar" ? kJar : shape_name == "bowl" ? kBowl : kVase;
    if (out.empty() || detail < 1 || detail > 16 || tw < 64 || tw > 16384 ||
        (material != "bronze" && material != "porcelain" && material != "jade") ||
        (shape_name != "vase" && shape_name != "jar" && shape_name != "bowl") || (lod != "full" && lod != "small") ||
        (small && detail_given)) {
        std::fprintf(stderr, "usage: make-relic OUT_DIR [--material bronze|porcelain|jade] [--shape vase|jar|bowl] "
                             "[--detail 1..16 | --lod small] [--texture 64..16384]\n");
        return 2;
    }
    const bool jpeg = tw >= 4096;
    const char* ext = jpeg ? "jpg" : "png";
    std::error_code ec;
    fs::create_directories(out, ec);
    if (ec) {
        std::fprintf(stderr, "make-relic: error: cannot create %s: %s\n", out.string().c_str(), ec.message().c_str());
        return 1;
    }
    const int th = tw / 2;
    Pixels color, normal, orm, stone;
    make_textures(finish, tw, th, color, normal, orm);
    const int sw = small ? 128 : 256;  // plinth texture side
    make_stone(sw, sw, stone);
    std::string names[4] = {std::string("vessel_basecolor.") + ext, std::string("vessel_normal.") + ext,
                            std::string("vessel_orm.") + ext, "plinth_basecolor.png"};
    struct { const std::string& name; const Pixels& px; int w, h; } images[] = {
        {names[0], color, tw, th}, {names[1], normal, tw, th}, {names[2], orm, tw, th}, {names[3], stone, sw, sw}};
    for (auto& img : images) {
        std::string path = (out / img.name).string();
        // The small level of detail drops the (always opaque) alpha channel from its PNGs.
        Pixels rgb;
        if (small) {
            rgb.resize(img.px.size() / 4 * 3);
            for (size_t p = 0, n = img.px.size() / 4; p < n; ++p)
                for (size_t c = 0; c < 3; ++c) rgb[p * 3 + c] = img.px[p * 4 + c];
        }
        const int comps = small ? 3 : 4;
        const uint8_t* px = small ? rgb.data() : img.px.data();
        bool ok = img.name.size() > 4 && img.name.compare(img.name.size() - 4, 4, ".jpg") == 0
                      ? stbi_write_jpg(path.c_str(), img.w, img.h, comps, px, 92)
                      : stbi_write_png(path.c_str(), img.w, img.h, comps, px, img.w * comps);
        if (!ok) {
            std::fprintf(stderr, "make-relic: error: cannot write %s\n", path.c_str());
            return 1;
        }
    }

    BinWriter bw;
    const int segments = small ? 64 : 192 * detail, samples = small ? 48 : 160 * detail;
    Mesh vessel = make_vessel(0.065f, shape, segments, samples), plinth = make_plinth();
    std::string vessel_prim = primitive_json(bw, vessel, 0, small);
    std::string plinth_prim = primitive_json(bw, plinth, 1, small);
    // Turntable: a full turn about +Y in 40 s, one key per quarter.
    std::vector<float> times = {0, 10, 20, 30, 40}, rots;
    for (int k = 0; k < 5; ++k) {
        float a = float(k) * 0.5f * kPi * 0.5f;  // half-angle of k * 90 degrees
        rots.insert(rots.end(), {0, std::sin(a), 0, std::cos(a)});
    }
    int ta = bw.accessor(bw.add(times.data(), times.size() * 4, 0), 5126, times.size(), "SCALAR");
    int ra = bw.accessor(bw.add(rots.data(), rots.size() * 4, 0), 5126, 5, "VEC4");
    // The input accessor needs min/max per the spec.
    {
        std::string& a = bw.accessors;
        std::string find = "\"count\":5,\"type\":\"SCALAR\"";
        size_t at = a.rfind(find);
        if (at != std::string::npos) a.insert(at + find.size(), ",\"min\":[0],\"max\":[40]");
    }
    std::ofstream bin(out / "relic.bin", std::ios::binary);
    bin.write(reinterpret_cast<const char*>(bw.data.data()), std::streamsize(bw.data.size()));
    if (!bin) {
        std::fprintf(stderr, "make-relic: error: cannot write relic.bin\n");
        return 1;
    }
    bin.close();

    const char* extensions_used = "";
    const char* material_name = "Bronze with verdigris";
    const char* material_extensions = "";
    if (finish == Finish::Porcelain) {
        extensions_used = "\"extensionsUsed\":[\"KHR_materials_clearcoat\"],\n";
        material_name = "Blue-and-white porcelain";
        material_extensions = ",\"extensions\":{\"KHR_materials_clearcoat\":{\"clearcoatFactor\":1,\"clearcoatRoughnessFactor\":0.04}}";
    } else if (finish == Finish::Jade) {
        extensions_used = "\"extensionsUsed\":[\"KHR_materials_transmission\",\"KHR_materials_volume\",\"KHR_materials_ior\"],\n";
        material_name = "Carved jade";
        material_extensions = ",\"extensions\":{\"KHR_materials_transmission\":{\"transmissionFactor\":0.7},"
                              "\"KHR_materials_volume\":{\"thicknessFactor\":0.03,\"attenuationDistance\":0.02,"
                              "\"attenuationColor\":[0.35,0.75,0.45]},\"KHR_materials_ior\":{\"ior\":1.61}}";
    }
    std::FILE* f = std::fopen((out / "relic.gltf").string().c_str(), "w");
    if (!f) {
        std::fprintf(stderr, "make-relic: error: cannot write relic.gltf\n");
        return 1;
    }
    std::fprintf(f,
        "{\n\"asset\":{\"version\":\"2.0\",\"generator\":\"Vitrine make-relic\",\"copyright\":\"Vitrine project, generated\"},\n"
        "\"scene\":0,\"scenes\":[{\"name\":\"Relic\",\"nodes\":[0,1]}],\n"
        "\"nodes\":[{\"name\":\"Vessel\",\"mesh\":0},{\"name\":\"Plinth\",\"mesh\":1}],\n"
        "\"meshes\":[{\"name\":\"Vessel\",\"primitives\":[%s]},{\"name\":\"Plinth\",\"primitives\":[%s]}],\n"
        "%s"
        "\"materials\":[{\"name\":\"%s\",\"pbrMetallicRoughness\":{\"baseColorTexture\":{\"index\":0},"
        "\"metallicRoughnessTexture\":{\"index\":2}},\"normalTexture\":{\"index\":1},\"occlusionTexture\":{\"index\":2}%s},\n"
        " {\"name\":\"Dark stone\",\"pbrMetallicRoughness\":{\"baseColorTexture\":{\"index\":3},\"metallicFactor\":0,\"roughnessFactor\":0.55}}],\n"
        "\"textures\":[{\"source\":0,\"sampler\":0},{\"source\":1,\"sampler\":0},{\"source\":2,\"sampler\":0},{\"source\":3,\"sampler\":0}],\n"
        "\"samplers\":[{\"magFilter\":9729,\"minFilter\":9987,\"wrapS\":10497,\"wrapT\":33071}],\n"
        "\"images\":[{\"uri\":\"%s\"},{\"uri\":\"%s\"},{\"uri\":\"%s\"},{\"uri\":\"%s\"}],\n"
        "\"animations\":[{\"name\":\"Turntable\",\"samplers\":[{\"input\":%d,\"output\":%d,\"interpolation\":\"LINEAR\"}],"
        "\"channels\":[{\"sampler\":0,\"target\":{\"node\":0,\"path\":\"rotation\"}}]}],\n"
        "\"buffers\":[{\"uri\":\"relic.bin\",\"byteLength\":%zu}],\n"
        "\"bufferViews\":[%s],\n"
        "\"accessors\":[%s]\n}\n",
        vessel_prim.c_str(), plinth_prim.c_str(), extensions_used, material_name, material_extensions, names[0].c_str(), names[1].c_str(), names[2].c_str(), names[3].c_str(), ta, ra, bw.data.size(), bw.views.c_str(), bw.accessors.c_str());
    bool ok = std::ferror(f) == 0;
    ok = std::fclose(f) == 0 && ok;
    if (!ok) {
        std::fprintf(stderr, "make-relic: error: cannot write relic.gltf\n");
        return 1;
    }
    std::printf("make-relic: wrote %s (%u + %u vertices, %zu + %zu triangles)\n", (out / "relic.gltf").string().c_str(),
                vessel.count(), plinth.count(), vessel.idx.size() / 3, plinth.idx.size() / 3);
    return 0;
}
