#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "app/args.h"
#include "app/commands.h"
#include "app/usage.h"
#include "app/stage.h"
#include "core/log.h"
#include "app/gpu_stage.h"
#include "display/window.h"

namespace vitrine::app {

namespace {

// Mouse orbit: left drag rotates, right/middle drag pans, wheel zooms.
struct OrbitInput {
    Stage* stage = nullptr;
    double last_x = 0, last_y = 0;
    bool rotating = false, panning = false;
    float distance = 1;
    bool frame_all = false, toggle_fullscreen = false;
};

void frame(Stage& st, float aspect, float* distance) {
    st.orbit.target = glm::vec3(0);  // an offset from the bounds' centre (panning moves it)
    display::Bounds b = stage_bounds(st);
    *distance = b.empty ? 2.0f : scene::auto_distance(b.min, b.max, st.orbit.yfov, aspect);
}

// One window event: left drag orbits, right drag pans, the wheel zooms, F frames all,
// F11/Enter toggles fullscreen, Esc/Q quits.
void orbit_input(OrbitInput& in, const display::WindowEvent& e, display::Window& w) {
    using Kind = display::WindowEvent::Kind;
    switch (e.kind) {
        case Kind::Press:
        case Kind::Release:
            in.last_x = e.x, in.last_y = e.y;
            if (e.button == 0) in.rotating = e.kind == Kind::Press;
            else in.panning = e.kind == Kind::Press;
            break;
        case Kind::Move: {
            double dx = e.x - in.last_x, dy = e.y - in.last_y;
            in.last_x = e.x, in.last_y = e.y;
            scene::Orbit& o = in.stage->orbit;
            if (in.rotating) {
                o.yaw -= float(dx) * 0.008f;
                o.pitch = std::clamp(o.pitch + float(dy) * 0.008f, -1.55f, 1.55f);
            } else if (in.panning && e.height > 0) {
                float scale = 2.0f * in.distance * std::tan(o.yfov * 0.5f) / float(e.height);
                glm::mat4 v = o.view();
                glm::vec3 right(v[0][0], v[1][0], v[2][0]), up(v[0][1], v[1][1], v[2][1]);
                o.target += (-float(dx) * right + float(dy) * up) * scale;
            }
            break;
        }
        case Kind::Scroll: in.distance *= std::pow(0.9f, float(e.scroll)); break;
        case Kind::KeyUp:
        case Kind::Char: break;  // text and releases: nothing here
        case Kind::Key:
            if (e.repeat) break;  // held down: one press
            if (e.key == display::Key::F) in.frame_all = true;
            if (e.key == display::Key::F11 || e.key == display::Key::Enter) in.toggle_fullscreen = true;
            if (e.key == display::Key::Escape || e.key == display::Key::Q) w.close();
            break;
    }
}

}  // namespace

int cmd_view(int argc, char** argv) {
    std::vector<std::string> flags = kStageFlags;
    flags.insert(flags.end(), {"--size", "--frames", "--resize-to", "--record"});
    auto args = Args::parse(argc, argv, 2, flags, {"--fullscreen", "--quiet"});
    if (!args) { usage_error("view model", args.error().message); return kUsage; }
    if (args->words().empty()) {
        usage_error("view model");
        return kUsage;
    }
    if (args->has("--quiet")) log::set_quiet(true);
    auto size = args->size("--size", 1280, 720);
    auto frames = args->integer("--frames", 0);  // > 0: close after N frames (tests, soak runs)
    auto resize_to = args->size("--resize-to", 0, 0);
    if (!size || !frames || !resize_to) {
        log::error(!size ? size.error().message : !frames ? frames.error().message : resize_to.error().message);
        return kBadInput;
    }
    std::string record = args->get("--record", "");
    if (!record.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(record, ec);
        if (ec || !std::filesystem::is_directory(record)) {
            log::error(record + ": cannot make the --record folder (" + ec.message() + ")");
            return kBadInput;
        }
    }
    auto stage_r = make_stage(args->words(), args.value());
    if (!stage_r) { log::error(stage_r.error().message); return exit_code(stage_r.error().kind); }
    Stage& st = stage_r.value();

    auto win = open_window(*args, *size);
    if (!win) { log::error(win.error().message); return exit_code(win.error().kind); }
    display::Window& w = *win.value();
    auto gs_r = open_gpu_stage(st, w.rig_options(validation_requested()));
    if (!gs_r) { log::error(gs_r.error().message); return exit_code(gs_r.error().kind); }
    GpuStage& gs = *gs_r.value();
    auto finish = [&](int code) {
        if (auto r = w.finish_recording(); !r && code == kOk) {
            log::error(r.error().message);
            code = exit_code(r.error().kind);
        }
        return gs.finish(code);
    };
    if (auto r = w.attach(*gs.rig); !r) { log::error(r.error().message); return finish(exit_code(r.error().kind)); }

    OrbitInput in;
    in.stage = &st;
    frame(st, float(size->first) / float(size->second), &in.distance);
    if (st.orbit.distance > 0) in.distance = st.orbit.distance;
    log::info("view: left drag orbits, right drag pans, wheel zooms, F frames all, F11 fullscreen, Esc quits");
    auto start = std::chrono::steady_clock::now();
    int drawn = 0;
    bool resized = false;
    std::vector<render::Instance> instances;
    std::vector<render::View> views;
    // Animation plays in real time, except in test runs (--frames N), which keep --time.
    int animation = st.animations.empty() ? -1 : st.animations.front();
    float duration = animation >= 0 ? st.models.front()->animations[size_t(animation)].duration : 0;
    bool minimised = false;
    while (!w.should_close()) {
        for (const display::WindowEvent& e : w.poll_events(minimised ? 0.1 : 0)) orbit_input(in, e, w);
        uint32_t fw, fh;
        w.framebuffer_size(&fw, &fh);
        minimised = fw == 0 || fh == 0;  // draw nothing, spend nothing
        if (minimised) continue;
        if (in.toggle_fullscreen) { w.toggle_fullscreen(); in.toggle_fullscreen = false; }
        if (in.frame_all) { frame(st, float(fw) / float(fh), &in.distance); in.frame_all = false; }
        if (animation >= 0 && frames.value() == 0) {
            double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            pose_stage(st, duration > 0 ? float(std::fmod(t, double(duration))) : 0.0f);
        }
        st.orbit.distance = in.distance;
        stage_instances(st, gs.ids, instances);
        views.assign(1, stage_view(st, {0, 0, fw, fh}));
        std::string file;
        if (!record.empty()) {
            char name[32];
            std::snprintf(name, sizeof name, "/frame_%04d.png", drawn);
            file = record + name;
        }
        auto r = w.draw(instances, st.look, views, file);
        if (!r && r.error().kind == ErrorKind::DeviceLost) {
            // The kiosk path: rebuild the device, upload again, go on with the next frame.
            if (auto rec = gs.rig->recover_from(r.error()); !rec) { log::error(rec.error().message); return finish(exit_code(rec.error().kind)); }
            drawn -= int(std::min<uint32_t>(uint32_t(drawn), w.take_lost_frames()));  // draw (and record) them again
            continue;
        }
        if (!r) { log::error(r.error().message); return finish(exit_code(r.error().kind)); }
        if (r.value()) {
            ++drawn;
            gs.rig->frame_shown();
        }
        // Test hook: resize once halfway, then close after N frames.
        if (frames.value() > 0 && !resized && resize_to->first > 0 && drawn >= frames.value() / 2) {
            w.set_size(resize_to->first, resize_to->second);
            resized = true;
        }
        if (frames.value() > 0 && drawn >= frames.value()) break;
    }
    log::info("view: " + std::to_string(w.frames_presented()) + " frames presented, " +
              std::to_string(w.swapchain_recreations()) + " swapchain recreations");
    return finish(kOk);
}

}  // namespace vitrine::app
