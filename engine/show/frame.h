// The scene at one show time, as plain data every output draws from: world matrices,
// posed models with their material factors, lights, the camera, environment and look.
// Made by Show::evaluate (reusing its memory from frame to frame).
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "scene/model.h"
#include "scene/orbit.h"
#include "scene/pose.h"

namespace vitrine::zoom {
class Pyramid;
}

namespace vitrine::show {

// A tile pyramid replacing the base colour texture of a model's material (the base
// colour factor and vertex colours still multiply it): TEXCOORD_0 (u, v) in [0,1]^2
// shows image pixel region.xy + (u, v) * region.zw (pixels y down, from the top left).
struct FrameTexture {
    int material = -1;                      // glTF material index; -1: every material of the model
    const zoom::Pyramid* pyramid = nullptr;  // owned by the LoadedScene
    glm::dvec4 region{0};                   // image pixels TEXCOORD_0's 0..1 spans
};

struct FrameModel {
    int node = -1;                   // scene node
    std::string asset;               // glTF asset name
    const scene::Model* model = nullptr;
    int animation = -1;
    float animation_time = 0;        // seconds into the animation
    glm::mat4 world{1};              // the node's world matrix (metres)
    bool visible = true;
    scene::Pose pose;                // posed in the model's space
    std::vector<scene::MaterialOverride> materials;  // factors set by tracks and cues
    std::vector<FrameTexture> textures;              // pyramids as base colour textures (`texture:`)
    glm::vec3 min{0}, max{0};        // world bounds (pose bounds through `world`)
    bool empty = true;
};

struct FrameLight {
    int node = -1;
    scene::Light light;              // colour, intensity (after tracks), cone in radians
    glm::mat4 world{1};
};

// How the picture is taken. The projection's aspect is the output's; see camera_view().
struct FrameCamera {
    int node = -1;                   // -1: the automatic framing of every visible relic
    glm::mat4 world{1};              // camera frame (looks down -Z, +Y up), unscaled
    float yfov = 0.6981317f;         // radians
    float znear = 0.05f, zfar = 0;   // metres; zfar 0 = from the scene's bounds
    bool orbit = false;              // world came from an orbit (or the automatic framing)
    bool auto_fit = false;           // the automatic framing: distance fits the bounds to the aspect
    scene::Orbit fit;                // auto_fit: yaw, pitch, target; distance computed per aspect
};

// An `image` node: a tile pyramid's picture in the node's XY plane, centred on its origin,
// facing +Z. Frame point (u, v) in [0,1]^2 (u right, v down) lies at local
// ((u-0.5)*size.x, (0.5-v)*size.y, 0) and shows pixel region.xy + (u,v)*region.zw.
// Outside the image the frame is transparent.
struct FrameImage {
    int node = -1;
    std::string asset;                     // pyramid asset name
    const zoom::Pyramid* pyramid = nullptr; // owned by the LoadedScene
    glm::mat4 world{1};                    // the node's world matrix
    glm::vec2 size{1};                     // metres
    glm::dvec4 region{0};                  // image pixels x, y, w, h shown across the frame
    float opacity = 1;
    bool visible = true;
};

// A `hotspot` node anchored on a pixel of its parent image (world[node] puts it there).
struct FrameHotspot {
    int node = -1;
    int image = -1;                        // index into Frame::images
    glm::dvec2 pixel{0};                   // image pixels
    float radius = 0.05f;                  // metres on the frame
    bool visible = true;                   // false also while the pixel is outside the region shown
};

// A `sound` node at this show time: what the audio engine plays, and where.
struct FrameSound {
    int node = -1;
    std::string asset;                 // audio asset name
    std::filesystem::path file;        // resolved path
    glm::mat4 world{1};                // the node's world matrix (position: world[3]; facing: -Z)
    std::string group = "effects";
    float gain = 1, pitch = 1;         // after tracks, sets and fades
    bool loop = false, stream = false, in_head = false;
    int distance_model = 0;            // 0 inverse clamped, 1 linear clamped, 2 none
    float ref_distance = 1, max_distance = 100, rolloff = 1;
    float cone_inner = 360, cone_outer = 360, cone_outer_gain = 0;  // degrees
    float reverb = 0;                  // send 0..1
    bool playing = false;
    double offset = 0;                 // seconds into the file at this show time (looping: not wrapped)
    bool visible = true;               // its node and parents visible (an invisible sound is silent)
};

// A `zone` node: a box (metres, centred on the node, in its frame) where a reverb preset applies.
struct FrameZone {
    int node = -1;
    std::string reverb;
    glm::mat4 world{1};
    glm::vec3 size{1};
};

struct Frame {
    double time = 0;
    std::string state;
    std::vector<glm::mat4> world;    // per scene node
    std::vector<uint8_t> visible;    // per scene node, after parents
    std::vector<FrameModel> models;  // model nodes, file order
    std::vector<FrameLight> lights;  // visible light nodes, file order
    std::vector<FrameImage> images;  // image nodes, file order
    std::vector<FrameHotspot> hotspots;  // hotspot nodes, file order
    FrameCamera camera;
    float env_rotation = 0;          // degrees
    float env_intensity = 1;
    float exposure = 0;              // EV
    glm::vec3 min{0}, max{0};        // bounds of visible models and image frames
    bool empty = true;
    std::vector<FrameSound> sounds;  // sound nodes, file order
    std::vector<FrameZone> zones;    // zone nodes, file order
    std::string reverb;                    // the scene's default preset ("none" or a name)
    std::map<std::string, float> groups;   // group gains after tracks/sets (only those named anywhere)
    std::string duck_group, duck_under;    // empty duck_group: no ducking
    float duck_gain = 1;
    bool listener_viewer = false;          // audio: listener: viewer
    float volume = 1;                      // Show::volume() (/vitrine/volume), the master gain
};

// View and projection of `camera` for a picture of `aspect` (width / height), with
// Vulkan clip space. Every output and the picking of touches use this one routine.
struct CameraMatrices {
    glm::mat4 view{1}, proj{1};
    glm::vec3 eye{0};
};
CameraMatrices camera_view(const Frame& frame, float aspect);

// The node a ray from the camera through (x, y) of the picture (0..1, y down) hits
// first, or -1: a model (its world bounds), an image node (its frame), or a hotspot
// (its image's frame within its radius of it; the nearest hotspot wins).
int pick(const Frame& frame, float aspect, float x, float y);
// The same for any ray (world space; `dir` normalised): an LED wall's screens pick
// through their own views.
int pick_ray(const Frame& frame, const glm::vec3& origin, const glm::vec3& dir);

// The reverb preset at `listener` (world metres): the zone containing it (the last in
// file order if several), else frame.reverb.
std::string zone_reverb(const Frame& frame, glm::vec3 listener);

}  // namespace vitrine::show
