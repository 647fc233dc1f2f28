// Overlay panels (display/overlay.h): the list helpers on the CPU, then the pass on the
// GPU through a headless Offscreen (lavapipe, validation on when installed): rectangles
// on exactly their pixels, text inside its measured box, an empty list drawing nothing,
// a lenticular panel's interleave untouched outside the overlay, a rebuilt device.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "display/camera.h"
#include "display/offscreen.h"
#include "display/overlay.h"
#include "display/rig.h"
#include "display/screens.h"
#include "render/environment.h"
#include "room/display_file.h"

using namespace vitrine;
using display::OverlayList;
using display::rgba;

namespace {

// --- CPU: the list ---------------------------------------------------------------------

TEST(OverlayList, RectIsOneQuadInOneCommand) {
    OverlayList l;
    l.rect(1, 2, 3, 4, rgba(1, 2, 3));
    l.rect(5, 6, 7, 8, rgba(4, 5, 6));
    ASSERT_EQ(l.commands.size(), 1u);  // same texture and clip: batched
    EXPECT_EQ(l.commands[0].index_count, 12u);
    EXPECT_EQ(l.vertices.size(), 8u);
    EXPECT_EQ(l.commands[0].texture, display::OverlayTexture::None);
    EXPECT_EQ(l.vertices[2].pos, glm::vec2(4, 6));
    EXPECT_EQ(l.vertices[0].colour, 0xFF030201u);  // IM_COL32 order: R lowest
    l.rect(0, 0, 0, 5, rgba(0, 0, 0));             // empty: nothing
    EXPECT_EQ(l.vertices.size(), 8u);
    l.set_clip(0, 0, 10, 10);
    l.rect(0, 0, 1, 1, rgba(0, 0, 0));
    EXPECT_EQ(l.commands.size(), 2u);  // another clip: another command
    EXPECT_EQ(l.commands[1].clip, glm::vec4(0, 0, 10, 10));
}

TEST(OverlayList, SixteenBitIndicesStartANewCommandBefore65536Vertices) {
    OverlayList l;
    l.index_size = OverlayList::IndexSize::U16;
    for (int i = 0; i < 16384 + 10; ++i) l.rect(float(i % 100), 0, 1, 1, rgba(255, 255, 255));
    EXPECT_TRUE(l.indices.empty());
    ASSERT_EQ(l.commands.size(), 2u);
    EXPECT_EQ(l.commands[0].vertex_offset, 0u);
    EXPECT_EQ(l.commands[0].index_count, 16384u * 6);
    EXPECT_EQ(l.commands[1].vertex_offset, 65536u);
    EXPECT_EQ(l.commands[1].index_offset, 16384u * 6);
    EXPECT_EQ(l.indices16[l.commands[1].index_offset], 0);
}

TEST(OverlayList, TextIsClippedToItsMeasuredBoxAndScalesWithHeight) {
    if (!display::overlay_font()) GTEST_SKIP() << "no font on this system (fonts-dejavu-core)";
    glm::vec2 a = display::measure("Status 12:34", 20), b = display::measure("Status 12:34", 40);
    EXPECT_GT(a.x, 40);
    EXPECT_NEAR(b.x, 2 * a.x, 1e-3);
    EXPECT_NEAR(b.y, 2 * a.y, 1e-3);
    EXPECT_GT(display::measure("x\ny", 20).y, 1.5f * display::measure("x", 20).y);
    // Latin-1 from UTF-8, and what the font lacks drawn as '?'.
    EXPECT_GT(display::measure("\xC3\xA9", 20).x, 0);
    EXPECT_EQ(display::measure("\xE2\x82\xAC", 20), display::measure("?", 20));  // U+20AC: not in the atlas
    EXPECT_EQ(display::measure("\xC3", 20), display::measure("?", 20));          // cut short
    OverlayList l;
    l.text(10, 20, "Status 12:34", rgba(255, 255, 255), 20);
    ASSERT_FALSE(l.empty());
    for (const auto& c : l.commands) {
        EXPECT_EQ(c.texture, display::OverlayTexture::Font);
        EXPECT_EQ(c.clip, glm::vec4(10, 20, 10 + a.x, 20 + a.y));
    }
    for (const auto& v : l.vertices) {
        EXPECT_GE(v.pos.x, 10 - 2);  // a bearing may reach a little left: the clip cuts it
        EXPECT_LE(v.pos.x, 10 + a.x + 1e-3);
    }
}

// --- GPU: through an Offscreen ---------------------------------------------------------

class OverlayGpu : public ::testing::Test {
protected:
    void SetUp() override {
        display::RigOptions o;
        o.validation = gpu::Validation::IfInstalled;
        auto rig = display::Rig::create(o);
        if (!rig) GTEST_SKIP() << "no Vulkan device: " << rig.error().message;
        rig_ = std::move(rig.value());
        studio_ = render::procedural_studio(64, 32);
        ASSERT_TRUE(rig_->set_environment(studio_));  // the sky: a picture that is not one colour
    }
    void TearDown() override {
        if (rig_) {
            EXPECT_EQ(rig_->validation_messages(), 0u);
        }
    }
    // One frame of `out` with `views`, read back.
    Image8 frame(display::Offscreen& out, std::span<const render::View> views) {
        auto img = out.render({}, render::Look{}, views);
        EXPECT_TRUE(img) << (img ? "" : img.error().message);
        return img ? std::move(img.value()) : Image8{};
    }
    static const uint8_t* px(const Image8& img, uint32_t x, uint32_t y) { return &img.rgba[(size_t(y) * img.width + x) * 4]; }
    static bool same(const Image8& a, const Image8& b, uint32_t x, uint32_t y) {
        return std::equal(px(a, x, y), px(a, x, y) + 4, px(b, x, y));
    }
    std::vector<render::View> sky(uint32_t w, uint32_t h) {
        scene::Orbit orbit;
        orbit.distance = 3;
        orbit.pitch = 0.3f;
        return {display::orbit_view(orbit, {}, {0, 0, w, h})};
    }
    std::unique_ptr<display::Rig> rig_;
    ImageF studio_;
};

constexpr uint32_t kW = 96, kH = 64;

TEST_F(OverlayGpu, SolidRectLandsOnExactlyItsPixels) {
    auto out = display::Offscreen::create(*rig_, kW, kH);
    ASSERT_TRUE(out) << out.error().message;
    auto views = sky(kW, kH);
    Image8 base = frame(*out.value(), views);
    OverlayList l;
    l.rect(10, 12, 20, 8, rgba(200, 40, 90));
    l.rect(50, 30, 1, 1, rgba(3, 250, 128));
    out.value()->set_overlay(l);
    Image8 img = frame(*out.value(), views);
    ASSERT_EQ(img.rgba.size(), base.rgba.size());
    auto inside = [](uint32_t x, uint32_t y, uint32_t x0, uint32_t y0, uint32_t w, uint32_t h) {
        return x >= x0 && x < x0 + w && y >= y0 && y < y0 + h;
    };
    int wrong = 0;
    for (uint32_t y = 0; y < kH; ++y)
        for (uint32_t x = 0; x < kW; ++x) {
            const uint8_t* p = px(img, x, y);
            auto near = [&](int r, int g, int b) {
                return std::abs(p[0] - r) <= 1 && std::abs(p[1] - g) <= 1 && std::abs(p[2] - b) <= 1;
            };
            bool ok = inside(x, y, 10, 12, 20, 8) ? near(200, 40, 90)
                      : inside(x, y, 50, 30, 1, 1) ? near(3, 250, 128)
                                                    : same(img, base, x, y);
            if (!ok && wrong++ < 5) ADD_FAILURE() << "pixel " << x << "," << y;
        }
    EXPECT_EQ(wrong, 0);
}

TEST_F(OverlayGpu, TextDrawsInsideItsMeasuredBoxOnly) {
    if (!display::overlay_font()) GTEST_SKIP() << "no font on this system (fonts-dejavu-core)";
    auto out = display::Offscreen::create(*rig_, kW, kH);
    ASSERT_TRUE(out) << out.error().message;
    auto views = sky(kW, kH);
    Image8 base = frame(*out.value(), views);
    const char* text = "fps 60 \xC3\x85j";  // "Åj": an accent above, a descender below
    glm::vec2 box = display::measure(text, 14);
    ASSERT_LT(5 + box.x, float(kW));
    OverlayList l;
    l.text(5, 20, text, rgba(255, 255, 0), 14);
    out.value()->set_overlay(l);
    Image8 img = frame(*out.value(), views);
    int in = 0, out_of_box = 0;
    for (uint32_t y = 0; y < kH; ++y)
        for (uint32_t x = 0; x < kW; ++x) {
            if (same(img, base, x, y)) continue;
            bool inside = x >= 5 && x < std::ceil(5 + box.x) && y >= 20 && y < std::ceil(20 + box.y);
            (inside ? in : out_of_box)++;
        }
    EXPECT_GT(in, 40);
    EXPECT_EQ(out_of_box, 0);
}

TEST_F(OverlayGpu, EmptyListIsThePictureWithoutOverlay) {
    auto out = display::Offscreen::create(*rig_, kW, kH);
    ASSERT_TRUE(out) << out.error().message;
    auto views = sky(kW, kH);
    Image8 base = frame(*out.value(), views);
    OverlayList l;
    l.rect(1, 1, 10, 10, rgba(255, 0, 0));
    out.value()->set_overlay(l);
    EXPECT_NE(frame(*out.value(), views).rgba, base.rgba);
    out.value()->set_overlay(OverlayList{});  // replaced by nothing
    EXPECT_EQ(frame(*out.value(), views).rgba, base.rgba);
    OverlayList clipped;  // a command whose clip is off the picture
    clipped.set_clip(-50, -50, 10, 10);
    clipped.rect(-50, -50, 100, 100, rgba(255, 0, 0));
    out.value()->set_overlay(clipped);
    EXPECT_EQ(frame(*out.value(), views).rgba, base.rgba);
}

TEST_F(OverlayGpu, LenticularPictureIsUntouchedOutsideTheOverlay) {
    std::vector<room::Problem> problems;
    room::DisplayFile d = room::load_display(std::string(VITRINE_SOURCE_DIR) + "/tests/displays/lkg_small.display.yaml", problems);
    ASSERT_TRUE(problems.empty());
    ASSERT_TRUE(d.lenticular);
    const room::Lenticular& lkg = *d.lenticular;
    uint32_t w = uint32_t(lkg.calibration.screen_w), h = uint32_t(lkg.calibration.screen_h);
    auto out = display::Offscreen::create(*rig_, w, h, &d);
    ASSERT_TRUE(out) << out.error().message;
    room::QuiltCamera cam;
    cam.focal_centre = {0, 0.3, 0};
    std::vector<render::View> views = display::quilt_views(lkg, cam);
    Image8 base = frame(*out.value(), views);
    // The interleave makes neighbouring pixels differ: a picture, not one colour.
    ASSERT_NE(std::count(base.rgba.begin(), base.rgba.end(), base.rgba[0]), std::ptrdiff_t(base.rgba.size()));
    OverlayList l;
    l.rect(20, 30, 60, 40, rgba(10, 20, 30, 200));  // translucent: the interleave shows through
    l.text(20, 100, "12:00 attract", rgba(255, 255, 255), 16);
    out.value()->set_overlay(l);
    Image8 img = frame(*out.value(), views);
    auto in_command = [&](uint32_t x, uint32_t y) {
        for (const auto& c : l.commands)
            if (x >= std::floor(c.clip.x) && x < std::ceil(c.clip.z) && y >= std::floor(c.clip.y) && y < std::ceil(c.clip.w))
                return true;
        return false;
    };
    int inside_changed = 0, outside_changed = 0;
    for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < w; ++x) {
            bool changed = !same(img, base, x, y);
            if (in_command(x, y)) inside_changed += changed;
            else outside_changed += changed;
        }
    EXPECT_EQ(outside_changed, 0);
    EXPECT_GT(inside_changed, 60 * 40 / 2);
}

TEST_F(OverlayGpu, SurvivesARebuiltDevice) {
    auto out = display::Offscreen::create(*rig_, kW, kH);
    ASSERT_TRUE(out) << out.error().message;
    auto views = sky(kW, kH);
    OverlayList l;
    l.rect(4, 4, 30, 10, rgba(0, 128, 255));
    l.text(4, 30, "ok", rgba(255, 255, 255), 16);
    out.value()->set_overlay(l);
    Image8 before = frame(*out.value(), views);
    // What a lost device leads to (Rig::recover_from): outputs release, the device is made
    // again; the overlay pass is made again on the next frame, its list kept.
    ASSERT_TRUE(rig_->recover_from(Error{"simulated loss", ErrorKind::DeviceLost}));
    EXPECT_EQ(rig_->recoveries(), 1u);
    EXPECT_EQ(frame(*out.value(), views).rgba, before.rgba);
}

}  // namespace
