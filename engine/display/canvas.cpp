#include "display/canvas.h"

#include "core/log.h"
#include "display/screens.h"
#include "room/warp.h"

#include <algorithm>
#include <cmath>

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

// How many views from the first can share one multiview pass (at most `limit`): same
// size, not turned or overscanned, and looking the same way (a quilt's views differ only
// in where the eye is), so one back-to-front order serves them all.
size_t Canvas::batchable(std::span<const render::View> views, uint32_t limit) {
    const render::View& a = views[0];
    auto plain = [](const render::View& v) { return v.orientation_code() == 0 && v.overscan == 0; };
    if (!plain(a)) return 1;
    size_t n = 1;
    while (n < views.size() && n < limit) {
        const render::View& b = views[n];
        if (!plain(b) || b.viewport.width != a.viewport.width || b.viewport.height != a.viewport.height ||
            glm::mat3(b.view) != glm::mat3(a.view))
            break;
        ++n;
    }
    return n;
}

Result<render::ViewTargets*> Canvas::targets(uint32_t width, uint32_t height, uint32_t layers) {
    for (Targets& t : targets_)
        if (t.targets->width == width && t.targets->height == height && t.targets->layers == layers) {
            t.last_frame = frame_;
            return t.targets.get();
        }
    auto t = scene_.make_targets(width, height, layers);
    if (!t) return t.error();
    targets_.push_back({std::move(t.value()), frame_});
    return targets_.back().targets.get();
}

Result<void> Canvas::set_lenticular(const room::Lenticular& lkg) {
    gpu::ImageDesc d;
    d.format = VK_FORMAT_R8G8B8A8_SRGB;
    d.width = uint32_t(lkg.quilt.width);
    d.height = uint32_t(lkg.quilt.height);
    d.usage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_SAMPLED_BIT;
    auto img = gpu::Image::create(ctx_, d);
    if (!img) return img.error();
    quilt_ = std::move(img.value());
    VkImageView view = quilt_.view();
    quilt_canvas_ = std::make_unique<Canvas>(ctx_, scene_, d.format, VkExtent2D{d.width, d.height}, std::span(&view, 1));
    interleave_ = std::make_unique<render::InterleavePass>(ctx_, scene_.canvas_pass(format_));
    interleave_->set_quilt(view);
    room::InterleaveParams p = room::interleave_params(lkg.calibration);
    room::TileRect t = room::quilt_tile(lkg.quilt, 0);
    shader::InterleaveParams& u = interleave_params_;
    u.lens = glm::vec4(float(p.pitch), float(p.tilt), float(p.center), float(p.subp));
    int flags = (p.inv_view ? INTERLEAVE_INV_VIEW : 0) | (p.flip_x ? INTERLEAVE_FLIP_X : 0) |
                (p.flip_y ? INTERLEAVE_FLIP_Y : 0) | (p.flip_subp ? INTERLEAVE_FLIP_SUBP : 0);
    u.grid = glm::vec4(float(lkg.views), float(lkg.quilt.columns), float(lkg.quilt.rows), float(flags));
    u.sizes = glm::vec4(float(t.width), float(t.height), float(lkg.quilt.width), float(lkg.quilt.height));
    u.panel = glm::vec4(float(extent_.width), float(extent_.height), 0, 0);
    if (int64_t(extent_.width) != lkg.calibration.screen_w || int64_t(extent_.height) != lkg.calibration.screen_h)
        log::warn("the lenticular picture is " + std::to_string(extent_.width) + "x" + std::to_string(extent_.height) +
                  ", the panel's native size is " + std::to_string(lkg.calibration.screen_w) + "x" +
                  std::to_string(lkg.calibration.screen_h) + ": it is right only at that size (fullscreen on the panel)");
    return {};
}

Result<void> Canvas::set_mesh_screens(const room::DisplayFile& d) {
    viewer_ = d.viewer;
    eye_ = d.viewer.eye;
    display_w_ = double(d.canvas_width);
    display_h_ = double(d.canvas_height);
    uint32_t count = 0;
    for (const room::Screen& s : d.screens) count += s.planar ? 0 : 1;
    if (count == 0) return {};
    warp_ = std::make_unique<render::WarpPass>(ctx_, scene_.canvas_pass(format_), count);
    const gpu::DeviceLimits& lim = ctx_.limits();
    int64_t max_side = std::min<int64_t>({lim.max_image_2d, lim.max_framebuffer_width, lim.max_framebuffer_height,
                                          room::kMeshPictureSide});
    // Two picture pixels for each pixel this output shows (the canvas may be fitted smaller).
    double fit = std::min({1.0, double(extent_.width) / display_w_, double(extent_.height) / display_h_});
    for (const room::Screen& s : d.screens) {
        if (s.planar) continue;
        room::MeshView mv = room::mesh_view(s, d.viewer, 0.5 / fit, max_side);
        if (mv.width <= 0 || mv.height <= 0)
            return fail(ErrorKind::BadInput, "screen '" + s.name + "': the mesh reaches 180 degrees or more around the eye");
        MeshScreen m;
        m.screen = s;
        m.width = uint32_t(mv.width);
        m.height = uint32_t(mv.height);
        m.frustum = mv.frustum;
        gpu::ImageDesc desc;
        desc.format = VK_FORMAT_R8G8B8A8_SRGB;
        desc.width = m.width;
        desc.height = m.height;
        desc.usage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_SAMPLED_BIT;
        auto img = gpu::Image::create(ctx_, desc);
        if (!img) return img.error();
        m.picture = std::move(img.value());
        VkImageView view = m.picture.view();
        m.canvas = std::make_unique<Canvas>(ctx_, scene_, desc.format, VkExtent2D{m.width, m.height}, std::span(&view, 1));
        std::vector<render::WarpVertex> vertices;
        for (size_t i = 0; i < s.mesh.positions.size(); ++i)
            vertices.push_back({glm::vec3(s.mesh.positions[i]), glm::vec2(room::canvas_point(s, s.mesh.uvs[i]))});
        if (auto r = warp_->add_mesh(vertices, s.mesh.indices, view); !r) return r;
        meshes_.push_back(std::move(m));
    }
    return {};
}

Result<void> Canvas::draw(VkCommandBuffer cmd, uint32_t index, VkImage image, std::span<const render::View> views,
                          const Overlay* overlay, gpu::PassTimer* timer, const OverlayList* panels, uint32_t slot) {
    // Mesh screens: each one's eye picture first (its own canvas), read by the warp below.
    std::vector<room::Frustum> mesh_frusta;
    for (MeshScreen& m : meshes_) {
        room::Viewer viewer = viewer_;
        viewer.eye = eye_;
        room::MeshView mv = room::mesh_view(m.screen, viewer, 0.5, 1);  // the frustum; the size stays as made
        if (mv.width > 0) m.frustum = mv.frustum;  // an eye the mesh cannot be seen from keeps the last good one
        mesh_frusta.push_back(m.frustum);
        mv.frustum = m.frustum;
        render::View v = to_view(mv.frustum, {0, 0, m.width, m.height});
        if (auto r = m.canvas->draw(cmd, 0, m.picture.handle(), std::span(&v, 1), nullptr, timer); !r) return r;
        gpu::image_barrier(cmd, m.picture.handle(), VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 1, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                           VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
                           VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT, VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT,
                           VK_ACCESS_SHADER_READ_BIT);
    }
    if (quilt_canvas_) {
        // The views into the quilt, then the quilt (read by the interleave) into this canvas.
        if (auto r = quilt_canvas_->draw(cmd, 0, quilt_.handle(), views, nullptr, timer); !r) return r;
        gpu::image_barrier(cmd, quilt_.handle(), VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 1, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                           VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
                           VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT, VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT,
                           VK_ACCESS_SHADER_READ_BIT);
        views = {};
    }
    for (const render::View& v : views) {
        const render::Rect& r = v.viewport;
        if (r.x < 0 || r.y < 0 || r.width == 0 || r.height == 0 || uint64_t(r.x) + r.width > extent_.width ||
            uint64_t(r.y) + r.height > extent_.height)
            return fail("view rectangle " + std::to_string(r.x) + "," + std::to_string(r.y) + " " + std::to_string(r.width) +
                        "x" + std::to_string(r.height) + " does not fit the " + std::to_string(extent_.width) + "x" +
                        std::to_string(extent_.height) + " canvas");
    }
    // Targets no view used in the last frame go (a tiled canvas's edge tiles have sizes of
    // their own); their images are freed once the GPU is done with them.
    ++frame_;
    std::erase_if(targets_, [&](const Targets& t) { return t.last_frame + 1 < frame_; });
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

    // Views that can share a multiview pass go in batches (a quilt's); the rest one by one.
    // A batch's targets have a layer per view (~56 bytes a pixel each): at most 256 MiB
    // of them, and runs split into batches of equal size (48 = 24 + 24, not 32 + 16).
    uint32_t batch = scene_.frame_batches() ? scene_.multiview_batch() : 0;
    for (size_t i = 0; i < views.size();) {
        size_t n = 1;
        if (batch >= 2) {
            uint64_t pixels = uint64_t(views[i].target_width()) * views[i].target_height();
            uint32_t limit = uint32_t(std::clamp<uint64_t>((256ull << 20) / std::max<uint64_t>(pixels * 56, 1), 1, batch));
            size_t run = limit >= 2 ? batchable(views.subspan(i), UINT32_MAX) : 1;
            size_t batches = (run + limit - 1) / limit;
            n = limit >= 2 ? std::min(run, (run + batches - 1) / batches) : 1;
        }
        if (n >= 2) {
            auto t = targets(views[i].target_width(), views[i].target_height(), uint32_t(n));
            if (!t) return t.error();
            scene_.draw_batch(cmd, views.subspan(i, n), *t.value(), fb, format_, timer);
        } else {
            auto t = targets(views[i].target_width(), views[i].target_height(), 1);
            if (!t) return t.error();
            scene_.draw(cmd, views[i], *t.value(), fb, format_, timer);
        }
        i += std::max<size_t>(n, 1);
    }
    if (!meshes_.empty()) {
        // The canvas fitted into this output as fit_views() fits the planar screens.
        double s = std::min(double(extent_.width) / display_w_, double(extent_.height) / display_h_);
        double ox = std::floor((extent_.width - display_w_ * s) / 2), oy = std::floor((extent_.height - display_h_ * s) / 2);
        VkRenderPassBeginInfo wp{VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO};
        wp.renderPass = pass;
        wp.framebuffer = fb;
        wp.renderArea = {{0, 0}, extent_};
        vkCmdBeginRenderPass(cmd, &wp, VK_SUBPASS_CONTENTS_INLINE);
        for (size_t i = 0; i < meshes_.size(); ++i) {
            const room::Region& r = meshes_[i].screen.region;
            auto at = [&](double v, double o, uint32_t limit) {
                return std::clamp<int64_t>(int64_t(std::lround(o + v * s)), 0, limit);
            };
            int64_t x0 = at(double(r.x), ox, extent_.width), x1 = at(double(r.x + r.width), ox, extent_.width);
            int64_t y0 = at(double(r.y), oy, extent_.height), y1 = at(double(r.y + r.height), oy, extent_.height);
            if (x1 <= x0 || y1 <= y0) continue;
            shader::WarpParams p{};
            p.eye_view_proj = glm::mat4(mesh_frusta[i].proj * mesh_frusta[i].view);
            p.fit = glm::vec4(float(s), float(ox), float(oy), 0);
            p.target = glm::vec4(float(extent_.width), float(extent_.height), 0, 0);
            warp_->record(cmd, uint32_t(i), p, VkRect2D{{int32_t(x0), int32_t(y0)}, {uint32_t(x1 - x0), uint32_t(y1 - y0)}});
        }
        vkCmdEndRenderPass(cmd);
        for (MeshScreen& m : meshes_)
            gpu::image_barrier(cmd, m.picture.handle(), VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 1,
                               VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                               VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT, 0, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
                               VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT);
        if (timer) timer->mark(cmd, "mesh warp");
    }
    if (interleave_) {
        VkRenderPassBeginInfo ip{VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO};
        ip.renderPass = pass;
        ip.framebuffer = fb;
        ip.renderArea = {{0, 0}, extent_};
        vkCmdBeginRenderPass(cmd, &ip, VK_SUBPASS_CONTENTS_INLINE);
        interleave_->record(cmd, interleave_params_, extent_);
        vkCmdEndRenderPass(cmd);
        // Back to an attachment, after the reads: the next frame's views draw into it again.
        gpu::image_barrier(cmd, quilt_.handle(), VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 1, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL,
                           VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT, 0,
                           VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT, VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT);
        if (timer) timer->mark(cmd, "interleave");
    }
    if (overlay && *overlay) (*overlay)(cmd, pass, fb, extent_);
    if (panels && !panels->empty()) {
        if (!panels_) {
            auto p = OverlayPass::create({&ctx_, pass, 0, gpu::kFramesInFlight, format_, VK_SAMPLE_COUNT_1_BIT});
            if (!p) return p.error();
            panels_ = std::move(p.value());
        }
        VkRenderPassBeginInfo op{VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO};
        op.renderPass = pass;
        op.framebuffer = fb;
        op.renderArea = {{0, 0}, extent_};
        vkCmdBeginRenderPass(cmd, &op, VK_SUBPASS_CONTENTS_INLINE);
        auto r = panels_->record(cmd, slot % gpu::kFramesInFlight, *panels, extent_);
        vkCmdEndRenderPass(cmd);
        if (!r) return r;
        if (timer) timer->mark(cmd, "overlay");
    }
    // The views' tile feedback (fragment shader writes) made visible to the CPU, which
    // reads it once this submission has completed (render::VirtualTexture).
    if (scene_.has_images()) {
        VkMemoryBarrier feedback{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
        feedback.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT;
        feedback.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
        vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &feedback, 0,
                             nullptr, 0, nullptr);
    }
    return {};
}

}  // namespace vitrine::display
