// The model at one show time: animation applied, world matrices, skinned/morphed
// vertices. Pure function of (model, animation, time) so every output sees the
// same frame.
#pragma once
#include <vector>

#include "scene/model.h"

namespace vitrine::scene {

// One primitive to draw. When `deformed` is non-empty (skinning or morph targets)
// its vertices are already in world space and `world` is the identity.
struct DrawItem {
    int node = -1, mesh = -1, primitive = -1;
    glm::mat4 world{1};
    std::vector<Vertex> deformed;
};

struct Pose {
    std::vector<glm::mat4> world;  // per node
    std::vector<DrawItem> items;   // reachable primitives, in node order
    // World bounds of every drawn POSITION. Deformed primitives: their vertices,
    // exactly. Rigid ones: their object-space box (Primitive::min/max) transformed,
    // exact under translation, scale and axis-aligned rotation, conservative otherwise.
    glm::vec3 min{0}, max{0};
    bool empty = true;             // no vertex reached
};

// Samples `animation` (-1: none) at `time` seconds (clamped to [0, duration]).
Pose evaluate_pose(const Model& model, int animation, float time);
// The same into `pose`, reusing its memory (a show's frames allocate nothing in the steady state).
void evaluate_pose(const Model& model, int animation, float time, Pose& pose);

// Samples one animation sampler at time t: `components` floats per key.
std::vector<float> sample(const AnimSampler& sampler, size_t components, float t);

}  // namespace vitrine::scene
