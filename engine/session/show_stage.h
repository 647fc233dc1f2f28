// A show on the GPU: the loaded scene and its runtime, the rig (one device) holding the
// scene's models and environment, and the step from a show::Frame to what the renderer
// draws (instances, room lights, look, one View per rectangle). `render SCENE` and
// `run SCENE` both draw through this, so a window and a file show the same frame.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <optional>

#include "display/rig.h"
#include "room/display_file.h"
#include "render/gpu_scene.h"
#include "show/frame.h"
#include "show/loader.h"
#include "show/show.h"

namespace vitrine::session {

struct ShowStage {
    // The scene and its show (owned by the command: render keeps them, run's LiveShow
    // replaces them on reload; point these at the new ones, then upload_scene()).
    const show::LoadedScene* scene = nullptr;
    show::Show* show = nullptr;
    show::Frame frame;
    std::unique_ptr<display::Rig> rig;
    // Everything the rig was given stays alive as long as it (it re-uploads after a lost device).
    std::vector<std::shared_ptr<scene::Model>> uploaded;
    std::vector<render::ModelId> ids;  // parallel to `uploaded`
    std::shared_ptr<ImageF> environment;
    std::vector<render::Instance> instances;
    std::map<const zoom::Pyramid*, uint32_t> image_ids;  // the scene's pyramids on the rig
    std::vector<render::ImageInstance> images;          // this frame's image frames
    std::vector<render::InstanceTexture> textures;      // pyramids as the instances' base colours
    std::vector<shader::LightUniform> lights;

    ~ShowStage();
    // Exit code for the end of a run: 4 when validation spoke, else `code`.
    int finish(int code);
};

// Loads the scene (every problem printed as file:line:column: message). Null on problems.
std::unique_ptr<show::LoadedScene> load_show(const std::string& path, show::AssetCache& cache);

// The display file a scene names (`display:`, resolved), or empty (none, or the scene
// has problems — its full load reports them).
std::string scene_display(const std::string& path);

// Loads a display file (every problem printed as file:line:column: message, then one
// error line). Empty on problems.
std::optional<room::DisplayFile> load_display_file(const std::string& path);

// Makes the rig and uploads the scene's models and environment.
Result<void> open_rig(ShowStage& stage, const display::RigOptions& options);
// After a reload: uploads models not on the rig yet and a changed environment, and frees
// the models the scene no longer uses. (Pyramids stay: the atlas is a fixed size.)
Result<void> upload_scene(ShowStage& stage);

// Evaluates the show at its current time into stage.frame and the draw lists; the
// room lights go to the rig's scene.
render::Look prepare_frame(ShowStage& stage);
render::View frame_view(const show::Frame& frame, const render::Rect& viewport);

// "HH:MM" or "HH:MM:SS" -> seconds after midnight.
Result<double> parse_clock(const std::string& text);

}  // namespace vitrine::session
