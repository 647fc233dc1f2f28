// Display views (display/screens): a wall's screen views, turned regions, tiles, fitting
// into a window and touches through a screen, checked on the CPU against the physical
// screen corners.
#include <gtest/gtest.h>

#include "display/screens.h"

namespace vitrine::display {
namespace {

room::DisplayFile corner(int rotate, bool flip_x) {
    room::DisplayFile d;
    d.canvas_width = 432 + 216;
    d.canvas_height = 216;
    d.viewer.eye = {0.3, 1.6, 6.0};
    room::Screen left;
    left.name = "left";
    left.pa = {-4, 0, -2}, left.pb = {0, 0, -4}, left.pc = {-4, 3, -2};
    left.region = {0, 0, 216, 144};
    room::Screen right;
    right.name = "right";
    right.pa = {0, 0, -4}, right.pb = {4, 0, -2}, right.pc = {0, 3, -4};
    bool turned = rotate % 180 != 0;
    right.region = {216, 0, turned ? 144 : 216, turned ? 216 : 144};
    right.orientation.rotate = rotate;
    right.orientation.flip_x = flip_x;
    d.screens = {left, right};
    return d;
}

// Where on a screen (metres) a point of its own picture (0..1, v down) lies.
glm::dvec3 on_screen(const room::Screen& s, double u, double v) {
    return s.pa + u * (s.pb - s.pa) + (1 - v) * (s.pc - s.pa);
}

// The distance from a point to a ray.
double off_ray(const glm::dvec3& o, const glm::dvec3& d, const glm::dvec3& p) {
    glm::dvec3 w = p - o;
    return glm::length(w - glm::dot(w, d) * d);
}

TEST(Screens, ATouchPicksThroughTheScreenUnderIt) {
    for (int rotate : {0, 90, 180, 270})
        for (bool flip : {false, true}) {
            room::DisplayFile d = corner(rotate, flip);
            std::vector<render::View> views = screen_views(d, d.viewer.eye);
            ASSERT_EQ(views.size(), 2u);
            glm::dvec3 o, dir;
            // The left screen (unturned): canvas pixel (54, 36) is its picture's (0.25, 0.25).
            ASSERT_TRUE(pixel_ray(views[0], 54, 36, o, dir));
            EXPECT_LT(glm::length(o - d.viewer.eye), 0.1);  // from (near) the eye
            EXPECT_LT(off_ray(o, dir, on_screen(d.screens[0], 0.25, 0.25)), 1e-4);
            // The right screen, turned: its picture's top-left corner region, wherever it lands.
            const render::Rect& r = views[1].viewport;
            for (double fx : {0.1, 0.5, 0.9})
                for (double fy : {0.2, 0.7}) {
                    double px = r.x + fx * r.width, py = r.y + fy * r.height;
                    ASSERT_TRUE(pixel_ray(views[1], px, py, o, dir));
                    glm::dvec2 q = picture_point(views[1], {px - r.x, py - r.y});
                    glm::dvec3 target = on_screen(d.screens[1], q.x / views[1].picture_width(), q.y / views[1].picture_height());
                    EXPECT_LT(off_ray(o, dir, target), 1e-4) << "rotate " << rotate << " flip " << flip;
                }
            EXPECT_FALSE(pixel_ray(views[0], 300, 10, o, dir));  // outside the left screen
        }
}

TEST(Screens, PicturePointUndoesTheTurn) {
    // rotate 90 + flip_x on a 216 x 144 picture (a 144 x 216 region): picture (0, 0) is
    // flipped to (216, 0), then turned clockwise to (144 - 0, 216), the region's
    // bottom-right corner; picture_point takes that corner back to (0, 0).
    room::DisplayFile d = corner(90, true);
    render::View v = screen_views(d, d.viewer.eye)[1];
    glm::dvec2 p = picture_point(v, {144, 216});
    EXPECT_NEAR(p.x, 0, 1e-9);
    EXPECT_NEAR(p.y, 0, 1e-9);
}

TEST(Screens, TilesCoverTheCanvasOnce) {
    room::DisplayFile d = corner(90, false);
    std::vector<render::View> views = screen_views(d, d.viewer.eye);
    uint64_t area = 0;
    for (int y = 0; y < 216; y += 50)
        for (int x = 0; x < 648; x += 70)
            for (const render::View& t : tile_views(views, {x, y, 70, 50})) {
                EXPECT_LE(uint64_t(t.viewport.x) + t.viewport.width, 70u);
                EXPECT_LE(uint64_t(t.viewport.y) + t.viewport.height, 50u);
                area += uint64_t(t.viewport.width) * t.viewport.height;
            }
    EXPECT_EQ(area, 216u * 144 + 144u * 216);
}

TEST(Screens, FittedRectanglesStillMeet) {
    room::DisplayFile d = corner(0, false);
    d.canvas_width = 432;
    d.canvas_height = 144;
    std::vector<render::View> fit = fit_views(screen_views(d, d.viewer.eye), 432, 144, 1001, 333);
    ASSERT_EQ(fit.size(), 2u);
    EXPECT_EQ(fit[0].viewport.x + int32_t(fit[0].viewport.width), fit[1].viewport.x);
    EXPECT_EQ(fit[0].viewport.height, fit[1].viewport.height);
}

}  // namespace
}  // namespace vitrine::display
