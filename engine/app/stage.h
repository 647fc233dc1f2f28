// What every subcommand that draws needs: the model loaded and posed at a show
// time, the environment, and a View framed by the orbit conventions or a glTF camera.
#pragma once
#include <filesystem>
#include <memory>
#include <string>

#include "app/args.h"
#include "core/image.h"
#include "render/view.h"
#include "scene/model.h"
#include "scene/orbit.h"
#include "scene/pose.h"

namespace vitrine::app {

// Flags understood by every drawing command.
extern const std::vector<std::string> kStageFlags;

struct Stage {
    scene::Model model;
    int animation = -1;  // the animation played (the first one, when any)
    float time = 0;      // show time, seconds
    scene::Pose pose;
    scene::Orbit orbit;
    int camera = -1;     // glTF camera index, or -1 for the orbit camera
    render::Look look;
    std::string env_spec;  // "neutral" or a path
};

Result<Stage> make_stage(const std::string& model_path, const Args& args);
Result<ImageF> load_environment(const std::string& spec);
render::View stage_view(const Stage& stage, uint32_t width, uint32_t height);
// Where the shared corpus is (../shared/corpus from the repository), or empty.
std::filesystem::path corpus_dir();

}  // namespace vitrine::app
