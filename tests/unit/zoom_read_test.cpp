// Reading tile pyramids: procedural pyramids (the box-mean property), real pyramids made
// by vips at test time in every format we read (skipped without vips), pyramids written
// by hand (Deep Zoom with PNG tiles, BigTIFF through libtiff) and every way a file can
// be wrong.
#include <gtest/gtest.h>
#include <lcms2.h>
#include <tiffio.h>
#include <turbojpeg.h>
#include <unistd.h>
#include <zip.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "icc_profile.h"
#include "core/image.h"
#include "core/paths.h"
#include "zoom/describe.h"
#include "zoom/procedural.h"
#include "zoom/pyramid.h"
#include "zoom/tile_codec.h"

namespace fs = std::filesystem;
using namespace vitrine;
using namespace vitrine::zoom;

namespace {

// A fresh folder, removed with everything in it at the end of its scope.
class TempFolder {
public:
    explicit TempFolder(const std::string& name) {
        static std::atomic<int> counter{0};
        path_ = fs::path(::testing::TempDir()) /
                ("vitrine_zoom_read_" + std::to_string(::getpid()) + "_" + name + "_" + std::to_string(counter++));
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~TempFolder() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }
    std::string operator/(const std::string& name) const { return (path_ / name).string(); }

private:
    fs::path path_;
};

void write_text(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

void write_bytes(const fs::path& path, const std::vector<uint8_t>& bytes) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

// A smooth, colourful source (JPEG keeps it within a few code values).
Image8 make_source(uint32_t width, uint32_t height) {
    Image8 image{width, height, std::vector<uint8_t>(size_t(width) * height * 4)};
    for (uint32_t y = 0; y < height; ++y)
        for (uint32_t x = 0; x < width; ++x) {
            uint8_t* p = &image.rgba[(size_t(y) * width + x) * 4];
            p[0] = uint8_t(30 + 190 * x / width);
            p[1] = uint8_t(30 + 190 * y / height);
            p[2] = uint8_t(128 + 70 * std::sin(x * 0.031) * std::cos(y * 0.027));
            p[3] = 255;
        }
    return image;
}

// Pixel (x, y) of level `level` of a box-filtered pyramid of `src` (level 0 or 1 here;
// the sizes used are even, so every 2 x 2 block exists).
double expected(const Image8& src, uint32_t level, uint32_t x, uint32_t y, int c) {
    uint32_t n = 1u << level;
    double sum = 0;
    int count = 0;
    for (uint32_t dy = 0; dy < n; ++dy)
        for (uint32_t dx = 0; dx < n; ++dx) {
            uint32_t sx = x * n + dx, sy = y * n + dy;
            if (sx < src.width && sy < src.height) {
                sum += src.rgba[(size_t(sy) * src.width + sx) * 4 + c];
                ++count;
            }
        }
    return sum / count;
}

struct Difference {
    double mean = 0, max = 0;
    size_t tiles = 0;
};

// Reads every tile of `level` and compares it with the source's box-filtered level.
Difference compare_level(const Pyramid& pyramid, uint32_t level, const Image8& src) {
    Difference d;
    double sum = 0;
    size_t n = 0;
    for (uint32_t row = 0; row < pyramid.rows(level); ++row)
        for (uint32_t col = 0; col < pyramid.columns(level); ++col) {
            auto tile = pyramid.read_tile(level, col, row);
            EXPECT_TRUE(tile.ok()) << (tile.ok() ? "" : tile.error().message);
            if (!tile) return {1e9, 1e9, 0};
            PixelRect r = pyramid.tile_pixels(level, col, row);
            EXPECT_EQ(tile->width, r.width);
            EXPECT_EQ(tile->height, r.height);
            if (tile->width != r.width || tile->height != r.height) return {1e9, 1e9, 0};
            for (uint32_t y = 0; y < r.height; ++y)
                for (uint32_t x = 0; x < r.width; ++x)
                    for (int c = 0; c < 3; ++c) {
                        double e = std::abs(tile->rgba[(size_t(y) * r.width + x) * 4 + c] -
                                            expected(src, level, r.x + x, r.y + y, c));
                        sum += e;
                        d.max = std::max(d.max, e);
                        ++n;
                    }
            EXPECT_EQ(tile->rgba[3], 255);
            ++d.tiles;
        }
    d.mean = sum / double(n);
    return d;
}

std::unique_ptr<Pyramid> open_ok(const std::string& path) {
    auto p = open_pyramid(path);
    EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message);
    return p ? std::move(p.value()) : nullptr;
}

std::string open_error(const std::string& path) {
    auto p = open_pyramid(path);
    EXPECT_FALSE(p.ok()) << path << " opened";
    return p ? std::string() : p.error().message;
}

std::string tile_error(const Pyramid& p, uint32_t level, uint32_t col, uint32_t row) {
    auto t = p.read_tile(level, col, row);
    EXPECT_FALSE(t.ok()) << "tile " << level << "/" << col << "_" << row << " was read";
    return t ? std::string() : t.error().message;
}

std::vector<uint8_t> encode_jpeg(const Image8& image, int quality = 95) {
    tjhandle tj = tjInitCompress();
    unsigned char* out = nullptr;
    unsigned long size = 0;
    int rc = tjCompress2(tj, image.rgba.data(), int(image.width), 0, int(image.height), TJPF_RGBA, &out, &size,
                         TJSAMP_444, quality, 0);
    std::vector<uint8_t> bytes;
    if (rc == 0) bytes.assign(out, out + size);
    tjFree(out);
    tjDestroy(tj);
    return bytes;
}

Image8 crop(const Image8& src, PixelRect r) {
    Image8 out{r.width, r.height, std::vector<uint8_t>(size_t(r.width) * r.height * 4)};
    for (uint32_t y = 0; y < r.height; ++y)
        std::copy_n(&src.rgba[((size_t(r.y) + y) * src.width + r.x) * 4], size_t(r.width) * 4,
                    &out.rgba[size_t(y) * r.width * 4]);
    return out;
}

// ---- procedural pyramids ----

// Every pixel of level k + 1 is the rounded mean of its 2 x 2 (at odd edges 2 x 1, 1 x 2,
// 1 x 1) parents in level k, within one code value; at random tiles of every level.
void check_box_mean(const std::string& spec, int tiles_per_level) {
    auto p = open_ok(spec);
    ASSERT_TRUE(p);
    const PyramidInfo& info = p->info();
    std::mt19937 rng(1234);
    int checked = 0;
    for (uint32_t k = 0; k + 1 < info.levels.size(); ++k) {
        for (int t = 0; t < tiles_per_level; ++t) {
            // The last tile of the level too: its odd edges.
            uint32_t col = t == 0 ? p->columns(k + 1) - 1 : rng() % p->columns(k + 1);
            uint32_t row = t == 0 ? p->rows(k + 1) - 1 : rng() % p->rows(k + 1);
            auto coarse = p->read_tile(k + 1, col, row);
            ASSERT_TRUE(coarse.ok());
            PixelRect cr = p->tile_pixels(k + 1, col, row);
            // The parents: the finer tiles holding rows/columns 2*cr.
            LevelSize fine = info.levels[k];
            uint32_t fx = 2 * cr.x, fy = 2 * cr.y;
            uint32_t fw = std::min(fine.width - fx, 2 * cr.width), fh = std::min(fine.height - fy, 2 * cr.height);
            std::vector<uint8_t> parents(size_t(fw) * fh * 4);
            for (uint32_t r = fy / 256; r <= (fy + fh - 1) / 256; ++r)
                for (uint32_t c = fx / 256; c <= (fx + fw - 1) / 256; ++c) {
                    auto tile = p->read_tile(k, c, r);
                    ASSERT_TRUE(tile.ok());
                    PixelRect tr = p->tile_pixels(k, c, r);
                    for (uint32_t y = std::max(tr.y, fy); y < std::min(tr.y + tr.height, fy + fh); ++y)
                        for (uint32_t x = std::max(tr.x, fx); x < std::min(tr.x + tr.width, fx + fw); ++x)
                            std::copy_n(&tile->rgba[((y - tr.y) * tr.width + (x - tr.x)) * 4], 4,
                                        &parents[((y - fy) * fw + (x - fx)) * 4]);
                }
            for (uint32_t y = 0; y < cr.height; ++y)
                for (uint32_t x = 0; x < cr.width; ++x)
                    for (int ch = 0; ch < 3; ++ch) {
                        double sum = 0;
                        int n = 0;
                        for (uint32_t dy = 0; dy < 2; ++dy)
                            for (uint32_t dx = 0; dx < 2; ++dx)
                                if (2 * x + dx < fw && 2 * y + dy < fh) {
                                    sum += parents[((2 * y + dy) * fw + 2 * x + dx) * 4 + ch];
                                    ++n;
                                }
                        int mean = int(std::floor(sum / n + 0.5));
                        int got = coarse->rgba[(size_t(y) * cr.width + x) * 4 + ch];
                        ASSERT_LE(std::abs(got - mean), 1)
                            << spec << " level " << k + 1 << " pixel " << cr.x + x << "," << cr.y + y << " channel " << ch;
                        ++checked;
                    }
        }
    }
    EXPECT_GT(checked, 100000);
}

TEST(ZoomReadProcedural, EachLevelIsTheBoxMeanOfTheOneAbove) {
    check_box_mean("procedural:pattern:100000x100000", 2);
    check_box_mean("procedural:pattern:20000x20000", 2);
    check_box_mean("procedural:pattern:20001x777", 2);  // odd sizes: 1 x 2 / 2 x 1 / 1 x 1 edges
    check_box_mean("procedural:checker:3001x2999", 1);
}

TEST(ZoomReadProcedural, ValuesAreExactMeansBeforeRounding) {
    // The unrounded values obey the 2 x 2 mean to floating-point precision, at odd edges too.
    const uint32_t w = 100001, h = 54321;
    auto levels = halving_levels(w, h);
    std::mt19937 rng(7);
    for (uint32_t k = 0; k + 1 < levels.size(); ++k)
        for (int i = 0; i < 20; ++i) {
            uint32_t x = i == 0 ? levels[k + 1].width - 1 : rng() % levels[k + 1].width;
            uint32_t y = i <= 1 ? levels[k + 1].height - 1 : rng() % levels[k + 1].height;
            for (int c = 0; c < 3; ++c) {
                double sum = 0;
                int n = 0;
                for (uint32_t dy = 0; dy < 2; ++dy)
                    for (uint32_t dx = 0; dx < 2; ++dx)
                        if (2 * x + dx < levels[k].width && 2 * y + dy < levels[k].height) {
                            sum += procedural_value("pattern", w, h, k, 2 * x + dx, 2 * y + dy, c);
                            ++n;
                        }
                ASSERT_NEAR(procedural_value("pattern", w, h, k + 1, x, y, c), sum / n, 1e-6);
            }
        }
}

TEST(ZoomReadProcedural, InfoTilesAndPixels) {
    auto p = open_ok("procedural:pattern:100000x50000:0.05");
    ASSERT_TRUE(p);
    const PyramidInfo& info = p->info();
    EXPECT_EQ(info.format, PyramidFormat::Procedural);
    EXPECT_EQ(info.width, 100000u);
    EXPECT_EQ(info.height, 50000u);
    EXPECT_EQ(info.tile_width, 256u);
    EXPECT_EQ(info.overlap, 0u);
    EXPECT_EQ(info.levels, halving_levels(100000, 50000));
    EXPECT_EQ(info.levels.size(), 18u);
    EXPECT_DOUBLE_EQ(info.mm_per_pixel, 0.05);
    EXPECT_EQ(info.tile_format, "procedural");
    EXPECT_EQ(p->columns(0), 391u);  // ceil(100000 / 256)
    EXPECT_EQ(p->rows(0), 196u);
    EXPECT_EQ(p->columns(17), 1u);
    EXPECT_EQ(p->tile_pixels(0, 390, 195), (PixelRect{99840, 49920, 160, 80}));
    EXPECT_EQ(p->tile_pixels(3, 1, 2), (PixelRect{256, 512, 256, 256}));
    EXPECT_EQ(p->tile_pixels(17, 0, 0), (PixelRect{0, 0, 1, 1}));
    auto tile = p->read_tile(2, 7, 5);
    ASSERT_TRUE(tile.ok());
    ASSERT_EQ(tile->width, 256u);
    for (uint32_t y : {0u, 100u, 255u})
        for (uint32_t x : {0u, 17u, 255u}) {
            auto rgb = procedural_pixel("pattern", 100000, 50000, 2, 7 * 256 + x, 5 * 256 + y);
            for (int c = 0; c < 3; ++c) EXPECT_EQ(tile->rgba[(y * 256 + x) * 4 + c], rgb[c]);
            EXPECT_EQ(tile->rgba[(y * 256 + x) * 4 + 3], 255);
        }
    // Not flat: a detailed pattern.
    int lo = 255, hi = 0;
    for (size_t i = 0; i < tile->rgba.size(); i += 4) lo = std::min<int>(lo, tile->rgba[i]), hi = std::max<int>(hi, tile->rgba[i]);
    EXPECT_GT(hi - lo, 40);
    EXPECT_FALSE(p->read_tile(0, 391, 0).ok());
    EXPECT_FALSE(p->read_tile(18, 0, 0).ok());
    // The checker: black top-left 64 px cell, white next to it.
    auto checker = open_ok("procedural:checker:1000x1000");
    auto t = checker->read_tile(0, 0, 0);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->rgba[0], 0);
    EXPECT_EQ(t->rgba[64 * 4], 255);
    EXPECT_EQ(t->rgba[(64 * 256 + 64) * 4], 0);
}

TEST(ZoomReadProcedural, SpecErrors) {
    EXPECT_NE(open_error("procedural:nothing:10x10").find("unknown pattern 'nothing'"), std::string::npos);
    EXPECT_NE(open_error("procedural:pattern:10").find("not WIDTHxHEIGHT"), std::string::npos);
    EXPECT_NE(open_error("procedural:pattern:0x10").find("1 to 1000000"), std::string::npos);
    EXPECT_NE(open_error("procedural:pattern:1000001x10").find("1 to 1000000"), std::string::npos);
    EXPECT_NE(open_error("procedural:pattern:-5x10").find("not WIDTHxHEIGHT"), std::string::npos);
    EXPECT_NE(open_error("procedural:pattern:10x10:-1").find("not a positive number"), std::string::npos);
    EXPECT_NE(open_error("procedural:pattern:10x10:abc").find("procedural:pattern:10x10:abc"), std::string::npos);
    EXPECT_FALSE(open_pyramid("procedural:pattern:10x10:1:2").ok());
    auto big = open_ok("procedural:pattern:1000000x1000000");
    ASSERT_TRUE(big);
    EXPECT_EQ(big->info().levels.size(), 21u);
    EXPECT_TRUE(big->read_tile(0, 3906, 3906).ok());  // the last tile: 64 x 64
}

TEST(ZoomReadProcedural, ConcurrentReadsMatchSerialReads) {
    auto p = open_ok("procedural:pattern:30000x20000");
    ASSERT_TRUE(p);
    std::vector<std::pair<uint32_t, uint32_t>> tiles;
    for (uint32_t i = 0; i < 16; ++i) tiles.push_back({i * 7 % p->columns(0), i * 5 % p->rows(0)});
    std::vector<Image8> serial;
    for (auto [c, r] : tiles) serial.push_back(p->read_tile(0, c, r).value());
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (size_t i = size_t(t); i < tiles.size(); i += 2) {
                auto tile = p->read_tile(0, tiles[i].first, tiles[i].second);
                if (!tile || tile->rgba != serial[i].rgba) ++mismatches;
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(mismatches.load(), 0);
}

// ---- pyramids made by vips ----

bool have_vips() {
    static const bool found = std::system("vips --version >/dev/null 2>&1") == 0;
    return found;
}

#define REQUIRE_VIPS() \
    if (!have_vips()) GTEST_SKIP() << "skipped: vips not installed"

// One 700 x 500 source and every pyramid vips makes of it, made once for the suite.
class ZoomReadVips : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (!have_vips()) return;
        folder_ = new TempFolder("vips");
        source_ = new Image8(make_source(700, 500));
        std::string src = *folder_ / "src.png";
        ASSERT_TRUE(write_png(src, *source_).ok());
        auto q = [&](const std::string& name) { return "'" + (*folder_ / name) + "'"; };
        std::string in = "'" + src + "'";
        for (const std::string& args : {
                 "dzsave " + in + " " + q("scroll"),
                 "dzsave " + in + " " + q("lossless") + " --suffix .png",
                 "dzsave " + in + " " + q("packed.zip") + " --container zip",
                 "dzsave " + in + " " + q("iiif") + " --layout iiif3 --tile-size 256",
                 "dzsave " + in + " " + q("zoomify") + " --layout zoomify --tile-size 32",
                 "tiffsave " + in + " " + q("jpeg.tif") +
                     " --tile --pyramid --compression jpeg --Q 95 --tile-width 256 --tile-height 256 --bigtiff --xres 10 --yres 10",
                 "tiffsave " + in + " " + q("deflate.tif") + " --tile --pyramid --compression deflate --tile-width 128 --tile-height 128",
                 "tiffsave " + in + " " + q("subifd.tif") + " --tile --pyramid --compression deflate --subifd",
             })
            ASSERT_EQ(std::system(("vips " + args + " >/dev/null 2>&1").c_str()), 0) << "vips " << args;
    }
    static void TearDownTestSuite() {
        delete folder_;
        delete source_;
        folder_ = nullptr;
        source_ = nullptr;
    }
    static std::string at(const std::string& name) { return *folder_ / name; }
    static TempFolder* folder_;
    static Image8* source_;
};
TempFolder* ZoomReadVips::folder_ = nullptr;
Image8* ZoomReadVips::source_ = nullptr;

TEST_F(ZoomReadVips, DeepZoomJpeg) {
    REQUIRE_VIPS();
    auto p = open_ok(at("scroll.dzi"));
    ASSERT_TRUE(p);
    const PyramidInfo& info = p->info();
    EXPECT_EQ(info.format, PyramidFormat::Dzi);
    EXPECT_EQ(info.width, 700u);
    EXPECT_EQ(info.height, 500u);
    EXPECT_EQ(info.levels.size(), 11u);  // 700x500 ... 2x1, 1x1
    EXPECT_EQ(info.tile_width, 254u);
    EXPECT_EQ(info.overlap, 1u);
    EXPECT_EQ(info.tile_format, "jpeg");
    for (uint32_t level : {0u, 1u}) {
        Difference d = compare_level(*p, level, *source_);
        EXPECT_LT(d.mean, 3.0) << "level " << level;
        EXPECT_GT(d.tiles, 0u);
    }
    // The coarsest level: one pixel, near the source's mean.
    auto one = p->read_tile(10, 0, 0);
    ASSERT_TRUE(one.ok());
    EXPECT_EQ(one->width, 1u);
}

TEST_F(ZoomReadVips, DeepZoomPngIsExact) {
    REQUIRE_VIPS();
    auto p = open_ok(at("lossless.dzi"));
    ASSERT_TRUE(p);
    EXPECT_EQ(p->info().tile_format, "png");
    Difference full = compare_level(*p, 0, *source_);
    EXPECT_EQ(full.max, 0.0);
    EXPECT_EQ(full.tiles, 6u);  // 3 x 2 tiles of 254
    Difference half = compare_level(*p, 1, *source_);
    EXPECT_LE(half.max, 1.0);
}

TEST_F(ZoomReadVips, DeepZoomZip) {
    REQUIRE_VIPS();
    ASSERT_TRUE(fs::exists(at("packed.zip")));
    auto p = open_ok(at("packed.zip"));
    ASSERT_TRUE(p);
    EXPECT_EQ(p->info().format, PyramidFormat::DziZip);
    EXPECT_EQ(p->info().width, 700u);
    EXPECT_EQ(p->info().levels.size(), 11u);
    EXPECT_LT(compare_level(*p, 0, *source_).mean, 3.0);
    EXPECT_LT(compare_level(*p, 1, *source_).mean, 3.0);
    // Concurrent reads through the one zip handle.
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (uint32_t level = 0; level < 4; ++level)
                for (uint32_t r = 0; r < p->rows(level); ++r)
                    for (uint32_t c = 0; c < p->columns(level); ++c)
                        if (!p->read_tile(level, c, r).ok()) ++failures;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
    std::string e = tile_error(*p, 0, 5, 5);
    EXPECT_NE(e.find("packed.zip: no tile 10/5_5.jpeg in this pyramid"), std::string::npos) << e;
}

TEST_F(ZoomReadVips, Iiif3) {
    REQUIRE_VIPS();
    for (const std::string& path : {at("iiif"), at("iiif") + "/info.json"}) {
        auto p = open_ok(path);
        ASSERT_TRUE(p);
        const PyramidInfo& info = p->info();
        EXPECT_EQ(info.format, PyramidFormat::Iiif3);
        EXPECT_EQ(info.width, 700u);
        EXPECT_EQ(info.height, 500u);
        EXPECT_EQ(info.tile_width, 256u);
        EXPECT_EQ(info.tile_height, 256u);
        // vips lists the scale factors 1 and 2 (3 x 2 and 2 x 1 tiles); its single-tile
        // 175 x 125 level is not listed, so it is not read.
        ASSERT_EQ(info.levels.size(), 2u);
        EXPECT_EQ(info.levels[1], (LevelSize{350, 250}));
    }
    auto p = open_ok(at("iiif"));
    EXPECT_LT(compare_level(*p, 0, *source_).mean, 3.0);
    EXPECT_LT(compare_level(*p, 1, *source_).mean, 3.0);
}

TEST_F(ZoomReadVips, Zoomify) {
    REQUIRE_VIPS();
    auto p = open_ok(at("zoomify"));
    ASSERT_TRUE(p);
    const PyramidInfo& info = p->info();
    EXPECT_EQ(info.format, PyramidFormat::Zoomify);
    EXPECT_EQ(info.tile_width, 32u);
    // 700x500 down to the first tier in one 32 px tile: 700x500 ... 44x32, 22x16.
    ASSERT_EQ(info.levels.size(), 6u);
    EXPECT_EQ(info.levels.back(), (LevelSize{22, 16}));
    EXPECT_TRUE(fs::exists(at("zoomify/TileGroup1")));  // 473 tiles: a second TileGroup
    EXPECT_LT(compare_level(*p, 0, *source_).mean, 3.0);
    EXPECT_LT(compare_level(*p, 1, *source_).mean, 3.0);
}

TEST_F(ZoomReadVips, TiffJpegBigTiff) {
    REQUIRE_VIPS();
    auto p = open_ok(at("jpeg.tif"));
    ASSERT_TRUE(p);
    const PyramidInfo& info = p->info();
    EXPECT_EQ(info.format, PyramidFormat::Tiff);
    EXPECT_EQ(info.width, 700u);
    EXPECT_EQ(info.tile_width, 256u);
    EXPECT_EQ(info.overlap, 0u);
    EXPECT_EQ(info.tile_format, "jpeg");
    EXPECT_GE(info.levels.size(), 2u);
    EXPECT_EQ(info.levels[1], (LevelSize{350, 250}));
    EXPECT_NEAR(info.mm_per_pixel, 0.1, 1e-6);  // --xres 10 pixels per mm
    EXPECT_LT(compare_level(*p, 0, *source_).mean, 3.0);
    EXPECT_LT(compare_level(*p, 1, *source_).mean, 3.0);
}

TEST_F(ZoomReadVips, TiffDeflateFollowingIfdsAndSubIfds) {
    REQUIRE_VIPS();
    for (const char* name : {"deflate.tif", "subifd.tif"}) {
        auto p = open_ok(at(name));
        ASSERT_TRUE(p);
        EXPECT_EQ(p->info().tile_format, "deflate");
        EXPECT_GE(p->info().levels.size(), 3u) << name;
        EXPECT_EQ(compare_level(*p, 0, *source_).max, 0.0) << name;
        EXPECT_LE(compare_level(*p, 1, *source_).max, 1.0) << name;
    }
}

TEST_F(ZoomReadVips, MissingAndCorruptTiles) {
    REQUIRE_VIPS();
    // A copy of the Deep Zoom pyramid to damage.
    TempFolder damaged("damaged");
    fs::copy(at("scroll.dzi"), damaged / "scroll.dzi");
    fs::copy(at("scroll_files"), damaged / "scroll_files", fs::copy_options::recursive);
    fs::remove(damaged / "scroll_files/10/1_1.jpeg");
    auto bytes = read_file(at("scroll_files/10/0_0.jpeg")).value();
    bytes.resize(bytes.size() / 2);
    write_bytes(damaged / "scroll_files/10/0_0.jpeg", bytes);
    write_bytes(damaged / "scroll_files/10/0_1.jpeg", {0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 6, 7});
    auto p = open_ok(damaged / "scroll.dzi");
    ASSERT_TRUE(p);
    std::string e = tile_error(*p, 0, 1, 1);
    EXPECT_NE(e.find("scroll_files/10/1_1.jpeg: missing"), std::string::npos) << e;
    e = tile_error(*p, 0, 0, 0);
    EXPECT_NE(e.find("scroll_files/10/0_0.jpeg: corrupt JPEG"), std::string::npos) << e;
    e = tile_error(*p, 0, 0, 1);
    EXPECT_NE(e.find("scroll_files/10/0_1.jpeg: corrupt JPEG"), std::string::npos) << e;
    EXPECT_TRUE(p->read_tile(0, 2, 0).ok());  // the others still read
}

// ---- pyramids written by hand ----

// A Deep Zoom pyramid with PNG tiles of `src`, tile 128, overlap 2, every level.
void write_dzi(const fs::path& dzi, const Image8& src, const std::string& dzi_text = "") {
    const uint32_t tile = 128, overlap = 2;
    auto levels = halving_levels(src.width, src.height);
    Image8 level = src;
    std::string files = (dzi.parent_path() / dzi.stem()).string() + "_files";
    for (uint32_t k = 0; k < levels.size(); ++k) {
        if (k > 0) {  // box-filter the level above
            Image8 next{levels[k].width, levels[k].height, std::vector<uint8_t>(size_t(levels[k].width) * levels[k].height * 4)};
            for (uint32_t y = 0; y < next.height; ++y)
                for (uint32_t x = 0; x < next.width; ++x)
                    for (int c = 0; c < 4; ++c) {
                        int sum = 0, n = 0;
                        for (uint32_t dy = 0; dy < 2; ++dy)
                            for (uint32_t dx = 0; dx < 2; ++dx)
                                if (2 * x + dx < level.width && 2 * y + dy < level.height)
                                    sum += level.rgba[((2 * y + dy) * level.width + 2 * x + dx) * 4 + c], ++n;
                        next.rgba[(y * next.width + x) * 4 + c] = uint8_t((sum + n / 2) / n);
                    }
            level = std::move(next);
        }
        uint32_t d = dzi_level(k, uint32_t(levels.size()));
        fs::create_directories(files + "/" + std::to_string(d));
        for (uint32_t r = 0; r < tiles_across(level.height, tile); ++r)
            for (uint32_t c = 0; c < tiles_across(level.width, tile); ++c) {
                PixelRect rect = tile_rect(levels[k], tile, overlap, c, r);
                ASSERT_TRUE(write_png(files + "/" + std::to_string(d) + "/" + std::to_string(c) + "_" +
                                          std::to_string(r) + ".png",
                                      crop(level, rect))
                                .ok());
            }
    }
    write_text(dzi, dzi_text.empty() ? "<?xml version='1.0' encoding='UTF-8'?>\n"
                                       "<!-- written by hand -->\n"
                                       "<Image TileSize='128' Overlap=\"2\" Format='png' "
                                       "xmlns='http://schemas.microsoft.com/deepzoom/2008'>\n"
                                       "  <Size Width='" + std::to_string(src.width) + "' Height=\"" +
                                           std::to_string(src.height) + "\"/>\n</Image>\n"
                                     : dzi_text);
}

TEST(ZoomReadDzi, HandWrittenPngPyramidWithSidecar) {
    TempFolder folder("dzi");
    Image8 src = make_source(300, 200);
    write_dzi(folder.path() / "wall.dzi", src);
    write_text(folder.path() / "wall.vitrine.json", R"j({"mm_per_pixel": 0.25, "colour": "Adobe RGB (1998)"})j");
    auto p = open_ok(folder / "wall.dzi");
    ASSERT_TRUE(p);
    const PyramidInfo& info = p->info();
    EXPECT_EQ(info.tile_width, 128u);
    EXPECT_EQ(info.overlap, 2u);
    EXPECT_EQ(info.levels.size(), 10u);  // 300x200 ... 2x1, 1x1
    EXPECT_DOUBLE_EQ(info.mm_per_pixel, 0.25);
    EXPECT_EQ(info.colour, "Adobe RGB (1998)");
    EXPECT_EQ(compare_level(*p, 0, src).max, 0.0);
    EXPECT_LE(compare_level(*p, 1, src).max, 0.5);
    // Overlap: tile (1, 0) starts 2 px before its cell.
    EXPECT_EQ(p->tile_pixels(0, 1, 0), (PixelRect{126, 0, 132, 130}));
    std::string text = describe(info);
    for (const char* fact : {"wall.dzi", "Deep Zoom", "300 x 200", "10: 300 x 200 down to 1 x 1", "128 x 128 px, overlap 2, png",
                             "0.25 mm per pixel", "75 mm x 50 mm", "Adobe RGB (1998)"})
        EXPECT_NE(text.find(fact), std::string::npos) << fact << " not in\n" << text;
}

TEST(ZoomReadDzi, ZipWithTheDziAtItsRootAndASidecarInside) {
    TempFolder folder("dzi_zip");
    Image8 src = make_source(300, 200);
    write_dzi(folder.path() / "src" / "wall.dzi", src);
    write_text(folder.path() / "src" / "wall.vitrine.json", R"({"mm_per_pixel": 0.5})");
    int error = 0;
    zip_t* zip = zip_open((folder / "wall.zip").c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    ASSERT_TRUE(zip);
    for (const auto& entry : fs::recursive_directory_iterator(folder.path() / "src")) {
        if (!entry.is_regular_file()) continue;
        std::string name = fs::relative(entry.path(), folder.path() / "src").generic_string();
        zip_source_t* source = zip_source_file(zip, entry.path().c_str(), 0, -1);
        ASSERT_TRUE(source);
        ASSERT_GE(zip_file_add(zip, name.c_str(), source, ZIP_FL_OVERWRITE), 0);
    }
    ASSERT_EQ(zip_close(zip), 0);
    auto p = open_ok(folder / "wall.zip");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->info().format, PyramidFormat::DziZip);
    EXPECT_DOUBLE_EQ(p->info().mm_per_pixel, 0.5);
    EXPECT_EQ(p->info().levels.size(), 10u);
    EXPECT_EQ(compare_level(*p, 0, src).max, 0.0);
    EXPECT_LE(compare_level(*p, 1, src).max, 0.5);
}

TEST(ZoomReadDzi, BadHeaders) {
    TempFolder folder("dzi_bad");
    fs::create_directories(folder.path() / "x_files");
    auto error_for = [&](const std::string& xml) {
        write_text(folder.path() / "x.dzi", xml);
        return open_error(folder / "x.dzi");
    };
    const std::string good =
        "<?xml version=\"1.0\"?><Image xmlns=\"http://schemas.microsoft.com/deepzoom/2008\" Format=\"jpeg\" "
        "Overlap=\"1\" TileSize=\"254\"><Size Height=\"500\" Width=\"700\"/></Image>";
    write_text(folder.path() / "x.dzi", good);
    EXPECT_TRUE(open_pyramid(folder / "x.dzi").ok());
    for (size_t cut : {good.size() - 3, good.size() / 2, size_t(60), size_t(10)}) {
        std::string e = error_for(good.substr(0, cut));
        EXPECT_NE(e.find("x.dzi: "), std::string::npos) << e;
        EXPECT_TRUE(e.find("truncated") != std::string::npos || e.find("no XML element") != std::string::npos) << e;
    }
    std::string e = error_for("");
    EXPECT_NE(e.find("x.dzi: "), std::string::npos) << e;
    e = error_for("<Image Format='jpeg' Overlap='1' TileSize='254'><Size Height='500' Width='1000000000000'/></Image>");
    EXPECT_NE(e.find("x.dzi: Width=1000000000000 is out of range"), std::string::npos) << e;
    e = error_for("<Image Format='jpeg' Overlap='1' TileSize='254'><Size Height='16000000' Width='16000000'/></Image>");
    EXPECT_NE(e.find("too large"), std::string::npos) << e;
    e = error_for("<Image Format='jpeg' Overlap='1' TileSize='254'><Size Height='-5' Width='10'/></Image>");
    EXPECT_NE(e.find("Height=\"-5\" is not a whole number"), std::string::npos) << e;
    e = error_for("<Image Format='jpeg' Overlap='1' TileSize='0'><Size Height='5' Width='10'/></Image>");
    EXPECT_NE(e.find("TileSize=0 is out of range"), std::string::npos) << e;
    e = error_for("<Image Format='jpeg' Overlap='1'><Size Height='5' Width='10'/></Image>");
    EXPECT_NE(e.find("no TileSize"), std::string::npos) << e;
    e = error_for("<Image Format='../../etc/passwd' Overlap='1' TileSize='254'><Size Height='5' Width='10'/></Image>");
    EXPECT_NE(e.find("is not supported"), std::string::npos) << e;
    e = error_for("<Image Format='jpeg' Overlap='1' TileSize='254'></Image>");
    EXPECT_NE(e.find("no <Size"), std::string::npos) << e;
    e = error_for("<Picture Format='jpeg'/>");
    EXPECT_NE(e.find("not a Deep Zoom <Image>"), std::string::npos) << e;
    e = error_for("<Image Format='jpeg' Overlap='1' TileSize='254'><Size Height='5' Width='10'/></Imag>");
    EXPECT_NE(e.find("does not close"), std::string::npos) << e;
    e = error_for("<Image Format='jpeg' Format='png' Overlap='1' TileSize='254'><Size Height='5' Width='10'/></Image>");
    EXPECT_NE(e.find("given twice"), std::string::npos) << e;
    e = error_for("<Image Format=jpeg Overlap='1' TileSize='254'><Size Height='5' Width='10'/></Image>");
    EXPECT_NE(e.find("not quoted"), std::string::npos) << e;
    // A bad sidecar.
    write_text(folder.path() / "x.dzi", good);
    write_text(folder.path() / "x.vitrine.json", R"({"mm_per_pixel": "small"})");
    e = open_error(folder / "x.dzi");
    EXPECT_NE(e.find("x.vitrine.json: mm_per_pixel must be a number"), std::string::npos) << e;
    write_text(folder.path() / "x.vitrine.json", "{");
    e = open_error(folder / "x.dzi");
    EXPECT_NE(e.find("x.vitrine.json: not a JSON object"), std::string::npos) << e;
    fs::remove(folder.path() / "x.vitrine.json");
    fs::remove(folder.path() / "x_files");
    e = open_error(folder / "x.dzi");
    EXPECT_NE(e.find("x_files is missing"), std::string::npos) << e;
    e = open_error(folder / "nothing.dzi");
    EXPECT_NE(e.find("nothing.dzi: no such file"), std::string::npos) << e;
}

TEST(ZoomReadDzi, BadTiles) {
    TempFolder folder("dzi_tiles");
    Image8 src = make_source(300, 200);
    write_dzi(folder.path() / "t.dzi", src);
    fs::path files = folder.path() / "t_files" / "9";
    // Wrong size: tile 0_0 of level 9 (the full resolution) must be 130 x 130.
    ASSERT_TRUE(write_png(files / "0_0.png", make_source(128, 128)).ok());
    // JPEG bytes under a .png name decode (by magic) but are cut short.
    auto jpeg = encode_jpeg(make_source(132, 130));
    ASSERT_FALSE(jpeg.empty());
    jpeg.resize(jpeg.size() - 200);
    write_bytes(files / "1_0.png", jpeg);
    write_bytes(files / "2_0.png", {'G', 'I', 'F', '8', '9', 'a'});
    auto png = read_file(files / "0_1.png").value();
    png.resize(png.size() / 2);
    write_bytes(files / "0_1.png", png);
    fs::remove(files / "1_1.png");
    auto p = open_ok(folder / "t.dzi");
    ASSERT_TRUE(p);
    std::string e = tile_error(*p, 0, 0, 0);
    EXPECT_NE(e.find("t_files/9/0_0.png: 128x128 pixels, expected 130x130"), std::string::npos) << e;
    e = tile_error(*p, 0, 1, 0);
    EXPECT_NE(e.find("t_files/9/1_0.png: corrupt JPEG"), std::string::npos) << e;
    e = tile_error(*p, 0, 2, 0);
    EXPECT_NE(e.find("t_files/9/2_0.png: not a JPEG or PNG tile"), std::string::npos) << e;
    e = tile_error(*p, 0, 0, 1);
    EXPECT_NE(e.find("t_files/9/0_1.png: corrupt PNG"), std::string::npos) << e;
    e = tile_error(*p, 0, 1, 1);
    EXPECT_NE(e.find("t_files/9/1_1.png: missing"), std::string::npos) << e;
    EXPECT_TRUE(p->read_tile(0, 2, 1).ok());
    EXPECT_TRUE(p->read_tile(1, 0, 0).ok());
}

TEST(ZoomReadDzi, DecodeTileRefusesHugeTilesBeforeDecoding) {
    // A PNG header claiming 100000 x 100000 pixels.
    std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0, 8, 6, 0, 0, 0};
    auto r = decode_tile(png.data(), png.size(), "big.png");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("big.png: "), std::string::npos) << r.error().message;
    auto jpeg = encode_jpeg(make_source(16, 16));
    jpeg[0] = 0xFF;
    // Patch the SOF's height and width to 60000.
    for (size_t i = 2; i + 8 < jpeg.size(); ++i)
        if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {
            jpeg[i + 5] = 0xEA, jpeg[i + 6] = 0x60, jpeg[i + 7] = 0xEA, jpeg[i + 8] = 0x60;
            break;
        }
    r = decode_tile(jpeg.data(), jpeg.size(), "big.jpg");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("big.jpg: JPEG of 60000x60000 pixels is not a tile"), std::string::npos)
        << r.error().message;
}

// ---- IIIF and Zoomify headers ----

TEST(ZoomReadIiif, BadInfoJson) {
    TempFolder folder("iiif_bad");
    auto error_for = [&](const std::string& json) {
        write_text(folder.path() / "info.json", json);
        return open_error(folder.path().string());
    };
    const std::string tiles = R"("tiles": [{"width": 256, "scaleFactors": [1, 2, 4]}])";
    std::string e = error_for(R"({"type": "ImageService3", "height": 100, )" + tiles + "}");
    EXPECT_NE(e.find("info.json: \"width\" is missing"), std::string::npos) << e;
    e = error_for(R"({"type": "ImageService3", "width": -700, "height": 100, )" + tiles + "}");
    EXPECT_NE(e.find("\"width\" must be a whole number"), std::string::npos) << e;
    e = error_for(R"({"type": "ImageService3", "width": 700, "height": 100, "tiles": [{"width": 256, "scaleFactors": [1, 3]}]})");
    EXPECT_NE(e.find("scaleFactors 3 is not a power of two"), std::string::npos) << e;
    e = error_for(R"({"type": "ImageService3", "width": 700, "height": 100, "tiles": [{"width": 256, "scaleFactors": [2, 4]}]})");
    EXPECT_NE(e.find("lack 1"), std::string::npos) << e;
    e = error_for(R"({"type": "ImageService3", "width": 700, "height": 100, "tiles": [{"scaleFactors": [1]}]})");
    EXPECT_NE(e.find("tiles[0]: \"width\" is missing"), std::string::npos) << e;
    e = error_for(R"({"type": "ImageService3", "width": 700, "height": 100})");
    EXPECT_NE(e.find("\"tiles\" is missing"), std::string::npos) << e;
    e = error_for(R"({"@id": "x", "@context": "http://iiif.io/api/image/2/context.json", "width": 700, "height": 100, )" + tiles + "}");
    EXPECT_NE(e.find("not a IIIF Image API 3 service"), std::string::npos) << e;
    e = error_for(R"({"type": "ImageService2", "width": 700, "height": 100, )" + tiles + "}");
    EXPECT_NE(e.find("\"type\": \"ImageService2\""), std::string::npos) << e;
    e = error_for(R"({"type": "ImageService3", "width": 700)");
    EXPECT_NE(e.find("not valid JSON"), std::string::npos) << e;
    e = error_for(R"({"type": "ImageService3", "width": 100000000, "height": 100000000, )" + tiles + "}");
    EXPECT_NE(e.find("must be a whole number from 1 to"), std::string::npos) << e;
    // Scale factors with a gap: levels stop at the gap; a missing tile is named.
    write_text(folder.path() / "info.json",
               R"({"type": "ImageService3", "id": "file:///anywhere", "width": 700, "height": 500,
                   "tiles": [{"width": 256, "height": 128, "scaleFactors": [1, 2, 8]}]})");
    write_text(folder.path() / "vitrine.json", R"({"mm_per_pixel": 2})");
    auto p = open_ok(folder.path().string());
    ASSERT_TRUE(p);
    EXPECT_EQ(p->info().levels.size(), 2u);
    EXPECT_EQ(p->info().tile_height, 128u);
    EXPECT_EQ(p->rows(0), 4u);
    EXPECT_DOUBLE_EQ(p->info().mm_per_pixel, 2.0);
    e = tile_error(*p, 1, 1, 1);
    EXPECT_NE(e.find("/512,256,188,244/94,122/0/default.jpg: missing"), std::string::npos) << e;
}

TEST(ZoomReadZoomify, HeaderAndTileGroups) {
    TempFolder folder("zoomify");
    // 600 x 300 in 128 px tiles, tiers rounded up: 600x300 (5x3), 300x150 (3x2), 150x75 (2x1), 75x38 (1) = 24 tiles.
    write_text(folder.path() / "ImageProperties.xml",
               "<IMAGE_PROPERTIES WIDTH=\"600\" HEIGHT=\"300\" NUMTILES=\"24\" NUMIMAGES=\"1\" VERSION=\"1.8\" TILESIZE=\"128\" />");
    auto p = open_ok(folder.path().string());
    ASSERT_TRUE(p);
    ASSERT_EQ(p->info().levels.size(), 4u);
    EXPECT_EQ(p->info().levels[3], (LevelSize{75, 38}));
    // Full resolution is tier 3; its tile (4, 2) is tile number 1 + 2 + 6 + 2*5 + 4 = 23.
    std::string e = tile_error(*p, 0, 4, 2);
    EXPECT_NE(e.find("TileGroup0/3-4-2.jpg: missing"), std::string::npos) << e;
    Image8 tile = make_source(88, 44);  // 600 - 512, 300 - 256
    write_bytes(folder.path() / "TileGroup0" / "3-4-2.jpg", encode_jpeg(tile));
    auto read = p->read_tile(0, 4, 2);
    ASSERT_TRUE(read.ok()) << read.error().message;
    EXPECT_EQ(read->width, 88u);
    // A count that fits neither rounding rule.
    write_text(folder.path() / "ImageProperties.xml",
               "<IMAGE_PROPERTIES WIDTH='600' HEIGHT='300' NUMTILES='25' TILESIZE='128'/>");
    e = open_error(folder.path().string());
    EXPECT_NE(e.find("NUMTILES=25 does not match"), std::string::npos) << e;
    write_text(folder.path() / "ImageProperties.xml", "<IMAGE_PROPERTIES WIDTH='600' HEIGHT='300' NUMTILES='24'");
    e = open_error((folder.path() / "ImageProperties.xml").string());
    EXPECT_NE(e.find("truncated"), std::string::npos) << e;
    write_text(folder.path() / "ImageProperties.xml", "<IMAGE_PROPERTIES WIDTH='600' NUMTILES='24' TILESIZE='128'/>");
    e = open_error(folder.path().string());
    EXPECT_NE(e.find("ImageProperties.xml: <IMAGE_PROPERTIES> has no HEIGHT"), std::string::npos) << e;
}

TEST(ZoomReadZoomify, TierSizesRoundedDown) {
    TempFolder folder("zoomify_down");
    // 513 x 257, tile 256: up: 513x257 (3x2), 257x129 (2x1), 129x65 (1) = 9 tiles;
    // down: 513x257 (3x2), 256x128 (1) = 7 tiles.
    write_text(folder.path() / "ImageProperties.xml", "<IMAGE_PROPERTIES WIDTH='513' HEIGHT='257' NUMTILES='7' TILESIZE='256'/>");
    auto p = open_ok(folder.path().string());
    ASSERT_TRUE(p);
    ASSERT_EQ(p->info().levels.size(), 2u);
    EXPECT_EQ(p->info().levels[1], (LevelSize{256, 128}));
    write_text(folder.path() / "ImageProperties.xml", "<IMAGE_PROPERTIES WIDTH='513' HEIGHT='257' NUMTILES='9' TILESIZE='256'/>");
    p = open_ok(folder.path().string());
    ASSERT_TRUE(p);
    EXPECT_EQ(p->info().levels.size(), 3u);
}

// ---- TIFF written with libtiff ----

// Our native layout: BigTIFF, full resolution first, reduced levels as following IFDs
// (NEWSUBFILETYPE = reduced), tiles of `tile`, RGB 8-bit, resolution and ICC tags.
void write_tiff(const std::string& path, const std::vector<Image8>& levels, uint32_t tile, uint16_t compression,
                const std::vector<uint8_t>& icc, bool tiled = true, uint16_t bits = 8) {
    TIFF* tif = TIFFOpen(path.c_str(), "w8");
    ASSERT_TRUE(tif);
    for (size_t k = 0; k < levels.size(); ++k) {
        const Image8& im = levels[k];
        TIFFSetField(tif, TIFFTAG_SUBFILETYPE, k ? FILETYPE_REDUCEDIMAGE : 0);
        TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, im.width);
        TIFFSetField(tif, TIFFTAG_IMAGELENGTH, im.height);
        TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, bits);
        TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 3);
        TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
        TIFFSetField(tif, TIFFTAG_COMPRESSION, compression);
        if (compression == COMPRESSION_JPEG) {
            TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_YCBCR);
            TIFFSetField(tif, TIFFTAG_YCBCRSUBSAMPLING, 2, 2);
            TIFFSetField(tif, TIFFTAG_JPEGQUALITY, 95);
            TIFFSetField(tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
        } else {
            TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
        }
        TIFFSetField(tif, TIFFTAG_XRESOLUTION, 40.0f);  // 40 px/cm: 0.25 mm per pixel
        TIFFSetField(tif, TIFFTAG_YRESOLUTION, 40.0f);
        TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_CENTIMETER);
        if (!icc.empty()) TIFFSetField(tif, TIFFTAG_ICCPROFILE, uint32_t(icc.size()), icc.data());
        uint32_t bpp = 3 * bits / 8;
        if (tiled) {
            TIFFSetField(tif, TIFFTAG_TILEWIDTH, tile);
            TIFFSetField(tif, TIFFTAG_TILELENGTH, tile);
            std::vector<uint8_t> buf(size_t(tile) * tile * bpp);
            for (uint32_t ty = 0; ty < im.height; ty += tile)
                for (uint32_t tx = 0; tx < im.width; tx += tile) {
                    std::fill(buf.begin(), buf.end(), 0);
                    for (uint32_t y = 0; y < tile && ty + y < im.height; ++y)
                        for (uint32_t x = 0; x < tile && tx + x < im.width; ++x)
                            for (int c = 0; c < 3; ++c) {
                                uint8_t v = im.rgba[((size_t(ty) + y) * im.width + tx + x) * 4 + c];
                                if (bits == 8) buf[(size_t(y) * tile + x) * 3 + c] = v;
                                else reinterpret_cast<uint16_t*>(buf.data())[(size_t(y) * tile + x) * 3 + c] = uint16_t(v * 257);
                            }
                    ASSERT_GE(TIFFWriteTile(tif, buf.data(), tx, ty, 0, 0), 0);
                }
        } else {
            TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, 16);
            std::vector<uint8_t> row(size_t(im.width) * 3);
            for (uint32_t y = 0; y < im.height; ++y) {
                for (uint32_t x = 0; x < im.width; ++x)
                    for (int c = 0; c < 3; ++c) row[x * 3 + c] = im.rgba[(size_t(y) * im.width + x) * 4 + c];
                ASSERT_EQ(TIFFWriteScanline(tif, row.data(), y, 0), 1);
            }
        }
        ASSERT_TRUE(TIFFWriteDirectory(tif));
    }
    TIFFClose(tif);
}

std::vector<Image8> box_levels(const Image8& src, int count) {
    std::vector<Image8> levels{src};
    auto sizes = halving_levels(src.width, src.height);
    for (int k = 1; k < count; ++k) {
        const Image8& a = levels.back();
        Image8 b{sizes[k].width, sizes[k].height, std::vector<uint8_t>(size_t(sizes[k].width) * sizes[k].height * 4, 255)};
        for (uint32_t y = 0; y < b.height; ++y)
            for (uint32_t x = 0; x < b.width; ++x)
                for (int c = 0; c < 3; ++c) {
                    int sum = 0, n = 0;
                    for (uint32_t dy = 0; dy < 2; ++dy)
                        for (uint32_t dx = 0; dx < 2; ++dx)
                            if (2 * x + dx < a.width && 2 * y + dy < a.height)
                                sum += a.rgba[((2 * y + dy) * a.width + 2 * x + dx) * 4 + c], ++n;
                    b.rgba[(y * b.width + x) * 4 + c] = uint8_t((sum + n / 2) / n);
                }
        levels.push_back(std::move(b));
    }
    return levels;
}


TEST(ZoomReadTiff, NativeDeflateBigTiff) {
    TempFolder folder("tiff");
    Image8 src = make_source(600, 400);
    auto levels = box_levels(src, 3);  // 600x400, 300x200, 150x100
    write_tiff(folder / "native.tif", levels, 256, COMPRESSION_ADOBE_DEFLATE, vitrine::test::wide_rgb_profile("Vitrine test RGB"));
    auto p = open_ok(folder / "native.tif");
    ASSERT_TRUE(p);
    const PyramidInfo& info = p->info();
    EXPECT_EQ(info.format, PyramidFormat::Tiff);
    EXPECT_EQ(info.tile_format, "deflate");
    ASSERT_EQ(info.levels.size(), 3u);
    EXPECT_EQ(info.levels[2], (LevelSize{150, 100}));
    EXPECT_NEAR(info.mm_per_pixel, 0.25, 1e-6);
    EXPECT_EQ(info.colour, "Vitrine test RGB");
    EXPECT_EQ(compare_level(*p, 0, src).max, 0.0);
    EXPECT_LE(compare_level(*p, 1, src).max, 0.5);
    // Edge tiles are cropped from the padded file tiles.
    auto edge = p->read_tile(0, 2, 1);
    ASSERT_TRUE(edge.ok());
    EXPECT_EQ(edge->width, 88u);
    EXPECT_EQ(edge->height, 144u);
    std::string text = describe(info);
    for (const char* fact : {"pyramidal TIFF", "600 x 400", "3: 600 x 400 down to 150 x 100", "256 x 256 px, overlap 0, deflate",
                             "0.25 mm per pixel", "150 mm x 100 mm", "Vitrine test RGB"})
        EXPECT_NE(text.find(fact), std::string::npos) << fact << " not in\n" << text;
    // Many threads at once: each borrows its own handle; the tiles equal the serial reads.
    std::vector<Image8> serial;
    for (uint32_t level = 0; level < 3; ++level)
        for (uint32_t r = 0; r < p->rows(level); ++r)
            for (uint32_t c = 0; c < p->columns(level); ++c) serial.push_back(p->read_tile(level, c, r).value());
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int repeat = 0; repeat < 3; ++repeat) {
                size_t i = 0;
                for (uint32_t level = 0; level < 3; ++level)
                    for (uint32_t r = 0; r < p->rows(level); ++r)
                        for (uint32_t c = 0; c < p->columns(level); ++c, ++i) {
                            auto tile = p->read_tile(level, c, r);
                            if (!tile || tile->rgba != serial[i].rgba) ++mismatches;
                        }
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(mismatches.load(), 0);
}

TEST(ZoomReadTiff, NativeJpegYCbCrAnd16Bit) {
    TempFolder folder("tiff_jpeg");
    Image8 src = make_source(600, 400);
    write_tiff(folder / "jpeg.tif", box_levels(src, 2), 256, COMPRESSION_JPEG, {});
    auto p = open_ok(folder / "jpeg.tif");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->info().tile_format, "jpeg");
    EXPECT_EQ(p->info().colour, "sRGB");
    EXPECT_LT(compare_level(*p, 0, src).mean, 3.0);
    EXPECT_LT(compare_level(*p, 1, src).mean, 3.0);
    write_tiff(folder / "sixteen.tif", box_levels(src, 2), 128, COMPRESSION_ADOBE_DEFLATE, {}, true, 16);
    p = open_ok(folder / "sixteen.tif");
    ASSERT_TRUE(p);
    EXPECT_EQ(compare_level(*p, 0, src).max, 0.0);
}

TEST(ZoomReadTiff, Refusals) {
    TempFolder folder("tiff_bad");
    Image8 src = make_source(300, 200);
    write_tiff(folder / "striped.tif", {src}, 256, COMPRESSION_NONE, {}, false);
    std::string e = open_error(folder / "striped.tif");
    EXPECT_NE(e.find("striped.tif: not tiled"), std::string::npos) << e;
    // A level that does not halve ends the pyramid there (a thumbnail, say).
    auto levels = box_levels(src, 2);
    levels.push_back(make_source(40, 40));
    write_tiff(folder / "short.tif", levels, 128, COMPRESSION_ADOBE_DEFLATE, {});
    auto p = open_ok(folder / "short.tif");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->info().levels.size(), 2u);
    // Photometric min-is-white (and anything but RGB, grey, JPEG YCbCr) is refused by name.
    {
        TIFF* tif = TIFFOpen((folder / "white.tif").c_str(), "w");
        ASSERT_TRUE(tif);
        TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, 32);
        TIFFSetField(tif, TIFFTAG_IMAGELENGTH, 32);
        TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 8);
        TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
        TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
        TIFFSetField(tif, TIFFTAG_TILEWIDTH, 16);
        TIFFSetField(tif, TIFFTAG_TILELENGTH, 16);
        std::vector<uint8_t> tile(256, 7);
        for (uint32_t y = 0; y < 32; y += 16)
            for (uint32_t x = 0; x < 32; x += 16) ASSERT_GE(TIFFWriteTile(tif, tile.data(), x, y, 0, 0), 0);
        TIFFClose(tif);
    }
    e = open_error(folder / "white.tif");
    EXPECT_NE(e.find("white.tif: photometric 0 with 1 samples is not supported"), std::string::npos) << e;
    e = open_error(folder / "missing.tif");
    EXPECT_NE(e.find("missing.tif: no such file"), std::string::npos) << e;
    write_text(folder.path() / "text.tif", "this is not a TIFF");
    e = open_error(folder / "text.tif");
    EXPECT_NE(e.find("text.tif: not a readable TIFF"), std::string::npos) << e;
    // Absurd dimensions: a 1 x 1 tiled TIFF whose width (and height) are patched.
    write_tiff(folder / "absurd.tif", {make_source(1, 1)}, 16, COMPRESSION_NONE, {});
    const auto original = read_file(folder / "absurd.tif").value();
    auto patch = [&](uint32_t width, uint32_t height) {
        std::vector<uint8_t> bytes = original;
        // BigTIFF IFD entries: tag (2) type (2) count (8) value (8).
        uint64_t ifd = 0, count = 0;
        std::memcpy(&ifd, &bytes[8], 8);
        std::memcpy(&count, &bytes[ifd], 8);
        for (uint64_t i = 0; i < count; ++i) {
            uint8_t* entry = &bytes[ifd + 8 + i * 20];
            uint16_t tag = uint16_t(entry[0] | entry[1] << 8);
            if (tag == TIFFTAG_IMAGEWIDTH || tag == TIFFTAG_IMAGELENGTH) {
                uint32_t v = tag == TIFFTAG_IMAGEWIDTH ? width : height;
                std::memset(entry + 12, 0, 8);
                std::memcpy(entry + 12, &v, 4);
                entry[2] = TIFF_LONG, entry[3] = 0;
            }
        }
        write_bytes(folder.path() / "absurd.tif", bytes);
        return open_error(folder / "absurd.tif");
    };
    // libtiff itself takes a 20 000 000 x 1 image; we refuse it before any tile is read.
    e = patch(20000000, 1);
    EXPECT_NE(e.find("absurd.tif: 20000000x1 pixels is too large"), std::string::npos) << e;
    // 10^9 x 10^9 has more tiles than libtiff counts: it refuses first, and we say so.
    e = patch(1000000000, 1000000000);
    EXPECT_NE(e.find("absurd.tif: not a readable TIFF ("), std::string::npos) << e;
}

// ---- dispatch ----

TEST(ZoomReadPaths, WhatLooksLikeAPyramid) {
    TempFolder folder("paths");
    write_text(folder.path() / "iiif" / "info.json", "{}");
    write_text(folder.path() / "zoomify" / "ImageProperties.xml", "<IMAGE_PROPERTIES/>");
    fs::create_directories(folder.path() / "plain");
    EXPECT_TRUE(is_pyramid_path("procedural:pattern:10x10"));
    EXPECT_TRUE(is_pyramid_path("scroll.dzi"));
    EXPECT_TRUE(is_pyramid_path("scroll.zip"));
    EXPECT_TRUE(is_pyramid_path("scan.TIF"));
    EXPECT_TRUE(is_pyramid_path("x/info.json"));
    EXPECT_TRUE(is_pyramid_path(folder / "iiif"));
    EXPECT_TRUE(is_pyramid_path(folder / "zoomify"));
    EXPECT_FALSE(is_pyramid_path(folder / "plain"));
    EXPECT_FALSE(is_pyramid_path("box.gltf"));
    EXPECT_FALSE(is_pyramid_path("show.scene.yaml"));
    std::string e = open_error(folder / "plain");
    EXPECT_NE(e.find("a folder without info.json"), std::string::npos) << e;
    e = open_error("model.glb");
    EXPECT_NE(e.find("model.glb: not a pyramid"), std::string::npos) << e;
    e = open_error(folder / "none.zip");
    EXPECT_NE(e.find("none.zip: no such file"), std::string::npos) << e;
    write_text(folder.path() / "junk.zip", "not a zip");
    e = open_error(folder / "junk.zip");
    EXPECT_NE(e.find("junk.zip: cannot open the zip"), std::string::npos) << e;
    EXPECT_STREQ(format_name(PyramidFormat::Iiif3), "IIIF 3 level 0");
}

}  // namespace
