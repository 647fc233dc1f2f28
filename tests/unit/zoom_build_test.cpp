// The pyramid builder (zoom/build.h) and its sources: lossless pyramids decoded tile by
// tile with libpng / libtiff directly (not through the readers), so a reader bug cannot
// hide a builder bug. Inputs are written here with libpng, libturbojpeg and libtiff.
#include <gtest/gtest.h>
#include <lcms2.h>
#include <png.h>
#include <tiffio.h>
#include <turbojpeg.h>
#include <unistd.h>

#include <atomic>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/outputs.h"
#include "icc_profile.h"
#include "zoom/build.h"
#include "zoom/procedural.h"
#include "zoom/source.h"

namespace fs = std::filesystem;
using namespace vitrine;
using namespace vitrine::zoom;

namespace {

// A folder of its own per test, removed afterwards.
class ZoomBuildTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::temp_directory_path() /
               ("vitrine_zoom_build_" + std::string(info->name()) + "_" + std::to_string(getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    std::vector<std::string> listing() const {
        std::vector<std::string> names;
        for (auto& e : fs::recursive_directory_iterator(dir_)) names.push_back(fs::relative(e.path(), dir_).string());
        std::sort(names.begin(), names.end());
        return names;
    }
    // A temporary left behind ("NAME.partial-PID-N" or a DZI's ".NAME.partial-PID").
    bool temporaries() const {
        for (auto& e : fs::recursive_directory_iterator(dir_))
            if (e.path().filename().string().find(".partial") != std::string::npos) return true;
        return false;
    }
    fs::path dir_;
};

struct Picture {
    uint32_t width = 0, height = 0, channels = 3;
    std::vector<uint8_t> pixels;
    uint8_t* at(uint32_t x, uint32_t y) { return pixels.data() + (size_t(y) * width + x) * channels; }
    const uint8_t* at(uint32_t x, uint32_t y) const { return pixels.data() + (size_t(y) * width + x) * channels; }
};

// Busy, position-dependent pixels (every channel differs), so misplaced rows, columns
// or channels show, and odd/even neighbours differ.
Picture busy(uint32_t w, uint32_t h, uint32_t channels = 3) {
    Picture p{w, h, channels, std::vector<uint8_t>(size_t(w) * h * channels)};
    for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < w; ++x)
            for (uint32_t c = 0; c < channels; ++c)
                p.at(x, y)[c] = uint8_t((x * 7 + y * 13 + c * 71 + ((x * y) >> 3) + (x ^ y) * 3) & 255);
    return p;
}

// Photo-like pixels for lossy (JPEG) checks: smooth colour gradients.
Picture smooth(uint32_t w, uint32_t h) {
    Picture p{w, h, 3, std::vector<uint8_t>(size_t(w) * h * 3)};
    for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < w; ++x) {
            p.at(x, y)[0] = uint8_t(128 + 100 * std::sin(x * 0.02) * std::cos(y * 0.015));
            p.at(x, y)[1] = uint8_t(40 + 150 * x / w);
            p.at(x, y)[2] = uint8_t(200 - 150 * y / h);
        }
    return p;
}

// The next level as vips makes it, written independently of shrink_rows: each pixel the
// rounded mean (+2 >> 2) of its 2 x 2 parents, the last column / row repeated at odd sizes.
Picture halve(const Picture& p) {
    Picture q{(p.width + 1) / 2, (p.height + 1) / 2, p.channels, {}};
    q.pixels.resize(size_t(q.width) * q.height * q.channels);
    for (uint32_t y = 0; y < q.height; ++y)
        for (uint32_t x = 0; x < q.width; ++x)
            for (uint32_t c = 0; c < p.channels; ++c) {
                uint32_t x0 = 2 * x, y0 = 2 * y, x1 = std::min(x0 + 1, p.width - 1), y1 = std::min(y0 + 1, p.height - 1);
                uint32_t s = p.at(x0, y0)[c] + p.at(x1, y0)[c] + p.at(x0, y1)[c] + p.at(x1, y1)[c];
                q.at(x, y)[c] = uint8_t((s + 2) >> 2);
            }
    return q;
}

// The float mean of the 2 x 2 (or fewer, at odd edges) parents that exist.
double mean_of_existing(const Picture& p, uint32_t x, uint32_t y, uint32_t c) {
    double s = 0;
    int n = 0;
    for (uint32_t yy = 2 * y; yy < std::min(2 * y + 2, p.height); ++yy)
        for (uint32_t xx = 2 * x; xx < std::min(2 * x + 2, p.width); ++xx, ++n) s += p.at(xx, yy)[c];
    return s / n;
}

// --- writing inputs -----------------------------------------------------------------

struct PngOptions {
    int depth = 8;                 // 8 or 16
    bool palette = false;          // 8-bit indices into a palette of the picture's colours
    std::vector<uint8_t> icc;      // iCCP
};

void write_png(const std::string& path, const Picture& p, const PngOptions& o = {}) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_TRUE(f);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png_create_info_struct(png);
    png_init_io(png, f);
    int type = o.palette ? PNG_COLOR_TYPE_PALETTE : p.channels == 4 ? PNG_COLOR_TYPE_RGBA : PNG_COLOR_TYPE_RGB;
    png_set_IHDR(png, info, p.width, p.height, o.depth, type, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE,
                 PNG_FILTER_TYPE_BASE);
    std::vector<png_color> colours;
    std::vector<uint8_t> indices;
    if (o.palette) {  // at most 256 distinct colours in the picture
        for (size_t i = 0; i < p.pixels.size(); i += 3) {
            png_color c{p.pixels[i], p.pixels[i + 1], p.pixels[i + 2]};
            size_t k = 0;
            while (k < colours.size() && (colours[k].red != c.red || colours[k].green != c.green || colours[k].blue != c.blue)) ++k;
            if (k == colours.size()) colours.push_back(c);
            ASSERT_LT(k, 256u);
            indices.push_back(uint8_t(k));
        }
        png_set_PLTE(png, info, colours.data(), int(colours.size()));
    }
    if (!o.icc.empty()) png_set_iCCP(png, info, "test profile", 0, o.icc.data(), png_uint_32(o.icc.size()));
    png_write_info(png, info);
    std::vector<uint8_t> row;
    for (uint32_t y = 0; y < p.height; ++y) {
        if (o.palette) {
            png_write_row(png, indices.data() + size_t(y) * p.width);
        } else if (o.depth == 16) {  // v * 257: scales back to exactly v
            row.clear();
            for (uint32_t i = 0; i < p.width * p.channels; ++i) {
                uint8_t v = p.pixels[size_t(y) * p.width * p.channels + i];
                row.push_back(v), row.push_back(v);
            }
            png_write_row(png, row.data());
        } else {
            png_write_row(png, p.at(0, y));
        }
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    std::fclose(f);
}

std::vector<uint8_t> jpeg_bytes(const Picture& p, int quality) {
    tjhandle tj = tjInitCompress();
    unsigned char* out = nullptr;
    unsigned long size = 0;
    tjCompress2(tj, p.pixels.data(), int(p.width), 0, int(p.height), TJPF_RGB, &out, &size, TJSAMP_420, quality, 0);
    std::vector<uint8_t> bytes(out, out + size);
    tjFree(out);
    tjDestroy(tj);
    return bytes;
}

void write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

struct TiffOptions {
    uint32_t tile = 0;           // 0: strips
    uint32_t rows_per_strip = 7;
    int depth = 8;
    std::vector<uint8_t> icc;
};

void write_tiff(const std::string& path, const Picture& p, const TiffOptions& o) {
    TIFF* t = TIFFOpen(path.c_str(), "w");
    ASSERT_TRUE(t);
    TIFFSetField(t, TIFFTAG_IMAGEWIDTH, p.width);
    TIFFSetField(t, TIFFTAG_IMAGELENGTH, p.height);
    TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, o.depth);
    TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, p.channels);
    TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
    TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
    if (!o.icc.empty()) TIFFSetField(t, TIFFTAG_ICCPROFILE, uint32_t(o.icc.size()), o.icc.data());
    size_t bytes = o.depth / 8, pixel = bytes * p.channels;
    auto sample = [&](uint32_t x, uint32_t y, uint32_t c, uint8_t* out) {
        uint8_t v = x < p.width && y < p.height ? p.at(x, y)[c] : 0;
        if (bytes == 1) *out = v;
        else {
            uint16_t w = uint16_t(v * 257);
            std::memcpy(out, &w, 2);
        }
    };
    if (o.tile) {
        TIFFSetField(t, TIFFTAG_TILEWIDTH, o.tile);
        TIFFSetField(t, TIFFTAG_TILELENGTH, o.tile);
        std::vector<uint8_t> buf(size_t(o.tile) * o.tile * pixel);
        for (uint32_t ty = 0; ty < p.height; ty += o.tile)
            for (uint32_t tx = 0; tx < p.width; tx += o.tile) {
                for (uint32_t y = 0; y < o.tile; ++y)
                    for (uint32_t x = 0; x < o.tile; ++x)
                        for (uint32_t c = 0; c < p.channels; ++c)
                            sample(tx + x, ty + y, c, buf.data() + (size_t(y) * o.tile + x) * pixel + c * bytes);
                TIFFWriteTile(t, buf.data(), tx, ty, 0, 0);
            }
    } else {
        TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, o.rows_per_strip);
        std::vector<uint8_t> row(p.width * pixel);
        for (uint32_t y = 0; y < p.height; ++y) {
            for (uint32_t x = 0; x < p.width; ++x)
                for (uint32_t c = 0; c < p.channels; ++c) sample(x, y, c, row.data() + x * pixel + c * bytes);
            TIFFWriteScanline(t, row.data(), y, 0);
        }
    }
    TIFFClose(t);
}

// --- reading pyramids back, without the readers -----------------------------------

Picture read_png_tile(const std::string& path) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    Picture p;
    if (!png_image_begin_read_from_file(&image, path.c_str())) return p;
    p.channels = (image.format & PNG_FORMAT_FLAG_ALPHA) ? 4 : 3;
    image.format = p.channels == 4 ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB;
    p.pixels.resize(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, p.pixels.data(), 0, nullptr)) return {};
    p.width = image.width, p.height = image.height;
    return p;
}

Picture read_jpeg_tile(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    tjhandle tj = tjInitDecompress();
    int w = 0, h = 0, sub = 0, space = 0;
    Picture p;
    if (tjDecompressHeader3(tj, bytes.data(), bytes.size(), &w, &h, &sub, &space) == 0) {
        p = {uint32_t(w), uint32_t(h), 3, std::vector<uint8_t>(size_t(w) * h * 3)};
        tjDecompress2(tj, bytes.data(), bytes.size(), p.pixels.data(), w, 0, h, TJPF_RGB, 0);
    }
    tjDestroy(tj);
    return p;
}

// Every level of a Deep Zoom pyramid reassembled from its tiles; each tile must have
// its tile_rect size, and overlapping pixels must agree.
std::vector<Picture> read_dzi(const std::string& dzi, uint32_t w, uint32_t h, uint32_t tile, uint32_t overlap,
                              const char* suffix) {
    std::vector<LevelSize> sizes = halving_levels(w, h);
    std::string files = dzi.substr(0, dzi.size() - 4) + "_files/";
    std::vector<Picture> levels;
    for (uint32_t l = 0; l < sizes.size(); ++l) {
        Picture level{sizes[l].width, sizes[l].height, 0, {}};
        for (uint32_t r = 0; r < tiles_across(level.height, tile); ++r)
            for (uint32_t c = 0; c < tiles_across(level.width, tile); ++c) {
                std::string name = files + std::to_string(dzi_level(l, uint32_t(sizes.size()))) + "/" + std::to_string(c) + "_" +
                                   std::to_string(r) + "." + suffix;
                Picture t = std::string(suffix) == "png" ? read_png_tile(name) : read_jpeg_tile(name);
                PixelRect rect = tile_rect(sizes[l], tile, overlap, c, r);
                EXPECT_EQ(t.width, rect.width) << name;
                EXPECT_EQ(t.height, rect.height) << name;
                if (t.width != rect.width || t.height != rect.height) return {};
                if (!level.channels) {
                    level.channels = t.channels;
                    level.pixels.assign(size_t(level.width) * level.height * level.channels, 0);
                }
                for (uint32_t y = 0; y < t.height; ++y)
                    std::memcpy(level.at(rect.x, rect.y + y), t.at(0, y), size_t(t.width) * t.channels);
            }
        levels.push_back(std::move(level));
    }
    return levels;
}

struct TiffLevel {
    Picture picture;
    uint32_t subfile = 0, tile_width = 0, tile_height = 0;
    uint16_t compression = 0;
    float xres = 0, yres = 0;
    uint16_t unit = 0;
    std::vector<uint8_t> icc;
};

std::vector<TiffLevel> read_tiff(const std::string& path) {
    std::vector<TiffLevel> levels;
    TIFF* t = TIFFOpen(path.c_str(), "r");
    if (!t) return levels;
    do {
        TiffLevel l;
        uint32_t w = 0, h = 0;
        uint16_t spp = 0, photometric = 0;
        TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &w);
        TIFFGetField(t, TIFFTAG_IMAGELENGTH, &h);
        TIFFGetField(t, TIFFTAG_SAMPLESPERPIXEL, &spp);
        TIFFGetField(t, TIFFTAG_PHOTOMETRIC, &photometric);
        TIFFGetFieldDefaulted(t, TIFFTAG_SUBFILETYPE, &l.subfile);
        TIFFGetField(t, TIFFTAG_TILEWIDTH, &l.tile_width);
        TIFFGetField(t, TIFFTAG_TILELENGTH, &l.tile_height);
        TIFFGetField(t, TIFFTAG_COMPRESSION, &l.compression);
        TIFFGetField(t, TIFFTAG_XRESOLUTION, &l.xres);
        TIFFGetField(t, TIFFTAG_YRESOLUTION, &l.yres);
        TIFFGetField(t, TIFFTAG_RESOLUTIONUNIT, &l.unit);
        uint32_t icc_size = 0;
        void* icc = nullptr;
        if (TIFFGetField(t, TIFFTAG_ICCPROFILE, &icc_size, &icc))
            l.icc.assign(static_cast<uint8_t*>(icc), static_cast<uint8_t*>(icc) + icc_size);
        if (photometric == PHOTOMETRIC_YCBCR) TIFFSetField(t, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB), spp = 3;
        l.picture = {w, h, spp, std::vector<uint8_t>(size_t(w) * h * spp)};
        std::vector<uint8_t> buf(size_t(TIFFTileSize(t)));
        for (uint32_t y = 0; y < h && l.tile_width; y += l.tile_height)
            for (uint32_t x = 0; x < w; x += l.tile_width) {
                EXPECT_GT(TIFFReadEncodedTile(t, TIFFComputeTile(t, x, y, 0, 0), buf.data(), tmsize_t(buf.size())), 0);
                for (uint32_t r = 0; r < l.tile_height && y + r < h; ++r)
                    std::memcpy(l.picture.at(x, y + r), buf.data() + size_t(r) * l.tile_width * spp,
                                size_t(std::min(l.tile_width, w - x)) * spp);
            }
        levels.push_back(std::move(l));
    } while (TIFFReadDirectory(t));
    TIFFClose(t);
    return levels;
}

std::string read_text(const std::string& path) {
    std::ifstream f(path);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

// Level 0 equals `source`; each next level equals vips's halving of the one above
// exactly, and the float mean of the parents that exist within 1.
void expect_box_pyramid(const std::vector<Picture>& levels, const Picture& source) {
    ASSERT_FALSE(levels.empty());
    EXPECT_EQ(levels[0].pixels, source.pixels) << "the full resolution is not bit-exact";
    for (size_t l = 1; l < levels.size(); ++l) {
        const Picture& above = levels[l - 1];
        Picture expected = halve(above);
        ASSERT_EQ(levels[l].width, expected.width);
        ASSERT_EQ(levels[l].height, expected.height);
        EXPECT_EQ(levels[l].pixels, expected.pixels) << "level " << l;
        double worst = 0;
        for (uint32_t y = 0; y < expected.height; ++y)
            for (uint32_t x = 0; x < expected.width; ++x)
                for (uint32_t c = 0; c < expected.channels; ++c)
                    worst = std::max(worst, std::abs(levels[l].at(x, y)[c] - mean_of_existing(above, x, y, c)));
        EXPECT_LE(worst, 1.0) << "level " << l;
    }
}

double psnr(const Picture& a, const Picture& b) {
    double se = 0;
    for (size_t i = 0; i < a.pixels.size(); ++i) se += std::pow(double(a.pixels[i]) - b.pixels[i], 2);
    return se == 0 ? 99 : 10 * std::log10(255.0 * 255.0 / (se / double(a.pixels.size())));
}

BuildOptions lossless(OutputFormat format) {
    BuildOptions o;
    o.format = format;
    o.lossless = true;
    o.threads = 2;
    return o;
}

}  // namespace

TEST(ZoomBuildShrink, RoundsAndRepeatsTheEdgeLikeVips) {
    // (2 + 0 + 0 + 0 + 2) >> 2 = 1: a half rounds up; an odd last column pairs with itself.
    const uint8_t a[] = {2, 0, 0, 0, 0, 0, 1, 1, 1}, b[] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
    uint8_t out[6] = {};
    shrink_rows(a, b, out, 3, 3);
    EXPECT_EQ(out[0], 1);  // (2 + 0 + 0 + 0 + 2) >> 2
    EXPECT_EQ(out[3], 1);  // (1 + 1 + 0 + 0 + 2) >> 2: the mean of 1 and 0, rounded up
    const uint8_t c[] = {0, 0, 0, 3, 3, 3}, d[] = {0, 0, 0, 0, 0, 0};
    shrink_rows(c, d, out, 2, 3);
    EXPECT_EQ(out[0], 1);  // 3 / 4 = 0.75 rounds to 1
}

TEST(ZoomBuildShrink, LevelsStopWhereTheFormatStops) {
    EXPECT_EQ(pyramid_levels(OutputFormat::Dzi, 1001, 777, 254).size(), 11u);
    auto tiff = pyramid_levels(OutputFormat::Tiff, 1001, 777, 256);
    ASSERT_EQ(tiff.size(), 3u);  // 1001x777, 501x389, 251x195: fits one tile
    EXPECT_EQ(tiff.back(), (LevelSize{251, 195}));
}

TEST_F(ZoomBuildTest, LosslessDziIsExactAndEachLevelIsTheMeanOfTheOneAbove) {
    Picture source = busy(1001, 777);
    write_png(path("in.png"), source);
    auto built = build_pyramid(path("in.png"), path("out.dzi"), lossless(OutputFormat::Dzi));
    ASSERT_TRUE(built) << built.error().message;
    EXPECT_EQ(built->levels, 11u);
    EXPECT_EQ(built->tiles, 16u + 4 + 9);  // 4 x 4, 2 x 2, then 9 levels of one tile
    expect_box_pyramid(read_dzi(path("out.dzi"), 1001, 777, 254, 1, "png"), source);
    EXPECT_NE(read_text(path("out.dzi")).find("Format=\"png\""), std::string::npos);
    // Nothing else beside the pyramid: no temporary left.
    EXPECT_EQ(listing().size(), 3u + 1 + 11 + 29);  // in.png, out.dzi, out.vitrine.json, out_files, levels, tiles
}

TEST_F(ZoomBuildTest, OddTilesAndWideOverlapsStayExact) {
    // Odd tile sizes pair rows across bands; 2 x overlap == tile shares every row twice.
    struct Case { uint32_t w, h, tile, overlap; };
    for (Case c : {Case{301, 203, 61, 2}, Case{301, 203, 255, 0}, Case{301, 203, 16, 8}, Case{9, 7, 1, 0}}) {
        Picture source = busy(c.w, c.h);
        std::string name = "t" + std::to_string(c.tile) + "_" + std::to_string(c.overlap);
        write_png(path(name + ".png"), source);
        BuildOptions o = lossless(OutputFormat::Dzi);
        o.tile = c.tile;
        o.overlap = int(c.overlap);
        auto built = build_pyramid(path(name + ".png"), path(name + ".dzi"), o);
        ASSERT_TRUE(built) << built.error().message;
        SCOPED_TRACE(name);
        expect_box_pyramid(read_dzi(path(name + ".dzi"), c.w, c.h, c.tile, c.overlap, "png"), source);
    }
}

TEST_F(ZoomBuildTest, LosslessTiffIsExactAndEachLevelIsTheMeanOfTheOneAbove) {
    Picture source = busy(1001, 777);
    write_png(path("in.png"), source);
    auto built = build_pyramid(path("in.png"), path("out.tif"), lossless(OutputFormat::Tiff));
    ASSERT_TRUE(built) << built.error().message;
    std::vector<TiffLevel> levels = read_tiff(path("out.tif"));
    ASSERT_EQ(levels.size(), 3u);
    std::vector<Picture> pictures;
    for (size_t i = 0; i < levels.size(); ++i) {
        EXPECT_EQ(levels[i].subfile, i ? uint32_t(FILETYPE_REDUCEDIMAGE) : 0u);
        EXPECT_EQ(levels[i].tile_width, 256u);
        EXPECT_EQ(levels[i].tile_height, 256u);
        EXPECT_EQ(levels[i].compression, COMPRESSION_ADOBE_DEFLATE);
        pictures.push_back(levels[i].picture);
    }
    expect_box_pyramid(pictures, source);
    EXPECT_FALSE(temporaries());
}

TEST_F(ZoomBuildTest, RgbaKeepsItsAlphaWhenLossless) {
    Picture source = busy(300, 201, 4);
    write_png(path("in.png"), source);
    auto built = build_pyramid(path("in.png"), path("out.dzi"), lossless(OutputFormat::Dzi));
    ASSERT_TRUE(built) << built.error().message;
    expect_box_pyramid(read_dzi(path("out.dzi"), 300, 201, 254, 1, "png"), source);
}

TEST_F(ZoomBuildTest, SixteenBitAndPalettePngsAreRead) {
    Picture source = busy(97, 61);
    write_png(path("deep.png"), source, {.depth = 16});
    auto deep = build_pyramid(path("deep.png"), path("deep.dzi"), lossless(OutputFormat::Dzi));
    ASSERT_TRUE(deep) << deep.error().message;
    EXPECT_EQ(read_dzi(path("deep.dzi"), 97, 61, 254, 1, "png")[0].pixels, source.pixels);

    Picture few = source;  // at most 4 x 4 x 4 colours
    for (uint8_t& v : few.pixels) v = uint8_t(v & 0xC0);
    write_png(path("palette.png"), few, {.palette = true});
    auto indexed = build_pyramid(path("palette.png"), path("palette.dzi"), lossless(OutputFormat::Dzi));
    ASSERT_TRUE(indexed) << indexed.error().message;
    EXPECT_EQ(read_dzi(path("palette.dzi"), 97, 61, 254, 1, "png")[0].pixels, few.pixels);
}

TEST_F(ZoomBuildTest, JpegIsReadRowByRowAsLibjpegDecodesIt) {
    Picture source = smooth(700, 530);
    write_file(path("in.jpg"), jpeg_bytes(source, 95));
    Picture whole = read_jpeg_tile(path("in.jpg"));  // the whole image by TurboJPEG
    auto opened = open_source(path("in.jpg"));
    ASSERT_TRUE(opened) << opened.error().message;
    Source& s = **opened;
    ASSERT_EQ(s.info().width, 700u);
    ASSERT_EQ(s.info().height, 530u);
    std::vector<uint8_t> rows(size_t(700) * 3 * 530);
    uint32_t done = 0;
    for (uint32_t n : {1u, 16u, 100u, 413u}) {  // uneven pieces, as the builder asks
        ASSERT_TRUE(s.read_rows(rows.data() + size_t(done) * 700 * 3, 700 * 3, n));
        done += n;
    }
    EXPECT_EQ(rows, whole.pixels);

    BuildOptions o;
    o.threads = 3;
    auto built = build_pyramid(path("in.jpg"), path("out.dzi"), o);
    ASSERT_TRUE(built) << built.error().message;
    auto levels = read_dzi(path("out.dzi"), 700, 530, 254, 1, "jpeg");
    ASSERT_FALSE(levels.empty());
    EXPECT_GT(psnr(levels[0], whole), 38.0);
    EXPECT_GT(psnr(levels[1], halve(whole)), 38.0);
}

TEST_F(ZoomBuildTest, StripedAndTiledTiffsAreRead) {
    Picture source = busy(301, 203);
    write_tiff(path("striped.tif"), source, {.rows_per_strip = 7});
    write_tiff(path("tiled16.tif"), source, {.tile = 64, .depth = 16});
    for (const char* name : {"striped", "tiled16"}) {
        auto built = build_pyramid(path(std::string(name) + ".tif"), path(std::string(name) + ".dzi"),
                                   lossless(OutputFormat::Dzi));
        ASSERT_TRUE(built) << built.error().message;
        EXPECT_EQ(read_dzi(path(std::string(name) + ".dzi"), 301, 203, 254, 1, "png")[0].pixels, source.pixels) << name;
    }
    // Our own pyramidal TIFF's first IFD (JPEG, YCbCr) is a source too.
    BuildOptions tiff;
    tiff.format = OutputFormat::Tiff;
    Picture photo = smooth(301, 203);
    write_tiff(path("photo.tif"), photo, {});
    ASSERT_TRUE(build_pyramid(path("photo.tif"), path("pyramid.tif"), tiff));
    auto again = build_pyramid(path("pyramid.tif"), path("again.dzi"), lossless(OutputFormat::Dzi));
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_GT(psnr(read_dzi(path("again.dzi"), 301, 203, 254, 1, "png")[0], photo), 38.0);
}

TEST_F(ZoomBuildTest, MillimetresPerPixelLandInTheTiffAndTheSidecar) {
    write_png(path("in.png"), smooth(600, 300));
    BuildOptions o;
    o.format = OutputFormat::Tiff;
    o.mm_per_pixel = 0.05;  // 200 px per cm
    ASSERT_TRUE(build_pyramid(path("in.png"), path("out.tif"), o));
    auto levels = read_tiff(path("out.tif"));
    ASSERT_EQ(levels.size(), 3u);
    EXPECT_EQ(levels[0].unit, RESUNIT_CENTIMETER);
    EXPECT_FLOAT_EQ(levels[0].xres, 200.0f);
    EXPECT_FLOAT_EQ(levels[0].yres, 200.0f);
    EXPECT_FLOAT_EQ(levels[1].xres, 100.0f);  // a reduced level's pixels are twice as large
    EXPECT_EQ(levels[0].compression, COMPRESSION_JPEG);
    EXPECT_GT(psnr(levels[0].picture, smooth(600, 300)), 38.0);

    o.format = OutputFormat::Dzi;
    ASSERT_TRUE(build_pyramid(path("in.png"), path("out.dzi"), o));
    auto sidecar = nlohmann::json::parse(read_text(path("out.vitrine.json")));
    EXPECT_DOUBLE_EQ(sidecar["mm_per_pixel"].get<double>(), 0.05);
    EXPECT_EQ(sidecar["colour"], "sRGB");
}

TEST_F(ZoomBuildTest, IccProfileIsConvertedForDziAndCarriedByTiff) {
    std::vector<uint8_t> icc = vitrine::test::wide_rgb_profile("Wide test RGB");
    Picture source = busy(200, 120);
    write_png(path("wide.png"), source, {.icc = icc});
    // What lcms2 makes of the pixels: the DZI must hold exactly this.
    Picture expected = source;
    cmsHPROFILE in = cmsOpenProfileFromMem(icc.data(), cmsUInt32Number(icc.size())), srgb = cmsCreate_sRGBProfile();
    cmsHTRANSFORM t = cmsCreateTransform(in, TYPE_RGB_8, srgb, TYPE_RGB_8, INTENT_PERCEPTUAL, cmsFLAGS_NOCACHE);
    cmsDoTransform(t, source.pixels.data(), expected.pixels.data(), 200 * 120);
    cmsDeleteTransform(t);
    cmsCloseProfile(in);
    cmsCloseProfile(srgb);
    ASSERT_NE(expected.pixels, source.pixels);

    ASSERT_TRUE(build_pyramid(path("wide.png"), path("out.dzi"), lossless(OutputFormat::Dzi)));
    EXPECT_EQ(read_dzi(path("out.dzi"), 200, 120, 254, 1, "png")[0].pixels, expected.pixels);
    EXPECT_EQ(nlohmann::json::parse(read_text(path("out.vitrine.json")))["colour"], "sRGB");

    write_tiff(path("wide.tif"), source, {.icc = icc});  // a TIFF source's profile too
    ASSERT_TRUE(build_pyramid(path("wide.tif"), path("out.tif"), lossless(OutputFormat::Tiff)));
    auto levels = read_tiff(path("out.tif"));
    ASSERT_EQ(levels.size(), 1u);
    EXPECT_EQ(levels[0].icc, icc);
    EXPECT_EQ(levels[0].picture.pixels, source.pixels);  // carried, not converted
}

TEST_F(ZoomBuildTest, IiifInfoJsonListsScaleFactorsSizesAndId) {
    write_png(path("in.png"), busy(1100, 600));
    BuildOptions o;
    o.format = OutputFormat::Iiif3;
    o.tile = 256;
    o.id = "https://example.org/iiif/in";
    auto built = build_pyramid(path("in.png"), path("iiif"), o);
    ASSERT_TRUE(built) << built.error().message;
    auto info = nlohmann::json::parse(read_text(path("iiif/info.json")));
    EXPECT_EQ(info["@context"], "http://iiif.io/api/image/3/context.json");
    EXPECT_EQ(info["id"], "https://example.org/iiif/in");
    EXPECT_EQ(info["type"], "ImageService3");
    EXPECT_EQ(info["protocol"], "http://iiif.io/api/image");
    EXPECT_EQ(info["profile"], "level0");
    EXPECT_EQ(info["width"], 1100);
    EXPECT_EQ(info["height"], 600);
    EXPECT_EQ(info["tiles"][0]["width"], 256);
    EXPECT_EQ(info["tiles"][0]["height"], 256);
    EXPECT_EQ(info["tiles"][0]["scaleFactors"], nlohmann::json::parse("[1, 2, 4, 8]"));
    EXPECT_EQ(info["sizes"], nlohmann::json::parse(R"([{"width": 138, "height": 75}])"));
    // vips's file names: region in full-resolution pixels, then the size.
    EXPECT_TRUE(fs::exists(path("iiif/0,0,256,256/256,256/0/default.jpg")));
    EXPECT_TRUE(fs::exists(path("iiif/1024,512,76,88/76,88/0/default.jpg")));
    EXPECT_TRUE(fs::exists(path("iiif/1024,0,76,512/38,256/0/default.jpg")));
    EXPECT_TRUE(fs::exists(path("iiif/0,0,1100,600/138,75/0/default.jpg")));
    EXPECT_TRUE(fs::exists(path("iiif/vitrine.json")));
    EXPECT_FALSE(temporaries());

    o.id.clear();  // the default: the folder's file: URL
    auto refused = build_pyramid(path("in.png"), path("iiif"), o);  // a pyramid of this name: only with --force
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("add --force to replace it"), std::string::npos) << refused.error().message;
    vitrine::outputs::set_force(true);
    auto replaced = build_pyramid(path("in.png"), path("iiif"), o);  // replaces the first
    vitrine::outputs::set_force(false);
    ASSERT_TRUE(replaced) << replaced.error().message;
    auto again = nlohmann::json::parse(read_text(path("iiif/info.json")));
    EXPECT_EQ(again["id"], "file://" + fs::absolute(path("iiif")).string());
}

TEST_F(ZoomBuildTest, ProceduralPyramidIsASource) {
    BuildOptions o = lossless(OutputFormat::Dzi);
    auto built = build_pyramid("procedural:pattern:600x300", path("p.dzi"), o);
    ASSERT_TRUE(built) << built.error().message;
    Picture top = read_dzi(path("p.dzi"), 600, 300, 254, 1, "png")[0];
    for (uint32_t y : {0u, 151u, 299u})
        for (uint32_t x : {0u, 255u, 256u, 599u}) {
            auto px = procedural_pixel("pattern", 600, 300, 0, x, y);
            EXPECT_EQ(top.at(x, y)[0], px[0]);
            EXPECT_EQ(top.at(x, y)[1], px[1]);
            EXPECT_EQ(top.at(x, y)[2], px[2]);
        }
}

TEST_F(ZoomBuildTest, FailuresLeaveNothingBehind) {
    std::vector<uint8_t> jpeg = jpeg_bytes(busy(900, 700), 90);
    jpeg.resize(jpeg.size() / 2);
    write_file(path("cut.jpg"), jpeg);
    auto built = build_pyramid(path("cut.jpg"), path("out.dzi"), BuildOptions{});
    ASSERT_FALSE(built);
    EXPECT_NE(built.error().message.find("cut.jpg"), std::string::npos) << built.error().message;
    for (OutputFormat f : {OutputFormat::Tiff, OutputFormat::Iiif3})
        EXPECT_FALSE(build_pyramid(path("cut.jpg"), path(f == OutputFormat::Tiff ? "out.tif" : "iiif"), {.format = f}));
    EXPECT_EQ(listing(), std::vector<std::string>{"cut.jpg"});

    // Stopped (Ctrl-C sets the flag): no output, no temporary.
    write_png(path("in.png"), busy(600, 600));
    std::atomic<bool> stop{true};
    BuildOptions o;
    o.cancel = &stop;
    EXPECT_FALSE(build_pyramid(path("in.png"), path("out.dzi"), o));
    EXPECT_EQ(listing(), (std::vector<std::string>{"cut.jpg", "in.png"}));

    // Unwritable output: the error names it.
    auto nowhere = build_pyramid(path("in.png"), path("missing/out.dzi"), BuildOptions{});
    ASSERT_FALSE(nowhere);
    EXPECT_NE(nowhere.error().message.find("missing"), std::string::npos) << nowhere.error().message;
}

TEST_F(ZoomBuildTest, AbsurdSizesAreRefusedBeforeAllocating) {
    // A little-endian TIFF claiming 1 000 000 000 x 1 000 000 000 pixels in one strip.
    std::vector<uint8_t> t = {'I', 'I', 42, 0, 8, 0, 0, 0};
    auto put16 = [&](uint16_t v) { t.push_back(uint8_t(v)), t.push_back(uint8_t(v >> 8)); };
    auto put32 = [&](uint32_t v) { put16(uint16_t(v)), put16(uint16_t(v >> 16)); };
    auto entry = [&](uint16_t tag, uint16_t type, uint32_t value) { put16(tag), put16(type), put32(1), put32(value); };
    put16(7);
    entry(256, 4, 1000000000), entry(257, 4, 1000000000), entry(258, 3, 8), entry(262, 3, 1);
    entry(273, 4, 200), entry(278, 4, 1000000000), entry(279, 4, 16);
    put32(0);
    t.resize(216, 0);
    write_file(path("huge.tif"), t);
    auto opened = open_source(path("huge.tif"));
    ASSERT_FALSE(opened);
    EXPECT_NE(opened.error().message.find("huge.tif: 1000000000 x 1000000000"), std::string::npos)
        << opened.error().message;

    write_file(path("junk.jpg"), {0xFF, 0xD8, 0xFF, 0xE0, 0, 2});
    auto junk = open_source(path("junk.jpg"));
    ASSERT_FALSE(junk);
    EXPECT_EQ(junk.error().message.rfind(path("junk.jpg") + ": ", 0), 0u) << junk.error().message;
}
