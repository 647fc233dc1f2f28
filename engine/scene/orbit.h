// Camera framing, in the glTF Sample Viewer's conventions so images compare pixel
// for pixel: target = centre of the world bounds; eye = target + d*(cos p sin y,
// sin p, cos p cos y); yaw 0 / pitch 0 looks from +Z toward -Z; up +Y; vertical fov.
#pragma once
#include <glm/glm.hpp>

namespace vitrine::scene {

struct Orbit {
    float yaw = 0, pitch = 0;   // radians
    float distance = 1;         // metres from target
    float yfov = 0.7853982f;    // vertical field of view, radians
    glm::vec3 target{0};

    glm::vec3 eye() const;
    glm::mat4 view() const;
};

// "--distance auto": d = r / sin(min(yfov, xfov) / 2), r = half the box diagonal.
float auto_distance(const glm::vec3& min, const glm::vec3& max, float yfov, float aspect);

// Vulkan clip space (y down, depth 0..1), right-handed view space looking down -Z.
glm::mat4 perspective(float yfov, float aspect, float znear, float zfar);

// Near/far planes that enclose a sphere of `radius` around the target at `distance`.
void clip_planes(float distance, float radius, float* znear, float* zfar);

// An orbit looking at bounds [min, max] (empty: nothing shown) in a picture of `aspect`:
// distance < 0 fits the bounds' sphere; clip planes enclose it. Every orbit camera —
// a display's, a show's — is made here.
struct Framing {
    glm::mat4 view{1}, proj{1};
    glm::vec3 eye{0};
};
Framing frame_orbit(Orbit orbit, const glm::vec3& min, const glm::vec3& max, bool empty, float aspect);

}  // namespace vitrine::scene
