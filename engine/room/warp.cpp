#include "room/warp.h"

#include <algorithm>
#include <cmath>

namespace vitrine::room {

glm::dvec2 canvas_point(const Screen& screen, const glm::dvec2& uv) {
    const Region& r = screen.region;
    int rotate = ((screen.orientation.rotate % 360) + 360) % 360;
    bool quarter = rotate == 90 || rotate == 270;
    // The screen's own picture: the region's size before it was turned.
    double pw = double(quarter ? r.height : r.width), ph = double(quarter ? r.width : r.height);
    double x = uv.x * pw, y = uv.y * ph;
    if (screen.orientation.flip_x) x = pw - x;
    if (screen.orientation.flip_y) y = ph - y;
    glm::dvec2 p{x, y};                            // 0 (and anything else): as is
    if (rotate == 90) p = {ph - y, x};             // clockwise: the top-left corner goes top-right
    else if (rotate == 180) p = {pw - x, ph - y};
    else if (rotate == 270) p = {y, pw - x};
    return glm::dvec2(double(r.x), double(r.y)) + p;
}

MeshView mesh_view(const Screen& screen, const Viewer& viewer, double max_magnification, int64_t max_side) {
    MeshView out;
    const ScreenMesh& m = screen.mesh;
    if (m.positions.empty() || m.uvs.size() != m.positions.size() || max_magnification <= 0 || max_side < 1)
        return out;
    const glm::dvec3 eye = viewer.eye;

    // The picture plane faces the eye, perpendicular to the direction to the box centre.
    glm::dvec3 lo = m.positions[0], hi = m.positions[0];
    for (const auto& p : m.positions) {
        lo = glm::min(lo, p);
        hi = glm::max(hi, p);
    }
    glm::dvec3 to_centre = (lo + hi) * 0.5 - eye;
    double dist = glm::length(to_centre);
    if (!(dist > 0)) return out;
    glm::dvec3 dir = to_centre / dist;
    glm::dvec3 right = glm::cross(dir, glm::dvec3(0, 1, 0));
    if (glm::length(right) < 1e-6) right = glm::cross(dir, glm::dvec3(0, 0, -1));  // looking straight up or down
    right = glm::normalize(right);
    glm::dvec3 up = glm::cross(right, dir);

    // Every vertex projected from the eye onto the plane through the box centre.
    double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
    for (const auto& p : m.positions) {
        glm::dvec3 d = p - eye;
        double depth = glm::dot(d, dir);
        if (depth <= 1e-9 * dist) return out;  // at or behind the eye: no single frustum sees it
        double x = glm::dot(d, right) * dist / depth, y = glm::dot(d, up) * dist / depth;
        x0 = std::min(x0, x), x1 = std::max(x1, x);
        y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
    // 1% margin each side (at least a hair, so a mesh seen edge-on still has area).
    double mx = std::max((x1 - x0) * 0.01, 1e-6 * dist), my = std::max((y1 - y0) * 0.01, 1e-6 * dist);
    x0 -= mx, x1 += mx, y0 -= my, y1 += my;
    glm::dvec3 c = eye + dir * dist;
    glm::dvec3 pa = c + right * x0 + up * y0, pb = c + right * x1 + up * y0, pc = c + right * x0 + up * y1;
    out.frustum = off_axis(pa, pb, pc, eye, viewer.near, viewer.far);

    // Each vertex in the eye picture, as a fraction of its width and height.
    glm::dmat4 vp = out.frustum.proj * out.frustum.view;
    std::vector<glm::dvec2> pic(m.positions.size()), canvas(m.positions.size());
    for (size_t i = 0; i < m.positions.size(); ++i) {
        glm::dvec4 clip = vp * glm::dvec4(m.positions[i], 1);
        pic[i] = (glm::dvec2(clip) / clip.w + 1.0) * 0.5;
        canvas[i] = canvas_point(screen, m.uvs[i]);
    }
    // Square eye pixels: the picture is k*wx by k*wy pixels; each edge needs
    // k * |edge in picture fractions scaled by (wx, wy)| >= canvas length / max_magnification.
    double wx = x1 - x0, wy = y1 - y0;
    auto edges = [&](auto&& visit) {
        for (size_t t = 0; t + 2 < m.indices.size(); t += 3)
            for (int e = 0; e < 3; ++e) {
                uint32_t a = m.indices[t + e], b = m.indices[t + (e + 1) % 3];
                if (a >= pic.size() || b >= pic.size()) continue;
                visit(glm::length(canvas[a] - canvas[b]), pic[a] - pic[b]);
            }
    };
    double k = 0;
    edges([&](double canvas_len, glm::dvec2 d) {
        double unit = glm::length(d * glm::dvec2(wx, wy));
        if (unit > 1e-12 * std::max(wx, wy)) k = std::max(k, canvas_len / (max_magnification * unit));  // edge-on edges are skipped
    });
    if (!(k > 0)) k = 1 / std::max(wx, wy);  // no usable edge: a one-pixel picture
    int64_t w = std::max<int64_t>(1, int64_t(std::ceil(k * wx - 1e-9)));
    int64_t h = std::max<int64_t>(1, int64_t(std::ceil(k * wy - 1e-9)));
    if (std::max(w, h) > max_side) {
        double s = double(max_side) / double(std::max(w, h));
        w = std::clamp<int64_t>(int64_t(std::floor(double(w) * s + 1e-9)), 1, max_side);
        h = std::clamp<int64_t>(int64_t(std::floor(double(h) * s + 1e-9)), 1, max_side);
    }
    out.width = w;
    out.height = h;
    edges([&](double canvas_len, glm::dvec2 d) {
        double eye_len = glm::length(d * glm::dvec2(double(w), double(h)));
        if (eye_len > 1e-12 * double(std::max(w, h))) out.magnification = std::max(out.magnification, canvas_len / eye_len);
    });
    return out;
}

}  // namespace vitrine::room
