// Image nodes' geometry (image.h), in double precision: at 22x on a gigapixel scan a
// float's 24 bits no longer place a pixel.
#include "show/image.h"

#include <algorithm>
#include <cmath>

#include "zoom/pyramid.h"

namespace vitrine::show {

glm::vec2 default_image_size(const zoom::PyramidInfo& info) {
    double w = std::max(1u, info.width), h = std::max(1u, info.height);
    if (info.mm_per_pixel > 0) return glm::vec2(w * info.mm_per_pixel / 1000.0, h * info.mm_per_pixel / 1000.0);
    return glm::vec2(1.0, h / w);
}

glm::dvec4 fit_region(double width, double height, double aspect) {
    if (!(aspect > 0) || !(width > 0) || !(height > 0)) return {0, 0, std::max(width, 1.0), std::max(height, 1.0)};
    if (width / height < aspect) {  // narrower than the frame: wider, centred
        double w = height * aspect;
        return {(width - w) / 2, 0, w, height};
    }
    double h = width / aspect;
    return {0, (height - h) / 2, width, h};
}

glm::dvec4 square_region(const glm::dvec4& r, double aspect) {
    if (!(aspect > 0)) return r;
    double h = r.z / aspect;
    return {r.x, r.y + (r.w - h) / 2, r.z, h};
}

bool region_fits_aspect(const glm::dvec4& r, double aspect) {
    if (!(r.z > 0 && r.w > 0 && aspect > 0)) return false;
    return std::fabs((r.z / r.w) / aspect - 1.0) <= kAspectTolerance;
}

glm::dvec3 image_local(const glm::vec2& size, const glm::dvec4& region, const glm::dvec2& pixel) {
    double u = (pixel.x - region.x) / region.z, v = (pixel.y - region.y) / region.w;
    return {(u - 0.5) * double(size.x), (0.5 - v) * double(size.y), 0.0};
}

glm::dvec3 image_position(const FrameImage& image, const glm::dvec2& pixel) {
    glm::dmat4 world(image.world);
    return glm::dvec3(world * glm::dvec4(image_local(image.size, image.region, pixel), 1.0));
}

glm::vec3 image_point(const FrameImage& image, const glm::dvec2& pixel) { return glm::vec3(image_position(image, pixel)); }

std::optional<ImageHit> hit_image(const FrameImage& image, const glm::dvec3& origin, const glm::dvec3& dir) {
    if (!(image.size.x > 0 && image.size.y > 0 && image.region.z > 0 && image.region.w > 0)) return std::nullopt;
    glm::dmat4 inv = glm::inverse(glm::dmat4(image.world));
    glm::dvec3 o(inv * glm::dvec4(origin, 1.0)), d(inv * glm::dvec4(dir, 0.0));
    if (!std::isfinite(o.z) || std::fabs(d.z) < 1e-300) return std::nullopt;
    double t = -o.z / d.z;
    if (!(t >= 0) || !std::isfinite(t)) return std::nullopt;
    glm::dvec3 p = o + t * d;
    double u = p.x / double(image.size.x) + 0.5, v = 0.5 - p.y / double(image.size.y);
    if (!(u >= 0 && u <= 1 && v >= 0 && v <= 1)) return std::nullopt;
    ImageHit hit;
    hit.pixel = {image.region.x + u * image.region.z, image.region.y + v * image.region.w};
    hit.local = {p.x, p.y, 0.0};
    hit.t = t;
    return hit;
}

std::optional<glm::dvec2> image_pixel(const FrameImage& image, const glm::dvec3& origin, const glm::dvec3& dir) {
    auto hit = hit_image(image, origin, dir);
    if (!hit) return std::nullopt;
    return hit->pixel;
}

double magnification(const glm::vec2& size, const glm::dvec4& region, double mm_per_pixel) {
    if (!(mm_per_pixel > 0) || !(region.z > 0)) return 0;
    return (double(size.x) * 1000.0 / region.z) / mm_per_pixel;
}

double magnification(const FrameImage& image) {
    if (!image.pyramid) return 0;
    return magnification(image.size, image.region, image.pyramid->info().mm_per_pixel);
}

glm::dvec4 zoom_between(const glm::dvec4& a, const glm::dvec4& b, double u) {
    if (!(u > 0)) return a;
    if (u >= 1) return b;
    glm::dvec2 c0(a.x + a.z / 2, a.y + a.w / 2), c1(b.x + b.z / 2, b.y + b.w / 2);
    double w0 = a.z, w1 = b.z, h0 = a.w, h1 = b.w;
    double w, h, k;
    bool sizes_ok = w0 > 0 && w1 > 0 && h0 > 0 && h1 > 0;
    if (sizes_ok && std::fabs(w0 - w1) > 1e-12 * std::max(w0, w1)) {
        // log w(u) = lerp(log w0, log w1, u); the centre moves with the scale so that the
        // similarity's fixed point p* (c0 + w0 k* = c1 + w1 k*) keeps its frame position.
        w = w0 * std::pow(w1 / w0, u);
        h = h0 * std::pow(h1 / h0, u);
        k = (w0 - w) / (w0 - w1);
    } else {  // a pan (or a degenerate region: plain linear)
        w = w0 + (w1 - w0) * u;
        h = h0 + (h1 - h0) * u;
        k = u;
    }
    glm::dvec2 c = c0 + (c1 - c0) * k;
    return {c.x - w / 2, c.y - h / 2, w, h};
}

glm::dvec4 zoom_target(const ZoomMove& m, const glm::dvec4& from, const glm::vec2& size, double mm_per_pixel) {
    if (m.has_region) return m.region;
    glm::dvec2 c(from.x + from.z / 2, from.y + from.w / 2);
    double w = from.z, h = from.w;
    if (m.has_centre) c = m.centre;
    if (m.has_magnification && m.magnification > 0 && mm_per_pixel > 0 && size.x > 0 && size.y > 0) {
        w = double(size.x) * 1000.0 / (m.magnification * mm_per_pixel);
        h = w * double(size.y) / double(size.x);
    }
    return {c.x - w / 2, c.y - h / 2, w, h};
}

glm::dvec4 sample_zoom(const std::vector<ZoomMove>& moves, double t, const glm::dvec4& below, const glm::vec2& size,
                       double mm_per_pixel) {
    glm::dvec4 r = below;
    for (const ZoomMove& m : moves) {
        if (t < m.at) break;
        glm::dvec4 target = zoom_target(m, r, size, mm_per_pixel);
        double u = m.duration > 0 ? (t - m.at) / m.duration : 1.0;
        if (u >= 1) {
            r = target;
            continue;
        }
        r = zoom_between(r, target, u);
        break;
    }
    return r;
}

}  // namespace vitrine::show
