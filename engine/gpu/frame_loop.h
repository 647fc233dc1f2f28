// The one frame loop every output uses: kFramesInFlight command buffers, each reused
// once the submission that last ran it has completed on the Context's timeline (a
// timeline semaphore, or fences where the device has none). begin() also runs the
// Context's deferred destructions that are due. No vkDeviceWaitIdle per frame.
#pragma once
#include <array>
#include <memory>
#include <span>
#include <string>

#include "gpu/context.h"

namespace vitrine::gpu {

class FrameLoop {
public:
    static Result<std::unique_ptr<FrameLoop>> create(Context& ctx, const std::string& name);
    ~FrameLoop();
    FrameLoop(const FrameLoop&) = delete;
    FrameLoop& operator=(const FrameLoop&) = delete;

    // Waits until this slot's previous frame has completed, then begins recording.
    Result<VkCommandBuffer> begin();
    // Ends recording and submits (device loss comes back as ErrorKind::DeviceLost).
    Result<uint64_t> submit(std::span<const SemaphoreUse> waits = {}, std::span<const VkSemaphore> signals = {});

    uint32_t slot() const { return uint32_t(frame_ % kFramesInFlight); }
    uint64_t frame() const { return frame_; }  // frames submitted so far
    // The submission that last used `slot` (0: none).
    uint64_t submission(uint32_t slot) const { return submitted_[slot]; }
    // Abandons the frame being recorded (e.g. the swapchain image could not be acquired).
    void cancel() { recording_ = false; }
    // Waits for every frame this loop submitted (not the whole device).
    Result<void> wait_all();

private:
    explicit FrameLoop(Context& ctx) : ctx_(ctx) {}
    Context& ctx_;
    VkCommandPool pool_ = VK_NULL_HANDLE;
    std::array<VkCommandBuffer, kFramesInFlight> cmds_{};
    std::array<uint64_t, kFramesInFlight> submitted_{};
    uint64_t frame_ = 0;
    bool recording_ = false;
};

}  // namespace vitrine::gpu
