// Hostile input, the pyramids' family: tiles (and pyramid files) that are FIFOs, folders
// or devices, a DZI whose overlap exceeds its tiles, a IIIF info.json with 100 000
// scale factors or nested 100 000 deep, sidecars nested too deep, tiles cut short, and
// build sources (JPEG, PNG, TIFF strips and tiles) cut at many points: refused unless
// --allow-truncated, and then bounded; a refused build leaves nothing behind.
#include <gtest/gtest.h>
#include <turbojpeg.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "core/image.h"
#include "hostile.h"
#include "temp_dir.h"
#include "zoom/build.h"
#include "zoom/pyramid.h"
#include "zoom/readers.h"
#include "zoom/source.h"
#include "zoom/tile_codec.h"

namespace fs = std::filesystem;
using namespace vitrine;
using namespace vitrine::zoom;
using test::TempDir;

namespace {

bool mentions(const Error& e, const std::string& what) { return e.message.find(what) != std::string::npos; }

std::vector<uint8_t> rgb_pattern(uint32_t w, uint32_t h) {
    std::vector<uint8_t> rgb(size_t(w) * h * 3);
    for (size_t i = 0; i < rgb.size(); ++i) rgb[i] = uint8_t((i * 31 + i / 301) & 255);
    return rgb;
}

std::vector<uint8_t> make_jpeg(uint32_t w, uint32_t h) {
    std::vector<uint8_t> rgb = rgb_pattern(w, h);
    tjhandle t = tjInitCompress();
    unsigned char* buf = nullptr;
    unsigned long size = 0;
    tjCompress2(t, rgb.data(), int(w), 0, int(h), TJPF_RGB, &buf, &size, TJSAMP_420, 90, 0);
    std::vector<uint8_t> out(buf, buf + size);
    tjFree(buf);
    tjDestroy(t);
    return out;
}

// An uncompressed RGB TIFF written by hand with its directory first (libtiff puts it
// last, so a cut would only ever lose the directory): strips of 8 rows, or 16 x 16 tiles.
std::vector<uint8_t> make_tiff(uint32_t w, uint32_t h, bool tiled) {
    std::vector<uint8_t> out;
    auto u16 = [&](uint16_t v) { out.insert(out.end(), {uint8_t(v), uint8_t(v >> 8)}); };
    auto u32 = [&](uint32_t v) { u16(uint16_t(v)), u16(uint16_t(v >> 16)); };
    const uint32_t bw = tiled ? 16 : w, bh = tiled ? 16 : 8;
    const uint32_t across = (w + bw - 1) / bw, down = (h + bh - 1) / bh, blocks = across * down;
    const uint32_t block_bytes = bw * bh * 3;
    const uint16_t entries = 10;
    const uint32_t ifd = 8, after_ifd = ifd + 2 + entries * 12 + 4;
    const uint32_t bits_at = after_ifd, offsets_at = bits_at + 8, counts_at = offsets_at + 4 * blocks,
                   data_at = counts_at + 4 * blocks;
    out.insert(out.end(), {'I', 'I', 42, 0});
    u32(ifd);
    u16(entries);
    auto tag = [&](uint16_t id, uint16_t type, uint32_t count, uint32_t value) { u16(id), u16(type), u32(count), u32(value); };
    tag(256, 4, 1, w);
    tag(257, 4, 1, h);
    tag(258, 3, 3, bits_at);
    tag(259, 3, 1, 1);
    tag(262, 3, 1, 2);
    tag(277, 3, 1, 3);
    if (tiled) {
        tag(322, 4, 1, bw);
        tag(323, 4, 1, bh);
        tag(324, 4, blocks, offsets_at);
        tag(325, 4, blocks, counts_at);
    } else {
        tag(273, 4, blocks, offsets_at);
        tag(278, 4, 1, bh);
        tag(279, 4, blocks, counts_at);
        tag(284, 3, 1, 1);
    }
    u32(0);
    u16(8), u16(8), u16(8), u16(0);
    std::vector<uint32_t> counts(blocks);
    for (uint32_t b = 0; b < blocks; ++b) {
        uint32_t rows = tiled ? bh : std::min(bh, h - b * bh);
        counts[b] = tiled ? block_bytes : rows * w * 3;
    }
    uint32_t at = data_at;
    for (uint32_t b = 0; b < blocks; ++b) u32(at), at += counts[b];
    for (uint32_t b = 0; b < blocks; ++b) u32(counts[b]);
    for (uint32_t b = 0; b < blocks; ++b)
        for (uint32_t i = 0; i < counts[b]; ++i) out.push_back(uint8_t((b * 7 + i * 13) & 255));
    return out;
}

// Opens `path` as a build source and reads every row; the error, or none.
std::optional<Error> read_source(const fs::path& path, bool allow_truncated) {
    auto src = open_source(path.string(), allow_truncated);
    if (!src) return src.error();
    const SourceInfo& info = src.value()->info();
    std::vector<uint8_t> rows(size_t(info.width) * info.channels * 16);
    for (uint32_t y = 0; y < info.height; y += 16) {
        uint32_t n = std::min<uint32_t>(16, info.height - y);
        if (auto r = src.value()->read_rows(rows.data(), size_t(info.width) * info.channels, n); !r) return r.error();
    }
    return std::nullopt;
}

size_t entries(const fs::path& dir) {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
    return n;
}

}  // namespace

TEST(HostilePyramid, TilesThatAreNotRegularFilesAreRefusedAtOnce) {
    test::Watchdog dog(30);
    TempDir dir("vitrine_hostile_zoom");
    BuildOptions o;
    o.tile = 64;
    ASSERT_TRUE(build_pyramid("procedural:pattern:300x200", dir.path / "p.dzi", o));
    auto pyramid = open_pyramid((dir.path / "p.dzi").string());
    ASSERT_TRUE(pyramid) << pyramid.error().message;
    const uint32_t n = uint32_t(pyramid.value()->info().levels.size());
    ASSERT_TRUE(pyramid.value()->read_tile(0, 1, 1));
    // Level 0 is DZI level n - 1: tile (1, 1) a FIFO, (2, 1) a folder, (3, 1) /dev/zero.
    fs::path level = dir.path / "p_files" / std::to_string(n - 1);
    fs::remove(level / "1_1.jpeg");
    test::make_fifo(level / "1_1.jpeg");
    fs::remove(level / "2_1.jpeg");
    fs::create_directory(level / "2_1.jpeg");
    fs::remove(level / "3_1.jpeg");
    fs::create_symlink("/dev/zero", level / "3_1.jpeg");
    for (const auto& [col, why] : std::vector<std::pair<uint32_t, std::string>>{
             {1, "not a regular file (a named pipe)"}, {2, "not a regular file (a folder)"},
             {3, "not a regular file (a character device)"}}) {
        auto start = std::chrono::steady_clock::now();
        auto tile = pyramid.value()->read_tile(0, col, 1);
        ASSERT_FALSE(tile);
        EXPECT_TRUE(mentions(tile.error(), std::to_string(col) + "_1.jpeg: " + why)) << tile.error().message;
        EXPECT_LT(test::seconds_since(start), 2.0);
    }
    // The pyramid files themselves, and a build's source.
    for (std::string name : {"q.dzi", "q.zip", "q.tif", "src.jpg"}) {
        fs::path fifo = test::make_fifo(dir.path / name);
        auto start = std::chrono::steady_clock::now();
        if (name == "src.jpg") {
            auto built = build_pyramid(fifo.string(), dir.path / "out.dzi", o);
            ASSERT_FALSE(built);
            EXPECT_TRUE(mentions(built.error(), "not a regular file (a named pipe)")) << built.error().message;
        } else {
            auto p = open_pyramid(fifo.string());
            ASSERT_FALSE(p) << name;
            EXPECT_TRUE(mentions(p.error(), "not a regular file (a named pipe)")) << p.error().message;
        }
        EXPECT_LT(test::seconds_since(start), 2.0) << name;
    }
    fs::create_directories(dir.path / "iiif");
    test::make_fifo(dir.path / "iiif/info.json");
    auto p = open_pyramid((dir.path / "iiif").string());
    ASSERT_FALSE(p);
    EXPECT_TRUE(mentions(p.error(), "not a regular file (a named pipe)")) << p.error().message;
}

TEST(HostilePyramid, DziOverlapLargerThanItsTilesIsRefused) {
    TempDir dir("vitrine_hostile_zoom");
    fs::create_directories(dir.path / "o_files");
    fs::path dzi = dir.write("o.dzi", R"(<?xml version="1.0"?><Image xmlns="http://schemas.microsoft.com/deepzoom/2008" )"
                                      R"(TileSize="254" Overlap="300" Format="jpeg"><Size Width="1000" Height="800"/></Image>)");
    auto p = open_pyramid(dzi.string());
    ASSERT_FALSE(p);
    EXPECT_TRUE(mentions(p.error(), "o.dzi: Overlap=300 is larger than TileSize=254")) << p.error().message;
}

TEST(HostilePyramid, IiifScaleFactorsAreBoundedByTheImage) {
    test::Watchdog dog(30);
    TempDir dir("vitrine_hostile_zoom");
    auto info = [&](const std::string& factors) {
        fs::remove_all(dir.path / "i");
        dir.write("i/info.json", R"({"type": "ImageService3", "width": 1000, "height": 800, "tiles": [{"width": 256, )"
                                 R"("scaleFactors": )" + factors + "}]}");
        return open_pyramid((dir.path / "i").string());
    };
    std::string many = "[1";
    for (int i = 1; i < 100000; ++i) many += ", 1";
    many += "]";
    auto start = std::chrono::steady_clock::now();
    auto p = info(many);
    ASSERT_FALSE(p);
    EXPECT_TRUE(mentions(p.error(), "lists 100000 scaleFactors; a 1000x800 image has at most 11")) << p.error().message;
    EXPECT_LT(test::seconds_since(start), 2.0);
    p = info("[1, 2, 4096]");
    ASSERT_FALSE(p);
    EXPECT_TRUE(mentions(p.error(), "past the smallest level")) << p.error().message;
    p = info("[1, 2, 2]");
    ASSERT_FALSE(p);
    EXPECT_TRUE(mentions(p.error(), "twice")) << p.error().message;
    p = info(std::string(100000, '[') + std::string(100000, ']'));
    ASSERT_FALSE(p);
    EXPECT_TRUE(mentions(p.error(), "info.json: nested deeper than 256 levels")) << p.error().message;
}

TEST(HostilePyramid, SidecarsNestedTooDeepAreRefused) {
    PyramidInfo info;
    auto r = parse_sidecar("{\"x\": " + std::string(100000, '[') + "}", "p.vitrine.json", &info);
    ASSERT_FALSE(r);
    EXPECT_TRUE(mentions(r.error(), "p.vitrine.json: nested deeper than 256 levels")) << r.error().message;
}

TEST(HostilePyramid, TilesCutShortAreRefused) {
    test::Watchdog dog(60);
    TempDir dir("vitrine_hostile_zoom");
    std::vector<uint8_t> jpeg = make_jpeg(254, 254);
    Image8 img;
    img.width = img.height = 254;
    img.rgba.assign(size_t(254) * 254 * 4, 0);
    for (size_t i = 0; i < img.rgba.size(); ++i) img.rgba[i] = uint8_t((i * 7 + i / 509) & 255);
    ASSERT_TRUE(write_png(dir.path / "t.png", img));
    std::vector<uint8_t> png = test::read_bytes(dir.path / "t.png");
    for (const auto* bytes : {&jpeg, &png}) {
        ASSERT_TRUE(decode_tile(bytes->data(), bytes->size(), "tile"));
        for (size_t cut : test::cut_points(bytes->size(), 32, 60)) {
            auto t = decode_tile(bytes->data(), cut, "tile");
            EXPECT_FALSE(t) << "cut at " << cut << " of " << bytes->size();
        }
    }
}

TEST(HostilePyramid, SourcesCutShortAreRefusedUnlessAllowed) {
    test::Watchdog dog(120);
    TempDir dir("vitrine_hostile_zoom");
    Image8 img;
    img.width = 160;
    img.height = 96;
    img.rgba.resize(size_t(160) * 96 * 4);
    for (size_t i = 0; i < img.rgba.size(); ++i) img.rgba[i] = i % 4 == 3 ? 255 : uint8_t((i * 11 + i / 640) & 255);
    ASSERT_TRUE(write_png(dir.path / "whole.png", img));
    std::vector<std::pair<std::string, std::vector<uint8_t>>> sources = {
        {"jpg", make_jpeg(160, 96)},
        {"png", test::read_bytes(dir.path / "whole.png")},
        {"tif", make_tiff(160, 96, false)},
        {"tiled.tif", make_tiff(160, 96, true)},
    };
    auto start = std::chrono::steady_clock::now();
    for (const auto& [ext, bytes] : sources) {
        fs::path whole = dir.path / ("whole." + ext);
        test::write_bytes(whole, bytes.data(), bytes.size());
        auto ok = read_source(whole, false);
        ASSERT_FALSE(ok) << ext << ": " << ok->message;
        size_t refused_late = 0;
        for (size_t cut : test::cut_points(bytes.size(), 16, 40)) {
            if (ext == "png" && cut >= bytes.size() - 12) continue;  // only IEND lost: the pixels are whole
            fs::path p = dir.path / ("cut." + ext);
            test::write_bytes(p, bytes.data(), cut);
            auto e = read_source(p, false);
            ASSERT_TRUE(e) << ext << " cut at " << cut << " of " << bytes.size() << " was read whole";
            EXPECT_TRUE(mentions(*e, p.string() + ": ")) << e->message;
            // Past the header, the message says what happened and what to do.
            if (cut > bytes.size() / 4) {
                ++refused_late;
                EXPECT_TRUE(mentions(*e, "truncated") || mentions(*e, "--allow-truncated")) << ext << " " << cut << ": "
                                                                                          << e->message;
                EXPECT_FALSE(read_source(p, true)) << ext << " cut at " << cut << ": --allow-truncated builds it";
            }
        }
        EXPECT_GT(refused_late, 10u);
    }
    EXPECT_LT(test::seconds_since(start), 60.0);
}

TEST(HostilePyramid, AJpegClaimingMoreRowsThanItHoldsIsRefusedAndLeavesNothing) {
    test::Watchdog dog(60);
    TempDir dir("vitrine_hostile_zoom");
    std::vector<uint8_t> jpeg = make_jpeg(256, 64);
    for (size_t i = 2; i + 9 < jpeg.size(); ++i)
        if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {
            jpeg[i + 5] = uint8_t(4000 >> 8), jpeg[i + 6] = uint8_t(4000 & 255);
            break;
        }
    fs::path src = dir.path / "tall.jpg";
    test::write_bytes(src, jpeg.data(), jpeg.size());
    fs::create_directories(dir.path / "out");
    for (OutputFormat format : {OutputFormat::Dzi, OutputFormat::Tiff, OutputFormat::Iiif3}) {
        BuildOptions o;
        o.format = format;
        fs::path out = dir.path / "out" / (format == OutputFormat::Tiff ? "tall.tif" : format == OutputFormat::Dzi ? "tall.dzi" : "tall");
        auto built = build_pyramid(src.string(), out, o);
        ASSERT_FALSE(built);
        EXPECT_TRUE(mentions(built.error(), "tall.jpg: truncated")) << built.error().message;
        EXPECT_TRUE(mentions(built.error(), "--allow-truncated")) << built.error().message;
        EXPECT_EQ(entries(dir.path / "out"), 0u) << "a refused build left files behind";
        o.allow_truncated = true;
        built = build_pyramid(src.string(), out, o);
        ASSERT_TRUE(built) << built.error().message;
        EXPECT_EQ(built->height, 4000u);
        fs::remove_all(dir.path / "out");
        fs::create_directories(dir.path / "out");
    }
}

TEST(HostilePyramid, PyramidFilesCutAnywhereAreRefusedOrReadOnlyAsFarAsTheyGo) {
    test::Watchdog dog(120);
    TempDir dir("vitrine_hostile_zoom");
    BuildOptions o;
    o.format = OutputFormat::Tiff;
    ASSERT_TRUE(build_pyramid("procedural:pattern:700x500", dir.path / "p.tif", o));
    std::vector<uint8_t> tiff = test::read_bytes(dir.path / "p.tif");
    auto start = std::chrono::steady_clock::now();
    size_t refused = 0, cases = 0;
    for (size_t cut : test::cut_points(tiff.size(), 32, 60)) {
        fs::path p = dir.path / "cut.tif";
        test::write_bytes(p, tiff.data(), cut);
        ++cases;
        auto pyramid = open_pyramid(p.string());
        if (!pyramid) {
            ++refused;
            EXPECT_TRUE(mentions(pyramid.error(), p.string())) << pyramid.error().message;
            continue;
        }
        // Opened (the directories come first): every tile either reads or is an error naming the file.
        const PyramidInfo& info = pyramid.value()->info();
        for (uint32_t level = 0; level < info.levels.size(); ++level)
            for (uint32_t row = 0; row < pyramid.value()->rows(level); ++row)
                for (uint32_t col = 0; col < pyramid.value()->columns(level); ++col) {
                    auto tile = pyramid.value()->read_tile(level, col, row);
                    if (!tile) {
                        ++refused;
                        EXPECT_TRUE(mentions(tile.error(), p.string())) << tile.error().message;
                    }
                }
    }
    EXPECT_GT(refused, cases / 2);
    EXPECT_LT(test::seconds_since(start), 60.0);
}
