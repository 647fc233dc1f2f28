#include <cstdlib>

#include "app/gpu_stage.h"
#include "app/frames.h"
#include "core/log.h"

namespace vitrine::app {

GpuStage::~GpuStage() { rig.reset(); }

int GpuStage::finish(int code) { return display::finish_rig(rig, code); }

Result<void> render_frames(display::Rig& rig, display::Offscreen& out, long count,
                           const std::function<Result<void>(long)>& submit) {
    uint64_t done_at_loss = UINT64_MAX;  // frames read back when the device was last lost
    for (long i = 0; i <= count;) {
        if (i < count && stop_requested()) {  // finish the frames in flight, then stop
            if (auto r = out.finish(); !r && r.error().kind != ErrorKind::DeviceLost) return r.error();
            return stopped(long(out.frames_completed()));
        }
        Result<void> r = i < count ? submit(i) : out.finish();
        if (r) {
            ++i;
            continue;
        }
        if (r.error().kind != ErrorKind::DeviceLost) return r.error();
        if (out.frames_completed() != done_at_loss) rig.frame_shown();
        done_at_loss = out.frames_completed();
        if (auto rec = rig.recover_from(r.error()); !rec) return rec.error();
        i = long(out.frames_completed());
    }
    return {};
}

Result<std::unique_ptr<GpuStage>> open_gpu_stage(Stage& stage, const display::RigOptions& options) {
    auto gs = std::make_unique<GpuStage>();
    auto env = load_environment(stage.env_spec);
    if (!env) return env.error();
    gs->environment = std::move(env.value());
    auto rig = display::Rig::create(options);
    if (!rig) return rig.error();
    gs->rig = std::move(rig.value());
    // A device lost while uploading is rebuilt like one lost while drawing.
    auto retry = [&](const Error& e) { return gs->rig->recover_from(e); };
    for (;;) {
        auto r = gs->rig->set_environment(gs->environment);
        if (r) break;
        if (auto again = retry(r.error()); !again) return again.error();
    }
    for (const auto& m : stage.models) {
        for (;;) {
            auto id = gs->rig->add_model(*m);
            if (id) {
                gs->ids.push_back(id.value());
                break;
            }
            // recover() uploads every model registered so far, this one included; the
            // next add_model finds it.
            if (auto again = retry(id.error()); !again) return again.error();
        }
    }
    return gs;
}

Result<std::unique_ptr<display::Window>> open_window(const Args& args, std::pair<uint32_t, uint32_t> size) {
    display::WindowOptions wo;
    wo.width = size.first;
    wo.height = size.second;
    wo.fullscreen = args.has("--fullscreen");
    wo.title = "Vitrine — " + args.words()[0];
    return display::Window::open(wo);
}

void print_counters(const GpuStage& gs) {
    const char* c = std::getenv("VITRINE_COUNTERS");
    if (!c || std::string(c) != "1" || !gs.rig) return;
    std::fprintf(stderr, "counters: models_uploaded=%zu model_bytes=%llu\n", gs.rig->scene().model_count(),
                 static_cast<unsigned long long>(gs.rig->scene().model_bytes()));
}

}  // namespace vitrine::app
