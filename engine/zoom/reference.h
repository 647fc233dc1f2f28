// The reference picture of a pyramid view, on the CPU, with no pages: what a screen of
// width x height pixels showing the full-resolution region (x, y, w, h) should hold, by
// the virtual texture's own filtering rule (shaders/vt.glsl, zoom/coverage.h): level of
// detail log2(image pixels per screen pixel), the two levels around it, each sampled
// bilinearly at pixel centres (full-resolution X is X / 2^level there; edges clamped) in
// linear light, mixed by the fraction. Tests compare GPU renders with it: a seam at a
// page or tile border shows up as a difference.
#pragma once
#include <glm/glm.hpp>

#include "core/image.h"
#include "core/result.h"
#include "zoom/pyramid.h"

namespace vitrine::zoom {

// Over opaque black (as `vitrine render PYRAMID` draws): outside the image it is black.
Result<Image8> reference_view(const Pyramid& pyramid, const glm::dvec4& region, uint32_t width, uint32_t height);

}  // namespace vitrine::zoom
