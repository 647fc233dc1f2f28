// A show that follows its files (hot reload for `vitrine run`): the scene file, its hooks
// and its assets are watched. On a change the scene is loaded again (unchanged assets
// come from the cache); when it has no problems it replaces the running show at the
// same show time — the running show's state now and its checkpoints are mapped by name
// onto the new version (show/checkpoint.h says what is kept), nothing replayed, and the
// state the show was in is kept when the new version still has it — and when it has
// problems, they are reported and the last good version keeps running. (A show whose
// hooks keep state outside show.data replays from its last checkpoint taken before.)
#pragma once
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/file_watch.h"
#include "core/result.h"
#include "show/loader.h"
#include "show/show.h"

namespace vitrine::show {

// A reload's new show: `running`'s state now and its checkpoints mapped onto `scene` (a
// new version of running's scene; see show/checkpoint.h), its inputs and trace, at the
// same show time and, when the new version has it, in the same state. `running` keeps
// its state but gives up its inputs and trace (it is about to be dropped).
std::unique_ptr<Show> reloaded(Show& running, const LoadedScene& scene, const ShowOptions& options);

class LiveShow {
public:
    // Null (with the problems) when the scene does not load. `follow_files` false: its
    // files are not watched (a render: poll() never reloads).
    static std::unique_ptr<LiveShow> open(const std::filesystem::path& file, const ShowOptions& options,
                                          std::vector<Problem>& problems, bool follow_files = true);

    Show& show() { return *show_; }
    const LoadedScene& scene() const { return *scene_; }
    AssetCache& cache() { return cache_; }

    // An input for the show: the running one, or, while a seek is under way, the show
    // that is catching up (at its clock: the time the seek will land at).
    void input(Input in);

    // Seeking a live show costs time that must not stall its frames: a new show starts
    // at the running one's latest checkpoint at or before the target (its checkpoints
    // past the target come along while no input came after the target: a scrub back and
    // forth replays at most about a minute) and plays from
    // there to the target in slices of bounded work (continue_seek, once per frame)
    // while the running one stays on screen as it was; when the new one has caught up it
    // replaces the running one. A target before Show::earliest() or more than
    // kLongestSeek past the start of the current day of show time is refused; a seek
    // that needs more than kSeekEvents events is abandoned (one warning: the running
    // show goes on). A later seek replaces one under way; a reload restarts it.
    static constexpr double kLongestSeek = 7 * 24 * 3600.0;  // a week of show time (see seek)
    static constexpr size_t kSeekEvents = 20'000'000;
    Result<void> seek(double t);
    bool seeking() const { return seek_ != nullptr; }
    enum class Seek { None, Going, Landed, Abandoned };
    // Moves the seek on towards show time `t` (where its clock is now) by at most
    // `budget_seconds` of work. Landed: show() is the new show, at t.
    Seek continue_seek(double t, double budget_seconds);

    // The scene file's text as an editor holds it (unsaved edits): this and every later
    // reload reads it instead of the file (its assets are still read from disk); the
    // next poll() reloads.
    void set_text(std::string text);

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
    std::unique_ptr<Show> seek_;  // catching up (on scene_), or null
    size_t seek_events_ = 0;
    std::unique_ptr<FileWatch> watch_;
    std::optional<std::string> text_;  // set_text's; none: the file
    bool text_changed_ = false;
    double last_reload_ms_ = 0;
};

}  // namespace vitrine::show
