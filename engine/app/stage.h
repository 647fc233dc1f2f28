// What every subcommand that draws needs: the models (each file loaded once), placed
// side by side at true scale when there are several (a line-up), posed at a show time,
// the environment and look, and the orbit or glTF camera they are framed with.
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "app/args.h"
#include "core/image.h"
#include "display/camera.h"
#include "render/gpu_scene.h"
#include "scene/model.h"
#include "scene/orbit.h"
#include "scene/pose.h"

namespace vitrine::app {

// Flags understood by every drawing command.
extern const std::vector<std::string> kStageFlags;

struct Stage {
    std::vector<std::unique_ptr<scene::Model>> models;  // distinct files, in first-mention order
    std::vector<int> animations;                        // per model: the animation played, or -1
    std::vector<scene::Pose> poses;                     // per model, at `time`
    struct Placed {
        size_t model;
        glm::mat4 transform{1};
    };
    std::vector<Placed> placed;  // one per file given, in order (the same file twice: twice)
    float time = 0;              // show time, seconds
    scene::Orbit orbit;          // distance < 0: auto
    int camera = -1;             // glTF camera index of the first model, or -1 for the orbit camera
    render::Look look;
    std::string env_spec;        // "neutral", "studio" or a path
};

Result<Stage> make_stage(const std::vector<std::string>& model_paths, const Args& args);
// Poses every model at show time t (placement is fixed when the stage is made).
void pose_stage(Stage& stage, float t);
display::Bounds stage_bounds(const Stage& stage);
// The instances to draw, with each model's id in the GpuScene (`ids[model]`).
void stage_instances(const Stage& stage, const std::vector<render::ModelId>& ids, std::vector<render::Instance>& out);
// The orbit view (or the glTF camera) for a rectangle of a canvas; `yaw_offset` in radians.
render::View stage_view(const Stage& stage, const render::Rect& viewport, float yaw_offset = 0);

Result<ImageF> load_environment(const std::string& spec);
// Where the shared corpus is (../shared/corpus from the repository), or empty.
std::filesystem::path corpus_dir();

}  // namespace vitrine::app
