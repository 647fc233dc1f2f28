// A track bound to its property: keys sampled with glTF's interpolation modes (STEP,
// LINEAR, CUBICSPLINE — glTF 2.0 spec, Appendix C). Rotations are quaternions inside
// the show: LINEAR and STEP keys are converted from the file's Euler degrees once, and
// LINEAR interpolates them by normalized slerp (the shorter way); CUBICSPLINE rotation
// keys are interpolated in Euler degrees, then converted.
#pragma once
#include <vector>

#include <glm/glm.hpp>
#include <glm/gtc/quaternion.hpp>

#include "show/property.h"
#include "show/scene_file.h"

namespace vitrine::show {

// Euler degrees (X, then Y, then Z: R = Rz * Ry * Rx) to a unit quaternion.
glm::quat euler_degrees(const glm::vec3& degrees);

struct BoundTrack {
    Property property;
    Interp interp = Interp::Linear;
    int width = 1;                 // floats per sampled value as stored (rotation: 4, or 3 for cubic)
    std::vector<double> times;     // strictly increasing
    std::vector<float> values;     // width per key; CUBICSPLINE: in, value, out per key
    bool euler = false;            // rotation stored as Euler degrees (cubic), converted on sampling
    bool zoom = false;             // a `zoom_to` track (property Region): `moves`, sampled by sample_zoom
    std::vector<ZoomMove> moves;
};

BoundTrack bind_track(const Track& track, const Property& property);  // a zoom_to track: its moves

// Samples at timeline-local time t (clamped to the first and last key) into `out`
// (the property's value: rotation as quaternion x, y, z, w; others as their size).
void sample_track(const BoundTrack& track, double t, float* out);

// Interpolates two values of a property by s in [0, 1] (fades of `set`): component-wise,
// rotation by normalized slerp.
void mix_values(PropertyKind kind, const float* a, const float* b, float s, int size, float* out);

}  // namespace vitrine::show
