#include "zoom/reference.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace vitrine::zoom {

namespace {

float to_linear(uint8_t v) {
    float c = v / 255.0f;
    return c <= 0.04045f ? c / 12.92f : std::pow((c + 0.055f) / 1.055f, 2.4f);
}

uint8_t to_srgb(float c) {
    c = std::clamp(c, 0.0f, 1.0f);
    float s = c <= 0.0031308f ? c * 12.92f : 1.055f * std::pow(c, 1.0f / 2.4f) - 0.055f;
    return uint8_t(std::lround(s * 255.0f));
}

// The pixels [x0, x1) x [y0, y1) of one level (clamped to it), linear RGBA, from its tiles.
struct Window {
    int64_t x0 = 0, y0 = 0, w = 0, h = 0;
    LevelSize size;
    std::vector<float> rgba;
    glm::vec4 at(int64_t x, int64_t y) const {  // clamped to the level, then to the window
        x = std::clamp<int64_t>(x, 0, int64_t(size.width) - 1);
        y = std::clamp<int64_t>(y, 0, int64_t(size.height) - 1);
        x = std::clamp<int64_t>(x - x0, 0, w - 1);
        y = std::clamp<int64_t>(y - y0, 0, h - 1);
        const float* p = &rgba[size_t((y * w + x) * 4)];
        return {p[0], p[1], p[2], p[3]};
    }
};

Result<Window> read_window(const Pyramid& pyramid, uint32_t level, double fx0, double fy0, double fx1, double fy1) {
    const PyramidInfo& info = pyramid.info();
    Window win;
    win.size = info.levels[level];
    win.x0 = std::clamp<int64_t>(int64_t(std::floor(fx0)) - 1, 0, win.size.width - 1);
    win.y0 = std::clamp<int64_t>(int64_t(std::floor(fy0)) - 1, 0, win.size.height - 1);
    int64_t x1 = std::clamp<int64_t>(int64_t(std::ceil(fx1)) + 1, win.x0 + 1, win.size.width);
    int64_t y1 = std::clamp<int64_t>(int64_t(std::ceil(fy1)) + 1, win.y0 + 1, win.size.height);
    win.w = x1 - win.x0;
    win.h = y1 - win.y0;
    if (win.w * win.h > (int64_t(1) << 28)) return fail(info.path + ": reference view too large");
    win.rgba.assign(size_t(win.w * win.h * 4), 0.0f);
    uint32_t tw = info.tile_width, th = info.tile_height;
    for (uint32_t row = uint32_t(win.y0 / th); row <= uint32_t((y1 - 1) / th); ++row)
        for (uint32_t col = uint32_t(win.x0 / tw); col <= uint32_t((x1 - 1) / tw); ++col) {
            auto tile = pyramid.read_tile(level, col, row);
            if (!tile) return tile.error();
            PixelRect r = pyramid.tile_pixels(level, col, row);
            // Each pixel from the tile that owns it (its content cell), not a neighbour's
            // overlap: lossy tiles hold slightly different copies there.
            for (uint32_t j = 0; j < r.height; ++j) {
                int64_t y = int64_t(r.y) + j - win.y0;
                if (y < 0 || y >= win.h || (r.y + j) / th != row) continue;
                for (uint32_t i = 0; i < r.width; ++i) {
                    int64_t x = int64_t(r.x) + i - win.x0;
                    if (x < 0 || x >= win.w || (r.x + i) / tw != col) continue;
                    const uint8_t* s = &tile->rgba[(size_t(j) * tile->width + i) * 4];
                    float* d = &win.rgba[size_t((y * win.w + x) * 4)];
                    for (int c = 0; c < 3; ++c) d[c] = to_linear(s[c]);
                    d[3] = s[3] / 255.0f;
                }
            }
        }
    return win;
}

glm::vec4 bilinear(const Window& w, double px, double py) {
    double sx = px - 0.5, sy = py - 0.5;
    int64_t x = int64_t(std::floor(sx)), y = int64_t(std::floor(sy));
    float fx = float(sx - double(x)), fy = float(sy - double(y));
    glm::vec4 a = glm::mix(w.at(x, y), w.at(x + 1, y), fx);
    glm::vec4 b = glm::mix(w.at(x, y + 1), w.at(x + 1, y + 1), fx);
    return glm::mix(a, b, fy);
}

}  // namespace

Result<Image8> reference_view(const Pyramid& pyramid, const glm::dvec4& region, uint32_t width, uint32_t height) {
    const PyramidInfo& info = pyramid.info();
    if (!width || !height || region.z <= 0 || region.w <= 0) return fail("reference view: empty region or picture");
    double scale = std::max(region.z / width, region.w / height);
    double lod = std::clamp(std::log2(scale), 0.0, double(info.levels.size() - 1));
    uint32_t k = uint32_t(std::floor(lod));
    double f = lod - k;
    bool two = f > 0 && k + 1 < info.levels.size();
    auto window = [&](uint32_t level) {
        double s = std::ldexp(1.0, -int(level));
        return read_window(pyramid, level, region.x * s, region.y * s, (region.x + region.z) * s, (region.y + region.w) * s);
    };
    auto w0 = window(k);
    if (!w0) return w0.error();
    Result<Window> w1 = two ? window(k + 1) : Window{};
    if (!w1) return w1.error();
    Image8 out;
    out.width = width;
    out.height = height;
    out.rgba.assign(size_t(width) * height * 4, 0);
    for (size_t p = 3; p < out.rgba.size(); p += 4) out.rgba[p] = 255;  // over opaque black, as a render
    for (uint32_t j = 0; j < height; ++j)
        for (uint32_t i = 0; i < width; ++i) {
            double u = (i + 0.5) / width, v = (j + 0.5) / height;
            double X = region.x + u * region.z, Y = region.y + v * region.w;
            if (X < 0 || Y < 0 || X > info.width || Y > info.height) continue;
            double s0 = std::ldexp(1.0, -int(k));
            glm::vec4 c = bilinear(w0.value(), X * s0, Y * s0);
            if (two) c = glm::mix(c, bilinear(w1.value(), X * s0 * 0.5, Y * s0 * 0.5), float(f));
            uint8_t* d = &out.rgba[(size_t(j) * width + i) * 4];
            for (int ch = 0; ch < 3; ++ch) d[ch] = to_srgb(c[ch] * std::clamp(c.a, 0.0f, 1.0f));
        }
    return out;
}

}  // namespace vitrine::zoom
