// Punctual lights of every instance, in world space, as the shader reads them. No cap:
// the list goes into a storage buffer. Plain C++ (testable without a GPU).
#pragma once
#include <vector>

#include <glm/glm.hpp>

#include "scene/model.h"
#include "scene/pose.h"
#include "layout.h"

namespace vitrine::render {

shader::LightUniform light_uniform(const scene::Light& light, const glm::mat4& world);

// Appends the lights of `model` posed by `pose` and placed by `transform` (file order).
void append_lights(const scene::Model& model, const scene::Pose& pose, const glm::mat4& transform,
                   std::vector<shader::LightUniform>& out);

}  // namespace vitrine::render
