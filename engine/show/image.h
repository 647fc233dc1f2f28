// Image nodes' geometry: where a pixel of a tile pyramid lies on its frame, which pixel a
// ray meets, magnification, and the regions a magnification move (`zoom_to`) passes
// through. Pixel coordinates are continuous, y down: pixel (i, j) covers [i, i+1) x
// [j, j+1), its centre is (i + 0.5, j + 0.5). A frame is `size` metres in its node's XY
// plane, centred on the origin, facing +Z; frame point (u, v) in [0,1]^2 (v down) lies at
// ((u-0.5)*size.x, (0.5-v)*size.y, 0) and shows pixel region.xy + (u, v) * region.zw.
#pragma once
#include <optional>
#include <vector>

#include <glm/glm.hpp>

#include "show/frame.h"
#include "show/scene_file.h"

namespace vitrine::zoom {
struct PyramidInfo;
}

namespace vitrine::show {

// Two aspects closer than this (relative) are the same: pixels stay square enough.
constexpr double kAspectTolerance = 0.001;

// The frame's size when the file gives none (metres): the image's physical size when its
// scale is known, else 1 m wide with the image's aspect.
glm::vec2 default_image_size(const zoom::PyramidInfo& info);
// The whole image of width x height pixels, widened (or made taller) about its centre to
// `aspect` (frame width / height), so that pixels stay square.
glm::dvec4 fit_region(double width, double height, double aspect);
// `region` with its height made width / aspect about the same centre.
glm::dvec4 square_region(const glm::dvec4& region, double aspect);
// Whether the region's aspect is within kAspectTolerance of `aspect`.
bool region_fits_aspect(const glm::dvec4& region, double aspect);

// The frame-local position (metres, z = 0) of an image pixel.
glm::dvec3 image_local(const glm::vec2& size, const glm::dvec4& region, const glm::dvec2& pixel);
// World position of an image pixel: in double (exact enough at any zoom) and as float.
glm::dvec3 image_position(const FrameImage& image, const glm::dvec2& pixel);
glm::vec3 image_point(const FrameImage& image, const glm::dvec2& pixel);

struct ImageHit {
    glm::dvec2 pixel{0};   // the image pixel shown there
    glm::dvec3 local{0};   // on the frame, metres
    double t = 0;          // along the ray, in units of |dir|
};
// Where a ray (world; `dir` need not be normalised) meets the frame, from either side;
// nothing when it misses the frame, runs parallel to it or points away from it.
std::optional<ImageHit> hit_image(const FrameImage& image, const glm::dvec3& origin, const glm::dvec3& dir);
// The image pixel the ray shows, when it meets the frame (pixels outside the image too).
std::optional<glm::dvec2> image_pixel(const FrameImage& image, const glm::dvec3& origin, const glm::dvec3& dir);

// Times actual size: (size.x * 1000 / region.w) / mm_per_pixel (the node's scale is not
// counted); 0 when the pyramid's scale is unknown.
double magnification(const FrameImage& image);
double magnification(const glm::vec2& size, const glm::dvec4& region, double mm_per_pixel);

// The magnification move from region `a` to `b` at u: the width (and height) in log scale,
// linear in u (constant perceived speed), the centre such that the fixed point of the
// similarity taking `a` to `b` stays put on the frame; equal widths pan linearly.
// u <= 0 gives `a`, u >= 1 gives `b`, exactly.
glm::dvec4 zoom_between(const glm::dvec4& a, const glm::dvec4& b, double u);
// Where a move starting from `from` ends: its region, or `from` with the move's centre and
// width for its magnification (a magnification needs mm_per_pixel > 0, else it is ignored).
glm::dvec4 zoom_target(const ZoomMove& move, const glm::dvec4& from, const glm::vec2& size, double mm_per_pixel);
// A `zoom_to` track at timeline time t: the moves in order, the first starting from `below`
// (the region the layers under the track give), each next from where the one before ended.
glm::dvec4 sample_zoom(const std::vector<ZoomMove>& moves, double t, const glm::dvec4& below, const glm::vec2& size,
                       double mm_per_pixel);

}  // namespace vitrine::show
