// A show's checkpoints: its discrete state at an event boundary, everything advance()
// changes, so that a seek or a reload starts from the latest one instead of show time
// 0 (show.h). Internal to the show module.
//
// Which are kept: one is taken at the first event boundary a minute of show time after
// the last (kCheckpointEvery); of the older ones, one of age A is kept when it is the
// first in its bucket of show time, the buckets a minute times the power of 2 nearest
// below A / 8 minutes (kKeptPerAge) wide — so a seek to a time A ago replays at most
// about A / 4, and a seek to now at most a minute — and none older than
// kOldestCheckpoint. That is 8 to 16 checkpoints per doubling of age, about 90 after 8
// days and from then on. Inputs older than the oldest are folded into it (dropped from
// Show::inputs()), so a show reaches back 0 to 8 days (at least about 6.5 once it has
// run that long).
//
// A reload maps a checkpoint onto the new version of the scene by name (Show::map_from):
//   - the state, by name; when the new version has no state of that name, the show
//     enters the start state at the checkpoint ("reload: state X is gone");
//   - playing timelines, by name (with their place, layer order, pause; the cues they
//     fired are those at or before their place, whatever the new file's cue list);
//     timelines the new version lacks are dropped;
//   - `set`s and zooms in force, by the node (and material index, when the node still
//     has the same model; audio group by name) of their property; others are dropped;
//   - sounds playing or stopped, by node name (nodes that are still sounds);
//   - pre-waits under way and show-time cues fired, by cue id (a show-time cue the new
//     version adds at a time already past does not fire); the current cue by id (GO
//     goes on after it; gone: GO starts from the first cue);
//   - the camera by node name; volume, the random generator, the idle clock, the time
//     of day's clock and watermark, the order of layers, the event-window and hook-share
//     counters as they were;
//   - show.data (the hooks' saved state, restored into the new hook file after its top
//     level has run) and the hook log's rate limiter.
#pragma once
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "show/hooks.h"
#include "show/show.h"

namespace vitrine::show {

inline constexpr double kCheckpointEvery = 60;            // seconds of show time
inline constexpr double kKeptPerAge = 8;                  // buckets about age / 8 wide
inline constexpr double kOldestCheckpoint = 8 * 86400.0;  // none kept older than 8 days

struct Show::Checkpoint {
    double now = 0;
    size_t inputs_done = 0;  // inputs processed, counted from the show's first (folded ones too)
    size_t trace_total = 0;  // lines the trace had been given
    int state = -1;
    double state_entered = 0, last_input = 0, last_go = -1e9, tod_watermark = 0;
    double clock_show = 0, clock_day = 0, clock_epoch = 0;
    int camera = -1;
    std::vector<Playing> playing;
    std::vector<SetLayer> sets;
    std::vector<SoundPlay> sound_play;
    std::vector<Pending> pending;
    std::vector<uint8_t> show_cue_fired;
    uint64_t order = 0;
    std::string current_cue;
    int current_cue_index = -1;
    float volume = 1;
    std::mt19937_64 random;
    double skip_floor = -1, event_window = -1;
    int events_in_window = 0;
    long crowded_windows = 0;
    double crowd_warned_at = -1e300;
    double hook_window = -1;
    uint64_t hook_work = 0;
    long hooks_skipped = 0;
    double hook_warned_at = -1e300;
    bool has_hooks = false;
    HookState hooks;
    std::string enter_start;  // a reload's: the state is gone; enter the start state, saying this
};

// Drops the checkpoints the rule above no longer keeps (`list` by time; `now` the show's).
void thin_checkpoints(std::vector<std::shared_ptr<const Show::Checkpoint>>& list, double now);

}  // namespace vitrine::show
