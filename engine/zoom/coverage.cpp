#include "zoom/coverage.h"

#include <algorithm>
#include <cmath>

#include "core/result.h"

namespace vitrine::zoom {

double view_lod(double region_w, double region_h, uint32_t screen_w, uint32_t screen_h) {
    VITRINE_CHECK(screen_w > 0 && screen_h > 0);
    return std::log2(std::max(region_w / screen_w, region_h / screen_h));
}

std::vector<PageKey> pages_for_view(uint32_t image, const std::vector<LevelSize>& levels, double region_x,
                                    double region_y, double region_w, double region_h, uint32_t screen_w,
                                    uint32_t screen_h) {
    std::vector<PageKey> pages;
    if (levels.empty() || !screen_w || !screen_h) return pages;
    if (!std::isfinite(region_x) || !std::isfinite(region_y) || !(region_w > 0) || !(region_h > 0) ||
        !std::isfinite(region_w) || !std::isfinite(region_h))
        return pages;
    // Only the part of the region on the image counts.
    const double x0 = std::max(region_x, 0.0), x1 = std::min(region_x + region_w, double(levels[0].width));
    const double y0 = std::max(region_y, 0.0), y1 = std::min(region_y + region_h, double(levels[0].height));
    if (x0 >= x1 || y0 >= y1) return pages;

    const uint32_t top = uint32_t(levels.size() - 1);
    const double lod = view_lod(region_w, region_h, screen_w, screen_h);
    uint32_t fine = 0, last = 0;  // levels fine..last, coarser first below
    if (lod > 0) {
        fine = uint32_t(std::floor(std::min(lod, double(top))));
        last = std::min(fine + 1, top);
    }

    for (uint32_t level = last + 1; level-- > fine;) {
        const double s = std::ldexp(1.0, int(level));
        const LevelSize size = levels[level];
        // Level pixels the filter touches: the region widened by one texel, clamped.
        auto span = [&](double a, double b, uint32_t pixels, uint32_t* first, uint32_t* end) {
            double lo = std::clamp(std::floor(a / s - 1), 0.0, double(pixels - 1));
            double hi = std::clamp(std::ceil(b / s + 1), lo + 1, double(pixels));
            *first = uint32_t(lo) / kPageContent;
            *end = (uint32_t(hi) - 1) / kPageContent + 1;
        };
        uint32_t px0, px1, py0, py1;
        span(x0, x1, size.width, &px0, &px1);
        span(y0, y1, size.height, &py0, &py1);
        for (uint32_t y = py0; y < py1; ++y)
            for (uint32_t x = px0; x < px1; ++x) pages.push_back({image, level, x, y});
    }
    return pages;
}

}  // namespace vitrine::zoom
