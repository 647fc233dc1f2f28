#include <chrono>
#include <cstdio>

#include "app/args.h"
#include "app/commands.h"
#include "app/gpu_session.h"
#include "core/log.h"

namespace vitrine::app {

GpuSession::~GpuSession() {
    renderer.reset();
    if (ctx) ctx->finish_all();
}

int GpuSession::finish(int code) {
    if (ctx && ctx->validation_messages() > 0) {
        log::error(std::to_string(ctx->validation_messages()) + " Vulkan validation message(s); failing the run");
        return kValidation;
    }
    return code;
}

Result<std::unique_ptr<GpuSession>> open_gpu_session(int* code) {
    auto s = std::make_unique<GpuSession>();
    gpu::ContextOptions co;
    co.validation = validation_requested();
    auto ctx = gpu::Context::create(co);
    if (!ctx) { *code = kGpuFailure; return ctx.error(); }
    s->ctx = std::move(ctx.value());
    log::info("GPU: " + s->ctx->device_name() + (s->ctx->validation_enabled() ? " (validation on)" : ""));
    auto r = render::Renderer::create(*s->ctx, display::kFileFormat, display::kFileLayout);
    if (!r) { *code = kGpuFailure; return r.error(); }
    s->renderer = std::move(r.value());
    return s;
}

Result<void> load_stage(GpuSession& s, const Stage& stage, int* code) {
    auto env = load_environment(stage.env_spec);
    if (!env) { *code = kBadInput; return env.error(); }
    if (auto r = s.renderer->set_environment(env.value()); !r) { *code = kGpuFailure; return r.error(); }
    if (auto r = s.renderer->set_model(stage.model); !r) { *code = kGpuFailure; return r.error(); }
    return {};
}

int cmd_render(int argc, char** argv) {
    std::vector<std::string> flags = kStageFlags;
    flags.insert(flags.end(), {"--out", "--size", "--frames", "--fps"});
    auto args = Args::parse(argc, argv, 2, flags, {"--quiet"});
    if (!args) { log::error(args.error().message); return kUsage; }
    if (args->words().size() != 1 || !args->has("--out")) {
        log::error("usage: vitrine render MODEL --out FILE.png [--size WxH] [--frames N --fps F] [render options]");
        return kUsage;
    }
    if (args->has("--quiet")) log::set_quiet(true);
    auto size = args->size("--size", 1920, 1080);
    if (!size) { log::error(size.error().message); return kBadInput; }
    auto stage = make_stage(args->words()[0], args.value());
    if (!stage) { log::error(stage.error().message); return kBadInput; }

    int code = kOk;
    auto session = open_gpu_session(&code);
    if (!session) { log::error(session.error().message); return code; }
    GpuSession& s = *session.value();
    if (auto r = load_stage(s, stage.value(), &code); !r) { log::error(r.error().message); return s.finish(code); }
    auto [w, h] = size.value();
    auto out = display::Offscreen::create(*s.ctx, *s.renderer, w, h);
    if (!out) { log::error(out.error().message); return s.finish(kGpuFailure); }
    // One frame, or a sequence FILE_0000.png ... at show times t0 + i / fps.
    auto frames = args->integer("--frames", 1);
    auto fps = args->number("--fps", 30);
    if (!frames || frames.value() < 1 || frames.value() > 1000000) { log::error("--frames expects a count of 1 or more"); return s.finish(kBadInput); }
    if (!fps || fps.value() <= 0) { log::error("--fps expects a rate above 0"); return s.finish(kBadInput); }
    std::string path = args->get("--out", "");
    Stage& st = stage.value();
    float t0 = st.time;
    for (int i = 0; i < frames.value(); ++i) {
        std::string file = path;
        if (frames.value() > 1) {
            char index[16];
            std::snprintf(index, sizeof index, "_%04d", i);
            size_t dot = path.rfind('.');
            size_t slash = path.rfind('/');
            if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) dot = path.size();
            file = path.substr(0, dot) + index + path.substr(dot);
            st.time = t0 + float(i) / fps.value();
            st.pose = scene::evaluate_pose(st.model, st.animation, st.time);
        }
        auto image = out.value()->render(st.pose, stage_view(st, w, h), st.look);
        if (!image) { log::error(image.error().message); return s.finish(kGpuFailure); }
        if (auto r = write_png(file, image.value()); !r) { log::error(r.error().message); return s.finish(kBadInput); }
        log::info("wrote " + file + " (" + std::to_string(w) + "x" + std::to_string(h) + ", show time " + std::to_string(st.time) + " s)");
    }
    out.value().reset();
    return s.finish(kOk);
}

}  // namespace vitrine::app
