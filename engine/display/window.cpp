#include "display/window.h"

#define GLFW_INCLUDE_VULKAN
#include <GLFW/glfw3.h>

#include "core/log.h"

namespace vitrine::display {

Result<std::unique_ptr<Window>> Window::open(const WindowOptions& options, gpu::Validation validation) {
    std::unique_ptr<Window> w(new Window());
    if (!glfwInit()) return fail("cannot open a window: no display found (is DISPLAY set? use 'vitrine render' for headless output)");
    if (!glfwVulkanSupported()) return fail("cannot open a window: GLFW finds no Vulkan loader");
    glfwWindowHint(GLFW_CLIENT_API, GLFW_NO_API);
    GLFWmonitor* monitor = options.fullscreen ? glfwGetPrimaryMonitor() : nullptr;
    uint32_t width = options.width, height = options.height;
    if (monitor) {
        const GLFWvidmode* mode = glfwGetVideoMode(monitor);
        width = uint32_t(mode->width);
        height = uint32_t(mode->height);
    }
    w->window_ = glfwCreateWindow(int(width), int(height), options.title.c_str(), monitor, nullptr);
    if (!w->window_) return fail("cannot create a window");

    gpu::ContextOptions co;
    co.validation = validation;
    uint32_t n = 0;
    const char** exts = glfwGetRequiredInstanceExtensions(&n);
    for (uint32_t i = 0; i < n; ++i) co.instance_extensions.push_back(exts[i]);
    GLFWwindow* glfw = w->window_;
    co.make_surface = [glfw](VkInstance instance) {
        VkSurfaceKHR surface = VK_NULL_HANDLE;
        if (glfwCreateWindowSurface(instance, glfw, nullptr, &surface) != VK_SUCCESS) return VkSurfaceKHR(VK_NULL_HANDLE);
        return surface;
    };
    auto ctx = gpu::Context::create(co);
    if (!ctx) return ctx.error();
    w->ctx_ = std::move(ctx.value());
    log::info("GPU: " + w->ctx_->device_name());
    w->swapchain_ = std::make_unique<gpu::Swapchain>(*w->ctx_);
    uint32_t fw, fh;
    w->framebuffer_size(&fw, &fh);
    if (auto r = w->swapchain_->create(std::max(fw, 1u), std::max(fh, 1u)); !r) return r.error();
    auto renderer = render::Renderer::create(*w->ctx_, w->swapchain_->format(), VK_IMAGE_LAYOUT_PRESENT_SRC_KHR);
    if (!renderer) return renderer.error();
    w->renderer_ = std::move(renderer.value());
    VkExtent2D e = w->swapchain_->extent();
    if (auto r = w->renderer_->resize(e.width, e.height); !r) return r.error();
    for (uint32_t i = 0; i < w->swapchain_->image_count(); ++i)
        w->framebuffers_.push_back(w->renderer_->make_output_framebuffer(w->swapchain_->view(i)));

    VkDevice dev = w->ctx_->device();
    VkCommandPoolCreateInfo pci{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    pci.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    pci.queueFamilyIndex = w->ctx_->queue_family();
    VK_CHECK(vkCreateCommandPool(dev, &pci, nullptr, &w->pool_));
    VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    ai.commandPool = w->pool_;
    ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    ai.commandBufferCount = gpu::kFramesInFlight;
    VK_CHECK(vkAllocateCommandBuffers(dev, &ai, w->cmds_.data()));
    VkFenceCreateInfo fci{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO, nullptr, VK_FENCE_CREATE_SIGNALED_BIT};
    VkSemaphoreCreateInfo sci{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
    for (uint32_t i = 0; i < gpu::kFramesInFlight; ++i) {
        VK_CHECK(vkCreateFence(dev, &fci, nullptr, &w->fences_[i]));
        VK_CHECK(vkCreateSemaphore(dev, &sci, nullptr, &w->acquired_[i]));
    }
    glfwSetWindowUserPointer(w->window_, w.get());
    glfwSetFramebufferSizeCallback(w->window_, [](GLFWwindow* gw, int, int) {
        static_cast<Window*>(glfwGetWindowUserPointer(gw))->needs_recreate_ = true;
    });
    return w;
}

Window::~Window() {
    if (ctx_) {
        wait_frames();
        VkDevice dev = ctx_->device();
        for (VkFramebuffer fb : framebuffers_) vkDestroyFramebuffer(dev, fb, nullptr);
        for (uint32_t i = 0; i < gpu::kFramesInFlight; ++i) {
            vkDestroyFence(dev, fences_[i], nullptr);
            vkDestroySemaphore(dev, acquired_[i], nullptr);
        }
        vkDestroyCommandPool(dev, pool_, nullptr);
        renderer_.reset();
        swapchain_.reset();
        ctx_->finish_all();
        ctx_.reset();
    }
    if (window_) glfwDestroyWindow(window_);
    glfwTerminate();
}

bool Window::should_close() const { return glfwWindowShouldClose(window_); }

void Window::framebuffer_size(uint32_t* w, uint32_t* h) const {
    int fw = 0, fh = 0;
    glfwGetFramebufferSize(window_, &fw, &fh);
    *w = uint32_t(std::max(fw, 0));
    *h = uint32_t(std::max(fh, 0));
}

void Window::toggle_fullscreen() {
    if (glfwGetWindowMonitor(window_)) {
        glfwSetWindowMonitor(window_, nullptr, windowed_x_, windowed_y_, windowed_w_, windowed_h_, 0);
    } else {
        glfwGetWindowPos(window_, &windowed_x_, &windowed_y_);
        glfwGetWindowSize(window_, &windowed_w_, &windowed_h_);
        GLFWmonitor* m = glfwGetPrimaryMonitor();
        const GLFWvidmode* mode = m ? glfwGetVideoMode(m) : nullptr;
        if (mode) glfwSetWindowMonitor(window_, m, 0, 0, mode->width, mode->height, mode->refreshRate);
    }
    needs_recreate_ = true;
}

void Window::wait_frames() {
    VK_CHECK(vkWaitForFences(ctx_->device(), uint32_t(fences_.size()), fences_.data(), VK_TRUE, UINT64_MAX));
}

Result<void> Window::recreate() {
    uint32_t fw, fh;
    framebuffer_size(&fw, &fh);
    if (fw == 0 || fh == 0) return {};  // minimised: try again later
    // Every frame that could use the old images must be finished (fences, not a device wait).
    wait_frames();
    VkDevice dev = ctx_->device();
    for (VkFramebuffer fb : framebuffers_) vkDestroyFramebuffer(dev, fb, nullptr);
    framebuffers_.clear();
    if (auto r = swapchain_->create(fw, fh); !r) return r.error();
    VkExtent2D e = swapchain_->extent();
    if (auto r = renderer_->resize(e.width, e.height); !r) return r.error();
    for (uint32_t i = 0; i < swapchain_->image_count(); ++i)
        framebuffers_.push_back(renderer_->make_output_framebuffer(swapchain_->view(i)));
    needs_recreate_ = false;
    ++recreations_;
    return {};
}

Result<bool> Window::draw(const scene::Pose& pose, const render::View& view, const render::Look& look) {
    uint32_t fw, fh;
    framebuffer_size(&fw, &fh);
    if (fw == 0 || fh == 0) return false;
    if (needs_recreate_ || fw != swapchain_->extent().width || fh != swapchain_->extent().height) {
        if (auto r = recreate(); !r) return r.error();
        if (needs_recreate_) return false;
    }
    uint32_t slot = uint32_t(frame_ % gpu::kFramesInFlight);
    VkDevice dev = ctx_->device();
    VK_CHECK(vkWaitForFences(dev, 1, &fences_[slot], VK_TRUE, UINT64_MAX));
    ctx_->begin_frame_slot(slot);
    uint32_t image = 0;
    VkResult r = vkAcquireNextImageKHR(dev, swapchain_->handle(), UINT64_MAX, acquired_[slot], VK_NULL_HANDLE, &image);
    if (r == VK_ERROR_OUT_OF_DATE_KHR) {
        needs_recreate_ = true;
        return false;
    }
    if (r != VK_SUCCESS && r != VK_SUBOPTIMAL_KHR) return fail(std::string("cannot acquire a window image (") + gpu::vk_result_name(r) + ")");
    if (r == VK_SUBOPTIMAL_KHR) needs_recreate_ = true;

    VkCommandBuffer cmd = cmds_[slot];
    VK_CHECK(vkResetCommandBuffer(cmd, 0));
    VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    VK_CHECK(vkBeginCommandBuffer(cmd, &bi));
    auto rec = renderer_->record(cmd, slot, pose, view, look, framebuffers_[image]);
    VK_CHECK(vkEndCommandBuffer(cmd));
    if (!rec) return rec.error();
    VK_CHECK(vkResetFences(dev, 1, &fences_[slot]));
    VkPipelineStageFlags wait_stage = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
    VkSemaphore done = swapchain_->render_done(image);
    VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    si.waitSemaphoreCount = 1;
    si.pWaitSemaphores = &acquired_[slot];
    si.pWaitDstStageMask = &wait_stage;
    si.commandBufferCount = 1;
    si.pCommandBuffers = &cmd;
    si.signalSemaphoreCount = 1;
    si.pSignalSemaphores = &done;
    VK_CHECK(vkQueueSubmit(ctx_->queue(), 1, &si, fences_[slot]));
    VkSwapchainKHR sc = swapchain_->handle();
    VkPresentInfoKHR pi{VK_STRUCTURE_TYPE_PRESENT_INFO_KHR};
    pi.waitSemaphoreCount = 1;
    pi.pWaitSemaphores = &done;
    pi.swapchainCount = 1;
    pi.pSwapchains = &sc;
    pi.pImageIndices = &image;
    r = vkQueuePresentKHR(ctx_->queue(), &pi);
    ++frame_;
    if (r == VK_ERROR_OUT_OF_DATE_KHR || r == VK_SUBOPTIMAL_KHR) needs_recreate_ = true;
    else if (r != VK_SUCCESS) return fail(std::string("cannot present (") + gpu::vk_result_name(r) + ")");
    ++presented_;
    return true;
}

}  // namespace vitrine::display
