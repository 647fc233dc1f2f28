#include "display/offscreen.h"

namespace vitrine::display {

Result<std::unique_ptr<Offscreen>> Offscreen::create(gpu::Context& ctx, render::Renderer& renderer, uint32_t width,
                                                     uint32_t height) {
    std::unique_ptr<Offscreen> o(new Offscreen(ctx, renderer));
    if (auto r = renderer.resize(width, height); !r) return r.error();
    gpu::ImageDesc d;
    d.format = kFileFormat;
    d.width = width;
    d.height = height;
    d.usage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
    auto img = gpu::Image::create(ctx, d);
    if (!img) return img.error();
    o->target_ = std::move(img.value());
    o->framebuffer_ = renderer.make_output_framebuffer(o->target_.view());
    VkCommandPoolCreateInfo pci{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    pci.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    pci.queueFamilyIndex = ctx.queue_family();
    VK_CHECK(vkCreateCommandPool(ctx.device(), &pci, nullptr, &o->pool_));
    VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    ai.commandPool = o->pool_;
    ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    ai.commandBufferCount = gpu::kFramesInFlight;
    VK_CHECK(vkAllocateCommandBuffers(ctx.device(), &ai, o->cmds_.data()));
    VkFenceCreateInfo fci{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO, nullptr, VK_FENCE_CREATE_SIGNALED_BIT};
    for (VkFence& f : o->fences_) VK_CHECK(vkCreateFence(ctx.device(), &fci, nullptr, &f));
    return o;
}

Offscreen::~Offscreen() {
    wait();
    VkDevice dev = ctx_.device();
    vkDestroyFramebuffer(dev, framebuffer_, nullptr);
    for (VkFence f : fences_) vkDestroyFence(dev, f, nullptr);
    vkDestroyCommandPool(dev, pool_, nullptr);
}

Result<void> Offscreen::submit(const scene::Pose& pose, const render::View& view, const render::Look& look) {
    uint32_t slot = uint32_t(frame_ % gpu::kFramesInFlight);
    VK_CHECK(vkWaitForFences(ctx_.device(), 1, &fences_[slot], VK_TRUE, UINT64_MAX));
    ctx_.begin_frame_slot(slot);
    VkCommandBuffer cmd = cmds_[slot];
    VK_CHECK(vkResetCommandBuffer(cmd, 0));
    VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    VK_CHECK(vkBeginCommandBuffer(cmd, &bi));
    auto rec = renderer_.record(cmd, slot, pose, view, look, framebuffer_);
    VK_CHECK(vkEndCommandBuffer(cmd));
    if (!rec) return rec.error();
    VK_CHECK(vkResetFences(ctx_.device(), 1, &fences_[slot]));
    VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    si.commandBufferCount = 1;
    si.pCommandBuffers = &cmd;
    VK_CHECK(vkQueueSubmit(ctx_.queue(), 1, &si, fences_[slot]));
    ++frame_;
    return {};
}

void Offscreen::wait() {
    VK_CHECK(vkWaitForFences(ctx_.device(), uint32_t(fences_.size()), fences_.data(), VK_TRUE, UINT64_MAX));
}

Result<Image8> Offscreen::render(const scene::Pose& pose, const render::View& view, const render::Look& look) {
    if (auto r = submit(pose, view, look); !r) return r.error();
    wait();
    return gpu::read_back(ctx_, target_);
}

}  // namespace vitrine::display
