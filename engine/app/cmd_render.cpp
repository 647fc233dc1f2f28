#include <cmath>
#include <cstdio>

#include "app/args.h"
#include "app/commands.h"
#include "app/usage.h"
#include "app/frames.h"
#include "app/gpu_stage.h"
#include "core/log.h"
#include "display/offscreen.h"

namespace vitrine::app {

namespace {

// The squarest grid of at least n cells: columns >= rows.
std::pair<uint32_t, uint32_t> squarest_grid(uint32_t n) {
    uint32_t c = uint32_t(std::ceil(std::sqrt(double(n))));
    return {c, (n + c - 1) / c};
}

std::string numbered(const std::string& path, int index) {
    char tag[16];
    std::snprintf(tag, sizeof tag, "_%04d", index);
    size_t dot = path.rfind('.');
    size_t slash = path.rfind('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) dot = path.size();
    return path.substr(0, dot) + tag + path.substr(dot);
}

}  // namespace

int cmd_render(int argc, char** argv) {
    std::vector<std::string> flags = kStageFlags;
    flags.insert(flags.end(), {"--out", "--size", "--frames", "--fps", "--turnaround", "--grid"});
    auto args = Args::parse(argc, argv, 2, flags, {"--quiet", "--force"});
    if (!args) { usage_error("render model", args.error().message); return kUsage; }
    if (args->words().empty() || !args->has("--out")) {
        usage_error("render model");
        return kUsage;
    }
    if (args->has("--quiet")) log::set_quiet(true);
    auto size = args->size("--size", 1920, 1080);
    if (!size) { log::error(size.error().message); return kBadInput; }
    auto frames = args->integer("--frames", 1);
    auto fps = args->number("--fps", 30);
    if (!frames || frames.value() < 1 || frames.value() > 1000000) { log::error("--frames expects a count of 1 or more"); return kBadInput; }
    if (!fps || fps.value() <= 0) { log::error("--fps expects a rate above 0"); return kBadInput; }
    auto [w, h] = size.value();

    // Views: one filling the canvas, or a turnaround sheet of N yaws in a C x R grid.
    auto turnaround = args->integer("--turnaround", 0);
    if (!turnaround || turnaround.value() < 0 || turnaround.value() > 1024 ||
        (args->has("--turnaround") && turnaround.value() == 0)) {
        log::error("--turnaround expects a number of views from 1 to 1024");
        return kBadInput;
    }
    uint32_t n = uint32_t(turnaround.value()), cols = 1, rows = 1;
    if (n > 0) {
        std::tie(cols, rows) = squarest_grid(n);
        if (args->has("--grid")) {
            auto g = args->size("--grid", 1, 1);
            if (!g) { log::error("--grid expects CxR, e.g. 4x2"); return kBadInput; }
            std::tie(cols, rows) = g.value();
            if (uint64_t(cols) * rows < n) {
                log::error("--grid " + std::to_string(cols) + "x" + std::to_string(rows) + " has fewer than " +
                           std::to_string(n) + " cells");
                return kBadInput;
            }
        }
        if (w / cols == 0 || h / rows == 0) { log::error("--size is too small for a " + std::to_string(cols) + "x" + std::to_string(rows) + " grid"); return kBadInput; }
        if (args->has("--camera")) {
            usage_error("render model", "--turnaround turns the orbit camera; it cannot use --camera");
            return kUsage;
        }
    } else if (args->has("--grid")) {
        usage_error("render model", "--grid arranges a --turnaround sheet");
        return kUsage;
    }

    auto stage_r = make_stage(args->words(), args.value());
    if (!stage_r) { log::error(stage_r.error().message); return exit_code(stage_r.error().kind); }
    Stage& st = stage_r.value();
    // Never over a model, its buffers or textures, or the environment (make_stage protected them).
    outputs::set_force(args->has("--force"));
    std::string path = args->get("--out", "");
    long count = frames.value();
    for (long i = 0; i < count; ++i) {
        if (auto ok = outputs::check(count > 1 ? numbered(path, int(i)) : path, outputs::Kind::Png); !ok) {
            log::error(ok.error().message);
            return kBadInput;
        }
    }
    stop_on_signals();
    display::RigOptions ro;
    ro.validation = validation_requested();
    auto gs_r = open_gpu_stage(st, ro);
    if (!gs_r) { log::error(gs_r.error().message); return exit_code(gs_r.error().kind); }
    GpuStage& gs = *gs_r.value();
    auto out_r = display::Offscreen::create(*gs.rig, w, h);
    if (!out_r) { log::error(out_r.error().message); return gs.finish(exit_code(out_r.error().kind)); }
    display::Offscreen& out = *out_r.value();

    std::vector<render::View> views;
    auto make_views = [&] {
        views.clear();
        if (n == 0) {
            views.push_back(stage_view(st, {0, 0, w, h}));
            return;
        }
        uint32_t cw = w / cols, ch = h / rows;
        for (uint32_t i = 0; i < n; ++i) {
            render::Rect r{int32_t((i % cols) * cw), int32_t((i / cols) * ch), cw, ch};
            views.push_back(stage_view(st, r, 2.0f * 3.14159265358979f * float(i) / float(n)));
        }
    };
    // One frame, or a sequence FILE_0000.png ... at show times t0 + i / fps. Frames are
    // pipelined and encoded on worker threads; after a lost device the frames not yet
    // read back are rendered again, so the files are the same as without the fault.
    std::vector<render::Instance> instances;
    float t0 = st.time;
    auto start = std::chrono::steady_clock::now();
    auto done = render_frames(*gs.rig, out, count, [&](long i) {
        progress(i + 1, count, start);
        pose_stage(st, count > 1 ? t0 + float(i) / fps.value() : t0);
        stage_instances(st, gs.ids, instances);
        make_views();
        return out.submit(instances, st.look, views, count > 1 ? numbered(path, int(i)) : path);
    });
    if (!done) { log::error(done.error().message); return gs.finish(exit_code(done.error().kind)); }
    log::info("wrote " + (count > 1 ? std::to_string(count) + " frames " + numbered(path, 0) + " ..." : path) + " (" +
              std::to_string(w) + "x" + std::to_string(h) + (n ? ", " + std::to_string(n) + " views" : "") + ")");
    print_counters(gs);
    out_r.value().reset();
    return gs.finish(kOk);
}

}  // namespace vitrine::app
