// Internal to show/: every animatable value of a scene at one instant, indexed by
// scene node. The file's values are the base; timelines and sets overwrite them in
// layers (Show::values_at).
#pragma once
#include <array>
#include <vector>

#include <glm/glm.hpp>
#include <glm/gtc/quaternion.hpp>

#include "show/frame.h"
#include "show/show.h"

namespace vitrine::show {

struct Show::Values {
    std::vector<glm::vec3> translation, scale;
    std::vector<glm::quat> rotation;
    std::vector<float> visible;
    std::vector<float> fov;                    // degrees
    std::vector<std::array<float, 6>> orbit;   // yaw, pitch (degrees), distance, target
    std::vector<glm::vec3> color;
    std::vector<float> intensity;
    std::vector<float> animation_time;
    std::vector<uint8_t> animation_set;        // a track or set gave animation_time
    std::vector<std::vector<scene::MaterialOverride>> materials;
    std::vector<glm::dvec4> region;            // image pixels shown (image nodes)
    std::vector<glm::vec2> size;               // image frames, metres
    std::vector<float> opacity;
    std::vector<float> gain, pitch;            // sound nodes
    std::vector<float> group_gain;             // by Show::groups_
    float env_rotation = 0, env_intensity = 1, exposure = 0;
};

}  // namespace vitrine::show
