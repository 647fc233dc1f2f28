// Renders frames into an image in memory, with no window system: the path for
// `vitrine render`, turnaround sheets, line-ups, golden tests and benchmarks. Frames are
// pipelined: kFramesInFlight in flight, each read back in its own command buffer, and
// PNG files encoded and written on worker threads, so a sequence runs at the speed of
// rendering. After a lost device (Rig::recover) it rebuilds itself on the next frame;
// frames_completed() says where to start again.
#pragma once
#include <array>
#include <memory>
#include <optional>
#include <string>

#include "core/png_writer.h"
#include "display/canvas.h"
#include "display/capture.h"
#include "display/rig.h"
#include "gpu/frame_loop.h"

namespace vitrine::display {

// Files are 8-bit sRGB RGBA.
constexpr VkFormat kFileFormat = VK_FORMAT_R8G8B8A8_SRGB;

class Offscreen : public Output {
public:
    // With `shows`, frames show that display: a lenticular panel's views go into its
    // quilt and the file gets the interleaved native picture (the GPU interleave pass); a
    // wall's mesh screens are drawn and warped on the GPU besides the views given.
    static Result<std::unique_ptr<Offscreen>> create(Rig& rig, uint32_t width, uint32_t height,
                                                     const room::DisplayFile* shows = nullptr);
    ~Offscreen() override;

    // Queues one frame: the instances through `views` (rectangles of the canvas). Its
    // pixels go to `path` as PNG (or, with an empty path, are kept for image()).
    Result<void> submit(std::span<const render::Instance> instances, const render::Look& look,
                        std::span<const render::View> views, const std::string& path);
    // Waits for every queued frame and file; the first write error, if any.
    Result<void> finish();
    // One frame, waited for, returned.
    Result<Image8> render(std::span<const render::Instance> instances, const render::Look& look,
                          std::span<const render::View> views);

    // Benchmarks: CPU seconds spent preparing and recording frames, and GPU time per pass.
    double record_seconds() const { return record_seconds_; }
    std::string pass_times() const { return timer_ ? timer_->report() : ""; }
    void reset_timers() {
        record_seconds_ = 0;
        if (timer_) timer_->reset();
    }
    // Frames read back, in order (after a lost device, the first frame to render again).
    uint64_t frames_completed() const { return completed_; }
    void release() override;
    // Pyramids: false = frames are drawn with the tiles there are (a live output's
    // behaviour, for benchmarks); true (default) = each frame waits for every tile it wants.
    void set_settle_tiles(bool settle) { settle_tiles_ = settle; }
    // Panels drawn over every frame after everything else, on the native picture (a
    // lenticular panel's interleaved one), until replaced; empty: nothing. As
    // Window::set_overlay, so overlays are tested headless.
    void set_overlay(OverlayList panels) { panels_ = std::move(panels); }
    // The eye a wall's mesh screens are seen from (a tracked viewer).
    void set_eye(const glm::dvec3& eye) { eye_ = eye; }

private:
    Offscreen(uint32_t w, uint32_t h) : width_(w), height_(h) {}
    Result<void> build();
    void harvest(uint32_t slot);
    Result<void> record(std::span<const render::Instance> instances, const render::Look& look,
                        std::span<const render::View> views, const std::string& path, bool keep = false);

    uint32_t width_, height_;
    uint64_t generation_ = 0;
    std::optional<room::Lenticular> lenticular_;
    bool settle_tiles_ = true;
    std::optional<room::DisplayFile> walls_;
    glm::dvec3 eye_{0};
    OverlayList panels_;
    void set_mesh_screens(const room::DisplayFile& display) { walls_ = display, eye_ = display.viewer.eye; }
    std::unique_ptr<gpu::FrameLoop> loop_;
    gpu::Image image_;
    std::unique_ptr<Canvas> canvas_;
    std::unique_ptr<Capture> capture_;
    std::unique_ptr<gpu::PassTimer> timer_;
    double record_seconds_ = 0;
    std::array<std::string, gpu::kFramesInFlight> paths_;
    std::array<bool, gpu::kFramesInFlight> keep_{};
    std::array<uint64_t, gpu::kFramesInFlight> frame_{};  // the frame number a kept slot holds
    uint64_t submitted_ = 0, completed_ = 0;
    Image8 last_;
    PngWriter writer_{2, 4};
};

}  // namespace vitrine::display
