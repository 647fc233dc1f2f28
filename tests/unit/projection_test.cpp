#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include <glm/ext/matrix_clip_space.hpp>
#include <glm/ext/matrix_transform.hpp>

#include "room/projection.h"

namespace vitrine::room {
namespace {

struct Rect {
    glm::dvec3 pa, pb, pc;
};

glm::dvec4 clip_of(const Frustum& f, const glm::dvec3& p) { return f.proj * f.view * glm::dvec4(p, 1); }
glm::dvec3 ndc_of(const Frustum& f, const glm::dvec3& p) {
    glm::dvec4 c = clip_of(f, p);
    return glm::dvec3(c) / c.w;
}

// Where a ray from `eye` along `d` meets the rectangle, if it does (t > 0).
bool hits(const Rect& r, const glm::dvec3& eye, const glm::dvec3& d) {
    glm::dvec3 u = r.pb - r.pa, v = r.pc - r.pa, n = glm::cross(u, v);
    double den = glm::dot(d, n);
    if (std::abs(den) < 1e-15) return false;
    double t = glm::dot(r.pa - eye, n) / den;
    if (t <= 0) return false;
    glm::dvec3 q = eye + d * t - r.pa;
    double a = glm::dot(q, u) / glm::dot(u, u), b = glm::dot(q, v) / glm::dot(v, v);
    return a >= 0 && a <= 1 && b >= 0 && b <= 1;
}

TEST(Projection, OnAxisEyeIsASymmetricFrustum) {
    // A 1.6 x 0.9 screen facing +Z, the eye 2 m in front of its centre.
    Rect s{{-0.8, 0.5, 0}, {0.8, 0.5, 0}, {-0.8, 1.4, 0}};
    glm::dvec3 eye{0, 0.95, 2};
    double n = 0.05, f = 100;
    Frustum fr = off_axis(s.pa, s.pb, s.pc, eye, n, f);
    glm::dmat4 p = glm::perspectiveRH_ZO(2 * std::atan(0.45 / 2), 1.6 / 0.9, n, f);
    p[1][1] = -p[1][1];  // Vulkan: y down
    glm::dmat4 v = glm::lookAtRH(eye, glm::dvec3(0, 0.95, 0), glm::dvec3(0, 1, 0));
    for (int c = 0; c < 4; ++c)
        for (int r = 0; r < 4; ++r) {
            EXPECT_NEAR(fr.proj[c][r], p[c][r], 1e-9) << c << "," << r;
            EXPECT_NEAR(fr.view[c][r], v[c][r], 1e-9) << c << "," << r;
        }
    // The same for a screen turned to face +X.
    Rect t{{0, 0.5, 0.8}, {0, 0.5, -0.8}, {0, 1.4, 0.8}};
    glm::dvec3 eye2{2, 0.95, 0};
    Frustum ft = off_axis(t.pa, t.pb, t.pc, eye2, n, f);
    glm::dmat4 a = ft.proj * ft.view, b = p * glm::lookAtRH(eye2, glm::dvec3(0, 0.95, 0), glm::dvec3(0, 1, 0));
    for (int c = 0; c < 4; ++c)
        for (int r = 0; r < 4; ++r) EXPECT_NEAR(a[c][r], b[c][r], 1e-9);
}

TEST(Projection, CornersLandOnTheClipSquare) {
    Rect s{{1, 0.2, -1}, {3, 0.2, -1.5}, {1, 1.9, -1}};  // turned, not facing +Z
    glm::dvec3 eye{0.3, 1.7, 2.5};
    Frustum f = off_axis(s.pa, s.pb, s.pc, eye, 0.1, 50);
    glm::dvec3 a = ndc_of(f, s.pa), b = ndc_of(f, s.pb), c = ndc_of(f, s.pc);
    EXPECT_NEAR(a.x, -1, 1e-12);
    EXPECT_NEAR(a.y, 1, 1e-12);  // lower-left: the bottom row is y = +1
    EXPECT_NEAR(b.x, 1, 1e-12);
    EXPECT_NEAR(b.y, 1, 1e-12);
    EXPECT_NEAR(c.x, -1, 1e-12);
    EXPECT_NEAR(c.y, -1, 1e-12);  // upper-left: the top row is y = -1
    EXPECT_GT(eye_distance(s.pa, s.pb, s.pc, eye), 0);
    EXPECT_LT(eye_distance(s.pa, s.pb, s.pc, glm::dvec3(0.3, 1.7, -5)), 0);
}

// Points along the edge two screens share project onto the matching sides of both
// pictures, at the same place along the edge.
struct Corner {
    const char* name;
    Rect a, b;
    glm::dvec3 eye, edge0, edge1;
    int axis;            // 0: the edge is a vertical side of both pictures; 1: a horizontal one
    double side_a, side_b;  // the NDC value of the edge on a and on b
};

TEST(Projection, SharedEdgesMeet) {
    std::vector<Corner> corners = {
        // Concave: a front wall (z = 0) and a left wall (x = 0) seen from inside the room.
        {"concave", {{0, 0, 0}, {3, 0, 0}, {0, 2, 0}}, {{0, 0, 3}, {0, 0, 0}, {0, 2, 3}}, {1.5, 1.2, 2.5},
         {0, 0, 0}, {0, 2, 0}, 0, -1, 1},
        // Convex: a front face (z = 0) and a side face (x = 3) seen from outside the corner.
        {"convex", {{0, 0, 0}, {3, 0, 0}, {0, 2, 0}}, {{3, 0, 0}, {3, 0, -3}, {3, 2, 0}}, {5, 1.2, 3}, {3, 0, 0},
         {3, 2, 0}, 0, 1, -1},
        // A wall and the floor in front of it: the wall's bottom row is the floor's top row.
        {"floor", {{0, 0, 0}, {3, 0, 0}, {0, 2, 0}}, {{0, 0, 2}, {3, 0, 2}, {0, 0, 0}}, {1.2, 1.6, 4}, {0, 0, 0},
         {3, 0, 0}, 1, 1, -1},
    };
    const double W = 1920, H = 1080;
    for (const Corner& k : corners) {
        Frustum fa = off_axis(k.a.pa, k.a.pb, k.a.pc, k.eye, 0.05, 100);
        Frustum fb = off_axis(k.b.pa, k.b.pb, k.b.pc, k.eye, 0.05, 100);
        double worst = 0;
        for (int i = 0; i < 100; ++i) {
            glm::dvec3 p = glm::mix(k.edge0, k.edge1, (i + 0.5) / 100);
            glm::dvec3 a = ndc_of(fa, p), b = ndc_of(fb, p);
            int along = 1 - k.axis;
            EXPECT_NEAR(a[k.axis], k.side_a, 1e-9) << k.name;
            EXPECT_NEAR(b[k.axis], k.side_b, 1e-9) << k.name;
            double px = (along == 0 ? W : H) / 2;
            worst = std::max(worst, std::abs(a[along] - b[along]) * px);
        }
        EXPECT_LT(worst, 0.5) << k.name;
    }
}

TEST(Projection, UnprojectReturnsToTheEyeRay) {
    Rect s{{-2, 0, -1}, {2, 0, -1.4}, {-2, 2.5, -1}};
    glm::dvec3 eye{0.7, 1.5, 3};
    Frustum f = off_axis(s.pa, s.pb, s.pc, eye, 0.05, 200);
    glm::dmat4 inv = glm::inverse(f.proj * f.view);
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> u(-1, 1);
    for (int i = 0; i < 200; ++i) {
        glm::dvec3 x{u(rng) * 4, 1 + u(rng) * 2, -3 + u(rng) * 2.5};
        glm::dvec3 ndc = ndc_of(f, x);
        glm::dvec4 back = inv * glm::dvec4(ndc, 1);
        glm::dvec3 y = glm::dvec3(back) / back.w;
        EXPECT_LT(glm::length(y - x), 1e-9 * glm::length(x - eye));
        glm::dvec4 near = inv * glm::dvec4(ndc.x, ndc.y, 0, 1);  // the same pixel on the near plane
        glm::dvec3 ray = glm::dvec3(near) / near.w - eye;
        EXPECT_LT(glm::length(glm::cross(glm::normalize(ray), glm::normalize(x - eye))), 1e-9);
        EXPECT_GT(glm::dot(ray, x - eye), 0);
    }
}

TEST(Projection, EveryRayThatHitsTheWallLandsInOneScreen) {
    // An L of two walls (concave corner) plus the floor in front of the front wall.
    std::vector<Rect> screens = {{{0, 0, 0}, {3, 0, 0}, {0, 2, 0}},
                                 {{0, 0, 3}, {0, 0, 0}, {0, 2, 3}},
                                 {{0, 0, 3}, {3, 0, 3}, {0, 0, 0}}};
    glm::dvec3 eye{1.8, 1.3, 2.2};
    std::vector<Frustum> fr;
    for (const Rect& r : screens) fr.push_back(off_axis(r.pa, r.pb, r.pc, eye, 0.05, 100));
    std::mt19937 rng(11);
    std::normal_distribution<double> g;
    int hit_rays = 0;
    for (int i = 0; i < 20000; ++i) {
        glm::dvec3 d = glm::normalize(glm::dvec3(g(rng), g(rng), g(rng)));
        bool hit = false;
        for (const Rect& r : screens) hit = hit || hits(r, eye, d);
        int inside = 0;
        for (const Frustum& f : fr) {
            glm::dvec4 c = clip_of(f, eye + d);
            if (c.w > 0 && std::abs(c.x) <= c.w && std::abs(c.y) <= c.w) ++inside;
        }
        EXPECT_EQ(inside, hit ? 1 : 0) << d.x << " " << d.y << " " << d.z;
        hit_rays += hit;
    }
    EXPECT_GT(hit_rays, 5000);
}

TEST(Projection, PopOutGeometryKeepsItsDepth) {
    Rect s{{0, 0, 0}, {3, 0, 0}, {0, 2, 0}};
    glm::dvec3 eye{1.2, 1.5, 2.5};
    Frustum f = off_axis(s.pa, s.pb, s.pc, eye, 0.05, 100);
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> u(0, 1);
    for (int i = 0; i < 500; ++i) {
        glm::dvec3 on_wall = s.pa + (s.pb - s.pa) * u(rng) + (s.pc - s.pa) * u(rng);
        double t = 0.1 + 0.8 * u(rng);
        glm::dvec4 c = clip_of(f, glm::mix(eye, on_wall, t));
        ASSERT_GT(c.w, 0);
        double depth = c.z / c.w;
        EXPECT_GE(depth, 0);
        EXPECT_LE(depth, 1);
        glm::dvec3 w = ndc_of(f, on_wall);
        EXPECT_NEAR(c.x / c.w, w.x, 1e-9);  // on the wall point's pixel
        EXPECT_NEAR(c.y / c.w, w.y, 1e-9);
    }
}

TEST(Projection, CropKeepsPixels) {
    Rect s{{-1, 0, 0}, {1, 0, 0}, {-1, 1.125, 0}};
    Frustum f = off_axis(s.pa, s.pb, s.pc, glm::dvec3(0.3, 0.8, 1.7), 0.05, 100);
    const double W = 1920, H = 1080;
    struct Sub {
        double x, y, w, h;
    };
    std::vector<Sub> subs = {{100, 50, 640, 360}, {960, 540, 960, 540}, {-20, -10, 1960, 1100}, {0, 0, W, H}};
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> u(-1, 1);
    for (const Sub& r : subs) {
        glm::dmat4 cropped = crop(f.proj, W, H, r.x, r.y, r.w, r.h);
        for (int i = 0; i < 50; ++i) {
            glm::dvec4 p{u(rng), 0.5 + u(rng) * 0.6, -0.5 + u(rng) * 0.4, 1};
            glm::dvec4 a = f.proj * f.view * p, b = cropped * f.view * p;
            double ax = (a.x / a.w + 1) / 2 * W, ay = (a.y / a.w + 1) / 2 * H;
            double bx = r.x + (b.x / b.w + 1) / 2 * r.w, by = r.y + (b.y / b.w + 1) / 2 * r.h;
            EXPECT_NEAR(ax, bx, 1e-7);
            EXPECT_NEAR(ay, by, 1e-7);
            EXPECT_NEAR(a.z / a.w, b.z / b.w, 1e-12);  // depth untouched
        }
    }
}

}  // namespace
}  // namespace vitrine::room
