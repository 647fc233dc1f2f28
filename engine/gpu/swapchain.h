// The window's swapchain. Recreated by the caller when acquire/present report
// OUT_OF_DATE or SUBOPTIMAL; never created for a zero-sized (minimised) window.
#pragma once
#include <vector>

#include "core/result.h"
#include "gpu/context.h"

namespace vitrine::gpu {

class Swapchain {
public:
    explicit Swapchain(Context& ctx) : ctx_(ctx) {}
    ~Swapchain();

    // (Re)creates for a framebuffer of width x height pixels. The old swapchain is
    // passed as oldSwapchain and retired through the Context's deletion queue. A
    // surface larger than the device can draw is refused (ErrorKind::Gpu).
    // Returns false (nothing made) while the surface is 0x0, e.g. being minimised.
    Result<bool> create(uint32_t width, uint32_t height);

    VkSwapchainKHR handle() const { return swapchain_; }
    VkFormat format() const { return format_; }
    VkExtent2D extent() const { return extent_; }
    uint32_t image_count() const { return uint32_t(images_.size()); }
    VkImage image(uint32_t i) const { return images_[i]; }
    VkImageView view(uint32_t i) const { return views_[i]; }
    // One per image: signalled when rendering to that image ends, waited by present.
    VkSemaphore render_done(uint32_t i) const { return render_done_[i]; }

private:
    void retire();
    Context& ctx_;
    VkSwapchainKHR swapchain_ = VK_NULL_HANDLE;
    VkFormat format_ = VK_FORMAT_B8G8R8A8_SRGB;
    VkExtent2D extent_{};
    std::vector<VkImage> images_;
    std::vector<VkImageView> views_;
    std::vector<VkSemaphore> render_done_;
};

}  // namespace vitrine::gpu
