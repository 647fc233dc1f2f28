#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/paths.h"

namespace fs = std::filesystem;
using namespace vitrine;

TEST(Paths, ResolvesInsideTheRoot) {
    fs::path root = fs::temp_directory_path() / "vitrine_paths_test";
    fs::create_directories(root / "tex");
    auto r = resolve_inside(root, "tex/a.png");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), fs::weakly_canonical(root / "tex" / "a.png"));
    EXPECT_TRUE(resolve_inside(root, "tex/../b.bin").ok());
}

TEST(Paths, RefusesEscapes) {
    fs::path root = fs::temp_directory_path() / "vitrine_paths_test";
    fs::create_directories(root);
    for (const char* bad : {"../../etc/passwd", "/etc/passwd", "..", "tex/../../x", "C:/windows", ""}) {
        auto r = resolve_inside(root, bad);
        EXPECT_FALSE(r.ok()) << bad;
    }
}

TEST(Paths, RefusesSymlinkEscapes) {
    fs::path root = fs::temp_directory_path() / "vitrine_paths_link";
    fs::remove_all(root);
    fs::create_directories(root);
    fs::create_directory_symlink("/etc", root / "etc_link");
    EXPECT_FALSE(resolve_inside(root, "etc_link/passwd").ok());
}

TEST(Paths, DecodesPercentEscapes) {
    EXPECT_EQ(decode_uri("a%20b.png").value(), "a b.png");
    EXPECT_FALSE(decode_uri("bad%2").ok());
    EXPECT_FALSE(decode_uri("bad%zz").ok());
    EXPECT_FALSE(decode_uri("nul%00").ok());
}

TEST(Paths, ReadFileHonoursTheLimit) {
    fs::path f = fs::temp_directory_path() / "vitrine_read_limit.bin";
    std::ofstream(f) << std::string(100, 'x');
    EXPECT_TRUE(read_file(f, 100).ok());
    EXPECT_FALSE(read_file(f, 99).ok());
    EXPECT_FALSE(read_file(f.string() + ".missing").ok());
}

#include "scene/meshopt_decode.h"

TEST(Base64, RoundTripsAndRefusesGarbage) {
    std::vector<uint8_t> bytes = {0, 1, 2, 250, 255, 7, 8};
    for (size_t n = 0; n <= bytes.size(); ++n) {
        std::vector<uint8_t> part(bytes.begin(), bytes.begin() + long(n));
        auto back = vitrine::scene::base64_decode(vitrine::scene::base64_encode(part));
        ASSERT_TRUE(back.ok());
        EXPECT_EQ(back.value(), part);
    }
    EXPECT_FALSE(vitrine::scene::base64_decode("ab$d").ok());
}
