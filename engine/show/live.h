// A show that follows its files (hot reload for `vitrine run`): the scene file, its hooks
// and its assets are watched. On a change the scene is loaded again (unchanged assets
// come from the cache); when it has no problems it replaces the running show at the
// same show time — the inputs received so far are replayed, then the state the show was
// in is kept when the new version still has it — and when it has problems, they are
// reported and the last good version keeps running.
#pragma once
#include <filesystem>
#include <memory>
#include <vector>

#include "core/file_watch.h"
#include "show/loader.h"
#include "show/show.h"

namespace vitrine::show {

class LiveShow {
public:
    // Null (with the problems) when the scene does not load.
    static std::unique_ptr<LiveShow> open(const std::filesystem::path& file, const ShowOptions& options,
                                          std::vector<Problem>& problems);

    Show& show() { return *show_; }
    const LoadedScene& scene() const { return *scene_; }
    AssetCache& cache() { return cache_; }

    enum class Reload { None, Reloaded, Failed };
    // Non-blocking. Reloaded: scene() and show() are new (the old ones are gone).
    // Failed: `problems` says why; the running show is untouched.
    Reload poll(std::vector<Problem>& problems);
    double last_reload_ms() const { return last_reload_ms_; }

private:
    LiveShow() = default;
    void watch();
    std::filesystem::path file_;
    ShowOptions options_;
    AssetCache cache_;
    std::unique_ptr<LoadedScene> scene_;
    std::unique_ptr<Show> show_;
    std::unique_ptr<FileWatch> watch_;
    double last_reload_ms_ = 0;
};

}  // namespace vitrine::show
