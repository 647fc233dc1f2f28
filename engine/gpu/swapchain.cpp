#include "gpu/swapchain.h"

#include <algorithm>

namespace vitrine::gpu {

Swapchain::~Swapchain() { retire(); }

// The old swapchain, its views and present semaphores may still be used by frames in
// flight and by presents waiting on those semaphores: they are destroyed once every
// submission made so far has completed, never at once.
void Swapchain::retire() {
    VkDevice dev = ctx_.device();
    std::vector<VkImageView> views = std::move(views_);
    std::vector<VkSemaphore> sems = std::move(render_done_);
    ctx_.defer([dev, views, sems] {
        for (VkImageView v : views) vkDestroyImageView(dev, v, nullptr);
        for (VkSemaphore s : sems) vkDestroySemaphore(dev, s, nullptr);
    });
    views_.clear();
    render_done_.clear();
    images_.clear();
    if (swapchain_) {
        VkSwapchainKHR sc = swapchain_;
        ctx_.defer([dev, sc] { vkDestroySwapchainKHR(dev, sc, nullptr); });
        swapchain_ = VK_NULL_HANDLE;
    }
}

Result<bool> Swapchain::create(uint32_t width, uint32_t height) {
    VkSurfaceCapabilitiesKHR caps;
    VkResult cr = vkGetPhysicalDeviceSurfaceCapabilitiesKHR(ctx_.physical(), ctx_.surface(), &caps);
    if (cr != VK_SUCCESS) return fail(ErrorKind::Gpu, std::string("cannot query the window surface (") + vk_result_name(cr) + ")");
    uint32_t n = 0;
    vkGetPhysicalDeviceSurfaceFormatsKHR(ctx_.physical(), ctx_.surface(), &n, nullptr);
    std::vector<VkSurfaceFormatKHR> formats(n);
    vkGetPhysicalDeviceSurfaceFormatsKHR(ctx_.physical(), ctx_.surface(), &n, formats.data());
    if (formats.empty()) return fail(ErrorKind::Gpu, "the window surface offers no pixel formats");
    VkSurfaceFormatKHR chosen = formats[0];
    for (auto f : formats)
        if ((f.format == VK_FORMAT_B8G8R8A8_SRGB || f.format == VK_FORMAT_R8G8B8A8_SRGB) &&
            f.colorSpace == VK_COLOR_SPACE_SRGB_NONLINEAR_KHR) {
            chosen = f;
            break;
        }
    if (caps.currentExtent.width != UINT32_MAX) extent_ = caps.currentExtent;
    else extent_ = {std::clamp(width, caps.minImageExtent.width, caps.maxImageExtent.width),
                    std::clamp(height, caps.minImageExtent.height, caps.maxImageExtent.height)};
    if (extent_.width == 0 || extent_.height == 0) return false;
    uint32_t max_side = std::min(ctx_.limits().max_image_2d,
                                 std::min(ctx_.limits().max_framebuffer_width, ctx_.limits().max_framebuffer_height));
    if (extent_.width > max_side || extent_.height > max_side)
        return fail(ErrorKind::Gpu, "the window is " + std::to_string(extent_.width) + "x" + std::to_string(extent_.height) +
                                        " pixels but " + ctx_.device_name() + " draws at most " + std::to_string(max_side) +
                                        " pixels a side; use a smaller window or one output per screen");
    uint32_t count = std::max(caps.minImageCount + 1, 3u);
    if (caps.maxImageCount) count = std::min(count, caps.maxImageCount);

    VkSwapchainCreateInfoKHR ci{VK_STRUCTURE_TYPE_SWAPCHAIN_CREATE_INFO_KHR};
    ci.surface = ctx_.surface();
    ci.minImageCount = count;
    ci.imageFormat = chosen.format;
    ci.imageColorSpace = chosen.colorSpace;
    ci.imageExtent = extent_;
    ci.imageArrayLayers = 1;
    ci.imageUsage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
    ci.imageSharingMode = VK_SHARING_MODE_EXCLUSIVE;
    ci.preTransform = caps.currentTransform;
    ci.compositeAlpha = VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR;
    ci.presentMode = VK_PRESENT_MODE_FIFO_KHR;  // always available; no tearing on a wall
    ci.clipped = VK_TRUE;
    ci.oldSwapchain = swapchain_;
    VkSwapchainKHR next;
    VkResult r = vkCreateSwapchainKHR(ctx_.device(), &ci, nullptr, &next);
    if (r == VK_ERROR_DEVICE_LOST) return ctx_.device_lost("vkCreateSwapchainKHR");
    if (r != VK_SUCCESS) return fail(ErrorKind::Gpu, std::string("cannot create the swapchain (") + vk_result_name(r) + ")");
    // The old swapchain is retired (destroyed after the frames that use it), not destroyed now.
    VkSwapchainKHR old = swapchain_;
    swapchain_ = VK_NULL_HANDLE;
    retire();
    if (old) {
        VkDevice dev = ctx_.device();
        ctx_.defer([dev, old] { vkDestroySwapchainKHR(dev, old, nullptr); });
    }
    swapchain_ = next;
    format_ = chosen.format;
    vkGetSwapchainImagesKHR(ctx_.device(), swapchain_, &n, nullptr);
    images_.resize(n);
    vkGetSwapchainImagesKHR(ctx_.device(), swapchain_, &n, images_.data());
    for (VkImage img : images_) {
        VkImageViewCreateInfo vi{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
        vi.image = img;
        vi.viewType = VK_IMAGE_VIEW_TYPE_2D;
        vi.format = format_;
        vi.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
        VkImageView v;
        VK_CHECK(vkCreateImageView(ctx_.device(), &vi, nullptr, &v));
        views_.push_back(v);
        VkSemaphoreCreateInfo si{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
        VkSemaphore s;
        VK_CHECK(vkCreateSemaphore(ctx_.device(), &si, nullptr, &s));
        render_done_.push_back(s);
    }
    return true;
}

}  // namespace vitrine::gpu
