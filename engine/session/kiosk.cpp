#include "session/kiosk.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include "core/log.h"
#include "display/window.h"
#include "render/environment.h"
#include "session/metrics.h"
#include "session/notify.h"
#include "session/schedule.h"
#include "session/session.h"
#include "session/signals.h"
#include "session/site_session.h"
#include "session/show_stage.h"

namespace vitrine::session {

namespace {

// Black and silent (outside hours without an outside scene): a rig that draws nothing
// on a black background, so the output stays lit and the watchdog fed.
struct Blank {
    ImageF environment = render::procedural_studio();  // the renderer wants one; never seen
    std::unique_ptr<display::Rig> rig;
    FrameTimes frame_times;   // for the metrics page, as a Session keeps them
    double last_present = 0;  // steady clock; 0: none yet
    uint64_t device_losses = 0;
    static Result<std::unique_ptr<Blank>> open(display::Window& w, gpu::Validation validation) {
        auto b = std::make_unique<Blank>();
        auto rig = display::Rig::create(w.rig_options(validation));
        if (!rig) return rig.error();
        b->rig = std::move(*rig);
        if (auto r = b->rig->set_environment(b->environment); !r) return r.error();
        if (auto r = w.attach(*b->rig); !r) return r.error();
        return b;
    }
    // Whether a frame was shown.
    Result<bool> draw(display::Window& w) {
        w.poll_events(0);
        uint32_t fw = 0, fh = 0;
        w.framebuffer_size(&fw, &fh);
        if (fw == 0 || fh == 0) return false;
        render::Look look;
        look.solid_background = true;
        look.background = glm::vec3(0);
        render::View v;
        v.viewport = {0, 0, fw, fh};
        auto r = w.draw({}, look, {&v, 1});
        if (!r) {
            if (auto rec = rig->recover_from(r.error()); !rec) return rec.error();
            ++device_losses;
            return false;
        }
        if (r.value()) {
            rig->frame_shown();
            double now = steady_seconds();
            if (last_present > 0) frame_times.add(now - last_present);
            last_present = now;
        }
        return r.value();
    }
};

// The schedule's clock: the system's, or (tests) --at's time running on from the start.
std::time_t wall_now(const KioskOptions& o, double started_mono) {
    if (!o.start_at) return std::time(nullptr);
    return *o.start_at + std::time_t(steady_seconds() - started_mono);
}

}  // namespace

std::string kiosk_unit(const std::filesystem::path& vitrine, const std::filesystem::path& site, const SiteFile& s, bool user) {
    char watchdog[32];
    std::snprintf(watchdog, sizeof watchdog, "%g", s.watchdog);
    std::string unit =
        "# Written by `vitrine kiosk install` for " + site.string() + "\n"
        "[Unit]\n"
        "Description=Vitrine kiosk: " + site.filename().string() + "\n"
        "After=graphical-session.target sound.target network.target\n"
        "StartLimitIntervalSec=0\n"
        "\n"
        "[Service]\n"
        "Type=notify\n"
        "NotifyAccess=main\n"
        "ExecStart=" + vitrine.string() + " kiosk " + site.string() + "\n"
        "ExecReload=/bin/kill -HUP $MAINPID\n"
        "WatchdogSec=" + watchdog + "\n"
        "Restart=always\n"
        "RestartSec=5\n"
        "TimeoutStartSec=120\n";
    if (!user) unit += "Environment=DISPLAY=:0\n";
    unit += "\n[Install]\nWantedBy=" + std::string(user ? "graphical-session.target" : "graphical.target") + "\n";
    return unit;
}

int run_kiosk(const KioskOptions& o) {
    const double began = steady_seconds();
    handle_kiosk_signals();
    Notifier notify;
    std::vector<show::Problem> problems;
    SiteFile site = load_site(o.site, problems);
    for (const show::Problem& p : problems) std::fprintf(stderr, "%s\n", p.str().c_str());
    if (!problems.empty()) {
        log::error(o.site.string() + ": " + std::to_string(problems.size()) + " problem(s) (listed above); the kiosk does not start");
        return exit_code(ErrorKind::BadInput);
    }
    // Opened once, before the wait for a display, so a scraper sees the kiosk waiting.
    std::unique_ptr<MetricsPage> metrics = open_metrics(o.metrics_port ? o.metrics_port : site.metrics_port);
    auto publish_waiting = [&] {
        if (!metrics) return;
        Snapshot s;
        s.uptime = steady_seconds() - began;
        s.state = "waiting";  // for a display
        metrics->publish(s);
    };
    publish_waiting();

    // The window, on the site's monitor. No display yet (the X server is still starting,
    // or the monitor is off): wait and try again, one line in the log, never a crash loop.
    display::WindowOptions wo;
    wo.title = "Vitrine — " + o.site.filename().string();
    wo.fullscreen = !o.window && site.output.fullscreen;
    wo.monitor = site.output.monitor;
    wo.monitor_index = site.output.monitor_index;
    if (o.window) wo.width = o.window->first, wo.height = o.window->second;
    std::unique_ptr<display::Window> window;
    for (bool told = false; !window && !stop_signal();) {
        auto w = display::Window::open(wo);
        if (w) {
            window = std::move(*w);
            if (told) log::info("kiosk: the display is there; starting");
            break;
        }
        if (!told) log::warn("kiosk: " + w.error().message + "; trying again every 5 s");
        told = true;
        notify.status("waiting for a display");
        publish_waiting();
        for (int i = 0; i < 50 && !stop_signal(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!window) return 0;

    const double started_mono = steady_seconds();
    std::optional<std::time_t> restart_at;
    if (site.restart) restart_at = next_daily(*site.restart, wall_now(o, started_mono));

    std::unique_ptr<Session> session;
    std::unique_ptr<Blank> blank;
    int mode = -1;  // 1 open, 0 outside hours
    uint64_t shown = 0;
    // The metrics page counts across sessions: what the closed ones did is kept here, and
    // frames are the kiosk's own count (black ones too).
    MetricCounters before;
    auto publish = [&] {
        if (!metrics) return;
        Snapshot s;
        if (session) {
            s = snapshot_of(*session, 0);
        } else if (blank) {
            s.state = "closed";
            s.frame_p50 = blank->frame_times.percentile(0.5);
            s.frame_p99 = blank->frame_times.percentile(0.99);
            s.counters.device_losses = blank->device_losses;
            read_gpu_memory(s, *blank->rig);
        }
        s.uptime = steady_seconds() - began;
        s.counters += before;
        s.counters.frames_shown = shown;
        if (mode >= 0) s.open = mode == 1;
        metrics->publish(s);
    };
    auto open_mode = [&](bool open) -> Result<void> {
        if (session) before += snapshot_of(*session, 0).counters;
        if (blank) before.device_losses += blank->device_losses;
        session.reset();
        blank.reset();
        std::filesystem::path scene = open ? site.scene : site.outside_scene;
        if (scene.empty()) {
            log::info("kiosk: closed: black and silent");
            auto b = Blank::open(*window, o.validation);
            if (!b) return b.error();
            blank = std::move(*b);
            return {};
        }
        auto so = site_session_options(site, scene, *window, o.hook_budget_seconds, o.validation);
        if (!so) return so.error();
        log::info(std::string("kiosk: ") + (open ? "open" : "closed") + ": " + so->scene);
        auto s = Session::open(*so, *window);
        if (!s) return s.error();
        session = std::move(*s);
        return {};
    };

    bool ready = false;
    double last_status = -1e300, fps_since = steady_seconds();
    uint64_t fps_frames = 0;
    double fps = 0;
    std::time_t next_change = 0;
    int code = 0;
    while (!stop_signal() && !window->should_close()) {
        std::time_t now = wall_now(o, started_mono);
        if (mode < 0 || now >= next_change) {
            ScheduleState st = schedule_at(site.schedule, now);
            next_change = st.next_change ? now + std::time_t(*st.next_change) : now + 3600;
            next_change = std::min(next_change, now + 60);  // and look again at least every minute
            if (int m = st.open ? 1 : 0; m != mode) {
                if (auto r = open_mode(st.open); !r) {
                    log::error("kiosk: " + r.error().message);
                    code = exit_code(r.error().kind);
                    break;
                }
                mode = m;
            }
        }
        if (take_hangup()) {
            std::vector<show::Problem> again;
            SiteFile fresh = load_site(o.site, again);
            for (const show::Problem& p : again) std::fprintf(stderr, "%s\n", p.str().c_str());
            if (!again.empty()) {
                log::warn("kiosk: SIGHUP: " + o.site.string() + " has " + std::to_string(again.size()) +
                          " problem(s); the running show goes on");
            } else if (same_show(site, fresh)) {
                // New hours, dates or restart time: the schedule is looked at again at
                // once, and the running show goes on unless it says otherwise.
                log::info("kiosk: SIGHUP: reloading " + o.site.string() + ": the running show is unchanged");
                site = std::move(fresh);
                next_change = 0;
                restart_at.reset();
                if (site.restart) restart_at = next_daily(*site.restart, now);
                continue;
            } else {
                log::info("kiosk: SIGHUP: reloading " + o.site.string() + ": the show changed; opening it again");
                site = std::move(fresh);
                restart_at.reset();
                if (site.restart) restart_at = next_daily(*site.restart, now);
                mode = -1;  // opened again below, in the state the schedule says
                continue;
            }
        }
        if (restart_at && now >= *restart_at) {
            log::info("kiosk: the nightly restart");
            session.reset();
            blank.reset();
            window.reset();
            metrics.reset();  // its port free for the next run
            if (notify.active()) {  // systemd starts it again (Restart=always)
                notify.stopping();
                return 0;
            }
            std::vector<char*> args;
            for (const std::string& a : o.argv) args.push_back(const_cast<char*>(a.c_str()));
            args.push_back(nullptr);
            ::execv("/proc/self/exe", args.data());
            log::error("kiosk: cannot restart itself; exiting");
            return 1;
        }

        bool drew = false;
        if (session) {
            uint64_t before = session->frames_shown();
            if (auto r = session->step(); !r) {
                log::error("kiosk: " + r.error().message);
                code = exit_code(r.error().kind);
                break;
            }
            drew = session->frames_shown() > before;
        } else if (blank) {
            auto r = blank->draw(*window);
            if (!r) {
                log::error("kiosk: " + r.error().message);
                code = exit_code(r.error().kind);
                break;
            }
            drew = *r;
        }
        if (drew) ++shown, ++fps_frames;
        publish();
        if (!drew) continue;
        double mono = steady_seconds();
        if (!ready) {
            notify.ready();
            ready = true;
            log::info("kiosk: the first frame is on screen (pid " + std::to_string(::getpid()) + ")");
        }
        if (o.hang_at >= 0 && long(shown) >= o.hang_at) {
            log::warn("kiosk: VITRINE_FAULT=hang@" + std::to_string(o.hang_at) + ": the frame loop stops here");
            while (!stop_signal()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
            break;
        }
        notify.alive(mono);
        if (mono - fps_since >= 1) {
            fps = double(fps_frames) / (mono - fps_since);
            fps_since = mono, fps_frames = 0;
        }
        if (mono - last_status >= 5) {
            last_status = mono;
            char line[200];
            if (session)
                std::snprintf(line, sizeof line, "%s, state %s, show time %.1f s, %.0f fps", mode ? "open" : "closed",
                              session->show().state().c_str(), session->show().now(), fps);
            else
                std::snprintf(line, sizeof line, "closed, black, %.0f fps", fps);
            notify.status(line);
        }
        if (o.frames > 0 && long(shown) >= o.frames) break;
    }
    if (notify.active()) notify.stopping();
    log::info("kiosk: " + std::to_string(shown) + " frames shown" + (stop_signal() ? std::string(", stopped by a signal") : ""));
    int end = session ? session->finish(code) : blank ? display::finish_rig(blank->rig, code) : code;
    session.reset();
    blank.reset();
    return end;
}

}  // namespace vitrine::session
