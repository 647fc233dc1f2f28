// `vitrine run SCENE`: the show in a window, on the wall clock — a thin command over a
// session::Session (engine/session/session.h), which does the work: a click is a touch,
// the OSC control port drives it from another program, the scene's files are watched
// and a good new version replaces the running one at the same show time and state.
#include <csignal>
#include <cstdlib>
#include <filesystem>

#include <unistd.h>

#include "app/args.h"
#include "app/commands.h"
#include "app/usage.h"
#include "app/frames.h"
#include "app/gpu_stage.h"
#include "audio/layout.h"
#include "core/log.h"
#include "display/window.h"
#include "session/metrics.h"
#include "session/session.h"

namespace vitrine::app {

int cmd_run(int argc, char** argv) {
    const double began = session::steady_seconds();  // the metrics page's uptime
    auto args = Args::parse(argc, argv, 2,
                            {"--size", "--seek", "--state", "--osc-host", "--osc-port", "--osc-secret", "--frames", "--clock", "--display",
                             "--tile-memory", "--audio-layout", "--hook-budget-ms", "--metrics-port", "--record"},
                            {"--fullscreen", "--no-osc", "--quiet", "--no-audio"});
    if (!args) { usage_error("run", args.error().message); return kUsage; }
    if (args->words().size() != 1) {
        usage_error("run");
        return kUsage;
    }
    if (args->has("--quiet")) log::set_quiet(true);
    auto size = args->size("--size", 1280, 720);
    auto seek = args->seconds("--seek", 0);
    auto frames = args->integer("--frames", 0);  // > 0: close after N frames (tests)
    auto port = args->integer("--osc-port", 9000);
    auto metrics_port = args->integer("--metrics-port", 0);
    for (const Error* e : {size ? nullptr : &size.error(), seek ? nullptr : &seek.error(),
                           frames ? nullptr : &frames.error(), port ? nullptr : &port.error(),
                           metrics_port ? nullptr : &metrics_port.error()})
        if (e) { log::error(e->message); return kBadInput; }
    if (*port < 0 || *port > 65535) { log::error("--osc-port expects 0..65535"); return kBadInput; }
    if (*metrics_port < 0 || *metrics_port > 65535) { log::error("--metrics-port expects 0..65535"); return kBadInput; }
    // An LED wall or lenticular panel: its canvas, scaled to fit the window.
    std::optional<room::DisplayFile> led;
    if (args->has("--display")) {
        led = session::load_display_file(args->get("--display", ""));
        if (!led) return kBadInput;
        if (led->lenticular)
            log::info("run: a lenticular panel: the quilt interleaved for the panel on the GPU (fullscreen on the panel, "
                      "or --size " + std::to_string(led->lenticular->calibration.screen_w) + "x" +
                      std::to_string(led->lenticular->calibration.screen_h) + ")");
    }
    const char* display = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    if ((!display || !*display) && (!wayland || !*wayland)) {
        log::error("vitrine run: no display (DISPLAY and WAYLAND_DISPLAY are unset); render the show to files with "
                   "`vitrine render " + args->words()[0] + " --out DIR/%05d.png --from 0 --to 20 --fps 10`");
        return kGpuFailure;
    }

    session::SessionOptions so;
    so.scene = args->words()[0];
    so.display = led;
    so.seek = *seek;
    so.state = args->get("--state", "");
    if (args->has("--clock")) {
        auto c = session::parse_clock(args->get("--clock", ""));
        if (!c) { log::error(c.error().message); return kBadInput; }
        so.time_of_day = *c;
    }
    so.show.aspect = float(size->first) / float(size->second);
    // Live, no hook call may hold the show longer than this (engine/show/hooks.h).
    auto hook_ms = args->integer("--hook-budget-ms", 50);
    if (!hook_ms || *hook_ms <= 0) {
        log::error(hook_ms ? "--hook-budget-ms expects a number of milliseconds above 0" : hook_ms.error().message);
        return kBadInput;
    }
    so.show.hook_limits.wall_seconds = *hook_ms / 1000.0;
    if (!args->has("--no-osc")) {
        show::OscOptions oo;
        oo.host = args->get("--osc-host", "127.0.0.1");
        oo.port = uint16_t(*port);
        oo.secret = args->get("--osc-secret", "");
        so.osc = oo;
    }
    if (!args->has("--no-audio")) {
        auto layout = audio::parse_layout(args->get("--audio-layout", "stereo"));
        if (!layout) { log::error(layout.error().message); return kBadInput; }
        so.audio = *layout;
    }
    auto memory = tile_memory_option(*args);
    if (!memory) { log::error(memory.error().message); return kBadInput; }
    so.record = args->get("--record", "");  // what the window shows, frame by frame (as view --record)
    if (!so.record.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(so.record, ec);
        if (ec || !std::filesystem::is_directory(so.record)) {
            log::error(so.record + ": cannot make the --record folder (" + ec.message() + ")");
            return kBadInput;
        }
    }

    auto win = open_window(*args, *size);
    if (!win) { log::error(win.error().message); return exit_code(win.error().kind); }
    display::Window& w = *win.value();
    so.rig = w.rig_options(validation_requested());
    so.rig.tile_fade_frames = 8;  // live: a pyramid's new tiles blend in over 8 frames
    so.rig.tile_memory = memory.value();
    auto session = session::Session::open(so, w);
    if (!session) {
        log::error(session.error().message);
        return exit_code(session.error().kind);
    }
    session::Session& s = *session.value();
    // The metrics page (session/metrics.h), fed after every step; failing to bind is one line.
    auto metrics = session::open_metrics(args->has("--metrics-port") ? std::optional(uint16_t(*metrics_port)) : std::nullopt);

    // SIGTERM (a supervisor stopping the show) and SIGINT end the run like Esc does.
    stop_on_signals();
    log::info("run: " + so.scene + " in state " + s.show().state() + " (pid " + std::to_string(::getpid()) +
              "); click to touch, F11 fullscreen, Esc quits");
    while (!s.closing() && !stop_requested()) {
        if (auto r = s.step(); !r) {
            log::error(r.error().message);
            return s.finish(exit_code(r.error().kind));
        }
        if (metrics) metrics->publish(session::snapshot_of(s, session::steady_seconds() - began));
        if (*frames > 0 && s.frames_shown() >= uint64_t(*frames)) break;
    }
    log::info("run: " + std::to_string(w.frames_presented()) + " frames presented; show time " +
              std::to_string(s.show().now()) + ", state " + s.show().state());
    if (auto r = w.finish_recording(); !r) {  // --record's files, all written
        log::error(r.error().message);
        return s.finish(exit_code(r.error().kind));
    }
    return s.finish(kOk);
}

}  // namespace vitrine::app
