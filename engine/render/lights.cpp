#include "render/lights.h"

#include <algorithm>
#include <cmath>

namespace vitrine::render {

shader::LightUniform light_uniform(const scene::Light& l, const glm::mat4& world) {
    shader::LightUniform u{};
    int type = l.type == scene::LightType::Directional ? LIGHT_DIRECTIONAL
               : l.type == scene::LightType::Spot      ? LIGHT_SPOT
                                                       : LIGHT_POINT;
    u.position = glm::vec4(glm::vec3(world[3]), float(type));
    glm::vec3 dir = glm::mat3(world) * glm::vec3(0, 0, -1);
    float len = glm::length(dir);
    u.direction = glm::vec4(len > 0 ? dir / len : glm::vec3(0, 0, -1), l.range);
    u.color = glm::vec4(l.color * l.intensity, 0);
    float cos_outer = std::cos(l.outer_cone), cos_inner = std::cos(l.inner_cone);
    float scale = 1.0f / std::max(0.001f, cos_inner - cos_outer);
    u.cone = glm::vec4(scale, -cos_outer * scale, 0, 0);
    return u;
}

void append_lights(const scene::Model& model, const scene::Pose& pose, const glm::mat4& transform,
                   std::vector<shader::LightUniform>& out) {
    for (size_t n = 0; n < model.nodes.size() && n < pose.world.size(); ++n)
        if (model.nodes[n].light >= 0 && size_t(model.nodes[n].light) < model.lights.size())
            out.push_back(light_uniform(model.lights[size_t(model.nodes[n].light)], transform * pose.world[n]));
}

}  // namespace vitrine::render
