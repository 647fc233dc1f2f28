// Live Vulkan objects, counted where the engine makes and destroys them, so that a leak of
// objects shows (VITRINE_COUNTERS=1) long before it shows in memory. gpu/vk.h maps every
// vkCreate*/vkDestroy*, vkAllocate*/vkFree* and vkReset*Pool the engine calls onto the
// counted versions in live_objects.cpp (same arguments, same result), so no call site can
// forget to count. Sets and command buffers freed with their pool are counted off with it.
// FrameLoop::submit marks frames: the report says how the counts moved per frame.
#pragma once
#include <array>
#include <cstdint>
#include <string>

namespace vitrine::gpu {

enum class Live : uint8_t {
    Buffer, Image, ImageView, Memory, Sampler, DescriptorPool, DescriptorSet, DescriptorSetLayout, CommandPool,
    CommandBuffer, Pipeline, PipelineLayout, PipelineCache, ShaderModule, RenderPass, Framebuffer, Semaphore, Fence,
    QueryPool, Swapchain, Count
};
constexpr size_t kLiveKinds = size_t(Live::Count);
const char* live_name(Live kind);  // "buffer", "image_view", ...

struct LiveObjects {
    std::array<int64_t, kLiveKinds> count{};
    int64_t memory_bytes = 0;  // in the live VkDeviceMemory blocks
    int64_t operator[](Live k) const { return count[size_t(k)]; }
    int64_t total() const;
};

// Objects alive now, process-wide (every device).
LiveObjects live_objects();

// This process's resident memory from /proc/self/status (kB; -1 where unknown).
struct Resident {
    int64_t rss_kb = -1, hwm_kb = -1;  // VmRSS now, VmHWM (the peak so far)
};
Resident resident();

// VITRINE_COUNTERS: unset, empty or 0: off; "frames": a line per frame and the report;
// anything else (1): the report at the end (display::Rig prints it).
enum class Counters { Off, Report, Frames };
Counters counters_mode();

// One frame of some output was submitted (FrameLoop::submit). With VITRINE_COUNTERS=frames
// it prints "counters: frame 12: vulkan objects 190, rss_kb 153812, hwm_kb 160040".
void live_frame_submitted();

// The counts after the last frame and how they moved: "vulkan objects after 60 frames:
// buffer 31, ... (total 190, peak 192; device memory 180.0 MiB); resident 150.1 MiB (peak
// 160.3 MiB); since frame 16: +0 objects (+0.00 per frame), resident +0.1 MiB". The
// comparison is with frame 2^k, the last power of two at most half the frames, so any
// warm-up shorter than a quarter of the run is left out.
std::string live_report();
// The objects alive now by kind ("none", or "buffer 2, fence 1"): after the last device
// is destroyed, whatever was never destroyed.
std::string live_kinds();

}  // namespace vitrine::gpu
