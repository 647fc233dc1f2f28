#include <gtest/gtest.h>

#include <cmath>

#include <glm/gtc/matrix_transform.hpp>

#include "scene/geometry.h"
#include "scene/pose.h"

using namespace vitrine::scene;

static AnimSampler sampler(Interpolation interp, std::vector<float> in, std::vector<float> out) {
    AnimSampler s;
    s.interpolation = interp;
    s.input = std::move(in);
    s.output = std::move(out);
    return s;
}

// A model with one triangle (0,0,0) (1,0,0) (0,1,0) on node 0.
static Model triangle_model() {
    Model m;
    Mesh mesh;
    Primitive p;
    p.vertices.resize(3);
    p.vertices[1].position = {1, 0, 0};
    p.vertices[2].position = {0, 1, 0};
    p.indices = {0, 1, 2};
    mesh.primitives.push_back(p);
    m.meshes.push_back(mesh);
    Node n;
    n.mesh = 0;
    m.nodes.push_back(n);
    m.roots = {0};
    return m;
}

// The triangle, skinned: every vertex fully bound to joint 0 of skin 0 (the caller adds the skin).
static Model skinned_triangle_model() {
    Model m = triangle_model();
    Primitive& p = m.meshes[0].primitives[0];
    p.joints.assign(3, glm::u16vec4(0));
    p.weights.assign(3, glm::vec4(1, 0, 0, 0));
    m.nodes[0].skin = 0;
    return m;
}

TEST(Animation, LinearStepAndClamp) {
    auto lin = sampler(Interpolation::Linear, {0, 2}, {0, 10});
    EXPECT_FLOAT_EQ(sample(lin, 1, 1.0f)[0], 5.0f);
    EXPECT_FLOAT_EQ(sample(lin, 1, -1.0f)[0], 0.0f);
    EXPECT_FLOAT_EQ(sample(lin, 1, 9.0f)[0], 10.0f);
    auto step = sampler(Interpolation::Step, {0, 2}, {0, 10});
    EXPECT_FLOAT_EQ(sample(step, 1, 1.99f)[0], 0.0f);
    EXPECT_FLOAT_EQ(sample(step, 1, 2.0f)[0], 10.0f);
}

TEST(Animation, CubicSplineHitsKeysAndUsesTangents) {
    // Keys: [in-tangent, value, out-tangent] per key.
    auto c = sampler(Interpolation::CubicSpline, {0, 1}, {0, 0, 1, /*key1*/ 1, 1, 0});
    EXPECT_FLOAT_EQ(sample(c, 1, 0.0f)[0], 0.0f);
    EXPECT_FLOAT_EQ(sample(c, 1, 1.0f)[0], 1.0f);
    // Hermite with m0 = m1 = 1 (dt = 1) is the straight line.
    EXPECT_NEAR(sample(c, 1, 0.5f)[0], 0.5f, 1e-6f);
}

TEST(Animation, PoseAppliesRotationToWorldAndBounds) {
    Model m = triangle_model();
    auto& v = m.meshes[0].primitives[0].vertices;
    v[0].position = {1, 0, 0};
    v[1].position = {2, 0, 0};
    v[2].position = {2, 0, 0};
    compute_bounds(m.meshes[0].primitives[0]);
    Animation a;
    // Quarter turn about +Y at t = 1: +X goes to -Z.
    float s = std::sqrt(0.5f);
    a.samplers.push_back(sampler(Interpolation::Linear, {0, 1}, {0, 0, 0, 1, 0, s, 0, s}));
    a.channels.push_back({0, 0, AnimPath::Rotation});
    a.duration = 1;
    m.animations.push_back(a);
    Pose pose = evaluate_pose(m, 0, 1.0f);
    EXPECT_NEAR(pose.min.z, -2.0f, 1e-5f);
    EXPECT_NEAR(pose.max.z, -1.0f, 1e-5f);
    EXPECT_NEAR(pose.max.x, 0.0f, 1e-5f);
}

TEST(Animation, MorphWeightsAnimateVertices) {
    Model m = triangle_model();
    MorphTarget t;
    t.position = {{0, 0, 2}, {0, 0, 2}, {0, 0, 2}};  // lifts the triangle by 2 at weight 1
    m.meshes[0].primitives[0].targets.push_back(t);
    m.meshes[0].weights = {0};
    m.nodes[0].translation = {10, 0, 0};
    Animation a;
    a.samplers.push_back(sampler(Interpolation::Linear, {0, 1}, {0, 1}));
    a.channels.push_back({0, 0, AnimPath::Weights});
    a.duration = 1;
    m.animations.push_back(a);

    Pose rest = evaluate_pose(m, 0, 0.0f);
    ASSERT_EQ(rest.items.size(), 1u);
    EXPECT_TRUE(rest.items[0].deformed.empty());  // all weights zero: drawn from the static buffer
    Pose half = evaluate_pose(m, 0, 0.5f);
    ASSERT_EQ(half.items[0].deformed.size(), 3u);
    EXPECT_NEAR(half.items[0].deformed[1].position.z, 1.0f, 1e-5f);
    EXPECT_NEAR(half.items[0].deformed[1].position.x, 11.0f, 1e-5f);  // node transform applied
    EXPECT_NEAR(half.max.z, 1.0f, 1e-5f);

    // Re-evaluating into the same Pose (as a show does every frame) reuses its memory and
    // gives exactly what a fresh evaluation gives, in both directions.
    Pose reused = half;
    const Vertex* memory = reused.items[0].deformed.data();
    evaluate_pose(m, 0, 0.25f, reused);
    Pose fresh = evaluate_pose(m, 0, 0.25f);
    ASSERT_EQ(reused.items[0].deformed.size(), 3u);
    EXPECT_EQ(reused.items[0].deformed.data(), memory);
    EXPECT_EQ(reused.items[0].deformed[1].position, fresh.items[0].deformed[1].position);
    EXPECT_EQ(reused.max, fresh.max);
    evaluate_pose(m, 0, 0.0f, reused);
    EXPECT_TRUE(reused.items[0].deformed.empty());
    EXPECT_EQ(reused.max, rest.max);
}

TEST(Animation, SkinningFollowsTheJoint) {
    Model m = skinned_triangle_model();
    m.nodes[0].translation = {100, 0, 0};  // ignored for skinned meshes (glTF 3.7.3.3)
    Node joint;
    joint.translation = {0, 5, 0};
    m.nodes.push_back(joint);
    m.roots = {0, 1};
    Skin skin;
    skin.joints = {1};
    skin.inverse_bind = {glm::mat4(1)};
    m.skins.push_back(skin);
    Pose pose = evaluate_pose(m, -1, 0);
    ASSERT_EQ(pose.items[0].deformed.size(), 3u);
    EXPECT_NEAR(pose.items[0].deformed[1].position.x, 1.0f, 1e-5f);
    EXPECT_NEAR(pose.items[0].deformed[1].position.y, 5.0f, 1e-5f);
}

// Bounds of `points` moved by `m`, one by one.
static void transformed_bounds(const glm::mat4& m, const std::vector<Vertex>& points, glm::vec3& lo, glm::vec3& hi) {
    for (size_t i = 0; i < points.size(); ++i) {
        glm::vec3 p = glm::vec3(m * glm::vec4(points[i].position, 1));
        lo = i == 0 ? p : glm::min(lo, p);
        hi = i == 0 ? p : glm::max(hi, p);
    }
}

// A tetrahedron with an inner point, off the origin, its bounds filled in as the importer does.
static Model solid_model() {
    Model m = triangle_model();
    Primitive& p = m.meshes[0].primitives[0];
    p.vertices.resize(5);
    p.vertices[0].position = {-1, 0.5f, 2};
    p.vertices[1].position = {3, -2, 1};
    p.vertices[2].position = {0.25f, 4, -1.5f};
    p.vertices[3].position = {1, 1, 5};
    p.vertices[4].position = {0.5f, 0.5f, 1};
    p.indices = {0, 1, 2, 0, 2, 3, 0, 3, 1, 1, 3, 2};
    compute_bounds(p);
    return m;
}

TEST(PoseBounds, RigidUnderTranslationAndScaleIsExact) {
    Model m = solid_model();
    // Parent translated, child translated and scaled (one axis mirrored).
    m.nodes[0].translation = {0.5f, -7, 3};
    m.nodes[0].scale = {2, 0.25f, -3};
    m.nodes[0].parent = 1;
    Node parent;
    parent.translation = {10, 20, -30};
    parent.scale = {1.5f, 1.5f, 1.5f};
    parent.children = {0};
    m.nodes.push_back(parent);
    m.roots = {1};

    Pose pose = evaluate_pose(m, -1, 0);
    ASSERT_FALSE(pose.empty);
    ASSERT_EQ(pose.items.size(), 1u);
    EXPECT_TRUE(pose.items[0].deformed.empty());
    glm::vec3 lo, hi;
    transformed_bounds(pose.world[0], m.meshes[0].primitives[0].vertices, lo, hi);
    for (int a = 0; a < 3; ++a) {
        EXPECT_FLOAT_EQ(pose.min[a], lo[a]) << "axis " << a;
        EXPECT_FLOAT_EQ(pose.max[a], hi[a]) << "axis " << a;
    }
    EXPECT_FLOAT_EQ(pose.min.x, 10 + 1.5f * (0.5f + 2 * -1.0f));  // spot check of the world matrix
}

TEST(PoseBounds, RigidUnderArbitraryRotationIsConservative) {
    Model m = solid_model();
    m.nodes[0].rotation = glm::angleAxis(glm::radians(45.0f), glm::normalize(glm::vec3(1, 2, 3)));
    m.nodes[0].translation = {1, 2, 3};
    Pose pose = evaluate_pose(m, -1, 0);
    ASSERT_FALSE(pose.empty);
    const Primitive& prim = m.meshes[0].primitives[0];
    for (const Vertex& v : prim.vertices) {
        glm::vec3 p = glm::vec3(pose.world[0] * glm::vec4(v.position, 1));
        for (int a = 0; a < 3; ++a) {
            EXPECT_LE(pose.min[a], p[a] + 1e-5f) << "axis " << a;
            EXPECT_GE(pose.max[a], p[a] - 1e-5f) << "axis " << a;
        }
    }
    // And no looser than the rotated object-space box itself.
    glm::vec3 lo, hi;
    std::vector<Vertex> corners(8);
    for (int c = 0; c < 8; ++c)
        corners[size_t(c)].position = {(c & 1) ? prim.max.x : prim.min.x, (c & 2) ? prim.max.y : prim.min.y,
                                       (c & 4) ? prim.max.z : prim.min.z};
    transformed_bounds(pose.world[0], corners, lo, hi);
    for (int a = 0; a < 3; ++a) {
        EXPECT_NEAR(pose.min[a], lo[a], 1e-5f);
        EXPECT_NEAR(pose.max[a], hi[a], 1e-5f);
    }
}

TEST(PoseBounds, RotatedTriangleBoxIsLargerThanItsVertices) {
    Model m = triangle_model();
    compute_bounds(m.meshes[0].primitives[0]);
    m.nodes[0].rotation = glm::angleAxis(glm::radians(45.0f), glm::vec3(0, 0, 1));
    Pose pose = evaluate_pose(m, -1, 0);
    // The box corner (1, 1, 0) lands at (0, sqrt 2); the vertices reach only sqrt(1/2).
    EXPECT_NEAR(pose.max.y, std::sqrt(2.0f), 1e-5f);
    EXPECT_NEAR(pose.min.x, -std::sqrt(0.5f), 1e-5f);
    EXPECT_NEAR(pose.max.x, std::sqrt(0.5f), 1e-5f);
}

TEST(PoseBounds, HandBuiltPrimitiveWithoutBoundsUsesItsVertices) {
    Model m = triangle_model();  // Primitive::min/max left at zero
    m.nodes[0].translation = {5, 6, 7};
    m.nodes[0].rotation = glm::angleAxis(glm::radians(45.0f), glm::vec3(0, 0, 1));
    Pose pose = evaluate_pose(m, -1, 0);
    glm::vec3 lo, hi;
    transformed_bounds(pose.world[0], m.meshes[0].primitives[0].vertices, lo, hi);
    for (int a = 0; a < 3; ++a) {
        EXPECT_FLOAT_EQ(pose.min[a], lo[a]);
        EXPECT_FLOAT_EQ(pose.max[a], hi[a]);
    }
}

// Bounds of the deformed vertices of every item.
static void deformed_bounds(const Pose& pose, glm::vec3& lo, glm::vec3& hi) {
    bool first = true;
    for (const DrawItem& it : pose.items)
        for (const Vertex& v : it.deformed) {
            lo = first ? v.position : glm::min(lo, v.position);
            hi = first ? v.position : glm::max(hi, v.position);
            first = false;
        }
}

TEST(PoseBounds, SkinnedPrimitiveGivesExactDeformedBounds) {
    Model m = solid_model();
    Primitive& p = m.meshes[0].primitives[0];
    // Half the vertices follow joint 0, half joint 1, vertex 4 blends both.
    p.joints.assign(p.vertices.size(), glm::u16vec4(0, 1, 0, 0));
    p.weights = {{1, 0, 0, 0}, {0, 1, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0}, {0.5f, 0.5f, 0, 0}};
    m.nodes[0].skin = 0;
    Node j0, j1;
    j0.rotation = glm::angleAxis(glm::radians(45.0f), glm::vec3(0, 0, 1));
    j1.translation = {0, 0, 9};
    j1.rotation = glm::angleAxis(glm::radians(30.0f), glm::vec3(1, 0, 0));
    m.nodes.push_back(j0);
    m.nodes.push_back(j1);
    m.roots = {0, 1, 2};
    Skin skin;
    skin.joints = {1, 2};
    skin.inverse_bind = {glm::mat4(1), glm::mat4(1)};
    m.skins.push_back(skin);

    Pose pose = evaluate_pose(m, -1, 0);
    ASSERT_EQ(pose.items.size(), 1u);
    ASSERT_EQ(pose.items[0].deformed.size(), 5u);
    glm::vec3 lo, hi;
    deformed_bounds(pose, lo, hi);
    EXPECT_EQ(pose.min, lo);
    EXPECT_EQ(pose.max, hi);
    // Vertex 1 (3, -2, 1) rotated 30 degrees about X, then lifted by 9.
    float c = std::cos(glm::radians(30.0f)), s = std::sin(glm::radians(30.0f));
    glm::vec3 v1(3, -2 * c - 1 * s, -2 * s + 1 * c + 9);
    EXPECT_NEAR(pose.items[0].deformed[1].position.y, v1.y, 1e-5f);
    EXPECT_NEAR(pose.items[0].deformed[1].position.z, v1.z, 1e-5f);
    EXPECT_NEAR(pose.max.z, 5 * c + 1 * s + 9, 1e-5f);  // vertex 3 (1, 1, 5)
}

TEST(PoseBounds, MorphedPrimitiveGivesExactDeformedBounds) {
    Model m = solid_model();
    MorphTarget t;
    t.position.assign(5, glm::vec3(0));
    t.position[3] = {0, 0, 10};  // stretches the apex far beyond the stored box
    t.position[1] = {-8, 0, 0};
    m.meshes[0].primitives[0].targets.push_back(t);
    m.meshes[0].weights = {0.5f};
    m.nodes[0].translation = {0, 100, 0};
    m.nodes[0].rotation = glm::angleAxis(glm::radians(45.0f), glm::vec3(0, 1, 0));

    Pose pose = evaluate_pose(m, -1, 0);
    ASSERT_EQ(pose.items[0].deformed.size(), 5u);
    glm::vec3 lo, hi;
    deformed_bounds(pose, lo, hi);
    EXPECT_EQ(pose.min, lo);
    EXPECT_EQ(pose.max, hi);
    EXPECT_NEAR(pose.max.y, 104, 1e-4f);  // vertex 2's y (4) is untouched by the rotation about Y

    // With every weight zero the primitive is rigid again, bounded by its box.
    m.meshes[0].weights = {0};
    Pose rest = evaluate_pose(m, -1, 0);
    EXPECT_TRUE(rest.items[0].deformed.empty());
    EXPECT_LT(rest.max.z, pose.max.z);
}

TEST(PoseBounds, JointChainOutsideTheScene) {
    Model m = skinned_triangle_model();
    // Joint 1 under 2 under 3; none of them reachable from the scene's roots.
    Node joint, mid, top;
    joint.translation = {0, 5, 0};
    joint.parent = 2;
    mid.translation = {0, 0, 7};
    mid.parent = 3;
    mid.children = {1};
    top.scale = {2, 2, 2};
    top.children = {2};
    m.nodes.push_back(joint);
    m.nodes.push_back(mid);
    m.nodes.push_back(top);
    Skin skin;
    skin.joints = {1};
    skin.inverse_bind = {glm::mat4(1)};
    m.skins.push_back(skin);

    Pose pose = evaluate_pose(m, -1, 0);
    ASSERT_EQ(pose.items.size(), 1u);
    glm::mat4 expect = glm::scale(glm::mat4(1), glm::vec3(2)) * glm::translate(glm::mat4(1), glm::vec3(0, 0, 7)) *
                       glm::translate(glm::mat4(1), glm::vec3(0, 5, 0));
    for (int c = 0; c < 4; ++c)
        for (int r = 0; r < 4; ++r) EXPECT_FLOAT_EQ(pose.world[1][c][r], expect[c][r]);
    EXPECT_FLOAT_EQ(pose.world[2][3][2], 14.0f);
    ASSERT_EQ(pose.items[0].deformed.size(), 3u);
    EXPECT_NEAR(pose.items[0].deformed[1].position.x, 2.0f, 1e-5f);
    EXPECT_NEAR(pose.items[0].deformed[1].position.y, 10.0f, 1e-5f);
    EXPECT_NEAR(pose.items[0].deformed[1].position.z, 14.0f, 1e-5f);
}
