// A GLFW window on a Vulkan swapchain, drawing through the rig's one device. The frame:
// the frame loop's slot, acquire, views into the canvas (the swapchain image), optional
// capture of exactly what is shown (`--record`), present. OUT_OF_DATE / SUBOPTIMAL
// recreate the swapchain (the old one is retired, not destroyed under a present); a
// minimised window skips frames; a window larger than the device can draw is refused.
#pragma once
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/png_writer.h"
#include "display/canvas.h"
#include "display/capture.h"
#include "display/rig.h"
#include "display/window_events.h"
#include "gpu/frame_loop.h"
#include "gpu/swapchain.h"

struct GLFWwindow;
struct GLFWmonitor;

namespace vitrine::display {

struct WindowOptions {
    uint32_t width = 1280, height = 720;
    bool fullscreen = false;
    // Fullscreen on this monitor: by GLFW's name ("HDMI-1"), else by index in its list,
    // else (or when it is not there: one warning) the primary.
    std::string monitor;
    int monitor_index = -1;
    std::string title = "Vitrine";
};

class Window : public Output {
public:
    // Opens the window (no device yet): create the Rig with rig_options(), then attach().
    static Result<std::unique_ptr<Window>> open(const WindowOptions& options);
    ~Window() override;

    RigOptions rig_options(gpu::Validation validation) const;
    Result<void> attach(Rig& rig);

    // The input since the last call (GLFW polled here), in order. `wait_seconds` > 0: wait up
    // to that long for something to happen first (a minimised window spends nothing).
    std::vector<WindowEvent> poll_events(double wait_seconds = 0);
    bool should_close() const;
    void close();
    void set_title(const std::string& title);
    void set_size(uint32_t width, uint32_t height);  // window coordinates
    void toggle_fullscreen();
    bool fullscreen() const;
    // GLFW's news of a monitor connected or disconnected (see window.cpp).
    void monitor_changed(GLFWmonitor* monitor, bool connected);
    // Tests and the soak: the window's monitor disconnected and connected again, as GLFW
    // would tell it (a fullscreen window is put in a window first).
    void simulate_monitor_loss();
    // Framebuffer size in pixels (0 when minimised).
    void framebuffer_size(uint32_t* w, uint32_t* h) const;

    // Draws and presents one frame whose views were made for framebuffer_size(). With a
    // `record` path, the presented picture is also written there as PNG (worker thread).
    // Returns false when nothing was drawn (minimised, or the swapchain was just recreated).
    Result<bool> draw(std::span<const render::Instance> instances, const render::Look& look,
                      std::span<const render::View> views, const std::string& record = "");
    // Drawn over every frame after the views (a viewer's scale bar); empty: nothing.
    void set_overlay(Overlay overlay) { overlay_ = std::move(overlay); }
    // Panels (a status panel, ImGui's draw data) drawn over every frame after everything
    // else, on the native picture (a lenticular panel's interleaved one), until replaced;
    // an empty list draws nothing. Kept through a lost device.
    void set_overlay(OverlayList panels) { panels_ = std::move(panels); }
    // Waits for the recorded files; the first write error.
    Result<void> finish_recording();

    uint64_t frames_presented() const { return presented_; }
    // Frames that were in flight when the device was lost (never shown or recorded);
    // the caller draws them again. Reading it resets it.
    uint32_t take_lost_frames() {
        uint32_t n = lost_frames_;
        lost_frames_ = 0;
        return n;
    }
    uint32_t swapchain_recreations() const { return recreations_; }
    void release() override;
    // A wall with curved (mesh) screens (call before attach): each frame also draws them,
    // warped on the GPU (the views given are the planar screens'); the eye they are seen from.
    void set_mesh_screens(const room::DisplayFile& display) { walls_ = display, eye_ = display.viewer.eye; }
    void set_eye(const glm::dvec3& eye) { eye_ = eye; }
    // A lenticular panel (call before attach): the views given to each frame go into its
    // quilt, and the window shows the interleaved native picture (the GPU interleave pass).
    void set_lenticular(const room::Lenticular& lkg) { lenticular_ = lkg; }

private:
    Overlay overlay_;
    OverlayList panels_;
    Window() = default;
    WindowOptions options_;     // where it was asked to be: fullscreen goes back there
    bool monitor_lost_ = false;  // its monitor was disconnected while fullscreen
    GLFWmonitor* fullscreen_on_ = nullptr;  // the monitor it is (or was last) fullscreen on
    Result<void> build();
    Result<void> recreate();
    void harvest(uint32_t slot);

    GLFWwindow* window_ = nullptr;
    std::vector<WindowEvent> events_;  // filled by GLFW's callbacks, handed out by poll_events
    void push(WindowEvent e);
    uint64_t generation_ = 0;
    std::optional<room::Lenticular> lenticular_;
    std::optional<room::DisplayFile> walls_;
    glm::dvec3 eye_{0};
    std::unique_ptr<gpu::Swapchain> swapchain_;
    std::unique_ptr<gpu::FrameLoop> loop_;
    std::unique_ptr<Canvas> canvas_;
    std::unique_ptr<Capture> capture_;
    std::array<VkSemaphore, gpu::kFramesInFlight> acquired_{};
    std::array<std::string, gpu::kFramesInFlight> record_paths_;
    std::array<bool, gpu::kFramesInFlight> in_flight_{};
    uint32_t lost_frames_ = 0;
    uint64_t presented_ = 0;
    uint32_t recreations_ = 0;
    bool needs_recreate_ = false;
    int windowed_x_ = 0, windowed_y_ = 0, windowed_w_ = 0, windowed_h_ = 0;
    PngWriter writer_{2, 4};
};

}  // namespace vitrine::display
