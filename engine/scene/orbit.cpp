#include "scene/orbit.h"

#include <algorithm>
#include <cmath>

#include <glm/gtc/matrix_transform.hpp>

namespace vitrine::scene {

glm::vec3 Orbit::eye() const {
    return target + distance * glm::vec3(std::cos(pitch) * std::sin(yaw), std::sin(pitch), std::cos(pitch) * std::cos(yaw));
}

glm::mat4 Orbit::view() const {
    glm::vec3 e = eye();
    glm::vec3 up(0, 1, 0);
    // Looking straight up or down: pick an up that is not parallel to the view.
    if (std::fabs(std::cos(pitch)) < 1e-4f) up = glm::vec3(-std::sin(yaw), 0, -std::cos(yaw)) * (pitch > 0 ? 1.0f : -1.0f);
    return glm::lookAt(e, target, up);
}

float auto_distance(const glm::vec3& min, const glm::vec3& max, float yfov, float aspect) {
    float r = 0.5f * glm::length(max - min);
    if (!(r > 0)) r = 0.5f;
    float xfov = 2.0f * std::atan(std::tan(yfov * 0.5f) * aspect);
    return r / std::sin(std::min(yfov, xfov) * 0.5f);
}

glm::mat4 perspective(float yfov, float aspect, float znear, float zfar) {
    glm::mat4 p = glm::perspectiveRH_ZO(yfov, aspect, znear, zfar);
    p[1][1] *= -1.0f;  // Vulkan's clip-space y points down
    return p;
}

void clip_planes(float distance, float radius, float* znear, float* zfar) {
    radius = std::max(radius, 1e-4f);
    *zfar = distance + radius * 2.0f;
    *znear = std::max(distance - radius * 2.0f, *zfar / 10000.0f);
}

Framing frame_orbit(Orbit o, const glm::vec3& min, const glm::vec3& max, bool empty, float aspect) {
    float radius = empty ? 1.0f : 0.5f * glm::length(max - min);
    if (o.distance < 0) o.distance = empty ? 2.0f : auto_distance(min, max, o.yfov, aspect);
    float zn, zf;
    clip_planes(o.distance, radius, &zn, &zf);
    return {o.view(), perspective(o.yfov, aspect, zn, zf), o.eye()};
}

}  // namespace vitrine::scene
