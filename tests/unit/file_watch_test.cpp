#include "core/file_watch.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

namespace fs = std::filesystem;
using namespace vitrine;

namespace {

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// A fresh folder per test, removed afterwards.
class FileWatchTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        root = fs::temp_directory_path() / ("vitrine_file_watch_" + std::to_string(getpid()) + "_" + info->name());
        fs::remove_all(root);
        fs::create_directories(root);
        auto created = FileWatch::create();
        ASSERT_TRUE(created.ok()) << created.error().message;
        watch = std::move(created.value());
    }
    void TearDown() override { fs::remove_all(root); }

    // Collects changes until `want` has been seen (or 2 s passed), then a short extra
    // moment so late duplicates would show up too.
    std::vector<fs::path> changes_until(const fs::path& want) {
        std::vector<fs::path> all;
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        while (std::chrono::steady_clock::now() < deadline) {
            for (auto& p : watch->changed()) all.push_back(p);
            if (std::find(all.begin(), all.end(), want) != all.end()) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        for (auto& p : watch->changed()) all.push_back(p);
        return all;
    }
    // Changes over a short while, for "nothing is reported" checks.
    std::vector<fs::path> changes_for(std::chrono::milliseconds wait) {
        std::this_thread::sleep_for(wait);
        return watch->changed();
    }

    fs::path root;
    std::unique_ptr<FileWatch> watch;
};

}  // namespace

TEST_F(FileWatchTest, SeesAWriteInPlace) {
    const fs::path scene = root / "scene.yaml";
    write_file(scene, "a");
    ASSERT_TRUE(watch->watch({scene}).ok());
    EXPECT_TRUE(watch->changed().empty());
    write_file(scene, "b");
    EXPECT_EQ(changes_until(scene), std::vector<fs::path>{scene});
}

TEST_F(FileWatchTest, SeesARenameOver) {
    const fs::path scene = root / "scene.yaml";
    write_file(scene, "a");
    ASSERT_TRUE(watch->watch({scene}).ok());
    write_file(root / "scene.yaml.tmp", "b");
    fs::rename(root / "scene.yaml.tmp", scene);
    EXPECT_EQ(changes_until(scene), std::vector<fs::path>{scene});
}

TEST_F(FileWatchTest, SeesDeleteAndRecreate) {
    const fs::path scene = root / "scene.yaml";
    write_file(scene, "a");
    ASSERT_TRUE(watch->watch({scene}).ok());
    fs::remove(scene);
    EXPECT_EQ(changes_until(scene), std::vector<fs::path>{scene});
    write_file(scene, "b");
    EXPECT_EQ(changes_until(scene), std::vector<fs::path>{scene});
}

TEST_F(FileWatchTest, SeesACopyOver) {
    const fs::path scene = root / "scene.yaml";
    write_file(scene, "a");
    write_file(root / "other.yaml", "b");
    ASSERT_TRUE(watch->watch({scene}).ok());
    fs::copy_file(root / "other.yaml", scene, fs::copy_options::overwrite_existing);
    EXPECT_EQ(changes_until(scene), std::vector<fs::path>{scene});
}

TEST_F(FileWatchTest, IgnoresOtherFilesInTheFolder) {
    const fs::path scene = root / "scene.yaml";
    write_file(scene, "a");
    ASSERT_TRUE(watch->watch({scene}).ok());
    write_file(root / "notes.txt", "x");
    write_file(root / "scene.yaml.bak", "x");
    EXPECT_TRUE(changes_for(std::chrono::milliseconds(100)).empty());
}

TEST_F(FileWatchTest, ReportsEachFileOnce) {
    const fs::path scene = root / "scene.yaml";
    const fs::path hooks = root / "hooks.lua";
    write_file(scene, "a");
    write_file(hooks, "a");
    ASSERT_TRUE(watch->watch({scene, hooks, scene}).ok());
    for (int i = 0; i < 5; ++i) write_file(scene, std::to_string(i));
    write_file(hooks, "b");
    std::vector<fs::path> seen = changes_until(hooks);
    std::sort(seen.begin(), seen.end());
    EXPECT_EQ(seen, (std::vector<fs::path>{hooks, scene}));
}

TEST_F(FileWatchTest, WatchReplacesTheSet) {
    fs::create_directories(root / "assets");
    const fs::path scene = root / "scene.yaml";
    const fs::path texture = root / "assets" / "wall.png";
    write_file(scene, "a");
    write_file(texture, "a");
    ASSERT_TRUE(watch->watch({scene}).ok());
    ASSERT_TRUE(watch->watch({texture}).ok());
    write_file(scene, "b");
    EXPECT_TRUE(changes_for(std::chrono::milliseconds(100)).empty());
    write_file(texture, "b");
    EXPECT_EQ(changes_until(texture), std::vector<fs::path>{texture});

    // Same folder, different file: the folder's watch stays, filtered by the new name.
    const fs::path hooks = root / "hooks.lua";
    ASSERT_TRUE(watch->watch({scene}).ok());
    ASSERT_TRUE(watch->watch({hooks}).ok());
    write_file(scene, "c");
    EXPECT_TRUE(changes_for(std::chrono::milliseconds(100)).empty());
    write_file(hooks, "c");
    EXPECT_EQ(changes_until(hooks), std::vector<fs::path>{hooks});
}

TEST_F(FileWatchTest, ReturnsPathsAsGiven) {
    const fs::path scene = root / "sub" / ".." / "scene.yaml";
    fs::create_directories(root / "sub");
    write_file(root / "scene.yaml", "a");
    ASSERT_TRUE(watch->watch({scene}).ok());
    write_file(root / "scene.yaml", "b");
    EXPECT_EQ(changes_until(scene), std::vector<fs::path>{scene});
}

TEST_F(FileWatchTest, AMissingFolderIsAnError) {
    const fs::path scene = root / "scene.yaml";
    write_file(scene, "a");
    ASSERT_TRUE(watch->watch({scene}).ok());
    const fs::path missing = root / "nowhere" / "scene.yaml";
    auto watched = watch->watch({missing});
    ASSERT_FALSE(watched.ok());
    EXPECT_EQ(watched.error().kind, ErrorKind::Io);
    EXPECT_NE(watched.error().message.find((root / "nowhere").string()), std::string::npos) << watched.error().message;
    // A failed watch() leaves the previous set in place.
    write_file(scene, "b");
    EXPECT_EQ(changes_until(scene), std::vector<fs::path>{scene});
}
