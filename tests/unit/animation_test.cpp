#include <gtest/gtest.h>

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
}

TEST(Animation, SkinningFollowsTheJoint) {
    Model m = triangle_model();
    Primitive& p = m.meshes[0].primitives[0];
    p.joints.assign(3, glm::u16vec4(0));
    p.weights.assign(3, glm::vec4(1, 0, 0, 0));
    m.nodes[0].skin = 0;
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
