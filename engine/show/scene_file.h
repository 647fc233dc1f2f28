// A scene file (`scenes/*.scene.yaml`) as plain data, exactly as written: nothing is
// resolved or evaluated here. Every struct remembers where it came from (`loc`) and
// where each of its keys' values came from (`locs`), so errors point there and the
// editor can write a change back in place. Units: metres, degrees, seconds.
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "yaml/place.h"

namespace vitrine::show {

// Places and problems are the YAML plumbing's (engine/yaml), shared with display and
// site files.
using yaml::Loc;
using yaml::Locs;
using yaml::Problem;

// ---- assets ------------------------------------------------------------------------
enum class AssetKind { Gltf, Hdr, Audio, Pyramid };

struct Asset {
    std::string name;        // key under `assets:`
    AssetKind kind = AssetKind::Gltf;
    std::string path;        // as written, relative to the scene file or a search root
    std::filesystem::path resolved;  // filled by resolve_assets(); empty until then
    Loc loc;
    Locs locs;
};

// ---- nodes -------------------------------------------------------------------------
enum class LightKind { Directional, Point, Spot };

struct LightDesc {
    LightKind type = LightKind::Point;
    glm::vec3 color{1};
    float intensity = 1;     // candela (point/spot), lux (directional)
    float range = 0;         // metres, 0 = infinite
    float inner_cone = 0;    // degrees
    float outer_cone = 45;   // degrees
    Loc loc;
    Locs locs;
};

struct OrbitDesc {
    float yaw = 0, pitch = 0;  // degrees; yaw 0 / pitch 0 looks from +Z toward -Z
    float distance = 3;        // metres
    glm::vec3 target{0};       // metres, world
    Loc loc;
    Locs locs;
};

struct CameraDesc {
    float fov = 40;                  // vertical, degrees
    float znear = 0.05f, zfar = 0;   // metres; zfar 0 = infinite
    std::optional<OrbitDesc> orbit;  // present: the camera orbits target (its node's transform is ignored)
    // A glTF camera of a model instance node instead: `gltf_camera: {node: vase, index: 0}`.
    std::string gltf_node;
    int gltf_index = -1;
    Loc loc;
    Locs locs;
};

// An `image` node: a tile pyramid shown on a frame in the node's XY plane (facing +Z).
struct ImageDesc {
    std::string pyramid;        // asset name of a pyramid
    bool has_size = false;      // absent: the image's physical size, else 1 m wide
    glm::vec2 size{1};          // metres, width and height of the frame
    bool has_region = false;    // absent: the whole image, widened to the frame's aspect
    glm::dvec4 region{0};       // image pixels x, y, w, h (y down) shown across the frame
    float opacity = 1;
    Loc loc;
    Locs locs;
};

// A hotspot anchored on a pixel of its parent image node (it follows every zoom).
struct HotspotDesc {
    glm::dvec2 pixel{0};        // image pixels, continuous (pixel (i, j)'s centre is i+0.5, j+0.5)
    float radius = 0.05f;       // metres on the frame: touches this close pick the hotspot
    Loc loc;
    Locs locs;
};

// A tile pyramid as the base colour texture of a model's material (`texture:`): the
// model's TEXCOORD_0 range 0..1 spans `region` (uv (0,0) its top left, (1,1) its bottom right).
struct TextureDesc {
    std::string pyramid;        // asset name of a pyramid
    std::string material;       // the glTF material (name, or index as text); empty: every material
    bool has_region = false;    // absent: the whole image
    glm::dvec4 region{0};       // image pixels x, y, w, h (y down)
    Loc loc;
    Locs locs;
};

// A `sound` node: an audio asset played at the node (it follows its parents).
enum class DistanceModel { Inverse, Linear, None };  // OpenAL's clamped models; None: no attenuation

struct SoundDesc {
    std::string audio;             // asset name of an audio file
    std::string group = "effects"; // gain group (`audio: groups:`), any name
    float gain = 1;                // >= 0
    float pitch = 1;               // (0, 4]
    bool loop = false;
    bool stream = false;           // decoded while playing (long files) rather than at load
    bool play = false;             // true: plays from show time 0; false: silent until play_sound
    DistanceModel distance = DistanceModel::Inverse;
    float ref = 1, max = 100, rolloff = 1;       // metres, metres, factor
    float cone_inner = 360, cone_outer = 360;    // degrees about the node's -Z; 360: omnidirectional
    float cone_outer_gain = 0;                   // 0..1
    float reverb = 0;              // send level 0..1
    bool in_head = false;          // no position: in the listener's head (a narrator)
    Loc loc;
    Locs locs;                     // nested keys as "distance.ref", "cone.inner"
};

// A `zone` node: a box (metres, centred on the node, in its frame) where a reverb preset applies.
struct ZoneDesc {
    std::string reverb;            // a preset name (reverb_presets())
    glm::vec3 size{1};             // metres, > 0
    Loc loc;
    Locs locs;
};

struct Node {
    std::string name;      // unique in the scene
    int parent = -1;       // index into SceneFile::nodes; -1 = root
    glm::vec3 translation{0};
    glm::vec3 rotation{0};  // Euler degrees, applied X then Y then Z (R = Rz * Ry * Rx)
    glm::vec3 scale{1};
    bool visible = true;
    std::string model;      // asset name of a glTF model; empty: not a model instance
    std::string animation;  // the model's glTF animation (name or index as text); empty: none
    std::vector<TextureDesc> textures;  // `texture:` (one mapping or a list), each material at most once
    std::optional<LightDesc> light;
    std::optional<CameraDesc> camera;
    std::optional<ImageDesc> image;
    std::optional<HotspotDesc> hotspot;
    std::optional<SoundDesc> sound;
    std::optional<ZoneDesc> zone;
    Loc loc;
    Locs locs;
};

// ---- timelines ---------------------------------------------------------------------
enum class Interp { Step, Linear, CubicSpline };

// A key's value: 1..6 floats (vec3 as 3, colour as 3 or 4, orbit as yaw, pitch,
// distance, target x, y, z; rotation as Euler degrees, converted to a quaternion when bound).
struct Key {
    double t = 0;                  // seconds, timeline-local
    std::vector<float> value;
    std::vector<float> in, out;    // CUBICSPLINE tangents (same size as value), else empty
    Loc loc;
    Locs locs;
};

// A magnification move of an image node (a `zoom_to` track's item or cue action): from
// the region in force when it starts to `region`, or to `centre` and/or
// `magnification` (what is not given keeps the start's), in `duration` seconds.
struct ZoomMove {
    double at = 0;              // timeline-local start (tracks; 0 for cue actions)
    double duration = 0;        // seconds; 0 jumps
    bool has_region = false, has_centre = false, has_magnification = false;
    glm::dvec4 region{0};       // image pixels x, y, w, h
    glm::dvec2 centre{0};       // image pixels
    double magnification = 0;   // times actual size (needs the pyramid's mm per pixel)
    Loc loc;
    Locs locs;
};

struct Track {
    std::string target;  // property path, e.g. "vase.rotation", "cam.orbit", "look.exposure";
                         // a `zoom_to` track: the image node's name
    Interp interp = Interp::Linear;
    std::vector<Key> keys;  // strictly increasing t (checked by validate)
    bool zoom = false;            // a `zoom_to` track: `moves` instead of keys
    std::vector<ZoomMove> moves;  // in order, each starting where the one before ended
    Loc loc;
    Locs locs;
};

// The shortest timeline duration or idle timeout a scene may use: one frame at 240 fps.
constexpr double kShortestDuration = 1.0 / 240.0;

struct Timeline {
    std::string name;
    double duration = 0;  // seconds, >= kShortestDuration
    bool loop = false;
    std::vector<Track> tracks;
    std::map<std::string, double> labels;  // label -> local time
    Loc loc;
    Locs locs;
};

// ---- cues --------------------------------------------------------------------------
enum class ActionKind { Play, Stop, Pause, Jump, Set, Goto, Osc, Camera, ZoomTo, PlaySound, StopSound, SeekSound };

struct Action {
    ActionKind kind = ActionKind::Play;
    std::string timeline;  // Play, Stop, Pause, Jump
    std::string label;     // Jump
    std::string target;    // Set: property path; ZoomTo: the image node; *Sound: the sound node
    double seek_to = 0;        // SeekSound: seconds into the file
    ZoomMove zoom;         // ZoomTo (at 0: it starts when the cue fires)
    std::vector<float> value;  // Set
    double fade = 0;           // Set: seconds
    std::string state;     // Goto
    std::string camera;    // Camera: node name of the camera to look through
    std::string osc_to;    // Osc: "host:port"
    std::string osc_address;
    std::vector<std::string> osc_args;  // sent as floats when they parse as numbers, else strings
    Loc loc;
    Locs locs;
};

enum class TriggerKind { Go, Time, Touch, Osc };

struct Cue {
    std::string id;        // hierarchical number as text: "3", "3.1", "10"
    std::string name;      // optional description
    TriggerKind trigger = TriggerKind::Go;  // Go: only by GO / a cue action / a hook
    std::string timeline;  // Time: the timeline whose local time `at` is; empty = show time
    double at = 0;         // Time
    std::string node;      // Touch: node name ("any" = anywhere)
    std::string osc;       // Osc: address
    double prewait = 0;    // seconds between the trigger and the actions
    std::vector<Action> actions;
    Loc loc;
    Locs locs;
};

// ---- states ------------------------------------------------------------------------
enum class TransitionKind { Touch, Idle, End, Osc, TimeOfDay };

struct Transition {
    TransitionKind kind = TransitionKind::Touch;
    std::string node;      // Touch: a node (hotspot), or "any"
    double after = 0;      // Idle: seconds without input
    std::string osc;       // Osc: address
    int time_of_day = 0;   // TimeOfDay: seconds after local midnight
    std::string to;        // state name
    Loc loc;
    Locs locs;
};

struct State {
    std::string name;
    std::string timeline;  // played from 0 on entering; empty = none
    std::string camera;    // camera node looked through in this state; empty = the scene's
    std::vector<Transition> transitions;
    bool idle_default = true;  // false when the file says `idle: none`
    Loc loc;
    Locs locs;
};

// ---- the whole file ----------------------------------------------------------------
struct EnvironmentDesc {
    std::string source = "studio";  // "studio" or an `hdr` asset name
    float rotation = 0;             // degrees about +Y
    float intensity = 1;
    Loc loc;
    Locs locs;
};

struct LookDesc {
    std::string tonemap = "khr-pbr-neutral";  // khr-pbr-neutral | aces | none
    float exposure = 0;                       // EV
    bool solid_background = false;
    glm::vec3 background{0};                  // sRGB 0..1 when solid
    Loc loc;
    Locs locs;
};

// The `audio:` section: the scene's sound as a whole.
struct AudioDesc {
    std::string reverb = "none";                // preset where no zone applies
    std::map<std::string, float> groups;        // group gains as written (a group not named: 1)
    std::string duck_group, duck_under;         // empty: no ducking
    float duck_gain = 1;                        // duck_group x duck_gain while any duck_under sound plays
    bool listener_viewer = false;               // listener: viewer (the display's sweet spot), else the camera
    Loc loc;
    Locs locs;                                  // nested keys as "duck.gain", "groups.music"
};

struct SceneFile {
    std::filesystem::path path;               // the file as given
    std::vector<std::string> search;          // extra asset roots as written (relative to the file)
    std::vector<Loc> search_locs;             // where each was written
    uint64_t seed = 1;                        // show.random()
    std::vector<Asset> assets;
    std::vector<Node> nodes;                  // parents before children (file order, depth first)
    EnvironmentDesc environment;
    LookDesc look;
    AudioDesc audio;
    std::string camera;                       // default camera node; empty = an automatic orbit
    std::vector<Timeline> timelines;
    std::vector<Cue> cues;                    // file order
    std::vector<State> states;
    std::string start;                        // start state; empty = the first state
    double idle_timeout = 120;                // default idle transition back to `start`
    std::string hooks;                        // Lua file, relative like assets; empty = none
    Loc hooks_loc;
    std::string display;                      // a *.display.yaml the show is drawn for; empty = none
    Loc display_loc;
    std::filesystem::path display_file;       // `display`, resolved like assets
    Loc loc;
    Locs locs;

    int node_index(const std::string& name) const;
    // Every audio group the file names (`audio: groups`, sounds, duck), sorted: the
    // groups `audio.GROUP` can set and Frame::groups lists.
    std::vector<std::string> audio_groups() const;
    const Asset* asset(const std::string& name) const;
    const Timeline* timeline(const std::string& name) const;
    int state_index(const std::string& name) const;
};

// The reverb presets a scene names (`audio: reverb`, zones): none, hall, gallery,
// small_room, cave, church, studio. The audio module maps each to its EFX preset.
const std::vector<std::string>& reverb_presets();

}  // namespace vitrine::show
