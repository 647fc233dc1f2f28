// Loading a scene file, in three steps that each append every problem they find
// (nothing stops at the first): parse the YAML into a SceneFile; resolve asset paths
// (confined to the scene's folder tree or its search roots); validate references,
// key order, property paths and the state graph against the loaded models.
// `vitrine check` prints every problem; `run` and `render` refuse a scene with any.
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "scene/model.h"
#include "show/scene_file.h"

namespace vitrine::zoom {
struct PyramidInfo;
}

namespace vitrine::show {

// "HH:MM" or "HH:MM:SS" to seconds after midnight; -1 when malformed (the scene's
// `time_of_day` transitions and the command line's --clock).
int parse_time_of_day(const std::string& text);

// `file` names the scene in every Loc (as given on the command line); `text` is its content.
SceneFile parse_scene(const std::filesystem::path& file, const std::string& text, std::vector<Problem>& problems);

// Fills Asset::resolved (and checks `hooks`): each path is taken relative to the scene
// file's folder, then to each `search` root (relative to the scene file); the result
// must lie inside the scene's folder tree or inside that search root (symlinks
// followed), and must exist. Returns the resolved hooks file (empty when none).
// A pyramid asset written "procedural:NAME:WxH[:MM]" is made up, not a path: it stays unresolved.
std::filesystem::path resolve_assets(SceneFile& scene, std::vector<Problem>& problems);
bool is_procedural_pyramid(const Asset& asset);

// Loaded glTF models by asset name (assets that failed to load are absent).
using Models = std::map<std::string, const scene::Model*>;

// Opened pyramids' headers by asset name (assets that failed to open are absent).
using Pyramids = std::map<std::string, const zoom::PyramidInfo*>;

// Everything that needs more than one key to judge: dangling node/asset/timeline/state/
// label/camera references, keys not in strictly increasing time, track values of the
// wrong size, interpolation not allowed for a property (visibility is STEP only), cue
// times outside their timeline, cue ids that are not hierarchical numbers or repeat,
// property paths (bind_property), glTF animations and cameras that the model lacks,
// states unreachable from the start state, node names that are reserved
// ("environment", "look", "any") or repeated; image nodes, hotspots and zoom moves
// (regions whose aspect is not the frame's, magnifications of pyramids without a scale,
// pixels outside the image: judged where `pyramids` has the asset); model textures
// (`texture:` pyramids, materials the model lacks or textures twice, TEXCOORD_0 missing);
// sounds, zones and the audio section (audio assets, gains, pitches, distances, cones,
// reverb sends, zone sizes, sound cue actions on sound nodes; reserved node name "audio").
void validate_scene(const SceneFile& scene, const Models& models, std::vector<Problem>& problems,
                    const Pyramids& pyramids = {});

}  // namespace vitrine::show
