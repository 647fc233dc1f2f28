#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/image.h"
#include "core/png_writer.h"

namespace fs = std::filesystem;
using namespace vitrine;

namespace {

// A small image whose every pixel depends on its index, so files cannot be confused.
Image8 pattern(uint32_t index) {
    Image8 image;
    image.width = 7 + index % 5;
    image.height = 5 + index % 3;
    image.rgba.resize(size_t(image.width) * image.height * 4);
    for (size_t i = 0; i < image.rgba.size(); ++i) image.rgba[i] = uint8_t(i * 31 + index * 17 + (i / 4) * 7);
    return image;
}

fs::path fresh_dir(const char* name) {
    fs::path dir = fs::temp_directory_path() / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

fs::path frame_path(const fs::path& dir, uint32_t index) {
    return dir / ("frame_" + std::to_string(index) + ".png");
}

void expect_frames(const fs::path& dir, uint32_t count) {
    for (uint32_t i = 0; i < count; ++i) {
        auto read = read_png(frame_path(dir, i));
        ASSERT_TRUE(read.ok()) << read.error().message;
        Image8 want = pattern(i);
        EXPECT_EQ(read->width, want.width) << i;
        EXPECT_EQ(read->height, want.height) << i;
        EXPECT_TRUE(read->rgba == want.rgba) << "pixels differ in frame " << i;
    }
}

}  // namespace

TEST(PngWriter, WritesEveryImageExactly) {
    fs::path dir = fresh_dir("vitrine_png_writer_all");
    PngWriter writer(2, 2);
    for (uint32_t i = 0; i < 20; ++i) writer.write(frame_path(dir, i), pattern(i));
    auto done = writer.finish();
    ASSERT_TRUE(done.ok()) << done.error().message;
    EXPECT_EQ(writer.written(), 20u);
    expect_frames(dir, 20);
}

TEST(PngWriter, ReportsAFailedWriteWithItsPath) {
    fs::path dir = fresh_dir("vitrine_png_writer_fail");
    PngWriter writer(2, 2);
    writer.write(frame_path(dir, 0), pattern(0));
    writer.write("/proc/nonexistent_dir/x.png", pattern(1));
    writer.write("/proc/nonexistent_dir/y.png", pattern(2));
    writer.write(frame_path(dir, 1), pattern(1));
    auto done = writer.finish();
    ASSERT_FALSE(done.ok());
    // The first failure in submission order, whichever worker finished first.
    EXPECT_NE(done.error().message.find("/proc/nonexistent_dir/x.png"), std::string::npos) << done.error().message;
    EXPECT_EQ(writer.written(), 2u);
    expect_frames(dir, 2);
    // The error is reported once; the next batch starts clean.
    writer.write(frame_path(dir, 2), pattern(2));
    EXPECT_TRUE(writer.finish().ok());
    EXPECT_EQ(writer.written(), 3u);
}

TEST(PngWriter, FinishWithNothingQueuedIsOk) {
    PngWriter writer(2, 2);
    EXPECT_TRUE(writer.finish().ok());
    EXPECT_TRUE(writer.finish().ok());
    EXPECT_EQ(writer.written(), 0u);
}

TEST(PngWriter, DestructorFinishesQueuedWrites) {
    fs::path dir = fresh_dir("vitrine_png_writer_dtor");
    {
        PngWriter writer(2, 2);
        for (uint32_t i = 0; i < 10; ++i) writer.write(frame_path(dir, i), pattern(i));
    }
    expect_frames(dir, 10);
}

TEST(PngWriter, DestructorAfterFinishAndDefaultThreads) {
    fs::path dir = fresh_dir("vitrine_png_writer_default");
    {
        PngWriter writer;  // hardware_concurrency threads
        writer.write(frame_path(dir, 0), pattern(0));
        EXPECT_TRUE(writer.finish().ok());
    }
    { PngWriter idle(3, 1); }  // nothing queued: must not hang
    expect_frames(dir, 1);
}
