// Curved (mesh) screens: the picture is rendered from the eye through a frustum that
// bounds the mesh as the eye sees it, then warped onto the canvas through the mesh's
// UVs (render/warp pass). The eye picture's size is chosen so that no canvas pixel is
// magnified more than `max_magnification` (1.2) from it.
#pragma once
#include <cstdint>

#include "room/display_file.h"
#include "room/projection.h"

namespace vitrine::room {

// The largest side of an eye picture: 16 Mpixel at most, ~1 GiB of render targets
// (the magnification then rises above the 2 x asked, up to the 1.2 x limit).
constexpr int64_t kMeshPictureSide = 4096;

struct MeshView {
    Frustum frustum;              // from the eye, its picture plane facing the mesh
    int64_t width = 0, height = 0;  // the eye picture, pixels (clamped to max_side)
    double magnification = 0;     // the largest canvas-pixels-per-eye-pixel left (> limit only when clamped)
};
MeshView mesh_view(const Screen& screen, const Viewer& viewer, double max_magnification = 1.2,
                   int64_t max_side = 16384);

// Where each mesh vertex lands on the canvas (pixels, y from the top) given the
// screen's region and orientation: the warp pass's vertex positions.
glm::dvec2 canvas_point(const Screen& screen, const glm::dvec2& uv);

}  // namespace vitrine::room
