// `vitrine run SCENE`: the show in a window, on the wall clock. A click is a touch; the
// OSC control port drives it from another program; the scene's files are watched and
// a good new version replaces the running one at the same show time and state.
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include <unistd.h>

#include <GLFW/glfw3.h>

#include "app/args.h"
#include "app/commands.h"
#include "app/gpu_stage.h"
#include "app/show_audio.h"
#include "app/show_stage.h"
#include "audio/layout.h"
#include "core/log.h"
#include "display/window.h"
#include "show/live.h"
#include "show/osc.h"
#include "display/screens.h"
#include "room/display_file.h"
#include "room/projection.h"
#include "room/warp.h"

namespace vitrine::app {

// Why a tracked eye cannot be used (empty when it can): it must stand in front of every
// planar screen, farther than the near plane.
// The node a touch at window pixel (px, py) hits through the screen view drawn there
// (-1 when it hits no relic or no screen).
static int wall_pick(const show::Frame& frame, const std::vector<render::View>& views, float px, float py) {
    glm::dvec3 origin, dir;
    for (const render::View& v : views)
        if (display::pixel_ray(v, px, py, origin, dir)) return show::pick_ray(frame, glm::vec3(origin), glm::vec3(dir));
    return -1;
}

static std::string eye_problem(const room::DisplayFile& d, const glm::dvec3& eye) {
    room::Viewer viewer = d.viewer;
    viewer.eye = eye;
    for (const room::Screen& s : d.screens) {
        if (s.planar && room::eye_distance(s.pa, s.pb, s.pc, eye) <= d.viewer.near)
            return "it is not in front of screen '" + s.name + "'";
        if (!s.planar && room::mesh_view(s, viewer, 1.2, 1).width <= 0)
            return "screen '" + s.name + "' reaches 180 degrees or more around it";
    }
    return "";
}

namespace {

struct Clicks {
    std::vector<std::pair<float, float>> at;  // 0..1, y down
    double down_x = 0, down_y = 0;
    bool toggle_fullscreen = false;
};
Clicks* g_clicks = nullptr;

// SIGTERM (a supervisor stopping the kiosk) and SIGINT end the run like Esc does.
std::atomic<bool> g_stop{false};
void request_stop(int) { g_stop = true; }

double seconds_after_midnight() {
    std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    return local.tm_hour * 3600.0 + local.tm_min * 60.0 + local.tm_sec;
}

}  // namespace

int cmd_run(int argc, char** argv) {
    auto args = Args::parse(argc, argv, 2,
                            {"--size", "--seek", "--state", "--osc-host", "--osc-port", "--osc-secret", "--frames", "--clock", "--display",
                             "--tile-memory", "--audio-layout", "--hook-budget-ms"},
                            {"--fullscreen", "--no-osc", "--quiet", "--no-audio"});
    if (!args) { log::error(args.error().message); return kUsage; }
    if (args->words().size() != 1) {
        log::error("usage: vitrine run SCENE [--fullscreen] [--size WxH] [--seek S] [--state NAME] "
                   "[--osc-port P] [--osc-host ADDR --osc-secret S] [--no-osc] [--display FILE.display.yaml] [--hook-budget-ms MS]");
        return kUsage;
    }
    if (args->has("--quiet")) log::set_quiet(true);
    auto size = args->size("--size", 1280, 720);
    auto seek = args->seconds("--seek", 0);
    auto frames = args->integer("--frames", 0);  // > 0: close after N frames (tests)
    auto port = args->integer("--osc-port", 9000);
    for (const Error* e : {size ? nullptr : &size.error(), seek ? nullptr : &seek.error(),
                           frames ? nullptr : &frames.error(), port ? nullptr : &port.error()})
        if (e) { log::error(e->message); return kBadInput; }
    if (*port < 0 || *port > 65535) { log::error("--osc-port expects 0..65535"); return kBadInput; }
    // An LED wall or lenticular panel: its canvas, scaled to fit the window.
    std::optional<room::DisplayFile> led;
    if (args->has("--display")) {
        led = load_display_file(args->get("--display", ""));
        if (!led) return kBadInput;
        if (led->lenticular)
            log::info("run: a lenticular panel: the quilt interleaved for the panel on the GPU (fullscreen on the panel, "
                      "or --size " + std::to_string(led->lenticular->calibration.screen_w) + "x" +
                      std::to_string(led->lenticular->calibration.screen_h) + ")");
    }
    glm::dvec3 eye = led ? led->viewer.eye : glm::dvec3(0);
    const char* display = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    if ((!display || !*display) && (!wayland || !*wayland)) {
        log::error("vitrine run: no display (DISPLAY and WAYLAND_DISPLAY are unset); render the show to files with "
                   "`vitrine render " + args->words()[0] + " --out DIR/%05d.png --from 0 --to 20 --fps 10`");
        return kGpuFailure;
    }

    show::ShowOptions so;
    so.day_start = seconds_after_midnight();
    so.epoch_start = double(std::time(nullptr));
    if (args->has("--clock")) {
        auto c = parse_clock(args->get("--clock", ""));
        if (!c) { log::error(c.error().message); return kBadInput; }
        so.day_start = *c;
    }
    so.aspect = float(size->first) / float(size->second);
    // Live, no hook call may hold the show longer than this (engine/show/hooks.h).
    auto hook_ms = args->integer("--hook-budget-ms", 50);
    if (!hook_ms || *hook_ms <= 0) {
        log::error(hook_ms ? "--hook-budget-ms expects a number of milliseconds above 0" : hook_ms.error().message);
        return kBadInput;
    }
    so.hook_limits.wall_seconds = *hook_ms / 1000.0;
    std::vector<show::Problem> problems;
    auto live = show::LiveShow::open(args->words()[0], so, problems);
    for (const show::Problem& p : problems) std::fprintf(stderr, "%s\n", p.str().c_str());
    if (!live) return kBadInput;

    std::unique_ptr<show::OscServer> osc;
    if (!args->has("--no-osc")) {
        show::OscOptions oo;
        oo.host = args->get("--osc-host", "127.0.0.1");
        oo.port = uint16_t(*port);
        oo.secret = args->get("--osc-secret", "");
        auto o = show::OscServer::open(oo);
        if (!o) { log::error(o.error().message); return exit_code(o.error().kind); }
        osc = std::move(*o);
        log::info("run: OSC control on " + oo.host + ":" + std::to_string(osc->port()));
    }

    auto win = open_window(*args, *size);
    if (!win) { log::error(win.error().message); return exit_code(win.error().kind); }
    display::Window& w = *win.value();

    ShowStage st;
    st.scene = &live->scene();
    st.show = &live->show();
    auto finish = [&](int code) { return st.finish(code); };
    display::RigOptions options = w.rig_options(validation_requested());
    options.tile_fade_frames = 8;  // live: a pyramid's new tiles blend in over 8 frames
    auto memory = tile_memory_option(*args);
    if (!memory) { log::error(memory.error().message); return kBadInput; }
    options.tile_memory = memory.value();
    if (auto r = open_rig(st, options); !r) {
        log::error(r.error().message);
        return finish(exit_code(r.error().kind));
    }
    if (led && led->lenticular) w.set_lenticular(*led->lenticular);
    if (led && !led->lenticular) w.set_mesh_screens(*led);  // curved screens warped on the GPU every frame
    if (auto r = w.attach(*st.rig); !r) { log::error(r.error().message); return finish(exit_code(r.error().kind)); }

    // Sound: the default output (or none: the show goes on silently, `healthy` says so).
    ShowAudio sa;
    if (!args->has("--no-audio")) {
        auto layout = audio::parse_layout(args->get("--audio-layout", "stereo"));
        if (!layout) { log::error(layout.error().message); return finish(kBadInput); }
        auto engine = audio::Engine::open_device(*layout);
        if (!engine) { log::error(engine.error().message); return finish(exit_code(engine.error().kind)); }
        sa.engine = std::move(engine.value());
        if (*layout == audio::Layout::Hrtf) log::info("run: audio HRTF " + sa.engine->hrtf_status());
    }
    if (led) set_viewer(sa, *led);  // `audio: {listener: viewer}` hears from the sweet spot
    double audio_retry = 0, audio_wait = 1.5;  // the next attempt to reopen a lost or missing device

    // Show time = where the clock was set (start, --seek, /vitrine/seek) + wall time since.
    // A seek is under way for a few frames: the show it makes runs on a clock of its own
    // until it lands, while the window goes on showing the running show as it was.
    auto wall = [] { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); };
    double base_show = live->show().now(), base_wall = wall();
    double seek_show = 0, seek_wall = 0;
    auto start_seek = [&](double s) -> bool {
        if (auto r = live->seek(s); !r) { log::warn("run: " + r.error().message); return false; }
        seek_show = s, seek_wall = wall();
        return true;
    };
    auto clock_now = [&] { return live->seeking() ? seek_show + (wall() - seek_wall) : base_show + (wall() - base_wall); };
    if (*seek > 0 && !start_seek(*seek)) return finish(kBadInput);
    if (args->has("--state")) {
        show::Input in;
        in.t = clock_now();
        in.address = "/vitrine/state";
        in.args = {args->get("--state", "")};
        live->input(in);
    }

    Clicks clicks;
    g_clicks = &clicks;
    glfwSetMouseButtonCallback(w.glfw(), [](GLFWwindow* gw, int button, int action, int) {
        if (button != GLFW_MOUSE_BUTTON_LEFT) return;
        double x, y;
        glfwGetCursorPos(gw, &x, &y);
        if (action == GLFW_PRESS) {
            g_clicks->down_x = x, g_clicks->down_y = y;
            return;
        }
        int ww, wh;
        glfwGetWindowSize(gw, &ww, &wh);
        if (ww > 0 && wh > 0) g_clicks->at.push_back({float(x / ww), float(y / wh)});
    });
    glfwSetKeyCallback(w.glfw(), [](GLFWwindow* gw, int key, int, int action, int) {
        if (action != GLFW_PRESS) return;
        if (key == GLFW_KEY_F11 || key == GLFW_KEY_ENTER) g_clicks->toggle_fullscreen = true;
        if (key == GLFW_KEY_ESCAPE || key == GLFW_KEY_Q) glfwSetWindowShouldClose(gw, 1);
    });

    std::vector<show::OscMessage> messages;
    std::vector<render::View> views(1);
    int drawn = 0, fruitless = 0;
    float aspect = so.aspect;  // of the last frame drawn: touches pick through the picture they were made on
    std::string last_state = live->show().state();
    std::signal(SIGTERM, request_stop);
    std::signal(SIGINT, request_stop);
    // The title tells a technician at the machine where the show is.
    auto title = [&] {
        glfwSetWindowTitle(w.glfw(), ("Vitrine — " + args->words()[0] + " — " + live->show().state()).c_str());
    };
    title();
    log::info("run: " + args->words()[0] + " in state " + last_state + " (pid " + std::to_string(::getpid()) +
              "); click to touch, F11 fullscreen, Esc quits");
    while (!w.should_close() && !g_stop) {
        glfwPollEvents();
        double now = clock_now();
        show::Show& show = live->show();

        if (osc) {
            messages.clear();
            osc->poll(messages);
            for (const show::OscMessage& m : messages) {
                if (m.address == "/vitrine/seek") {
                    double s = m.args.empty() ? -1 : std::strtod(m.args[0].c_str(), nullptr);
                    if (start_seek(s)) now = s;
                } else if (m.address == "/vitrine/eye" && led) {
                    double v[3] = {NAN, NAN, NAN};
                    for (size_t k = 0; k < 3 && k < m.args.size(); ++k) v[k] = std::strtod(m.args[k].c_str(), nullptr);
                    if (!led->viewer.tracked) log::warn("OSC /vitrine/eye: the display's viewer is not `tracked: osc`");
                    else if (m.args.size() != 3 || !std::isfinite(v[0]) || !std::isfinite(v[1]) || !std::isfinite(v[2]))
                        log::warn("OSC /vitrine/eye needs x y z in metres");
                    else if (auto why = eye_problem(*led, {v[0], v[1], v[2]}); !why.empty())
                        log::warn("OSC /vitrine/eye " + m.args[0] + " " + m.args[1] + " " + m.args[2] + ": " + why +
                                  "; the eye stays where it was");
                    else {
                        eye = {v[0], v[1], v[2]};
                        char at[96];
                        std::snprintf(at, sizeof at, "run: eye at %g, %g, %g", v[0], v[1], v[2]);
                        log::info(at);
                    }
                } else if (m.address == "/vitrine/status") {
                    char t[32];
                    std::snprintf(t, sizeof t, "%.3f", show.now());
                    std::string sound = !sa.engine                   ? "audio off"
                                        : !sa.engine->healthy()          ? "audio silent"
                                        : sa.engine->silent_files() > 0 ? "audio degraded"
                                                                         : "audio ok";
                    osc->reply(m.sender, "/vitrine/status", {show.state(), t, show.current_cue(), sound});
                } else {
                    show::Input in;
                    in.t = now;
                    in.address = m.address;
                    in.args = m.args;
                    live->input(in);
                }
            }
        }
        for (auto [x, y] : clicks.at) {
            show::Input in;
            in.t = now;
            in.kind = show::InputKind::TouchAt;
            in.x = x, in.y = y;
            in.aspect = aspect;
            if (led && !led->lenticular) {
                // On a wall the touch picks through the screen under it (its own view), and is
                // recorded as the node it hit ("" = none), so a replay needs no screens.
                in.kind = show::InputKind::TouchNode;
                uint32_t fb_w, fb_h;
                w.framebuffer_size(&fb_w, &fb_h);
                int node = wall_pick(st.frame, views, x * float(fb_w), y * float(fb_h));
                in.node = node >= 0 ? st.scene->file.nodes[size_t(node)].name : std::string();
            }
            live->input(in);
        }
        clicks.at.clear();
        if (clicks.toggle_fullscreen) { w.toggle_fullscreen(); clicks.toggle_fullscreen = false; }
        // A seek works at most 8 ms a frame; until it lands the running show stands still.
        if (live->seeking()) {
            if (live->continue_seek(now, 0.008) == show::LiveShow::Seek::Landed) {
                base_show = seek_show, base_wall = seek_wall;
                st.show = &live->show();
                log::info("run: sought to show time " + std::to_string(live->show().now()) + ", state " +
                          live->show().state());
            }
        } else {
            show.advance(now);
        }

        problems.clear();
        switch (live->poll(problems)) {
            case show::LiveShow::Reload::None: break;
            case show::LiveShow::Reload::Failed:
                for (const show::Problem& p : problems) std::fprintf(stderr, "%s\n", p.str().c_str());
                log::warn("run: " + args->words()[0] + " has " + std::to_string(problems.size()) +
                          " problem(s); the last good version keeps running");
                break;
            case show::LiveShow::Reload::Reloaded: {
                st.scene = &live->scene();
                st.show = &live->show();
                if (auto r = upload_scene(st); !r) { log::error(r.error().message); return finish(exit_code(r.error().kind)); }
                char ms[32];
                std::snprintf(ms, sizeof ms, "%.0f", live->last_reload_ms());
                log::info("run: reloaded " + args->words()[0] + " in " + ms + " ms at show time " +
                          std::to_string(live->show().now()) + ", state " + live->show().state());
                break;
            }
        }
        for (const std::string& line : live->show().take_warnings()) log::warn(line);
        for (const std::string& line : live->show().take_log()) log::info(line);
        for (const show::OutgoingOsc& m : live->show().take_outgoing())
            if (auto r = show::osc_send(m.to, m.address, m.args); !r) log::warn(r.error().message);
        if (live->show().state() != last_state) {
            last_state = live->show().state();
            title();
            log::info("run: state " + last_state + " at show time " + std::to_string(live->show().now()));
        }

        uint32_t fw, fh;
        w.framebuffer_size(&fw, &fh);
        if (fw == 0 || fh == 0) {
            glfwWaitEventsTimeout(0.1);
            continue;
        }
        aspect = float(fw) / float(fh);
        render::Look look = prepare_frame(st);
        if (sa.engine) {
            sa.aspect = aspect;
            if (!sa.engine->healthy() && wall() >= audio_retry) {  // unplugged or absent: try again, 3 s to 1 min apart
                audio_wait = std::min(audio_wait * 2, 60.0);
                audio_retry = wall() + audio_wait;
                if (sa.engine->reopen() && sa.engine->healthy()) log::info("run: the audio device is back; sound resumes at show time");
            }
            if (sa.engine->healthy()) audio_wait = 1.5;  // the next loss retries after 3 s again
            update_audio(sa, st.frame);  // a rebuilt device gets every voice back at its offset
        }
        if (led && led->lenticular) {
            room::QuiltCamera cam;
            show::CameraMatrices m = show::camera_view(st.frame, 1.0f);
            glm::dmat4 inv = glm::inverse(glm::dmat4(m.view));
            cam.basis = glm::dmat3(glm::dvec3(inv[0]), glm::dvec3(inv[1]), glm::dvec3(inv[2]));
            cam.focal_centre = glm::dvec3(inv[3]) - cam.basis[2] * led->lenticular->focal_plane;
            views = display::quilt_views(*led->lenticular, cam);  // into the window's quilt, interleaved
        } else if (led) {
            views = display::fit_views(display::screen_views(*led, eye), uint32_t(led->canvas_width),
                                       uint32_t(led->canvas_height), fw, fh);
            w.set_eye(eye);
        } else {
            views.assign(1, frame_view(st.frame, {0, 0, fw, fh}));
        }
        auto r = w.draw(st.instances, look, views);
        if (!r && r.error().kind == ErrorKind::DeviceLost) {
            if (++fruitless >= 3) {
                log::error(r.error().message + "; it was lost again after 3 rebuilds without a frame, giving up");
                return finish(exit_code(ErrorKind::DeviceLost));
            }
            if (auto rec = st.rig->recover(); !rec) { log::error(rec.error().message); return finish(exit_code(rec.error().kind)); }
            continue;
        }
        if (!r) { log::error(r.error().message); return finish(exit_code(r.error().kind)); }
        if (r.value()) ++drawn, fruitless = 0;
        if (frames.value() > 0 && drawn >= frames.value()) break;
    }
    log::info("run: " + std::to_string(w.frames_presented()) + " frames presented; show time " +
              std::to_string(live->show().now()) + ", state " + live->show().state());
    return finish(kOk);
}

}  // namespace vitrine::app
