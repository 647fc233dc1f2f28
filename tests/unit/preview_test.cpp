#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "room/preview.h"
#include "scene/pose.h"

using namespace vitrine;
using namespace vitrine::room;

namespace {

Screen planar(const std::string& name, glm::dvec3 pa, glm::dvec3 pb, glm::dvec3 pc, Region region) {
    Screen s;
    s.name = name;
    s.pa = pa, s.pb = pb, s.pc = pc;
    s.region = region;
    return s;
}

// An L wall: "front" along x facing +z, "side" along z facing -x; canvas 800 x 400.
DisplayFile l_wall() {
    DisplayFile d;
    d.file = "/rooms/hall.display.yaml";
    d.canvas_width = 800;
    d.canvas_height = 400;
    d.viewer.eye = {-1, 1.6, 3};
    d.screens.push_back(planar("front", {-2, 0.5, 0}, {0, 0.5, 0}, {-2, 2.5, 0}, {0, 0, 400, 200}));
    d.screens.push_back(planar("side", {0, 0.2, 0}, {0, 0.2, 2}, {0, 1.2, 0}, {400, 0, 200, 400}));
    return d;
}

Image8 canvas(uint32_t w, uint32_t h) { return Image8{w, h, std::vector<uint8_t>(size_t(w) * h * 4, 200)}; }

const scene::Primitive& prim_of(const scene::Model& m, const std::string& name) {
    for (const scene::Node& n : m.nodes)
        if (n.name == name && n.mesh >= 0) return m.meshes[size_t(n.mesh)].primitives.at(0);
    ADD_FAILURE() << "no node " << name;
    static scene::Primitive none;
    return none;
}

// The UV of the vertex at `position` (fails when there is none).
glm::vec2 uv_at(const scene::Primitive& p, glm::dvec3 position) {
    for (const scene::Vertex& v : p.vertices)
        if (glm::length(glm::dvec3(v.position) - position) < 1e-6) return v.uv0;
    ADD_FAILURE() << "no vertex at " << position.x << " " << position.y << " " << position.z;
    return glm::vec2(-1);
}

void expect_uv(glm::vec2 got, double u, double v) {
    EXPECT_NEAR(got.x, u, 1e-6);
    EXPECT_NEAR(got.y, v, 1e-6);
}

// Every triangle's winding (counter-clockwise = front) and every vertex normal face the eye.
void expect_faces_eye(const scene::Primitive& p, glm::dvec3 eye) {
    ASSERT_FALSE(p.indices.empty());
    for (size_t t = 0; t < p.indices.size(); t += 3) {
        glm::dvec3 a = p.vertices[p.indices[t]].position, b = p.vertices[p.indices[t + 1]].position,
                   c = p.vertices[p.indices[t + 2]].position;
        EXPECT_GT(glm::dot(glm::cross(b - a, c - a), eye - a), 0) << "triangle " << t / 3 << " faces away";
    }
    for (const scene::Vertex& v : p.vertices) {
        EXPECT_NEAR(glm::length(v.normal), 1, 1e-5);
        EXPECT_GT(glm::dot(glm::dvec3(v.normal), eye - glm::dvec3(v.position)), 0);
    }
}

}  // namespace

TEST(VisitorRoom, LWallQuadsUvsAndMaterials) {
    DisplayFile d = l_wall();
    scene::Model m = visitor_room(d, canvas(800, 400));
    EXPECT_EQ(m.source, "hall.display.yaml");
    ASSERT_EQ(m.meshes.size(), 3u);
    ASSERT_EQ(m.nodes.size(), 3u);
    EXPECT_EQ(m.roots, (std::vector<int>{0, 1, 2}));

    for (const Screen& s : d.screens) {
        const scene::Primitive& p = prim_of(m, s.name);
        ASSERT_EQ(p.vertices.size(), 4u);
        ASSERT_EQ(p.indices.size(), 6u);
        const Region& g = s.region;
        double x0 = double(g.x) / 800, x1 = double(g.x + g.width) / 800;
        double y0 = double(g.y) / 400, y1 = double(g.y + g.height) / 400;
        expect_uv(uv_at(p, s.pa), x0, y1);                  // lower-left: region bottom-left
        expect_uv(uv_at(p, s.pb), x1, y1);                  // lower-right
        expect_uv(uv_at(p, s.pc), x0, y0);                  // upper-left: region top-left
        expect_uv(uv_at(p, s.pb + (s.pc - s.pa)), x1, y0);  // upper-right (pd)
        expect_faces_eye(p, d.viewer.eye);
        glm::dvec3 lo = glm::min(glm::min(s.pa, s.pb), glm::min(s.pc, s.pb + s.pc - s.pa));
        glm::dvec3 hi = glm::max(glm::max(s.pa, s.pb), glm::max(s.pc, s.pb + s.pc - s.pa));
        EXPECT_LT(glm::length(glm::dvec3(p.min) - lo), 1e-6);
        EXPECT_LT(glm::length(glm::dvec3(p.max) - hi), 1e-6);

        const scene::Material& mat = m.materials.at(size_t(p.material));
        EXPECT_TRUE(mat.unlit);
        EXPECT_FALSE(mat.double_sided);
        const scene::Texture& tex = m.textures.at(size_t(mat.base_color_tex.texture));
        EXPECT_EQ(tex.sampler.wrap_s, scene::Wrap::Clamp);
        EXPECT_EQ(tex.sampler.wrap_t, scene::Wrap::Clamp);
        EXPECT_TRUE(tex.sampler.mipmaps);
        EXPECT_EQ(tex.sampler.min, scene::Filter::Linear);
        const scene::ModelImage& img = m.images.at(size_t(tex.image));
        EXPECT_TRUE(img.srgb);
        EXPECT_EQ(img.pixels.width, 800u);
    }
    ASSERT_EQ(m.images.size(), 1u);

    // The floor: below every screen, lit (not unlit), dark, facing up.
    const scene::Primitive& floor = prim_of(m, "floor");
    EXPECT_LT(floor.max.y, 0.0f);  // the lowest corner is above 0 here, so the floor is at -0.001
    EXPECT_NEAR(floor.max.y, -0.001f, 1e-6);
    for (const scene::Mesh& mesh : m.meshes) {
        if (mesh.name == "floor") continue;
        EXPECT_GT(mesh.primitives[0].min.y, floor.max.y) << mesh.name;
    }
    EXPECT_GE(floor.max.x - floor.min.x, 39.9f);
    EXPECT_GE(floor.max.z - floor.min.z, 39.9f);
    const scene::Material& fm = m.materials.at(size_t(floor.material));
    EXPECT_FALSE(fm.unlit);
    EXPECT_NEAR(fm.base_color.r, 0.05f, 1e-6);
    EXPECT_NEAR(fm.roughness, 0.9f, 1e-6);
    EXPECT_EQ(fm.metallic, 0.0f);
    EXPECT_GT(fm.emissive.r, 0.0f);
    expect_faces_eye(floor, glm::dvec3(0, 10, 0));

    // Drawn like an imported model: every primitive reached from the roots.
    scene::Pose pose = scene::evaluate_pose(m, -1, 0);
    EXPECT_EQ(pose.items.size(), 3u);
    EXPECT_FALSE(pose.empty);
    EXPECT_NEAR(pose.max.y, 2.5f, 1e-5);
}

TEST(VisitorRoom, RotatedAndFlippedRegions) {
    DisplayFile d = l_wall();
    d.screens[1].orientation.rotate = 90;  // the side's 400 x 200 picture stands in a 200 x 400 region
    d.screens[1].orientation.flip_x = true;
    d.screens[0].orientation.rotate = 270;
    d.screens[0].region = {0, 0, 200, 400};
    scene::Model m = visitor_room(d, canvas(800, 400));

    // flip_x then 90 clockwise: the picture's top-left (pc) ends at the region's bottom-right,
    // its bottom-left (pa) at the bottom-left.
    const Screen& s = d.screens[1];
    const scene::Primitive& side = prim_of(m, "side");
    expect_uv(uv_at(side, s.pc), 600.0 / 800, 1);
    expect_uv(uv_at(side, s.pa), 400.0 / 800, 1);
    expect_uv(uv_at(side, s.pb), 400.0 / 800, 0);
    expect_uv(uv_at(side, s.pb + (s.pc - s.pa)), 600.0 / 800, 0);

    // 270 clockwise (90 counter-clockwise): the top-left (pc) ends at the bottom-left,
    // the top-right (pd) at the top-left.
    const Screen& f = d.screens[0];
    const scene::Primitive& front = prim_of(m, "front");
    expect_uv(uv_at(front, f.pc), 0, 1);
    expect_uv(uv_at(front, f.pb + (f.pc - f.pa)), 0, 0);
    expect_uv(uv_at(front, f.pa), 200.0 / 800, 1);
}

TEST(VisitorRoom, ScreenGivenBackToFrontStillFacesTheEye) {
    DisplayFile d = l_wall();
    // Mirrored corners: pa at the right, so (pb - pa) x (pc - pa) points away from the eye.
    d.screens[0].pa = {0, 0.5, 0}, d.screens[0].pb = {-2, 0.5, 0}, d.screens[0].pc = {0, 2.5, 0};
    scene::Model m = visitor_room(d, canvas(8, 4));
    const scene::Primitive& p = prim_of(m, "front");
    expect_faces_eye(p, d.viewer.eye);
    expect_uv(uv_at(p, d.screens[0].pa), 0, 0.5);  // still the screen's own lower-left
}

TEST(VisitorRoom, MeshScreenFacesTheEyeWithMappedUvs) {
    DisplayFile d = l_wall();
    Screen curved;
    curved.name = "curved";
    curved.planar = false;
    curved.region = {600, 200, 200, 200};
    curved.orientation.rotate = 180;
    // A bent strip in front of the eye; the second triangle is wound away from it.
    curved.mesh.positions = {{-3, 0, -1}, {-1, 0, -2}, {-3, 2, -1}, {-1, 2, -2}, {1, 0, -1}, {1, 2, -1}};
    curved.mesh.uvs = {{0, 1}, {0.5, 1}, {0, 0}, {0.5, 0}, {1, 1}, {1, 0}};
    curved.mesh.indices = {0, 1, 3, 0, 2, 3, 1, 4, 5, 1, 5, 3};
    d.screens.push_back(curved);
    scene::Model m = visitor_room(d, canvas(800, 400));
    ASSERT_EQ(m.meshes.size(), 4u);
    const scene::Primitive& p = prim_of(m, "curved");
    ASSERT_EQ(p.indices.size(), 12u);
    expect_faces_eye(p, d.viewer.eye);
    // Rotated 180: the picture's top-left (uv 0,0) lands at the region's bottom-right.
    expect_uv(uv_at(p, {-3, 2, -1}), 1, 1);
    expect_uv(uv_at(p, {-1, 0, -2}), 700.0 / 800, 200.0 / 400);
    EXPECT_GT(p.min.y, prim_of(m, "floor").max.y);
}

TEST(VisitorRoom, LenticularGetsOnlyTheFloor) {
    DisplayFile d;
    d.file = "panel.display.yaml";
    d.lenticular = Lenticular{};
    scene::Model m = visitor_room(d, Image8{});
    ASSERT_EQ(m.meshes.size(), 1u);
    EXPECT_EQ(m.nodes.at(0).name, "floor");
    EXPECT_TRUE(m.images.empty());
    EXPECT_TRUE(m.textures.empty());
    EXPECT_EQ(m.roots, (std::vector<int>{0}));
}
