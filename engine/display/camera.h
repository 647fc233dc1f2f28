// Views a display builds for a relic: the orbit camera (Sample Viewer conventions: the
// orbit targets the bounds' centre; yaw 0 / pitch 0 looks from +Z toward -Z; distance
// auto fits the bounding sphere) and a model's own glTF camera. The viewport is the
// rectangle of the canvas the view fills; its aspect ratio sets the projection's.
#pragma once
#include "render/view.h"
#include "scene/model.h"
#include "scene/orbit.h"
#include "scene/pose.h"

namespace vitrine::display {

// World bounds of what is shown (empty: nothing drawn; the orbit then looks at the origin).
struct Bounds {
    glm::vec3 min{0}, max{0};
    bool empty = true;
    glm::vec3 centre() const { return empty ? glm::vec3(0) : (min + max) * 0.5f; }
};

// `orbit.distance` < 0 means auto: fit the bounds' sphere to the viewport.
render::View orbit_view(const scene::Orbit& orbit, const Bounds& bounds, const render::Rect& viewport);
render::View gltf_camera_view(const scene::Model& model, const scene::Pose& pose, int camera, const Bounds& bounds,
                              const render::Rect& viewport);

}  // namespace vitrine::display
