// What a display (an LED wall, a lenticular panel) draws and how: the content — a show
// in the room frame, or models standing on the display's stage — on one rig, and the
// canvas drawn in tiles (row bands) or in memory with mesh screens warped. Used by
// `render --display` and `bench --display`.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "app/args.h"
#include "app/gpu_stage.h"
#include "session/show_stage.h"
#include "display/offscreen.h"
#include "room/display_file.h"
#include "room/quilt.h"

namespace vitrine::app {

// What is drawn: a show (scene file) in the room frame, or models standing on the stage.
struct DisplayStage {
    std::vector<std::unique_ptr<scene::Model>> extra;  // the visitor room; outlives the rigs below
    // A scene.
    show::AssetCache cache;
    std::unique_ptr<show::LoadedScene> scene;
    std::unique_ptr<show::Show> show;
    session::ShowStage show_stage;
    // Models.
    std::optional<Stage> stage;
    std::unique_ptr<GpuStage> gpu;
    glm::mat4 placement{1};
    std::vector<render::Instance> model_instances;
    render::Look model_look;

    display::Rig& rig() { return stage ? *gpu->rig : *show_stage.rig; }
    int finish(int code) { return stage ? gpu->finish(code) : show_stage.finish(code); }

    // Poses everything at show time t; the instances and look to draw.
    std::pair<std::span<const render::Instance>, render::Look> at(double t);
};

// Loads the scene (a *.scene.yaml word) or the models of `args`, places models on the
// display's stage, and uploads everything to a new rig.
Result<std::unique_ptr<DisplayStage>> open_display_stage(const Args& args, const room::DisplayFile& d, double t0);

glm::dvec3 screens_centroid(const room::DisplayFile& d);
// A lenticular panel's camera: for a scene, its camera (the focal plane `focal_plane`
// ahead of it); for models, the focal plane's centre at the stage (or the origin), facing +Z.
room::QuiltCamera quilt_camera(DisplayStage& c, const room::DisplayFile& d);

// Draws through `out`, rebuilding the device after a loss (three tries).
Result<Image8> render_retrying(DisplayStage& c, display::Offscreen& out, std::span<const render::Instance> instances,
                               const render::Look& look, std::span<const render::View> views);
// The canvas in tiles of out's size, band by band: each band's rows go to `rows`. With
// `report` and more than one tile: a progress bar band by band on a terminal, else one
// summary line (tiles, bands, seconds).
Result<void> render_tiled(DisplayStage& c, display::Offscreen& out, uint32_t tile_w, uint32_t tile_h, uint32_t canvas_w,
                          uint32_t canvas_h, std::span<const render::View> views, std::span<const render::Instance> instances,
                          const render::Look& look, const std::function<Result<void>(const uint8_t*, uint32_t)>& rows,
                          bool report = true);
// The whole canvas in memory: planar screens (in tiles of tile_w x tile_h), then each
// mesh screen warped from the picture the eye sees through its frustum.
Result<Image8> canvas_image(DisplayStage& c, const room::DisplayFile& d, std::span<const render::View> views, uint32_t tile_w,
                            uint32_t tile_h, std::span<const render::Instance> instances, const render::Look& look);

}  // namespace vitrine::app
