// Where a session's frames go: a window on a monitor (`run`, `kiosk`, the soak), or files
// (`render SCENE`: each frame to the path given for it, pipelined, read back in order).
// The session draws the same picture into either; only these differ: input (a window's
// events; files have none), presenting, and what a lost device costs (a window draws the
// next frame; files must be drawn again from the first one not read back).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "display/offscreen.h"
#include "display/window.h"
#include "room/display_file.h"

namespace vitrine::session {

class Output {
public:
    virtual ~Output() = default;
    // Made with the rig: shows `display` (a lenticular panel's quilt interleaved, a wall's
    // curved screens warped) when there is one.
    virtual Result<void> attach(display::Rig& rig, const std::optional<room::DisplayFile>& display) = 0;
    virtual void size(uint32_t* width, uint32_t* height) const = 0;  // pixels; 0 when minimised
    virtual std::vector<display::WindowEvent> poll_events(double wait_seconds) = 0;
    // One frame through `views`; `path`: also (a window) or only (files) written there as
    // PNG. True when it was shown (a window) or queued (files).
    virtual Result<bool> draw(std::span<const render::Instance> instances, const render::Look& look,
                              std::span<const render::View> views, const std::string& path) = 0;
    virtual void set_overlay(display::OverlayList panels) = 0;
    virtual void set_eye(const glm::dvec3& eye) = 0;
    // Files: waits for the frames in flight; a lost device loses them (frames_written()
    // says where to start again).
    virtual Result<void> finish() { return {}; }
    virtual uint64_t frames_written() const { return 0; }
    // A window's.
    virtual void set_title(const std::string&) {}
    virtual void toggle_fullscreen() {}
    virtual void close() {}
    virtual bool closing() const { return false; }
};

std::unique_ptr<Output> window_output(display::Window& window);
std::unique_ptr<Output> file_output(uint32_t width, uint32_t height);

}  // namespace vitrine::session
