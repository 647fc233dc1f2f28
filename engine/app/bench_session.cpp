// `vitrine bench --session SCENE [--frames N] [--size WxH]`: numbers, never pass/fail.
// What the session layer costs a frame (the goal: within 2 % of the loop `run` had before
// it): in one window, phases of
//   session  a session::Session of the scene, one step() a frame (no OSC, no sound), and
//   bare     the loop a command would have without the session layer: the show advanced,
//            session::ShowStage's frame and view, Window::poll_events and Window::draw —
//            no event routing, health, status panel or reload polling,
// alternately (S B S B), each on its own rig attached to the same window (a rig makes its
// own surface on the window, as a rebuild after a lost device does). Both run on simulated
// time: frame k is at show time k/60 in every phase, so every phase draws the same frames.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "app/args.h"
#include "app/commands.h"
#include "app/usage.h"
#include "core/log.h"
#include "display/window.h"
#include "session/clock.h"
#include "session/session.h"
#include "session/show_stage.h"
#include "show/live.h"

namespace vitrine::app {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kWarmup = 30;                 // frames before a phase is timed: pipelines, first uploads
constexpr double kFrameStep = 1.0 / 60.0;   // show time a frame, in every phase
// Civil time at show time 0, the same in every phase, so time-of-day transitions and
// os.time() see the same values whichever phase runs.
constexpr double kDayStart = 12 * 3600.0;
constexpr double kEpochStart = 1'700'000'000.0;

struct BenchSetup {
    std::string scene;
    uint32_t width = 640, height = 360;
    int frames = 300;
    show::ShowOptions show;
};

struct Phase {
    const char* kind = "";
    std::vector<double> ms;  // the timed frames, in milliseconds
    uint64_t shown = 0;      // of the timed frames, those presented
    std::string device;
    int exit = kOk;          // the rig's finish: 4 when validation spoke
};

double seconds_between(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// Nearest rank, as session::FrameTimes reads its percentiles.
double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    size_t k = std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5));
    std::nth_element(v.begin(), v.begin() + long(k), v.end());
    return v[k];
}

display::RigOptions rig_options(const display::Window& window) {
    display::RigOptions ro = window.rig_options(validation_requested());
    ro.tile_fade_frames = 8;  // as `run` draws: new tiles blend in
    return ro;
}

// (S) A Session driven by step() on an injected clock: show time and civil time move
// exactly kFrameStep a step.
Result<Phase> session_phase(const BenchSetup& b, display::Window& window) {
    double t = 0;  // simulated seconds since the phase began (the session copies the clock: t outlives it)
    session::ShowClock clock([&t] { return t; }, [&t] { return session::CivilTime{kDayStart + t, kEpochStart + t}; });
    session::SessionOptions so;
    so.scene = b.scene;
    so.show = b.show;
    so.rig = rig_options(window);
    // so.osc and so.audio stay empty: no control port, no sound.
    auto opened = session::Session::open(so, window, clock);
    if (!opened) return opened.error();
    session::Session& s = *opened.value();
    Phase p;
    p.kind = "session";
    p.device = s.stage().rig->ctx().device_name();
    for (int k = 0; k < kWarmup + b.frames; ++k) {
        t = k * kFrameStep;
        uint64_t before = s.frames_shown();
        auto t0 = Clock::now();
        auto r = s.step();
        auto t1 = Clock::now();
        if (!r) {
            s.finish(kOk);
            return r.error();
        }
        if (k < kWarmup) continue;
        p.ms.push_back(seconds_between(t0, t1) * 1e3);
        p.shown += s.frames_shown() - before;
    }
    p.exit = s.finish(kOk);
    return p;
}

// One frame of the bare loop at show time t: what a command does with no session layer.
Result<bool> bare_frame(show::LiveShow& live, session::ShowStage& st, display::Window& window, double t) {
    (void)window.poll_events();  // kept off the window's queue; nothing is routed
    live.show().advance(t);
    uint32_t fw = 0, fh = 0;
    window.framebuffer_size(&fw, &fh);
    if (fw == 0 || fh == 0) return false;  // minimised, as step() skips it
    render::Look look = session::prepare_frame(st);
    render::View view = session::frame_view(st.frame, {0, 0, fw, fh});
    return window.draw(st.instances, look, {&view, 1});
}

// (B) The same scene through a LiveShow (loaded as the Session loads it; its file watch is
// never polled) and a ShowStage, at the same show times.
Result<Phase> bare_phase(const BenchSetup& b, display::Window& window) {
    show::ShowOptions so = b.show;
    so.day_start = kDayStart;
    so.epoch_start = kEpochStart;
    std::vector<show::Problem> problems;
    auto live = show::LiveShow::open(b.scene, so, problems);
    if (!live) return fail(ErrorKind::BadInput, b.scene + ": " + std::to_string(problems.size()) + " problem(s); run `vitrine check " + b.scene + "`");
    session::ShowStage st;
    st.scene = &live->scene();
    st.show = &live->show();
    if (auto r = session::open_rig(st, rig_options(window)); !r) return r.error();
    if (auto r = window.attach(*st.rig); !r) {
        st.finish(kOk);
        return r.error();
    }
    Phase p;
    p.kind = "bare";
    p.device = st.rig->ctx().device_name();
    for (int k = 0; k < kWarmup + b.frames; ++k) {
        auto t0 = Clock::now();
        auto shown = bare_frame(*live, st, window, k * kFrameStep);
        auto t1 = Clock::now();
        if (!shown) {
            st.finish(kOk);
            return shown.error();
        }
        if (k < kWarmup) continue;
        p.ms.push_back(seconds_between(t0, t1) * 1e3);
        p.shown += shown.value() ? 1 : 0;
    }
    p.exit = st.finish(kOk);
    return p;
}

void print_phase(int index, const Phase& p) {
    std::printf("%5d  %-7s  %9.3f  %9.3f  %9.3f  %6llu\n", index, p.kind, percentile(p.ms, 0.5), percentile(p.ms, 0.9),
                percentile(p.ms, 0.99), (unsigned long long)p.shown);
    std::fflush(stdout);
}

bool has_display() {
    const char* x = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    return (x && *x) || (wayland && *wayland);
}

}  // namespace

int bench_session(int argc, char** argv) {
    auto args = Args::parse(argc, argv, 2, {"--session", "--frames", "--size"}, {});
    if (!args) { usage_error("bench session", args.error().message); return kUsage; }
    if (!args->words().empty() || args->get("--session", "").empty()) {
        usage_error("bench session");
        return kUsage;
    }
    log::set_quiet(true);  // numbers on stdout; warnings and errors still reach stderr
    auto frames = args->integer("--frames", 300);
    auto size = args->size("--size", 640, 360);
    if (!frames || *frames < 1 || !size) {
        log::error(!size ? size.error().message : "--frames expects a number of frames, 1 or more");
        return kBadInput;
    }
    BenchSetup b;
    b.scene = args->get("--session", "");
    b.frames = *frames;
    b.width = size->first, b.height = size->second;
    b.show.aspect = float(b.width) / float(b.height);
    b.show.hook_limits.wall_seconds = 0.05;  // as `run` sets it by default
    if (!has_display()) {
        log::error("bench --session: no display (DISPLAY and WAYLAND_DISPLAY are unset); run it under "
                   "xvfb-run -a -s \"-screen 0 1280x720x24\" vitrine bench --session " + b.scene);
        return kGpuFailure;
    }

    display::WindowOptions wo;
    wo.width = b.width, wo.height = b.height;
    wo.title = "Vitrine — bench --session " + b.scene;
    auto win = display::Window::open(wo);
    if (!win) { log::error(win.error().message); return exit_code(win.error().kind); }

    std::vector<double> session_ms, bare_ms;
    int code = kOk;
    for (int i = 0; i < 4; ++i) {  // S B S B
        bool session = i % 2 == 0;
        auto p = session ? session_phase(b, *win.value()) : bare_phase(b, *win.value());
        if (!p) { log::error(p.error().message); return exit_code(p.error().kind); }
        if (i == 0) {
            std::printf("session against the bare loop: %s, %ux%u on %s, %d frames a phase after %d warm-up, "
                        "show time 1/60 s a frame\n", b.scene.c_str(), b.width, b.height, p->device.c_str(), b.frames, kWarmup);
            std::printf("%5s  %-7s  %9s  %9s  %9s  %6s\n", "phase", "loop", "median_ms", "p90_ms", "p99_ms", "shown");
        }
        print_phase(i + 1, *p);
        (session ? session_ms : bare_ms).insert((session ? session_ms : bare_ms).end(), p->ms.begin(), p->ms.end());
        if (p->exit != kOk) code = p->exit;
    }
    // The median frame of both session phases together over that of both bare phases.
    std::printf("session / bare: %.3f\n", percentile(session_ms, 0.5) / percentile(bare_ms, 0.5));
    return code;
}

}  // namespace vitrine::app
