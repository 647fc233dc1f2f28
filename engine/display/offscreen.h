// Renders Views into an image in memory, with no window system: the path for
// `vitrine render`, golden tests and benchmarks. Two frames in flight.
#pragma once
#include <array>
#include <memory>

#include "render/renderer.h"

namespace vitrine::display {

// Output format of files: 8-bit sRGB RGBA.
constexpr VkFormat kFileFormat = VK_FORMAT_R8G8B8A8_SRGB;
constexpr VkImageLayout kFileLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;

class Offscreen {
public:
    // `renderer` must have been created with kFileFormat / kFileLayout.
    static Result<std::unique_ptr<Offscreen>> create(gpu::Context& ctx, render::Renderer& renderer, uint32_t width,
                                                     uint32_t height);
    ~Offscreen();

    // Renders one frame and returns its pixels (waits for the GPU).
    Result<Image8> render(const scene::Pose& pose, const render::View& view, const render::Look& look);
    // Queues a frame without reading it back, keeping at most two in flight.
    Result<void> submit(const scene::Pose& pose, const render::View& view, const render::Look& look);
    // Waits for every queued frame.
    void wait();

private:
    Offscreen(gpu::Context& ctx, render::Renderer& r) : ctx_(ctx), renderer_(r) {}
    gpu::Context& ctx_;
    render::Renderer& renderer_;
    gpu::Image target_;
    VkFramebuffer framebuffer_ = VK_NULL_HANDLE;
    VkCommandPool pool_ = VK_NULL_HANDLE;
    std::array<VkCommandBuffer, gpu::kFramesInFlight> cmds_{};
    std::array<VkFence, gpu::kFramesInFlight> fences_{};
    uint64_t frame_ = 0;
};

}  // namespace vitrine::display
