// A GLFW window on a Vulkan swapchain. The frame loop: wait for the slot's fence,
// acquire, record, submit, present; OUT_OF_DATE / SUBOPTIMAL recreate the
// swapchain; a minimised (0x0) window skips frames. No vkDeviceWaitIdle per frame.
#pragma once
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "gpu/swapchain.h"
#include "render/renderer.h"

struct GLFWwindow;

namespace vitrine::display {

struct WindowOptions {
    uint32_t width = 1280, height = 720;
    bool fullscreen = false;
    std::string title = "Vitrine";
};

class Window {
public:
    // Opens the window and creates the Vulkan context, swapchain and a renderer
    // that draws into it.
    static Result<std::unique_ptr<Window>> open(const WindowOptions& options, gpu::Validation validation);
    ~Window();

    gpu::Context& context() { return *ctx_; }
    render::Renderer& renderer() { return *renderer_; }
    GLFWwindow* glfw() const { return window_; }
    bool should_close() const;
    void toggle_fullscreen();
    // Framebuffer size in pixels (0 when minimised).
    void framebuffer_size(uint32_t* w, uint32_t* h) const;

    // Draws and presents one frame. Returns false when nothing was drawn (minimised).
    Result<bool> draw(const scene::Pose& pose, const render::View& view, const render::Look& look);

    uint64_t frames_presented() const { return presented_; }
    uint32_t swapchain_recreations() const { return recreations_; }

private:
    Window() = default;
    Result<void> recreate();
    void wait_frames();

    GLFWwindow* window_ = nullptr;
    std::unique_ptr<gpu::Context> ctx_;
    std::unique_ptr<gpu::Swapchain> swapchain_;
    std::unique_ptr<render::Renderer> renderer_;
    std::vector<VkFramebuffer> framebuffers_;
    VkCommandPool pool_ = VK_NULL_HANDLE;
    std::array<VkCommandBuffer, gpu::kFramesInFlight> cmds_{};
    std::array<VkFence, gpu::kFramesInFlight> fences_{};
    std::array<VkSemaphore, gpu::kFramesInFlight> acquired_{};
    uint64_t frame_ = 0, presented_ = 0;
    uint32_t recreations_ = 0;
    bool needs_recreate_ = false;
    int windowed_x_ = 0, windowed_y_ = 0, windowed_w_ = 0, windowed_h_ = 0;
};

}  // namespace vitrine::display
