// The show runtime: states, timelines, cues, hooks and inputs over one clock, show time.
// The scene at show time t is a pure function of (the loaded files, t, the inputs with
// their show times): everything that happens — a cue, a timeline's end, an idle
// timeout, a time of day, an input — is an event at an exact show time, processed in a
// fixed order, never at a frame's time. So advancing in many small steps, in one step,
// or seeking from 0 give the same state, and the same frame, on any machine.
//
// Checkpoints (show/checkpoint.h): as it plays, the show saves its discrete state (and
// the hooks' show.data) every minute of show time, keeping a bounded set (recent ones
// close together, older ones further apart, none older than 8 days); a seek restores
// the latest one at or before its target and replays only from there. Inputs older than
// the oldest checkpoint kept are folded into it, so neither seeks nor the input list
// grow with a kiosk's uptime.
#pragma once
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "show/frame.h"
#include "show/hooks.h"
#include "show/inputs.h"
#include "show/loader.h"
#include "show/track.h"

namespace vitrine::show {

struct ShowOptions {
    double day_start = 9 * 3600;  // time of day at show time 0, seconds after local midnight
    double epoch_start = 0;       // os.time() at show time 0 (seconds since 1970)
    float aspect = 16.0f / 9.0f;  // of the picture, for touches at a point
    HookLimits hook_limits;
};

// A message a cue sends (the app sends it; offline renders only log it).
struct OutgoingOsc {
    std::string to, address;
    std::vector<std::string> args;
};

class Show {
public:
    // `scene` must outlive the show. Starts at show time 0 in the start state.
    static std::unique_ptr<Show> create(const LoadedScene& scene, const ShowOptions& options = {});
    ~Show();

    // Hooks together may use this many calls' worth of work (HookLimits::work) per second
    // of show time; past it they are skipped until the next second (one warning).
    static constexpr uint64_t kHookSecondsOfWork = 5;

    double now() const { return now_; }
    const std::string& state() const;
    const std::string& current_cue() const { return current_cue_; }
    // Timeline `name`'s own time now (a looping one's within its duration), or -1 when it
    // is not playing (the editor keys at the playhead in it).
    double timeline_time(const std::string& name) const;
    float volume() const { return volume_; }  // /vitrine/volume, 0..1, for the audio module
    // The civil clock as the show believes it at now(): seconds after local midnight
    // (ShowOptions::day_start + show time, re-anchored by each InputKind::Clock). A caller
    // reading the real clock sends a Clock input when the two differ by more than ~1 s.
    double time_of_day() const;

    // An input at show time in.t (earlier than now() counts as now()). It is processed
    // by the next advance(). /vitrine/seek and /vitrine/status are the caller's (they
    // act on the clock and the sender); here they are ignored.
    void input(Input in);
    // Processes every event up to show time t (>= now()) and moves there.
    void advance(double t);
    // The same in slices: at most `max_events` events, then false (now() is the time of
    // the last one processed; call again to go on). True once at t. Any slicing reaches
    // the same state as one advance(t).
    bool advance(double t, size_t max_events);
    // Show time t, as if played from 0 with the inputs up to t. Inputs after t stay queued
    // (scripted inputs of an offline render), unless `forget_later` (a live show jumping
    // back: what came later happened in a future that is now not going to happen).
    // Restores the latest checkpoint at or before t (or goes on from now() when that is
    // nearer) and replays from there. A t before earliest() lands at earliest().
    void seek(double t, bool forget_later = false);
    // The earliest show time a seek can reach: 0 until inputs were folded into a
    // checkpoint (a show that ran for more than 8 days), then the oldest checkpoint.
    double earliest() const;
    // The show time a seek to t would replay from (its checkpoint, or now()).
    double replay_from(double t) const;
    // "" while checkpoints can hold the hooks' state; else the warning that said why not
    // ("FILE: hooks keep state outside show.data (global 'x'); ..."): seeks then replay
    // from the last checkpoint taken before.
    const std::string& hooks_state_warning() const { return hooks_warning_; }
    size_t checkpoint_count() const { return checkpoints_.size(); }

    // After a reload (LiveShow): this show, just created on the new version of the scene,
    // takes over `old`'s history: its checkpoints and its state now, mapped by name onto
    // this scene (show/checkpoint.h says what is kept), its inputs and its trace (moved:
    // `old` is left without them, about to be dropped). With
    // `catch_up` it restores the latest checkpoint and plays to old.now() (when old's
    // hooks can be saved, that is old's state now: nothing to replay); without, it stops
    // at the checkpoint (a seek under way goes on from there).
    void take_over(Show& old, bool catch_up = true);
    // A live seek (LiveShow::seek): this new show, on the same scene as `from`, starts at
    // from's latest checkpoint at or before t, with from's inputs from there up to t;
    // advance(t, n) then plays the rest. When it lands, adopt_older_inputs(from) moves
    // the older inputs over from the show it replaces (so it can seek back as far).
    void begin_seek(const Show& from, double t);
    void adopt_older_inputs(Show& from);
    // After a reload: go to `state` (when it exists and is not the current one).
    void force_state(const std::string& state);

    // The inputs received since the oldest checkpoint (older ones are folded into it):
    // those a seek may replay.
    const std::vector<Input>& inputs() const { return inputs_; }

    // The scene at now().
    void evaluate(Frame& frame) const;

    // What happened (the latest 50 000 to 100 000 lines), one line per event that changed the state or fired a cue:
    // "12.500 cue 3.1", "15.000 state attract -> tour (touch vase)". For tests and logs.
    // Which lines are kept depends only on how many were written, so a seek that restores
    // a checkpoint keeps the lines it had up to it and appends what it replays: the same
    // lines as playing. (A checkpoint holds no lines: a show that restores one later than
    // the lines it holds — forward again after a seek back — keeps its lines and adds
    // one, "T ... N lines not kept (restored from a checkpoint)"; a live seek's new show
    // traces from its checkpoint on.)
    const std::vector<std::string>& trace() const { return trace_; }
    // Warnings since the last call (hook errors, unknown cue ids from OSC, ...).
    std::vector<std::string> take_warnings();
    // Lines hooks wrote with show.log (informational).
    std::vector<std::string> take_log();
    std::vector<OutgoingOsc> take_outgoing();

    struct Checkpoint;  // show/checkpoint.h

private:
    friend class ShowApi;
    Show(const LoadedScene& scene, const ShowOptions& options);
    void reset();
    void load_hooks();  // the hook file, its top level run afresh
    // ---- checkpoints (checkpoint.cpp) ----
    std::shared_ptr<Checkpoint> snapshot();  // null when the hooks' state cannot be saved (warned once)
    void take_checkpoint();                  // every kCheckpointEvery of show time
    void restore(const Checkpoint& c);
    const Checkpoint* checkpoint_before(double t) const;  // the latest at or before t, or null
    void start_at(double t);                 // restores for a seek to t (or resets)
    void drop_checkpoints_from(double t);    // at or after t: an input came before them
    void fold_inputs();
    std::shared_ptr<Checkpoint> map_from(const Checkpoint& c, const Show& old) const;  // old's onto this scene
    double civil(double t) const { return clock_day_ + (t - clock_show_); }
    void bind();

    // ---- discrete state (changes only at events) ----
    struct Playing {
        int timeline = -1;
        double anchor_show = 0, anchor_local = 0;  // local(t) = anchor_local + (t - anchor_show)
        bool paused = false, ended = false;
        // Cues fired through (loop count, time within the loop, rank in the cue list), compared
        // in that order: exact, however many loops (no unwrapped time to round).
        long fired_loop = 0;
        double fired_at = 0;
        int fired_rank = -1;
        uint64_t order = 0;    // layering: later started applies later
    };
    struct SetLayer {
        Property property;
        std::vector<float> from, to;
        glm::dvec4 region_from{0}, region_to{0};  // Region: a magnification move (zoom_between)
        double start = 0, fade = 0;
        uint64_t order = 0;
    };
    // A sound node's playing state, changed only by events (show start for `play: true`,
    // play_sound, stop_sound, seek_sound): at show time t it is `offset + (t - since)`
    // seconds into its file while playing.
    struct SoundPlay {
        bool playing = false;
        double since = 0, offset = 0;
    };
    struct Pending {  // a cue waiting out its pre-wait
        double at = 0;
        int cue = -1;
        uint64_t order = 0;
    };

    // ---- events ----
    enum class EventKind { Input, Prewait, TimelineCue, TimelineEnd, ShowCue, TimeOfDay, Idle, None };
    struct Event {
        double t = 0;
        EventKind kind = EventKind::None;
        int index = -1;   // input / pending / playing / cue / transition
        int cue = -1;     // TimelineCue: rank in the timeline's cue list
        long loop = 0;    // TimelineCue: which loop of the timeline
    };
    Event next_event() const;
    void process(const Event& e);
    void skip_events_at(double t);

    void enter_state(int state, const std::string& why);
    void fire_cue(int cue, const std::string& why);
    void run_cue(int cue);
    void run_action(const Action& a, const std::string& cue_id);
    void play(int timeline, double local);
    void stop(int timeline);
    void pause(int timeline);
    void handle_input(const Input& in);
    void set_clock(const Input& in);  // InputKind::Clock
    void touch(int node, const std::string& what);
    void osc(const std::string& address, const std::vector<std::string>& args);
    void go();
    Result<void> set(const std::string& path, const std::vector<float>& value, double fade);
    void zoom(int node, const ZoomMove& move);  // a zoom_to cue action, from the region in force
    void sound(const Action& a);                // play_sound, stop_sound, seek_sound
    void push_set(SetLayer layer);              // replacing an earlier set of the same property
    double mm_per_pixel(int node) const;        // of an image node's pyramid; 0: unknown
    double local_time(const Playing& p, double t) const;
    double idle_after() const;  // the current state's idle timeout, or < 0
    void hook_error(const Result<void>& r);
    void call_hook(const std::function<Result<void>()>& call);  // within the show's hook budgets
    void note(const std::string& line);
    void record(std::string line);  // one line of the trace
    static constexpr size_t kTraceLines = 100000;

    // ---- evaluation ----
    struct Values;
    glm::dvec4 region_now(const Values& v, size_t node) const;  // made square to the frame
    void values_at(double t, Values& v) const;
    void sounds(const Values& v, Frame& frame) const;  // Frame::sounds, zones and the audio section
    void apply(Values& v, const Property& p, const float* value) const;
    void read(const Values& v, const Property& p, float* out) const;
    static int width(const Property& p) { return p.kind == PropertyKind::Rotation ? 4 : p.size; }

    const LoadedScene& scene_;
    const SceneFile& file_;
    ShowOptions options_;
    Models models_;
    std::vector<std::vector<BoundTrack>> tracks_;  // per timeline
    std::vector<std::vector<int>> timeline_cues_;  // per timeline: its Time cues, by local time
    std::vector<int> show_cues_;                   // Time cues on show time, by time
    std::vector<int> cue_order_;                   // every cue by number (GO order)
    std::vector<int> model_nodes_, light_nodes_, image_nodes_, hotspot_nodes_, sound_nodes_, zone_nodes_;
    std::vector<std::string> groups_;              // SceneFile::audio_groups()
    std::vector<double> sound_length_;             // per node: a sound's file in seconds; < 0 unknown
    std::vector<std::filesystem::path> sound_file_;  // per node: a sound's resolved file
    std::vector<const zoom::Pyramid*> pyramids_;   // per node: an image node's pyramid
    std::vector<std::vector<FrameTexture>> textures_;  // per node: a model node's `texture:`, resolved
    std::unique_ptr<Values> base_;                 // the file's values
    std::unique_ptr<Values> scratch_;              // evaluate()'s, reused frame to frame
    mutable std::vector<const Playing*> layer_scratch_;

    // Checkpoints by show time; shared (read-only) with the new show of a live seek.
    std::vector<std::shared_ptr<const Checkpoint>> checkpoints_;
    double next_checkpoint_ = 0;
    size_t folded_ = 0;        // inputs folded into the oldest checkpoint (dropped from inputs_)
    std::string hooks_warning_;  // set once: checkpoints cannot hold the hooks' state
    size_t trace_total_ = 0;   // lines ever written to the trace

    double now_ = 0;
    int state_ = -1;
    // The civil clock: at show time clock_show_ it read clock_day_ seconds after the
    // first day's midnight (unwrapped: days go on counting) and clock_epoch_ for os.time().
    double clock_show_ = 0, clock_day_ = 0, clock_epoch_ = 0;
    double state_entered_ = 0, last_input_ = 0, last_go_ = -1e9;
    double tod_watermark_ = 0;  // civil time (unwrapped) up to which times of day were considered
    int camera_ = -1;
    std::vector<Playing> playing_;
    std::vector<SetLayer> sets_;
    std::vector<SoundPlay> sound_play_;  // per node
    std::vector<Pending> pending_;
    std::vector<uint8_t> show_cue_fired_;
    uint64_t order_ = 0;
    std::string current_cue_;
    int current_cue_index_ = -1;
    float volume_ = 1;
    std::mt19937_64 random_;
    std::unique_ptr<Hooks> hooks_;
    std::vector<Input> inputs_;  // every input received, by time
    size_t next_input_ = 0;
    std::vector<std::string> trace_, warnings_, log_;
    std::vector<OutgoingOsc> outgoing_;
    int hook_depth_ = 0;
    double skip_floor_ = -1;  // events (but inputs) at or before this were skipped
    double event_window_ = -1;  // the 1/240 s window of show time being counted, and its count
    int events_in_window_ = 0;
    long crowded_windows_ = 0;        // windows cut short so far
    double crowd_warned_at_ = -1e300;  // show time of the last warning about them
    int hooks_running_ = 0;             // hook calls in progress (nested through show.cue)
    double hook_window_ = -1;           // the second of show time whose hook work is counted
    uint64_t hook_work_ = 0;            // work units hooks used in it
    double hook_seconds_ = 0;           // live: wall time hooks used in this advance()
    long hooks_skipped_ = 0;
    double hook_warned_at_ = -1e300;
};

// "3.1" < "3.10"? Cue numbers compare part by part as numbers: 1 < 1.5 < 2 < 2.1 < 10.
bool cue_before(const std::string& a, const std::string& b);

}  // namespace vitrine::show
