#include "room/mesh_warp.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace vitrine::room {

namespace {

struct Srgb {
    std::array<float, 256> to_linear;
    Srgb() {
        for (int i = 0; i < 256; ++i) {
            double c = i / 255.0;
            to_linear[size_t(i)] = float(c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4));
        }
    }
};

uint8_t encode(float l) {
    l = std::clamp(l, 0.0f, 1.0f);
    double c = l <= 0.0031308 ? l * 12.92 : 1.055 * std::pow(double(l), 1 / 2.4) - 0.055;
    return uint8_t(std::lround(std::clamp(c, 0.0, 1.0) * 255.0));
}

}  // namespace

void warp_mesh(Image8& canvas, const Screen& screen, const MeshView& view, const Image8& picture) {
    static const Srgb srgb;
    const ScreenMesh& m = screen.mesh;
    glm::dmat4 clip_of = view.frustum.proj * view.frustum.view;
    double pw = double(picture.width), ph = double(picture.height);
    auto texel = [&](int64_t x, int64_t y, int ch) {
        x = std::clamp<int64_t>(x, 0, int64_t(picture.width) - 1);
        y = std::clamp<int64_t>(y, 0, int64_t(picture.height) - 1);
        return srgb.to_linear[picture.rgba[(size_t(y) * picture.width + size_t(x)) * 4 + size_t(ch)]];
    };
    // The region's pixels only: a triangle never draws outside its screen.
    int64_t rx0 = std::max<int64_t>(0, screen.region.x), ry0 = std::max<int64_t>(0, screen.region.y);
    int64_t rx1 = std::min<int64_t>(canvas.width, screen.region.x + screen.region.width);
    int64_t ry1 = std::min<int64_t>(canvas.height, screen.region.y + screen.region.height);
    for (size_t t = 0; t + 2 < m.indices.size(); t += 3) {
        glm::dvec2 p[3];
        glm::dvec3 c[3];  // eye clip x, y, w
        for (int k = 0; k < 3; ++k) {
            uint32_t i = m.indices[t + size_t(k)];
            p[k] = canvas_point(screen, m.uvs[i]);
            glm::dvec4 q = clip_of * glm::dvec4(m.positions[i], 1);
            c[k] = {q.x, q.y, q.w};
        }
        double area = (p[1].x - p[0].x) * (p[2].y - p[0].y) - (p[1].y - p[0].y) * (p[2].x - p[0].x);
        if (std::abs(area) < 1e-12) continue;
        int64_t x0 = std::max<int64_t>(rx0, int64_t(std::floor(std::min({p[0].x, p[1].x, p[2].x}))));
        int64_t x1 = std::min<int64_t>(rx1, int64_t(std::ceil(std::max({p[0].x, p[1].x, p[2].x}))));
        int64_t y0 = std::max<int64_t>(ry0, int64_t(std::floor(std::min({p[0].y, p[1].y, p[2].y}))));
        int64_t y1 = std::min<int64_t>(ry1, int64_t(std::ceil(std::max({p[0].y, p[1].y, p[2].y}))));
        for (int64_t y = y0; y < y1; ++y)
            for (int64_t x = x0; x < x1; ++x) {
                glm::dvec2 s(double(x) + 0.5, double(y) + 0.5);
                double w0 = ((p[1].x - s.x) * (p[2].y - s.y) - (p[1].y - s.y) * (p[2].x - s.x)) / area;
                double w1 = ((p[2].x - s.x) * (p[0].y - s.y) - (p[2].y - s.y) * (p[0].x - s.x)) / area;
                const double eps = -1e-9;  // shared edges: both triangles write the same value
                if (w0 < eps || w1 < eps || 1 - w0 - w1 < eps) continue;
                // The pixel's footprint, 2 x 2 samples (the eye picture is denser than the canvas).
                double sum[3] = {0, 0, 0};
                int taken = 0;
                for (int k = 0; k < 4; ++k) {
                    glm::dvec2 s(double(x) + 0.25 + 0.5 * (k & 1), double(y) + 0.25 + 0.5 * (k >> 1));
                    double w0 = ((p[1].x - s.x) * (p[2].y - s.y) - (p[1].y - s.y) * (p[2].x - s.x)) / area;
                    double w1 = ((p[2].x - s.x) * (p[0].y - s.y) - (p[2].y - s.y) * (p[0].x - s.x)) / area;
                    double w2 = 1 - w0 - w1;
                    glm::dvec3 q = w0 * c[0] + w1 * c[1] + w2 * c[2];
                    if (q.z <= 0) continue;
                    double u = (q.x / q.z * 0.5 + 0.5) * pw - 0.5, v = (q.y / q.z * 0.5 + 0.5) * ph - 0.5;
                    int64_t iu = int64_t(std::floor(u)), iv = int64_t(std::floor(v));
                    double fu = u - double(iu), fv = v - double(iv);
                    for (int ch = 0; ch < 3; ++ch) {
                        double a = texel(iu, iv, ch) * (1 - fu) + texel(iu + 1, iv, ch) * fu;
                        double b = texel(iu, iv + 1, ch) * (1 - fu) + texel(iu + 1, iv + 1, ch) * fu;
                        sum[ch] += a * (1 - fv) + b * fv;
                    }
                    ++taken;
                }
                if (taken == 0) continue;
                uint8_t* out = &canvas.rgba[(size_t(y) * canvas.width + size_t(x)) * 4];
                for (int ch = 0; ch < 3; ++ch) out[ch] = encode(float(sum[ch] / taken));
                out[3] = 255;
            }
    }
}

}  // namespace vitrine::room
