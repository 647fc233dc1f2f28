// The soak's pieces that need no window (session/soak.h, soak_files.h, site_session.h):
// spans read as a technician writes them; the show's copy mirrors its files under one
// folder (hard links or copies) and a fault's replacement never reaches the original;
// which site changes keep a running show.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "session/site_session.h"
#include "session/soak.h"
#include "session/soak_files.h"

namespace fs = std::filesystem;

namespace vitrine::session {
namespace {

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

TEST(Soak, Spans) {
    EXPECT_EQ(parse_span("30d"), 30 * 86400.0);
    EXPECT_EQ(parse_span("12h"), 12 * 3600.0);
    EXPECT_EQ(parse_span("90m"), 90 * 60.0);
    EXPECT_EQ(parse_span("3600s"), 3600.0);
    EXPECT_EQ(parse_span("1.5d"), 1.5 * 86400.0);
    EXPECT_EQ(parse_span("45"), 45.0);
    for (const char* bad : {"", "d", "3w", "-1d", "0", "1e9d", "nan", "inf", "2 d", "400d"})
        EXPECT_FALSE(parse_span(bad).has_value()) << bad;
}

struct Folder : ::testing::Test {
    fs::path root;
    void SetUp() override {
        root = fs::temp_directory_path() / ("vitrine-soak-test-" + std::to_string(::getpid()));
        fs::remove_all(root);
        write(root / "show/scenes/a.scene.yaml", "vitrine: 1\n");
        write(root / "show/assets/relic.gltf", "{\"asset\": {\"version\": \"2.0\"}}");
        write(root / "show/assets/pattern.dzi", "<Image/>");
        write(root / "show/assets/pattern_files/0/0_0.jpg", "tile");
        write(root / "elsewhere.txt", "not the show's");
    }
    void TearDown() override { fs::remove_all(root); }
};

TEST_F(Folder, MirrorsTheShowsFilesUnderTheirCommonFolder) {
    auto m = mirror_files({root / "show/scenes/a.scene.yaml", root / "show/scenes/../assets/relic.gltf",
                           root / "show/assets/pattern.dzi"},
                          root / "scratch");
    ASSERT_TRUE(m.ok()) << m.error().message;
    EXPECT_EQ(m->from, fs::canonical(root / "show"));
    EXPECT_EQ(m->to, root / "scratch" / "show");
    EXPECT_EQ(m->map(root / "show/assets/relic.gltf"), root / "scratch/show/assets/relic.gltf");
    EXPECT_EQ(read(root / "scratch/show/scenes/a.scene.yaml"), "vitrine: 1\n");
    EXPECT_EQ(read(root / "scratch/show/assets/pattern_files/0/0_0.jpg"), "tile");  // a pyramid's tiles come along
    EXPECT_FALSE(fs::exists(root / "scratch/show/elsewhere.txt"));
    EXPECT_FALSE(fs::is_symlink(root / "scratch/show/assets/relic.gltf"));  // loaders refuse links out of the tree
    // Text a person might edit is copied, never linked: an editor writing in place must
    // not reach the original.
    EXPECT_EQ(fs::hard_link_count(root / "show/scenes/a.scene.yaml"), 1u);

    // A fault replaces the copy; the original never changes (a hard link is renamed over).
    ASSERT_TRUE(replace_file(m->map(root / "show/assets/relic.gltf"), "{ broken").ok());
    EXPECT_EQ(read(root / "scratch/show/assets/relic.gltf"), "{ broken");
    EXPECT_EQ(read(root / "show/assets/relic.gltf"), "{\"asset\": {\"version\": \"2.0\"}}");
    EXPECT_FALSE(fs::exists(root / "scratch/show/assets/relic.gltf.soak-part"));
}

TEST_F(Folder, RefusesWhatItCannotMirror) {
    EXPECT_FALSE(mirror_files({}, root / "scratch").ok());
    auto missing = mirror_files({root / "show/scenes/missing.scene.yaml"}, root / "scratch");
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().message.find("missing.scene.yaml: not found"), std::string::npos);
    auto everywhere = mirror_files({root / "show/scenes/a.scene.yaml", "/proc/version"}, root / "scratch");
    ASSERT_FALSE(everywhere.ok());
    EXPECT_NE(everywhere.error().message.find("no common folder"), std::string::npos);
}

TEST(Soak, WhichSiteChangesKeepTheShow) {
    SiteFile a;
    a.scene = fs::path(VITRINE_SOURCE_DIR) / "tests/sites/gallery.scene.yaml";
    SiteFile b = a;
    b.restart = 4 * 3600;  // a new restart time: the schedule only
    b.watchdog = 30;
    EXPECT_TRUE(same_show(a, b));
    SiteFile c = a;
    c.audio.reset();
    EXPECT_FALSE(same_show(a, c));
    SiteFile d = a;
    d.osc->port = 9001;
    EXPECT_FALSE(same_show(a, d));
    SiteFile e = a;
    e.scene = fs::path(VITRINE_SOURCE_DIR) / "tests/sites/closed.scene.yaml";
    EXPECT_FALSE(same_show(a, e));
    SiteFile f = a;
    f.display_file = fs::path(VITRINE_SOURCE_DIR) / "tests/sites/wall.display.yaml";  // read only when a show opens
    EXPECT_FALSE(same_show(f, f));
}

}  // namespace
}  // namespace vitrine::session
