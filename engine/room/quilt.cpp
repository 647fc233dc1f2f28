#include "room/quilt.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <thread>

namespace vitrine::room {

// ---- tiles and views ------------------------------------------------------------------

TileRect quilt_tile(const QuiltLayout& quilt, int64_t index) {
    TileRect t;
    if (quilt.columns <= 0 || quilt.rows <= 0) return t;
    t.width = quilt.width / quilt.columns;
    t.height = quilt.height / quilt.rows;
    int64_t col = index % quilt.columns, row = index / quilt.columns;  // row 0 at the bottom
    t.x = col * t.width;
    t.y = quilt.height - (row + 1) * t.height;
    return t;
}

double panel_aspect(const Lenticular& lkg) {
    const Calibration& c = lkg.calibration;
    return c.screen_w > 0 && c.screen_h > 0 ? double(c.screen_w) / double(c.screen_h) : 1.0;
}

Frustum quilt_view(const Lenticular& lkg, const QuiltCamera& camera, double aspect, int64_t index) {
    glm::dvec3 right = camera.basis[0], up = camera.basis[1], back = camera.basis[2];
    // Eyes evenly spaced on the baseline (so parallax is linear in the view index), the
    // outermost seeing the focal plane's centre at +-viewCone/2.
    double t = lkg.views > 1 ? double(index) / double(lkg.views - 1) - 0.5 : 0;
    double offset = lkg.focal_plane * std::tan(glm::radians(lkg.calibration.view_cone / 2)) * 2 * t * lkg.depthiness;
    glm::dvec3 eye = camera.focal_centre + back * lkg.focal_plane + right * offset;

    glm::dvec3 half_w = right * (lkg.size * aspect / 2), half_h = up * (lkg.size / 2);
    glm::dvec3 pa = camera.focal_centre - half_w - half_h;
    glm::dvec3 pb = camera.focal_centre + half_w - half_h;
    glm::dvec3 pc = camera.focal_centre - half_w + half_h;
    return off_axis(pa, pb, pc, eye, lkg.focal_plane / 10, lkg.focal_plane * 10);
}

// ---- names ----------------------------------------------------------------------------

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Reads 1..6 digits at `i` as a count in 1..1000.
bool read_count(const std::string& s, size_t& i, int64_t& out) {
    size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start || i - start > 6) return false;
    out = std::stoll(s.substr(start, i - start));
    return out >= 1 && out <= 1000;
}

// Settings starting at `at` (the '_' of "_qs"); `end` receives the index after them.
std::optional<QuiltName> parse_at(const std::string& s, size_t at, size_t& end) {
    size_t i = at + 3;
    QuiltName q;
    if (!read_count(s, i, q.columns)) return std::nullopt;
    if (i >= s.size() || s[i] != 'x') return std::nullopt;
    ++i;
    if (!read_count(s, i, q.rows)) return std::nullopt;
    if (i < s.size() && s[i] == 'a') {
        ++i;
        size_t start = i;
        while (i < s.size() && is_digit(s[i])) ++i;
        if (i == start) return std::nullopt;
        if (i + 1 < s.size() && s[i] == '.' && is_digit(s[i + 1])) {
            ++i;
            while (i < s.size() && is_digit(s[i])) ++i;
        }
        if (i - start > 20) return std::nullopt;
        double a = 0;
        auto r = std::from_chars(s.data() + start, s.data() + i, a);
        if (r.ec != std::errc() || !(a > 0) || a > 100) return std::nullopt;
        q.aspect = a;
    }
    if (i < s.size() && is_alnum(s[i])) return std::nullopt;
    end = i;
    return q;
}

// The last valid settings in `name`: their span [begin, end).
std::optional<QuiltName> find_settings(const std::string& name, size_t& begin, size_t& end) {
    size_t pos = name.rfind("_qs");
    while (pos != std::string::npos) {
        if (auto q = parse_at(name, pos, end)) {
            begin = pos;
            return q;
        }
        if (pos == 0) break;
        pos = name.rfind("_qs", pos - 1);
    }
    return std::nullopt;
}

size_t name_start(const std::string& path) {
    size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? 0 : slash + 1;
}

}  // namespace

std::optional<QuiltName> parse_quilt_name(const std::string& filename) {
    std::string name = filename.substr(name_start(filename));
    size_t begin = 0, end = 0;
    return find_settings(name, begin, end);
}

std::string quilt_file_name(const std::string& filename, const QuiltLayout& quilt, double aspect) {
    std::string settings = "_qs" + std::to_string(quilt.columns) + "x" + std::to_string(quilt.rows);
    if (aspect > 0 && std::isfinite(aspect)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.4f", aspect);
        std::string a = buf;
        while (a.back() == '0') a.pop_back();
        if (a.back() == '.') a.pop_back();
        settings += "a" + a;
    }
    size_t start = name_start(filename);
    std::string dir = filename.substr(0, start), name = filename.substr(start);
    size_t begin = 0, end = 0;
    if (find_settings(name, begin, end)) return dir + name.substr(0, begin) + settings + name.substr(end);
    size_t dot = name.rfind('.');
    if (dot == std::string::npos || dot == 0) return dir + name + settings;
    return dir + name.substr(0, dot) + settings + name.substr(dot);
}

// ---- interleave -----------------------------------------------------------------------

InterleaveParams interleave_params(const Calibration& c) {
    InterleaveParams p;
    double w = double(c.screen_w), h = double(c.screen_h);
    p.pitch = c.pitch * (w / c.dpi) * std::cos(std::atan(1.0 / c.slope));
    p.tilt = h / (w * c.slope);
    p.subp = 1.0 / (3.0 * w);
    p.center = c.center;
    p.inv_view = c.inv_view;
    p.flip_x = c.flip_image_x;
    p.flip_y = c.flip_image_y;
    p.flip_subp = c.flip_subp;
    p.width = c.screen_w;
    p.height = c.screen_h;
    return p;
}

namespace {

struct PixelUV {
    double u, v;  // shader texture coordinate of the (flipped) pixel centre, v from the bottom
};
PixelUV pixel_uv(const InterleaveParams& p, int64_t x, int64_t y) {
    if (p.flip_x) x = p.width - 1 - x;
    if (p.flip_y) y = p.height - 1 - y;
    return {(double(x) + 0.5) / double(p.width), 1.0 - (double(y) + 0.5) / double(p.height)};
}

double view_at(const InterleaveParams& p, int64_t views, const PixelUV& uv, int channel) {
    int i = p.flip_subp ? 2 - channel : channel;
    double z = (uv.u + i * p.subp + uv.v * p.tilt) * p.pitch - p.center;
    z -= std::floor(z);
    if (p.inv_view) z = z > 0 ? 1 - z : 0;
    double f = z * double(views);
    return f >= double(views) ? 0.0 : f;  // z just below 1 may round up to N
}

double srgb_to_linear(double s) { return s <= 0.04045 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4); }

// 8-bit sRGB <-> linear: decode table, and exact encoding (nearest 8-bit value) from the
// linear thresholds halfway between consecutive codes.
struct Srgb {
    float decode[256];
    float threshold[257];  // code k is chosen for threshold[k] <= x < threshold[k+1]
    uint8_t guess[4097];   // a code within one of the answer, by x * 4096
    Srgb() {
        for (int k = 0; k < 256; ++k) decode[k] = float(srgb_to_linear(k / 255.0));
        threshold[0] = -1e30f;
        for (int k = 1; k < 256; ++k) threshold[k] = float(srgb_to_linear((k - 0.5) / 255.0));
        threshold[256] = 1e30f;
        int k = 0;
        for (int g = 0; g <= 4096; ++g) {
            while (k < 255 && threshold[k + 1] <= g / 4096.0f) ++k;
            guess[g] = uint8_t(k);
        }
    }
    uint8_t encode(float x) const {
        x = std::clamp(x, 0.0f, 1.0f);
        int k = guess[int(x * 4096.0f)];
        while (k < 255 && x >= threshold[k + 1]) ++k;
        while (k > 0 && x < threshold[k]) --k;
        return uint8_t(k);
    }
};
const Srgb& srgb() {
    static const Srgb table;
    return table;
}

// Bilinear taps inside a tile of `size` pixels at texture coordinate t (0..1 across it,
// from the tile's left or top edge): two pixel offsets and the weight of the second.
struct Taps {
    int64_t a, b;
    float w;
};
Taps taps(double t, int64_t size) {
    double p = std::clamp(t * double(size) - 0.5, 0.0, double(size - 1));
    int64_t a = int64_t(p);
    int64_t b = std::min(a + 1, size - 1);
    return {a, b, float(p - double(a))};
}

}  // namespace

double subpixel_view(const InterleaveParams& p, int64_t views, int64_t x, int64_t y, int channel) {
    return view_at(p, views, pixel_uv(p, x, y), channel);
}

Image8 interleave(const Image8& quilt, const QuiltLayout& layout, int64_t views, const InterleaveParams& p) {
    Image8 out;
    if (int64_t(quilt.width) != layout.width || int64_t(quilt.height) != layout.height || p.width <= 0 ||
        p.height <= 0 || layout.columns <= 0 || layout.rows <= 0)
        return out;
    TileRect t0 = quilt_tile(layout, 0);
    if (t0.width <= 0 || t0.height <= 0) return out;
    views = std::clamp<int64_t>(views, 1, layout.columns * layout.rows);
    out.width = uint32_t(p.width);
    out.height = uint32_t(p.height);
    out.rgba.assign(size_t(p.width) * size_t(p.height) * 4, 255);

    const Srgb& s = srgb();
    // Byte offset of each view's tile origin in the quilt.
    std::vector<size_t> origin(static_cast<size_t>(views));
    for (int64_t i = 0; i < views; ++i) {
        TileRect t = quilt_tile(layout, i);
        origin[size_t(i)] = (size_t(t.y) * quilt.width + size_t(t.x)) * 4;
    }
    const size_t stride = size_t(quilt.width) * 4;

    auto rows = [&](int64_t y_begin, int64_t y_end) {
        for (int64_t y = y_begin; y < y_end; ++y) {
            uint8_t* row = out.rgba.data() + size_t(y) * size_t(p.width) * 4;
            for (int64_t x = 0; x < p.width; ++x) {
                PixelUV uv = pixel_uv(p, x, y);
                Taps tx = taps(uv.u, t0.width), ty = taps(1.0 - uv.v, t0.height);
                size_t o00 = size_t(ty.a) * stride + size_t(tx.a) * 4, o01 = size_t(ty.a) * stride + size_t(tx.b) * 4;
                size_t o10 = size_t(ty.b) * stride + size_t(tx.a) * 4, o11 = size_t(ty.b) * stride + size_t(tx.b) * 4;
                for (int c = 0; c < 3; ++c) {
                    double f = view_at(p, views, uv, c);
                    int64_t i0 = int64_t(f), i1 = i0 + 1 == views ? 0 : i0 + 1;
                    float w = float(f - double(i0));
                    auto sample = [&](int64_t view) {
                        const uint8_t* q = quilt.rgba.data() + origin[size_t(view)] + size_t(c);
                        float top = s.decode[q[o00]] + (s.decode[q[o01]] - s.decode[q[o00]]) * tx.w;
                        float bottom = s.decode[q[o10]] + (s.decode[q[o11]] - s.decode[q[o10]]) * tx.w;
                        return top + (bottom - top) * ty.w;
                    };
                    float a = sample(i0);
                    float value = w > 0 ? a + (sample(i1) - a) * w : a;
                    row[x * 4 + c] = s.encode(value);
                }
            }
        }
    };
    int64_t threads = std::clamp<int64_t>(std::thread::hardware_concurrency(), 1, 16);
    threads = std::min(threads, std::max<int64_t>(1, p.height / 64));
    if (threads == 1) {
        rows(0, p.height);
        return out;
    }
    std::vector<std::thread> pool;
    for (int64_t k = 0; k < threads; ++k)
        pool.emplace_back(rows, p.height * k / threads, p.height * (k + 1) / threads);
    for (auto& t : pool) t.join();
    return out;
}

// ---- split and assemble ---------------------------------------------------------------

std::vector<Image8> split_quilt(const Image8& quilt, const QuiltLayout& layout, int64_t views) {
    std::vector<Image8> out;
    if (int64_t(quilt.width) != layout.width || int64_t(quilt.height) != layout.height || layout.columns <= 0 ||
        layout.rows <= 0)
        return out;
    views = std::clamp<int64_t>(views, 0, layout.columns * layout.rows);
    for (int64_t i = 0; i < views; ++i) {
        TileRect t = quilt_tile(layout, i);
        Image8 v;
        v.width = uint32_t(t.width);
        v.height = uint32_t(t.height);
        v.rgba.resize(size_t(t.width) * size_t(t.height) * 4);
        for (int64_t y = 0; y < t.height; ++y)
            std::memcpy(v.rgba.data() + size_t(y) * size_t(t.width) * 4,
                        quilt.rgba.data() + (size_t(t.y + y) * quilt.width + size_t(t.x)) * 4, size_t(t.width) * 4);
        out.push_back(std::move(v));
    }
    return out;
}

Image8 assemble_quilt(const std::vector<Image8>& views, const QuiltLayout& layout) {
    Image8 q;
    if (layout.width <= 0 || layout.height <= 0 || layout.columns <= 0 || layout.rows <= 0) return q;
    q.width = uint32_t(layout.width);
    q.height = uint32_t(layout.height);
    q.rgba.assign(size_t(layout.width) * size_t(layout.height) * 4, 0);
    int64_t n = std::min<int64_t>(int64_t(views.size()), layout.columns * layout.rows);
    for (int64_t i = 0; i < n; ++i) {
        const Image8& v = views[size_t(i)];
        TileRect t = quilt_tile(layout, i);
        int64_t w = std::min<int64_t>(t.width, v.width), h = std::min<int64_t>(t.height, v.height);
        for (int64_t y = 0; y < h; ++y)
            std::memcpy(q.rgba.data() + (size_t(t.y + y) * q.width + size_t(t.x)) * 4,
                        v.rgba.data() + size_t(y) * v.width * 4, size_t(w) * 4);
    }
    return q;
}

}  // namespace vitrine::room
