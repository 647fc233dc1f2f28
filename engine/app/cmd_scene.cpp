// The scene commands: `render SCENE` (offline, any span of show time), `check SCENE`,
// `info SCENE`. `run SCENE` (the window) is in cmd_run.cpp.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <glm/glm.hpp>

#include "app/args.h"
#include "app/commands.h"
#include "app/usage.h"
#include "app/frames.h"
#include "app/gpu_stage.h"
#include "session/show_audio.h"
#include "session/session.h"
#include "session/show_stage.h"
#include "session/site_file.h"
#include "audio/layout.h"
#include "core/log.h"
#include "core/paths.h"
#include "display/offscreen.h"
#include "room/display_file.h"
#include "room/projection.h"
#include "room/warp.h"
#include "show/inputs.h"

namespace vitrine::app {

bool is_scene_file(const std::string& path) {
    auto ends = [&](const char* s) {
        std::string e(s);
        return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
    };
    return ends(".scene.yaml") || ends(".scene.yml");
}


int cmd_render_scene(int argc, char** argv) {
    auto args = Args::parse(argc, argv, 2,
                            {"--out", "--size", "--from", "--to", "--fps", "--time", "--inputs", "--clock", "--tile-memory",
                             "--audio", "--audio-layout", "--audio-rate"},
                            {"--quiet", "--force"});
    if (!args) { usage_error("render scene", args.error().message); return kUsage; }
    if (args->words().size() != 1 || !args->has("--out") || (args->has("--time") && (args->has("--from") || args->has("--to")))) {
        usage_error("render scene");
        return kUsage;
    }
    if (args->has("--quiet")) log::set_quiet(true);
    auto size = args->size("--size", 1280, 720);
    auto from = args->seconds(args->has("--time") ? "--time" : "--from", 0);
    auto to = args->seconds("--to", from ? *from : 0);
    auto fps = args->seconds("--fps", 30);
    auto clock = session::parse_clock(args->get("--clock", "09:00"));
    for (const Error* e : {size ? nullptr : &size.error(), from ? nullptr : &from.error(), to ? nullptr : &to.error(),
                           fps ? nullptr : &fps.error(), clock ? nullptr : &clock.error()})
        if (e) { log::error(e->message); return kBadInput; }
    if (*fps <= 0 || *fps > 1000) { log::error("--fps expects a rate above 0 and at most 1000"); return kBadInput; }
    if (*to < *from) { log::error("--to must not be before --from"); return kBadInput; }
    double span_frames = std::floor((*to - *from) * *fps + 1e-6) + 1;
    if (span_frames > 1e6) { log::error("--from .. --to at --fps makes more than a million frames"); return kBadInput; }
    long count = long(span_frames);
    std::string pattern = args->get("--out", "");
    bool numbered = false;
    if (auto p = frame_path(pattern, 0, &numbered); !p) { log::error(p.error().message); return kBadInput; }
    if (count > 1 && !numbered) {
        log::error("--out '" + pattern + "' needs a frame number like %05d for " + std::to_string(count) + " frames");
        return kBadInput;
    }
    auto [w, h] = *size;
    // The show's sound, in lockstep with the frames: frame i's show time for its 1/fps.
    std::string audio_out = args->get("--audio", "");
    auto layout = audio::parse_layout(args->get("--audio-layout", "stereo"));
    auto rate = args->integer("--audio-rate", 48000);
    if (!layout) { log::error(layout.error().message); return kBadInput; }
    if (!rate || *rate < 8000 || *rate > 192000) { log::error("--audio-rate expects 8000 to 192000 Hz"); return kBadInput; }
    if (!audio_out.empty() && args->has("--time")) {
        log::error("--audio needs a span of show time (--from A --to B --fps F), not --time");
        return kBadInput;
    }
    if (!audio_out.empty())
        if (auto r = session::audio_span_fits(*layout, uint32_t(*rate), double(count) / *fps); !r) {
            log::error(r.error().message);
            return kBadInput;
        }

    // Never over the scene, its hooks, assets or inputs (protected as they are loaded), and
    // the sound's file checked and created now: a render must not fail on it after the frames.
    std::vector<show::Input> inputs;
    if (args->has("--inputs")) {
        auto in = read_inputs(args->get("--inputs", ""));
        if (!in) { log::error(in.error().message); return kBadInput; }
        inputs = std::move(*in);
    }
    auto memory = tile_memory_option(*args);
    if (!memory) { log::error(memory.error().message); return kBadInput; }
    // The show through the same Session as `run`, into files: show time is frame i's,
    // from + i / fps, on an injected clock; time of day is --clock's.
    session::SessionOptions so;
    so.scene = args->words()[0];
    so.live = false;
    so.time_of_day = *clock;
    so.show.aspect = float(w) / float(h);
    so.osc.reset();
    so.audio.reset();
    so.rig.validation = validation_requested();
    so.rig.tile_memory = memory.value();
    double t = *from;
    session::ShowClock show_clock([&t] { return t; }, [&] { return session::CivilTime{*clock, show::ShowOptions{}.epoch_start}; });
    show_clock.set(*from);
    outputs::set_force(args->has("--force"));
    auto opened = session::Session::open(so, session::file_output(w, h), std::move(show_clock));
    if (!opened) { log::error(opened.error().message); return exit_code(opened.error().kind); }
    session::Session& s = **opened;
    for (const show::Input& in : inputs) s.input(in);
    if (auto ok = check_outputs(pattern, count); !ok) { log::error(ok.error().message); return s.finish(kBadInput); }
    if (!audio_out.empty()) {
        auto probe = outputs::OutputFile::create(audio_out, outputs::Kind::Wav);
        if (!probe) { log::error(probe.error().message); return s.finish(exit_code(probe.error().kind)); }
    }
    stop_on_signals();

    // Frame i is show time from + i / fps. After a lost device the frames not read back
    // are drawn again, the show sought back to the first of them (seeking equals playing).
    auto start = std::chrono::steady_clock::now();
    uint64_t losses = 0;
    for (long i = 0; i <= count;) {
        if (i < count && stop_requested()) {  // finish the frames in flight, then stop
            if (auto r = s.output().finish(); !r && r.error().kind != ErrorKind::DeviceLost) {
                log::error(r.error().message);
                return s.finish(exit_code(r.error().kind));
            }
            Error e = stopped(long(s.output().frames_written()));
            log::error(e.message);
            return s.finish(exit_code(e.kind));
        }
        Result<void> r;
        if (i < count) {
            t = *from + double(i) / *fps;
            bool unused;
            s.record_next(frame_path(pattern, i, &unused).value());
            r = s.step();
            progress(i + 1, count, start);
        } else {
            r = s.finish_frames();
        }
        if (!r) { log::error(r.error().message); return s.finish(exit_code(r.error().kind)); }
        if (s.health().device_losses != losses) {  // rebuilt: again from the first frame not read back
            losses = s.health().device_losses;
            i = long(s.output().frames_written());
            continue;
        }
        ++i;
    }
    session::ShowStage& st = s.stage();
    if (!audio_out.empty()) {
        session::ShowAudio where;
        where.aspect = float(w) / float(h);
        if (auto r = session::render_show_audio(st, std::move(where), audio_out, *layout, uint32_t(*rate), *from, *fps, count); !r) {
            log::error(r.error().message);
            return s.finish(exit_code(r.error().kind));
        }
    }
    bool unused;
    log::info("wrote " + (count > 1 ? std::to_string(count) + " frames " + frame_path(pattern, 0, &unused).value() + " ..."
                                    : frame_path(pattern, 0, &unused).value()) +
              " (" + std::to_string(w) + "x" + std::to_string(h) + ", show time " + std::to_string(*from) + " .. " +
              std::to_string(*from + double(count - 1) / *fps) + " s, state " + st.show->state() + ")");
    return s.finish(kOk);
}

// `check DISPLAY.display.yaml`: every problem, or what the file describes in a
// technician's numbers (sizes, pixel pitch, the eye's distance and angle to each screen).
static int check_display(const std::string& path) {
    std::vector<show::Problem> problems;
    room::DisplayFile d = room::load_display(path, problems);
    for (const show::Problem& p : problems) std::printf("%s\n", p.str().c_str());
    if (!problems.empty()) {
        std::fprintf(stderr, "%s: %zu problem%s\n", path.c_str(), problems.size(), problems.size() == 1 ? "" : "s");
        return kBadInput;
    }
    // What `render` would refuse: an eye not in front of a screen, a mesh around the eye.
    for (const room::Screen& s : d.screens) {
        bool bad = s.planar ? room::eye_distance(s.pa, s.pb, s.pc, d.viewer.eye) <= d.viewer.near
                            : room::mesh_view(s, d.viewer, 1.2, 1).width <= 0;
        if (bad) problems.push_back({s.loc, "screen '" + s.name + "': " +
                                                (s.planar ? "the viewer's eye is not in front of it (closer than `near`, on or behind it)"
                                                          : "the mesh reaches 180 degrees or more around the eye; split it into several mesh screens")});
    }
    for (const show::Problem& p : problems) std::printf("%s\n", p.str().c_str());
    if (!problems.empty()) {
        std::fprintf(stderr, "%s: %zu problem%s\n", path.c_str(), problems.size(), problems.size() == 1 ? "" : "s");
        return kBadInput;
    }
    if (d.lenticular) {
        const room::Lenticular& l = *d.lenticular;
        const room::Calibration& c = l.calibration;
        std::printf("%s: ok (lenticular panel %lldx%lld, %lld views in a %lldx%lld quilt of %lldx%lld, view cone %g degrees)\n",
                    path.c_str(), (long long)c.screen_w, (long long)c.screen_h, (long long)l.views, (long long)l.quilt.columns,
                    (long long)l.quilt.rows, (long long)l.quilt.width, (long long)l.quilt.height, c.view_cone);
        return kOk;
    }
    std::printf("%s: ok (canvas %lldx%lld, %zu screens, eye [%g, %g, %g]%s)\n", path.c_str(), (long long)d.canvas_width,
                (long long)d.canvas_height, d.screens.size(), d.viewer.eye.x, d.viewer.eye.y, d.viewer.eye.z,
                d.viewer.tracked ? ", tracked by OSC" : "");
    for (const room::Screen& s : d.screens) {
        std::printf("  %s: region %lld,%lld %lldx%lld", s.name.c_str(), (long long)s.region.x, (long long)s.region.y,
                    (long long)s.region.width, (long long)s.region.height);
        if (s.orientation.rotate || s.orientation.flip_x || s.orientation.flip_y)
            std::printf(", turned %d%s%s", s.orientation.rotate, s.orientation.flip_x ? ", flip x" : "",
                        s.orientation.flip_y ? ", flip y" : "");
        if (s.planar) {
            double w = glm::length(s.pb - s.pa), h = glm::length(s.pc - s.pa);
            bool turned = s.orientation.rotate % 180 != 0;
            double px_w = double(turned ? s.region.height : s.region.width), px_h = double(turned ? s.region.width : s.region.height);
            glm::dvec3 centre = s.pa + 0.5 * (s.pb - s.pa) + 0.5 * (s.pc - s.pa);
            glm::dvec3 n = glm::normalize(glm::cross(s.pb - s.pa, s.pc - s.pa));
            glm::dvec3 to_eye = d.viewer.eye - centre;
            double angle = glm::degrees(std::acos(std::clamp(glm::dot(n, glm::normalize(to_eye)), -1.0, 1.0)));
            double pw = 1000 * w / px_w, ph = 1000 * h / px_h;
            std::printf(", %.2f x %.2f m, pixel pitch %.2f x %.2f mm%s, eye %.2f m from its centre, %.0f degrees off its normal\n",
                        w, h, pw, ph, std::abs(pw - ph) > 0.05 * std::max(pw, ph) ? " (pixels not square)" : "",
                        glm::length(to_eye), angle);
        } else {
            std::printf(", mesh %s (%zu triangles)\n", s.mesh.file.filename().string().c_str(), s.mesh.indices.size() / 3);
        }
    }
    return kOk;
}

// One day's hours as the site file writes them: "closed", "always", "10:00-13:00, 14:00-22:00".
static std::string day_text(const session::DayHours& day) {
    if (day.empty()) return "closed";
    if (day.size() == 1 && day[0].start == 0 && day[0].end == session::kDay) return "always";
    std::string out;
    for (const session::Span& s : day) out += (out.empty() ? "" : ", ") + session::span_text(s);
    return out;
}

// "3 h 20 min", "2 days 4 h", "45 s".
static std::string duration_text(long long s) {
    if (s < 60) return std::to_string(s) + " s";
    if (s < 3600) return std::to_string(s / 60) + " min";
    if (s < 86400) return std::to_string(s / 3600) + " h" + (s % 3600 / 60 ? " " + std::to_string(s % 3600 / 60) + " min" : "");
    return std::to_string(s / 86400) + (s / 86400 == 1 ? " day" : " days") +
           (s % 86400 / 3600 ? " " + std::to_string(s % 86400 / 3600) + " h" : "");
}

// `check SITE.site.yaml`: every problem of the site file and of the scenes and display it
// names, or what the kiosk will do: the week's hours, special dates, outputs, ports, and
// whether it is open now (this machine's clock and time zone).
static int check_site(const std::string& path) {
    std::vector<show::Problem> problems;
    session::SiteFile s = session::load_site(path, problems);
    for (const show::Problem& p : problems) std::printf("%s\n", p.str().c_str());
    if (!problems.empty()) {
        std::fprintf(stderr, "%s: %zu problem%s\n", path.c_str(), problems.size(), problems.size() == 1 ? "" : "s");
        return kBadInput;
    }
    std::printf("%s: ok (scene %s%s)\n", path.c_str(), s.scene.string().c_str(),
                s.display_file.empty() ? "" : (", display " + s.display_file.string()).c_str());
    for (int d = 0; d < 7; ++d) std::printf("  %-9s  %s\n", session::weekday_name(d), day_text(s.schedule.week[size_t(d)]).c_str());
    for (const session::Date& d : s.schedule.closed_dates) std::printf("  closed     %s\n", session::date_text(d).c_str());
    for (const auto& [d, hours] : s.schedule.open_dates)
        std::printf("  open       %s %s\n", session::date_text(d).c_str(), day_text(hours).c_str());
    std::printf("  outside hours: %s\n", s.outside_scene.empty() ? "black and silent" : s.outside_scene.string().c_str());
    std::string monitor = !s.output.monitor.empty()      ? "monitor " + s.output.monitor
                          : s.output.monitor_index >= 0 ? "monitor " + std::to_string(s.output.monitor_index)
                                                         : std::string("the primary monitor");
    std::printf("  output: %s%s\n", monitor.c_str(), s.output.fullscreen ? ", fullscreen" : ", in a window");
    if (s.restart) {
        // Visitors see a restart that falls inside the hours (a site open always must accept that).
        session::Schedule week;
        week.week = s.schedule.week;
        std::string open_on;
        for (int d = 0; d < 7; ++d) {
            session::LocalTime t;
            t.date = session::date_from_days(session::days_from_date({2026, 1, 5}) + d);  // a Monday
            t.weekday = d;
            t.seconds = *s.restart;
            if (session::schedule_at(week, t).open) open_on += (open_on.empty() ? "" : ", ") + std::string(session::weekday_name(d));
        }
        std::printf("  restart: every day at %s%s\n", session::clock_text(*s.restart).c_str(),
                    open_on.empty() ? ", while closed" : (", while open on " + open_on + " (visitors see it)").c_str());
    }
    if (s.osc)
        std::printf("  osc: %s:%u%s\n", s.osc->host.c_str(), unsigned(s.osc->port), s.osc->secret.empty() ? "" : " (with a secret)");
    else
        std::printf("  osc: off\n");
    std::printf("  audio: %s\n", s.audio ? audio::layout_name(*s.audio).c_str() : "none");
    if (s.metrics_port) std::printf("  metrics: 127.0.0.1:%u\n", unsigned(*s.metrics_port));
    std::printf("  watchdog: %g s\n", s.watchdog);
    session::ScheduleState now = session::schedule_at(s.schedule, std::time(nullptr));
    if (now.next_change)
        std::printf("  now: %s; %s %s (in %s)\n", now.open ? "open" : "closed", now.open ? "closes" : "opens",
                    session::local_time_text(now.next_at).c_str(), duration_text(*now.next_change).c_str());
    else
        std::printf("  now: %s, and no change within %d days\n", now.open ? "open" : "closed", session::kScheduleHorizonDays);
    return kOk;
}

int cmd_check(int argc, char** argv) {
    auto args = Args::parse(argc, argv, 2, {}, {});
    if (!args || args->words().size() != 1) {
        usage_error("check", args ? "" : args.error().message);
        return kUsage;
    }
    const std::string& word = args->words()[0];
    if (word.size() > 13 && word.compare(word.size() - 13, 13, ".display.yaml") == 0) return check_display(word);
    if (session::is_site_file(word)) return check_site(word);
    std::vector<show::Problem> problems;
    auto scene = show::load_scene(args->words()[0], problems);
    // The display the scene names is checked with it.
    if (scene && !scene->file.display_file.empty()) room::load_display(scene->file.display_file, problems);
    for (const show::Problem& p : problems) std::printf("%s\n", p.str().c_str());
    if (!scene || !problems.empty()) {
        std::fprintf(stderr, "%s: %zu problem%s\n", args->words()[0].c_str(), problems.size(), problems.size() == 1 ? "" : "s");
        return kBadInput;
    }
    const show::SceneFile& f = scene->file;
    std::printf("%s: ok (%zu assets, %zu nodes, %zu timelines, %zu cues, %zu states%s)\n", args->words()[0].c_str(),
                f.assets.size(), f.nodes.size(), f.timelines.size(), f.cues.size(), f.states.size(),
                f.hooks.empty() ? "" : ", hooks");
    if (!f.display_file.empty()) std::printf("display: %s\n", f.display_file.string().c_str());
    return kOk;
}

static std::string seconds(double t) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", t);
    return buf;
}

int cmd_info_scene(const std::string& path) {
    std::vector<show::Problem> problems;
    auto scene = show::load_scene(path, problems);
    if (!scene) {
        for (const show::Problem& p : problems) std::fprintf(stderr, "%s\n", p.str().c_str());
        return kBadInput;
    }
    const show::SceneFile& f = scene->file;
    std::printf("scene %s\n", path.c_str());
    std::printf("assets (%zu):\n", f.assets.size());
    for (const show::Asset& a : f.assets) std::printf("  %s: %s\n", a.name.c_str(), a.resolved.string().c_str());
    std::printf("nodes (%zu):\n", f.nodes.size());
    for (const show::Node& n : f.nodes) {
        int depth = 0;
        for (int p = n.parent; p >= 0; p = f.nodes[size_t(p)].parent) ++depth;
        std::string what = !n.model.empty() ? "model " + n.model + (n.animation.empty() ? "" : ", animation " + n.animation)
                           : n.light         ? std::string("light")
                           : n.camera        ? std::string(n.camera->orbit ? "camera (orbit)" : "camera")
                                             : std::string("group");
        std::printf("  %*s%s: %s%s\n", depth * 2, "", n.name.c_str(), what.c_str(), n.visible ? "" : " (hidden)");
    }
    std::printf("timelines (%zu):\n", f.timelines.size());
    for (const show::Timeline& t : f.timelines)
        std::printf("  %s: %g s%s, %zu tracks, %zu labels\n", t.name.c_str(), t.duration, t.loop ? " looping" : "",
                    t.tracks.size(), t.labels.size());
    std::printf("states (%zu), start %s:\n", f.states.size(),
                f.start.empty() ? (f.states.empty() ? "-" : f.states[0].name.c_str()) : f.start.c_str());
    for (const show::State& s : f.states) {
        std::printf("  %s: timeline %s\n", s.name.c_str(), s.timeline.empty() ? "-" : s.timeline.c_str());
        for (const show::Transition& tr : s.transitions) {
            std::string on;
            switch (tr.kind) {
                case show::TransitionKind::Touch: on = "touch " + tr.node; break;
                case show::TransitionKind::Idle: on = "idle " + std::to_string(int(tr.after)) + " s"; break;
                case show::TransitionKind::End: on = "end of timeline"; break;
                case show::TransitionKind::Osc: on = "OSC " + tr.osc; break;
                case show::TransitionKind::TimeOfDay: {
                    char buf[16];
                    std::snprintf(buf, sizeof buf, "%02d:%02d", tr.time_of_day / 3600, tr.time_of_day / 60 % 60);
                    on = std::string("time of day ") + buf;
                    break;
                }
            }
            std::printf("    on %s -> %s\n", on.c_str(), tr.to.c_str());
        }
        bool has_idle = std::any_of(s.transitions.begin(), s.transitions.end(),
                                    [](const show::Transition& t) { return t.kind == show::TransitionKind::Idle; });
        std::string start = f.start.empty() ? f.states[0].name : f.start;
        if (!has_idle && s.idle_default && s.name != start)
            std::printf("    on idle %g s -> %s (the default)\n", f.idle_timeout, start.c_str());
    }
    std::printf("cues (%zu):\n", f.cues.size());
    for (const show::Cue& c : f.cues) {
        std::string when = c.trigger == show::TriggerKind::Go      ? "GO"
                           : c.trigger == show::TriggerKind::Touch ? "touch " + c.node
                           : c.trigger == show::TriggerKind::Osc   ? "OSC " + c.osc
                           : c.timeline.empty()                    ? "at " + seconds(c.at) + " s"
                                                                   : "at " + c.timeline + " " + seconds(c.at) + " s";
        std::printf("  %s%s%s: %s, %zu action%s\n", c.id.c_str(), c.name.empty() ? "" : " ", c.name.c_str(), when.c_str(),
                    c.actions.size(), c.actions.size() == 1 ? "" : "s");
    }
    if (!f.hooks.empty()) std::printf("hooks: %s\n", scene->hooks_file.string().c_str());
    return kOk;
}

}  // namespace vitrine::app
