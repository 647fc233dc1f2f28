// Checkpoints of a show (checkpoint.h): taking, keeping, restoring, and mapping them onto
// a new version of the scene after a reload.
#include "show/checkpoint.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <limits>

namespace vitrine::show {

void thin_checkpoints(std::vector<std::shared_ptr<const Show::Checkpoint>>& list, double now) {
    // A checkpoint of age A is kept when it is the first in its bucket of show time, the
    // buckets being kCheckpointEvery * 2^k wide with 2^k <= A / (kKeptPerAge * kCheckpointEvery)
    // < 2^(k+1). Buckets of twice the width hold whole buckets of the narrower ones, so the
    // first in a wide bucket was the first in a narrow one: what is dropped as checkpoints
    // age is never needed later, and gaps stay under A / (kKeptPerAge / 2).
    std::vector<std::shared_ptr<const Show::Checkpoint>> kept;
    size_t newest_past = 0;  // the newest at or before now is kept whatever its bucket
    for (size_t i = 0; i < list.size(); ++i)
        if (list[i]->now <= now) newest_past = i;
    for (size_t i = 0; i < list.size(); ++i) {
        const auto& c = list[i];
        double age = now - c->now;
        bool keep = age <= 0 || i == newest_past;
        if (!keep && age <= kOldestCheckpoint) {
            double width = kCheckpointEvery * std::exp2(std::floor(std::log2(std::max(1.0, age / (kKeptPerAge * kCheckpointEvery)))));
            keep = kept.empty() || std::floor(kept.back()->now / width) != std::floor(c->now / width);
        }
        if (keep) kept.push_back(c);
    }
    list = std::move(kept);
}

std::shared_ptr<Show::Checkpoint> Show::snapshot() {
    if (!hooks_warning_.empty()) return nullptr;
    auto c = std::make_shared<Checkpoint>();
    if (hooks_) {
        std::string where = hooks_->state_outside_data();
        std::string why;
        if (!where.empty()) {
            why = scene_.hooks_file.string() + ": hooks keep state outside show.data (" + where + ")";
        } else if (Result<HookState> saved = hooks_->save(); !saved) {
            why = saved.error().message;
        } else {
            c->has_hooks = true;
            c->hooks = std::move(*saved);
        }
        if (!why.empty()) {
            const Checkpoint* last = checkpoints_.empty() ? nullptr : checkpoints_.back().get();
            char from[64];
            std::snprintf(from, sizeof from, "show time %.3f", last ? last->now : 0.0);
            hooks_warning_ = why + "; seeks and reloads of this show replay from " +
                             (!last || (last->now == 0 && folded_ == 0) ? std::string("the start") : std::string(from));
            note(hooks_warning_);
            return nullptr;
        }
    }
    c->now = now_;
    c->inputs_done = folded_ + next_input_;
    c->trace_total = trace_total_;
    c->state = state_;
    c->state_entered = state_entered_, c->last_input = last_input_, c->last_go = last_go_;
    c->tod_watermark = tod_watermark_;
    c->clock_show = clock_show_, c->clock_day = clock_day_, c->clock_epoch = clock_epoch_;
    c->camera = camera_;
    c->playing = playing_;
    c->sets = sets_;
    c->sound_play = sound_play_;
    c->pending = pending_;
    c->show_cue_fired = show_cue_fired_;
    c->order = order_;
    c->current_cue = current_cue_;
    c->current_cue_index = current_cue_index_;
    c->volume = volume_;
    c->random = random_;
    c->skip_floor = skip_floor_, c->event_window = event_window_;
    c->events_in_window = events_in_window_;
    c->crowded_windows = crowded_windows_;
    c->crowd_warned_at = crowd_warned_at_;
    c->hook_window = hook_window_;
    c->hook_work = hook_work_;
    c->hooks_skipped = hooks_skipped_;
    c->hook_warned_at = hook_warned_at_;
    return c;
}

void Show::take_checkpoint() {
    next_checkpoint_ = now_ + kCheckpointEvery;
    std::shared_ptr<const Checkpoint> c = snapshot();
    if (!c) return;
    auto at = std::upper_bound(checkpoints_.begin(), checkpoints_.end(), now_,
                               [](double t, const auto& k) { return t < k->now; });
    if (at != checkpoints_.begin() && (*(at - 1))->now == now_)
        *(at - 1) = c;
    else
        checkpoints_.insert(at, c);
    thin_checkpoints(checkpoints_, now_);
    fold_inputs();
}

void Show::fold_inputs() {
    if (!hooks_warning_.empty() || checkpoints_.empty()) return;
    size_t fold = std::min(checkpoints_.front()->inputs_done, folded_ + next_input_);
    if (fold <= folded_) return;
    size_t n = fold - folded_;
    inputs_.erase(inputs_.begin(), inputs_.begin() + long(n));
    next_input_ -= n;
    folded_ = fold;
}

void Show::restore(const Checkpoint& c) {
    now_ = c.now;
    next_input_ = c.inputs_done >= folded_ ? c.inputs_done - folded_ : 0;
    // The lines written up to the checkpoint stay (they are the same lines). A checkpoint
    // later than the lines held (forward again after a seek back) keeps them, and one
    // line says what is missing in between (freeing 100 000 lines would cost more than
    // the seek).
    size_t first = trace_total_ - trace_.size();
    if (c.trace_total >= first && c.trace_total <= trace_total_) {
        trace_.resize(c.trace_total - first);
    } else if (c.trace_total > trace_total_) {
        char gap[96];
        std::snprintf(gap, sizeof gap, "%.3f ... %zu lines not kept (restored from a checkpoint)", c.now,
                      c.trace_total - trace_total_);
        trace_.push_back(gap);
    } else {
        trace_.clear();
    }
    trace_total_ = std::max(c.trace_total, trace_.size());
    state_ = c.state;
    state_entered_ = c.state_entered, last_input_ = c.last_input, last_go_ = c.last_go;
    tod_watermark_ = c.tod_watermark;
    clock_show_ = c.clock_show, clock_day_ = c.clock_day, clock_epoch_ = c.clock_epoch;
    camera_ = c.camera;
    playing_ = c.playing;
    sets_ = c.sets;
    sound_play_ = c.sound_play;
    pending_ = c.pending;
    show_cue_fired_ = c.show_cue_fired;
    order_ = c.order;
    current_cue_ = c.current_cue;
    current_cue_index_ = c.current_cue_index;
    volume_ = c.volume;
    random_ = c.random;
    skip_floor_ = c.skip_floor, event_window_ = c.event_window;
    events_in_window_ = c.events_in_window;
    crowded_windows_ = c.crowded_windows;
    crowd_warned_at_ = c.crowd_warned_at;
    hook_window_ = c.hook_window;
    hook_work_ = c.hook_work;
    hooks_skipped_ = c.hooks_skipped;
    hook_warned_at_ = c.hook_warned_at;
    hook_seconds_ = 0;
    next_checkpoint_ = now_ + kCheckpointEvery;
    // The hook file's top level afresh, then what the hooks had saved.
    load_hooks();
    if (hooks_ && c.has_hooks) hook_error(hooks_->restore(c.hooks));
    if (!c.enter_start.empty() && !file_.states.empty()) {
        int start = file_.start.empty() ? 0 : file_.state_index(file_.start);
        enter_state(std::max(0, start), c.enter_start);
    }
}

const Show::Checkpoint* Show::checkpoint_before(double t) const {
    auto at = std::upper_bound(checkpoints_.begin(), checkpoints_.end(), t,
                               [](double x, const auto& k) { return x < k->now; });
    return at == checkpoints_.begin() ? nullptr : (at - 1)->get();
}

double Show::earliest() const { return folded_ > 0 && !checkpoints_.empty() ? checkpoints_.front()->now : 0; }

double Show::replay_from(double t) const {
    t = std::max(t, earliest());
    const Checkpoint* c = checkpoint_before(t);
    if (now_ <= t && (!c || c->now <= now_)) return now_;
    return c ? c->now : 0;
}

void Show::start_at(double t) {
    const Checkpoint* c = checkpoint_before(t);
    // Going forward from now() is playing: nothing to restore when no checkpoint is nearer.
    if (now_ <= t && (!c || c->now <= now_)) return;
    if (c)
        restore(*c);
    else
        reset();  // no checkpoint (the hooks' state could not be saved from the start): replay from 0
}

void Show::drop_checkpoints_from(double t) {
    while (!checkpoints_.empty() && checkpoints_.back()->now >= t) checkpoints_.pop_back();
}

namespace {

// The same cues at the same places: a timeline's marks mean the same in both files.
bool same_cues(const SceneFile& a, const std::vector<int>& ca, const SceneFile& b, const std::vector<int>& cb) {
    if (ca.size() != cb.size()) return false;
    for (size_t i = 0; i < ca.size(); ++i)
        if (a.cues[size_t(ca[i])].id != b.cues[size_t(cb[i])].id || a.cues[size_t(ca[i])].at != b.cues[size_t(cb[i])].at)
            return false;
    return true;
}

// Whether node `n` of `file` still has what a property of this kind changes.
bool node_has(const SceneFile& file, int n, PropertyKind kind) {
    const Node& node = file.nodes[size_t(n)];
    switch (kind) {
        case PropertyKind::Fov: return bool(node.camera);
        case PropertyKind::Orbit: return node.camera && node.camera->orbit;
        case PropertyKind::LightColor:
        case PropertyKind::LightIntensity: return bool(node.light);
        case PropertyKind::BaseColor:
        case PropertyKind::Emissive:
        case PropertyKind::AnimationTime: return !node.model.empty();
        case PropertyKind::Region:
        case PropertyKind::ImageSize:
        case PropertyKind::Opacity: return bool(node.image);
        case PropertyKind::SoundGain:
        case PropertyKind::SoundPitch: return bool(node.sound);
        default: return true;
    }
}

}  // namespace

std::shared_ptr<Show::Checkpoint> Show::map_from(const Checkpoint& c, const Show& old) const {
    const SceneFile& from = old.file_;
    auto m = std::make_shared<Checkpoint>(c);
    auto node_named = [&](int n) { return n >= 0 ? file_.node_index(from.nodes[size_t(n)].name) : -1; };
    auto cue_named = [&](int cue) {
        if (cue < 0) return -1;
        for (size_t k = 0; k < file_.cues.size(); ++k)
            if (file_.cues[k].id == from.cues[size_t(cue)].id) return int(k);
        return -1;
    };

    m->state = -1;
    if (c.state >= 0) {
        const std::string& name = from.states[size_t(c.state)].name;
        m->state = file_.state_index(name);
        if (m->state < 0 && !file_.states.empty()) m->enter_start = "reload: state " + name + " is gone";
    }
    m->camera = node_named(c.camera);
    if (m->camera < 0 || !file_.nodes[size_t(m->camera)].camera) {
        const std::string& cam = m->state >= 0 && !file_.states[size_t(m->state)].camera.empty()
                                     ? file_.states[size_t(m->state)].camera
                                     : file_.camera;
        m->camera = cam.empty() ? -1 : file_.node_index(cam);
    }

    m->playing.clear();
    for (const Playing& p : c.playing) {
        const Timeline* tl = file_.timeline(from.timelines[size_t(p.timeline)].name);
        if (!tl) continue;
        Playing q = p;
        q.timeline = int(tl - file_.timelines.data());
        const Timeline& was = from.timelines[size_t(p.timeline)];
        bool same = was.duration == tl->duration && was.loop == tl->loop &&
                    same_cues(from, old.timeline_cues_[size_t(p.timeline)], file_, timeline_cues_[size_t(q.timeline)]);
        if (!same && !q.ended) {  // the cues at or before its place count as fired
            double local = q.paused ? q.anchor_local : q.anchor_local + (c.now - q.anchor_show);
            q.fired_loop = tl->loop ? long(std::floor(local / tl->duration)) : 0;
            q.fired_at = local - double(q.fired_loop) * tl->duration;
            q.fired_rank = std::numeric_limits<int>::max();
        }
        m->playing.push_back(q);
    }

    m->sets.clear();
    for (const SetLayer& s : c.sets) {
        SetLayer l = s;
        Property& p = l.property;
        if (p.node >= 0) {
            int n = node_named(p.node);
            if (n < 0 || !node_has(file_, n, p.kind)) continue;
            if ((p.kind == PropertyKind::BaseColor || p.kind == PropertyKind::Emissive ||
                 p.kind == PropertyKind::AnimationTime) &&
                file_.nodes[size_t(n)].model != from.nodes[size_t(p.node)].model)
                continue;
            p.node = n;
        }
        if (p.group >= 0) {
            auto g = std::find(groups_.begin(), groups_.end(), old.groups_[size_t(p.group)]);
            if (g == groups_.end()) continue;
            p.group = int(g - groups_.begin());
        }
        m->sets.push_back(std::move(l));
    }

    m->sound_play.assign(file_.nodes.size(), {});
    for (int i : sound_nodes_)
        if (file_.nodes[size_t(i)].sound->play) m->sound_play[size_t(i)].playing = true;
    for (int i : old.sound_nodes_) {
        int n = node_named(i);
        if (n >= 0 && file_.nodes[size_t(n)].sound) m->sound_play[size_t(n)] = c.sound_play[size_t(i)];
    }

    m->pending.clear();
    for (const Pending& p : c.pending)
        if (int cue = cue_named(p.cue); cue >= 0) m->pending.push_back({p.at, cue, p.order});

    m->show_cue_fired.assign(file_.cues.size(), 0);
    for (size_t k = 0; k < file_.cues.size(); ++k) {
        const Cue& cue = file_.cues[k];
        int was = -1;
        for (size_t j = 0; j < from.cues.size(); ++j)
            if (from.cues[j].id == cue.id) was = int(j);
        if (was >= 0) m->show_cue_fired[k] = c.show_cue_fired[size_t(was)];
        else m->show_cue_fired[k] = cue.trigger == TriggerKind::Time && cue.timeline.empty() && cue.at <= c.now;
    }
    m->current_cue_index = cue_named(c.current_cue_index);
    return m;
}

void Show::take_over(Show& old, bool catch_up) {
    bool old_saveable = old.hooks_warning_.empty();
    std::vector<std::shared_ptr<const Checkpoint>> list;
    for (const auto& c : old.checkpoints_)
        if (c->now <= old.now_) list.push_back(map_from(*c, old));
    if (catch_up)
        if (std::shared_ptr<Checkpoint> now = old.snapshot()) {
            auto mapped = map_from(*now, old);
            if (!list.empty() && list.back()->now == old.now_)
                list.back() = mapped;
            else
                list.push_back(mapped);
        }
    checkpoints_ = std::move(list);
    inputs_ = std::move(old.inputs_);  // the old show is going away: no copy
    old.inputs_.clear();
    old.next_input_ = 0;
    folded_ = old.folded_;
    trace_ = std::move(old.trace_);
    trace_total_ = old.trace_total_;
    old.trace_.clear();
    old.trace_total_ = 0;
    double target = old.now_;
    const Checkpoint* c = checkpoint_before(target);
    if (c)
        restore(*c);
    else
        reset();
    if (catch_up) advance(target);
    outgoing_.clear(), log_.clear(), warnings_.clear();
    // Said once: this version's hooks found keeping state elsewhere during the replay
    // (the new file), else the old show's found just now.
    if (!hooks_warning_.empty())
        note(hooks_warning_);
    else if (old_saveable && !old.hooks_warning_.empty())
        note(old.hooks_warning_);
}

void Show::begin_seek(const Show& from, double t) {
    t = std::max(t, from.earliest());
    // The checkpoints up to t, and the later ones taken before the first input after t:
    // without that input the show reaches them again exactly (a scrub back and forth
    // replays a minute, not everything since the point it went back to).
    double first_forgotten = std::numeric_limits<double>::infinity();
    for (const Input& in : from.inputs_)
        if (in.t > t) first_forgotten = std::min(first_forgotten, in.t);
    checkpoints_.clear();
    for (const auto& c : from.checkpoints_)
        if (c->now <= t || c->now < first_forgotten) checkpoints_.push_back(c);
    // The inputs from the checkpoint on, up to t (later ones belong to a future that is
    // not going to happen); older ones are taken over from the running show when the
    // seek lands (adopt_older_inputs): copying a week of them would cost more than the seek.
    const Checkpoint* c = checkpoint_before(t);
    folded_ = c ? std::max(c->inputs_done, from.folded_) : from.folded_;
    inputs_.clear();
    for (size_t i = folded_ - from.folded_; i < from.inputs_.size(); ++i)
        if (from.inputs_[i].t <= t) inputs_.push_back(from.inputs_[i]);
    hooks_warning_ = from.hooks_warning_;
    trace_.clear();
    trace_total_ = from.trace_total_;
    if (c)
        restore(*c);
    else
        reset();
    outgoing_.clear(), log_.clear(), warnings_.clear();
}

void Show::adopt_older_inputs(Show& from) {
    size_t want = from.folded_, have = folded_;  // absolute indices of the first input
    if (want < have && from.folded_ + from.inputs_.size() >= have) {
        // from's vector, cut after the older ones, then this show's: nothing copied.
        std::vector<Input> all = std::move(from.inputs_);
        from.inputs_.clear();
        all.erase(all.begin() + long(have - want), all.end());
        all.insert(all.end(), std::make_move_iterator(inputs_.begin()), std::make_move_iterator(inputs_.end()));
        inputs_ = std::move(all);
        next_input_ += have - want;
        folded_ = want;
    }
    // Checkpoints that would need inputs this show does not have are of no use.
    while (!checkpoints_.empty() && checkpoints_.front()->inputs_done < folded_) checkpoints_.erase(checkpoints_.begin());
}

}  // namespace vitrine::show
