#include "display/canvas.h"

namespace vitrine::display {

Canvas::Canvas(gpu::Context& ctx, render::GpuScene& scene, VkFormat format, VkExtent2D extent,
               std::span<const VkImageView> images)
    : ctx_(ctx), scene_(scene), format_(format), extent_(extent) {
    for (VkImageView view : images) {
        VkFramebufferCreateInfo fi{VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO};
        fi.renderPass = scene.canvas_pass(format);
        fi.attachmentCount = 1;
        fi.pAttachments = &view;
        fi.width = extent.width;
        fi.height = extent.height;
        fi.layers = 1;
        VkFramebuffer fb;
        VK_CHECK(vkCreateFramebuffer(ctx.device(), &fi, nullptr, &fb));
        framebuffers_.push_back(fb);
    }
}

Canvas::~Canvas() {
    VkDevice dev = ctx_.device();
    std::vector<VkFramebuffer> fbs = std::move(framebuffers_);
    ctx_.defer([dev, fbs] {
        for (VkFramebuffer fb : fbs) vkDestroyFramebuffer(dev, fb, nullptr);
    });
}

Result<render::ViewTargets*> Canvas::targets(uint32_t width, uint32_t height) {
    for (auto& t : targets_)
        if (t->width == width && t->height == height) return t.get();
    auto t = scene_.make_targets(width, height);
    if (!t) return t.error();
    targets_.push_back(std::move(t.value()));
    return targets_.back().get();
}

Result<void> Canvas::draw(VkCommandBuffer cmd, uint32_t index, VkImage image, std::span<const render::View> views,
                          const Overlay* overlay, gpu::PassTimer* timer) {
    for (const render::View& v : views) {
        const render::Rect& r = v.viewport;
        if (r.x < 0 || r.y < 0 || r.width == 0 || r.height == 0 || uint64_t(r.x) + r.width > extent_.width ||
            uint64_t(r.y) + r.height > extent_.height)
            return fail("view rectangle " + std::to_string(r.x) + "," + std::to_string(r.y) + " " + std::to_string(r.width) +
                        "x" + std::to_string(r.height) + " does not fit the " + std::to_string(extent_.width) + "x" +
                        std::to_string(extent_.height) + " canvas");
    }
    VkRenderPass pass = scene_.canvas_pass(format_);
    VkFramebuffer fb = framebuffers_[index];
    // Whatever the image held (last frame, a read-back, a present) is discarded; then black.
    gpu::image_barrier(cmd, image, VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 1, VK_IMAGE_LAYOUT_UNDEFINED,
                       VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                       VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT, 0,
                       VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
                       VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_COLOR_ATTACHMENT_READ_BIT);
    VkRenderPassBeginInfo rp{VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO};
    rp.renderPass = pass;
    rp.framebuffer = fb;
    rp.renderArea = {{0, 0}, extent_};
    vkCmdBeginRenderPass(cmd, &rp, VK_SUBPASS_CONTENTS_INLINE);
    VkClearAttachment clear{VK_IMAGE_ASPECT_COLOR_BIT, 0, {}};
    clear.clearValue.color = {{0, 0, 0, 1}};
    VkClearRect rect{{{0, 0}, extent_}, 0, 1};
    vkCmdClearAttachments(cmd, 1, &clear, 1, &rect);
    vkCmdEndRenderPass(cmd);
    if (timer) timer->mark(cmd, "clear");

    for (const render::View& v : views) {
        auto t = targets(v.target_width(), v.target_height());
        if (!t) return t.error();
        scene_.draw(cmd, v, *t.value(), fb, format_, timer);
    }
    if (overlay && *overlay) (*overlay)(cmd, pass, fb, extent_);
    return {};
}

}  // namespace vitrine::display
