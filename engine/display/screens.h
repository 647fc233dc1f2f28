// The Views a display file asks for: one off-axis View per planar screen of a wall,
// each into its canvas region with its orientation; the same views narrowed to a tile
// of the canvas (canvases larger than the device's images are drawn tile by tile);
// and a lenticular panel's views, one per quilt tile.
#pragma once
#include <span>
#include <vector>

#include "render/view.h"
#include "room/display_file.h"
#include "room/quilt.h"

namespace vitrine::display {

// Every screen's picture is drawn this many pixels wider a side and cropped, so the
// edges of screens and tiles never show an effect's clamped border.
constexpr uint32_t kScreenOverscan = 16;

render::View to_view(const room::Frustum& f, const render::Rect& viewport);

// Planar screens only (mesh screens are drawn through the warp).
std::vector<render::View> screen_views(const room::DisplayFile& display, const glm::dvec3& eye);

// The parts of `views` (on a whole canvas) inside `tile`, as views of a tile-sized
// canvas: rectangles moved, projections narrowed to the part of the picture shown.
std::vector<render::View> tile_views(std::span<const render::View> views, const render::Rect& tile);

// The canvas scaled to fit an output of out_w x out_h (centred, aspect kept): each
// rectangle scaled so that neighbours still meet. Views that shrink to nothing are dropped.
std::vector<render::View> fit_views(std::span<const render::View> views, uint32_t canvas_w, uint32_t canvas_h,
                                    uint32_t out_w, uint32_t out_h);

// A point of a view's rectangle (continuous pixels from its top-left) on its picture:
// the clockwise quarter turns and flips undone (as the tone map pass reads it).
glm::dvec2 picture_point(const render::View& view, glm::dvec2 p);

// The ray (world space, `dir` normalised) through canvas pixel position (px, py) of a
// view's rectangle — a touch on a wall picks through the screen under it. False when the
// point is outside the rectangle.
bool pixel_ray(const render::View& view, double px, double py, glm::dvec3& origin, glm::dvec3& dir);

// One view per quilt tile, view 0 the bottom-left tile.
std::vector<render::View> quilt_views(const room::Lenticular& lkg, const room::QuiltCamera& camera);

}  // namespace vitrine::display
