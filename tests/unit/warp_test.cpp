#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>
#include <utility>

#include "room/warp.h"

namespace vitrine::room {
namespace {

glm::dvec3 ndc_of(const Frustum& f, const glm::dvec3& p) {
    glm::dvec4 c = f.proj * f.view * glm::dvec4(p, 1);
    return glm::dvec3(c) / c.w;
}

// A flat rectangular screen as a mesh: a grid over pa, pb, pc (uv: u right, v down).
Screen flat_mesh(const glm::dvec3& pa, const glm::dvec3& pb, const glm::dvec3& pc, Region region) {
    Screen s;
    s.name = "flat";
    s.planar = false;
    s.pa = pa, s.pb = pb, s.pc = pc;
    s.region = region;
    const int nx = 5, ny = 4;
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
            double a = double(i) / (nx - 1), b = double(j) / (ny - 1);
            s.mesh.positions.push_back(pa + (pb - pa) * a + (pc - pa) * b);
            s.mesh.uvs.push_back({a, 1 - b});
        }
    for (int j = 0; j + 1 < ny; ++j)
        for (int i = 0; i + 1 < nx; ++i) {
            uint32_t k = uint32_t(j * nx + i);
            for (uint32_t v : {k, k + 1, k + nx + 1, k, k + nx + 1, k + nx}) s.mesh.indices.push_back(v);
        }
    return s;
}

// The largest canvas-pixels-per-eye-pixel over every edge, computed here from scratch.
double magnification(const Screen& s, const MeshView& mv) {
    double worst = 0;
    auto eye_px = [&](uint32_t i) {
        glm::dvec3 n = ndc_of(mv.frustum, s.mesh.positions[i]);
        return glm::dvec2((n.x + 1) / 2 * double(mv.width), (n.y + 1) / 2 * double(mv.height));
    };
    for (size_t t = 0; t < s.mesh.indices.size(); t += 3)
        for (int e = 0; e < 3; ++e) {
            uint32_t a = s.mesh.indices[t + e], b = s.mesh.indices[t + (e + 1) % 3];
            double canvas = glm::length(canvas_point(s, s.mesh.uvs[a]) - canvas_point(s, s.mesh.uvs[b]));
            worst = std::max(worst, canvas / glm::length(eye_px(a) - eye_px(b)));
        }
    return worst;
}

void expect_inside(const Screen& s, const MeshView& mv) {
    double mx = 0, my = 0;
    for (const auto& p : s.mesh.positions) {
        glm::dvec3 n = ndc_of(mv.frustum, p);
        EXPECT_LE(std::abs(n.x), 1);
        EXPECT_LE(std::abs(n.y), 1);
        EXPECT_GE(n.z, 0);
        EXPECT_LE(n.z, 1);
        mx = std::max(mx, std::abs(n.x)), my = std::max(my, std::abs(n.y));
    }
    EXPECT_GT(mx, 0.95);  // a small margin only
    EXPECT_GT(my, 0.95);
}

TEST(MeshView, FlatMeshShowsThePlanarPicture) {
    glm::dvec3 pa{-1.5, 0.3, -1}, pb{1.5, 0.3, -1.6}, pc{-1.5, 1.9875, -1};
    pb = pa + glm::normalize(pb - pa) * 3.0;  // a 3 x 1.6875 (16:9) rectangle, turned
    Region region{100, 50, 1920, 1080};
    Screen s = flat_mesh(pa, pb, pc, region);
    Viewer viewer;
    viewer.eye = {0.8, 1.5, 2.5};
    MeshView mv = mesh_view(s, viewer);
    ASSERT_GT(mv.width, 0);
    expect_inside(s, mv);
    Frustum planar = off_axis(pa, pb, pc, viewer.eye, viewer.near, viewer.far);

    // Any scene point: where the planar render puts it on the canvas is where the warp
    // puts it — the canvas point of the surface point on its eye ray, which the mesh
    // view sees at the same place as the scene point itself.
    glm::dvec3 u = pb - pa, v = pc - pa, n = glm::normalize(glm::cross(u, v));
    std::mt19937 rng(2);
    std::uniform_real_distribution<double> r(0, 1);
    for (int i = 0; i < 200; ++i) {
        glm::dvec3 on = pa + u * (0.02 + 0.96 * r(rng)) + v * (0.02 + 0.96 * r(rng));
        glm::dvec3 x = glm::mix(viewer.eye, on, 0.3 + 1.5 * r(rng));  // in front of the screen and behind it
        glm::dvec3 pn = ndc_of(planar, x);
        glm::dvec2 planar_px{region.x + (pn.x + 1) / 2 * region.width, region.y + (pn.y + 1) / 2 * region.height};
        glm::dvec3 d = x - viewer.eye;
        glm::dvec3 p = viewer.eye + d * (glm::dot(pa - viewer.eye, n) / glm::dot(d, n));
        glm::dvec2 uv{glm::dot(p - pa, u) / glm::dot(u, u), 1 - glm::dot(p - pa, v) / glm::dot(v, v)};
        glm::dvec2 warped = canvas_point(s, uv);
        EXPECT_NEAR(warped.x, planar_px.x, 1e-6);
        EXPECT_NEAR(warped.y, planar_px.y, 1e-6);
        glm::dvec3 a = ndc_of(mv.frustum, p), b = ndc_of(mv.frustum, x);
        EXPECT_NEAR(a.x, b.x, 1e-9);
        EXPECT_NEAR(a.y, b.y, 1e-9);
    }
    EXPECT_LE(mv.magnification, 1.2 + 1e-9);
    EXPECT_NEAR(mv.magnification, magnification(s, mv), 1e-9);

    // Seen square on, the mesh view IS the planar frustum, widened by its margin.
    viewer.eye = (pb + pc) * 0.5 + n * 2.0;
    mv = mesh_view(s, viewer);
    planar = off_axis(pa, pb, pc, viewer.eye, viewer.near, viewer.far);
    double sx = 0, sy = 0;
    for (int i = 0; i < 50; ++i) {
        glm::dvec3 x = pa + u * r(rng) + v * r(rng) + n * (r(rng) - 0.5);
        glm::dvec3 a = ndc_of(mv.frustum, x), b = ndc_of(planar, x);
        if (i == 0) sx = a.x / b.x, sy = a.y / b.y;
        EXPECT_NEAR(a.x, b.x * sx, 1e-9);
        EXPECT_NEAR(a.y, b.y * sy, 1e-9);
        EXPECT_NEAR(a.z, b.z, 1e-9);
    }
    EXPECT_NEAR(sx, 1 / 1.02, 1e-9);
    EXPECT_NEAR(sy, 1 / 1.02, 1e-9);
    // The same picture: as many pixels as the region over the limit, square pixels.
    EXPECT_NEAR(double(mv.width), 1920 * 1.02 / 1.2, 1.0);
    EXPECT_NEAR(double(mv.height), 1080 * 1.02 / 1.2, 1.0);
}

Screen arc(double degrees, int segments, Region region) {
    Screen s;
    s.name = "arc";
    s.planar = false;
    s.region = region;
    const double radius = 3, y0 = 0.5, y1 = 2.5;
    for (int j = 0; j <= 2; ++j)
        for (int i = 0; i <= segments; ++i) {
            double a = glm::radians((double(i) / segments - 0.5) * degrees);
            double y = y0 + (y1 - y0) * j / 2;
            s.mesh.positions.push_back({radius * std::sin(a), y, -radius * std::cos(a)});
            s.mesh.uvs.push_back({double(i) / segments, (y1 - y) / (y1 - y0)});
        }
    uint32_t row = uint32_t(segments + 1);
    for (uint32_t j = 0; j < 2; ++j)
        for (uint32_t i = 0; i < uint32_t(segments); ++i) {
            uint32_t k = j * row + i;
            for (uint32_t v : {k, k + 1, k + row + 1, k, k + row + 1, k + row}) s.mesh.indices.push_back(v);
        }
    return s;
}

TEST(MeshView, CurvedArcStaysUnderTheMagnificationLimit) {
    Screen s = arc(90, 48, {0, 0, 3840, 1080});
    Viewer viewer;
    for (glm::dvec3 eye : {glm::dvec3(0, 1.5, 0), glm::dvec3(0.6, 1.7, 1.2), glm::dvec3(-1.0, 1.2, -0.5)}) {
        viewer.eye = eye;
        MeshView mv = mesh_view(s, viewer);
        ASSERT_GT(mv.width, 0);
        expect_inside(s, mv);
        double m = magnification(s, mv);
        EXPECT_LE(m, 1.2 + 1e-9);
        EXPECT_GT(m, 1.1);  // and not needlessly large
        EXPECT_NEAR(mv.magnification, m, 1e-9);
        EXPECT_LE(std::max(mv.width, mv.height), 16384);
    }
    // Clamped: the largest side is the limit, the aspect kept, the magnification reported.
    viewer.eye = {0, 1.5, 0};
    MeshView full = mesh_view(s, viewer);
    MeshView small = mesh_view(s, viewer, 1.2, 512);
    EXPECT_EQ(std::max(small.width, small.height), 512);
    EXPECT_NEAR(double(small.width) / double(small.height), double(full.width) / double(full.height), 0.01);
    EXPECT_GT(small.magnification, 1.2);
    EXPECT_NEAR(small.magnification, magnification(s, small), 1e-9);
    // A mesh reaching behind the eye has no frustum.
    viewer.eye = {0, 1.5, -2.5};
    EXPECT_EQ(mesh_view(s, viewer).width, 0);
}

TEST(CanvasPoint, Orientations) {
    Screen s;
    s.region = {100, 200, 300, 500};
    auto at = [&](int rotate, bool fx, bool fy, glm::dvec2 uv) {
        s.orientation = {rotate, fx, fy};
        return canvas_point(s, uv);
    };
    auto expect = [](glm::dvec2 got, glm::dvec2 want) {
        EXPECT_NEAR(got.x, want.x, 1e-12);
        EXPECT_NEAR(got.y, want.y, 1e-12);
    };
    expect(at(0, false, false, {0, 0}), {100, 200});
    expect(at(0, false, false, {1, 1}), {400, 700});
    expect(at(0, false, false, {0.25, 0.5}), {175, 450});
    expect(at(0, true, false, {0, 0}), {400, 200});
    expect(at(0, false, true, {0, 0}), {100, 700});
    expect(at(0, true, true, {0.25, 0.5}), {325, 450});
    // Turned clockwise: the picture's top-left corner goes to the region's top-right; for
    // a quarter turn the picture is 500 wide and 300 tall.
    expect(at(90, false, false, {0, 0}), {400, 200});
    expect(at(90, false, false, {1, 0}), {400, 700});
    expect(at(90, false, false, {0, 1}), {100, 200});
    expect(at(90, false, false, {0.2, 0.5}), {250, 300});
    expect(at(180, false, false, {0, 0}), {400, 700});
    expect(at(180, false, false, {0.25, 0.5}), {325, 450});
    expect(at(270, false, false, {0, 0}), {100, 700});
    expect(at(270, false, false, {1, 0}), {100, 200});
    expect(at(270, false, false, {0.2, 0.5}), {250, 600});
    // Flips come first, in the picture: mirrored then turned.
    expect(at(90, true, false, {0, 0}), {400, 700});
    expect(at(90, false, true, {0, 0}), {100, 200});
    expect(at(270, true, false, {0, 0}), {100, 200});
    // Every orientation maps the picture's corners onto the region's corners, once each,
    // and keeps the picture's pixels square (one picture pixel is one canvas pixel).
    for (int rotate : {0, 90, 180, 270})
        for (int f = 0; f < 4; ++f) {
            std::set<std::pair<double, double>> corners;
            for (glm::dvec2 uv : {glm::dvec2(0, 0), glm::dvec2(1, 0), glm::dvec2(0, 1), glm::dvec2(1, 1)}) {
                glm::dvec2 p = at(rotate, f & 1, f & 2, uv);
                EXPECT_TRUE((p.x == 100 || p.x == 400) && (p.y == 200 || p.y == 700));
                corners.insert({p.x, p.y});
            }
            EXPECT_EQ(corners.size(), 4u);
            bool quarter = rotate == 90 || rotate == 270;
            double pw = quarter ? 500 : 300;
            EXPECT_NEAR(glm::length(at(rotate, f & 1, f & 2, {0.5, 0.5}) - at(rotate, f & 1, f & 2, {0.5 + 1 / pw, 0.5})), 1,
                        1e-9);
        }
}

}  // namespace
}  // namespace vitrine::room
