#include "show/live.h"

#include <chrono>

#include "core/log.h"

namespace vitrine::show {

std::unique_ptr<LiveShow> LiveShow::open(const std::filesystem::path& file, const ShowOptions& options,
                                         std::vector<Problem>& problems) {
    std::unique_ptr<LiveShow> live(new LiveShow());
    live->file_ = file;
    live->options_ = options;
    live->scene_ = load_scene(file, problems, &live->cache_);
    if (!live->scene_) return nullptr;
    live->show_ = Show::create(*live->scene_, options);
    auto watch = FileWatch::create();
    if (watch) {
        live->watch_ = std::move(*watch);
        live->watch();
    } else {
        log::warn(watch.error().message + "; the show will not reload when its files change");
    }
    return live;
}

void LiveShow::watch() {
    if (!watch_) return;
    if (auto r = watch_->watch(scene_->files); !r) log::warn(r.error().message);
}

LiveShow::Reload LiveShow::poll(std::vector<Problem>& problems) {
    if (!watch_ || watch_->changed().empty()) return Reload::None;
    auto start = std::chrono::steady_clock::now();
    auto scene = load_scene(file_, problems, &cache_);
    if (!scene) {
        // A broken file may also have dropped a watched file (an asset renamed away):
        // keep watching what the last good version read.
        watch();
        return Reload::Failed;
    }
    auto show = Show::create(*scene, options_);
    for (const Input& in : show_->inputs()) show->input(in);
    show->seek(show_->now());
    show->force_state(show_->state());
    // The old show refers to the old scene: replace both together.
    show_ = std::move(show);
    scene_ = std::move(scene);
    watch();
    last_reload_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return Reload::Reloaded;
}

}  // namespace vitrine::show
