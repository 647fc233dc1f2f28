#include <gtest/gtest.h>

#include "scene/geometry.h"

using namespace vitrine::scene;

TEST(Geometry, StripKeepsWinding) {
    auto list = strip_to_list({0, 1, 2, 3, 4});
    std::vector<uint32_t> expect = {0, 1, 2, 2, 1, 3, 2, 3, 4};
    EXPECT_EQ(list, expect);
}

TEST(Geometry, FanToList) {
    auto list = fan_to_list({0, 1, 2, 3});
    std::vector<uint32_t> expect = {1, 2, 0, 2, 3, 0};
    EXPECT_EQ(list, expect);
}

static Primitive quad() {
    // A unit quad in the XY plane facing +Z, UV origin top-left as in glTF.
    Primitive p;
    p.vertices.resize(4);
    p.vertices[0].position = {0, 0, 0}; p.vertices[0].uv0 = {0, 1};
    p.vertices[1].position = {1, 0, 0}; p.vertices[1].uv0 = {1, 1};
    p.vertices[2].position = {1, 1, 0}; p.vertices[2].uv0 = {1, 0};
    p.vertices[3].position = {0, 1, 0}; p.vertices[3].uv0 = {0, 0};
    p.indices = {0, 1, 2, 0, 2, 3};
    return p;
}

TEST(Geometry, FlatNormalsFaceOutOfCounterClockwiseTriangles) {
    Primitive p = quad();
    make_flat_normals(p);
    ASSERT_EQ(p.vertices.size(), 6u);
    for (const Vertex& v : p.vertices) EXPECT_NEAR(v.normal.z, 1.0f, 1e-6f);
}

TEST(Geometry, TangentsFollowUAndBitangentPointsUpTheImage) {
    Primitive p = quad();
    for (auto& v : p.vertices) v.normal = {0, 0, 1};
    generate_tangents(p, 0);
    for (const Vertex& v : p.vertices) {
        EXPECT_NEAR(v.tangent.x, 1.0f, 1e-5f);
        // cross(N, T) * w must point toward decreasing V (up the image, +Y here).
        glm::vec3 b = glm::cross(v.normal, glm::vec3(v.tangent)) * v.tangent.w;
        EXPECT_NEAR(b.y, 1.0f, 1e-5f);
    }
}

TEST(Geometry, MirroredUVsFlipHandedness) {
    Primitive p = quad();
    for (auto& v : p.vertices) { v.normal = {0, 0, 1}; v.uv0.y = 1 - v.uv0.y; }
    generate_tangents(p, 0);
    for (const Vertex& v : p.vertices) EXPECT_EQ(v.tangent.w, -1.0f);
}

TEST(Geometry, DegenerateUVsStillGiveAPerpendicularTangent) {
    Primitive p = quad();
    for (auto& v : p.vertices) { v.normal = {0, 0, 1}; v.uv0 = {0.5f, 0.5f}; }
    generate_tangents(p, 0);
    for (const Vertex& v : p.vertices) {
        EXPECT_NEAR(glm::dot(glm::vec3(v.tangent), v.normal), 0.0f, 1e-5f);
        EXPECT_NEAR(glm::length(glm::vec3(v.tangent)), 1.0f, 1e-5f);
    }
}

TEST(Geometry, MirroredSeamSplitsSharedVertices) {
    // Two triangles share the edge x = 1; the right one's U runs backwards (a mirrored
    // UV island, as on the two halves of a symmetric scan).
    Primitive p;
    p.vertices.resize(4);
    p.vertices[0].position = {0, 0, 0}; p.vertices[0].uv0 = {0, 1};
    p.vertices[1].position = {1, 0, 0}; p.vertices[1].uv0 = {1, 1};
    p.vertices[2].position = {1, 1, 0}; p.vertices[2].uv0 = {1, 0};
    p.vertices[3].position = {2, 0, 0}; p.vertices[3].uv0 = {0, 1};
    for (auto& v : p.vertices) v.normal = {0, 0, 1};
    p.indices = {0, 1, 2, 1, 3, 2};
    generate_tangents(p, 0);
    ASSERT_EQ(p.vertices.size(), 6u);  // vertices 1 and 2 split
    for (size_t c = 0; c < 3; ++c) {
        const Vertex& v = p.vertices[p.indices[c]];
        EXPECT_NEAR(v.tangent.x, 1.0f, 1e-5f);
        EXPECT_EQ(v.tangent.w, 1.0f);
    }
    for (size_t c = 3; c < 6; ++c) {
        const Vertex& v = p.vertices[p.indices[c]];
        EXPECT_NEAR(v.tangent.x, -1.0f, 1e-5f);  // U grows toward -X on the mirrored side
        // The bitangent still points up the image (+Y).
        glm::vec3 b = glm::cross(v.normal, glm::vec3(v.tangent)) * v.tangent.w;
        EXPECT_NEAR(b.y, 1.0f, 1e-5f);
    }
}
