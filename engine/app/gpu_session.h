// A headless GPU session: context (validation per VITRINE_VALIDATION), renderer
// writing 8-bit sRGB images, environment and model uploaded.
#pragma once
#include <memory>

#include "app/stage.h"
#include "display/offscreen.h"
#include "gpu/context.h"

namespace vitrine::app {

struct GpuSession {
    std::unique_ptr<gpu::Context> ctx;
    std::unique_ptr<render::Renderer> renderer;
    // Exit code for the end of a run: kValidation when validation spoke.
    int finish(int code);
    ~GpuSession();
};

// Errors are returned with their exit code in `*code`.
Result<std::unique_ptr<GpuSession>> open_gpu_session(int* code);
Result<void> load_stage(GpuSession& session, const Stage& stage, int* code);

}  // namespace vitrine::app
