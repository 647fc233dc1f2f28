// Image nodes (tile pyramids on a frame), magnification moves (zoom_to) and hotspots
// anchored in image pixels: parsing, every validation problem at its line, defaults,
// the pixel <-> frame maths, determinism, the log-scale zoom, cues, magnification
// numbers and touches. CPU only; pyramids are procedural ("procedural:NAME:WxH[:MM]").
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include <glm/gtc/matrix_transform.hpp>
#include <gtest/gtest.h>

#include "mutate.h"
#include "temp_dir.h"
#include "show/image.h"
#include "show/loader.h"
#include "show/show.h"

namespace fs = std::filesystem;
using namespace vitrine::show;

namespace {

struct TempDir : vitrine::test::TempDir {
    TempDir() : vitrine::test::TempDir("vitrine_show_image") {}
};

std::unique_ptr<LoadedScene> load_text(const TempDir& dir, const std::string& text) {
    std::vector<Problem> problems;
    auto scene = load_scene(dir.write("t.scene.yaml", text), problems);
    for (const Problem& p : problems) ADD_FAILURE() << p.str();
    return scene;
}

// A 100 000 x 56 250 scan at 0.05 mm per pixel on a 4 x 2.25 m wall, 5 m in front of
// the camera; a tour that zooms in on the seal, then to 22x.
const char* kScene = R"(assets:
  scroll: {pyramid: "procedural:pattern:100000x56250:0.05"}
camera: cam
nodes:
  - name: cam
    camera: {fov: 40}
    translation: [0, 1.5, 3]
  - name: scroll_wall
    image: {pyramid: scroll, size: [4.0, 2.25]}
    translation: [0, 1.5, -2]
    children:
      - name: seal
        hotspot: {pixel: [41400, 22225], radius: 0.05}
      - name: seal2
        hotspot: {pixel: [41600, 22225]}
      - name: far
        hotspot: {pixel: [90000, 50000], radius: 0.1}
timelines:
  - name: tour
    duration: 12
    tracks:
      - target: scroll_wall
        zoom_to:
          - {at: 0, region: [0, 0, 100000, 56250]}
          - {at: 2, duration: 4, region: [41000, 22000, 800, 450]}
          - {at: 8, duration: 3, centre: [41400, 22225], magnification: 22}
states:
  - name: tour
    timeline: tour
    transitions:
      - {touch: seal, to: detail}
  - name: detail
)";

int node_of(const LoadedScene& s, const std::string& name) { return s.file.node_index(name); }

const FrameHotspot* hotspot_of(const Frame& f, int node) {
    for (const FrameHotspot& h : f.hotspots)
        if (h.node == node) return &h;
    return nullptr;
}

constexpr double kW = 1920, kH = 1080;

// Screen pixel (y down) of a world point through camera_view, the one routine outputs use.
glm::dvec2 project(const Frame& f, const glm::dvec3& p) {
    CameraMatrices m = camera_view(f, float(kW / kH));
    glm::dvec4 clip = glm::dmat4(m.proj) * glm::dmat4(m.view) * glm::dvec4(p, 1.0);
    glm::dvec2 ndc = glm::dvec2(clip) / clip.w;
    return {(ndc.x + 1) / 2 * kW, (ndc.y + 1) / 2 * kH};
}

// The ray pick() casts through a screen pixel, in double.
void screen_ray(const Frame& f, glm::dvec2 s, glm::dvec3& origin, glm::dvec3& dir) {
    CameraMatrices m = camera_view(f, float(kW / kH));
    glm::dmat4 inv = glm::inverse(glm::dmat4(m.proj) * glm::dmat4(m.view));
    glm::dvec2 ndc(2 * s.x / kW - 1, 2 * s.y / kH - 1);
    glm::dvec4 a = inv * glm::dvec4(ndc, 0, 1), b = inv * glm::dvec4(ndc, 1, 1);
    origin = glm::dvec3(a) / a.w;
    dir = glm::normalize(glm::dvec3(b) / b.w - origin);
}

// Every problem of a scene, without failing.
std::vector<Problem> problems_of(const TempDir& dir, const std::string& text) {
    std::vector<Problem> problems;
    auto scene = load_scene(dir.write("p.scene.yaml", text), problems);
    return problems;
}

}  // namespace

TEST(ShowImage, ParsesImagesHotspotsAndZoomMoves) {
    std::vector<Problem> problems;
    SceneFile s = parse_scene("t.scene.yaml", std::string(kScene) + R"(cues:
  - id: "1"
    actions:
      - {zoom_to: scroll_wall, centre: [100, 200], magnification: 5, duration: 4}
      - {zoom_to: scroll_wall, region: [1, 2, 3200, 1800]}
)", problems);
    for (const Problem& p : problems) ADD_FAILURE() << p.str();
    ASSERT_EQ(s.assets.size(), 1u);
    EXPECT_EQ(s.assets[0].kind, AssetKind::Pyramid);
    EXPECT_EQ(s.assets[0].path, "procedural:pattern:100000x56250:0.05");
    const Node& wall = s.nodes[size_t(s.node_index("scroll_wall"))];
    ASSERT_TRUE(wall.image);
    EXPECT_EQ(wall.image->pyramid, "scroll");
    EXPECT_TRUE(wall.image->has_size);
    EXPECT_EQ(wall.image->size, glm::vec2(4.0f, 2.25f));
    EXPECT_FALSE(wall.image->has_region);
    EXPECT_EQ(wall.image->opacity, 1.0f);
    const Node& seal = s.nodes[size_t(s.node_index("seal"))];
    ASSERT_TRUE(seal.hotspot);
    EXPECT_EQ(seal.parent, s.node_index("scroll_wall"));
    EXPECT_EQ(seal.hotspot->pixel, glm::dvec2(41400, 22225));
    EXPECT_EQ(seal.hotspot->radius, 0.05f);
    EXPECT_EQ(s.nodes[size_t(s.node_index("seal2"))].hotspot->radius, 0.05f);  // the default
    ASSERT_EQ(s.timelines.size(), 1u);
    const Track& tr = s.timelines[0].tracks[0];
    EXPECT_TRUE(tr.zoom);
    EXPECT_EQ(tr.target, "scroll_wall");
    ASSERT_EQ(tr.moves.size(), 3u);
    EXPECT_TRUE(tr.moves[0].has_region);
    EXPECT_EQ(tr.moves[0].duration, 0);
    EXPECT_EQ(tr.moves[1].at, 2);
    EXPECT_EQ(tr.moves[1].duration, 4);
    EXPECT_EQ(tr.moves[1].region, glm::dvec4(41000, 22000, 800, 450));
    EXPECT_TRUE(tr.moves[2].has_centre && tr.moves[2].has_magnification && !tr.moves[2].has_region);
    EXPECT_EQ(tr.moves[2].centre, glm::dvec2(41400, 22225));
    EXPECT_EQ(tr.moves[2].magnification, 22);
    EXPECT_EQ(tr.moves[2].locs.at("magnification", {}).line, 26);
    ASSERT_EQ(s.cues.size(), 1u);
    ASSERT_EQ(s.cues[0].actions.size(), 2u);
    const Action& a = s.cues[0].actions[0];
    EXPECT_EQ(a.kind, ActionKind::ZoomTo);
    EXPECT_EQ(a.target, "scroll_wall");
    EXPECT_EQ(a.zoom.centre, glm::dvec2(100, 200));
    EXPECT_EQ(a.zoom.magnification, 5);
    EXPECT_EQ(a.zoom.duration, 4);
    EXPECT_TRUE(s.cues[0].actions[1].zoom.has_region);
    EXPECT_EQ(s.cues[0].actions[1].zoom.region, glm::dvec4(1, 2, 3200, 1800));
}

TEST(ShowImage, EveryMisuseIsAProblemAtItsLine) {
    TempDir dir;
    dir.write("x.hdr", "not an hdr");
    const std::string base = R"(assets:
  scroll: {pyramid: "procedural:pattern:100000x56250:0.05"}
  plain: {pyramid: "procedural:pattern:4000x3000"}
  hall: {hdr: x.hdr}
nodes:
  - name: cam
    camera: {fov: 40}
  - name: wall
    image: {pyramid: scroll, size: [4, 2.25]}
  - name: flat
    image: {pyramid: plain}
)";
    const std::string tl = "timelines:\n  - name: t\n    duration: 5\n    tracks:\n";
    struct Case {
        std::string text;  // appended to `base`; the problem is on the line marked #!
        std::string message;
    };
    const std::vector<Case> cases = {
        {"  - name: x\n    image: {pyramid: scrol}  #!\n", "unknown asset 'scrol' (did you mean 'scroll'?)"},
        {"  - name: x\n    image: {pyramid: hall}  #!\n", "asset 'hall' is not a pyramid"},
        {"  - name: x\n    image: {pyramid: scroll, size: [0, 1]}  #!\n", "'size' must be more than 0, got 0 x 1"},
        {"  - name: x\n    image: {pyramid: scroll, size: [4, 2.25], region: [0, 0, 0, 10]}  #!\n",
         "'region' width and height must be more than 0, got 0 x 10"},
        {"  - name: x\n    image: {pyramid: scroll, size: [4, 2.25], region: [0, 0, 1000, 1000]}  #!\n",
         "'region' 1000 x 1000 has aspect 1 but the frame of 'x' has aspect 1.778 (4 x 2.25 m)"},
        {"  - name: x\n    image: {pyramid: plain, region: [0, 0, 1600, 900]}  #!\n",
         "has aspect 1.778 but the frame of 'x' has aspect 1.333 (1 x 0.75 m)"},
        {"  - name: x\n    image: {pyramid: scroll, opacity: 2}  #!\n", "'opacity' must be between 0 and 1, got 2"},
        {"  - name: x\n    image: {pyramid: scroll, sise: [1, 1]}  #!\n",
         "unknown key 'sise' in image (did you mean 'size'?)"},
        {"  - name: x\n    image: {size: [1, 1]}  #!\n", "image needs 'pyramid'"},
        {"  - name: x\n    model: m\n    image: {pyramid: scroll}  #!\n", "node 'x' is an image: it cannot also be a model"},
        {"  - name: h\n    hotspot: {pixel: [1, 1]}  #!\n",
         "hotspot 'h' must be a child of an image node (it has no parent)"},
        {"  - name: c2\n    camera: {fov: 40}\n    children:\n      - name: h\n        hotspot: {pixel: [1, 1]}  #!\n",
         "hotspot 'h' must be a child of an image node (its parent 'c2' is not one)"},
        {"  - name: p\n    image: {pyramid: plain}\n    children:\n      - name: h\n        hotspot: {pixel: [5000, 10]}  #!\n",
         "hotspot pixel [5000, 10] is outside image 'plain' (4000 x 3000 pixels)"},
        {"  - name: p\n    image: {pyramid: plain}\n    children:\n      - name: h\n        hotspot: {pixl: [1, 2]}  #!\n",
         "unknown key 'pixl' in hotspot (did you mean 'pixel'?)"},
        {"  - name: p\n    image: {pyramid: plain}\n    children:\n      - name: h\n        hotspot: {pixel: [1, 2], radius: 0}  #!\n",
         "'radius' must be more than 0, got 0"},
        {tl + "      - target: cam  #!\n        zoom_to: [{at: 0, region: [0, 0, 400, 225]}]\n",
         "zoom_to needs an image node: 'cam' is not one"},
        {tl + "      - target: wal  #!\n        zoom_to: [{at: 0, region: [0, 0, 400, 225]}]\n",
         "unknown node 'wal' (did you mean 'wall'?)"},
        {tl + "      - target: wall\n        zoom_to:\n          - {at: 0, region: [0, 0, 400, 400]}  #!\n",
         "'region' 400 x 400 has aspect 1 but the frame of 'wall' has aspect 1.778"},
        {tl + "      - target: flat\n        zoom_to:\n          - {at: 0, magnification: 2}  #!\n",
         "'magnification' needs the pyramid's scale, and asset 'plain' does not give its mm per pixel"},
        {tl + "      - target: wall\n        zoom_to:\n          - {at: 0, magnification: -2}  #!\n",
         "'magnification' must be more than 0, got -2"},
        {tl + "      - target: wall\n        zoom_to:\n          - {at: 0, duraton: 2, region: [0, 0, 400, 225]}  #!\n",
         "unknown key 'duraton' in zoom_to move (did you mean 'duration'?)"},
        {tl + "      - target: wall\n        zoom_to:\n          - {duration: 2, region: [0, 0, 400, 225]}  #!\n",
         "zoom_to move needs 'at'"},
        {tl + "      - target: wall\n        zoom_to:\n          - {at: 1}  #!\n",
         "a zoom_to move needs 'region', or 'centre' and/or 'magnification'"},
        {tl + "      - target: wall\n        zoom_to:\n          - {at: 0, duration: 4, region: [0, 0, 400, 225]}\n"
              "          - {at: 3, region: [0, 0, 800, 450]}  #!\n",
         "move at 3 starts before the move before it ends (at 4)"},
        {tl + "      - target: wall\n        zoom_to:\n          - {at: 3, duration: 4, region: [0, 0, 400, 225]}  #!\n",
         "move at 3 for 4 s ends past the timeline's duration 5"},
        {tl + "      - target: wall\n        zoom_to:\n          - {at: 0, region: [0, 0, 400, 225], centre: [1, 1]}  #!\n",
         "a zoom_to move takes either 'region' or 'centre' and 'magnification', got 'region' and 'centre'"},
        {tl + "      - target: wall\n        zoom_to: [{at: 0, region: [0, 0, 400, 225]}]\n        keys: [{t: 0, value: [1]}]  #!\n",
         "a track takes either 'keys' or 'zoom_to', not both"},
        {tl + "      - target: cam.region  #!\n        keys: [{t: 0, value: [0, 0, 4, 2.25]}]\n",
         "node 'cam' is not an image: 'region' needs one"},
        {tl + "      - target: wall.region\n        keys: [{t: 0, value: [0, 0, 100, 100]}]  #!\n",
         "region 100 x 100 has aspect 1 but the frame of 'wall' has aspect 1.778"},
        {"cues: [{id: \"1\", actions: [{zoom_to: cam, region: [0, 0, 4, 2.25]}]}]  #!\n",
         "zoom_to needs an image node: 'cam' is not one"},
        {"cues: [{id: \"1\", actions: [{zoom_to: flat, magnification: 3, duration: 1}]}]  #!\n",
         "'magnification' needs the pyramid's scale"},
        {"cues: [{id: \"1\", actions: [{zoom_to: wall, centre: [1, 1], duraton: 1}]}]  #!\n",
         "unknown key 'duraton' in action (did you mean 'duration'?)"},
        {"cues: [{id: \"1\", actions: [{set: wall.region, value: [0, 0, 90, 90]}]}]  #!\n",
         "region 90 x 90 has aspect 1"},
        {tl + "      - target: wall.size\n        keys: [{t: 0, value: [1, 0]}]  #!\n", "size must be more than 0, got 1 x 0"},
    };
    for (const Case& c : cases) {
        std::string text = base + c.text;
        int line = 0, n = 1;
        for (size_t i = 0; i < text.size(); ++i) {
            if (text.compare(i, 2, "#!") == 0) line = n;
            if (text[i] == '\n') ++n;
        }
        ASSERT_GT(line, 0);
        std::vector<Problem> problems = problems_of(dir, text);
        bool found = false;
        std::string all;
        for (const Problem& p : problems) {
            all += "\n  " + p.str();
            if (p.loc.line == line && p.loc.column > 0 && p.message.find(c.message) != std::string::npos) found = true;
        }
        EXPECT_TRUE(found) << "expected at line " << line << ": " << c.message << "\ngot:" << all;
    }
    // A pyramid that does not open is a problem at its asset, with the reader's message.
    std::vector<Problem> problems = problems_of(dir, "assets:\n  broken: {pyramid: \"procedural:nonsense\"}\n");
    ASSERT_FALSE(problems.empty());
    EXPECT_EQ(problems[0].loc.line, 2);
    EXPECT_NE(problems[0].message.find("cannot open pyramid: "), std::string::npos) << problems[0].str();
    problems = problems_of(dir, "assets:\n  gone: {pyramid: missing.dzi}\n");
    ASSERT_FALSE(problems.empty());
    EXPECT_EQ(problems[0].loc.line, 2);
    EXPECT_NE(problems[0].message.find("not found"), std::string::npos) << problems[0].str();
}

TEST(ShowImage, DefaultSizeIsPhysicalWhenTheScaleIsKnownElseOneMetreWide) {
    TempDir dir;
    auto scene = load_text(dir, R"(assets:
  scroll: {pyramid: "procedural:pattern:100000x56250:0.05"}
  plain: {pyramid: "procedural:pattern:4000x3000"}
nodes:
  - name: a
    image: {pyramid: scroll}
  - name: b
    image: {pyramid: plain}
  - name: c
    image: {pyramid: plain, size: [1.6, 0.9]}
  - name: d
    image: {pyramid: scroll, size: [1, 1], opacity: 0.5}
)");
    ASSERT_TRUE(scene);
    auto show = Show::create(*scene);
    Frame f;
    show->evaluate(f);
    ASSERT_EQ(f.images.size(), 4u);
    // 100 000 px x 0.05 mm = 5 m; 56 250 px = 2.8125 m.
    EXPECT_FLOAT_EQ(f.images[0].size.x, 5.0f);
    EXPECT_FLOAT_EQ(f.images[0].size.y, 2.8125f);
    EXPECT_EQ(f.images[0].asset, "scroll");
    ASSERT_NE(f.images[0].pyramid, nullptr);
    EXPECT_EQ(f.images[0].pyramid->info().width, 100000u);
    EXPECT_EQ(f.images[0].node, node_of(*scene, "a"));
    // No scale: 1 m wide with the image's aspect.
    EXPECT_FLOAT_EQ(f.images[1].size.x, 1.0f);
    EXPECT_FLOAT_EQ(f.images[1].size.y, 0.75f);
    // The default region is the whole image...
    EXPECT_NEAR(f.images[0].region.x, 0, 1e-6);
    EXPECT_NEAR(f.images[0].region.y, 0, 1e-6);
    EXPECT_NEAR(f.images[0].region.z, 100000, 1e-6);
    EXPECT_NEAR(f.images[0].region.w, 56250, 1e-6);
    EXPECT_NEAR(f.images[1].region.z, 4000, 1e-9);
    EXPECT_NEAR(f.images[1].region.w, 3000, 1e-9);
    // ... widened about its centre to a wider frame (4:3 on 16:9) ...
    glm::dvec4 c = f.images[2].region;
    EXPECT_NEAR(c.z, 3000.0 * 1.6 / 0.9, 1e-3);
    EXPECT_NEAR(c.w, 3000, 1e-3);
    EXPECT_NEAR(c.x, (4000 - 3000.0 * 1.6 / 0.9) / 2, 1e-3);
    EXPECT_NEAR(c.y, 0, 1e-3);
    // ... or made taller for a narrower one (16:9 on a square).
    glm::dvec4 d = f.images[3].region;
    EXPECT_NEAR(d.z, 100000, 1e-6);
    EXPECT_NEAR(d.w, 100000, 1e-6);
    EXPECT_NEAR(d.y, (56250 - 100000) / 2.0, 1e-6);
    EXPECT_FLOAT_EQ(f.images[3].opacity, 0.5f);
    // The frames are in the automatic framing's bounds.
    EXPECT_FALSE(f.empty);
    EXPECT_NEAR(f.max.x - f.min.x, 5.0f, 1e-5);
    // The pure function agrees.
    EXPECT_EQ(fit_region(4000, 3000, 4.0 / 3.0), glm::dvec4(0, 0, 4000, 3000));
    EXPECT_TRUE(region_fits_aspect({0, 0, 1600, 900.8}, 16.0 / 9.0));   // within 0.1%
    EXPECT_FALSE(region_fits_aspect({0, 0, 1600, 902}, 16.0 / 9.0));
}

TEST(ShowImage, PixelToFrameAndBackRoundTripsAtEveryZoom) {
    FrameImage img;
    img.world = glm::translate(glm::mat4(1), glm::vec3(1, 2, -3)) *
                glm::rotate(glm::mat4(1), 0.3f, glm::normalize(glm::vec3(0.2f, 1, 0.1f))) *
                glm::scale(glm::mat4(1), glm::vec3(1.5f));
    img.size = {4.0f, 2.25f};
    std::mt19937_64 random(7);
    std::uniform_real_distribution<double> unit(0, 1);
    const glm::dvec3 eye(0.3, 1.1, 4);
    int checked = 0;
    for (double w : {100000.0, 10000.0, 800.0, 50.0, 3.0, 0.5}) {
        double h = w * 2.25 / 4.0;
        img.region = {41400.3 - w / 2, 22225.7 - h / 2, w, h};
        for (int i = 0; i < 50; ++i) {
            glm::dvec2 px(img.region.x + unit(random) * w, img.region.y + unit(random) * h);
            glm::dvec3 p = image_position(img, px);
            auto got = image_pixel(img, eye, p - eye);
            ASSERT_TRUE(got) << w;
            EXPECT_NEAR(got->x, px.x, 1e-6) << w;
            EXPECT_NEAR(got->y, px.y, 1e-6) << w;
            // The float position is the same point, to a float's precision.
            EXPECT_LT(glm::length(glm::dvec3(image_point(img, px)) - p), 1e-5);
            // Looking away from it, the ray does not meet the frame.
            EXPECT_FALSE(image_pixel(img, eye, eye - p));
            ++checked;
        }
        // Just off the frame: no pixel.
        glm::dvec3 off = image_position(img, {img.region.x + 1.01 * w, img.region.y + h / 2});
        EXPECT_FALSE(image_pixel(img, eye, off - eye));
    }
    EXPECT_EQ(checked, 300);
    // The frame's corners: pixel region.xy is at the top left, (-w/2, +h/2) locally.
    img.world = glm::mat4(1);
    img.region = {10, 20, 400, 225};
    glm::dvec3 tl = image_position(img, {10, 20}), br = image_position(img, {410, 245});
    EXPECT_NEAR(tl.x, -2, 1e-9);
    EXPECT_NEAR(tl.y, 1.125, 1e-9);
    EXPECT_NEAR(br.x, 2, 1e-9);
    EXPECT_NEAR(br.y, -1.125, 1e-9);
}

TEST(ShowImage, HotspotsStayOnTheirPixelThroughATour) {
    TempDir dir;
    auto scene = load_text(dir, kScene);
    ASSERT_TRUE(scene);
    auto show = Show::create(*scene);
    const int seal = node_of(*scene, "seal");
    const glm::dvec2 pixel(41400, 22225);
    Frame f;
    int seen = 0;
    for (int i = 0; i <= 48; ++i) {
        double t = i * 0.25;
        show->advance(t);
        show->evaluate(f);
        ASSERT_EQ(f.images.size(), 1u);
        const FrameImage& img = f.images[0];
        const FrameHotspot* h = hotspot_of(f, seal);
        ASSERT_TRUE(h);
        bool inside = pixel.x >= img.region.x && pixel.x <= img.region.x + img.region.z && pixel.y >= img.region.y &&
                      pixel.y <= img.region.y + img.region.w;
        EXPECT_EQ(h->visible, inside) << t;
        EXPECT_EQ(f.visible[size_t(seal)] != 0, inside) << t;
        // Its world matrix puts it on image_point(pixel), at every zoom.
        glm::vec3 at(f.world[size_t(seal)][3]);
        EXPECT_LT(glm::length(at - image_point(img, pixel)), 1e-5f) << t;
        if (!inside) continue;
        // Projected like every output projects, then picked back by a ray through that
        // screen position: the same image pixel, within half a screen pixel.
        glm::dvec2 screen = project(f, glm::dvec3(at));
        glm::dvec3 origin, dir;
        screen_ray(f, screen, origin, dir);
        auto got = image_pixel(img, origin, dir);
        ASSERT_TRUE(got) << t;
        double screen_per_image_px =
            glm::length(project(f, image_position(img, pixel + glm::dvec2(1, 0))) - project(f, image_position(img, pixel)));
        EXPECT_LT(glm::length(*got - pixel) * screen_per_image_px, 0.5) << t;
        // pick() through that point touches the seal (seal2 is farther from it).
        EXPECT_EQ(pick(f, float(kW / kH), float(screen.x / kW), float(screen.y / kH)), seal) << t;
        ++seen;
    }
    EXPECT_GE(seen, 40);
}

TEST(ShowImage, ZoomToursAreFrameDeterministic) {
    TempDir dir;
    auto scene = load_text(dir, std::string(kScene) + R"(cues:
  - {id: "1", at: 9.5, actions: [{zoom_to: scroll_wall, centre: [41000, 22000], magnification: 5, duration: 1.7}]}
)");
    ASSERT_TRUE(scene);
    auto played = Show::create(*scene);
    Frame a, b;
    int compared = 0;
    for (int k = 1; k <= 12 * 60; ++k) {
        double t = k / 60.0;
        played->advance(t);
        if (k % 47 != 0 && k != 12 * 60) continue;
        auto sought = Show::create(*scene);
        sought->seek(t);
        played->evaluate(a);
        sought->evaluate(b);
        ASSERT_EQ(a.images.size(), 1u);
        for (int c = 0; c < 4; ++c) EXPECT_EQ(a.images[0].region[c], b.images[0].region[c]) << t;  // bit for bit
        EXPECT_EQ(a.world, b.world) << t;
        EXPECT_EQ(a.visible, b.visible) << t;
        ++compared;
    }
    EXPECT_EQ(compared, 16);
}

TEST(ShowImage, WidthIsGeometricInTimeAndTheFixedPointStaysPut) {
    TempDir dir;
    auto scene = load_text(dir, kScene);
    ASSERT_TRUE(scene);
    auto show = Show::create(*scene);
    Frame f;
    std::vector<glm::dvec4> regions;
    for (int i = 0; i <= 16; ++i) {  // the move from t 2 to 6
        show->advance(2.0 + i * 0.25);
        show->evaluate(f);
        regions.push_back(f.images[0].region);
    }
    const glm::dvec4 a = regions.front(), b = regions.back();
    EXPECT_NEAR(a.z, 100000, 1e-6);
    EXPECT_NEAR(b.z, 800, 1e-9);
    EXPECT_NEAR(b.x, 41000, 1e-9);
    EXPECT_NEAR(b.y, 22000, 1e-9);
    // w(t) is geometric: each quarter second multiplies it by (800 / 100000)^(1/16).
    const double step = std::pow(800.0 / 100000.0, 1.0 / 16.0);
    for (size_t i = 1; i < regions.size(); ++i) EXPECT_NEAR(regions[i].z / regions[i - 1].z, step, 1e-12) << i;
    // The similarity from a to b fixes p* = c0 + w0 (c0 - c1) / (w1 - w0); its frame
    // position (p* - xy) / wh does not move.
    glm::dvec2 c0(a.x + a.z / 2, a.y + a.w / 2), c1(b.x + b.z / 2, b.y + b.w / 2);
    glm::dvec2 fixed = c0 + (c0 - c1) * (a.z / (b.z - a.z));
    glm::dvec2 s0 = (fixed - glm::dvec2(a)) / glm::dvec2(a.z, a.w);
    for (const glm::dvec4& r : regions) {
        glm::dvec2 s = (fixed - glm::dvec2(r)) / glm::dvec2(r.z, r.w);
        EXPECT_NEAR(s.x, s0.x, 1e-9);
        EXPECT_NEAR(s.y, s0.y, 1e-9);
        EXPECT_NEAR(r.z / r.w, 4.0 / 2.25, 1e-9);  // pixels stay square
    }
    // A pan (equal widths) moves the centre linearly; the ends are exact.
    glm::dvec4 p0(0, 0, 400, 225), p1(1000, 500, 400, 225);
    EXPECT_EQ(zoom_between(p0, p1, 0.25), glm::dvec4(250, 125, 400, 225));
    EXPECT_EQ(zoom_between(p0, p1, 0), p0);
    EXPECT_EQ(zoom_between(p0, p1, 1), p1);
    EXPECT_EQ(zoom_between(a, b, 1), b);
}

TEST(ShowImage, CueZoomStartsFromTheRegionInForceAndMagnificationIsTimesActualSize) {
    TempDir dir;
    dir.write("h.lua", "function on_cue(id)\n"
                       "  if id == '2' then show.magnification('flat_typo') end\n"
                       "  show.log(string.format('%.3f', show.magnification('scroll_wall')))\n"
                       "end\n");
    auto scene = load_text(dir, R"(assets:
  scroll: {pyramid: "procedural:pattern:100000x56250:0.05"}
  plain: {pyramid: "procedural:pattern:4000x3000"}
hooks: h.lua
nodes:
  - name: scroll_wall
    image: {pyramid: scroll, size: [4, 2.25]}
  - name: flat
    image: {pyramid: plain, size: [4, 3]}
timelines:
  - name: hold
    duration: 10
    tracks:
      - target: scroll_wall
        zoom_to:
          - {at: 0, duration: 2, region: [40000, 20000, 3200, 1800]}
      - target: scroll_wall.opacity
        keys: [{t: 0, value: 0}, {t: 2, value: 1}]
cues:
  - id: "1"
    at: 3
    actions: [{zoom_to: scroll_wall, centre: [41400, 22225], magnification: 50, duration: 2}]
  - id: "2"
    at: 6
    actions: [{set: scroll_wall.size, value: [2, 1.125]}]
states:
  - name: main
    timeline: hold
)");
    ASSERT_TRUE(scene);
    auto show = Show::create(*scene);
    Frame f;
    show->advance(1);
    show->evaluate(f);
    EXPECT_FLOAT_EQ(f.images[0].opacity, 0.5f);
    EXPECT_EQ(magnification(f.images[1]), 0);  // no scale: unknown
    show->advance(3);
    show->evaluate(f);
    const glm::dvec4 start(40000, 20000, 3200, 1800);
    for (int c = 0; c < 4; ++c) EXPECT_NEAR(f.images[0].region[c], start[c], 1e-9);
    // 0.05 mm/px on a 4 m frame showing 3200 px: 4000 mm / 3200 px = 1.25 mm per px, 25x.
    EXPECT_NEAR(magnification(f.images[0]), 25, 1e-12);
    std::vector<std::string> log = show->take_log();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_NE(log[0].find("25.000"), std::string::npos) << log[0];
    // Halfway: the move from the region in force when the cue fired.
    const glm::dvec4 target(41400 - 800, 22225 - 450, 1600, 900);  // 4000 / (50 x 0.05) = 1600 px
    show->advance(4);
    show->evaluate(f);
    glm::dvec4 half = zoom_between(start, target, 0.5);
    for (int c = 0; c < 4; ++c) EXPECT_NEAR(f.images[0].region[c], half[c], 1e-9);
    EXPECT_NEAR(f.images[0].region.z, std::sqrt(3200.0 * 1600.0), 1e-9);
    EXPECT_NEAR(magnification(f.images[0]), std::sqrt(25.0 * 50.0), 1e-9);
    show->advance(5.5);
    show->evaluate(f);
    for (int c = 0; c < 4; ++c) EXPECT_NEAR(f.images[0].region[c], target[c], 1e-9);
    EXPECT_NEAR(magnification(f.images[0]), 50, 1e-9);
    // A smaller frame shows the same width at half the magnification; the height follows.
    show->advance(7);
    show->evaluate(f);
    EXPECT_FLOAT_EQ(f.images[0].size.x, 2);
    EXPECT_NEAR(f.images[0].region.z, 1600, 1e-9);
    EXPECT_NEAR(f.images[0].region.w, 900, 1e-9);
    EXPECT_NEAR(magnification(f.images[0]), 25, 1e-9);
    std::vector<std::string> warnings = show->take_warnings();
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("h.lua:2: hook on_cue: show.magnification: no image node 'flat_typo'"), std::string::npos)
        << warnings[0];
}

TEST(ShowImage, TouchesPickTheHotspotTheImageOrWhatIsInFront) {
    TempDir dir;
    auto scene = load_text(dir, kScene);
    ASSERT_TRUE(scene);
    auto show = Show::create(*scene);
    Frame f;
    show->evaluate(f);
    const int wall = node_of(*scene, "scroll_wall"), seal = node_of(*scene, "seal"), seal2 = node_of(*scene, "seal2");
    const FrameImage& img = f.images[0];
    const float aspect = float(kW / kH);
    auto at = [&](glm::dvec2 pixel) {
        glm::dvec2 s = project(f, image_position(img, pixel));
        return glm::vec2(float(s.x / kW), float(s.y / kH));
    };
    glm::vec2 s = at({41400, 22225});
    EXPECT_EQ(pick(f, aspect, s.x, s.y), seal);
    // Between the two, nearer seal2 (200 px = 8 mm apart on the wall): the nearest wins.
    s = at({41560, 22225});
    EXPECT_EQ(pick(f, aspect, s.x, s.y), seal2);
    // Elsewhere on the frame: the image node.
    s = at({10000, 10000});
    EXPECT_EQ(pick(f, aspect, s.x, s.y), wall);
    // Off the frame: nothing.
    EXPECT_EQ(pick(f, aspect, 0.01f, 0.01f), -1);
    // A model's box in front of the hotspot is hit first; one behind the frame is not.
    s = at({41400, 22225});
    Frame g = f;
    FrameModel box;
    box.node = node_of(*scene, "cam");
    box.empty = false;
    box.min = glm::vec3(-0.5f, 1.0f, -1.0f);
    box.max = glm::vec3(0.5f, 2.0f, -0.5f);
    g.models.push_back(box);
    EXPECT_EQ(pick(g, aspect, s.x, s.y), box.node);
    g.models[0].min.z = -4, g.models[0].max.z = -3;
    EXPECT_EQ(pick(g, aspect, s.x, s.y), seal);
    const glm::vec2 seal_at_start = s;
    // A hotspot outside the region shown is neither visible nor touched.
    show->advance(7);  // 800 px around the seal
    show->evaluate(f);
    const int far = node_of(*scene, "far");
    EXPECT_FALSE(hotspot_of(f, far)->visible);
    EXPECT_TRUE(hotspot_of(f, seal)->visible);
    // A touch at the seal's point of the picture takes the `touch: seal` transition.
    auto touched = Show::create(*scene);
    Input in;
    in.t = 1.0;
    in.kind = InputKind::TouchAt;
    in.x = seal_at_start.x, in.y = seal_at_start.y;  // the whole image shows at t 1 too
    in.aspect = aspect;
    touched->input(in);
    touched->advance(1.5);
    EXPECT_EQ(touched->state(), "detail");
    ASSERT_FALSE(touched->trace().empty());
    EXPECT_EQ(touched->trace().back(), "1.000 state tour -> detail (touch seal)");
}

TEST(ShowImage, RandomMutationsNeverCrash) {
    TempDir dir;
    const std::string text = std::string(kScene) + R"(cues:
  - {id: "1", at: 1.5, actions: [{zoom_to: scroll_wall, centre: [41000, 22000], magnification: 5, duration: 1}]}
  - {id: "2", at: 2.5, actions: [{set: scroll_wall.region, value: [0, 0, 1600, 900], fade: 1}]}
)";
    std::mt19937 rng(8);
    int loaded = 0;
    for (int round = 0; round < 400; ++round) {
        std::string mutated = vitrine::test::mutate_yaml(text, rng);
        std::vector<Problem> problems;
        auto scene = load_scene(dir.write("m.scene.yaml", mutated), problems);
        for (const Problem& p : problems) EXPECT_FALSE(p.message.empty());
        if (!scene) continue;
        ++loaded;
        auto show = Show::create(*scene);
        Frame f;
        for (double t : {0.5, 2.0, 3.0, 7.0}) {
            show->advance(t);
            show->evaluate(f);
            for (const FrameImage& img : f.images) (void)magnification(img);
            (void)pick(f, 16.0f / 9.0f, 0.5f, 0.5f);
        }
    }
    EXPECT_GT(loaded, 0);  // some survive to run (most are refused: the file is strict)
}
