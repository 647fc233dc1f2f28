#include "show/show.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <cmath>
#include <cstdio>
#include <limits>
#include <tuple>

#include "show/checkpoint.h"
#include "show/image.h"
#include "show/values.h"
#include "zoom/pyramid.h"

namespace vitrine::show {

namespace {

std::string fmt_time(double t) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", t);
    return buf;
}

std::vector<long> cue_parts(const std::string& id) {
    std::vector<long> parts;
    size_t i = 0;
    while (i <= id.size()) {
        size_t dot = id.find('.', i);
        if (dot == std::string::npos) dot = id.size();
        parts.push_back(std::strtol(id.substr(i, dot - i).c_str(), nullptr, 10));
        i = dot + 1;
    }
    return parts;
}

// No scene, valid or not, may stall a frame: at most this many events (inputs aside) are
// processed within one window of show time, [k / 240 s, (k + 1) / 240 s); the rest of
// that window is skipped with one warning. Windows are fixed on show time, not frames,
// so playing in any steps and seeking still reach the same state.
constexpr int kMaxEventsPerWindow = 1000;
constexpr double kEventWindowsPerSecond = 240;

// How deep cues and hooks are inside each other (restored however a call ends).
struct Depth {
    int& depth;
    explicit Depth(int& d) : depth(d) { ++depth; }
    ~Depth() { --depth; }
};
constexpr int kMaxHookDepth = 8;

}  // namespace

bool cue_before(const std::string& a, const std::string& b) {
    return cue_parts(a) < cue_parts(b);
}

// What hooks see of the show (engine/show/hooks.h).
class ShowApi : public HookApi {
public:
    explicit ShowApi(Show& s) : s_(s) {}
    std::string state() override { return s_.state(); }
    double time() override { return s_.now_; }
    double wall_time() override { return s_.clock_epoch_ + (s_.now_ - s_.clock_show_); }
    double random() override { return double(s_.random_() >> 11) * 0x1.0p-53; }
    Result<void> set(const std::string& path, const std::vector<float>& value, double fade) override {
        return s_.set(path, value, fade);
    }
    Result<void> cue(const std::string& id) override {
        for (size_t c = 0; c < s_.file_.cues.size(); ++c)
            if (s_.file_.cues[c].id == id) {
                s_.fire_cue(int(c), "hook");
                return {};
            }
        return fail("show.cue: no cue '" + id + "'");
    }
    Result<void> go_to(const std::string& state) override {
        int s = s_.file_.state_index(state);
        if (s < 0) return fail("show.go_to: no state '" + state + "'");
        s_.enter_state(s, "hook");
        return {};
    }
    void log(const std::string& line) override { s_.log_.push_back(s_.scene_.hooks_file.string() + ": " + line); }
    Result<double> magnification(const std::string& name) override {
        int n = s_.file_.node_index(name);
        if (n < 0 || !s_.file_.nodes[size_t(n)].image) return fail("show.magnification: no image node '" + name + "'");
        Show::Values v;
        s_.values_at(s_.now_, v);
        return show::magnification(v.size[size_t(n)], s_.region_now(v, size_t(n)), s_.mm_per_pixel(n));
    }

private:
    Show& s_;
};

std::unique_ptr<Show> Show::create(const LoadedScene& scene, const ShowOptions& options) {
    std::unique_ptr<Show> show(new Show(scene, options));
    show->bind();
    show->reset();
    show->take_checkpoint();
    return show;
}

Show::Show(const LoadedScene& scene, const ShowOptions& options)
    : scene_(scene), file_(scene.file), options_(options), models_(scene.model_map()) {}

Show::~Show() = default;

const std::string& Show::state() const {
    static const std::string none;
    return state_ >= 0 ? file_.states[size_t(state_)].name : none;
}

void Show::bind() {
    tracks_.assign(file_.timelines.size(), {});
    timeline_cues_.assign(file_.timelines.size(), {});
    for (size_t t = 0; t < file_.timelines.size(); ++t)
        for (const Track& track : file_.timelines[t].tracks) {
            if (track.zoom) {  // validated at load: the target is an image node
                int node = file_.node_index(track.target);
                if (node >= 0 && file_.nodes[size_t(node)].image)
                    tracks_[t].push_back(bind_track(track, Property{PropertyKind::Region, node, -1, 4}));
                continue;
            }
            auto p = bind_property(file_, models_, track.target);
            if (p) tracks_[t].push_back(bind_track(track, *p));  // validated at load: always bound
        }
    for (size_t c = 0; c < file_.cues.size(); ++c) {
        const Cue& cue = file_.cues[c];
        cue_order_.push_back(int(c));
        if (cue.trigger != TriggerKind::Time) continue;
        if (cue.timeline.empty()) {
            show_cues_.push_back(int(c));
        } else if (const Timeline* tl = file_.timeline(cue.timeline)) {
            timeline_cues_[size_t(tl - file_.timelines.data())].push_back(int(c));
        }
    }
    auto by_at = [&](int a, int b) { return file_.cues[size_t(a)].at < file_.cues[size_t(b)].at; };
    for (auto& list : timeline_cues_) std::stable_sort(list.begin(), list.end(), by_at);
    std::stable_sort(show_cues_.begin(), show_cues_.end(), by_at);
    std::stable_sort(cue_order_.begin(), cue_order_.end(),
                     [&](int a, int b) { return cue_before(file_.cues[size_t(a)].id, file_.cues[size_t(b)].id); });
    for (size_t n = 0; n < file_.nodes.size(); ++n) {
        if (!file_.nodes[n].model.empty()) model_nodes_.push_back(int(n));
        if (file_.nodes[n].light) light_nodes_.push_back(int(n));
        if (file_.nodes[n].image) image_nodes_.push_back(int(n));
        if (file_.nodes[n].hotspot) hotspot_nodes_.push_back(int(n));
        if (file_.nodes[n].sound) sound_nodes_.push_back(int(n));
        if (file_.nodes[n].zone) zone_nodes_.push_back(int(n));
    }
    // Sounds: their files and lengths (probed at load; unknown length: never ends by itself).
    groups_ = file_.audio_groups();
    sound_length_.assign(file_.nodes.size(), -1);
    sound_file_.assign(file_.nodes.size(), {});
    for (int i : sound_nodes_) {
        const std::string& name = file_.nodes[size_t(i)].sound->audio;
        if (const Asset* a = file_.asset(name)) sound_file_[size_t(i)] = a->resolved;
        auto it = scene_.audio.find(name);
        if (it != scene_.audio.end() && it->second.rate > 0)
            sound_length_[size_t(i)] = double(it->second.frames) / double(it->second.rate);
    }
    pyramids_.assign(file_.nodes.size(), nullptr);
    for (int i : image_nodes_) {
        auto it = scene_.pyramids.find(file_.nodes[size_t(i)].image->pyramid);
        if (it != scene_.pyramids.end()) pyramids_[size_t(i)] = it->second.get();
    }
    // Model textures: materials by index (validated at load), regions defaulting to the whole image.
    textures_.assign(file_.nodes.size(), {});
    for (int i : model_nodes_) {
        const Node& node = file_.nodes[size_t(i)];
        auto model = models_.find(node.model);
        for (const TextureDesc& d : node.textures) {
            FrameTexture t;
            auto it = scene_.pyramids.find(d.pyramid);
            if (it != scene_.pyramids.end()) t.pyramid = it->second.get();
            if (!d.material.empty())
                t.material = model != models_.end() && model->second ? material_index(*model->second, d.material) : -1;
            if (d.has_region) t.region = d.region;
            else if (t.pyramid) t.region = glm::dvec4(0, 0, t.pyramid->info().width, t.pyramid->info().height);
            if (t.pyramid && (d.material.empty() || t.material >= 0)) textures_[size_t(i)].push_back(t);
        }
    }

    // The file's values: the bottom layer.
    base_ = std::make_unique<Values>();
    scratch_ = std::make_unique<Values>();
    Values& v = *base_;
    size_t n = file_.nodes.size();
    v.translation.resize(n), v.scale.resize(n), v.rotation.resize(n), v.visible.resize(n);
    v.fov.assign(n, 40), v.orbit.assign(n, {0, 0, 3, 0, 0, 0}), v.color.assign(n, glm::vec3(1));
    v.intensity.assign(n, 1), v.animation_time.assign(n, 0), v.animation_set.assign(n, 0), v.materials.resize(n);
    v.region.assign(n, glm::dvec4(0, 0, 1, 1)), v.size.assign(n, glm::vec2(1)), v.opacity.assign(n, 1);
    v.gain.assign(n, 1), v.pitch.assign(n, 1), v.group_gain.assign(groups_.size(), 1);
    for (size_t g = 0; g < groups_.size(); ++g) {
        auto it = file_.audio.groups.find(groups_[g]);
        if (it != file_.audio.groups.end()) v.group_gain[g] = it->second;
    }
    for (size_t i = 0; i < n; ++i) {
        const Node& node = file_.nodes[i];
        v.translation[i] = node.translation;
        v.rotation[i] = euler_degrees(node.rotation);
        v.scale[i] = node.scale;
        v.visible[i] = node.visible ? 1.0f : 0.0f;
        if (node.camera) {
            v.fov[i] = node.camera->fov;
            if (const auto& o = node.camera->orbit)
                v.orbit[i] = {o->yaw, o->pitch, o->distance, o->target.x, o->target.y, o->target.z};
        }
        if (node.light) {
            v.color[i] = node.light->color;
            v.intensity[i] = node.light->intensity;
        }
        if (node.image) {
            const ImageDesc& d = *node.image;
            const zoom::Pyramid* pyramid = pyramids_[i];
            double width = pyramid ? pyramid->info().width : 1, height = pyramid ? pyramid->info().height : 1;
            v.size[i] = d.has_size ? d.size : pyramid ? default_image_size(pyramid->info()) : glm::vec2(1);
            double aspect = double(v.size[i].x) / double(v.size[i].y);
            v.region[i] = d.has_region ? square_region(d.region, aspect) : fit_region(width, height, aspect);
            v.opacity[i] = d.opacity;
        }
        if (node.sound) {
            v.gain[i] = node.sound->gain;
            v.pitch[i] = node.sound->pitch;
        }
    }
    v.env_rotation = file_.environment.rotation;
    v.env_intensity = file_.environment.intensity;
    v.exposure = file_.look.exposure;
}

double Show::time_of_day() const {
    double t = std::fmod(civil(now_), 86400.0);
    return t < 0 ? t + 86400.0 : t;
}

void Show::load_hooks() {
    hooks_.reset();
    if (scene_.hooks_file.empty()) return;
    auto hooks = Hooks::load(scene_.hooks_file, scene_.hooks_source, options_.hook_limits);
    if (hooks)
        hooks_ = std::move(*hooks);
    else
        note(hooks.error().message);
}

void Show::reset() {
    now_ = 0;
    state_ = -1;
    state_entered_ = last_input_ = 0;
    clock_show_ = 0;
    clock_day_ = options_.day_start;
    clock_epoch_ = options_.epoch_start;
    tod_watermark_ = civil(0);
    last_go_ = -1e9;
    camera_ = file_.camera.empty() ? -1 : file_.node_index(file_.camera);
    playing_.clear(), sets_.clear(), pending_.clear();
    sound_play_.assign(file_.nodes.size(), {});
    for (int i : sound_nodes_)  // ambient beds play from show time 0
        if (file_.nodes[size_t(i)].sound->play) sound_play_[size_t(i)].playing = true;
    show_cue_fired_.assign(file_.cues.size(), 0);
    order_ = 0;
    current_cue_.clear();
    current_cue_index_ = -1;
    volume_ = 1;
    random_.seed(file_.seed);
    trace_.clear();
    trace_total_ = 0;
    next_input_ = 0;
    next_checkpoint_ = 0;
    skip_floor_ = -1;
    event_window_ = -1;
    events_in_window_ = 0;
    crowded_windows_ = 0;
    crowd_warned_at_ = -1e300;
    hook_window_ = -1;
    hook_work_ = 0;
    hook_seconds_ = 0;
    hooks_skipped_ = 0;
    hook_warned_at_ = -1e300;
    load_hooks();
    if (!file_.states.empty()) {
        int start = file_.start.empty() ? 0 : file_.state_index(file_.start);
        enter_state(std::max(0, start), "start");
    }
}

// ---- inputs and the clock ------------------------------------------------------------

void Show::input(Input in) {
    // Events at now() are processed; an input at or before it comes after them, and is
    // stored so that a replay puts it there too.
    if (!(in.t > now_)) in.t = std::nextafter(now_, std::numeric_limits<double>::infinity());
    // Checkpoints at or after it were taken without it (after a seek back).
    drop_checkpoints_from(in.t);
    // Keep inputs ordered by time; equal times keep their arrival order.
    auto at = std::upper_bound(inputs_.begin() + long(next_input_), inputs_.end(), in.t,
                               [](double t, const Input& i) { return t < i.t; });
    inputs_.insert(at, std::move(in));
}

void Show::advance(double t) { advance(t, std::numeric_limits<size_t>::max()); }

bool Show::advance(double t, size_t max_events) {
    if (!(t >= now_) || !std::isfinite(t)) t = now_;  // also catches NaN
    hook_seconds_ = 0;  // the live hooks' wall time is bounded per frame
    for (size_t processed = 0;; ++processed) {
        Event e = next_event();
        if (e.kind == EventKind::None || e.t > t) break;
        if (processed >= max_events) {
            now_ = std::max(now_, e.t);  // what is still due at e.t comes first next time
            return false;
        }
        if (e.kind != EventKind::Input) {
            double window = std::floor(e.t * kEventWindowsPerSecond);
            if (window != event_window_) event_window_ = window, events_in_window_ = 0;
            if (++events_in_window_ > kMaxEventsPerWindow) {
                double end = std::nextafter((window + 1) / kEventWindowsPerSecond, 0.0);
                ++crowded_windows_;
                if (e.t >= crowd_warned_at_ + 10) {  // one line per 10 s of show time at most
                    note("show: more than " + std::to_string(kMaxEventsPerWindow) + " events within 1/240 s at show time " +
                         fmt_time(e.t) + " (cues, states or timelines that trigger each other?); skipping the rest of it" +
                         (crowded_windows_ > 1 ? " (" + std::to_string(crowded_windows_) + " times so far)" : ""));
                    crowd_warned_at_ = e.t;
                }
                skip_events_at(std::max(end, e.t));
                if (now_ >= next_checkpoint_) take_checkpoint();
                continue;
            }
        }
        process(e);
        if (now_ >= next_checkpoint_) take_checkpoint();
    }
    now_ = t;
    return true;
}

void Show::seek(double t, bool forget_later) {
    if (!(t >= 0) || !std::isfinite(t)) t = 0;
    t = std::max(t, earliest());
    if (forget_later) {
        auto keep = std::upper_bound(inputs_.begin(), inputs_.end(), t, [](double x, const Input& i) { return x < i.t; });
        inputs_.erase(keep, inputs_.end());
        next_input_ = std::min(next_input_, inputs_.size());
        drop_checkpoints_from(std::nextafter(t, std::numeric_limits<double>::infinity()));
    }
    bool saveable = hooks_warning_.empty();
    start_at(t);
    advance(t);
    // What the replay sent, logged and warned happened already (or, seeking forward,
    // was skipped): a seek or a reload must not fire lights and projectors again.
    outgoing_.clear();
    log_.clear();
    warnings_.clear();
    if (saveable && !hooks_warning_.empty()) note(hooks_warning_);  // found during the replay: said once
}

void Show::force_state(const std::string& name) {
    int s = file_.state_index(name);
    if (s < 0 || s == state_) return;
    // As an input, so that a later seek replays it.
    Input in;
    in.t = now_;
    in.address = "/vitrine/state";
    in.args = {name};
    input(in);  // stored just after now(): advance to it
    advance(std::nextafter(now_, std::numeric_limits<double>::infinity()));
}

std::vector<std::string> Show::take_warnings() { return std::exchange(warnings_, {}); }
std::vector<std::string> Show::take_log() { return std::exchange(log_, {}); }
std::vector<OutgoingOsc> Show::take_outgoing() { return std::exchange(outgoing_, {}); }

void Show::note(const std::string& line) { warnings_.push_back(line); }

void Show::record(std::string line) {
    // A kiosk runs for months: keep the latest events only, 50 000 to 100 000 lines. Which
    // ones depends only on the count written (a restored show holds the same window).
    constexpr size_t half = kTraceLines / 2;
    size_t first = trace_total_ >= kTraceLines ? trace_total_ / half * half - half : 0;  // index of the first kept
    size_t held_from = trace_total_ - trace_.size();
    if (first > held_from) trace_.erase(trace_.begin(), trace_.begin() + long(std::min(first - held_from, trace_.size())));
    trace_.push_back(std::move(line));
    ++trace_total_;
}

void Show::hook_error(const Result<void>& r) {
    if (!r) note(r.error().message);
}

// Each call is held to its budget by Hooks; together, calls may use at most
// kHookSecondsOfWork calls' worth of work per second of show time (decided by work, so
// the same offline on every run), and live, at most 4 deadlines' worth of wall time per
// advance(): past either, hooks are skipped (one warning per 10 s of show time) until
// the next second, or the next frame. A hook that calls show.cue runs its nested hooks
// inside its own chain, accounted with it.
void Show::call_hook(const std::function<Result<void>()>& call) {
    bool outermost = hooks_running_ == 0;
    double window = std::floor(now_);
    if (window != hook_window_) hook_window_ = window, hook_work_ = 0;
    const HookLimits& limits = options_.hook_limits;
    bool over_work = hook_work_ >= kHookSecondsOfWork * limits.work;
    bool over_time = limits.wall_seconds > 0 && hook_seconds_ >= 4 * limits.wall_seconds;
    if (outermost && (over_work || over_time)) {
        ++hooks_skipped_;
        if (now_ >= hook_warned_at_ + 10) {
            note("show: hooks used " + std::string(over_work ? "more than " + std::to_string(kHookSecondsOfWork) +
                                                                   " calls' worth of work in this second of show time"
                                                             : "more than 4 time budgets in this frame") +
                 "; skipping hook calls until " + (over_work ? "the next second" : "the next frame") + " (" +
                 std::to_string(hooks_skipped_) + " skipped so far)");
            hook_warned_at_ = now_;
        }
        return;
    }
    auto start = std::chrono::steady_clock::now();
    ++hooks_running_;
    Result<void> r = call();
    --hooks_running_;
    if (outermost) {
        hook_work_ += hooks_->last_work();
        if (limits.wall_seconds > 0) hook_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    hook_error(r);
}

// ---- events --------------------------------------------------------------------------

double Show::timeline_time(const std::string& name) const {
    for (const Playing& p : playing_) {
        const Timeline& tl = file_.timelines[size_t(p.timeline)];
        if (tl.name != name) continue;
        double t = local_time(p, now_);
        return tl.loop ? std::fmod(std::max(t, 0.0), tl.duration) : std::clamp(t, 0.0, tl.duration);
    }
    return -1;
}

double Show::local_time(const Playing& p, double t) const {
    return p.paused ? p.anchor_local : p.anchor_local + (t - p.anchor_show);
}

double Show::idle_after() const {
    if (state_ < 0) return -1;
    const State& s = file_.states[size_t(state_)];
    for (const Transition& tr : s.transitions)
        if (tr.kind == TransitionKind::Idle) return tr.after;
    int start = file_.start.empty() ? 0 : file_.state_index(file_.start);
    if (s.idle_default && state_ != start) return file_.idle_timeout;
    return -1;
}

Show::Event Show::next_event() const {
    // The earliest event; ties at one show time go by EventKind, then by `k1`, `k2`
    // (pre-waits by when they began; timeline cues by the timeline's layer, then local time).
    Event best;
    best.t = std::numeric_limits<double>::infinity();
    double best_k1 = 0, best_k2 = 0;
    auto offer = [&](const Event& e, double k1 = 0, double k2 = 0) {
        if (e.t <= skip_floor_ && e.kind != EventKind::Input) return;
        auto key = std::make_tuple(e.t, int(e.kind), k1, k2);
        if (key < std::make_tuple(best.t, int(best.kind), best_k1, best_k2)) best = e, best_k1 = k1, best_k2 = k2;
    };
    best.kind = EventKind::None;
    if (next_input_ < inputs_.size()) offer({std::max(inputs_[next_input_].t, now_), EventKind::Input, int(next_input_)});
    for (size_t i = 0; i < pending_.size(); ++i)
        offer({std::max(pending_[i].at, now_), EventKind::Prewait, int(i)}, double(pending_[i].order));
    for (size_t i = 0; i < playing_.size(); ++i) {
        const Playing& p = playing_[i];
        if (p.paused || p.ended) continue;
        const Timeline& tl = file_.timelines[size_t(p.timeline)];
        double dur = tl.duration;
        const std::vector<int>& cues = timeline_cues_[size_t(p.timeline)];
        for (size_t j = 0; j < cues.size(); ++j) {
            // The first occurrence after what has fired: this loop when (at, rank) is
            // past the mark, else the next loop (looping timelines only).
            double a = file_.cues[size_t(cues[j])].at;
            bool later = a > p.fired_at || (a == p.fired_at && int(j) > p.fired_rank);
            if (!later && !tl.loop) continue;
            long loop = later ? p.fired_loop : p.fired_loop + 1;
            double u = a + double(loop) * dur;  // unwrapped local time
            Event e{std::max(p.anchor_show + (u - p.anchor_local), now_), EventKind::TimelineCue, int(i), int(j), loop};
            offer(e, double(p.order), u);
        }
        if (!tl.loop)
            offer({std::max(p.anchor_show + (dur - p.anchor_local), now_), EventKind::TimelineEnd, int(i)}, double(p.order));
    }
    for (int c : show_cues_)
        if (!show_cue_fired_[size_t(c)]) {
            offer({std::max(file_.cues[size_t(c)].at, now_), EventKind::ShowCue, c});
            break;  // sorted by time: the first unfired one is the next
        }
    if (state_ >= 0) {
        const State& s = file_.states[size_t(state_)];
        for (size_t i = 0; i < s.transitions.size(); ++i) {
            const Transition& tr = s.transitions[i];
            if (tr.kind != TransitionKind::TimeOfDay) continue;
            // The first HH:MM on the civil clock after the watermark, and its show time (at
            // or before now after the clock stepped forward over it: it fires now).
            double hhmm = double(tr.time_of_day);
            double at = hhmm + (std::floor((tod_watermark_ - hhmm) / 86400.0) + 1) * 86400.0;
            if (at <= tod_watermark_) at += 86400.0;
            offer({std::max(clock_show_ + (at - clock_day_), now_), EventKind::TimeOfDay, int(i)});
        }
        double after = idle_after();
        if (after >= 0) offer({std::max(std::max(last_input_, state_entered_) + after, now_), EventKind::Idle, -1});
    }
    if (!std::isfinite(best.t)) best.kind = EventKind::None;
    return best;
}

void Show::skip_events_at(double t) {
    while (next_input_ < inputs_.size() && inputs_[next_input_].t <= t) ++next_input_;
    pending_.erase(std::remove_if(pending_.begin(), pending_.end(), [&](const Pending& p) { return p.at <= t; }),
                   pending_.end());
    for (Playing& p : playing_)
        if (!p.paused && !p.ended) {
            const Timeline& tl = file_.timelines[size_t(p.timeline)];
            double local = local_time(p, t);
            long loop = tl.loop ? long(std::floor(local / tl.duration)) : 0;
            p.fired_loop = loop;
            p.fired_at = local - double(loop) * tl.duration;
            p.fired_rank = std::numeric_limits<int>::max();
            if (!tl.loop && p.anchor_show + (tl.duration - p.anchor_local) <= t) p.ended = true;
        }
    skip_floor_ = t;  // whatever is still due at t is dropped: the loop in advance() must end
    for (int c : show_cues_)
        if (file_.cues[size_t(c)].at <= t) show_cue_fired_[size_t(c)] = 1;
    tod_watermark_ = std::max(tod_watermark_, civil(t));
    state_entered_ = std::max(state_entered_, t);
    last_input_ = std::max(last_input_, t);
}

void Show::process(const Event& e) {
    now_ = std::max(now_, e.t);
    switch (e.kind) {
        case EventKind::Input: handle_input(inputs_[next_input_++]); break;
        case EventKind::Prewait: {
            int cue = pending_[size_t(e.index)].cue;
            pending_.erase(pending_.begin() + e.index);
            record(fmt_time(now_) + " cue " + file_.cues[size_t(cue)].id + " (pre-wait)");
            run_cue(cue);
            break;
        }
        case EventKind::TimelineCue: {
            Playing& p = playing_[size_t(e.index)];
            int cue = timeline_cues_[size_t(p.timeline)][size_t(e.cue)];
            p.fired_loop = e.loop;
            p.fired_at = file_.cues[size_t(cue)].at;
            p.fired_rank = e.cue;
            fire_cue(cue, "timeline " + file_.timelines[size_t(p.timeline)].name);
            break;
        }
        case EventKind::TimelineEnd: {
            Playing& p = playing_[size_t(e.index)];
            p.ended = true;
            p.fired_at = file_.timelines[size_t(p.timeline)].duration;
            p.fired_rank = std::numeric_limits<int>::max();
            const std::string& name = file_.timelines[size_t(p.timeline)].name;
            record(fmt_time(now_) + " timeline " + name + " ended");
            if (state_ >= 0 && file_.states[size_t(state_)].timeline == name)
                for (const Transition& tr : file_.states[size_t(state_)].transitions)
                    if (tr.kind == TransitionKind::End) {
                        enter_state(file_.state_index(tr.to), "end of " + name);
                        break;
                    }
            break;
        }
        case EventKind::ShowCue:
            show_cue_fired_[size_t(e.index)] = 1;
            fire_cue(e.index, "show time");
            break;
        case EventKind::TimeOfDay: {
            tod_watermark_ = civil(now_);
            const Transition& tr = file_.states[size_t(state_)].transitions[size_t(e.index)];
            char tod[16];
            std::snprintf(tod, sizeof tod, "%02d:%02d", tr.time_of_day / 3600, tr.time_of_day / 60 % 60);
            enter_state(file_.state_index(tr.to), std::string("time of day ") + tod);
            break;
        }
        case EventKind::Idle: {
            const State& s = file_.states[size_t(state_)];
            std::string to = file_.start.empty() ? file_.states[0].name : file_.start;
            for (const Transition& tr : s.transitions)
                if (tr.kind == TransitionKind::Idle) {
                    to = tr.to;
                    break;
                }
            char why[48];
            std::snprintf(why, sizeof why, "idle %g s", idle_after());
            last_input_ = now_;  // an idle transition to the same state must not repeat at once
            enter_state(file_.state_index(to), why);
            break;
        }
        case EventKind::None: break;
    }
}

// ---- what events do --------------------------------------------------------------------

void Show::enter_state(int s, const std::string& why) {
    if (s < 0 || size_t(s) >= file_.states.size()) return;
    if (hook_depth_ > kMaxHookDepth) {
        note("show: hooks changed state more than " + std::to_string(kMaxHookDepth) + " times in a row; stopped");
        return;
    }
    const State& st = file_.states[size_t(s)];
    record(fmt_time(now_) + " state " + (state_ >= 0 ? state() : std::string("-")) + " -> " + st.name +
                     " (" + why + ")");
    playing_.clear();
    sets_.clear();
    pending_.clear();
    state_ = s;
    state_entered_ = now_;
    tod_watermark_ = civil(now_);
    int cam = st.camera.empty() ? -1 : file_.node_index(st.camera);
    camera_ = cam >= 0 ? cam : (file_.camera.empty() ? -1 : file_.node_index(file_.camera));
    if (const Timeline* tl = file_.timeline(st.timeline)) play(int(tl - file_.timelines.data()), 0);
    if (hooks_) {
        ShowApi api(*this);
        Depth depth(hook_depth_);
        call_hook([&] { return hooks_->on_enter(st.name, api); });
    }
}

void Show::fire_cue(int c, const std::string& why) {
    const Cue& cue = file_.cues[size_t(c)];
    current_cue_ = cue.id;  // the playhead moves when a cue fires (a GO during its pre-wait goes on)
    current_cue_index_ = c;
    if (cue.prewait > 0) {
        pending_.push_back({now_ + cue.prewait, c, ++order_});
        record(fmt_time(now_) + " cue " + cue.id + " pre-wait " + fmt_time(cue.prewait) + " (" + why + ")");
        return;
    }
    record(fmt_time(now_) + " cue " + cue.id + " (" + why + ")");
    run_cue(c);
}

void Show::run_cue(int c) {
    if (hook_depth_ > kMaxHookDepth) {
        note("show: cues fired each other more than " + std::to_string(kMaxHookDepth) + " deep; stopped");
        return;
    }
    const Cue& cue = file_.cues[size_t(c)];
    Depth depth(hook_depth_);
    for (const Action& a : cue.actions) run_action(a, cue.id);
    if (hooks_) {
        ShowApi api(*this);
        call_hook([&] { return hooks_->on_cue(cue.id, api); });
    }
}

void Show::run_action(const Action& a, const std::string& cue_id) {
    auto timeline = [&]() -> int {
        const Timeline* tl = file_.timeline(a.timeline);
        return tl ? int(tl - file_.timelines.data()) : -1;
    };
    switch (a.kind) {
        case ActionKind::Play: {
            int t = timeline();
            if (t < 0) break;
            auto it = std::find_if(playing_.begin(), playing_.end(), [&](const Playing& p) { return p.timeline == t; });
            if (it != playing_.end() && it->paused) {  // resume where it paused
                it->paused = false;
                it->anchor_show = now_;
            } else {
                play(t, 0);
            }
            break;
        }
        case ActionKind::Stop: stop(timeline()); break;
        case ActionKind::Pause: pause(timeline()); break;
        case ActionKind::Jump: {
            int t = timeline();
            if (t < 0) break;
            auto label = file_.timelines[size_t(t)].labels.find(a.label);
            if (label != file_.timelines[size_t(t)].labels.end()) play(t, label->second);
            break;
        }
        case ActionKind::Set: {
            auto r = set(a.target, a.value, a.fade);
            if (!r) note(a.loc.str() + ": cue " + cue_id + ": " + r.error().message);
            break;
        }
        case ActionKind::Goto: enter_state(file_.state_index(a.state), "cue " + cue_id); break;
        case ActionKind::Camera: camera_ = file_.node_index(a.camera); break;
        case ActionKind::ZoomTo: zoom(file_.node_index(a.target), a.zoom); break;
        case ActionKind::Osc: outgoing_.push_back({a.osc_to, a.osc_address, a.osc_args}); break;
        case ActionKind::PlaySound:
        case ActionKind::StopSound:
        case ActionKind::SeekSound: sound(a); break;
    }
}

void Show::sound(const Action& a) {
    int node = file_.node_index(a.target);
    if (node < 0 || !file_.nodes[size_t(node)].sound) return;  // validated at load
    SoundPlay& s = sound_play_[size_t(node)];
    switch (a.kind) {
        case ActionKind::PlaySound: s = {true, now_, 0}; break;   // from the beginning, also when playing
        case ActionKind::StopSound: s = {false, now_, 0}; break;
        default: s = {s.playing, now_, a.seek_to}; break;         // seek: keeps playing or not
    }
}

void Show::play(int t, double local) {
    if (t < 0) return;
    auto it = std::find_if(playing_.begin(), playing_.end(), [&](const Playing& p) { return p.timeline == t; });
    Playing p;
    p.timeline = t;
    p.anchor_show = now_;
    p.anchor_local = local;
    // Rank -1: cues at exactly `local` fire now.
    const Timeline& tl = file_.timelines[size_t(t)];
    p.fired_loop = tl.loop ? long(std::floor(local / tl.duration)) : 0;
    p.fired_at = local - double(p.fired_loop) * tl.duration;
    p.fired_rank = -1;
    if (it != playing_.end()) {  // jumping or restarting keeps its layer
        p.order = it->order;
        p.paused = it->paused;
        *it = p;
    } else {
        p.order = ++order_;
        playing_.push_back(p);
    }
}

void Show::stop(int t) {
    playing_.erase(std::remove_if(playing_.begin(), playing_.end(), [&](const Playing& p) { return p.timeline == t; }),
                   playing_.end());
}

void Show::pause(int t) {
    for (Playing& p : playing_)
        if (p.timeline == t && !p.paused) {
            p.anchor_local = local_time(p, now_);
            p.anchor_show = now_;
            p.paused = true;
        }
}

Result<void> Show::set(const std::string& path, const std::vector<float>& value, double fade) {
    auto p = bind_property(file_, models_, path);
    if (!p) return fail("show.set: " + p.error().message);
    if (int(value.size()) != p->size)
        return fail("show.set: '" + path + "' takes " + std::to_string(p->size) + " number" + (p->size > 1 ? "s" : "") +
                    ", got " + std::to_string(value.size()));
    for (float x : value)
        if (!std::isfinite(x)) return fail("show.set: '" + path + "' needs finite numbers");
    if (p->kind == PropertyKind::Region && !(value[2] > 0 && value[3] > 0))
        return fail("show.set: '" + path + "' needs a width and height more than 0");
    if (p->kind == PropertyKind::ImageSize && !(value[0] > 0 && value[1] > 0))
        return fail("show.set: '" + path + "' needs a width and height more than 0");
    if ((p->kind == PropertyKind::SoundGain || p->kind == PropertyKind::GroupGain) && !(value[0] >= 0))
        return fail("show.set: '" + path + "' needs a gain of 0 or more");
    if (p->kind == PropertyKind::SoundPitch && !(value[0] > 0 && value[0] <= 4))
        return fail("show.set: '" + path + "' needs a pitch more than 0 and at most 4");
    SetLayer layer;
    layer.property = *p;
    layer.start = now_;
    layer.fade = std::max(0.0, fade);
    layer.from.resize(size_t(width(*p)));
    Values v;
    values_at(now_, v);
    read(v, *p, layer.from.data());
    if (p->kind == PropertyKind::Rotation) {
        glm::quat q = euler_degrees({value[0], value[1], value[2]});
        layer.to = {q.x, q.y, q.z, q.w};
    } else {
        layer.to = value;
    }
    if (p->kind == PropertyKind::Region) {  // fades like zoom_to, in double
        layer.region_from = region_now(v, size_t(p->node));
        layer.region_to = glm::dvec4(value[0], value[1], value[2], value[3]);
    }
    push_set(std::move(layer));
    return {};
}

void Show::push_set(SetLayer layer) {
    layer.order = ++order_;
    const Property& p = layer.property;
    auto same = [&](const SetLayer& l) {
        return l.property.kind == p.kind && l.property.node == p.node && l.property.material == p.material &&
               l.property.group == p.group;
    };
    sets_.erase(std::remove_if(sets_.begin(), sets_.end(), same), sets_.end());
    sets_.push_back(std::move(layer));
}

double Show::mm_per_pixel(int node) const {
    const zoom::Pyramid* p = node >= 0 && size_t(node) < pyramids_.size() ? pyramids_[size_t(node)] : nullptr;
    return p ? p->info().mm_per_pixel : 0;
}

glm::dvec4 Show::region_now(const Values& v, size_t node) const {
    return square_region(v.region[node], double(v.size[node].x) / double(v.size[node].y));
}

void Show::zoom(int node, const ZoomMove& move) {
    if (node < 0 || !file_.nodes[size_t(node)].image) return;  // validated at load
    Values v;
    values_at(now_, v);
    SetLayer layer;
    layer.property = Property{PropertyKind::Region, node, -1, 4};
    layer.start = now_;
    layer.fade = move.duration;
    layer.region_from = region_now(v, size_t(node));
    layer.region_to = zoom_target(move, layer.region_from, v.size[size_t(node)], mm_per_pixel(node));
    push_set(std::move(layer));
}

namespace {
std::string clock_text(double seconds) {
    double day = std::fmod(seconds, 86400.0);
    if (day < 0) day += 86400.0;
    long s = long(std::floor(day + 0.0005));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02ld:%02ld:%02ld", s / 3600 % 24, s / 60 % 60, s % 60);
    return buf;
}
}  // namespace

// The civil clock stepped (daylight saving time, NTP): from now on it reads
// in.time_of_day at now(). Forward over HH:MM counts as passing it (a time_of_day
// transition of the current state fires now, once); back, nothing fires at the step, and
// the clock passes the times it stepped back over again later.
void Show::set_clock(const Input& in) {
    double before = civil(now_);
    double delta = std::remainder(in.time_of_day - std::fmod(before, 86400.0), 86400.0);  // the short way round
    if (!std::isfinite(delta)) return;
    double after = before + delta;
    if (delta < 0) tod_watermark_ = std::min(tod_watermark_, after);
    double epoch_now = clock_epoch_ + (now_ - clock_show_);
    clock_show_ = now_;
    clock_day_ = after;
    clock_epoch_ = in.epoch >= 0 ? in.epoch : epoch_now + delta;
    char step[48];
    std::snprintf(step, sizeof step, "%+.3f s", delta);
    record(fmt_time(now_) + " clock " + clock_text(before) + " -> " + clock_text(after) + " (" + step + ")");
}

void Show::handle_input(const Input& in) {
    if (in.kind == InputKind::Clock) return set_clock(in);  // not a visitor: the idle clock goes on
    last_input_ = now_;
    switch (in.kind) {
        case InputKind::TouchNode: {
            if (in.node.empty()) {  // a touch that hit no relic (picked by an output, e.g. a wall)
                touch(-1, "nothing");
                break;
            }
            int node = file_.node_index(in.node);
            if (node < 0) {
                note((in.loc.line ? in.loc.str() + ": " : std::string()) + "touch on unknown node '" + in.node + "'");
                break;
            }
            touch(node, in.node);
            break;
        }
        case InputKind::TouchAt: {
            Frame frame;
            evaluate(frame);
            int node = pick(frame, in.aspect > 0 ? in.aspect : options_.aspect, in.x, in.y);
            char what[64];
            std::snprintf(what, sizeof what, "%.3f,%.3f", double(in.x), double(in.y));
            touch(node, node >= 0 ? file_.nodes[size_t(node)].name : std::string(what));
            break;
        }
        case InputKind::Osc: osc(in.address, in.args); break;
        case InputKind::Clock: break;
    }
}

void Show::touch(int node, const std::string& what) {
    // A hotspot is touched when the touch hits it or one of its children.
    auto hits = [&](const std::string& target) {
        if (target == "any") return true;
        for (int n = node; n >= 0; n = file_.nodes[size_t(n)].parent)
            if (file_.nodes[size_t(n)].name == target) return true;
        return false;
    };
    int before = state_;
    if (state_ >= 0)
        for (const Transition& tr : file_.states[size_t(state_)].transitions)
            if (tr.kind == TransitionKind::Touch && hits(tr.node)) {
                enter_state(file_.state_index(tr.to), "touch " + what);
                break;
            }
    if (state_ == before) record(fmt_time(now_) + " touch " + what);
    for (int c : cue_order_) {
        const Cue& cue = file_.cues[size_t(c)];
        if (cue.trigger == TriggerKind::Touch && hits(cue.node)) fire_cue(c, "touch " + what);
    }
    if (hooks_) {
        ShowApi api(*this);
        call_hook([&] { return hooks_->on_touch(node >= 0 ? file_.nodes[size_t(node)].name : std::string(), api); });
    }
}

void Show::go() {
    if (now_ - last_go_ < 0.1 - 1e-9) {  // a tolerance: 0.3 - 0.2 is 0.0999999...
        record(fmt_time(now_) + " GO ignored (within 0.1 s of the last)");
        return;
    }
    last_go_ = now_;
    auto at = std::find(cue_order_.begin(), cue_order_.end(), current_cue_index_);
    auto next = at == cue_order_.end() ? cue_order_.begin() : at + 1;
    if (next == cue_order_.end()) {
        note("GO: no cue after " + (current_cue_.empty() ? std::string("the start") : "cue " + current_cue_));
        return;
    }
    fire_cue(*next, "GO");
}

void Show::osc(const std::string& address, const std::vector<std::string>& args) {
    auto arg = [&](size_t i) { return i < args.size() ? args[i] : std::string(); };
    if (address == "/vitrine/go") {
        go();
    } else if (address == "/vitrine/cue") {
        for (size_t c = 0; c < file_.cues.size(); ++c)
            if (file_.cues[c].id == arg(0)) return fire_cue(int(c), "OSC");
        note("OSC /vitrine/cue: no cue '" + arg(0) + "'");
    } else if (address == "/vitrine/state") {
        int s = file_.state_index(arg(0));
        if (s < 0) return note("OSC /vitrine/state: no state '" + arg(0) + "'");
        enter_state(s, "OSC");
    } else if (address == "/vitrine/stop") {
        playing_.clear();
        pending_.clear();
        for (SoundPlay& s : sound_play_) s = {false, now_, 0};
        record(fmt_time(now_) + " stop (OSC)");
    } else if (address == "/vitrine/pause") {
        // Pauses what plays; when nothing plays, resumes what was paused.
        bool any_playing = std::any_of(playing_.begin(), playing_.end(), [](const Playing& p) { return !p.paused && !p.ended; });
        for (Playing& p : playing_) {
            if (any_playing && !p.paused) {
                p.anchor_local = local_time(p, now_);
                p.anchor_show = now_;
                p.paused = true;
            } else if (!any_playing && p.paused) {
                p.paused = false;
                p.anchor_show = now_;
            }
        }
        record(fmt_time(now_) + (any_playing ? " pause (OSC)" : " resume (OSC)"));
    } else if (address == "/vitrine/volume") {
        float v = std::strtof(arg(0).c_str(), nullptr);
        volume_ = std::isfinite(v) ? std::clamp(v, 0.0f, 1.0f) : volume_;
    } else if (address == "/vitrine/seek" || address == "/vitrine/status") {
        // The clock's and the control port's business (app), not the scene's.
    } else {
        bool used = false;
        if (state_ >= 0)
            for (const Transition& tr : file_.states[size_t(state_)].transitions)
                if (tr.kind == TransitionKind::Osc && tr.osc == address) {
                    enter_state(file_.state_index(tr.to), "OSC " + address);
                    used = true;
                    break;
                }
        for (int c : cue_order_)
            if (file_.cues[size_t(c)].trigger == TriggerKind::Osc && file_.cues[size_t(c)].osc == address) {
                fire_cue(c, "OSC " + address);
                used = true;
            }
        if (!used) note("OSC " + address + ": nothing in the scene listens to it");
    }
}

}  // namespace vitrine::show
