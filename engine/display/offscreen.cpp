#include "display/offscreen.h"

#include "core/log.h"

#include <chrono>

namespace vitrine::display {

Result<std::unique_ptr<Offscreen>> Offscreen::create(Rig& rig, uint32_t width, uint32_t height,
                                                     const room::DisplayFile* shows) {
    std::unique_ptr<Offscreen> o(new Offscreen(width, height));
    if (shows && shows->lenticular) o->lenticular_ = *shows->lenticular;
    if (shows && !shows->lenticular) o->set_mesh_screens(*shows);
    rig.attach(o.get());
    if (auto r = o->build(); !r) return r.error();
    return o;
}

Offscreen::~Offscreen() {
    (void)finish();
    release();
}

Result<void> Offscreen::build() {
    gpu::Context& ctx = rig_->ctx();
    uint32_t max_side = std::min(ctx.limits().max_image_2d, std::min(ctx.limits().max_framebuffer_width,
                                                                     ctx.limits().max_framebuffer_height));
    if (width_ == 0 || height_ == 0 || width_ > max_side || height_ > max_side)
        return fail("output size " + std::to_string(width_) + "x" + std::to_string(height_) + " is not between 1 and " +
                    std::to_string(max_side) + " pixels a side (the limit of " + ctx.device_name() + ")");
    auto loop = gpu::FrameLoop::create(ctx, "offscreen");
    if (!loop) return loop.error();
    loop_ = std::move(loop.value());
    gpu::ImageDesc d;
    d.format = kFileFormat;
    d.width = width_;
    d.height = height_;
    d.usage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
    auto img = gpu::Image::create(ctx, d);
    if (!img) return img.error();
    image_ = std::move(img.value());
    ctx.name(VK_OBJECT_TYPE_IMAGE, image_.handle(), "offscreen canvas");
    VkImageView view = image_.view();
    canvas_ = std::make_unique<Canvas>(ctx, rig_->scene(), kFileFormat, VkExtent2D{width_, height_},
                                       std::span<const VkImageView>(&view, 1));
    if (lenticular_)
        if (auto r = canvas_->set_lenticular(*lenticular_); !r) return r;
    if (walls_)
        if (auto r = canvas_->set_mesh_screens(*walls_); !r) return r;
    capture_ = std::make_unique<Capture>(ctx);
    timer_ = std::make_unique<gpu::PassTimer>(ctx);
    keep_.fill(false);
    submitted_ = completed_;
    generation_ = rig_->generation();
    return {};
}

void Offscreen::release() {
    timer_.reset();
    capture_.reset();
    canvas_.reset();
    image_ = gpu::Image();
    loop_.reset();
    keep_.fill(false);
    submitted_ = completed_;  // frames in flight are lost with the device
}

void Offscreen::harvest(uint32_t slot) {
    if (!keep_[slot] || !capture_->pending(slot)) return;
    timer_->collect(slot);
    Image8 pixels = capture_->take(slot);
    if (paths_[slot].empty()) last_ = std::move(pixels);
    else writer_.write(paths_[slot], std::move(pixels));
    keep_[slot] = false;
    ++completed_;
}

Result<void> Offscreen::submit(std::span<const render::Instance> instances, const render::Look& look,
                               std::span<const render::View> views, const std::string& path) {
    if (!rig_) return fail(ErrorKind::Gpu, "offscreen output has no device");
    // Pyramids: a frame is only kept once every tile it wants is resident. Probe frames
    // (drawn, not read back) tell which tiles those are; settle_images() loads them.
    if (settle_tiles_ && rig_->scene().has_images())  // image frames or pyramid-textured models
        for (int probe = 0;; ++probe) {
            if (auto r = record(instances, look, views, ""); !r) return r.error();
            if (auto r = rig_->ctx().wait(loop_->submission(uint32_t((loop_->frame() - 1) % gpu::kFramesInFlight))); !r)
                return r.error();
            auto again = rig_->scene().settle_images();
            if (!again) return again.error();
            if (!again.value()) break;
            if (probe == 7) {
                log::warn("tiles were still missing after 8 passes (tile memory too small?): the frame is drawn as it is");
                break;
            }
        }
    return record(instances, look, views, path, true);
}

// Records and submits one frame; `keep`: it is read back (to `path`, or kept for image()).
Result<void> Offscreen::record(std::span<const render::Instance> instances, const render::Look& look,
                               std::span<const render::View> views, const std::string& path, bool keep) {
    if (!loop_ || generation_ != rig_->generation())
        if (auto r = build(); !r) return r.error();
    gpu::Context& ctx = rig_->ctx();
    auto cmd = loop_->begin();
    if (!cmd) return cmd.error();
    uint32_t slot = loop_->slot();
    harvest(slot);  // this slot's previous frame has completed
    auto t0 = std::chrono::steady_clock::now();
    timer_->begin(cmd.value(), slot);
    canvas_->set_eye(eye_);
    if (auto r = rig_->scene().prepare(instances, look, uint32_t(views.size()) + canvas_->extra_views(), rig_->images()); !r)
        return r.error();
    if (auto r = canvas_->draw(cmd.value(), 0, image_.handle(), views, nullptr, timer_.get(), &panels_, slot); !r) return r.error();
    if (keep) {
        ctx.begin_label(cmd.value(), "readback");
        gpu::transition(cmd.value(), image_, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                        VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT, VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT,
                        VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_READ_BIT);
        if (auto r = capture_->record(cmd.value(), slot, image_.handle(), kFileFormat, {width_, height_}); !r) return r.error();
        ctx.end_label(cmd.value());
        timer_->mark(cmd.value(), "readback");
    }
    record_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    auto v = loop_->submit();
    if (!v) return v.error();
    rig_->scene().frame_submitted(v.value());
    if (keep) {
        paths_[slot] = path;
        keep_[slot] = true;
        frame_[slot] = submitted_++;
    }
    return {};
}

Result<void> Offscreen::finish() {
    if (loop_ && rig_) {
        // Harvest in frame order (probe frames in between are never read back).
        for (uint64_t f = completed_; f < submitted_; ++f)
            for (uint32_t slot = 0; slot < gpu::kFramesInFlight; ++slot) {
                if (!keep_[slot] || frame_[slot] != f) continue;
                if (auto r = rig_->ctx().wait(loop_->submission(slot)); !r) return r.error();
                harvest(slot);
            }
    }
    if (auto r = writer_.finish(); !r) return fail(ErrorKind::Io, r.error().message);
    return {};
}

Result<Image8> Offscreen::render(std::span<const render::Instance> instances, const render::Look& look,
                                 std::span<const render::View> views) {
    if (auto r = submit(instances, look, views, ""); !r) return r.error();
    if (auto r = finish(); !r) return r.error();
    return std::move(last_);
}

}  // namespace vitrine::display
