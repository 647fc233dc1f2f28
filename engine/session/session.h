// A live session: one show running on the wall clock, drawn to its outputs and heard
// through its sound, for as long as the installation runs. `run` is a thin command over
// it (and the coming `edit`, `kiosk` and cluster ranks). Each frame is one step(): the
// inputs of the frame (window, OSC control port, the caller's own), the clock, the
// show's events, hot reload, sound, the picture — and a lost device recovered by the
// rig's one rule.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "audio/layout.h"
#include "display/window.h"
#include "room/display_file.h"
#include "session/clock.h"
#include "session/events.h"
#include "session/output.h"
#include "session/repeats.h"
#include "session/show_audio.h"
#include "session/show_stage.h"
#include "show/live.h"
#include "show/osc.h"

namespace vitrine::edit {
class Document;
}

namespace vitrine::session {

struct SessionOptions {
    std::string scene;                       // the scene file
    std::optional<room::DisplayFile> display;  // a wall or lenticular panel the window shows; none: the scene's camera
    show::ShowOptions show;                  // aspect, hook limits; time of day comes from the clock
    std::optional<double> time_of_day;       // fixed time of day at show time 0 (`--clock`); none: civil time
    display::RigOptions rig;                 // the window's (Window::rig_options), tile memory, fades
    std::optional<show::OscOptions> osc;     // the control port; none: no OSC
    std::optional<audio::Layout> audio;      // the default output in this layout; none: silent
    double seek = 0;                         // start at this show time
    std::string state;                       // start in this state ("": the scene's start state)
    // false: a render (`render SCENE`): files not followed (no hot reload in the middle of
    // a sequence), outgoing OSC logged instead of sent, show time may go back (after a
    // lost device, frames are drawn again from the first not read back: seeking equals playing).
    bool live = true;
    // A window's frames also written as RECORD/frame_0000.png, ... (by frames shown; a frame
    // lost with the device leaves its number unused).
    std::string record;
};

// The frame times of the last kFrames frames shown (seconds between presents, on the
// steady clock), for p50/p99 without growing.
class FrameTimes {
public:
    static constexpr size_t kFrames = 1024;
    void add(double seconds);
    double percentile(double p) const;  // p in 0..1; 0 when no frame was timed
    size_t count() const { return count_; }

private:
    double ring_[kFrames] = {};
    size_t next_ = 0, count_ = 0;
};

// What a session has done since it opened: the kiosk's status line, its metrics page
// and the soak read it between steps.
struct Health {
    uint64_t frames_shown = 0;
    uint64_t frames_dropped = 0;  // frames drawn but not presented (a lost device, a swapchain being remade)
    uint64_t device_losses = 0;
    uint64_t reloads_good = 0, reloads_failed = 0;
    uint64_t touches = 0;         // touches and clicks, from any source
    FrameTimes frame_times;
};

class Session {
public:
    // Loads the scene (its problems are printed), opens the control port and the sound,
    // and makes the rig with the window attached. The clock starts now.
    static Result<std::unique_ptr<Session>> open(const SessionOptions& options, display::Window& window,
                                                 ShowClock clock = ShowClock());
    // The same into any output (files: session/output.h).
    static Result<std::unique_ptr<Session>> open(const SessionOptions& options, std::unique_ptr<Output> output,
                                                 ShowClock clock);
    ~Session();

    // One frame, with `events` (besides the window's and the control port's).
    // Ok: it goes on (whether a frame was shown: frames_shown()); an error ends the session.
    // `draw` false: the show, its sound and its files move on but no picture is drawn (the
    // soak samples frames; a kiosk always draws).
    Result<void> step(std::vector<Event> events = {}, bool draw = true);
    bool closing() const { return out_ && out_->closing(); }
    Output& output() { return *out_; }
    // Files: waits for the frames in flight. A lost device is rebuilt (the rig's one rule)
    // and counted in health(); the frames from output().frames_written() on are lost.
    Result<void> finish_frames();
    // A show's own inputs at their own times (`render --inputs`).
    void input(show::Input in);

    show::Show& show() { return live_->show(); }
    const ShowClock& clock() const { return clock_; }
    uint64_t frames_shown() const { return health_.frames_shown; }
    const Health& health() const { return health_; }
    // "off" (no sound asked for), "ok", "silent" (the device is gone; retried) or
    // "degraded" (some sound files could not be decoded).
    std::string audio_status() const;
    audio::Engine* sound() { return sound_.engine.get(); }
    show::LiveShow& live() { return *live_; }
    // The next frame shown is also written to `png` (the window's recording; a soak looks
    // at the picture after each fault).
    void record_next(std::string png) { record_ = std::move(png); }
    // The technician's status panel over the picture (state, show time, cue, frame rate,
    // frames dropped, device losses, sound, reloads, touches, time of day): key I or OSC
    // /vitrine/panel [on|off]. Drawn by the window's overlay pass, over the finished
    // picture (on a lenticular panel over the interleaved one, only in its box).
    void show_panel(bool on) { panel_ = on; }
    bool panel_shown() const { return panel_; }
    ShowStage& stage() { return stage_; }
    const show::Frame& frame() const { return stage_.frame; }  // the frame last drawn
    const room::DisplayFile* display() const { return options_.display ? &*options_.display : nullptr; }
    float aspect() const { return aspect_; }                    // of the picture last drawn

    // The scene file open for editing (engine/edit): opened on first use (null, with one
    // logged line, when it cannot be). Its edits — OSC /vitrine/edit "COMMAND", the
    // editor's panels — replace the running show at the same show time once they leave
    // it without problems; until saved they live only in the document (the file on
    // disk, and a reload of it, are not touched).
    edit::Document* document();
    // The editor's document (already open) instead of one opened on first use.
    void set_document(std::unique_ptr<edit::Document> document);
    // The node under (x, y) of the picture (0..1, y down) in the frame last drawn, or -1.
    int pick(float x, float y) const;
    // The editor's: a window event the callback returns true for is its own (a click on a
    // panel) and never becomes a touch or a key of the show.
    void set_window_filter(std::function<bool(const display::WindowEvent&)> filter) { window_filter_ = std::move(filter); }
    // The editor's camera instead of the show's (none: the show's); walls keep their eye.
    void set_camera(std::optional<show::FrameCamera> camera) { camera_ = std::move(camera); }
    // On a wall: only its planar screen `index` (in the display file's order of planar
    // screens), fitted to the window; -1: the whole canvas (the editor's View menu).
    void set_screen(int index) { screen_ = index; }
    // Drawn over the picture after the status panel (the editor's panels), every frame until replaced.
    void set_overlay(display::OverlayList list) { overlay_ = std::move(list); }
    uint16_t osc_port() const { return osc_ ? osc_->port() : 0; }
    // Exit code at the end (the rig destroyed here): 4 when validation spoke, else `code`.
    int finish(int code);

private:
    Session(const SessionOptions& options, std::unique_ptr<Output> output, ShowClock clock);
    void gather(std::vector<Event>& events);          // the window's and the port's
    void handle(const Event& e, double now);
    void seek(double t);
    void eye(const glm::dvec3& eye);
    void status(uint64_t sender);
    void edit(const Event& e);
    void follow_document();
    Result<void> reload();
    void report();                                    // the show's warnings, log lines, outgoing OSC, state
    void keep_sound();
    void follow_civil_time(double now);                                // reopen a lost sound device now and then
    std::vector<render::View> views(uint32_t width, uint32_t height);
    int pick_on_wall(float px, float py) const;

    SessionOptions options_;
    ShowClock clock_;
    std::optional<ShowClock> before_seek_;  // the clock to go back to when a seek is abandoned
    std::unique_ptr<show::LiveShow> live_;
    std::unique_ptr<show::OscServer> osc_;
    ShowStage stage_;
    std::unique_ptr<Output> out_;         // after the stage: gone before its rig
    uint64_t written_at_loss_ = UINT64_MAX;  // files: frames read back when the device was last lost
    Result<void> lost(const Error& e);    // a lost device (or another error) from drawing
    ShowAudio sound_;
    glm::dvec3 eye_{0};
    std::vector<render::View> views_;     // of the last frame drawn (touches pick through them)
    float aspect_ = 16.0f / 9.0f;         // of the last frame drawn
    std::string state_;                   // the state last reported
    double sound_retry_ = 0, sound_wait_ = 1.5;
    Health health_;
    std::string record_;
    bool panel_ = false;
    void draw_panel(uint32_t width, uint32_t height);
    double last_present_ = 0;             // steady clock, of the last frame shown (0: none yet)
    std::vector<show::OscMessage> messages_;
    Repeats warnings_;                    // the show's warnings, repeats counted
    std::function<bool(const display::WindowEvent&)> window_filter_;
    std::optional<show::FrameCamera> camera_;
    int screen_ = -1;
    display::OverlayList overlay_;
    std::unique_ptr<edit::Document> document_;
    bool document_failed_ = false;
    uint64_t document_version_ = 0;       // the document's version the running show was made from
    double document_checked_ = 0;         // steady seconds the file on disk was last compared
    static constexpr int kEditsPerFrame = 8;  // OSC /vitrine/edit commands taken in one step
    int edits_this_frame_ = 0;
};

}  // namespace vitrine::session
