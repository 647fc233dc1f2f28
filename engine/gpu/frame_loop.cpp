#include "gpu/frame_loop.h"

#include "gpu/live_objects.h"

namespace vitrine::gpu {

Result<std::unique_ptr<FrameLoop>> FrameLoop::create(Context& ctx, const std::string& name) {
    std::unique_ptr<FrameLoop> f(new FrameLoop(ctx));
    VkCommandPoolCreateInfo pci{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    pci.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    pci.queueFamilyIndex = ctx.queue_family();
    VK_CHECK(vkCreateCommandPool(ctx.device(), &pci, nullptr, &f->pool_));
    VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    ai.commandPool = f->pool_;
    ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    ai.commandBufferCount = kFramesInFlight;
    VK_CHECK(vkAllocateCommandBuffers(ctx.device(), &ai, f->cmds_.data()));
    for (uint32_t i = 0; i < kFramesInFlight; ++i)
        ctx.name(VK_OBJECT_TYPE_COMMAND_BUFFER, f->cmds_[i], name + " frame " + std::to_string(i));
    return f;
}

FrameLoop::~FrameLoop() {
    if (recording_) vkEndCommandBuffer(cmds_[slot()]);
    // Its command buffers may still run: destroy the pool once they have.
    VkDevice dev = ctx_.device();
    VkCommandPool pool = pool_;
    ctx_.defer([dev, pool] { vkDestroyCommandPool(dev, pool, nullptr); });
}

Result<VkCommandBuffer> FrameLoop::begin() {
    uint32_t s = slot();
    if (auto r = ctx_.wait(submitted_[s]); !r) return r.error();
    ctx_.collect();
    VkCommandBuffer cmd = cmds_[s];
    VK_CHECK(vkResetCommandBuffer(cmd, 0));
    VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    VK_CHECK(vkBeginCommandBuffer(cmd, &bi));
    recording_ = true;
    return cmd;
}

Result<uint64_t> FrameLoop::submit(std::span<const SemaphoreUse> waits, std::span<const VkSemaphore> signals) {
    uint32_t s = slot();
    VkCommandBuffer cmd = cmds_[s];
    VK_CHECK(vkEndCommandBuffer(cmd));
    recording_ = false;
    auto v = ctx_.submit(std::span<const VkCommandBuffer>(&cmd, 1), waits, signals);
    if (!v) return v.error();
    submitted_[s] = v.value();
    ++frame_;
    live_frame_submitted();  // VITRINE_COUNTERS: live objects and memory per frame
    return v;
}

Result<void> FrameLoop::wait_all() {
    uint64_t last = 0;
    for (uint64_t v : submitted_) last = std::max(last, v);
    return ctx_.wait(last);
}

}  // namespace vitrine::gpu
