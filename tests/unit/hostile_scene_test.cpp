// Hostile input, the scene and display files' family: YAML nested too deep for yaml-cpp,
// text that is not UTF-8 (Latin-1, UTF-16 with its mark, a NUL byte), asset paths with
// a NUL byte, search roots that reach / or a system folder, FIFOs named as scene, inputs
// or display files; display files with huge canvases, corners kilometres away and
// calibration JSON nested too deep. Each is one problem at its file:line:column, quickly.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "core/paths.h"
#include "hostile.h"
#include "room/display_file.h"
#include "show/inputs.h"
#include "show/load.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using namespace vitrine;
using show::Problem;
using test::TempDir;

namespace {

std::string all(const std::vector<Problem>& problems) {
    std::string s;
    for (const Problem& p : problems) s += p.str() + "\n";
    return s;
}

bool has(const std::vector<Problem>& problems, const std::string& text) { return all(problems).find(text) != std::string::npos; }

}  // namespace

TEST(HostileScene, YamlNestedTooDeepIsOneProblemNotACrash) {
    test::Watchdog dog(30);
    std::string dashes;
    for (int i = 0; i < 100000; ++i) dashes += "- ";
    std::string indented;
    for (int i = 0; i < 2000; ++i) indented += std::string(size_t(i), ' ') + "k:\n";
    for (std::string text : {"vitrine: 1\nnodes: " + std::string(100000, '[') + "\n",
                                    "vitrine: 1\nnodes: " + std::string(100000, '{') + "\n",
                                    "vitrine: 1\nnodes:\n  " + dashes + "x\n", "vitrine: 1\nseed:\n" + indented}) {
        std::vector<Problem> problems;
        auto start = std::chrono::steady_clock::now();
        show::parse_scene("deep.scene.yaml", text, problems);
        ASSERT_EQ(problems.size(), 1u) << all(problems).substr(0, 500);
        EXPECT_TRUE(has(problems, "deep.scene.yaml:")) << all(problems);
        EXPECT_TRUE(has(problems, "YAML nested deeper than 256 levels")) << all(problems);
        EXPECT_FALSE(has(problems, "bad file")) << all(problems);
        EXPECT_LT(test::seconds_since(start), 2.0);
    }
    // The same for an inputs file.
    std::vector<Problem> problems;
    show::parse_inputs("deep.inputs.yaml", "- " + std::string(100000, '['), problems);
    EXPECT_TRUE(has(problems, "deep.inputs.yaml:1:")) << all(problems);
    EXPECT_TRUE(has(problems, "nested deeper than 256 levels")) << all(problems);
}

TEST(HostileScene, TextThatIsNotUtf8IsPlacedAndNamed) {
    struct Case {
        std::string text, where, what;
    };
    for (const Case& c : {Case{"vitrine: 1\nassets:\n  caf\xE9: {gltf: a.gltf}\n", "t.scene.yaml:3:6:", "byte 0xE9 is not UTF-8"},
                          Case{std::string("\xFF\xFEv\0i\0", 6), "t.scene.yaml:1:1:", "UTF-16 (little-endian"},
                          Case{std::string("\xFE\xFF\0v\0i", 6), "t.scene.yaml:1:1:", "UTF-16 (big-endian"},
                          Case{std::string("vitrine: 1\nseed: 4\0 2\n", 21), "t.scene.yaml:2:8:", "a NUL byte (0x00)"}}) {
        std::vector<Problem> problems;
        show::parse_scene("t.scene.yaml", c.text, problems);
        ASSERT_EQ(problems.size(), 1u) << all(problems);
        EXPECT_TRUE(has(problems, c.where)) << all(problems);
        EXPECT_TRUE(has(problems, c.what)) << all(problems);
        EXPECT_FALSE(has(problems, "unknown escape")) << all(problems);
    }
}

TEST(HostileScene, AssetPathsWithANulByteAreRefused) {
    TempDir dir("vitrine_hostile_scene");
    dir.write("x", "not a model");
    for (std::string path : {"\"x\\0y.gltf\"", "\"x\\x00.gltf\"", "\"x\\u0000\""}) {
        const std::string text = "vitrine: 1\nassets:\n  a: {gltf: " + path + "}\nnodes:\n  - {name: n, model: a}\n";
        fs::path file = dir.write("nul.scene.yaml", text);
        std::vector<Problem> problems;
        show::SceneFile s = show::parse_scene(file, text, problems);
        show::resolve_assets(s, problems);
        ASSERT_EQ(problems.size(), 1u) << all(problems);
        EXPECT_TRUE(has(problems, "nul.scene.yaml:3:")) << all(problems);
        EXPECT_TRUE(has(problems, "asset path contains a NUL byte")) << all(problems);
    }
}

TEST(HostileScene, SearchRootsOutsideTheAssetsAreRefused) {
    TempDir dir("vitrine_hostile_scene");
    fs::path deep = dir.path / "a/b/c";
    fs::create_directories(deep);
    std::string up;
    for (int i = 0; i < 40; ++i) up += "../";
    std::string etc = up + "etc";
    for (const auto& [root, why] : std::vector<std::pair<std::string, std::string>>{
             {up, "resolves to /, the whole file system"},
             {up + ".", "resolves to /, the whole file system"},
             {etc, "resolves to the system folder /etc"},
             {up + "proc/self", "resolves to the system folder /proc"},
             {up + "usr", "resolves to the system folder /usr"},
             {up + "usr/bin", "resolves to the system folder /usr"},
             {up + "var/log", "resolves to the system folder /var"}}) {
        fs::path file = deep / "s.scene.yaml";
        std::ofstream(file) << "vitrine: 1\nsearch: [assets, " << root << "]\nassets:\n  p: {gltf: etc/passwd}\n";
        std::vector<Problem> problems;
        auto bytes = test::read_bytes(file);
        show::SceneFile s = show::parse_scene(file, std::string(bytes.begin(), bytes.end()), problems);
        show::resolve_assets(s, problems);
        EXPECT_TRUE(has(problems, file.string() + ":2:")) << all(problems);
        EXPECT_TRUE(has(problems, "search root '" + root + "' " + why)) << root << "\n" << all(problems);
        // passwd is not found: the root is not searched.
        EXPECT_TRUE(has(problems, "asset file 'etc/passwd' not found")) << all(problems);
    }
    // Folders of the scene's own tree and installed data are roots as before.
    fs::create_directories(deep / "assets");
    for (const std::string& root : std::vector<std::string>{"assets", "..", up + "usr/share/vitrine", up + "tmp"}) {
        fs::path file = deep / "s.scene.yaml";
        std::ofstream(file) << "vitrine: 1\nsearch: [" << root << "]\n";
        std::vector<Problem> problems;
        auto bytes = test::read_bytes(file);
        show::SceneFile s = show::parse_scene(file, std::string(bytes.begin(), bytes.end()), problems);
        show::resolve_assets(s, problems);
        EXPECT_TRUE(problems.empty()) << root << "\n" << all(problems);
    }
}

TEST(HostileScene, FilesThatAreNotRegularAreRefusedAtOnce) {
    test::Watchdog dog(20);
    TempDir dir("vitrine_hostile_scene");
    fs::path fifo = test::make_fifo(dir.path / "pipe.scene.yaml");
    auto start = std::chrono::steady_clock::now();
    auto r = read_file(fifo, 16u << 20);  // how the loader, hooks and inputs read
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().message.find("not a regular file (a named pipe)") != std::string::npos) << r.error().message;
    std::vector<Problem> problems;
    room::load_display(test::make_fifo(dir.path / "pipe.display.yaml"), problems);
    EXPECT_TRUE(has(problems, "pipe.display.yaml")) << all(problems);
    EXPECT_TRUE(has(problems, "not a regular file (a named pipe)")) << all(problems);
    problems.clear();
    room::load_display(dir.path, problems);
    EXPECT_TRUE(has(problems, "not a regular file (a folder)")) << all(problems);
    EXPECT_LT(test::seconds_since(start), 2.0);
}

// ---- display files ----

namespace {

std::string wall(const std::string& canvas, const std::string& pa = "[-2, 0, -3]", const std::string& region = "") {
    return "canvas: " + canvas + "\nviewer:\n  eye: [0, 1.6, 2]\nscreens:\n  - name: w\n    pa: " + pa +
           "\n    pb: [2, 0, -3]\n    pc: [-2, 2, -3]\n    region: " + (region.empty() ? "[0, 0, 100, 50]" : region) + "\n";
}

}  // namespace

TEST(HostileDisplay, HugeCanvasesAreRefusedWithTheBound) {
    for (const auto& [canvas, why] : std::vector<std::pair<std::string, std::string>>{
             {"[65536, 65536]", "the canvas is 65536 x 65536 = 4294967296 pixels, more than the 2147483648 (2^31)"},
             {"[65536, 32769]", "more than the 2147483648 (2^31)"},
             {"[65537, 10]", "'canvas' width must be a whole number from 1 to 65536"},
             {"[10, 1e12]", "'canvas' height must be a whole number from 1 to 65536"}}) {
        std::vector<Problem> problems;
        room::parse_display("big.display.yaml", wall(canvas), problems);
        EXPECT_TRUE(has(problems, "big.display.yaml:1:")) << all(problems);
        EXPECT_TRUE(has(problems, why)) << all(problems);
    }
    std::vector<Problem> problems;  // 2^31 exactly is allowed; a 30 000 x 8 000 wall is far below
    room::parse_display("ok.display.yaml", wall("[65536, 32768]"), problems);
    EXPECT_FALSE(has(problems, "canvas is")) << all(problems);
    problems.clear();
    room::parse_display("ok.display.yaml", wall("[30000, 8000]"), problems);
    EXPECT_TRUE(problems.empty()) << all(problems);
    // A screen larger than the canvas is out of it.
    problems.clear();
    room::parse_display("s.display.yaml", wall("[100, 50]", "[-2, 0, -3]", "[0, 0, 1000000000, 50]"), problems);
    EXPECT_TRUE(has(problems, "reaches outside the canvas")) << all(problems);
}

TEST(HostileDisplay, CoordinatesFarAwayAreRefused) {
    for (std::string pa : {"[-1e12, 0, -3]", "[-2, 0, -10001]", "[-2, 1e300, -3]"}) {
        std::vector<Problem> problems;
        room::parse_display("far.display.yaml", wall("[100, 50]", pa), problems);
        EXPECT_TRUE(has(problems, "far.display.yaml:6:")) << all(problems);
        EXPECT_TRUE(has(problems, "must lie within 10 km of the room's origin")) << all(problems);
    }
    std::vector<Problem> problems;
    room::parse_display("far.display.yaml",
                        "canvas: [100, 50]\nviewer:\n  eye: [0, 1.6, 1e9]\nscreens:\n  - {name: w, pa: [-2, 0, -3], "
                        "pb: [2, 0, -3], pc: [-2, 2, -3], region: [0, 0, 100, 50]}\nstage: {center: [5e4, 0, 0], size: 1}\n",
                        problems);
    EXPECT_TRUE(has(problems, "far.display.yaml:3:")) << all(problems);
    EXPECT_TRUE(has(problems, "viewer 'eye' must lie within 10 km")) << all(problems);
    EXPECT_TRUE(has(problems, "stage 'center' must lie within 10 km")) << all(problems);
}

TEST(HostileDisplay, NestedTooDeepAndNotUtf8AndNulPathsAreOneProblemEach) {
    test::Watchdog dog(30);
    TempDir dir("vitrine_hostile_display");
    std::vector<Problem> problems;
    room::parse_display("deep.display.yaml", "canvas: " + std::string(100000, '['), problems);
    ASSERT_EQ(problems.size(), 1u) << all(problems);
    EXPECT_TRUE(has(problems, "deep.display.yaml:1:")) << all(problems);
    EXPECT_TRUE(has(problems, "YAML nested deeper than 256 levels")) << all(problems);
    problems.clear();
    room::parse_display("latin.display.yaml", "# \xE9\ncanvas: [1, 1]\n", problems);
    EXPECT_TRUE(has(problems, "latin.display.yaml:1:3: byte 0xE9 is not UTF-8")) << all(problems);
    // A calibration file is JSON: its errors say so.
    fs::path deep = dir.write("deep.json", std::string(100000, '[') + "\n");
    fs::path broken = dir.write("broken.json", "{\"pitch\": 1,\n \"slope\": ]\n");
    for (const auto& [json, why] : std::vector<std::pair<std::string, std::string>>{
             {"deep.json", "deep.json:1:257: JSON nested deeper than 256 levels"}, {"broken.json", "JSON syntax error"}}) {
        problems.clear();
        fs::path file = dir.write("lkg.display.yaml", "lenticular:\n  calibration: " + json + "\n");
        room::load_display(file, problems);
        EXPECT_TRUE(has(problems, why)) << all(problems);
        EXPECT_FALSE(has(problems, "YAML")) << all(problems);
    }
    problems.clear();
    fs::path file = dir.write("nul.display.yaml", "lenticular:\n  calibration: \"a\\0.json\"\n");
    room::load_display(file, problems);
    EXPECT_TRUE(has(problems, "nul.display.yaml:2:16: calibration path contains a NUL byte")) << all(problems);
}
