// Streaming pyramids into the page atlas, on the CPU: pages composed from source tiles,
// the pages a view needs, the atlas's residency (eviction, pinning, fades), the loader.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "zoom/compose.h"
#include "zoom/coverage.h"
#include "zoom/loader.h"
#include "zoom/page.h"
#include "zoom/procedural.h"
#include "zoom/pyramid.h"
#include "zoom/residency.h"

using namespace vitrine;
using namespace vitrine::zoom;

namespace {

// A made-up pyramid: every pixel of every level a hash of (level, x, y), cut into tiles of
// any size and overlap. Tiles can be broken, slowed down, or held at a gate.
class FakePyramid : public Pyramid {
public:
    FakePyramid(uint32_t width, uint32_t height, uint32_t tile_w, uint32_t tile_h, uint32_t overlap) {
        info_.path = "fake_" + std::to_string(width) + "x" + std::to_string(height) + ".dzi";
        info_.format = PyramidFormat::Procedural;
        info_.width = width;
        info_.height = height;
        info_.tile_width = tile_w;
        info_.tile_height = tile_h;
        info_.overlap = overlap;
        info_.levels = halving_levels(width, height);
        info_.tile_format = "fake";
    }
    const PyramidInfo& info() const override { return info_; }

    static std::array<uint8_t, 4> pixel(uint32_t level, uint32_t x, uint32_t y) {
        uint32_t h = x * 0x9E3779B1u ^ (y + 0x632BE5ABu) * 0x85EBCA77u ^ (level + 1) * 0xC2B2AE3Du;
        h ^= h >> 15;
        h *= 0x2C1B3C6Du;
        h ^= h >> 12;
        return {uint8_t(h), uint8_t(h >> 8), uint8_t(h >> 16), uint8_t(h >> 24)};
    }

    Result<Image8> read_tile(uint32_t level, uint32_t col, uint32_t row) const override {
        reads_.fetch_add(1);
        {
            std::unique_lock lock(mutex_);
            ++per_tile_[{level, col, row}];
            if (gate_closed_) {
                ++at_gate_;
                changed_.notify_all();
                changed_.wait(lock, [&] { return !gate_closed_; });
            }
        }
        if (delay_ms_) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_));
        if (broken_.count({level, col, row}))
            return fail(info_.path + ": " + std::to_string(level) + "/" + std::to_string(col) + "_" +
                        std::to_string(row) + ".jpg: corrupt JPEG data");
        PixelRect r = tile_pixels(level, col, row);
        Image8 tile{r.width, r.height, std::vector<uint8_t>(size_t(r.width) * r.height * 4)};
        for (uint32_t y = 0; y < r.height; ++y)
            for (uint32_t x = 0; x < r.width; ++x) {
                auto p = pixel(level, r.x + x, r.y + y);
                std::memcpy(&tile.rgba[(size_t(y) * r.width + x) * 4], p.data(), 4);
            }
        return tile;
    }

    void breaks(uint32_t level, uint32_t col, uint32_t row) { broken_.insert({level, col, row}); }
    void set_delay_ms(int ms) { delay_ms_ = ms; }
    void close_gate() {
        std::lock_guard lock(mutex_);
        gate_closed_ = true;
    }
    void open_gate() {
        std::lock_guard lock(mutex_);
        gate_closed_ = false;
        changed_.notify_all();
    }
    void wait_at_gate(int readers) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return at_gate_ >= readers; });
    }
    uint64_t reads() const { return reads_.load(); }
    int max_reads_of_one_tile() const {
        std::lock_guard lock(mutex_);
        int most = 0;
        for (auto& [tile, n] : per_tile_) most = std::max(most, n);
        return most;
    }

private:
    using TileId = std::tuple<uint32_t, uint32_t, uint32_t>;
    PyramidInfo info_;
    std::set<TileId> broken_;
    int delay_ms_ = 0;
    mutable std::atomic<uint64_t> reads_{0};
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    mutable std::map<TileId, int> per_tile_;
    mutable int at_gate_ = 0;
    bool gate_closed_ = false;
};

// The page as the contract defines it, one pixel at a time.
Image8 expected_page(const FakePyramid& p, uint32_t level, uint32_t px, uint32_t py) {
    LevelSize size = p.info().levels[level];
    Image8 page{kPageSide, kPageSide, std::vector<uint8_t>(kPageSide * kPageSide * 4)};
    for (uint32_t j = 0; j < kPageSide; ++j)
        for (uint32_t i = 0; i < kPageSide; ++i) {
            int64_t x = std::clamp<int64_t>(int64_t(px) * kPageContent - kPageBorder + i, 0, size.width - 1);
            int64_t y = std::clamp<int64_t>(int64_t(py) * kPageContent - kPageBorder + j, 0, size.height - 1);
            auto v = FakePyramid::pixel(level, uint32_t(x), uint32_t(y));
            std::memcpy(&page.rgba[(size_t(j) * kPageSide + i) * 4], v.data(), 4);
        }
    return page;
}

// Empty string when equal; else where the first difference is.
std::string page_difference(const Image8& got, const Image8& want) {
    if (got.width != want.width || got.height != want.height || got.rgba.size() != want.rgba.size())
        return "size " + std::to_string(got.width) + "x" + std::to_string(got.height);
    for (size_t i = 0; i < got.rgba.size(); ++i)
        if (got.rgba[i] != want.rgba[i])
            return "pixel " + std::to_string(i / 4 % got.width) + "," + std::to_string(i / 4 / got.width);
    return "";
}

void expect_page_exact(const FakePyramid& p, TileCache& cache, uint32_t level, uint32_t px, uint32_t py) {
    Result<Image8> page = compose_page(p, cache, level, px, py);
    ASSERT_TRUE(page.ok()) << page.error().message;
    EXPECT_EQ(page_difference(page.value(), expected_page(p, level, px, py)), "")
        << p.info().path << " tile " << p.info().tile_width << "x" << p.info().tile_height << "/"
        << p.info().overlap << ", page " << level << "/" << px << "," << py;
}

size_t resident_set_bytes() {
    std::ifstream statm("/proc/self/statm");
    size_t total = 0, resident = 0;
    statm >> total >> resident;
    return resident * size_t(sysconf(_SC_PAGESIZE));
}

}  // namespace

// ---- compose_page ----

TEST(ZoomStreamCompose, PagesEqualDirectPixelReadsForEveryTiling) {
    // Odd level sizes; dzsave's 254/1 and 256/0, small tiles (a page spans 3 x 3 of them),
    // non-square tiles (IIIF) with a wide overlap.
    const std::vector<std::array<uint32_t, 5>> cases = {
        {1000, 777, 254, 254, 1}, {1000, 777, 256, 256, 0}, {513, 1201, 100, 100, 2}, {700, 301, 200, 120, 3}};
    for (auto [w, h, tw, th, overlap] : cases) {
        FakePyramid p(w, h, tw, th, overlap);
        TileCache cache;
        const auto& levels = p.info().levels;
        // Every page of the two finest levels: interior and edge pages (clamped borders).
        for (uint32_t level = 0; level < 2; ++level)
            for (uint32_t y = 0; y < pages_across(levels[level].height); ++y)
                for (uint32_t x = 0; x < pages_across(levels[level].width); ++x)
                    expect_page_exact(p, cache, level, x, y);
        // The small levels down to 1 x 1: one page each, mostly border.
        for (uint32_t level = 2; level < levels.size(); ++level) expect_page_exact(p, cache, level, 0, 0);
        EXPECT_EQ(levels.back(), (LevelSize{1, 1}));
    }
}

TEST(ZoomStreamCompose, OneByOneLevelIsTheSinglePixelEverywhere) {
    FakePyramid p(300, 200, 254, 254, 1);
    TileCache cache;
    uint32_t top = uint32_t(p.info().levels.size() - 1);
    Result<Image8> page = compose_page(p, cache, top, 0, 0);
    ASSERT_TRUE(page.ok()) << page.error().message;
    auto v = FakePyramid::pixel(top, 0, 0);
    for (size_t i = 0; i < page->rgba.size(); i += 4) ASSERT_EQ(std::memcmp(&page->rgba[i], v.data(), 4), 0) << i / 4;
}

TEST(ZoomStreamCompose, MissingTileIsAnErrorNamingItAndIsRemembered) {
    FakePyramid p(1000, 1000, 254, 254, 1);
    p.breaks(0, 1, 1);
    TileCache cache;
    // Page 1,1 (level pixels 244..500) overlaps tiles 0..1 of both axes.
    Result<Image8> page = compose_page(p, cache, 0, 1, 1);
    ASSERT_FALSE(page.ok());
    const std::string& message = page.error().message;
    EXPECT_NE(message.find("fake_1000x1000.dzi: tile 1,1 of level 0"), std::string::npos) << message;
    EXPECT_NE(message.find("0/1_1.jpg: corrupt JPEG data"), std::string::npos) << message;
    // The failure is remembered: asking again reads nothing.
    uint64_t reads = p.reads();
    EXPECT_FALSE(compose_page(p, cache, 0, 1, 1).ok());
    EXPECT_EQ(p.reads(), reads);
    // Pages clear of the broken tile are fine; page 3,3 (pixels 740..996) never touches it.
    expect_page_exact(p, cache, 0, 3, 3);
    expect_page_exact(p, cache, 1, 0, 0);
}

TEST(ZoomStreamCompose, TileCacheStaysWithinItsBudgetAndReadsEachTileOnce) {
    FakePyramid p(4000, 3000, 254, 254, 1);
    const size_t tile_bytes = 256 * 256 * 4;
    {
        TileCache small(6 * tile_bytes);
        for (uint32_t y = 0; y < 5; ++y)
            for (uint32_t x = 0; x < 8; ++x) {
                ASSERT_TRUE(compose_page(p, small, 0, x, y).ok());
                EXPECT_LE(small.bytes(), small.max_bytes());
            }
        EXPECT_GT(small.tiles(), 0u);
        EXPECT_LE(small.tiles(), 6u);
    }
    // A cache large enough: four threads composing overlapping pages read each tile once.
    FakePyramid fresh(4000, 3000, 254, 254, 1);
    TileCache big;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (uint32_t y = 0; y < 6; ++y)
                for (uint32_t x = 0; x < 8; ++x) EXPECT_TRUE(compose_page(fresh, big, 0, (x + t) % 8, y).ok());
        });
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(fresh.max_reads_of_one_tile(), 1) << "a tile was read twice although it stayed cached";
    EXPECT_EQ(big.reads(), fresh.reads());
    EXPECT_EQ(big.reads(), 8u * 6u);  // level pixels 0..1987 x 0..1491: tiles 0..7 x 0..5
    big.forget(fresh);
    EXPECT_EQ(big.tiles(), 0u);
    EXPECT_EQ(big.bytes(), 0u);
}

TEST(ZoomStreamCompose, ProceduralPagesEqualItsPixels) {
    auto opened = open_pyramid("procedural:pattern:3001x2003");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    const Pyramid& p = *opened.value();
    const auto& levels = p.info().levels;
    TileCache cache;
    // Interior, the far edge (clamped), a coarser level's corner, and the 1 x 1 level.
    const std::vector<PageKey> pages = {
        {0, 0, 0, 0}, {0, 0, 5, 3}, {0, 0, 12, 8}, {0, 1, 6, 4}, {0, uint32_t(levels.size() - 1), 0, 0}};
    for (const PageKey& k : pages) {
        Result<Image8> page = compose_page(p, cache, k.level, k.x, k.y);
        ASSERT_TRUE(page.ok()) << page.error().message;
        const LevelSize size = levels[k.level];
        // The pattern is slow to evaluate: the borders and every 9th row and column.
        auto sampled = [](uint32_t v) { return v < 2 * kPageBorder || v >= kPageSide - 2 * kPageBorder || v % 9 == 0; };
        for (uint32_t j = 0; j < kPageSide; ++j)
            for (uint32_t i = 0; i < kPageSide; ++i) {
                if (!sampled(i) || !sampled(j)) continue;
                int64_t x = std::clamp<int64_t>(int64_t(k.x) * kPageContent - kPageBorder + i, 0, size.width - 1);
                int64_t y = std::clamp<int64_t>(int64_t(k.y) * kPageContent - kPageBorder + j, 0, size.height - 1);
                auto want = procedural_pixel("pattern", 3001, 2003, k.level, uint32_t(x), uint32_t(y));
                const uint8_t* got = &page->rgba[(size_t(j) * kPageSide + i) * 4];
                ASSERT_TRUE(got[0] == want[0] && got[1] == want[1] && got[2] == want[2] && got[3] == 255)
                    << "page " << k.level << "/" << k.x << "," << k.y << " pixel " << i << "," << j;
            }
    }
}

// ---- coverage: the pages a view needs ----

namespace {

struct Counted {
    std::map<uint32_t, size_t> per_level;
    std::map<uint32_t, std::pair<uint32_t, uint32_t>> across, down;  // per level: first, last page
    size_t total = 0;
};

Counted count(const std::vector<PageKey>& pages) {
    Counted c;
    for (const PageKey& k : pages) {
        ++c.per_level[k.level];
        auto widen = [](auto& span, uint32_t level, uint32_t v) {
            auto [it, added] = span.try_emplace(level, v, v);
            it->second = {std::min(it->second.first, v), std::max(it->second.second, v)};
        };
        widen(c.across, k.level, k.x);
        widen(c.down, k.level, k.y);
    }
    c.total = pages.size();
    return c;
}

}  // namespace

TEST(ZoomStreamCoverage, PagesForA1080pViewAreBoundedWhateverTheImageSize) {
    // Bound. lod = log2(s) with s = max(w / 1920, h / 1080) full-res pixels per screen
    // pixel; the finer level f = floor(lod) has 2^f <= s < 2^(f+1), so the region spans
    // w / 2^f = 1920 * (w / (1920 s)) * (s / 2^f) < 1920 * 1 * 2 texels across (and
    // < 1080 * 2 down), plus the filter's texel each side and the rounding outward of
    // floor/ceil: n < 3840 + 4 texels. n consecutive texels touch at most
    // floor((n - 1) / 248) + 2 pages: 17 across (10 down) <= ceil(1920 * 2 / 248) + 2 = 18
    // (ceil(1080 * 2 / 248) + 2 = 11). The coarser level has half the texels:
    // <= ceil(1920 / 248) + 2 = 10 across, ceil(1080 / 248) + 2 = 7 down.
    // At magnification (lod <= 0) only level 0, < 1920 texels across: within the same bound.
    const size_t fine_bound = size_t(std::ceil(1920.0 * 2 / 248) + 2) * size_t(std::ceil(1080.0 * 2 / 248) + 2);
    const size_t coarse_bound = size_t(std::ceil(1920.0 / 248) + 2) * size_t(std::ceil(1080.0 / 248) + 2);
    ASSERT_EQ(fine_bound, 198u);
    ASSERT_EQ(coarse_bound, 70u);

    std::vector<size_t> most;
    for (uint32_t side : {20000u, 100000u}) {
        auto source = open_pyramid("procedural:pattern:" + std::to_string(side) + "x" + std::to_string(side));
        ASSERT_TRUE(source.ok()) << source.error().message;
        const std::vector<LevelSize>& levels = source.value()->info().levels;
        ASSERT_EQ(levels, halving_levels(side, side));
        std::mt19937_64 rng(8 + side);
        std::uniform_real_distribution<double> unit(0, 1);
        size_t most_total = 0;
        for (int view = 0; view < 4000; ++view) {
            // Zooms from 8 screen pixels per image pixel to far past the whole image;
            // some views with a region aspect unlike the screen's (non-square pixels).
            double s = std::exp2(-3 + unit(rng) * (std::log2(double(side)) - 3));
            double aspect = view % 4 == 0 ? std::exp2(unit(rng) * 4 - 2) : 1.0;
            double w = 1920 * s * std::min(1.0, aspect), h = 1080 * s * std::min(1.0, 1 / aspect);
            double x = unit(rng) * (side + w) - w, y = unit(rng) * (side + h) - h;  // partly off the image too
            auto pages = pages_for_view(0, levels, x, y, w, h, 1920, 1080);
            Counted c = count(pages);
            double lod = view_lod(w, h, 1920, 1080);
            uint32_t fine = lod <= 0 ? 0 : uint32_t(std::min<double>(std::floor(lod), levels.size() - 1));
            for (auto [level, n] : c.per_level) {
                ASSERT_TRUE(level == fine || level == fine + 1) << "level " << level << " at lod " << lod;
                ASSERT_LE(n, level == fine ? fine_bound : coarse_bound) << "level " << level << " at lod " << lod;
                // The tighter per-axis counts derived above (coverage.h quotes them).
                uint32_t cols = c.across[level].second - c.across[level].first + 1;
                uint32_t rows = c.down[level].second - c.down[level].first + 1;
                ASSERT_EQ(size_t(cols) * rows, n);
                ASSERT_LE(cols, level == fine ? 17u : 9u) << "lod " << lod;
                ASSERT_LE(rows, level == fine ? 10u : 6u) << "lod " << lod;
            }
            if (lod <= 0) { ASSERT_LE(c.per_level.size(), 1u); }
            ASSERT_LE(c.total, fine_bound + coarse_bound);
            most_total = std::max(most_total, c.total);
        }
        most.push_back(most_total);
        EXPECT_GT(most_total, 100u) << "the random views should come near the bound";
    }
    // The working set does not grow with the image.
    EXPECT_LE(most[0], fine_bound + coarse_bound);
    EXPECT_LE(most[1], fine_bound + coarse_bound);
}

TEST(ZoomStreamCoverage, EveryScreenPixelsSampleLiesInAListedPage) {
    auto levels = halving_levels(20000, 15000);
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> unit(0, 1);
    for (int view = 0; view < 40; ++view) {
        double s = std::exp2(-2 + unit(rng) * 9);
        double w = 640 * s, h = 360 * s, x = unit(rng) * 20000 - w / 2, y = unit(rng) * 15000 - h / 2;
        auto pages = pages_for_view(0, levels, x, y, w, h, 640, 360);
        std::set<PageKey> listed(pages.begin(), pages.end());
        double lod = view_lod(w, h, 640, 360);
        uint32_t fine = lod <= 0 ? 0 : uint32_t(std::min<double>(std::floor(lod), levels.size() - 1));
        uint32_t coarse = lod <= 0 ? 0 : std::min<uint32_t>(fine + 1, uint32_t(levels.size() - 1));
        for (uint32_t level : {fine, coarse}) {
            double scale = std::exp2(level);
            for (uint32_t sy = 0; sy < 360; sy += 7)
                for (uint32_t sx = 0; sx < 640; sx += 7) {
                    double fx = x + (sx + 0.5) * w / 640, fy = y + (sy + 0.5) * h / 360;
                    if (fx < 0 || fy < 0 || fx >= 20000 || fy >= 15000) continue;
                    // The bilinear footprint's texels, and so the pages holding them.
                    const LevelSize size = levels[level];
                    for (double dx : {-0.5, 0.5})
                        for (double dy : {-0.5, 0.5}) {
                            int64_t tx = std::clamp<int64_t>(int64_t(std::floor(fx / scale + dx)), 0, size.width - 1);
                            int64_t ty = std::clamp<int64_t>(int64_t(std::floor(fy / scale + dy)), 0, size.height - 1);
                            PageKey k{0, level, uint32_t(tx / kPageContent), uint32_t(ty / kPageContent)};
                            ASSERT_TRUE(listed.count(k))
                                << "view " << view << " level " << level << " page " << k.x << "," << k.y;
                        }
                }
        }
    }
    EXPECT_TRUE(pages_for_view(0, levels, 30000, 0, 100, 100, 640, 360).empty());  // off the image
    EXPECT_TRUE(pages_for_view(0, levels, 0, 0, 0, 100, 640, 360).empty());        // empty region
}

// ---- Residency ----

static_assert(make_entry(0, 255) == ((255u << 16) | 1u));
static_assert(entry_resident(make_entry(0, 0)) && !entry_resident(kEntryNotResident));
static_assert(entry_slot(make_entry(65534, 17)) == 65534 && entry_fade(make_entry(65534, 17)) == 17);

TEST(ZoomStreamResidency, LaysOutTheTableAndPinsCoarseLevelsWithinTheBudget) {
    Residency r(256);
    EXPECT_EQ(r.pin_budget(), 16u);
    auto big = r.add_image(halving_levels(100000, 100000));
    ASSERT_TRUE(big.ok()) << big.error().message;
    EXPECT_EQ(big.value(), 0u);
    const auto& levels = r.levels(0);
    size_t entries = 0;
    for (uint32_t l = 0; l < levels.size(); ++l) {
        EXPECT_EQ(r.table_offset(0, l), entries);
        entries += size_t(pages_across(levels[l].width)) * pages_across(levels[l].height);
    }
    EXPECT_EQ(r.table().size(), entries);
    EXPECT_EQ(r.table_index({0, 0, 3, 2}), 2u * pages_across(100000) + 3);
    // 18 levels; 196 px and smaller are one page each (9 pages), 391 px is 2 x 2 (13 in
    // all, within 16), 782 px would add 16: the coarsest 10 levels are pinned.
    EXPECT_EQ(levels.size(), 18u);
    EXPECT_EQ(r.pinned_levels(0), 10u);
    auto pinned = r.pinned_pages(0);
    EXPECT_EQ(pinned.size(), 13u);
    EXPECT_EQ(pinned.front(), (PageKey{0, 17, 0, 0}));
    EXPECT_EQ(pinned.back(), (PageKey{0, 8, 1, 1}));
    // A second image gets what is left of the budget: only its coarsest levels.
    auto small = r.add_image(halving_levels(300, 300));
    ASSERT_TRUE(small.ok());
    EXPECT_EQ(small.value(), 1u);
    EXPECT_EQ(r.table_offset(1, 0), entries);
    EXPECT_EQ(r.pinned_pages(1).size(), 3u);  // 3 one-page levels fit in 16 - 13
    EXPECT_EQ(r.stats().pinned, 16u);
    EXPECT_EQ(r.stats().atlas_bytes, 256ull * 256 * 256 * 4);
}

TEST(ZoomStreamResidency, AddImageFailsClearlyWhenTheCoarsestLevelCannotBePinned) {
    Residency r(4);  // at most 2 pinned pages
    ASSERT_TRUE(r.add_image(halving_levels(1000, 10)).ok());
    ASSERT_TRUE(r.add_image(halving_levels(10, 10)).ok());
    auto third = r.add_image(halving_levels(10, 10));
    ASSERT_FALSE(third.ok());
    EXPECT_NE(third.error().message.find("coarsest level"), std::string::npos) << third.error().message;
    EXPECT_FALSE(r.add_image({}).ok());
    EXPECT_FALSE(r.add_image({{0, 5}}).ok());
    EXPECT_EQ(r.images(), 2u);
}

TEST(ZoomStreamResidency, MissingIsCoarsestFirstWithAncestorsAndCapped) {
    Residency r(64);
    r.set_pin_budget(1);
    ASSERT_TRUE(r.add_image(halving_levels(2000, 2000)).ok());  // levels 2000, 1000, 500, 250, 125, ...
    for (const PageKey& k : r.pinned_pages(0)) ASSERT_TRUE(r.place(k));
    r.begin_frame(1);
    EXPECT_FALSE(r.request({0, 0, 5, 6}));
    EXPECT_FALSE(r.request({0, 0, 5, 6}));  // duplicates are fine
    EXPECT_FALSE(r.request({0, 1, 0, 0}));
    r.request({0, 99, 0, 0});  // no such level: ignored
    // 12 levels (2000 .. 1 px); only the 1 x 1 level (11) is pinned and placed.
    std::vector<PageKey> want = {{0, 10, 0, 0}, {0, 9, 0, 0}, {0, 8, 0, 0}, {0, 7, 0, 0}, {0, 6, 0, 0},
                                 {0, 5, 0, 0},  {0, 4, 0, 0}, {0, 3, 0, 0}, {0, 2, 1, 1}, {0, 2, 0, 0},
                                 {0, 1, 2, 3},  {0, 1, 0, 0}, {0, 0, 5, 6}};
    EXPECT_EQ(r.missing(), want);
    EXPECT_EQ(r.stats().ignored_requests, 1u);
    r.set_missing_cap(3);
    EXPECT_EQ(r.missing(), std::vector<PageKey>(want.begin(), want.begin() + 3));
    // Placed pages drop out of the list; the coarsest level was pinned and resident.
    EXPECT_TRUE(r.resident({0, 11, 0, 0}));
    ASSERT_TRUE(r.place({0, 10, 0, 0}));
    EXPECT_EQ(r.missing().front(), (PageKey{0, 9, 0, 0}));
}

TEST(ZoomStreamResidency, EvictsLeastRecentlyUsedButNeverProtectedOrPinnedPages) {
    Residency r(4);  // the 1x1 level pinned: 3 slots for the rest
    ASSERT_TRUE(r.add_image(halving_levels(1000, 1000)).ok());
    ASSERT_EQ(r.pinned_pages(0).size(), 1u);
    ASSERT_TRUE(r.place(r.pinned_pages(0)[0]));
    PageKey a{0, 0, 0, 0}, b{0, 0, 1, 0}, c{0, 0, 2, 0}, d{0, 0, 3, 0};
    r.begin_frame(10);
    ASSERT_TRUE(r.place(a));
    r.begin_frame(11);
    ASSERT_TRUE(r.place(b));
    r.begin_frame(12);
    ASSERT_TRUE(r.place(c));
    // Frame 12: a (10), b (11), c (12) are all within the protected 3 frames.
    EXPECT_FALSE(r.place(d));
    r.begin_frame(13);
    r.request(b);  // b used again: a is now the least recently used
    auto slot = r.place(d);
    ASSERT_TRUE(slot);
    EXPECT_FALSE(r.resident(a));
    EXPECT_TRUE(r.resident(b) && r.resident(c) && r.resident(d));
    EXPECT_EQ(r.page_in(*slot), d);
    EXPECT_EQ(r.stats().evictions, 1u);
    EXPECT_EQ(r.stats().resident, 4u);
    EXPECT_TRUE(r.resident(r.pinned_pages(0)[0]));
    // Nothing unprotected left: c (12), b and d (13).
    EXPECT_FALSE(r.place(a));
    r.begin_frame(15);
    EXPECT_TRUE(r.place(a));  // c is 3 frames old now
    EXPECT_FALSE(r.resident(c));
}

TEST(ZoomStreamResidency, UnpinnedPagesLeaveSlotsForPinnedOnes) {
    Residency r(8);
    r.set_pin_budget(3);
    ASSERT_TRUE(r.add_image(halving_levels(600, 300)).ok());  // 600x300: 3x2, 300x150: 2x1, 150x75, ...
    auto pinned = r.pinned_pages(0);
    ASSERT_EQ(pinned.size(), 3u);
    r.begin_frame(1);
    int placed = 0;
    for (uint32_t y = 0; y < 2; ++y)
        for (uint32_t x = 0; x < 3; ++x) placed += r.place({0, 0, x, y}).has_value();
    EXPECT_EQ(placed, 5);  // 8 slots less the 3 kept for pinned pages
    for (const PageKey& k : pinned) EXPECT_TRUE(r.place(k));
    EXPECT_EQ(r.stats().resident, 8u);
}

TEST(ZoomStreamResidency, FadesInOverTheSetFramesOneEntryEach) {
    Residency r(16);
    ASSERT_TRUE(r.add_image(halving_levels(1000, 1000)).ok());
    for (const PageKey& k : r.pinned_pages(0)) {
        ASSERT_TRUE(r.place(k));
        EXPECT_EQ(entry_fade(r.entry(k)), 255u);
    }
    r.set_fade_frames(4);
    r.begin_frame(1);
    r.clear_changed();
    PageKey k{0, 0, 2, 2};
    auto slot = r.place(k);
    ASSERT_TRUE(slot);
    EXPECT_TRUE(r.table_changed());
    EXPECT_EQ(r.changed_range(), std::make_pair(r.table_index(k), r.table_index(k) + 1));
    std::vector<uint32_t> fades = {entry_fade(r.entry(k))};
    for (uint64_t f = 2; f <= 6; ++f) {
        r.clear_changed();
        auto before = std::vector<uint32_t>(r.table().begin(), r.table().end());
        r.begin_frame(f);
        fades.push_back(entry_fade(r.entry(k)));
        EXPECT_EQ(entry_slot(r.entry(k)), *slot);
        size_t differ = 0;
        for (size_t i = 0; i < before.size(); ++i) differ += before[i] != r.table()[i];
        EXPECT_EQ(differ, f <= 4 ? 1u : 0u) << "frame " << f;
        EXPECT_EQ(r.table_changed(), f <= 4);
    }
    EXPECT_EQ(fades, (std::vector<uint32_t>{63, 127, 191, 255, 255, 255}));
    // Offline: in at once.
    r.set_fade_frames(0);
    ASSERT_TRUE(r.place({0, 0, 3, 3}));
    EXPECT_EQ(entry_fade(r.entry({0, 0, 3, 3})), 255u);
}

TEST(ZoomStreamResidency, APageFadingInKeepsTheAncestorItBlendsOver) {
    Residency r(4);  // the 1 x 1 level pinned: 3 slots for the rest
    ASSERT_TRUE(r.add_image(halving_levels(1000, 1000)).ok());
    ASSERT_TRUE(r.place(r.pinned_pages(0)[0]));
    const PageKey parent{0, 1, 0, 0}, child{0, 0, 1, 1};
    r.begin_frame(1);
    ASSERT_TRUE(r.place(parent));  // in at once
    r.set_fade_frames(8);
    r.begin_frame(5);
    ASSERT_TRUE(r.place(child));
    // The feedback asks only for the child; new pages press for slots every frame.
    for (uint64_t f = 6; f <= 20; ++f) {
        r.begin_frame(f);
        EXPECT_TRUE(r.request(child));
        r.place({0, 0, uint32_t(f % 4), 3});
        if (f <= 12) {
            EXPECT_TRUE(r.resident(parent)) << "frame " << f << ": evicted while the child fades over it";
        }
    }
    EXPECT_EQ(entry_fade(r.entry(child)), 255u);
    EXPECT_FALSE(r.resident(parent));  // once the child is in, the parent is an ordinary old page
}

TEST(ZoomStreamResidency, RandomJumpsKeepEveryInvariantAndMemoryFlat) {
    // 10 000 frames of random jumps over a 100 000² image with a 256-slot atlas; each
    // frame requests what a view of a random region needs (800x450, or 1920x1080 every
    // 7th frame: more than the unprotected slots can take) and places what is missing at
    // once (some pages are corrupt: fail()).
    const uint32_t side = 100000, frames = 10000;
    Residency r(256);
    auto levels = halving_levels(side, side);
    ASSERT_TRUE(r.add_image(levels).ok());
    const size_t entries = r.table().size();
    const std::vector<PageKey> pinned = r.pinned_pages(0);
    std::vector<PageKey> in_slot(256, PageKey{~0u, 0, 0, 0});  // our model of the atlas
    std::vector<int64_t> last_requested(entries, -100);
    std::vector<uint8_t> is_failed(entries, 0);
    size_t model_resident = 0;
    auto placed = [&](const PageKey& k, std::optional<uint32_t> slot, uint64_t frame) {
        if (!slot) return;
        const PageKey old = in_slot[*slot];
        if (old.image != ~0u && old != k) {
            uint32_t i = r.table_index(old);
            ASSERT_LE(last_requested[i] + int64_t(kProtectFrames), int64_t(frame))
                << "evicted a page requested in the protected frames";
            ASSERT_FALSE(r.pinned(old)) << "evicted a pinned page";
            ASSERT_FALSE(r.resident(old));
            --model_resident;
        }
        if (old != k) ++model_resident;
        in_slot[*slot] = k;
    };
    for (const PageKey& k : pinned) placed(k, r.place(k), 0);
    auto corrupt = [](const PageKey& k) { return k.level < 4 && PageKeyHash{}(k) % 61 == 0; };

    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> unit(0, 1);
    size_t memory_at_100 = 0, rss_at_1000 = 0;
    uint64_t placements_refused = 0, fails = 0;
    for (uint64_t f = 1; f <= frames; ++f) {
        r.begin_frame(f);
        const uint32_t screen_w = f % 7 ? 800 : 1920, screen_h = f % 7 ? 450 : 1080;
        double s = std::exp2(-1 + unit(rng) * 8.5);
        double w = screen_w * s, h = screen_h * s;
        double x = unit(rng) * (side + w) - w, y = unit(rng) * (side + h) - h;
        for (const PageKey& k : pages_for_view(0, levels, x, y, w, h, screen_w, screen_h)) {
            last_requested[r.table_index(k)] = int64_t(f);
            r.request(k);
        }
        for (const PageKey& k : r.missing()) {
            ASSERT_FALSE(is_failed[r.table_index(k)]) << "a failed page was asked for again";
            if (corrupt(k)) {
                r.fail(k);
                is_failed[r.table_index(k)] = 1;
                ++fails;
                continue;
            }
            auto slot = r.place(k);
            placements_refused += !slot;
            placed(k, slot, f);
            if (HasFatalFailure()) return;
        }
        // Invariants, every frame.
        ResidencyStats st = r.stats();
        ASSERT_LE(st.resident, 256u);
        ASSERT_EQ(st.resident, model_resident);
        for (const PageKey& k : pinned) ASSERT_TRUE(r.resident(k)) << "frame " << f;
        for (uint32_t slot = 0; slot < 256; ++slot)
            if (in_slot[slot].image != ~0u) {
                uint32_t e = r.entry(in_slot[slot]);
                ASSERT_TRUE(entry_resident(e) && entry_slot(e) == slot) << "frame " << f << " slot " << slot;
                ASSERT_EQ(r.page_in(slot), in_slot[slot]);
            }
        if (f % 50 == 0) {  // and no other entry is resident
            size_t nonzero = std::count_if(r.table().begin(), r.table().end(), [](uint32_t e) { return e != 0; });
            ASSERT_EQ(nonzero, model_resident) << "frame " << f;
        }
        if (f == 100) memory_at_100 = st.memory_bytes;
        if (f == 1000) rss_at_1000 = resident_set_bytes();
    }
    ResidencyStats st = r.stats();
    EXPECT_EQ(st.memory_bytes, memory_at_100) << "the residency's own allocations grew";
    EXPECT_EQ(r.table().size(), entries);
    size_t rss = resident_set_bytes();
#ifndef __SANITIZE_ADDRESS__  // AddressSanitizer holds freed memory in quarantine
    EXPECT_LT(rss, rss_at_1000 + (1u << 20)) << "RSS grew by " << (rss - rss_at_1000) << " bytes";
#endif
    // The run exercised what it claims to.
    EXPECT_GT(st.evictions, 10000u);
    EXPECT_GT(placements_refused, 0u);
    EXPECT_GT(fails, 0u);
    EXPECT_EQ(st.failed, fails);
}

// ---- PageLoader ----

TEST(ZoomStreamLoader, DuplicateRequestsCompleteExactlyOnce) {
    FakePyramid p(20000, 20000, 254, 254, 1);
    TileCache cache;
    PageLoader loader(cache, 3);
    std::mt19937 rng(5);
    std::set<PageKey> distinct;
    for (int i = 0; i < 1000; ++i) {
        PageKey k{0, uint32_t(rng() % 3), uint32_t(rng() % 10), uint32_t(rng() % 8)};
        distinct.insert(k);
        loader.request(&p, k);
    }
    loader.wait();
    EXPECT_EQ(loader.pending(), 0u);
    std::map<PageKey, int> done;
    for (LoadedPage& page : loader.collect()) {
        EXPECT_EQ(page.pyramid, &p);
        ASSERT_TRUE(page.image.ok()) << page.image.error().message;
        EXPECT_EQ(page_difference(page.image.value(), expected_page(p, page.key.level, page.key.x, page.key.y)), "");
        ++done[page.key];
    }
    EXPECT_EQ(done.size(), distinct.size());
    for (auto& [key, n] : done) EXPECT_EQ(n, 1);
    EXPECT_TRUE(loader.collect().empty());
    EXPECT_EQ(loader.dropped(), 0u);
    // Collected pages can be asked for again.
    loader.request(&p, {0, 0, 0, 0});
    loader.wait();
    EXPECT_EQ(loader.collect().size(), 1u);
}

TEST(ZoomStreamLoader, ServesCoarsestThenMostRecentAndDropsTheFinestOldest) {
    FakePyramid p(20000, 20000, 256, 256, 0);
    TileCache cache;
    PageLoader loader(cache, 1, 4);
    p.close_gate();
    loader.request(&p, {0, 0, 0, 0});  // the worker takes it and waits at the gate
    p.wait_at_gate(1);
    loader.request(&p, {0, 0, 1, 0});  // dropped: finest and oldest when the queue passes 4
    loader.request(&p, {0, 2, 0, 0});
    loader.request(&p, {0, 0, 2, 0});
    loader.request(&p, {0, 1, 0, 0});
    loader.request(&p, {0, 2, 0, 0});  // again: now the most recent of its level
    loader.request(&p, {0, 2, 1, 0});
    loader.request(&p, {0, 0, 0, 0});  // being composed: ignored
    EXPECT_EQ(loader.pending(), 5u);
    EXPECT_EQ(loader.dropped(), 1u);
    p.open_gate();
    loader.wait();
    std::vector<PageKey> order;
    for (LoadedPage& page : loader.collect()) {
        EXPECT_TRUE(page.image.ok());
        order.push_back(page.key);
    }
    std::vector<PageKey> want = {{0, 0, 0, 0}, {0, 2, 1, 0}, {0, 2, 0, 0}, {0, 1, 0, 0}, {0, 0, 2, 0}};
    EXPECT_EQ(order, want);
}

TEST(ZoomStreamLoader, AFailingTileFailsOnlyItsPages) {
    FakePyramid p(2000, 2000, 254, 254, 1);
    p.breaks(0, 3, 3);  // level pixels 762..1016
    TileCache cache;
    PageLoader loader(cache, 2);
    for (uint32_t y = 0; y < 5; ++y)
        for (uint32_t x = 0; x < 5; ++x) loader.request(&p, {0, 0, x, y});
    loader.wait();
    auto pages = loader.collect();
    ASSERT_EQ(pages.size(), 25u);
    for (LoadedPage& page : pages) {
        // Page x covers level pixels 248x - 4 .. 248x + 252: pages 3 and 4 touch tile 3.
        bool touches = page.key.x >= 3 && page.key.x <= 4 && page.key.y >= 3 && page.key.y <= 4;
        EXPECT_EQ(page.image.ok(), !touches) << page.key.x << "," << page.key.y;
        if (!page.image.ok()) { EXPECT_NE(page.image.error().message.find("tile 3,3 of level 0"), std::string::npos); }
    }
}

TEST(ZoomStreamLoader, DestroyingWithAFullQueueDoesNotWaitForIt) {
    FakePyramid p(20000, 20000, 256, 256, 0);
    p.set_delay_ms(5);
    TileCache cache;
    auto start = std::chrono::steady_clock::now();
    {
        PageLoader loader(cache, 1);
        for (uint32_t i = 0; i < 512; ++i) loader.request(&p, {0, 0, i % 80, i / 80});
        EXPECT_GT(loader.pending(), 500u);
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 1.0);  // 512 pages would take > 10 s
    EXPECT_LT(p.reads(), 20u);
}

// ---- A corrupt tile, end to end ----

TEST(ZoomStreamResidency, ACorruptTileLeavesItsParentShowing) {
    FakePyramid p(2000, 2000, 254, 254, 1);
    p.breaks(0, 5, 5);
    TileCache cache;
    Residency r(24);  // the 1 x 1 level pinned; 23 slots for 27 pages in use
    ASSERT_TRUE(r.add_image(p.info().levels).ok());
    for (const PageKey& k : r.pinned_pages(0)) {
        auto page = compose_page(p, cache, k.level, k.x, k.y);
        ASSERT_TRUE(page.ok());
        ASSERT_TRUE(r.place(k));
    }
    const PageKey bad{0, 0, 5, 5}, parent = parent_page(bad);
    PageLoader loader(cache, 2);
    for (uint64_t f = 1; f <= 40; ++f) {
        r.begin_frame(f);
        r.request(bad);
        // Other pages come and go: eviction pressure on the small atlas.
        for (uint32_t i = 0; i < 3; ++i) r.request({0, 0, uint32_t((f * 3 + i) % 8), 0});
        auto missing = r.missing();
        if (f > 1) { EXPECT_EQ(std::count(missing.begin(), missing.end(), bad), 0) << "frame " << f; }
        for (const PageKey& k : missing) loader.request(&p, k);
        loader.wait();
        for (LoadedPage& page : loader.collect()) {
            if (page.image.ok()) {
                r.place(page.key);
            } else {
                EXPECT_EQ(page.key, bad);
                EXPECT_NE(page.image.error().message.find("tile 5,5 of level 0"), std::string::npos);
                r.fail(page.key);
            }
        }
        EXPECT_TRUE(r.failed(bad));
        EXPECT_FALSE(r.resident(bad));
        if (f > 1) { EXPECT_TRUE(r.resident(parent)) << "frame " << f; }
    }
    EXPECT_GT(r.stats().evictions, 0u);
}
