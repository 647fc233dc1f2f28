#include "show/live.h"

#include <chrono>
#include <cmath>
#include <cstdio>

#include "core/log.h"

namespace vitrine::show {

std::unique_ptr<LiveShow> LiveShow::open(const std::filesystem::path& file, const ShowOptions& options,
                                         std::vector<Problem>& problems, bool follow_files) {
    std::unique_ptr<LiveShow> live(new LiveShow());
    live->file_ = file;
    live->options_ = options;
    live->scene_ = load_scene(file, problems, &live->cache_);
    if (!live->scene_) return nullptr;
    live->show_ = Show::create(*live->scene_, options);
    if (!follow_files) return live;
    auto watch = FileWatch::create();
    if (watch) {
        live->watch_ = std::move(*watch);
        live->watch();
    } else {
        log::warn(watch.error().message + "; the show will not reload when its files change");
    }
    return live;
}

std::unique_ptr<Show> reloaded(Show& running, const LoadedScene& scene, const ShowOptions& options) {
    auto show = Show::create(scene, options);
    show->take_over(running);
    show->force_state(running.state());
    return show;
}

void LiveShow::watch() {
    if (!watch_) return;
    if (auto r = watch_->watch(scene_->files); !r) log::warn(r.error().message);
}

void LiveShow::set_text(std::string text) {
    text_ = std::move(text);
    text_changed_ = true;
}

LiveShow::Reload LiveShow::poll(std::vector<Problem>& problems) {
    bool files = watch_ && !watch_->changed().empty();
    if (!files && !text_changed_) return Reload::None;
    text_changed_ = false;
    auto start = std::chrono::steady_clock::now();
    auto scene = load_scene(file_, problems, &cache_, text_ ? &*text_ : nullptr);
    if (!scene) {
        // A broken file may also have dropped a watched file (an asset renamed away):
        // keep watching what the last good version read.
        watch();
        return Reload::Failed;
    }
    // The running show's state now (and its checkpoints), mapped by name onto the new
    // version: nothing is replayed unless its hooks keep state outside show.data.
    auto show = reloaded(*show_, *scene, options_);
    // A seek under way starts again on the new scene, from its latest checkpoint.
    std::unique_ptr<Show> seek;
    if (seek_) {
        seek = Show::create(*scene, options_);
        seek->take_over(*seek_, /*catch_up=*/false);
        seek_events_ = 0;
    }
    // The old show refers to the old scene: replace both together.
    show_ = std::move(show);
    seek_ = std::move(seek);
    scene_ = std::move(scene);
    watch();
    last_reload_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return Reload::Reloaded;
}

void LiveShow::input(Input in) { (seek_ ? *seek_ : *show_).input(std::move(in)); }

Result<void> LiveShow::seek(double t) {
    // From the earliest time the show can still reach (0, until a kiosk's inputs older
    // than 8 days were folded into a checkpoint) to a week past the start of the current
    // day of show time.
    double earliest = show_->earliest();
    double latest = std::floor(show_->now() / 86400) * 86400 + kLongestSeek;
    if (!(t >= earliest && t <= latest)) {
        char got[32], from[32];
        std::snprintf(got, sizeof got, "%g", t);
        std::snprintf(from, sizeof from, "%g", earliest);
        return fail(std::string("seek: show time must be from ") + from + " to " + std::to_string(long(latest)) +
                    " s (a week), got " + got);
    }
    // From the latest checkpoint at or before t, with the inputs up to t: later ones
    // belong to a future that is not going to happen.
    seek_ = Show::create(*scene_, options_);
    seek_->begin_seek(*show_, t);
    seek_events_ = 0;
    return {};
}

LiveShow::Seek LiveShow::continue_seek(double t, double budget_seconds) {
    if (!seek_) return Seek::None;
    constexpr size_t kSlice = 256;  // events between two looks at the clock
    auto start = std::chrono::steady_clock::now();
    for (;;) {
        bool arrived = seek_->advance(t, kSlice);
        // What the replay sent, logged and warned happened already (as in Show::seek);
        // dropped as it goes, so a long replay holds no growing lists.
        seek_->take_outgoing(), seek_->take_log(), seek_->take_warnings();
        if (arrived) break;
        seek_events_ += kSlice;
        if (seek_events_ >= kSeekEvents) {
            log::warn("seek: abandoned at show time " + std::to_string(seek_->now()) + " after " +
                      std::to_string(kSeekEvents) + " events (a show with very frequent cues); the show goes on where it was");
            seek_.reset();
            return Seek::Abandoned;
        }
        if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >= budget_seconds)
            return Seek::Going;
    }
    bool saveable = show_->hooks_state_warning().empty();
    seek_->adopt_older_inputs(*show_);
    show_ = std::move(seek_);
    if (saveable && !show_->hooks_state_warning().empty()) log::warn(show_->hooks_state_warning());
    return Seek::Landed;
}

}  // namespace vitrine::show
