// Property paths, the names tracks and `set` actions target, bound once at load to
// what they change. The paths (N = a node name):
//   N.translation (3, metres)  N.rotation (3, Euler degrees)  N.scale (3)  N.visible (1, STEP only)
//   N.fov (1, degrees; camera)  N.orbit (6: yaw, pitch, distance, target x y z; camera with orbit)
//   N.color (3; light)  N.intensity (1; light)
//   N.material.M.base_color (4)  N.material.M.emissive (3)  (M: material name or index in N's model)
//   N.animation_time (1, seconds; model with an animation)
//   N.region (4: image pixels x, y, w, h; image)  N.size (2, metres; image)  N.opacity (1; image)
//   N.gain (1, >= 0; sound)  N.pitch (1, (0, 4]; sound)
//   environment.rotation (1, degrees)  environment.intensity (1)  look.exposure (1, EV)
//   audio.G (1: the gain of audio group G, one the file names: SceneFile::audio_groups())
#pragma once
#include <string>

#include "core/result.h"
#include "show/load.h"
#include "show/scene_file.h"

namespace vitrine::show {

enum class PropertyKind {
    Translation, Rotation, Scale, Visible,
    Fov, Orbit,
    LightColor, LightIntensity,
    BaseColor, Emissive,
    AnimationTime,
    Region, ImageSize, Opacity,
    EnvRotation, EnvIntensity, Exposure,
    SoundGain, SoundPitch, GroupGain,
};

struct Property {
    PropertyKind kind = PropertyKind::Translation;
    int node = -1;      // index into SceneFile::nodes (-1 for environment/look)
    int material = -1;  // BaseColor/Emissive: index into the node's model's materials
    int size = 1;       // floats in a value
    int group = -1;     // GroupGain: index into SceneFile::audio_groups()
};

// Fails with a message without location (the caller adds the track's or action's Loc),
// e.g. "unknown property 'vase.rotaton' (did you mean 'vase.rotation'?)",
// "node 'key' is not a camera: 'fov' needs one".
Result<Property> bind_property(const SceneFile& scene, const Models& models, const std::string& path);

// A material of `model` as a scene file names it: by name, else by an index written as
// digits ("0"); -1 when it has none such. material_names: each name, or its index when
// unnamed ("paper, 1, rod"), for messages.
int material_index(const scene::Model& model, const std::string& material);
std::string material_names(const scene::Model& model);

}  // namespace vitrine::show
