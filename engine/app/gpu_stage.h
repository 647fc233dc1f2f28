// A stage on the GPU: the rig (one device, one GpuScene) with the stage's models and
// environment uploaded. The environment lives here as long as the rig, which keeps a
// reference to re-upload it after a lost device.
#pragma once
#include <functional>
#include <memory>

#include "app/stage.h"
#include "display/offscreen.h"
#include "display/rig.h"
#include "display/window.h"
#include "app/args.h"

namespace vitrine::app {

struct GpuStage {
    ImageF environment;
    std::unique_ptr<display::Rig> rig;
    std::vector<render::ModelId> ids;  // per stage model
    ~GpuStage();
    // Exit code for the end of a run: 4 when validation spoke, else `code`.
    int finish(int code);
};

// Renders frames 0 .. count-1 through `out` (submit(i) queues frame i), then waits for
// every file. After a lost device the rig is rebuilt and rendering goes on from the first
// frame not read back, so the files equal a run without the fault; three rebuilds in a
// row without a frame give up (ErrorKind::DeviceLost).
Result<void> render_frames(display::Rig& rig, display::Offscreen& out, long count,
                           const std::function<Result<void>(long)>& submit);

// The window of `view` and `run`: --size, --fullscreen, titled after the file shown.
Result<std::unique_ptr<display::Window>> open_window(const Args& args, std::pair<uint32_t, uint32_t> size);

// The rig's options other than the window's (validation per VITRINE_VALIDATION).
Result<std::unique_ptr<GpuStage>> open_gpu_stage(Stage& stage, const display::RigOptions& options);
// Prints "counters: ..." when VITRINE_COUNTERS=1 (tests read GPU memory per model this way).
void print_counters(const GpuStage& gs);

}  // namespace vitrine::app
