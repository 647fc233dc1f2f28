#include <cstdlib>

#include "app/gpu_stage.h"
#include "app/frames.h"
#include "core/log.h"

namespace vitrine::app {

GpuStage::~GpuStage() { rig.reset(); }

int GpuStage::finish(int code) { return finish_rig(rig, code); }

int finish_rig(std::unique_ptr<display::Rig>& rig, int code) {
    uint32_t messages = rig ? rig->validation_messages() : 0;
    rig.reset();
    if (messages > 0) {
        log::error(std::to_string(messages) + " Vulkan validation message(s); failing the run");
        return exit_code(ErrorKind::Validation);
    }
    return code;
}

Result<void> render_frames(display::Rig& rig, display::Offscreen& out, long count,
                           const std::function<Result<void>(long)>& submit) {
    int fruitless = 0;  // rebuilds in a row that read no frame back: a device that keeps failing
    uint64_t done_at_loss = UINT64_MAX;
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
        fruitless = out.frames_completed() == done_at_loss ? fruitless + 1 : 0;
        done_at_loss = out.frames_completed();
        if (fruitless >= 3)
            return fail(ErrorKind::DeviceLost, r.error().message + "; it was lost again after 3 rebuilds without a frame, giving up");
        if (auto rec = rig.recover(); !rec) return rec.error();
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
    // A device lost while uploading is rebuilt like one lost while drawing (a few times at most).
    int recoveries = 0;
    auto retry = [&](const Error& e) -> Result<void> {
        if (e.kind != ErrorKind::DeviceLost || ++recoveries > 3) return e;
        return gs->rig->recover();
    };
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
