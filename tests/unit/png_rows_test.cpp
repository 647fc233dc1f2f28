#include <gtest/gtest.h>
#include <png.h>
#include <sys/resource.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

#include "core/png_rows.h"

namespace fs = std::filesystem;
using namespace vitrine;

namespace {

fs::path fresh_dir(const char* name) {
    fs::path dir = fs::temp_directory_path() / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

// Every byte depends on its position, so misplaced rows or channels show.
std::vector<uint8_t> pattern(uint32_t width, uint32_t height) {
    std::vector<uint8_t> rgba(size_t(width) * height * 4);
    for (size_t i = 0; i < rgba.size(); ++i) rgba[i] = uint8_t(i * 31 + (i / 4) * 7 + (i >> 12));
    return rgba;
}

// Decoded with libpng's simplified API (core's read_png refuses sides over 16384).
bool decode(const fs::path& path, uint32_t* width, uint32_t* height, std::vector<uint8_t>* rgba) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&image, path.string().c_str())) return false;
    image.format = PNG_FORMAT_RGBA;
    rgba->resize(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, rgba->data(), 0, nullptr)) return false;
    *width = image.width;
    *height = image.height;
    return true;
}

// Whether the temporary PngRows writes beside `path` ("NAME.partial-PID-N") is there.
bool partial_exists(const fs::path& path) {
    std::string prefix = path.filename().string() + ".partial-";
    for (const auto& entry : fs::directory_iterator(path.parent_path()))
        if (entry.path().filename().string().rfind(prefix, 0) == 0) return true;
    return false;
}

}  // namespace

TEST(PngRows, UnevenChunksDecodeExactly) {
    fs::path path = fresh_dir("vitrine_png_rows_chunks") / "canvas.png";
    const uint32_t w = 37, h = 29;
    std::vector<uint8_t> pixels = pattern(w, h);
    auto png = PngRows::create(path, w, h);
    ASSERT_TRUE(png.ok()) << png.error().message;
    uint32_t row = 0;
    for (uint32_t chunk : {1u, 7u, 0u, 13u, 2u, 6u}) {
        auto r = png.value()->write(pixels.data() + size_t(row) * w * 4, chunk);
        ASSERT_TRUE(r.ok()) << r.error().message;
        row += chunk;
        EXPECT_EQ(png.value()->rows_written(), row);
        EXPECT_FALSE(fs::exists(path)) << "the file appears before finish()";
        EXPECT_TRUE(partial_exists(path));
    }
    ASSERT_EQ(row, h);
    auto done = png.value()->finish();
    ASSERT_TRUE(done.ok()) << done.error().message;
    EXPECT_TRUE(fs::exists(path));
    EXPECT_FALSE(partial_exists(path));
    png.value().reset();
    EXPECT_TRUE(fs::exists(path)) << "the destructor must keep a finished file";

    uint32_t dw = 0, dh = 0;
    std::vector<uint8_t> decoded;
    ASSERT_TRUE(decode(path, &dw, &dh, &decoded));
    EXPECT_EQ(dw, w);
    EXPECT_EQ(dh, h);
    EXPECT_TRUE(decoded == pixels) << "pixels differ";
}

TEST(PngRows, DestructorWithoutFinishLeavesNothing) {
    fs::path dir = fresh_dir("vitrine_png_rows_abandon");
    fs::path path = dir / "canvas.png";
    std::vector<uint8_t> pixels = pattern(16, 8);
    {
        auto png = PngRows::create(path, 16, 8);
        ASSERT_TRUE(png.ok()) << png.error().message;
        ASSERT_TRUE(png.value()->write(pixels.data(), 5).ok());
        EXPECT_TRUE(partial_exists(path));
    }
    EXPECT_TRUE(fs::is_empty(dir));
}

TEST(PngRows, UnwritablePathFailsNamingIt) {
    fs::path path = fresh_dir("vitrine_png_rows_unwritable") / "no" / "such" / "folder" / "canvas.png";
    auto png = PngRows::create(path, 8, 8);
    ASSERT_FALSE(png.ok());
    EXPECT_NE(png.error().message.find(path.string()), std::string::npos) << png.error().message;
    EXPECT_EQ(png.error().kind, ErrorKind::Io);
}

TEST(PngRows, TooManyRowsAndEarlyFinishFail) {
    fs::path path = fresh_dir("vitrine_png_rows_count") / "canvas.png";
    std::vector<uint8_t> pixels = pattern(8, 6);
    auto png = PngRows::create(path, 8, 4);
    ASSERT_TRUE(png.ok()) << png.error().message;
    ASSERT_TRUE(png.value()->write(pixels.data(), 3).ok());
    auto early = png.value()->finish();
    ASSERT_FALSE(early.ok());
    EXPECT_NE(early.error().message.find(path.string()), std::string::npos) << early.error().message;
    auto over = png.value()->write(pixels.data(), 2);
    ASSERT_FALSE(over.ok());
    EXPECT_NE(over.error().message.find(path.string()), std::string::npos) << over.error().message;
    EXPECT_EQ(png.value()->rows_written(), 3u);
    // The refused calls changed nothing: the last row still completes the file.
    ASSERT_TRUE(png.value()->write(pixels.data() + 3 * 8 * 4, 1).ok());
    ASSERT_TRUE(png.value()->finish().ok());
    EXPECT_FALSE(png.value()->write(pixels.data(), 1).ok());
    EXPECT_TRUE(fs::exists(path));
}

TEST(PngRows, ShortWriteFailsAndLeavesNothing) {
    // A file size limit stands in for a full disk: writes past it fail with EFBIG.
    fs::path dir = fresh_dir("vitrine_png_rows_full");
    fs::path path = dir / "canvas.png";
    const uint32_t w = 256, h = 256;
    std::vector<uint8_t> noise(size_t(w) * h * 4);
    uint32_t x = 12345;
    for (uint8_t& b : noise) b = uint8_t((x = x * 1664525u + 1013904223u) >> 24);  // incompressible

    // Lowers the soft limit for this scope only (also when an assertion returns early).
    struct SizeLimit {
        rlimit old{};
        void (*old_handler)(int) = nullptr;
        explicit SizeLimit(rlim_t bytes) {
            getrlimit(RLIMIT_FSIZE, &old);
            old_handler = std::signal(SIGXFSZ, SIG_IGN);
            rlimit small = old;
            small.rlim_cur = std::min(bytes, old.rlim_max);
            setrlimit(RLIMIT_FSIZE, &small);
        }
        ~SizeLimit() {
            setrlimit(RLIMIT_FSIZE, &old);
            std::signal(SIGXFSZ, old_handler);
        }
    };
    bool failed = false;
    std::string message;
    {
        SizeLimit limit(16 * 1024);
        auto png = PngRows::create(path, w, h);
        ASSERT_TRUE(png.ok()) << png.error().message;
        for (uint32_t y = 0; y < h && !failed; y += 32) {
            auto r = png.value()->write(noise.data() + size_t(y) * w * 4, 32);
            if (!r.ok()) failed = true, message = r.error().message;
        }
        if (!failed) {
            auto r = png.value()->finish();
            if (!r.ok()) failed = true, message = r.error().message;
        }
    }
    EXPECT_TRUE(failed) << "a write past the size limit succeeded";
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    EXPECT_FALSE(fs::exists(path));
    EXPECT_FALSE(partial_exists(path));
}

TEST(PngRows, WideImage) {
    fs::path path = fresh_dir("vitrine_png_rows_wide") / "wide.png";
    const uint32_t w = 20000, h = 64;
    std::vector<uint8_t> pixels = pattern(w, h);
    auto png = PngRows::create(path, w, h);
    ASSERT_TRUE(png.ok()) << png.error().message;
    for (uint32_t y = 0; y < h; y += 16) ASSERT_TRUE(png.value()->write(pixels.data() + size_t(y) * w * 4, 16).ok());
    ASSERT_TRUE(png.value()->finish().ok());
    uint32_t dw = 0, dh = 0;
    std::vector<uint8_t> decoded;
    ASSERT_TRUE(decode(path, &dw, &dh, &decoded));
    EXPECT_EQ(dw, w);
    EXPECT_EQ(dh, h);
    EXPECT_TRUE(decoded == pixels) << "pixels differ";
}
