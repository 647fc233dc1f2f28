#include "display/screens.h"

#include <algorithm>
#include <cmath>

namespace vitrine::display {

render::View to_view(const room::Frustum& f, const render::Rect& viewport) {
    render::View v;
    v.view = glm::mat4(f.view);
    v.proj = glm::mat4(f.proj);
    v.eye = glm::vec3(f.eye);
    v.viewport = viewport;
    return v;
}

std::vector<render::View> screen_views(const room::DisplayFile& d, const glm::dvec3& eye) {
    std::vector<render::View> views;
    for (const room::Screen& s : d.screens) {
        if (!s.planar) continue;
        render::Rect r{int32_t(s.region.x), int32_t(s.region.y), uint32_t(s.region.width), uint32_t(s.region.height)};
        render::View v = to_view(room::off_axis(s.pa, s.pb, s.pc, eye, d.viewer.near, d.viewer.far), r);
        v.quarter_turns = uint8_t((s.orientation.rotate / 90) & 3);
        v.flip_x = s.orientation.flip_x;
        v.flip_y = s.orientation.flip_y;
        v.overscan = kScreenOverscan;
        views.push_back(v);
    }
    return views;
}

glm::dvec2 picture_point(const render::View& v, glm::dvec2 p) {
    double wp = v.picture_width(), hp = v.picture_height();
    glm::dvec2 q = p;
    switch (v.quarter_turns & 3) {
        case 1: q = {p.y, hp - p.x}; break;
        case 2: q = {wp - p.x, hp - p.y}; break;
        case 3: q = {wp - p.y, p.x}; break;
        default: break;
    }
    if (v.flip_x) q.x = wp - q.x;
    if (v.flip_y) q.y = hp - q.y;
    return q;
}

bool pixel_ray(const render::View& v, double px, double py, glm::dvec3& origin, glm::dvec3& dir) {
    const render::Rect& r = v.viewport;
    if (px < r.x || py < r.y || px >= double(r.x) + r.width || py >= double(r.y) + r.height) return false;
    glm::dvec2 p = picture_point(v, {px - r.x, py - r.y});
    glm::dvec2 ndc(2 * p.x / v.picture_width() - 1, 2 * p.y / v.picture_height() - 1);
    glm::dmat4 inv = glm::inverse(glm::dmat4(v.proj) * glm::dmat4(v.view));
    glm::dvec4 a = inv * glm::dvec4(ndc, 0, 1), b = inv * glm::dvec4(ndc, 1, 1);
    origin = glm::dvec3(a) / a.w;
    dir = glm::normalize(glm::dvec3(b) / b.w - origin);
    return true;
}

std::vector<render::View> tile_views(std::span<const render::View> views, const render::Rect& tile) {
    std::vector<render::View> out;
    for (const render::View& v : views) {
        int64_t x0 = std::max<int64_t>(v.viewport.x, tile.x), y0 = std::max<int64_t>(v.viewport.y, tile.y);
        int64_t x1 = std::min<int64_t>(int64_t(v.viewport.x) + v.viewport.width, int64_t(tile.x) + tile.width);
        int64_t y1 = std::min<int64_t>(int64_t(v.viewport.y) + v.viewport.height, int64_t(tile.y) + tile.height);
        if (x1 <= x0 || y1 <= y0) continue;
        glm::dvec2 a = picture_point(v, {double(x0 - v.viewport.x), double(y0 - v.viewport.y)});
        glm::dvec2 b = picture_point(v, {double(x1 - v.viewport.x), double(y1 - v.viewport.y)});
        glm::dvec2 lo = glm::min(a, b), hi = glm::max(a, b);
        render::View t = v;
        t.proj = glm::mat4(room::crop(glm::dmat4(v.proj), v.picture_width(), v.picture_height(), lo.x, lo.y, hi.x - lo.x,
                                      hi.y - lo.y));
        t.viewport = {int32_t(x0 - tile.x), int32_t(y0 - tile.y), uint32_t(x1 - x0), uint32_t(y1 - y0)};
        out.push_back(t);
    }
    return out;
}

std::vector<render::View> fit_views(std::span<const render::View> views, uint32_t canvas_w, uint32_t canvas_h,
                                    uint32_t out_w, uint32_t out_h) {
    double s = std::min(double(out_w) / canvas_w, double(out_h) / canvas_h);
    double ox = std::floor((out_w - canvas_w * s) / 2), oy = std::floor((out_h - canvas_h * s) / 2);
    auto at = [&](double v, double o, uint32_t limit) { return std::clamp<int64_t>(int64_t(std::lround(o + v * s)), 0, limit); };
    std::vector<render::View> out;
    for (const render::View& v : views) {
        int64_t x0 = at(v.viewport.x, ox, out_w), x1 = at(double(v.viewport.x) + v.viewport.width, ox, out_w);
        int64_t y0 = at(v.viewport.y, oy, out_h), y1 = at(double(v.viewport.y) + v.viewport.height, oy, out_h);
        if (x1 <= x0 || y1 <= y0) continue;
        render::View f = v;
        f.viewport = {int32_t(x0), int32_t(y0), uint32_t(x1 - x0), uint32_t(y1 - y0)};
        out.push_back(f);
    }
    return out;
}

std::vector<render::View> quilt_views(const room::Lenticular& lkg, const room::QuiltCamera& camera) {
    std::vector<render::View> views;
    double aspect = room::panel_aspect(lkg);
    for (int64_t i = 0; i < lkg.views; ++i) {
        room::TileRect t = room::quilt_tile(lkg.quilt, i);
        views.push_back(to_view(room::quilt_view(lkg, camera, aspect, i),
                                {int32_t(t.x), int32_t(t.y), uint32_t(t.width), uint32_t(t.height)}));
    }
    return views;
}

}  // namespace vitrine::display
