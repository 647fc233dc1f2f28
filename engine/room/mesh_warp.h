// The warp of a curved (mesh) screen, on the CPU: each triangle of the screen's mesh
// is filled on the canvas where its UVs put it, with the eye picture (rendered through
// mesh_view's frustum) sampled where the eye sees that point of the surface, bilinearly
// in linear light. Positions across a triangle are affine in canvas pixels, so the eye's
// clip coordinates are interpolated linearly and divided per pixel.
#pragma once
#include "core/image.h"
#include "room/warp.h"

namespace vitrine::room {

// `canvas` and `picture` are 8-bit sRGB RGBA; `picture` is view.width x view.height.
void warp_mesh(Image8& canvas, const Screen& screen, const MeshView& view, const Image8& picture);

}  // namespace vitrine::room
