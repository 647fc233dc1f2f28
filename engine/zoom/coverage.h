// Which pages a view needs: the CPU model of what the GPU's virtual-texture shader
// samples, so `vitrine view` can prefetch and tests can bound the working set. The
// shader (engine/render, the lead's) follows the same rule:
//
//   scale = max(region_w / screen_w, region_h / screen_h)   full-res pixels per screen
//                                                           pixel, the larger axis
//   lod   = log2(scale), clamped to [0, levels - 1]
//   trilinear: levels floor(lod) and floor(lod) + 1 (that one only while it exists and
//   the unclamped lod is > 0; at magnification, lod <= 0, level 0 alone)
//   a full-resolution coordinate X is X / 2^level in level `level` (vips dzsave's halving:
//   level pixel i covers full-resolution pixels [i 2^l, (i + 1) 2^l))
//   per level l: the pages (page.h: 248 content pixels each) holding level pixels
//   floor(X0 / 2^l - 1) .. ceil(X1 / 2^l + 1) - 1 across (and the same down), clamped to
//   the level -- the region widened by the one-texel footprint of the bilinear filter --
//   where X0 = max(x, 0), X1 = min(x + w, width): the region may reach past the image;
//   only its part on the image counts.
//
// For a 1920 x 1080 screen this is at most 17 x 10 pages of the finer level and 9 x 6 of
// the coarser, whatever the image's size, for pyramids that go down to 1 x 1 (derived in
// tests/unit/zoom_stream_test.cpp).
#pragma once
#include <cstdint>
#include <vector>

#include "zoom/geometry.h"
#include "zoom/page.h"

namespace vitrine::zoom {

// The view's level of detail before clamping (log2 of the scale above). screen_w and
// screen_h must be positive (a bug otherwise).
double view_lod(double region_w, double region_h, uint32_t screen_w, uint32_t screen_h);

// The pages of `image` (its `levels`, 0 = full resolution) a screen of screen_w x
// screen_h pixels showing the full-resolution region (x, y, w, h) needs: the coarser
// level's first, each level's row by row. Empty when the region misses the image or is
// empty, or the screen has no pixels.
std::vector<PageKey> pages_for_view(uint32_t image, const std::vector<LevelSize>& levels, double region_x,
                                    double region_y, double region_w, double region_h, uint32_t screen_w,
                                    uint32_t screen_h);

}  // namespace vitrine::zoom
