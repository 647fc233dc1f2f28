#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

#include "room/quilt.h"

namespace vitrine::room {
namespace {

// ---- names ------------------------------------------------------------------------------

TEST(QuiltName, ReadsColumnsRowsAspect) {
    auto q = parse_quilt_name("name_qs8x6a0.75.png");
    ASSERT_TRUE(q);
    EXPECT_EQ(q->columns, 8);
    EXPECT_EQ(q->rows, 6);
    ASSERT_TRUE(q->aspect);
    EXPECT_DOUBLE_EQ(*q->aspect, 0.75);

    q = parse_quilt_name("/renders/v1.2/hop_qs5x9a0.5625.jpg");
    ASSERT_TRUE(q);
    EXPECT_EQ(q->columns, 5);
    EXPECT_EQ(q->rows, 9);
    EXPECT_DOUBLE_EQ(*q->aspect, 0.5625);

    q = parse_quilt_name("frame_qs11x8a1.png");
    ASSERT_TRUE(q);
    EXPECT_DOUBLE_EQ(*q->aspect, 1.0);

    q = parse_quilt_name("clip_qs8x6a0.75_final.mp4");  // settings need not end the name
    ASSERT_TRUE(q);
    EXPECT_EQ(q->columns, 8);

    q = parse_quilt_name("old_qs4x4_qs8x6a0.75.png");  // the last settings count
    ASSERT_TRUE(q);
    EXPECT_EQ(q->columns, 8);
    EXPECT_EQ(q->rows, 6);
}

TEST(QuiltName, AspectIsOptional) {
    auto q = parse_quilt_name("name_qs8x6.png");
    ASSERT_TRUE(q);
    EXPECT_EQ(q->columns, 8);
    EXPECT_EQ(q->rows, 6);
    EXPECT_FALSE(q->aspect);
    q = parse_quilt_name("name_qs8x6");
    ASSERT_TRUE(q);
    EXPECT_FALSE(q->aspect);
}

TEST(QuiltName, JunkIsNotAQuilt) {
    for (const char* name :
         {"name.png", "name_qs0x6.png", "name_qs8x0.png", "name_qs99999999999x6.png", "name_qs1001x6.png",
          "name_qsx6.png", "name_qs8x.png", "name_qs8.png", "name_qs8x6a.png", "name_qs8x6a.5.png", "name_qs8x6a0.png",
          "name_qs8x6a0.0.png", "name_qs8x6a1000.png", "name_qs8x6foo.png", "name_qs8x6a0.75b.png", "name_qs-8x6.png",
          "name_qs8y6.png", "name_qs8x6a99999999999999999999999.png", "", "_qs", "dir_qs8x6/name.png"})
        EXPECT_FALSE(parse_quilt_name(name)) << name;
}

TEST(QuiltName, FileNames) {
    QuiltLayout l{8, 6, 3360, 3360};
    EXPECT_EQ(quilt_file_name("scene.png", l, 0.75), "scene_qs8x6a0.75.png");
    EXPECT_EQ(quilt_file_name("scene.png", l, 1536.0 / 864.0), "scene_qs8x6a1.7778.png");
    EXPECT_EQ(quilt_file_name("scene.png", l, 1.0), "scene_qs8x6a1.png");
    EXPECT_EQ(quilt_file_name("scene.png", l, 0.5625), "scene_qs8x6a0.5625.png");
    EXPECT_EQ(quilt_file_name("scene.png", l, 0), "scene_qs8x6.png");
    EXPECT_EQ(quilt_file_name("out.dir/frame", l, 0.75), "out.dir/frame_qs8x6a0.75");
    EXPECT_EQ(quilt_file_name("out/.hidden", l, 0.75), "out/.hidden_qs8x6a0.75");
    EXPECT_EQ(quilt_file_name("a/b.c/shot.0001.png", l, 0.75), "a/b.c/shot.0001_qs8x6a0.75.png");
    // Settings the name carries are kept when equal, replaced when not.
    EXPECT_EQ(quilt_file_name("scene_qs8x6a0.75.png", l, 0.75), "scene_qs8x6a0.75.png");
    EXPECT_EQ(quilt_file_name("scene_qs5x9a0.5625.png", l, 0.75), "scene_qs8x6a0.75.png");
    // What is written reads back.
    for (double a : {0.75, 0.5625, 1.6, 2.0 / 3.0}) {
        QuiltLayout m{13, 7, 4225, 4095};
        auto q = parse_quilt_name(quilt_file_name("x/y.png", m, a));
        ASSERT_TRUE(q);
        EXPECT_EQ(q->columns, 13);
        EXPECT_EQ(q->rows, 7);
        EXPECT_NEAR(*q->aspect, a, 5e-5);
    }
}

// ---- tiles, split, assemble ---------------------------------------------------------------

TEST(Quilt, TilesStartBottomLeft) {
    QuiltLayout l{8, 6, 3360, 3360};
    TileRect t = quilt_tile(l, 0);
    EXPECT_EQ(t.x, 0);
    EXPECT_EQ(t.y, 2800);
    EXPECT_EQ(t.width, 420);
    EXPECT_EQ(t.height, 560);
    t = quilt_tile(l, 7);
    EXPECT_EQ(t.x, 2940);
    EXPECT_EQ(t.y, 2800);
    t = quilt_tile(l, 8);
    EXPECT_EQ(t.x, 0);
    EXPECT_EQ(t.y, 2240);
    t = quilt_tile(l, 47);
    EXPECT_EQ(t.x, 2940);
    EXPECT_EQ(t.y, 0);
    // A remainder is left along the top and the right.
    QuiltLayout r{5, 9, 4096, 4096};
    t = quilt_tile(r, 0);
    EXPECT_EQ(t.width, 819);
    EXPECT_EQ(t.height, 455);
    EXPECT_EQ(t.y, 4096 - 455);
    t = quilt_tile(r, 44);
    EXPECT_EQ(t.x, 4 * 819);
    EXPECT_EQ(t.y, 4096 - 9 * 455);
}

Image8 noise(uint32_t w, uint32_t h, unsigned seed) {
    Image8 im;
    im.width = w;
    im.height = h;
    im.rgba.resize(size_t(w) * h * 4);
    std::mt19937 rng(seed);
    for (auto& b : im.rgba) b = uint8_t(rng());
    return im;
}

TEST(Quilt, SplitAssembleRoundTrip) {
    QuiltLayout l{8, 6, 336, 336};
    Image8 q = noise(336, 336, 1);
    auto views = split_quilt(q, l, 48);
    ASSERT_EQ(views.size(), 48u);
    EXPECT_EQ(views[0].width, 42u);
    EXPECT_EQ(views[0].height, 56u);
    // View 0 is the bottom-left tile: its first row is quilt row 336 - 56.
    EXPECT_EQ(0, std::memcmp(views[0].rgba.data(), q.rgba.data() + size_t(280) * 336 * 4, 42 * 4));
    Image8 back = assemble_quilt(views, l);
    EXPECT_EQ(back.width, q.width);
    EXPECT_EQ(back.height, q.height);
    EXPECT_TRUE(back.rgba == q.rgba);

    // Remainder strips and unused tiles come back as 0: byte-identical when they were 0.
    QuiltLayout r{5, 9, 343, 461};
    Image8 p = noise(343, 461, 2);
    Image8 masked = assemble_quilt(split_quilt(p, r, 40), r);
    auto again = split_quilt(masked, r, 40);
    EXPECT_TRUE(assemble_quilt(again, r).rgba == masked.rgba);
    EXPECT_EQ(masked.rgba[0], 0);  // the top strip
    EXPECT_TRUE(split_quilt(p, l, 48).empty());  // not layout-sized
}

// ---- views ------------------------------------------------------------------------------

struct Pixel {
    double x, y;
};
Pixel pixel_of(const Frustum& f, const glm::dvec3& p, double w, double h) {
    glm::dvec4 c = f.proj * f.view * glm::dvec4(p, 1);
    return {(c.x / c.w + 1) / 2 * w, (c.y / c.w + 1) / 2 * h};
}

Lenticular portrait_lkg() {
    Lenticular l;
    l.calibration.view_cone = 40;
    l.quilt = {8, 6, 3360, 3360};
    l.views = 48;
    l.focal_plane = 2;
    l.depthiness = 1.2;
    l.size = 0.8;
    return l;
}

QuiltCamera turned_camera() {
    QuiltCamera cam;
    cam.focal_centre = {0.2, 1.0, -0.3};
    double a = 0.6;  // turned about Y
    cam.basis = glm::dmat3(glm::dvec3(std::cos(a), 0, -std::sin(a)), glm::dvec3(0, 1, 0),
                           glm::dvec3(std::sin(a), 0, std::cos(a)));
    return cam;
}

TEST(QuiltView, FocalPlaneIsZeroParallax) {
    Lenticular l = portrait_lkg();
    QuiltCamera cam = turned_camera();
    double aspect = 0.75, W = 420, H = 560;
    glm::dvec3 right = cam.basis[0], up = cam.basis[1], back = cam.basis[2];
    std::mt19937 rng(9);
    std::uniform_real_distribution<double> u(-0.5, 0.5);
    for (int k = 0; k < 20; ++k) {
        glm::dvec3 p = cam.focal_centre + right * (u(rng) * 0.6) + up * (u(rng) * 0.8);
        Pixel first = pixel_of(quilt_view(l, cam, aspect, 0), p, W, H);
        for (int64_t i = 1; i < l.views; ++i) {
            Pixel q = pixel_of(quilt_view(l, cam, aspect, i), p, W, H);
            EXPECT_LT(std::abs(q.x - first.x), 0.5);
            EXPECT_LT(std::abs(q.y - first.y), 0.5);
            EXPECT_LT(std::hypot(q.x - first.x, q.y - first.y), 1e-6);
        }
    }
    // The rectangle's corners are the picture's corners in every view.
    glm::dvec3 ll = cam.focal_centre - right * (0.8 * aspect / 2) - up * 0.4;
    for (int64_t i : {0, 17, 47}) {
        Pixel c = pixel_of(quilt_view(l, cam, aspect, i), ll, W, H);
        EXPECT_NEAR(c.x, 0, 1e-9);
        EXPECT_NEAR(c.y, H, 1e-9);
        Frustum f = quilt_view(l, cam, aspect, i);
        EXPECT_NEAR(glm::dot(f.eye - cam.focal_centre, back), l.focal_plane, 1e-12);
        EXPECT_NEAR(glm::dot(f.eye - cam.focal_centre, up), 0, 1e-12);
    }
    (void)back;
}

TEST(QuiltView, OffPlanePointsShiftWithTheEye) {
    Lenticular l = portrait_lkg();
    QuiltCamera cam = turned_camera();
    glm::dvec3 right = cam.basis[0], up = cam.basis[1], back = cam.basis[2];
    const double W = 420, H = 560;
    for (double depth : {-0.3, 0.25}) {  // behind the focal plane, then in front of it
        glm::dvec3 p = cam.focal_centre + right * 0.1 + up * 0.05 + back * depth;
        std::vector<Pixel> px;
        std::vector<double> tans;
        for (int64_t i = 0; i < l.views; ++i) {
            px.push_back(pixel_of(quilt_view(l, cam, 0.75, i), p, W, H));
            tans.push_back(double(i));
        }
        // x = a + b * i: linear in the view index (evenly spaced eyes); y never moves.
        double b = (px[47].x - px[0].x) / (tans[47] - tans[0]), a = px[0].x - b * tans[0];
        for (int64_t i = 0; i < l.views; ++i) {
            EXPECT_NEAR(px[size_t(i)].x, a + b * tans[size_t(i)], 1e-6);
            EXPECT_NEAR(px[size_t(i)].y, px[0].y, 1e-6);
        }
        // View 0 is the leftmost eye: a point behind the plane moves right with the index.
        if (depth < 0) EXPECT_GT(b, 1);
        else EXPECT_LT(b, -1);
    }
    // The eyes: view 0 leftmost at focal_plane * tan(viewCone / 2) * depthiness; invView is
    // not applied to the quilt.
    Frustum v0 = quilt_view(l, cam, 0.75, 0);
    EXPECT_NEAR(glm::dot(v0.eye - cam.focal_centre, right), -2 * std::tan(glm::radians(20.0)) * 1.2, 1e-12);
    Lenticular inv = l;
    inv.calibration.inv_view = true;
    EXPECT_EQ(quilt_view(inv, cam, 0.75, 0).eye, v0.eye);
    Lenticular one = l;
    one.views = 1;
    EXPECT_NEAR(glm::length(quilt_view(one, cam, 0.75, 0).eye - (cam.focal_centre + back * 2.0)), 0, 1e-12);
}

// ---- interleave ---------------------------------------------------------------------------

Calibration portrait() {
    Calibration c;
    c.pitch = 52.58;
    c.slope = -7.19;
    c.center = 0.56;
    c.view_cone = 40;
    c.inv_view = true;
    c.dpi = 324;
    c.screen_w = 1536;
    c.screen_h = 2048;
    return c;
}

// The published formula, evaluated the way the shader does: wrap, negate for invView,
// scale by the view count, then the two neighbouring tiles (indices wrap around).
struct Direct {
    int64_t i0, i1;
    double w;
};
struct Published {
    double pitch, tilt, subp, center, sw, sh;
    bool inv;
    Published(double pitch_raw, double slope, double center_, double dpi, double sw_, double sh_, bool inv_)
        : pitch(pitch_raw * sw_ / dpi * std::cos(std::atan(1.0 / slope))), tilt(sh_ / (sw_ * slope)),
          subp(1.0 / (sw_ * 3)), center(center_), sw(sw_), sh(sh_), inv(inv_) {}
    Direct at(int64_t n, int64_t x, int64_t y, int i) const {
        double u = (x + 0.5) / sw, v = 1.0 - (y + 0.5) / sh;  // GL texture coordinates: v from the bottom
        double z = (u + i * subp + v * tilt) * pitch - center;
        z = std::fmod(z + std::ceil(std::abs(z)), 1.0);
        if (inv) z = -z;
        double f = z * double(n);
        double lo = std::floor(f);
        auto wrap = [n](int64_t k) { return ((k % n) + n) % n; };
        return {wrap(int64_t(lo)), wrap(int64_t(lo) + 1), f - lo};
    }
};

double decode(double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }
double lin(int s) { return decode(s / 255.0); }

// A quilt whose tiles are flat: view i is grey level `level(i)`.
template <class F>
Image8 flat_quilt(const QuiltLayout& l, int64_t views, F level) {
    std::vector<Image8> tiles;
    TileRect t = quilt_tile(l, 0);
    for (int64_t i = 0; i < views; ++i) {
        Image8 v;
        v.width = uint32_t(t.width);
        v.height = uint32_t(t.height);
        v.rgba.resize(size_t(t.width) * t.height * 4);
        for (size_t k = 0; k < v.rgba.size(); k += 4) {
            v.rgba[k] = v.rgba[k + 1] = v.rgba[k + 2] = uint8_t(level(i));
            v.rgba[k + 3] = 255;
        }
        tiles.push_back(v);
    }
    return assemble_quilt(tiles, l);
}

TEST(Interleave, ParamsFromCalibration) {
    InterleaveParams p = interleave_params(portrait());
    EXPECT_NEAR(p.pitch, 52.58 * 1536 / 324 * std::cos(std::atan(1 / -7.19)), 1e-12);
    EXPECT_NEAR(p.pitch, 246.89, 0.005);
    EXPECT_NEAR(p.tilt, 2048 / (1536 * -7.19), 1e-15);
    EXPECT_NEAR(p.subp, 1.0 / 4608, 1e-18);
    EXPECT_EQ(p.center, 0.56);
    EXPECT_TRUE(p.inv_view);
    EXPECT_EQ(p.width, 1536);
    EXPECT_EQ(p.height, 2048);
}

TEST(Interleave, MatchesThePublishedFormula) {
    const Calibration cal = portrait();
    const InterleaveParams p = interleave_params(cal);
    const QuiltLayout l{8, 6, 840, 840};
    const int64_t n = 48;
    auto level = [](int64_t i) { return int(10 + 5 * i); };
    Image8 out = interleave(flat_quilt(l, n, level), l, n, p);
    ASSERT_EQ(out.width, 1536u);
    ASSERT_EQ(out.height, 2048u);
    const Published published(52.58, -7.19, 0.56, 324, 1536, 2048, true);
    std::vector<double> linear;
    for (int64_t i = 0; i < n; ++i) linear.push_back(lin(level(i)));
    // 8-bit code k stands for linear values within 1.5 codes of it (rounding, +-1).
    std::vector<double> lo, hi;
    for (int k = 0; k < 256; ++k) {
        lo.push_back(decode(std::max(0.0, (k - 1.5) / 255)));
        hi.push_back(decode(std::min(1.0, (k + 1.5) / 255)));
    }
    int64_t mismatches = 0, view_errors = 0;
    for (int64_t y = 0; y < 2048; ++y)
        for (int64_t x = 0; x < 1536; ++x)
            for (int c = 0; c < 3; ++c) {
                Direct d = published.at(n, x, y, c);
                double f = subpixel_view(p, n, x, y, c);
                double g = double(d.i0) + d.w;
                double dist = std::abs(f - g);
                if (std::min(dist, double(n) - dist) > 1e-9) ++view_errors;
                double expect = (1 - d.w) * linear[size_t(d.i0)] + d.w * linear[size_t(d.i1)];
                int got = out.rgba[(size_t(y) * 1536 + size_t(x)) * 4 + size_t(c)];
                if (expect < lo[size_t(got)] || expect > hi[size_t(got)]) ++mismatches;
            }
    EXPECT_EQ(view_errors, 0);
    EXPECT_EQ(mismatches, 0);
    EXPECT_EQ(out.rgba[3], 255);
}

TEST(Interleave, InvViewReversesTheOrder) {
    Calibration cal = portrait();
    cal.screen_w = 300;  // a smaller panel of the same optics
    cal.screen_h = 400;
    InterleaveParams inv = interleave_params(cal);
    cal.inv_view = false;
    InterleaveParams fwd = interleave_params(cal);
    const int64_t n = 48;
    for (int64_t y = 0; y < 400; y += 7)
        for (int64_t x = 0; x < 300; ++x)
            for (int c = 0; c < 3; ++c) {
                double a = subpixel_view(fwd, n, x, y, c), b = subpixel_view(inv, n, x, y, c);
                double r = std::fmod(double(n) - a, double(n));
                double dist = std::abs(b - r);
                EXPECT_LT(std::min(dist, n - dist), 1e-9);
            }
    // On images: reversed views shown forwards equal the views shown reversed.
    const QuiltLayout l{8, 6, 400, 600};
    auto level = [](int64_t i) { return int(10 + 5 * i); };
    auto reversed = [&](int64_t j) { return level((n - j) % n); };
    Image8 a = interleave(flat_quilt(l, n, level), l, n, inv);
    Image8 b = interleave(flat_quilt(l, n, reversed), l, n, fwd);
    ASSERT_EQ(a.rgba.size(), b.rgba.size());
    int worst = 0;
    for (size_t k = 0; k < a.rgba.size(); ++k) worst = std::max(worst, std::abs(int(a.rgba[k]) - int(b.rgba[k])));
    EXPECT_LE(worst, 1);
}

TEST(Interleave, FlipsActOnTheNativeImage) {
    Calibration cal = portrait();
    cal.screen_w = 120;
    cal.screen_h = 90;
    InterleaveParams p = interleave_params(cal);
    const QuiltLayout l{8, 6, 480, 540};
    Image8 q = noise(480, 540, 4);
    Image8 plain = interleave(q, l, 48, p);
    InterleaveParams fx = p, fy = p, fs = p;
    fx.flip_x = true;
    fy.flip_y = true;
    fs.flip_subp = true;
    Image8 mx = interleave(q, l, 48, fx), my = interleave(q, l, 48, fy);
    for (int64_t y = 0; y < 90; ++y)
        for (int64_t x = 0; x < 120; ++x)
            for (int c = 0; c < 4; ++c) {
                uint8_t v = plain.rgba[size_t(y * 120 + x) * 4 + c];
                EXPECT_EQ(mx.rgba[size_t(y * 120 + (119 - x)) * 4 + c], v);
                EXPECT_EQ(my.rgba[size_t((89 - y) * 120 + x) * 4 + c], v);
                if (c < 3) {
                    EXPECT_EQ(subpixel_view(fs, 48, x, y, c), subpixel_view(p, 48, x, y, 2 - c));
                }
            }
}

TEST(Interleave, IdenticalViewsGiveThatView) {
    // Tiles of exactly the panel's size: every native pixel samples its own tile pixel,
    // the top row of the tile on the top row of the panel.
    Calibration cal = portrait();
    cal.screen_w = 64;
    cal.screen_h = 48;
    const QuiltLayout l{3, 2, 192, 96};
    Image8 view = noise(64, 48, 6);
    for (size_t k = 3; k < view.rgba.size(); k += 4) view.rgba[k] = 255;
    Image8 out = interleave(assemble_quilt(std::vector<Image8>(6, view), l), l, 6, interleave_params(cal));
    EXPECT_TRUE(out.rgba == view.rgba);
    EXPECT_TRUE(interleave(view, l, 6, interleave_params(cal)).rgba.empty());  // not layout-sized
}

}  // namespace
}  // namespace vitrine::room
