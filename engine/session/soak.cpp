#include "session/soak.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>

#include "core/image.h"
#include "core/log.h"
#include "display/window.h"
#include "gpu/live_objects.h"
#include "session/session.h"
#include "session/site_file.h"
#include "session/signals.h"
#include "session/site_session.h"
#include "session/soak_files.h"
#include "show/load.h"

namespace vitrine::session {

namespace fs = std::filesystem;

namespace {

constexpr double kStep = 60;          // simulated seconds a step
constexpr double kFrameEvery = 900;   // simulated seconds between frames drawn
constexpr double kSeekBack = 600;     // the seek measured: 10 minutes back
constexpr double kWaitSeconds = 30;   // real seconds a file change or a frame may take (a loaded machine)

double real_seconds() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// The accelerated clocks: show time runs on `elapsed` (simulated seconds); civil time is
// the start, plus elapsed, plus the steps a fault gave the wall clock.
struct SimClock {
    double elapsed = 0, shift = 0, start_epoch = 0;
    CivilTime civil() const {
        double epoch = start_epoch + elapsed + shift;
        std::time_t whole = std::time_t(std::floor(epoch));
        std::tm local{};
        localtime_r(&whole, &local);
        return {local.tm_hour * 3600.0 + local.tm_min * 60.0 + local.tm_sec + (epoch - double(whole)), epoch};
    }
};

long open_files() {
    long n = 0;
    std::error_code ec;
    for (auto it = fs::directory_iterator("/proc/self/fd", ec); !ec && it != fs::directory_iterator(); it.increment(ec)) ++n;
    return n - 1;  // the iterator's own
}

long threads() {
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("Threads:", 0) == 0) return std::atol(line.c_str() + 8);
    return -1;
}

std::string span_text(double s) {
    char t[32];
    if (s >= 86400 && std::fmod(s, 86400) == 0) std::snprintf(t, sizeof t, "%.0fd", s / 86400);
    else if (s >= 3600 && std::fmod(s, 3600) == 0) std::snprintf(t, sizeof t, "%.0fh", s / 3600);
    else if (s >= 86400) std::snprintf(t, sizeof t, "%.1fd", s / 86400);
    else std::snprintf(t, sizeof t, "%.1fh", s / 3600);
    return t;
}

double mean_level(const Image8& img) {
    if (img.rgba.empty()) return 0;
    double sum = 0;
    for (size_t i = 0; i + 3 < img.rgba.size(); i += 4) sum += img.rgba[i] + img.rgba[i + 1] + img.rgba[i + 2];
    return sum / (3.0 * 255.0 * double(img.rgba.size() / 4));
}

std::string read_all(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class Soak {
public:
    Soak(const SoakOptions& o, SiteFile site, display::Window& window, const fs::path& scratch)
        : o_(o), site_(std::move(site)), window_(window), scratch_(scratch), rng_(o.seed) {
        clock_.start_epoch = double(o.start_at ? *o.start_at : std::time(nullptr));
    }

    Result<void> prepare();
    int run();

private:
    Result<void> open_session();
    Result<void> step(std::vector<Event> events, bool draw);
    Result<bool> picture(const std::string& name, double& level);
    Result<void> sample(const std::string& label);
    Result<double> measure_seek();
    Result<double> measure_reload();
    Result<bool> wait_for(const std::function<bool()>& done, bool draw);
    Result<void> hangup();
    void verdict(const std::string& fault, bool ok, const std::string& detail);

    // The faults.
    Result<void> lose_gpu();
    Result<void> lose_sound();
    Result<void> break_file(const std::string& fault, const std::string& name, const fs::path& file,
                            const std::string& bad, const std::string& good);
    Result<void> break_model();
    Result<void> break_scene();
    Result<void> step_clock(double seconds);
    Result<void> send_hangup();
    Result<void> lose_monitor();
    Result<void> check_panel();

    const SoakOptions& o_;
    SiteFile site_;
    display::Window& window_;
    fs::path scratch_;
    SimClock clock_;
    std::unique_ptr<Session> session_;
    Mirror mirror_;
    fs::path scene_, model_;
    std::string scene_text_, model_bytes_;
    std::mt19937 rng_;
    int survived_ = 0, failed_ = 0, skipped_ = 0, reloads_ = 0;
    struct Row {
        std::string label;
        long rss_kb = 0, gpu_used_kb = 0, gpu_held_kb = 0, files = 0, threads = 0;
        double seek_ms = 0, reload_ms = 0;
    };
    std::vector<Row> rows_;
};

Result<void> Soak::prepare() {
    // The show's copy: every file its scene reads (and the display file it names).
    std::vector<show::Problem> problems;
    auto loaded = show::load_scene(site_.scene, problems);
    if (!loaded) return fail(ErrorKind::BadInput, site_.scene.string() + ": does not load");
    std::vector<fs::path> files = loaded->files;
    if (std::string d = scene_display(site_.scene.string()); !d.empty()) {
        files.push_back(d);
        if (auto df = load_display_file(d); df)
            for (const room::Screen& s : df->screens)
                if (!s.mesh.file.empty()) files.push_back(s.mesh.file);
    }
    auto m = mirror_files(files, scratch_ / "files");
    if (!m) return m.error();
    mirror_ = *m;
    scene_ = mirror_.map(site_.scene);
    scene_text_ = read_all(scene_);
    for (const fs::path& f : loaded->files)
        if (f.extension() == ".gltf" || f.extension() == ".glb") {
            model_ = mirror_.map(f);
            model_bytes_ = read_all(model_);
            break;
        }
    std::error_code ec;
    fs::create_directories(scratch_ / "pictures", ec);
    return {};
}

Result<void> Soak::open_session() {
    session_.reset();
    auto so = site_session_options(site_, scene_, window_, o_.hook_budget_seconds, o_.validation);
    if (!so) return so.error();
    so->osc.reset();  // a soak takes no control port (several may run side by side)
    SimClock* c = &clock_;
    ShowClock clock([c] { return c->elapsed; }, [c] { return c->civil(); });
    auto s = Session::open(*so, window_, std::move(clock));
    if (!s) return s.error();
    session_ = std::move(*s);
    return {};
}

// A SIGHUP is answered between steps of the run loop (it may open the session again), never
// in the middle of a fault or a sample.
Result<void> Soak::step(std::vector<Event> events, bool draw) { return session_->step(std::move(events), draw); }

// Steps a simulated second at a time (so a retry can fall due) until `done`, for up to
// kWaitSeconds of real time after the last device rebuild; a stop signal ends it.
Result<bool> Soak::wait_for(const std::function<bool()>& done, bool draw) {
    double until = real_seconds() + kWaitSeconds;
    uint64_t losses = session_->health().device_losses;
    while (!done()) {
        if (stop_signal()) return fail(ErrorKind::Interrupted, "stopped by a signal");
        if (real_seconds() > until) return done();
        clock_.elapsed += 1;
        if (auto r = step({}, draw); !r) return r.error();
        if (session_->health().device_losses != losses) {  // rebuilding took its time: wait afresh
            losses = session_->health().device_losses;
            until = real_seconds() + kWaitSeconds;
        }
    }
    return true;
}

// The next frame on screen, written to pictures/NAME.png; its mean level (0 black .. 1).
Result<bool> Soak::picture(const std::string& name, double& level) {
    fs::path png = scratch_ / "pictures" / (name + ".png");
    std::error_code ec;
    fs::remove(png, ec);
    session_->record_next(png.string());
    uint64_t before = session_->frames_shown();
    auto shown = wait_for([&] { return session_->frames_shown() > before; }, true);
    if (!shown) return shown.error();
    if (!*shown) return false;
    if (auto r = window_.finish_recording(); !r) return r.error();
    auto img = read_png(png);
    if (!img) return img.error();
    level = mean_level(*img);
    return level > 0.02;  // not a black screen
}

void Soak::verdict(const std::string& fault, bool ok, const std::string& detail) {
    (ok ? survived_ : failed_) += 1;
    std::printf("fault at %-6s %-14s %s: %s\n", span_text(clock_.elapsed).c_str(), fault.c_str(),
                ok ? "survived" : "FAILED", detail.c_str());
    std::fflush(stdout);
}

Result<void> Soak::lose_gpu() {
    uint64_t losses = session_->health().device_losses;
    double t0 = real_seconds();
    gpu::inject_device_loss();
    double level = 0;
    auto ok = picture("lost_gpu", level);
    if (!ok) return ok.error();
    char d[160];
    std::snprintf(d, sizeof d, "device rebuilt, a frame on screen %.0f ms later (pictures/lost_gpu.png, level %.2f)",
                  (real_seconds() - t0) * 1000, level);
    verdict("lost GPU", *ok && session_->health().device_losses == losses + 1, d);
    return {};
}

Result<void> Soak::lose_sound() {
    if (!session_->sound() || session_->audio_status() != "ok") {
        ++skipped_;
        std::printf("fault at %-6s %-14s skipped: the sound is %s (no device to lose)\n", span_text(clock_.elapsed).c_str(),
                    "lost sound", session_->audio_status().c_str());
        return {};
    }
    double from = clock_.elapsed;
    session_->sound()->simulate_disconnect();
    auto back = wait_for([&] { return session_->audio_status() == "ok"; }, false);
    if (!back) return back.error();
    char d[120];
    std::snprintf(d, sizeof d, "the device reopened %.0f simulated s later", clock_.elapsed - from);
    verdict("lost sound", *back, *back ? d : "the sound never came back");
    return {};
}

// A file of the show replaced by a bad version, then by the good one again: the bad one is
// refused and the last good version stays on screen in the same state; the good one is
// reloaded. `name` names the fault and its two pictures (NAME.png, NAME_fixed.png).
Result<void> Soak::break_file(const std::string& fault, const std::string& name, const fs::path& file,
                              const std::string& bad, const std::string& good) {
    std::string state = session_->show().state();
    uint64_t failed = session_->health().reloads_failed, good_reloads = session_->health().reloads_good;
    if (auto r = replace_file(file, bad); !r) return r;
    auto refused = wait_for([&] { return session_->health().reloads_failed > failed; }, false);
    if (!refused) return refused.error();
    double level = 0;
    auto on = picture(name, level);
    if (!on) return on.error();
    bool kept = *refused && *on && session_->show().state() == state;
    if (auto r = replace_file(file, good); !r) return r;
    auto fixed = wait_for([&] { return session_->health().reloads_good > good_reloads; }, false);
    if (!fixed) return fixed.error();
    double level2 = 0;
    auto on2 = picture(name + "_fixed", level2);
    if (!on2) return on2.error();
    char d[200];
    std::snprintf(d, sizeof d, "refused, the last good version shown (level %.2f); fixed, reloaded (level %.2f), state %s",
                  level, level2, session_->show().state().c_str());
    verdict(fault, kept && *fixed && *on2, d);
    return {};
}

Result<void> Soak::break_model() {
    if (model_.empty()) {
        ++skipped_;
        std::printf("fault at %-6s %-14s skipped: the scene has no model\n", span_text(clock_.elapsed).c_str(), "corrupt model");
        return {};
    }
    return break_file("corrupt model", "corrupt_model", model_, model_bytes_.substr(0, model_bytes_.size() / 2), model_bytes_);
}

Result<void> Soak::break_scene() {
    return break_file("broken scene", "broken_scene", scene_, "vitrine: 1\nnodes: [\n", scene_text_);
}

Result<void> Soak::step_clock(double seconds) {
    clock_.shift += seconds;
    clock_.elapsed += 1;
    if (auto r = step({}, false); !r) return r;
    double off = clock_offset(session_->show().time_of_day(), clock_.civil().day_seconds);
    double level = 0;
    std::string name = seconds > 0 ? "clock_forward" : "clock_back";
    auto on = picture(name, level);
    if (!on) return on.error();
    char d[160];
    std::snprintf(d, sizeof d, "the show's time of day follows the wall clock (%.1f s apart; pictures/%s.png)", off,
                  name.c_str());
    verdict(seconds > 0 ? "clock +1 h" : "clock -1 h", std::abs(off) <= kClockStep && *on, d);
    return {};
}

// As the kiosk does on SIGHUP: the site file read again; a broken one is refused and the
// running show goes on; one that changes what the show runs with opens it again.
Result<void> Soak::hangup() {
    std::vector<show::Problem> problems;
    SiteFile fresh = load_site(o_.site, problems);
    for (const show::Problem& p : problems) std::fprintf(stderr, "%s\n", p.str().c_str());
    if (!problems.empty()) {
        log::warn("kiosk: SIGHUP: " + o_.site.string() + " has " + std::to_string(problems.size()) +
                  " problem(s); the running show goes on");
        return {};
    }
    bool same = same_show(site_, fresh);
    site_ = std::move(fresh);
    if (same) {
        log::info("kiosk: SIGHUP: " + o_.site.string() + " read again; the running show is unchanged");
        return {};
    }
    log::info("kiosk: SIGHUP: " + o_.site.string() + " changed the show; opening it again");
    return open_session();
}

Result<void> Soak::send_hangup() {
    double t = session_->show().now();
    std::raise(SIGHUP);
    if (take_hangup())
        if (auto r = hangup(); !r) return r;
    double level = 0;
    auto on = picture("sighup", level);
    if (!on) return on.error();
    char d[160];
    std::snprintf(d, sizeof d, "the site file read again, the show went on at show time %.0f s (level %.2f)",
                  session_->show().now(), level);
    verdict("SIGHUP", *on && session_->show().now() >= t, d);
    return {};
}

Result<void> Soak::lose_monitor() {
    double t0 = real_seconds();
    bool fullscreen = window_.fullscreen();
    window_.simulate_monitor_loss();
    double level = 0;
    auto on = picture("monitor_back", level);
    if (!on) return on.error();
    char d[160];
    std::snprintf(d, sizeof d, "%s, a frame on screen %.0f ms later (level %.2f)",
                  !fullscreen ? "in a window (--size): nothing to return to" : window_.fullscreen() ? "fullscreen on its monitor again" : "NOT fullscreen again",
                  (real_seconds() - t0) * 1000, level);
    verdict("monitor gone", *on && window_.fullscreen() == fullscreen, d);
    return {};
}

// The technician's status panel (key I) is drawn over the picture, in its box at the top
// left: the box is darker there (a black box, white text) than the picture without it.
Result<void> Soak::check_panel() {
    double level = 0;
    auto without = picture("without_panel", level);
    if (!without) return without.error();
    session_->show_panel(true);
    auto with = picture("status_panel", level);
    session_->show_panel(false);
    if (!with) return with.error();
    auto a = read_png(scratch_ / "pictures" / "without_panel.png");
    auto b = read_png(scratch_ / "pictures" / "status_panel.png");
    if (!a || !b) return fail(ErrorKind::Io, "the panel's pictures cannot be read");
    auto box = [](const Image8& img) {  // the top left tenth of the picture
        Image8 crop;
        crop.width = img.width / 4, crop.height = img.height / 10;
        for (uint32_t y = 0; y < crop.height; ++y)
            crop.rgba.insert(crop.rgba.end(), img.rgba.begin() + long(y * img.width * 4),
                             img.rgba.begin() + long((y * img.width + crop.width) * 4));
        return crop;
    };
    double before = mean_level(box(*a)), after = mean_level(box(*b));
    bool drawn = after < before - 0.05 && after > 0.005;  // darker, and not black: text on a dark box
    std::printf("status panel   %s: its box at the top left %.2f -> %.2f (pictures/status_panel.png)\n",
                drawn ? "drawn" : "NOT DRAWN", before, after);
    if (!drawn) ++failed_;
    return {};
}

Result<double> Soak::measure_seek() {
    double now = session_->show().now();
    double target = std::max(session_->show().earliest(), now - kSeekBack);
    auto go = [&](double to) -> Result<double> {
        double t0 = real_seconds();
        Event e;
        e.kind = Event::Kind::Seek;
        e.seconds = to;
        if (auto r = step({e}, false); !r) return r.error();
        for (int i = 0; i < 100000 && session_->live().seeking() && !stop_signal(); ++i)
            if (auto r = step({}, false); !r) return r.error();
        return (real_seconds() - t0) * 1000;
    };
    auto back = go(target);
    if (!back) return back;
    if (auto r = go(now); !r) return r;  // and on to where the show was (not counted)
    return back;
}

Result<double> Soak::measure_reload() {
    uint64_t good = session_->health().reloads_good;
    scene_text_ += "\n# the soak's reload " + std::to_string(++reloads_) + "\n";
    if (auto r = replace_file(scene_, scene_text_); !r) return r.error();
    double until = real_seconds() + kWaitSeconds, ms = -1;
    while (session_->health().reloads_good == good && real_seconds() < until && !stop_signal()) {
        double t0 = real_seconds();
        if (auto r = step({}, false); !r) return r.error();
        if (session_->health().reloads_good > good) ms = (real_seconds() - t0) * 1000;
    }
    return ms;
}

// Seek and reload costs are the median of kRepeats (one alone is at the mercy of
// whatever else the machine is doing).
constexpr int kRepeats = 5;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

Result<void> Soak::sample(const std::string& label) {
    std::vector<double> seeks, reloads;
    for (int i = 0; i < kRepeats; ++i) {
        auto seek = measure_seek();
        if (!seek) return seek.error();
        seeks.push_back(*seek);
        auto reload = measure_reload();
        if (!reload) return reload.error();
        reloads.push_back(*reload);
    }
    Row r;
    r.label = label;
    r.rss_kb = long(gpu::resident().rss_kb);
    gpu::Allocator& a = session_->stage().rig->ctx().allocator();
    r.gpu_used_kb = long(a.bytes_used() >> 10), r.gpu_held_kb = long(a.bytes_in_blocks() >> 10);
    r.files = open_files(), r.threads = threads();
    r.seek_ms = median(seeks), r.reload_ms = median(reloads);
    const Health& h = session_->health();
    const show::Show& s = session_->show();
    std::printf("%6s %10.0f %9ld %11ld %11ld %7lld %6ld %7ld %8.2f %9.2f %7llu %7llu %6zu %6zu %7zu  %s\n", label.c_str(),
                s.now(), r.rss_kb, r.gpu_used_kb, r.gpu_held_kb, (long long)gpu::live_objects().total(), r.files, r.threads,
                r.seek_ms, r.reload_ms,
                (unsigned long long)h.frames_shown, (unsigned long long)h.touches, s.inputs().size(),
                s.checkpoint_count(), s.trace().size(), s.state().c_str());
    std::fflush(stdout);
    rows_.push_back(r);
    return {};
}

int Soak::run() {
    if (auto r = open_session(); !r) {
        log::error("soak: " + r.error().message);
        return exit_code(r.error().kind);
    }
    std::printf("%6s %10s %9s %11s %11s %7s %6s %7s %8s %9s %7s %7s %6s %6s %7s  %s\n", "at", "show_time", "rss_kb",
                "gpu_used_kb", "gpu_held_kb", "objects", "files", "threads", "seek_ms", "reload_ms", "frames", "touches", "inputs",
                "checks", "trace", "state");
    std::vector<double> marks = {0};
    for (double m : {3600.0, 86400.0, 7 * 86400.0, 30 * 86400.0})
        if (m <= o_.seconds) marks.push_back(m);
    if (marks.back() < o_.seconds) marks.push_back(o_.seconds);
    struct Fault {
        double at;
        std::function<Result<void>()> run;
    };
    std::vector<Fault> faults;
    if (o_.faults) {
        std::vector<std::function<Result<void>()>> all = {
            [&] { return lose_gpu(); },   [&] { return lose_sound(); },        [&] { return break_model(); },
            [&] { return break_scene(); }, [&] { return step_clock(3600); },     [&] { return step_clock(-3600); },
            [&] { return send_hangup(); }, [&] { return lose_monitor(); }};
        for (size_t i = 0; i < all.size(); ++i)  // spread over the span, between the samples
            faults.push_back({std::floor(o_.seconds * double(i + 1) / double(all.size() + 2) / kStep) * kStep + 7, all[i]});
    }
    std::exponential_distribution<double> gap(o_.touches_per_hour > 0 ? o_.touches_per_hour / 3600.0 : 1.0);
    std::uniform_real_distribution<double> where(0.05, 0.95);
    double next_touch = o_.touches_per_hour > 0 ? gap(rng_) : INFINITY;
    double next_frame = 0;
    size_t mark = 0, fault = 0;
    double t0 = real_seconds();
    int code = 0;
    auto check = [&](const Result<void>& r) {
        if (r) return true;
        log::error("soak: " + r.error().message);
        code = exit_code(r.error().kind);
        return false;
    };
    while (!stop_signal() && !session_->closing()) {
        if (take_hangup())
            if (!check(hangup())) break;
        std::vector<Event> events;
        if (clock_.elapsed >= next_touch) {
            Event e;
            e.kind = Event::Kind::TouchAt;
            e.x = where(rng_), e.y = where(rng_);
            events.push_back(e);
            next_touch += gap(rng_);
        }
        bool draw = clock_.elapsed >= next_frame || session_->frames_shown() == 0;
        if (draw) next_frame = clock_.elapsed + kFrameEvery;
        if (!check(step(std::move(events), draw))) break;
        if (mark < marks.size() && clock_.elapsed >= marks[mark] && session_->frames_shown() > 0) {
            if (!check(sample(mark == 0 ? "start" : span_text(marks[mark])))) break;
            ++mark;
        }
        if (fault < faults.size() && clock_.elapsed >= faults[fault].at) {
            if (!check(faults[fault].run())) break;
            ++fault;
        }
        if (mark == marks.size()) {
            check(check_panel());
            break;
        }
        double next = std::min({clock_.elapsed + kStep, next_touch, mark < marks.size() ? marks[mark] : INFINITY,
                                fault < faults.size() ? faults[fault].at : INFINITY});
        clock_.elapsed = std::max(next, clock_.elapsed);
    }
    if (rows_.size() >= 2) {
        const Row& a = rows_[std::min<size_t>(1, rows_.size() - 1)];
        const Row& b = rows_.back();
        auto pct = [](long x, long y) { return x > 0 ? 100.0 * double(y - x) / double(x) : 0.0; };
        std::printf("from %s to %s: rss %+.1f %%, gpu used %+.1f %%, files %+ld, threads %+ld, seek %.2f -> %.2f ms, "
                    "reload %.2f -> %.2f ms\n",
                    a.label.c_str(), b.label.c_str(), pct(a.rss_kb, b.rss_kb), pct(a.gpu_used_kb, b.gpu_used_kb),
                    b.files - a.files, b.threads - a.threads, a.seek_ms, b.seek_ms, a.reload_ms, b.reload_ms);
    }
    if (o_.faults)
        std::printf("faults: %d survived, %d failed, %d skipped\n", survived_, failed_, skipped_);
    std::printf("%s simulated in %.0f s (pictures in %s/pictures)\n", span_text(clock_.elapsed).c_str(),
                real_seconds() - t0, scratch_.string().c_str());
    std::fflush(stdout);
    if (code == 0 && stop_signal()) code = exit_code(ErrorKind::Interrupted);
    if (code == 0 && (failed_ > 0 || mark < marks.size())) code = 1;
    int end = session_ ? session_->finish(code) : code;
    session_.reset();
    return end;
}

}  // namespace

std::optional<double> parse_span(const std::string& text) {
    if (text.empty()) return std::nullopt;
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    std::string unit(end);
    double scale = unit == "d" ? 86400 : unit == "h" ? 3600 : unit == "m" ? 60 : (unit == "s" || unit.empty()) ? 1 : 0;
    if (scale == 0 || !std::isfinite(v) || v <= 0 || v * scale > 366 * 86400.0) return std::nullopt;
    return v * scale;
}

int run_soak(const SoakOptions& o) {
    handle_kiosk_signals();
    std::vector<show::Problem> problems;
    SiteFile site = load_site(o.site, problems);
    for (const show::Problem& p : problems) std::fprintf(stderr, "%s\n", p.str().c_str());
    if (!problems.empty()) {
        log::error(o.site.string() + ": " + std::to_string(problems.size()) + " problem(s) (listed above); nothing was simulated");
        return exit_code(ErrorKind::BadInput);
    }
    fs::path scratch = o.scratch;
    std::error_code ec;
    if (scratch.empty()) {
        std::string tmpl = (fs::temp_directory_path(ec) / "vitrine-soak-XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) {
            log::error("soak: cannot make a temporary folder in " + fs::temp_directory_path(ec).string());
            return 1;
        }
        scratch = tmpl;
    } else if (fs::create_directories(scratch, ec); ec || !fs::is_empty(scratch, ec)) {
        log::error(scratch.string() + ": the soak's folder must be new or empty");
        return exit_code(ErrorKind::BadInput);
    }
    display::WindowOptions wo;
    wo.title = "Vitrine soak — " + o.site.filename().string();
    if (o.size) {
        wo.width = o.size->first, wo.height = o.size->second;
    } else {
        wo.fullscreen = site.output.fullscreen;
        wo.monitor = site.output.monitor;
        wo.monitor_index = site.output.monitor_index;
    }
    auto window = display::Window::open(wo);
    if (!window) {
        log::error("soak: " + window.error().message + " (it needs a display: run it under xvfb-run)");
        return exit_code(window.error().kind);
    }
    uint32_t fw = 0, fh = 0;
    (*window)->framebuffer_size(&fw, &fh);
    std::printf("soak of %s: %s simulated, a step a simulated minute, a %ux%u frame%s a quarter hour, %g touches an hour%s\n",
                o.site.string().c_str(), span_text(o.seconds).c_str(), fw, fh, (*window)->fullscreen() ? " (fullscreen)" : "",
                o.touches_per_hour, o.faults ? ", with faults" : "");
    int code = 0;
    {
        Soak soak(o, site, **window, scratch);
        if (auto r = soak.prepare(); !r) {
            log::error("soak: " + r.error().message);
            code = exit_code(r.error().kind);
        } else {
            code = soak.run();
        }
    }
    // The show's copy goes; the pictures stay for a look (in a folder of its own making, or
    // the one given).
    fs::remove_all(scratch / "files", ec);
    return code;
}

}  // namespace vitrine::session
