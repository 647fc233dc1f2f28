#include <gtest/gtest.h>

#include <cmath>

#include "scene/orbit.h"

using namespace vitrine::scene;

TEST(Orbit, YawZeroLooksFromPlusZ) {
    Orbit o;
    o.distance = 3;
    glm::vec3 e = o.eye();
    EXPECT_NEAR(e.z, 3.0f, 1e-6f);
    EXPECT_NEAR(e.x, 0.0f, 1e-6f);
    o.yaw = 3.14159265f / 2;  // from +X
    EXPECT_NEAR(o.eye().x, 3.0f, 1e-5f);
    o.yaw = 0;
    o.pitch = 3.14159265f / 2 - 1e-3f;  // from above
    EXPECT_GT(o.eye().y, 2.99f);
}

TEST(Orbit, ViewMapsTargetToNegativeZ) {
    Orbit o;
    o.target = {1, 2, 3};
    o.distance = 5;
    o.yaw = 0.7f;
    o.pitch = 0.3f;
    glm::vec4 t = o.view() * glm::vec4(o.target, 1);
    EXPECT_NEAR(t.x, 0, 1e-5f);
    EXPECT_NEAR(t.y, 0, 1e-5f);
    EXPECT_NEAR(t.z, -5, 1e-4f);
}

TEST(Orbit, AutoDistanceFitsTheBoundingSphere) {
    // Box with half diagonal r = sqrt(3); vertical fov 90 degrees, square: d = r / sin(45).
    float d = auto_distance({-1, -1, -1}, {1, 1, 1}, 3.14159265f / 2, 1.0f);
    EXPECT_NEAR(d, std::sqrt(3.0f) / std::sin(3.14159265f / 4), 1e-4f);
    // Portrait: the horizontal fov is the smaller one and decides.
    float portrait = auto_distance({-1, -1, -1}, {1, 1, 1}, 3.14159265f / 2, 0.5f);
    EXPECT_GT(portrait, d);
}

TEST(Orbit, PerspectiveIsVulkanClipSpace) {
    glm::mat4 p = perspective(1.0f, 1.0f, 0.1f, 10.0f);
    glm::vec4 near_pt = p * glm::vec4(0, 0, -0.1f, 1), far_pt = p * glm::vec4(0, 0, -10.0f, 1);
    EXPECT_NEAR(near_pt.z / near_pt.w, 0.0f, 1e-5f);
    EXPECT_NEAR(far_pt.z / far_pt.w, 1.0f, 1e-5f);
    glm::vec4 up = p * glm::vec4(0, 1, -1, 1);
    EXPECT_LT(up.y / up.w, 0.0f);  // +Y in view is toward the top row (negative clip y)
}
