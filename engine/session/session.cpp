#include "session/session.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/log.h"
#include "edit/document.h"
#include "display/overlay.h"
#include "display/screens.h"
#include "room/projection.h"
#include "room/warp.h"
#include "session/protect.h"

namespace vitrine::session {

namespace {

std::string seconds_text(double t) {
    char s[32];
    std::snprintf(s, sizeof s, "%.3f", t);
    return s;
}

// Why a tracked eye cannot be used (empty when it can): it must stand in front of every
// planar screen, farther than the near plane, and see every mesh screen within 180 degrees.
std::string eye_problem(const room::DisplayFile& d, const glm::dvec3& eye) {
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

}  // namespace

void FrameTimes::add(double seconds) {
    ring_[next_] = seconds;
    next_ = (next_ + 1) % kFrames;
    count_ = std::min(count_ + 1, kFrames);
}

double FrameTimes::percentile(double p) const {
    if (count_ == 0) return 0;
    std::vector<double> v(ring_, ring_ + count_);
    size_t k = std::min(count_ - 1, size_t(std::clamp(p, 0.0, 1.0) * double(count_ - 1) + 0.5));
    std::nth_element(v.begin(), v.begin() + long(k), v.end());
    return v[k];
}

Session::Session(const SessionOptions& options, std::unique_ptr<Output> output, ShowClock clock)
    : options_(options), clock_(std::move(clock)), out_(std::move(output)) {}

Session::~Session() = default;

Result<std::unique_ptr<Session>> Session::open(const SessionOptions& options, display::Window& window, ShowClock clock) {
    return open(options, window_output(window), std::move(clock));
}

Result<std::unique_ptr<Session>> Session::open(const SessionOptions& options, std::unique_ptr<Output> output,
                                               ShowClock clock) {
    std::unique_ptr<Session> s(new Session(options, std::move(output), std::move(clock)));
    show::ShowOptions so = options.show;
    CivilTime civil = s->clock_.civil();
    so.day_start = options.time_of_day ? *options.time_of_day : civil.day_seconds;
    so.epoch_start = civil.epoch;
    std::vector<show::Problem> problems;
    s->live_ = show::LiveShow::open(options.scene, so, problems, options.live);
    for (const show::Problem& p : problems) std::fprintf(stderr, "%s\n", p.str().c_str());
    if (!s->live_)
        return fail(ErrorKind::BadInput, options.scene + ": " + std::to_string(problems.size()) + " problem" +
                                             (problems.size() == 1 ? "" : "s") + " (listed above); nothing was shown");
    protect_scene(s->live_->scene());

    if (options.osc) {
        auto o = show::OscServer::open(*options.osc);
        if (!o) return o.error();
        s->osc_ = std::move(*o);
        log::info("run: OSC control on " + options.osc->host + ":" + std::to_string(s->osc_->port()));
    }

    s->stage_.scene = &s->live_->scene();
    s->stage_.show = &s->live_->show();
    if (auto r = open_rig(s->stage_, options.rig); !r) return r.error();
    const std::optional<room::DisplayFile>& led = options.display;
    if (auto r = s->out_->attach(*s->stage_.rig, led); !r) return r.error();
    if (led) s->eye_ = led->viewer.eye;

    // Sound: the default output (or none: the show goes on silently, `healthy` says so).
    if (options.audio) {
        auto engine = audio::Engine::open_device(*options.audio);
        if (!engine) return engine.error();
        s->sound_.engine = std::move(engine.value());
        if (*options.audio == audio::Layout::Hrtf) log::info("run: audio HRTF " + s->sound_.engine->hrtf_status());
    }
    if (led) set_viewer(s->sound_, *led);  // `audio: {listener: viewer}` hears from the sweet spot

    if (options.seek > 0) {
        if (auto r = s->live_->seek(options.seek); !r) return fail(ErrorKind::BadInput, r.error().message);
        s->before_seek_ = s->clock_;
        s->clock_.set(options.seek);
    }
    if (!options.state.empty()) {
        Event e;
        e.address = "/vitrine/state";
        e.args = {options.state};
        s->handle(e, s->clock_.now());
    }
    s->state_ = s->live_->show().state();
    s->out_->set_title("Vitrine — " + options.scene + " — " + s->state_);
    return s;
}

int Session::finish(int code) {
    out_.reset();  // its GPU objects before the rig
    return stage_.finish(code);
}

Result<void> Session::lost(const Error& e) {
    if (e.kind == ErrorKind::DeviceLost) {
        ++health_.device_losses;
        // Files: frames read back since the last loss count as frames shown.
        if (!options_.live && out_->frames_written() != written_at_loss_) stage_.rig->frame_shown();
        written_at_loss_ = out_->frames_written();
    }
    return stage_.rig->recover_from(e);  // the one rule for a lost device
}

Result<void> Session::finish_frames() {
    if (auto r = out_->finish(); !r) return lost(r.error());
    return {};
}

void Session::draw_panel(uint32_t width, uint32_t height) {
    display::OverlayList list;
    if (panel_) {
        const show::Show& s = live_->show();
        double tod = s.time_of_day();
        char lines[4][160];
        std::snprintf(lines[0], sizeof lines[0], "state %s   show time %.1f s   cue %s", s.state().c_str(), s.now(),
                      s.current_cue().empty() ? "-" : s.current_cue().c_str());
        std::snprintf(lines[1], sizeof lines[1], "frame %.1f ms (p99 %.1f ms)   shown %llu   dropped %llu   device losses %llu",
                      health_.frame_times.percentile(0.5) * 1000, health_.frame_times.percentile(0.99) * 1000,
                      (unsigned long long)health_.frames_shown, (unsigned long long)health_.frames_dropped,
                      (unsigned long long)health_.device_losses);
        std::snprintf(lines[2], sizeof lines[2], "sound %s   reloads %llu good, %llu refused   touches %llu",
                      audio_status().c_str(), (unsigned long long)health_.reloads_good,
                      (unsigned long long)health_.reloads_failed, (unsigned long long)health_.touches);
        std::snprintf(lines[3], sizeof lines[3], "time of day %02d:%02d:%02d", int(tod / 3600), int(std::fmod(tod, 3600) / 60),
                      int(std::fmod(tod, 60)));
        // Text a twentieth of the picture's height (12 px at least), in a dark box.
        float px = std::max(12.0f, float(height) / 36.0f), pad = px * 0.5f;
        float w = 0;
        for (const char* line : lines) w = std::max(w, display::measure(line, px).x);
        w = std::min(w + 2 * pad, float(width));
        list.rect(0, 0, w, 4 * px * 1.25f + 2 * pad, display::rgba(0, 0, 0, 190));
        for (int i = 0; i < 4; ++i) list.text(pad, pad + float(i) * px * 1.25f, lines[i], display::rgba(255, 255, 255), px);
    }
    list.append(overlay_);
    out_->set_overlay(std::move(list));
}

void Session::gather(std::vector<Event>& events) {
    uint32_t fw = 0, fh = 0;
    out_->size(&fw, &fh);
    // A minimised window waits for something to happen instead of spinning.
    for (const display::WindowEvent& w : out_->poll_events(fw == 0 || fh == 0 ? 0.1 : 0)) {
        using Kind = display::WindowEvent::Kind;
        if (window_filter_ && window_filter_(w)) continue;  // the editor's panels took it
        if (w.kind == Kind::Key && w.repeat) continue;        // held down: one press
        Event e;
        if (w.kind == Kind::Release && w.button == 0 && w.width > 0 && w.height > 0) {
            e.kind = Event::Kind::TouchAt;  // a click is a touch where the button came up
            e.x = w.x / w.width, e.y = w.y / w.height;
        } else if (w.kind == Kind::Key && (w.key == display::Key::F11 || w.key == display::Key::Enter)) {
            e.kind = Event::Kind::Fullscreen;
        } else if (w.kind == Kind::Key && w.key == display::Key::I) {
            e.kind = Event::Kind::Panel;
        } else if (w.kind == Kind::Key && (w.key == display::Key::Escape || w.key == display::Key::Q)) {
            e.kind = Event::Kind::Quit;
        } else {
            continue;
        }
        events.push_back(std::move(e));
    }
    if (!osc_) return;
    messages_.clear();
    osc_->poll(messages_);
    for (const show::OscMessage& m : messages_) {
        Event e;
        if (m.address == "/vitrine/seek") {
            e.kind = Event::Kind::Seek;
            e.seconds = m.args.empty() ? -1 : std::strtod(m.args[0].c_str(), nullptr);
        } else if (m.address == "/vitrine/eye") {
            double v[3] = {NAN, NAN, NAN};
            for (size_t k = 0; k < 3 && k < m.args.size(); ++k) v[k] = std::strtod(m.args[k].c_str(), nullptr);
            if (m.args.size() != 3 || !std::isfinite(v[0]) || !std::isfinite(v[1]) || !std::isfinite(v[2])) {
                log::warn("OSC /vitrine/eye needs x y z in metres");
                continue;
            }
            e.kind = Event::Kind::Eye;
            e.eye = {v[0], v[1], v[2]};
        } else if (m.address == "/vitrine/panel") {
            e.kind = Event::Kind::Panel;
            e.args = m.args;
        } else if (m.address == "/vitrine/status") {
            e.kind = Event::Kind::Status;
            e.sender = m.sender;
        } else if (m.address == "/vitrine/edit") {
            e.kind = Event::Kind::Edit;
            e.args = m.args;
            e.sender = m.sender;
        } else {
            e.kind = Event::Kind::Osc;
            e.address = m.address;
            e.args = m.args;
        }
        events.push_back(std::move(e));
    }
}

void Session::input(show::Input in) {
    if (in.kind == show::InputKind::TouchAt || in.kind == show::InputKind::TouchNode) ++health_.touches;
    live_->input(std::move(in));
}

void Session::handle(const Event& e, double now) {
    show::Input in;
    in.t = now;
    switch (e.kind) {
        case Event::Kind::TouchAt: {
            in.kind = show::InputKind::TouchAt;
            in.x = float(e.x), in.y = float(e.y);
            in.aspect = aspect_;  // touches pick through the picture they were made on
            const std::optional<room::DisplayFile>& led = options_.display;
            if (led && !led->lenticular) {
                // On a wall the touch picks through the screen under it (its own view), and is
                // recorded as the node it hit ("" = none), so a replay needs no screens.
                in.kind = show::InputKind::TouchNode;
                uint32_t fw = 0, fh = 0;
                out_->size(&fw, &fh);
                int node = pick_on_wall(float(e.x) * float(fw), float(e.y) * float(fh));
                in.node = node >= 0 ? stage_.scene->file.nodes[size_t(node)].name : std::string();
            }
            input(in);
            break;
        }
        case Event::Kind::TouchNode:
            in.kind = show::InputKind::TouchNode;
            in.node = e.node;
            input(in);
            break;
        case Event::Kind::Osc:
            in.address = e.address;
            in.args = e.args;
            input(in);
            break;
        case Event::Kind::Seek: seek(e.seconds); break;
        case Event::Kind::Pause: clock_.pause(); break;
        case Event::Kind::Resume: clock_.resume(); break;
        case Event::Kind::Eye: eye(e.eye); break;
        case Event::Kind::Status: status(e.sender); break;
        case Event::Kind::Edit: edit(e); break;
        case Event::Kind::Fullscreen: out_->toggle_fullscreen(); break;
        case Event::Kind::Panel: panel_ = e.args.empty() ? !panel_ : e.args[0] == "on" || e.args[0] == "1"; break;
        case Event::Kind::Quit: out_->close(); break;
    }
}

// A seek works at most 8 ms a frame (see step); until it lands the running show stands
// still, and the clock already runs from the target.
void Session::seek(double t) {
    if (auto r = live_->seek(t); !r) {
        log::warn("run: " + r.error().message);
        return;
    }
    if (!before_seek_) before_seek_ = clock_;
    clock_.set(t);
}

void Session::eye(const glm::dvec3& at) {
    const std::optional<room::DisplayFile>& led = options_.display;
    char text[96];
    std::snprintf(text, sizeof text, "%g, %g, %g", at.x, at.y, at.z);
    if (!led) return log::warn("OSC /vitrine/eye: no display file (run --display FILE)");
    if (!led->viewer.tracked) return log::warn("OSC /vitrine/eye: the display's viewer is not `tracked: osc`");
    if (auto why = eye_problem(*led, at); !why.empty())
        return log::warn(std::string("OSC /vitrine/eye ") + text + ": " + why + "; the eye stays where it was");
    eye_ = at;
    log::info(std::string("run: eye at ") + text);
}

void Session::status(uint64_t sender) {
    if (!osc_) return;
    const show::Show& s = live_->show();
    osc_->reply(sender, "/vitrine/status", {s.state(), seconds_text(s.now()), s.current_cue(), "audio " + audio_status()});
}

edit::Document* Session::document() {
    if (!document_ && !document_failed_) {
        auto doc = edit::Document::open(options_.scene);
        if (!doc) {
            log::warn("edit: " + doc.error().message);
            document_failed_ = true;  // said once
            return nullptr;
        }
        document_ = std::move(*doc);
        document_version_ = document_->version();
    }
    return document_.get();
}

void Session::set_document(std::unique_ptr<edit::Document> document) {
    document_ = std::move(document);
    document_version_ = document_->version();  // just opened: its text is the file's, which the show was made from
}

// One editor command from OSC: its words joined (a control desk may send the command as
// one string or as several), applied to the document, the result replied.
void Session::edit(const Event& e) {
    std::string line;
    for (const std::string& a : e.args) line += (line.empty() ? "" : " ") + a;
    edit::Document* doc = document();
    std::string reply;
    // Each edit checks the whole show again (milliseconds): a flood of them must not
    // hold a frame, so a few are taken a frame and the others refused (the sender may resend).
    if (++edits_this_frame_ > kEditsPerFrame) {
        if (edits_this_frame_ == kEditsPerFrame + 1) log::warn("OSC /vitrine/edit: more than " + std::to_string(kEditsPerFrame) + " edits in one frame; the rest refused");
        if (osc_ && e.sender) osc_->reply(e.sender, "/vitrine/edit", {"error: busy (more than " + std::to_string(kEditsPerFrame) + " edits a frame); send it again"});
        return;
    }
    if (!doc) {
        reply = "error: the scene file cannot be edited";
    } else if (auto r = doc->apply(line); !r) {
        reply = "error: " + r.error().message;
        log::warn("OSC /vitrine/edit " + line + ": " + r.error().message);
    } else {
        size_t n = doc->problems().size();
        reply = n == 0 ? "ok" : "ok, " + std::to_string(n) + (n == 1 ? " problem: " : " problems, the first: ") +
                                     doc->problems()[0].str();
        log::info("edit: " + line + (doc->unsaved() ? " (unsaved)" : ""));
    }
    if (osc_ && e.sender) osc_->reply(e.sender, "/vitrine/edit", {reply});
}

// The document changed (an edit, an undo, a reload of the file): the running show is
// made from its text, at the same show time, when it has no problems.
void Session::follow_document() {
    if (!document_) return;
    // The file edited by another program while nothing is unsaved here: the document
    // takes it (looked at once a second; the editor asks when there are unsaved edits).
    double now = steady_seconds();
    if (!document_->unsaved() && now - document_checked_ >= 1) {
        document_checked_ = now;
        if (document_->changed_on_disk())
            if (auto r = document_->reload(); !r) log::warn("edit: " + r.error().message);
    }
    if (document_->version() == document_version_) return;
    document_version_ = document_->version();
    live_->set_text(document_->text());
}

int Session::pick(float x, float y) const { return show::pick(stage_.frame, aspect_, x, y); }

std::string Session::audio_status() const {
    return !sound_.engine                      ? "off"
           : !sound_.engine->healthy()         ? "silent"
           : sound_.engine->silent_files() > 0 ? "degraded"
                                               : "ok";
}

Result<void> Session::reload() {
    follow_document();
    std::vector<show::Problem> problems;
    switch (live_->poll(problems)) {
        case show::LiveShow::Reload::None: break;
        case show::LiveShow::Reload::Failed:
            ++health_.reloads_failed;
            for (const show::Problem& p : problems) std::fprintf(stderr, "%s\n", p.str().c_str());
            log::warn("run: " + options_.scene + " has " + std::to_string(problems.size()) +
                      " problem(s); the last good version keeps running");
            break;
        case show::LiveShow::Reload::Reloaded: {
            ++health_.reloads_good;
            stage_.scene = &live_->scene();
            stage_.show = &live_->show();
            live_->cache().keep_only(live_->scene());
            protect_scene(live_->scene());
            if (auto r = upload_scene(stage_); !r) return r.error();
            char ms[32];
            std::snprintf(ms, sizeof ms, "%.0f", live_->last_reload_ms());
            log::info("run: reloaded " + options_.scene + " in " + ms + " ms at show time " +
                      std::to_string(live_->show().now()) + ", state " + live_->show().state());
            break;
        }
    }
    return {};
}

void Session::report() {
    show::Show& s = live_->show();
    if (!options_.live) {  // a render: every line, in show order; nothing sent
        for (const std::string& line : s.take_warnings()) log::warn(line);
        for (const std::string& line : s.take_log()) log::info(line);
        for (const show::OutgoingOsc& m : s.take_outgoing())
            log::info("render: not sending OSC " + m.address + " to " + m.to + " (offline)");
        return;
    }
    // A warning that repeats is printed once a minute with its count (Repeats).
    double now = steady_seconds();
    for (const std::string& line : s.take_warnings())
        if (warnings_.pass(line, now)) log::warn(line);
    for (const std::string& line : warnings_.due(now)) log::warn(line);
    for (const std::string& line : s.take_log()) log::info(line);
    for (const show::OutgoingOsc& m : s.take_outgoing())
        if (auto r = show::osc_send(m.to, m.address, m.args); !r) log::warn(r.error().message);
    if (s.state() != state_) {
        state_ = s.state();
        out_->set_title("Vitrine — " + options_.scene + " — " + state_);  // where the show is, for a technician at the machine
        log::info("run: state " + state_ + " at show time " + std::to_string(s.now()));
    }
}

void Session::keep_sound() {
    if (!sound_.engine) return;
    double now = clock_.monotonic();
    if (!sound_.engine->healthy() && now >= sound_retry_) {  // unplugged or absent: try again, 3 s to 1 min apart
        sound_wait_ = std::min(sound_wait_ * 2, 60.0);
        sound_retry_ = now + sound_wait_;
        if (sound_.engine->reopen() && sound_.engine->healthy()) log::info("run: the audio device is back; sound resumes at show time");
    }
    if (sound_.engine->healthy()) sound_wait_ = 1.5;  // the next loss retries after 3 s again
}

// The wall clock is read every frame: a DST change, an NTP step or a clock set by hand
// reaches the show as a Clock input (one line in the log), so `time_of_day` transitions
// follow the wall clock. Not with a fixed --clock, nor while paused (show time stands still).
void Session::follow_civil_time(double now) {
    if (options_.time_of_day || clock_.paused()) return;
    CivilTime civil = clock_.civil();
    show::Show& s = live_->show();
    auto in = civil_input(s, now, civil);
    if (!in) return;
    double step = clock_offset(s.time_of_day() + (now - s.now()), civil.day_seconds);
    char line[160];
    int hh = int(in->time_of_day / 3600), mm = int(std::fmod(in->time_of_day, 3600) / 60), ss = int(std::fmod(in->time_of_day, 60));
    std::snprintf(line, sizeof line, "run: the wall clock moved by %+.0f s (daylight saving, NTP or set by hand); time of day now %02d:%02d:%02d",
                  step, hh, mm, ss);
    log::info(line);
    input(*in);
}

int Session::pick_on_wall(float px, float py) const {
    glm::dvec3 origin, dir;
    for (const render::View& v : views_)
        if (display::pixel_ray(v, px, py, origin, dir)) return show::pick_ray(stage_.frame, glm::vec3(origin), glm::vec3(dir));
    return -1;
}

std::vector<render::View> Session::views(uint32_t fw, uint32_t fh) {
    const std::optional<room::DisplayFile>& led = options_.display;
    if (camera_ && !(led && !led->lenticular)) {  // the editor's camera, for this frame's views only
        show::FrameCamera show_camera = stage_.frame.camera;
        stage_.frame.camera = *camera_;
        camera_.reset();
        std::vector<render::View> out = views(fw, fh);
        camera_ = stage_.frame.camera;
        stage_.frame.camera = show_camera;
        return out;
    }
    if (led && led->lenticular) {  // into the window's quilt, interleaved
        room::QuiltCamera cam;
        show::CameraMatrices m = show::camera_view(stage_.frame, 1.0f);
        glm::dmat4 inv = glm::inverse(glm::dmat4(m.view));
        cam.basis = glm::dmat3(glm::dvec3(inv[0]), glm::dvec3(inv[1]), glm::dvec3(inv[2]));
        cam.focal_centre = glm::dvec3(inv[3]) - cam.basis[2] * led->lenticular->focal_plane;
        return display::quilt_views(*led->lenticular, cam);
    }
    if (led) {
        out_->set_eye(eye_);
        std::vector<render::View> all = display::screen_views(*led, eye_);
        if (screen_ >= 0 && size_t(screen_) < all.size()) {  // one screen, its region filling the window
            render::View one = all[size_t(screen_)];
            uint32_t w = one.viewport.width, h = one.viewport.height;
            one.viewport.x = one.viewport.y = 0;
            return display::fit_views(std::span(&one, 1), w, h, fw, fh);
        }
        return display::fit_views(all, uint32_t(led->canvas_width), uint32_t(led->canvas_height), fw, fh);
    }
    return {frame_view(stage_.frame, {0, 0, fw, fh})};
}

Result<void> Session::step(std::vector<Event> events, bool draw) {
    edits_this_frame_ = 0;
    gather(events);
    double now = clock_.now();
    for (const Event& e : events) {
        handle(e, now);
        if (e.kind == Event::Kind::Seek) now = clock_.now();
    }
    // A seek works at most 8 ms a frame; until it lands the running show stands still.
    if (live_->seeking()) {
        switch (live_->continue_seek(now, 0.008)) {
            case show::LiveShow::Seek::Landed:
                before_seek_.reset();
                stage_.show = &live_->show();
                log::info("run: sought to show time " + std::to_string(live_->show().now()) + ", state " +
                          live_->show().state());
                break;
            case show::LiveShow::Seek::Abandoned:
                if (before_seek_) clock_ = *before_seek_;  // the running show goes on where it was
                before_seek_.reset();
                break;
            default: break;
        }
    } else if (!options_.live && now < live_->show().now()) {  // a render drawing lost frames again
        live_->show().seek(now);
    } else {
        follow_civil_time(now);
        live_->show().advance(now);
    }
    if (options_.live)
        if (auto r = reload(); !r) return r;
    report();
    if (!draw) {
        keep_sound();
        return {};
    }

    uint32_t fw = 0, fh = 0;
    out_->size(&fw, &fh);
    if (fw == 0 || fh == 0) return {};  // minimised: nothing to draw
    aspect_ = float(fw) / float(fh);
    render::Look look = prepare_frame(stage_);
    if (sound_.engine) {
        sound_.aspect = aspect_;
        keep_sound();
        update_audio(sound_, stage_.frame);  // a rebuilt device gets every voice back at its offset
    }
    views_ = views(fw, fh);
    draw_panel(fw, fh);
    if (record_.empty() && !options_.record.empty()) {
        char name[32];
        std::snprintf(name, sizeof name, "/frame_%04llu.png", (unsigned long long)health_.frames_shown);
        record_ = options_.record + name;
    }
    auto r = out_->draw(stage_.instances, look, views_, record_);
    if (!r) {
        ++health_.frames_dropped;
        return lost(r.error());
    }
    if (!r.value()) {
        ++health_.frames_dropped;
        return {};
    }
    ++health_.frames_shown;
    record_.clear();
    // A window's frame is on screen; a file's only queued (read back later: lost() counts
    // those), so a frame that loses the device every time still gives up after three.
    if (options_.live) stage_.rig->frame_shown();
    double t = steady_seconds();
    if (last_present_ > 0) health_.frame_times.add(t - last_present_);
    last_present_ = t;
    return {};
}

}  // namespace vitrine::session
