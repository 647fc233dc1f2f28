// The display file (docs/display-file.md): the documented example and the committed
// examples, every class of problem with its exact message and place, mesh screens and
// visual.json on a real folder, and random damage that must never crash.
#include <gtest/gtest.h>

#include "mutate.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include <unistd.h>

#include "room/display_file.h"

namespace fs = std::filesystem;

namespace vitrine::room {
namespace {

// docs/display-file.md's example (scenes/displays/corner.display.yaml).
const char* kExample = R"(canvas: [3840, 1080]          # pixels of the picture sent to the LED processor / outputs
viewer:
  eye: [0.0, 1.6, 6.0]        # the sweet spot, metres, room frame (+Y up)
  near: 0.05
  far: 200
screens:
  - name: left                # planar screen: corners in metres
    pa: [-4.0, 0.0, -2.0]     # lower-left
    pb: [0.0, 0.0, -4.0]      # lower-right
    pc: [-4.0, 3.0, -2.0]     # upper-left
    region: [0, 0, 1920, 1080]   # x, y (from the top), width, height on the canvas
  - name: right
    pa: [0.0, 0.0, -4.0]
    pb: [4.0, 0.0, -2.0]
    pc: [0.0, 3.0, -4.0]
    region: [1920, 0, 1920, 1080]
    rotate: 0                 # optional 0/90/180/270 and flip_x/flip_y of the region
stage: {center: [0.0, 1.2, -1.5], size: 1.5}   # optional
)";

// The same two screens, compact, so that every line and column below is easy to read:
// line 5..8 are the left screen's corners and region, 10..13 the right one's.
const char* kTwo = R"(canvas: [3840, 1080]
viewer: {eye: [0, 1.6, 6]}
screens:
  - name: left
    pa: [-4, 0, -2]
    pb: [0, 0, -4]
    pc: [-4, 3, -2]
    region: [0, 0, 1920, 1080]
  - name: right
    pa: [0, 0, -4]
    pb: [4, 0, -2]
    pc: [0, 3, -4]
    region: [1920, 0, 1920, 1080]
)";

// A Looking Glass Portrait; line 3..13 the calibration, 14 the quilt.
const char* kPortrait = R"(lenticular:
  calibration:
    pitch: 52.58
    slope: -7.19
    center: 0.56
    viewCone: 40
    invView: 1
    DPI: 324
    screenW: 1536
    screenH: 2048
    flipImageX: 0
    flipImageY: 0
    flipSubp: 0
  quilt: {columns: 8, rows: 6, width: 3360, height: 3360}
  views: 48
  focal_plane: 2
  depthiness: 1
  size: 1
)";

// `text` with the first `from` replaced by `to` (which must be there).
std::string with(std::string text, const std::string& from, const std::string& to) {
    size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

std::string joined(const std::vector<Problem>& problems, const std::string& file = "", const std::string& shown = "") {
    std::string all;
    for (const Problem& p : problems) {
        std::string line = p.str();
        if (!file.empty() && line.rfind(file, 0) == 0) line = shown + line.substr(file.size());
        all += (all.empty() ? "" : "\n") + line;
    }
    return all;
}

// Every problem as "file:line:column: message", one per line.
std::string problems_of(const std::string& text, DisplayFile* out = nullptr) {
    std::vector<Problem> problems;
    DisplayFile d = parse_display("t.display.yaml", text, problems);
    if (out) *out = std::move(d);
    return joined(problems);
}

// ---- the examples ------------------------------------------------------------------

TEST(DisplayFile, DocumentedExampleParses) {
    DisplayFile d;
    ASSERT_EQ(problems_of(kExample, &d), "");
    EXPECT_EQ(d.file, fs::path("t.display.yaml"));
    EXPECT_EQ(d.canvas_width, 3840);
    EXPECT_EQ(d.canvas_height, 1080);
    EXPECT_EQ(d.viewer.eye, glm::dvec3(0, 1.6, 6));
    EXPECT_FALSE(d.viewer.tracked);
    EXPECT_EQ(d.viewer.near, 0.05);
    EXPECT_EQ(d.viewer.far, 200);
    EXPECT_EQ(d.viewer.ipd, 0);
    ASSERT_EQ(d.screens.size(), 2u);
    const Screen& left = d.screens[0];
    EXPECT_EQ(left.name, "left");
    EXPECT_EQ(left.loc.str(), "t.display.yaml:7:5");
    EXPECT_TRUE(left.planar);
    EXPECT_EQ(left.pa, glm::dvec3(-4, 0, -2));
    EXPECT_EQ(left.pb, glm::dvec3(0, 0, -4));
    EXPECT_EQ(left.pc, glm::dvec3(-4, 3, -2));
    EXPECT_EQ(left.region.x, 0);
    EXPECT_EQ(left.region.width, 1920);
    EXPECT_EQ(left.region.height, 1080);
    const Screen& right = d.screens[1];
    EXPECT_EQ(right.name, "right");
    EXPECT_EQ(right.pb, glm::dvec3(4, 0, -2));
    EXPECT_EQ(right.region.x, 1920);
    EXPECT_EQ(right.region.y, 0);
    EXPECT_EQ(right.orientation.rotate, 0);
    EXPECT_FALSE(right.orientation.flip_x);
    EXPECT_FALSE(d.lenticular.has_value());
    EXPECT_TRUE(d.stage.given);
    EXPECT_EQ(d.stage.center, glm::dvec3(0, 1.2, -1.5));
    EXPECT_EQ(d.stage.size, 1.5);
}

TEST(DisplayFile, OptionalKeys) {
    DisplayFile d;
    std::string text = with(kTwo, "viewer: {eye: [0, 1.6, 6]}", "viewer: {tracked: osc, ipd: 0.063}");
    text += "    rotate: 270\n    flip_x: true\n    flip_y: false\n";
    ASSERT_EQ(problems_of(text, &d), "");
    EXPECT_TRUE(d.viewer.tracked);
    EXPECT_EQ(d.viewer.eye, glm::dvec3(0, 1.6, 6));  // the default starting position
    EXPECT_EQ(d.viewer.ipd, 0.063);
    EXPECT_EQ(d.screens[1].orientation.rotate, 270);
    EXPECT_TRUE(d.screens[1].orientation.flip_x);
    EXPECT_FALSE(d.stage.given);
}

#ifdef VITRINE_SOURCE_DIR
TEST(DisplayFile, CommittedExamplesLoad) {
    const fs::path dir = fs::path(VITRINE_SOURCE_DIR) / "scenes/displays";
    for (const char* name : {"corner", "coex", "floor_wall", "curved", "portrait"}) {
        std::vector<Problem> problems;
        DisplayFile d = load_display(dir / (std::string(name) + ".display.yaml"), problems);
        EXPECT_EQ(joined(problems), "") << name;
    }
    std::vector<Problem> problems;
    DisplayFile corner = load_display(dir / "corner.display.yaml", problems);
    std::vector<Problem> from_doc;
    DisplayFile doc = parse_display(dir / "corner.display.yaml", kExample, from_doc);
    EXPECT_EQ(corner.screens.size(), doc.screens.size());

    DisplayFile coex = load_display(dir / "coex.display.yaml", problems);
    EXPECT_EQ(coex.canvas_width, 7840);
    EXPECT_EQ(coex.canvas_height, 1952);

    DisplayFile curved = load_display(dir / "curved.display.yaml", problems);
    ASSERT_EQ(curved.screens.size(), 1u);
    const ScreenMesh& mesh = curved.screens[0].mesh;
    EXPECT_FALSE(curved.screens[0].planar);
    EXPECT_EQ(mesh.positions.size(), 66u);  // 33 columns of 2 (the file has normals: nothing unwelded)
    EXPECT_EQ(mesh.indices.size(), 32u * 6);
    EXPECT_EQ(mesh.uvs.front(), glm::dvec2(0, 1));
    EXPECT_EQ(mesh.uvs.back(), glm::dvec2(1, 0));
    for (const glm::dvec3& p : mesh.positions) EXPECT_NEAR(std::hypot(p.x, p.z), 3.0, 1e-6);

    DisplayFile portrait = load_display(dir / "portrait.display.yaml", problems);
    ASSERT_TRUE(portrait.lenticular.has_value());
    EXPECT_EQ(portrait.canvas_width, 1536);
    EXPECT_EQ(portrait.canvas_height, 2048);
    EXPECT_EQ(portrait.lenticular->quilt.width, 3360);
    EXPECT_EQ(joined(problems), "");
}
#endif

TEST(DisplayFile, LenticularInline) {
    DisplayFile d;
    ASSERT_EQ(problems_of(kPortrait, &d), "");
    ASSERT_TRUE(d.lenticular.has_value());
    const Lenticular& l = *d.lenticular;
    EXPECT_EQ(l.calibration.pitch, 52.58);
    EXPECT_EQ(l.calibration.slope, -7.19);
    EXPECT_EQ(l.calibration.center, 0.56);
    EXPECT_EQ(l.calibration.view_cone, 40);
    EXPECT_TRUE(l.calibration.inv_view);
    EXPECT_EQ(l.calibration.dpi, 324);
    EXPECT_EQ(l.calibration.screen_w, 1536);
    EXPECT_EQ(l.calibration.screen_h, 2048);
    EXPECT_FALSE(l.calibration.flip_image_x);
    EXPECT_FALSE(l.calibration.flip_subp);
    EXPECT_EQ(l.quilt.columns, 8);
    EXPECT_EQ(l.quilt.rows, 6);
    EXPECT_EQ(l.quilt.width, 3360);
    EXPECT_EQ(l.quilt.height, 3360);
    EXPECT_EQ(l.views, 48);
    EXPECT_EQ(l.focal_plane, 2);
    EXPECT_EQ(l.depthiness, 1);
    EXPECT_EQ(l.size, 1);
    EXPECT_TRUE(d.screens.empty());
    // The canvas defaults to the panel's pixels, and may be given when it equals them.
    EXPECT_EQ(d.canvas_width, 1536);
    EXPECT_EQ(d.canvas_height, 2048);
    EXPECT_EQ(problems_of("canvas: [1536, 2048]\n" + std::string(kPortrait)), "");
}

// ---- screens -----------------------------------------------------------------------

TEST(DisplayFile, CornersNotAtARightAngle) {
    EXPECT_EQ(problems_of(with(kTwo, "pc: [-4, 3, -2]", "pc: [-3.836, 3, -2]")),
              "t.display.yaml:7:9: screen 'left': pc: corners are not at a right angle (pb-pa and pc-pa meet at 87.2 "
              "degrees)");
    // Within half a degree is a right angle.
    EXPECT_EQ(problems_of(with(kTwo, "pc: [-4, 3, -2]", "pc: [-3.98, 3, -2]")), "");
}

TEST(DisplayFile, DegenerateCorners) {
    EXPECT_EQ(problems_of(with(kTwo, "pb: [0, 0, -4]", "pb: [-4, 0, -2]")),
              "t.display.yaml:6:9: screen 'left': pb: corner is at the same place as pa");
    EXPECT_EQ(problems_of(with(kTwo, "pc: [-4, 3, -2]", "pc: [-4, 0, -2]")),
              "t.display.yaml:7:9: screen 'left': pc: corner is at the same place as pa");
    EXPECT_EQ(problems_of(with(kTwo, "pc: [-4, 3, -2]", "pc: [0, 0, -4]")),
              "t.display.yaml:7:9: screen 'left': pc: corner is at the same place as pb");
    EXPECT_EQ(problems_of(with(kTwo, "pc: [-4, 3, -2]", "pc: [-8, 0, 0]")),
              "t.display.yaml:7:9: screen 'left': pc: corners pa, pb and pc lie on one line");
}

TEST(DisplayFile, EyeBehindOrOnAScreen) {
    EXPECT_EQ(problems_of(with(kTwo, "eye: [0, 1.6, 6]", "eye: [0, 1.6, -10]")),
              "t.display.yaml:5:9: screen 'left': the eye is 5.37 m behind the screen; seen from the eye, pa, pb and "
              "pc must be its lower-left, lower-right and upper-left corners\n"
              "t.display.yaml:10:9: screen 'right': the eye is 5.37 m behind the screen; seen from the eye, pa, pb and "
              "pc must be its lower-left, lower-right and upper-left corners");
    // On the left screen's plane (x + 2z = -8), behind the right one.
    EXPECT_EQ(problems_of(with(kTwo, "eye: [0, 1.6, 6]", "eye: [2, 1.6, -5]")),
              "t.display.yaml:5:9: screen 'left': the eye is on the screen's plane\n"
              "t.display.yaml:10:9: screen 'right': the eye is 1.79 m behind the screen; seen from the eye, pa, pb and "
              "pc must be its lower-left, lower-right and upper-left corners");
}

TEST(DisplayFile, Regions) {
    EXPECT_EQ(problems_of(with(kTwo, "[1920, 0, 1920, 1080]", "[1900, 0, 1920, 1080]")),
              "t.display.yaml:13:13: screen 'right': region overlaps the region of screen 'left' by 20 x 1080 pixels");
    EXPECT_EQ(problems_of(with(kTwo, "[1920, 0, 1920, 1080]", "[1920, 0, 1921, 1080]")),
              "t.display.yaml:13:13: screen 'right': region [1920, 0, 1921, 1080] reaches outside the canvas (3840 x "
              "1080)");
    EXPECT_EQ(problems_of(with(kTwo, "[1920, 0, 1920, 1080]", "[1920, -1, 1920, 1080]")),
              "t.display.yaml:13:13: screen 'right': region [1920, -1, 1920, 1080] reaches outside the canvas (3840 x "
              "1080)");
    EXPECT_EQ(problems_of(with(kTwo, "[1920, 0, 1920, 1080]", "[1920, 0, 0, 1080]")),
              "t.display.yaml:13:13: screen 'right': region: width and height must be more than 0, got 0 x 1080");
    EXPECT_EQ(problems_of(with(kTwo, "[1920, 0, 1920, 1080]", "[1920, 0, 1920]")),
              "t.display.yaml:13:13: screen 'right': 'region' takes 4 numbers, got 3");
    EXPECT_EQ(problems_of(with(kTwo, "[1920, 0, 1920, 1080]", "[1920, 0, 1920.5, 1080]")),
              "t.display.yaml:13:23: screen 'right': 'region' must be 4 whole numbers [x, y, width, height], got "
              "'1920.5'");
}

TEST(DisplayFile, Orientation) {
    EXPECT_EQ(problems_of(std::string(kTwo) + "    rotate: 45\n"),
              "t.display.yaml:14:13: screen 'right': 'rotate' must be 0, 90, 180 or 270, got 45");
    EXPECT_EQ(problems_of(std::string(kTwo) + "    flip_y: yes\n"),
              "t.display.yaml:14:13: screen 'right': 'flip_y' must be a boolean, got a string");
}

TEST(DisplayFile, ScreenNames) {
    EXPECT_EQ(problems_of(with(kTwo, "name: right", "name: left")),
              "t.display.yaml:9:11: screen 'left' is defined twice (first at t.display.yaml:4:11)");
    EXPECT_EQ(problems_of(with(kTwo, "  - name: right\n", "  - region: [1920, 0, 1, 1]\n")),
              "t.display.yaml:9:5: screen 2 needs 'name'\n"
              "t.display.yaml:13:5: 'region' is given twice (first at t.display.yaml:9:5)");
    EXPECT_EQ(problems_of(with(kTwo, "name: right", "name: ''")),
              "t.display.yaml:9:11: screen 2 name must not be empty");
}

TEST(DisplayFile, ScreenKinds) {
    EXPECT_EQ(problems_of(with(kTwo, "    pc: [0, 3, -4]\n", "")), "t.display.yaml:9:5: screen 'right' needs 'pc'");
    EXPECT_EQ(problems_of(with(kTwo, "    pc: [0, 3, -4]\n", "    mesh: wall.gltf\n")),
              "t.display.yaml:12:5: screen 'right' takes either corners (pa, pb, pc) or 'mesh', not both");
    std::string no_corners = with(with(with(kTwo, "    pa: [0, 0, -4]\n", ""), "    pb: [4, 0, -2]\n", ""),
                                  "    pc: [0, 3, -4]\n", "");
    EXPECT_EQ(problems_of(no_corners), "t.display.yaml:9:5: screen 'right' needs corners (pa, pb, pc) or 'mesh'");
    EXPECT_EQ(problems_of(with(kTwo, "  - name: right\n    pa", "  - name: right\n    pd")),
              "t.display.yaml:10:5: unknown key 'pd' in screen 'right' (did you mean 'pa'?)");
    EXPECT_EQ(problems_of(with(kTwo, "    region: [1920", "    regoin: [1920")),
              "t.display.yaml:13:5: unknown key 'regoin' in screen 'right' (did you mean 'region'?)");
}

// ---- viewer, canvas, top level -------------------------------------------------------

TEST(DisplayFile, Viewer) {
    EXPECT_EQ(problems_of(with(kTwo, "{eye: [0, 1.6, 6]}", "{eye: [0, 1.6, 6], near: 0}")),
              "t.display.yaml:2:34: viewer 'near' must be more than 0, got 0");
    EXPECT_EQ(problems_of(with(kTwo, "{eye: [0, 1.6, 6]}", "{eye: [0, 1.6, 6], near: 1, far: 0.5}")),
              "t.display.yaml:2:42: viewer 'far' must be more than 'near' (1), got 0.5");
    EXPECT_EQ(problems_of(with(kTwo, "{eye: [0, 1.6, 6]}", "{eye: [0, 1.6, 6], near: 300}")),
              "t.display.yaml:2:34: viewer 'near' must be less than 'far' (200), got 300");
    EXPECT_EQ(problems_of(with(kTwo, "{eye: [0, 1.6, 6]}", "{eye: [0, 1.6, 6], ipd: -0.06}")),
              "t.display.yaml:2:33: viewer 'ipd' must not be negative, got -0.06");
    EXPECT_EQ(problems_of(with(kTwo, "{eye: [0, 1.6, 6]}", "{tracked: vive}")),
              "t.display.yaml:2:19: viewer 'tracked' must be osc, got 'vive'");
    EXPECT_EQ(problems_of(with(kTwo, "{eye: [0, 1.6, 6]}", "{near: 0.1}")),
              "t.display.yaml:2:9: viewer needs 'eye' (or 'tracked: osc')");
    EXPECT_EQ(problems_of(with(kTwo, "{eye: [0, 1.6, 6]}", "{eyes: [0, 1.6, 6]}")),
              "t.display.yaml:2:10: unknown key 'eyes' in viewer (did you mean 'eye'?)");
    EXPECT_EQ(problems_of(with(kTwo, "{eye: [0, 1.6, 6]}", "{eye: [0, 1.6]}")),
              "t.display.yaml:2:15: viewer 'eye' takes 3 numbers, got 2");
    EXPECT_EQ(problems_of(with(kTwo, "viewer: {eye: [0, 1.6, 6]}\n", "")),
              "t.display.yaml:1:1: the display file needs 'viewer'");
}

TEST(DisplayFile, Canvas) {
    EXPECT_EQ(problems_of(with(kTwo, "[3840, 1080]", "[3840]")), "t.display.yaml:1:9: 'canvas' takes 2 numbers, got 1");
    EXPECT_EQ(problems_of(with(kTwo, "[3840, 1080]", "4k")),
              "t.display.yaml:1:9: 'canvas' must be a list of 2 numbers, got a string");
    EXPECT_EQ(problems_of(with(kTwo, "[3840, 1080]", "[0, 1080]")),
              "t.display.yaml:1:10: 'canvas' width must be a whole number from 1 to 65536, got '0'");
    EXPECT_EQ(problems_of(with(kTwo, "[3840, 1080]", "[70000, 1080.5]")),
              "t.display.yaml:1:10: 'canvas' width must be a whole number from 1 to 65536, got '70000'\n"
              "t.display.yaml:1:17: 'canvas' height must be a whole number from 1 to 65536, got '1080.5'");
    EXPECT_EQ(problems_of(with(kTwo, "[3840, 1080]", "[65536, 20000]")), "");  // tiles handle large canvases
    EXPECT_EQ(problems_of(with(kTwo, "canvas: [3840, 1080]\n", "")),
              "t.display.yaml:1:1: the display file needs 'canvas'");
}

TEST(DisplayFile, TopLevel) {
    EXPECT_EQ(problems_of(""), "t.display.yaml:1:1: the display file is empty");
    EXPECT_EQ(problems_of("canvas: [1, 1]\n"), "t.display.yaml:1:1: the display file needs 'screens' or 'lenticular'");
    EXPECT_EQ(problems_of(std::string(kTwo) + "lenticular: {}\n"),
              "t.display.yaml:14:1: the display file takes either 'screens' or 'lenticular', not both");
    EXPECT_EQ(problems_of(with(kTwo, "screens:", "screen:")),
              "t.display.yaml:3:1: unknown key 'screen' at top level (did you mean 'screens'?)");
    EXPECT_EQ(problems_of(with(kTwo, "viewer:", "viewr:")),
              "t.display.yaml:2:1: unknown key 'viewr' at top level (did you mean 'viewer'?)");
    EXPECT_EQ(problems_of("canvas: [1, 1]\nviewer: {eye: [0, 0, 1]}\nscreens: []\n"),
              "t.display.yaml:3:10: 'screens' must not be empty");
    EXPECT_EQ(problems_of("- 1\n"), "t.display.yaml:1:1: the display file must be a mapping, got a sequence");
    EXPECT_EQ(problems_of("canvas: [1, 1\n"), "t.display.yaml:2:1: YAML syntax error: end of sequence flow not found");
    EXPECT_EQ(problems_of(std::string(kTwo) + "stage: {center: [0, 1], size: 0}\n"),
              "t.display.yaml:14:17: stage 'center' takes 3 numbers, got 2\n"
              "t.display.yaml:14:31: stage 'size' must be more than 0, got 0");
}

TEST(DisplayFile, WrongKinds) {
    EXPECT_EQ(problems_of(with(kTwo, "pa: [-4, 0, -2]", "pa: [a, 0, -2]")),
              "t.display.yaml:5:10: screen 'left': 'pa' must be a list of 3 numbers, got a string");
    EXPECT_EQ(problems_of(with(kTwo, "pa: [-4, 0, -2]", "pa: -4")),
              "t.display.yaml:5:9: screen 'left': 'pa' must be a list of 3 numbers, got a number");
    EXPECT_EQ(problems_of(with(kTwo, "viewer: {eye: [0, 1.6, 6]}", "viewer: [0, 1.6, 6]")),
              "t.display.yaml:2:9: 'viewer' must be a mapping, got a sequence");
    EXPECT_EQ(problems_of("canvas: [1, 1]\nviewer: {eye: [0, 0, 1]}\nscreens: left\n"),
              "t.display.yaml:3:10: 'screens' must be a sequence, got a string");
    EXPECT_EQ(problems_of(with(kTwo, "name: left", "name: [left]")),
              "t.display.yaml:4:11: 'name' must be a string, got a sequence");
    EXPECT_EQ(problems_of(with(kTwo, "pa: [-4, 0, -2]", "pa: [-4, 0, .inf]")),
              "t.display.yaml:5:17: screen 'left': 'pa' must be a finite number, got '.inf'");
}

// Several problems come out in reading order, whichever check found them.
TEST(DisplayFile, ProblemsInReadingOrder) {
    std::string text = with(with(with(kTwo, "[1920, 0, 1920, 1080]", "[1900, 0, 1920, 1080]"), "eye: [0, 1.6, 6]",
                                 "eye: [0, 1.6, 6], fov: 3"),
                            "pb: [0, 0, -4]", "pb: [-4, 0, -2]");
    EXPECT_EQ(problems_of(text),
              "t.display.yaml:2:28: unknown key 'fov' in viewer\n"
              "t.display.yaml:6:9: screen 'left': pb: corner is at the same place as pa\n"
              "t.display.yaml:13:13: screen 'right': region overlaps the region of screen 'left' by 20 x 1080 pixels");
}

// ---- lenticular ----------------------------------------------------------------------

TEST(DisplayFile, CalibrationImpossibleValues) {
    auto one = [](const std::string& from, const std::string& to) { return problems_of(with(kPortrait, from, to)); };
    EXPECT_EQ(one("pitch: 52.58", "pitch: 0"), "t.display.yaml:3:12: calibration 'pitch' must be more than 0, got 0");
    EXPECT_EQ(one("slope: -7.19", "slope: 0"), "t.display.yaml:4:12: calibration 'slope' must not be 0, got 0");
    EXPECT_EQ(one("viewCone: 40", "viewCone: 180"),
              "t.display.yaml:6:15: calibration 'viewCone' must be more than 0 and less than 180 degrees, got 180");
    EXPECT_EQ(one("viewCone: 40", "viewCone: 0"),
              "t.display.yaml:6:15: calibration 'viewCone' must be more than 0 and less than 180 degrees, got 0");
    EXPECT_EQ(one("DPI: 324", "DPI: -1"), "t.display.yaml:8:10: calibration 'DPI' must be more than 0, got -1");
    EXPECT_EQ(one("screenW: 1536", "screenW: 0"),
              "t.display.yaml:9:14: calibration 'screenW' must be a whole number from 1 to 65536, got 0");
    EXPECT_EQ(one("screenH: 2048", "screenH: 20.5"),
              "t.display.yaml:10:14: calibration 'screenH' must be a whole number from 1 to 65536, got 20.5");
    EXPECT_EQ(one("invView: 1", "invView: 2"), "t.display.yaml:7:14: calibration 'invView' must be 0 or 1, got 2");
    EXPECT_EQ(one("flipSubp: 0", "flipSubp: true"), "");
    EXPECT_EQ(one("    DPI: 324\n", ""), "t.display.yaml:3:5: calibration needs 'DPI'");
    EXPECT_EQ(one("    DPI: 324\n", "    dpi: 324\n"),
              "t.display.yaml:8:5: unknown key 'dpi' in calibration (did you mean 'DPI'?)");
    EXPECT_EQ(one("pitch: 52.58", "pitch: {value: 52.58, unit: px}"),
              "t.display.yaml:3:27: unknown key 'unit' in calibration 'pitch'");
    EXPECT_EQ(one("pitch: 52.58", "pitch: wide"),
              "t.display.yaml:3:12: calibration 'pitch' must be a number or {value: N}, got a string");
}

TEST(DisplayFile, QuiltAndViews) {
    auto one = [](const std::string& from, const std::string& to) { return problems_of(with(kPortrait, from, to)); };
    EXPECT_EQ(one("views: 48", "views: 49"),
              "t.display.yaml:15:10: lenticular 'views' must be at most the quilt's columns x rows (48), got 49");
    EXPECT_EQ(one("views: 48", "views: 0"),
              "t.display.yaml:15:10: lenticular 'views' must be a whole number from 1 to 65536, got '0'");
    EXPECT_EQ(one("columns: 8", "columns: 0"),
              "t.display.yaml:14:20: quilt 'columns' must be a whole number from 1 to 256, got '0'");
    EXPECT_EQ(one("rows: 6", "rows: 5"),
              "t.display.yaml:15:10: lenticular 'views' must be at most the quilt's columns x rows (40), got 48");
    EXPECT_EQ(problems_of(with(with(kPortrait, "rows: 6", "rows: 5"), "  views: 48\n", "")),
              "t.display.yaml:14:10: the quilt holds 40 views, fewer than 'views' (default 48)");
    EXPECT_EQ(one("width: 3360", "width: 0"),
              "t.display.yaml:14:39: quilt 'width' must be a whole number from 1 to 16384, got '0'");
    EXPECT_EQ(one("height: 3360", "height: 16385"),
              "t.display.yaml:14:53: quilt 'height' must be a whole number from 1 to 16384, got '16385'");
    EXPECT_EQ(one("width: 3360", "width: 4"),
              "t.display.yaml:14:39: quilt 'width' must be at least 'columns' (8), got 4");
    EXPECT_EQ(one("focal_plane: 2", "focal_plane: 0"),
              "t.display.yaml:16:16: lenticular 'focal_plane' must be more than 0, got 0");
    EXPECT_EQ(one("size: 1", "size: -1"), "t.display.yaml:18:9: lenticular 'size' must be more than 0, got -1");
    EXPECT_EQ(one("  views: 48\n", "  view: 48\n"),
              "t.display.yaml:15:3: unknown key 'view' in lenticular (did you mean 'views'?)");
    EXPECT_EQ(one("  calibration:\n", "  calibrations:\n"),
              "t.display.yaml:2:3: unknown key 'calibrations' in lenticular (did you mean 'calibration'?)");
}

TEST(DisplayFile, LenticularCanvas) {
    EXPECT_EQ(problems_of("canvas: [1536, 1024]\n" + std::string(kPortrait)),
              "t.display.yaml:1:9: 'canvas' must equal the panel's screenW x screenH (1536 x 2048), got 1536 x 1024");
}

// ---- files: mesh screens and visual.json ---------------------------------------------

std::string base64(const std::vector<uint8_t>& bytes) {
    static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (size_t i = 0; i < bytes.size(); i += 3) {
        uint32_t n = uint32_t(bytes[i]) << 16;
        if (i + 1 < bytes.size()) n |= uint32_t(bytes[i + 1]) << 8;
        if (i + 2 < bytes.size()) n |= bytes[i + 2];
        out += abc[(n >> 18) & 63];
        out += abc[(n >> 12) & 63];
        out += i + 1 < bytes.size() ? abc[(n >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? abc[n & 63] : '=';
    }
    return out;
}

template <typename T>
void append(std::vector<uint8_t>& bin, const std::vector<T>& data) {
    size_t at = bin.size();
    bin.resize(at + data.size() * sizeof(T));
    std::memcpy(bin.data() + at, data.data(), data.size() * sizeof(T));
}

// A 2 x 2 m quad at z = -2 facing +Z (or away), its node moved up by `lift`; with or
// without TEXCOORD_0. One .gltf with its buffer embedded.
std::string quad_gltf(bool uvs, bool facing = true, float lift = 0.5f) {
    std::vector<float> pos = {-1, 0, -2, 1, 0, -2, 1, 2, -2, -1, 2, -2};
    std::vector<float> uv = {0, 1, 1, 1, 1, 0, 0, 0};
    std::vector<uint16_t> idx = {0, 1, 2, 0, 2, 3};
    if (!facing) idx = {0, 2, 1, 0, 3, 2};
    std::vector<uint8_t> bin;
    append(bin, pos);
    append(bin, uv);
    append(bin, idx);
    std::string attributes = uvs ? R"({"POSITION": 0, "TEXCOORD_0": 1})" : R"({"POSITION": 0})";
    return R"({"asset": {"version": "2.0"}, "scene": 0, "scenes": [{"nodes": [0]}],
  "nodes": [{"mesh": 0, "translation": [0, )" + std::to_string(lift) + R"(, 0]}],
  "meshes": [{"primitives": [{"attributes": )" + attributes + R"(, "indices": 2}]}],
  "accessors": [
    {"bufferView": 0, "componentType": 5126, "count": 4, "type": "VEC3", "min": [-1, 0, -2], "max": [1, 2, -2]},
    {"bufferView": 1, "componentType": 5126, "count": 4, "type": "VEC2"},
    {"bufferView": 2, "componentType": 5123, "count": 6, "type": "SCALAR"}],
  "bufferViews": [
    {"buffer": 0, "byteOffset": 0, "byteLength": 48},
    {"buffer": 0, "byteOffset": 48, "byteLength": 32},
    {"buffer": 0, "byteOffset": 80, "byteLength": 12}],
  "buffers": [{"byteLength": 92, "uri": "data:application/octet-stream;base64,)" + base64(bin) + R"("}]}
)";
}

class DisplayFiles : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() / ("vitrine_display_" + std::to_string(::getpid()));
        fs::remove_all(root_);
        fs::create_directories(root_ / "room");
        file_ = (root_ / "room/d.display.yaml").string();
    }
    void TearDown() override { fs::remove_all(root_); }

    void write(const std::string& name, const std::string& text) { std::ofstream(root_ / name) << text; }

    // Loads `text` written as room/d.display.yaml; the folder's path shown as "room/".
    std::string load(const std::string& text, DisplayFile* out = nullptr) {
        write("room/d.display.yaml", text);
        std::vector<Problem> problems;
        DisplayFile d = load_display(file_, problems);
        if (out) *out = std::move(d);
        std::string all;
        for (const Problem& p : problems) {
            std::string line = p.str();
            std::string folder = (root_ / "room").string() + "/";
            if (line.rfind(folder, 0) == 0) line = "room/" + line.substr(folder.size());
            all += (all.empty() ? "" : "\n") + line;
        }
        return all;
    }

    fs::path root_;
    std::string file_;
};

const char* kMeshScreen = R"(canvas: [1920, 1080]
viewer: {eye: [0, 1.6, 3]}
screens:
  - name: wall
    mesh: wall.gltf
    region: [0, 0, 1920, 1080]
)";

TEST_F(DisplayFiles, MeshScreen) {
    write("room/wall.gltf", quad_gltf(true));
    DisplayFile d;
    ASSERT_EQ(load(kMeshScreen, &d), "");
    ASSERT_EQ(d.screens.size(), 1u);
    const Screen& s = d.screens[0];
    EXPECT_FALSE(s.planar);
    EXPECT_EQ(s.mesh.file, fs::weakly_canonical(root_ / "room/wall.gltf"));
    // Triangle by triangle (the importer may unweld vertices to give them flat normals).
    const ScreenMesh& m = s.mesh;
    ASSERT_EQ(m.indices.size(), 6u);
    ASSERT_EQ(m.positions.size(), m.uvs.size());
    for (uint32_t i : m.indices) ASSERT_LT(i, m.positions.size());
    const glm::dvec3 corners[6] = {{-1, 0.5, -2}, {1, 0.5, -2}, {1, 2.5, -2},
                                   {-1, 0.5, -2}, {1, 2.5, -2}, {-1, 2.5, -2}};
    const glm::dvec2 uvs[6] = {{0, 1}, {1, 1}, {1, 0}, {0, 1}, {1, 0}, {0, 0}};
    for (size_t k = 0; k < 6; ++k) {
        EXPECT_EQ(m.positions[m.indices[k]], corners[k]) << k;  // the node's translation applied
        EXPECT_EQ(m.uvs[m.indices[k]], uvs[k]) << k;
    }
}

TEST_F(DisplayFiles, MeshProblems) {
    write("room/bare.gltf", quad_gltf(false));
    EXPECT_EQ(load(with(kMeshScreen, "wall.gltf", "bare.gltf")),
              "room/d.display.yaml:5:11: screen 'wall': mesh 'bare.gltf' has no TEXCOORD_0 (mesh 0, primitive 0): its "
              "UVs place the surface on the screen's region");
    write("room/away.gltf", quad_gltf(true, false));
    EXPECT_EQ(load(with(kMeshScreen, "wall.gltf", "away.gltf")),
              "room/d.display.yaml:5:11: screen 'wall': the eye is not in front of 2 of 2 triangles of the mesh (each "
              "triangle's front, by its winding, must face the eye)");
    EXPECT_EQ(load(kMeshScreen), "room/d.display.yaml:5:11: screen 'wall': mesh file 'wall.gltf' not found");
    write("outside.gltf", quad_gltf(true));
    EXPECT_EQ(load(with(kMeshScreen, "wall.gltf", "../outside.gltf")),
              "room/d.display.yaml:5:11: screen 'wall': mesh path '../outside.gltf' leaves the display file's folder");
    EXPECT_EQ(load(with(kMeshScreen, "wall.gltf", "/etc/passwd")),
              "room/d.display.yaml:5:11: screen 'wall': mesh path '/etc/passwd' is absolute: write it relative to the "
              "display file's folder");
    write("room/broken.gltf", "{\"asset\": ");
    std::string broken = load(with(kMeshScreen, "wall.gltf", "broken.gltf"));
    EXPECT_EQ(broken.rfind("room/d.display.yaml:5:11: screen 'wall': cannot load mesh 'broken.gltf': ", 0), 0u)
        << broken;
}

const char* kVisualJson = R"({
    "configVersion": "3.0",
    "serial": "LKG-P01234",
    "pitch": {"value": 52.58},
    "slope": {"value": -7.19},
    "center": {"value": 0.56},
    "fringe": {"value": 0.0},
    "viewCone": {"value": 40.0},
    "invView": {"value": 1.0},
    "verticalAngle": {"value": 0.0},
    "DPI": {"value": 324.0},
    "screenW": {"value": 1536.0},
    "screenH": {"value": 2048.0},
    "flipImageX": {"value": 0.0},
    "flipImageY": {"value": 0.0},
    "flipSubp": {"value": 0.0}
}
)";

const char* kPanelByFile = R"(lenticular:
  calibration: visual.json
  quilt: {columns: 8, rows: 6, width: 3360, height: 3360}
)";

TEST_F(DisplayFiles, VisualJson) {
    write("room/visual.json", kVisualJson);
    DisplayFile d;
    ASSERT_EQ(load(kPanelByFile, &d), "");
    ASSERT_TRUE(d.lenticular.has_value());
    const Calibration& c = d.lenticular->calibration;
    EXPECT_EQ(c.pitch, 52.58);
    EXPECT_EQ(c.slope, -7.19);
    EXPECT_EQ(c.center, 0.56);
    EXPECT_EQ(c.view_cone, 40);
    EXPECT_TRUE(c.inv_view);
    EXPECT_EQ(c.dpi, 324);
    EXPECT_EQ(c.screen_w, 1536);
    EXPECT_EQ(c.screen_h, 2048);
    EXPECT_FALSE(c.flip_image_x);
    EXPECT_EQ(d.canvas_width, 1536);
    EXPECT_EQ(d.canvas_height, 2048);
    EXPECT_EQ(d.lenticular->views, 48);

    // Plain numbers are read too.
    write("room/visual.json",
          R"({"pitch": 50, "slope": -7, "center": 0.1, "DPI": 300, "screenW": 1440, "screenH": 2560})");
    ASSERT_EQ(load(kPanelByFile, &d), "");
    EXPECT_EQ(d.lenticular->calibration.pitch, 50);
    EXPECT_EQ(d.canvas_width, 1440);
}

TEST_F(DisplayFiles, VisualJsonProblems) {
    // Problems in the JSON point into it, after the display file's own.
    write("room/visual.json", with(with(kVisualJson, "\"pitch\": {\"value\": 52.58}", "\"pitch\": {\"value\": -1}"),
                                   "    \"DPI\": {\"value\": 324.0},\n", ""));
    EXPECT_EQ(load("canvas: [1, 2]\n" + std::string(kPanelByFile)),
              "room/d.display.yaml:1:9: 'canvas' must equal the panel's screenW x screenH (1536 x 2048), got 1 x 2\n"
              "room/visual.json:1:1: calibration needs 'DPI'\n"
              "room/visual.json:4:24: calibration 'pitch' must be more than 0, got -1");
    write("room/visual.json", "{\"pitch\": ");
    EXPECT_EQ(load(kPanelByFile).rfind("room/visual.json:", 0), 0u);
    write("room/visual.json", "");
    EXPECT_EQ(load(kPanelByFile), "room/visual.json:1:1: the calibration file is empty");
    fs::remove(root_ / "room/visual.json");
    EXPECT_EQ(load(kPanelByFile), "room/d.display.yaml:2:16: calibration file 'visual.json' not found");
    EXPECT_EQ(load(with(kPanelByFile, "visual.json", "../visual.json")),
              "room/d.display.yaml:2:16: calibration path '../visual.json' leaves the display file's folder");
}

TEST_F(DisplayFiles, MissingDisplayFile) {
    std::vector<Problem> problems;
    load_display(root_ / "nothing.display.yaml", problems);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].message.find("file not found"), std::string::npos);
}

// ---- robustness ----------------------------------------------------------------------

// Deterministic random damage to the examples: every result is problems, never a crash.
TEST(DisplayFile, RandomMutationsNeverCrash) {
    const fs::path dir = fs::temp_directory_path() / ("vitrine_display_fuzz_" + std::to_string(::getpid()));
    fs::create_directories(dir);  // empty: a damaged `mesh:` finds nothing to load
    std::mt19937 rng(20250301);
    for (int round = 0; round < 500; ++round) {
        std::string text = test::mutate_yaml(round % 3 == 2 ? kPortrait : kExample, rng);
        std::vector<Problem> problems;
        EXPECT_NO_THROW(parse_display(dir / "t.display.yaml", text, problems)) << text;
        for (const Problem& p : problems) EXPECT_FALSE(p.message.empty());
    }
    fs::remove_all(dir);
}

}  // namespace
}  // namespace vitrine::room
