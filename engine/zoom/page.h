// Pages: the unit the GPU's virtual texture holds. A page is kPageContent x
// kPageContent pixels of one level of one pyramid plus a border of kPageBorder pixels
// of its neighbours (clamped at the image's edge), kPageSide x kPageSide in all, so
// bilinear and trilinear filtering cross page edges without seams. Pages are cut the
// same way from any pyramid, whatever its own tile size: a page is composed from the
// (up to 2 x 2 or more) source tiles it overlaps.
#pragma once
#include <cstdint>
#include <functional>

#include "zoom/geometry.h"

namespace vitrine::zoom {

constexpr uint32_t kPageContent = 248;
constexpr uint32_t kPageBorder = 4;
constexpr uint32_t kPageSide = kPageContent + 2 * kPageBorder;  // 256

// One page: which shown image (an index the caller assigns), which level (0 = full
// resolution), which page across and down.
struct PageKey {
    uint32_t image = 0;
    uint32_t level = 0;
    uint32_t x = 0, y = 0;
    bool operator==(const PageKey&) const = default;
    auto operator<=>(const PageKey&) const = default;
};

struct PageKeyHash {
    size_t operator()(const PageKey& k) const {
        uint64_t h = (uint64_t(k.image) << 40) ^ (uint64_t(k.level) << 34) ^ (uint64_t(k.x) << 17) ^ uint64_t(k.y);
        return std::hash<uint64_t>{}(h * 0x9E3779B97F4A7C15ull);
    }
};

inline uint32_t pages_across(uint32_t pixels) { return (pixels + kPageContent - 1) / kPageContent; }

// The parent page (one level coarser) holding this page's content.
inline PageKey parent_page(const PageKey& k) { return {k.image, k.level + 1, k.x / 2, k.y / 2}; }

}  // namespace vitrine::zoom
