// The report `vitrine info PYRAMID` prints: what a pyramid is, in a few lines.
#pragma once
#include <string>

#include "zoom/pyramid.h"

namespace vitrine::zoom {

// Path, format, size (and megapixels / gigapixels), levels (count, full and coarsest
// sizes), tile size and overlap, tile format, physical scale (mm per pixel and the whole
// image's size in mm or m, or "unknown"), colour profile. Lines end in '\n'.
std::string describe(const PyramidInfo& info);

}  // namespace vitrine::zoom
