// What a technician needs to know about a model before hanging it on a wall.
#pragma once
#include <string>

#include "scene/model.h"

namespace vitrine::scene {

// Multi-line human-readable report: counts, textures, extensions, bounds (metres),
// animations, and every warning the importer recorded.
std::string describe(const Model& model);

}  // namespace vitrine::scene
