// Checkpoints (engine/show/checkpoint.h): a seek restores the latest checkpoint and
// replays from there, and still equals playing, also after 30 simulated days; hooks'
// state in show.data is saved with them, state kept anywhere else is found and falls
// back to replaying; reloads carry the running show over by name; the civil clock's
// steps (daylight saving time, NTP). CPU only.
#include <chrono>
#include <cmath>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "show_text.h"
#include "temp_dir.h"
#include "show/checkpoint.h"
#include "show/live.h"
#include "show/loader.h"
#include "show/inputs.h"
#include "show/show.h"

namespace fs = std::filesystem;
using namespace vitrine::show;

namespace {

using vitrine::test::osc;
using vitrine::test::touch;

// Scenes of these tests are written as k.scene.yaml.
std::unique_ptr<LoadedScene> load_text(const vitrine::test::TempDir& dir, const std::string& text,
                                       const std::string& name = "k.scene.yaml") {
    return vitrine::test::load_scene_text(dir, text, name);
}

struct TempDir : vitrine::test::TempDir {
    TempDir() : vitrine::test::TempDir("vitrine_checkpoint") {}
};



Input touch_at(double t, float x, float y) {
    Input in;
    in.t = t;
    in.kind = InputKind::TouchAt;
    in.x = x, in.y = y;
    return in;
}


Input clock(double t, double time_of_day, double epoch) {
    Input in;
    in.t = t;
    in.kind = InputKind::Clock;
    in.time_of_day = time_of_day;
    in.epoch = epoch;
    return in;
}

// A kiosk: an attract loop with a cue, a tour that times out back to it (idle), a night
// loop from 18:30 to 09:00 (times of day), hooks that keep counters in show.data and
// draw from the show's generator.
const char* kKiosk = R"(
seed: 11
idle_timeout: 90
nodes:
  - name: box
  - name: lamp
    light: {type: point, intensity: 1}
  - name: cam
    camera: {fov: 40, orbit: {yaw: 0, pitch: 0, distance: 3, target: [0, 0, 0]}}
camera: cam
timelines:
  - name: attract
    duration: 37
    loop: true
    tracks:
      - target: box.translation
        keys: [{t: 0, value: [0, 0, 0]}, {t: 37, value: [10, 0, 0]}]
  - name: tour
    duration: 45
    loop: true
    tracks:
      - target: look.exposure
        keys: [{t: 0, value: [0]}, {t: 45, value: [2]}]
  - name: night
    duration: 13
    loop: true
    tracks:
      - target: lamp.intensity
        keys: [{t: 0, value: [0.1]}, {t: 13, value: [0.3]}]
cues:
  - {id: "1", at: {timeline: attract, t: 5}, actions: [{set: box.scale, value: [2, 2, 2], fade: 4}]}
  - {id: "2", at: {timeline: tour, t: 10}, prewait: 1.5, actions: [{set: environment.intensity, value: 0.5, fade: 2}]}
  - {id: "3", at: {timeline: night, t: 6}}
  - {id: "4", actions: [{set: environment.intensity, value: 1}]}
start: attract
states:
  - name: attract
    timeline: attract
    transitions: [{touch: any, to: tour}, {time_of_day: "18:30", to: closed}]
  - name: tour
    timeline: tour
    transitions: [{time_of_day: "18:30", to: closed}]
  - name: closed
    timeline: night
    idle: none
    transitions: [{time_of_day: "09:00", to: attract}]
hooks: h.lua
)";

const char* kKioskHooks = R"(
show.data.visits = show.data.visits or 0
function on_touch(node)
  show.data.visits = show.data.visits + 1
  show.data.last = node
  if show.data.visits % 3 == 0 then show.set("lamp.color", {1, show.random(), 0.5}, 1) end
end
function on_cue(id)
  local d = show.data
  d.cues = d.cues or {}
  d.cues[id] = (d.cues[id] or 0) + 1
  if id == "3" then show.set("box.rotation", {0, (d.cues[id] * 7) % 360, 0}, 0.5) end
end
function on_enter(state)
  show.data.entered = (show.data.entered or 0) + 1
  show.data.since = os.time()
  if state == "attract" then show.set("lamp.color", {show.random(), 0.5, (show.data.entered % 10) / 10}, 2) end
end
)";

// The same scene, the same frame: state, cue, clock, volume, and what is drawn.
void expect_same(Show& a, Show& b, const std::string& where) {
    ASSERT_EQ(a.now(), b.now()) << where;
    ASSERT_EQ(a.state(), b.state()) << where;
    ASSERT_EQ(a.current_cue(), b.current_cue()) << where;
    ASSERT_EQ(a.time_of_day(), b.time_of_day()) << where;
    ASSERT_EQ(a.volume(), b.volume()) << where;
    Frame fa, fb;
    a.evaluate(fa);
    b.evaluate(fb);
    ASSERT_EQ(fa.world, fb.world) << where;
    ASSERT_EQ(fa.exposure, fb.exposure) << where;
    ASSERT_EQ(fa.env_intensity, fb.env_intensity) << where;
    ASSERT_EQ(fa.lights.size(), fb.lights.size()) << where;
    for (size_t i = 0; i < fa.lights.size(); ++i) {
        ASSERT_EQ(fa.lights[i].light.color, fb.lights[i].light.color) << where;
        ASSERT_EQ(fa.lights[i].light.intensity, fb.lights[i].light.intensity) << where;
    }
    ASSERT_EQ(fa.camera.world, fb.camera.world) << where;
}

// Touches at random times (seeded), some on the box, some at points, some GOs; a daylight
// saving change forward on day 10 and back on day 20, and an NTP step on day 15.
std::vector<Input> kiosk_inputs(double days, double per_hour, uint32_t seed, double day_start) {
    std::mt19937 rng(seed);
    std::vector<Input> inputs;
    double t = 0;
    std::exponential_distribution<double> gap(per_hour / 3600);
    std::vector<Input> clocks;
    auto civil = [&](double show_t, double shift) { return std::fmod(day_start + show_t + shift, 86400.0); };
    const double epoch0 = 1'700'000'000;
    // The clock steps, as a ShowClock would send them: forward an hour at 02:00 on day 10,
    // back an hour at 03:00 on day 20 (its clock then reads 02:00), 4 s forward on day 15.
    double dst_on = 10 * 86400 + (2 * 3600 - day_start + 86400);
    double ntp = 15 * 86400 + 3600.5;
    double dst_off = 20 * 86400 + (2 * 3600 - day_start + 86400);
    clocks.push_back(clock(dst_on, civil(dst_on, 3600), epoch0 + dst_on));
    clocks.push_back(clock(ntp, civil(ntp, 3604), epoch0 + ntp + 4));
    clocks.push_back(clock(dst_off, civil(dst_off, 4), epoch0 + dst_off + 4));
    size_t next_clock = 0;
    for (;;) {
        t += gap(rng);
        t = std::round(t * 1000) / 1000;
        if (t >= days * 86400) break;
        while (next_clock < clocks.size() && clocks[next_clock].t <= t) inputs.push_back(clocks[next_clock++]);
        int kind = int(rng() % 6);
        if (kind < 3) inputs.push_back(touch(t, "box"));
        else if (kind < 5) inputs.push_back(touch_at(t, float(rng() % 100) / 100, float(rng() % 100) / 100));
        else inputs.push_back(osc(t, "/vitrine/go"));
    }
    while (next_clock < clocks.size()) inputs.push_back(clocks[next_clock++]);
    return inputs;
}

}  // namespace

// 30 simulated days: playing in steps (from a frame to a few seconds), a show that plays
// ahead and seeks back (restoring a checkpoint), and a new show seeking from 0 reach the
// same state and the same frame.
TEST(Checkpoint, ThirtyDaysOfPlayingEqualSeekingFromACheckpointAndFromScratch) {
    TempDir dir;
    dir.write("h.lua", kKioskHooks);
    auto scene = load_text(dir, kKiosk);
    ASSERT_TRUE(scene);
    ShowOptions options;
    options.day_start = 8 * 3600 + 17 * 60;  // 08:17
    options.epoch_start = 1'700'000'000;
    const double days = 30;
    std::vector<Input> inputs = kiosk_inputs(days, 12, 7, options.day_start);
    auto played = Show::create(*scene, options);
    auto jumper = Show::create(*scene, options);
    for (const Input& in : inputs) played->input(in), jumper->input(in);
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> frame(1.0 / 240, 1.0 / 30), stride(0.5, 6.0);
    double next_sample = 0.6 * 86400;
    int samples = 0;
    size_t most_checkpoints = 0;
    double now = 0;
    while (now < days * 86400) {
        // Mostly frame-sized steps around the sample times, longer strides between them.
        now += next_sample - now < 120 ? frame(rng) : stride(rng);
        now = std::min(now, days * 86400);
        played->advance(now);
        played->take_log(), played->take_warnings(), played->take_outgoing();
        most_checkpoints = std::max(most_checkpoints, played->checkpoint_count());
        if (now < next_sample && now < days * 86400) continue;
        // The jumper is ahead (up to a day), and seeks back to now: a checkpoint, then a replay.
        double ahead = now + std::uniform_real_distribution<double>(0, 86400)(rng);
        if (ahead > jumper->now()) jumper->advance(ahead);
        double from = jumper->replay_from(now);  // a checkpoint not far back, not show time 0
        EXPECT_LE(from, now);
        EXPECT_GT(from, now - 86400 / 4.0);
        jumper->seek(now);
        EXPECT_TRUE(jumper->take_warnings().empty());
        expect_same(*played, *jumper, "day " + std::to_string(now / 86400));
        ASSERT_EQ(played->trace(), jumper->trace()) << "day " << now / 86400;
        ++samples;
        next_sample += std::uniform_real_distribution<double>(1.5, 3.5)(rng) * 86400;
    }
    EXPECT_GE(samples, 8);
    // From scratch: every input since show time 0, sought at once.
    auto scratch = Show::create(*scene, options);
    for (const Input& in : inputs) scratch->input(in);
    scratch->seek(now);
    expect_same(*played, *scratch, "from scratch");
    EXPECT_EQ(played->trace(), scratch->trace());
    EXPECT_TRUE(played->hooks_state_warning().empty()) << played->hooks_state_warning();
    // The trace did see all of it: nights, mornings, tours that timed out, the clock's steps.
    size_t nights = 0, mornings = 0, idles = 0, clocks = 0;
    for (const std::string& line : played->trace()) {
        nights += line.find("(time of day 18:30)") != std::string::npos;
        mornings += line.find("(time of day 09:00)") != std::string::npos;
        idles += line.find("(idle 90 s)") != std::string::npos;
        clocks += line.find(" clock ") != std::string::npos;
    }
    EXPECT_GE(nights, 5u);
    EXPECT_GE(mornings, 5u);
    EXPECT_GT(idles, 10u);
    // Bounded: checkpoints and inputs do not grow with the days; older inputs were folded.
    EXPECT_LT(most_checkpoints, 110u);
    EXPECT_LT(played->inputs().size(), size_t(9 * 24 * 12 * 1.5));  // at most 8 days' worth, not 30
    EXPECT_LT(played->inputs().size(), inputs.size() / 2);
    EXPECT_GE(played->earliest(), 22 * 86400.0);
    EXPECT_LE(played->earliest(), 23.6 * 86400.0);
    // Before the earliest time kept, a seek lands there (and equals playing to there).
    auto late = Show::create(*scene, options);
    for (const Input& in : inputs) late->input(in);
    late->advance(played->earliest());
    played->seek(1000);
    EXPECT_EQ(played->now(), late->now());
    expect_same(*played, *late, "earliest");
}

// A seek to a time after a later checkpoint that survived a seek back (no inputs were
// forgotten) restores it; the trace keeps its lines and says what it does not hold.
TEST(Checkpoint, ForwardAgainAfterASeekBackRestoresTheLaterCheckpoint) {
    TempDir dir;
    dir.write("h.lua", kKioskHooks);
    auto scene = load_text(dir, kKiosk);
    ASSERT_TRUE(scene);
    std::vector<Input> inputs = kiosk_inputs(2, 20, 5, 9 * 3600);
    auto played = Show::create(*scene);
    auto back_and_forth = Show::create(*scene);
    for (const Input& in : inputs) played->input(in), back_and_forth->input(in);
    back_and_forth->advance(1.5 * 86400);
    back_and_forth->seek(0.5 * 86400);
    EXPECT_LT(back_and_forth->replay_from(1.4 * 86400), 1.4 * 86400);
    EXPECT_GT(back_and_forth->replay_from(1.4 * 86400), 0.6 * 86400);  // not from 0.5 days: a later checkpoint
    back_and_forth->seek(1.4 * 86400);
    played->advance(1.4 * 86400);
    expect_same(*played, *back_and_forth, "forward again");
    bool said = false;
    for (const std::string& line : back_and_forth->trace()) said = said || line.find("lines not kept") != std::string::npos;
    EXPECT_TRUE(said);
}

// show.data comes back with a checkpoint; a table aliased at the top level still works.
TEST(Checkpoint, ShowDataIsSavedAndRestored) {
    TempDir dir;
    dir.write("h.lua", R"(
local data = show.data
data.touches = 0
function on_touch(node)
  data.touches = data.touches + 1
  data.names = data.names or {}
  data.names[#data.names + 1] = node .. "!"
  data.half = data.touches / 2
  data.flag = data.touches % 2 == 0
  show.set("box.translation", {data.touches, #data.names, data.half})
end
)");
    auto scene = load_text(dir, R"(
nodes: [{name: box}]
timelines: [{name: t, duration: 7, loop: true, tracks: []}]
states: [{name: s, timeline: t, transitions: [{touch: any, to: s}]}]
hooks: h.lua
)");
    ASSERT_TRUE(scene);
    auto played = Show::create(*scene);
    auto sought = Show::create(*scene);
    for (int i = 1; i <= 40; ++i) played->input(touch(i * 17.0, "box")), sought->input(touch(i * 17.0, "box"));
    played->advance(700);
    sought->advance(700);
    sought->seek(500);  // restores a checkpoint between 400 and 500 with show.data as it was
    EXPECT_LE(sought->replay_from(500), 500);
    EXPECT_GE(sought->replay_from(500), 400);
    sought->advance(700);
    EXPECT_TRUE(sought->take_warnings().empty());
    expect_same(*played, *sought, "show.data");
    Frame f;
    sought->evaluate(f);
    EXPECT_FLOAT_EQ(f.world[0][3][0], 40);  // 40 touches counted, through the restore
    EXPECT_FLOAT_EQ(f.world[0][3][1], 40);
    EXPECT_FLOAT_EQ(f.world[0][3][2], 20);
}

// Hooks that keep state elsewhere: found at the first checkpoint after the change, said
// once with the place, and seeks replay from before it: still equal to playing.
TEST(Checkpoint, HooksKeepingStateOutsideShowDataFallBackToReplaying) {
    struct Case {
        const char* hooks;
        const char* place;
    } cases[] = {
        {"visits = 0\nfunction on_touch(node) visits = visits + 1 show.set('box.translation', {visits, 0, 0}) end\n",
         "global 'visits'"},
        {"local n = 0\nfunction on_touch(node) n = n + 1 show.set('box.translation', {n, 0, 0}) end\n",
         "upvalue 'n' of on_touch"},
        {"seen = {}\nfunction on_touch(node) seen[#seen + 1] = node show.set('box.translation', {#seen, 0, 0}) end\n",
         "global 'seen'"},
        {"function on_touch(node) show.data.f = function() end show.data.n = (show.data.n or 0) + 1 "
         "show.set('box.translation', {show.data.n, 0, 0}) end\n",
         "show.data.f holds a function"},
    };
    for (const Case& c : cases) {
        TempDir dir;
        dir.write("h.lua", c.hooks);
        auto scene = load_text(dir, R"(
nodes: [{name: box}]
timelines: [{name: t, duration: 7, loop: true, tracks: []}]
states: [{name: s, timeline: t}]
hooks: h.lua
)");
        ASSERT_TRUE(scene);
        auto played = Show::create(*scene);
        for (int i = 1; i <= 30; ++i) played->input(touch(100 + i * 13.0, "box"));
        played->advance(50);
        EXPECT_TRUE(played->take_warnings().empty()) << c.place;
        size_t before = played->checkpoint_count();
        played->advance(1000);
        std::vector<std::string> warnings = played->take_warnings();
        ASSERT_EQ(warnings.size(), 1u) << c.place;
        EXPECT_NE(warnings[0].find(c.place), std::string::npos) << warnings[0];
        EXPECT_NE(warnings[0].find("seeks and reloads of this show replay from the start"), std::string::npos) << warnings[0];
        EXPECT_EQ(played->hooks_state_warning(), warnings[0]);
        EXPECT_EQ(played->checkpoint_count(), before);  // no more checkpoints
        EXPECT_EQ(played->inputs().size(), 30u);        // nothing folded
        // Seeking back and forth: from the checkpoint before the change, equal to playing.
        auto fresh = Show::create(*scene);
        for (int i = 1; i <= 30; ++i) fresh->input(touch(100 + i * 13.0, "box"));
        fresh->advance(333);
        played->seek(333);
        EXPECT_TRUE(played->take_warnings().empty()) << "said once";
        expect_same(*played, *fresh, c.place);
        Frame f;
        played->evaluate(f);
        EXPECT_FLOAT_EQ(f.world[0][3][0], 17);  // touches at 113 .. 321
        played->advance(1000);
        fresh->advance(1000);
        expect_same(*played, *fresh, c.place);
    }
}

// ---- the civil clock -------------------------------------------------------------------

namespace {

// 'open' closes at 18:30; 'closed' opens at 09:00; 'night' ends at midnight.
const char* kHours = R"(
nodes: [{name: box}]
timelines: [{name: t, duration: 10, loop: true, tracks: []}]
start: open
states:
  - {name: open, timeline: t, idle: none, transitions: [{time_of_day: "18:30", to: closed}, {touch: any, to: night}]}
  - {name: closed, timeline: t, idle: none, transitions: [{time_of_day: "09:00", to: open}, {touch: any, to: open}]}
  - {name: night, timeline: t, idle: none, transitions: [{time_of_day: "00:00", to: open}, {touch: any, to: night}]}
)";

size_t count(const Show& s, const std::string& what) {
    size_t n = 0;
    for (const std::string& line : s.trace()) n += line.find(what) != std::string::npos;
    return n;
}

std::unique_ptr<Show> at_clock(const LoadedScene& scene, double day_start) {
    ShowOptions o;
    o.day_start = day_start;
    o.epoch_start = 1'000'000;
    return Show::create(scene, o);
}

}  // namespace

TEST(ShowCivilClock, DaylightSavingForwardOverATimeOfDayFiresItOnce) {
    TempDir dir;
    auto scene = load_text(dir, kHours);
    ASSERT_TRUE(scene);
    auto show = at_clock(*scene, 18 * 3600);  // 18:00
    show->advance(600);                        // 18:10
    EXPECT_EQ(show->time_of_day(), 18 * 3600 + 600);
    show->input(clock(600, 19 * 3600 + 600, 2'000'000));  // the clock jumps to 19:10
    show->advance(601);
    EXPECT_EQ(show->state(), "closed");  // 18:30 was stepped over: passed
    EXPECT_EQ(count(*show, "(time of day 18:30)"), 1u);
    EXPECT_NEAR(show->time_of_day(), 19 * 3600 + 601, 1e-6);
    show->input(touch(700, "box"));  // opened again by hand: 18:30 does not come again today
    const double tomorrow_1830 = 600 + (86400 + 18 * 3600 + 1800) - (19 * 3600 + 600);
    show->advance(tomorrow_1830 - 1);
    EXPECT_EQ(show->state(), "open");
    EXPECT_EQ(count(*show, "(time of day 18:30)"), 1u);
    show->advance(tomorrow_1830 + 1);
    EXPECT_EQ(show->state(), "closed");
    EXPECT_EQ(count(*show, "(time of day 18:30)"), 2u);
}

TEST(ShowCivilClock, DaylightSavingBackNeverFiresAtTheStepButTheClockPassesAgainLater) {
    TempDir dir;
    auto scene = load_text(dir, kHours);
    ASSERT_TRUE(scene);
    auto show = at_clock(*scene, 18 * 3600);
    show->advance(1800.5);  // 18:30 fired: closed
    EXPECT_EQ(show->state(), "closed");
    show->input(touch(2400, "box"));  // 18:40: opened again by hand
    show->advance(3000);              // 18:50
    EXPECT_EQ(show->state(), "open");
    show->input(clock(3000, 17 * 3600 + 3000, 1'000'000 + 3000 - 3600));  // back an hour: 17:50
    show->advance(3001);
    EXPECT_EQ(show->state(), "open");  // nothing at the step
    EXPECT_EQ(count(*show, "(time of day 18:30)"), 1u);
    show->advance(3000 + 2399);  // 18:29:59 again
    EXPECT_EQ(show->state(), "open");
    show->advance(3000 + 2401);  // 18:30:01 again: the clock passed 18:30 in 'open'
    EXPECT_EQ(show->state(), "closed");
    EXPECT_EQ(count(*show, "(time of day 18:30)"), 2u);
    // A step back while in a state whose time was already passed today: nothing fires.
    show->input(clock(5500, 18 * 3600 + 1000, 0));  // 18:16:40
    show->advance(5600);
    EXPECT_EQ(show->state(), "closed");
}

TEST(ShowCivilClock, AnNtpStepOfAFewSeconds) {
    TempDir dir;
    auto scene = load_text(dir, kHours);
    ASSERT_TRUE(scene);
    auto show = at_clock(*scene, 18 * 3600 + 1800 - 10);  // 18:29:50
    show->advance(8);                                     // 18:29:58
    show->input(clock(8, 18 * 3600 + 1800 + 1, 0));       // NTP: 3 s forward over 18:30
    show->advance(8.5);
    EXPECT_EQ(show->state(), "closed");
    EXPECT_EQ(count(*show, "(time of day 18:30)"), 1u);
    EXPECT_EQ(show->trace().back().substr(0, 5), "8.000");  // at the step, not 2 s later
    show->input(clock(9, 18 * 3600 + 1800 - 2, 0));  // and 4 s back over it: nothing (closed now)
    show->advance(20);
    EXPECT_EQ(count(*show, "(time of day 18:30)"), 1u);
    EXPECT_NEAR(show->time_of_day(), 18 * 3600 + 1800 - 2 + 11, 1e-9);
}

TEST(ShowCivilClock, AStepAcrossMidnight) {
    TempDir dir;
    auto scene = load_text(dir, kHours);
    ASSERT_TRUE(scene);
    auto show = at_clock(*scene, 23 * 3600 + 59 * 60 + 40);  // 23:59:40
    show->input(touch(1, "box"));                             // night
    show->advance(10);                                        // 23:59:50
    EXPECT_EQ(show->state(), "night");
    show->input(clock(10, 5, 0));  // 00:00:05: forward 15 s over midnight
    show->advance(10.5);
    EXPECT_EQ(show->state(), "open");
    EXPECT_NEAR(show->time_of_day(), 5.5, 1e-9);
    show->input(touch(11, "box"));   // night again
    show->input(clock(12, 86390, 0));  // back 17 s over midnight: 23:59:50
    show->advance(15);
    EXPECT_EQ(show->state(), "night");  // not at the step
    show->advance(12 + 11);             // 00:00:01 once more
    EXPECT_EQ(show->state(), "open");
    EXPECT_EQ(count(*show, "(time of day 00:00)"), 2u);
}

// The clock's steps are inputs: a seek replays them; os.time() follows the new epoch.
TEST(ShowCivilClock, ClockStepsReplayAndMoveOsTime) {
    TempDir dir;
    dir.write("h.lua", "function on_touch(node) show.set('box.translation', {os.time() - 2000000, 0, 0}) end\n");
    std::string text = std::string(kHours) + "hooks: h.lua\n";
    auto scene = load_text(dir, text);
    ASSERT_TRUE(scene);
    auto played = at_clock(*scene, 18 * 3600);
    auto sought = at_clock(*scene, 18 * 3600);
    for (Show* s : {played.get(), sought.get()}) {
        s->input(clock(600, 19 * 3600 + 600, 2'000'000));
        s->input(touch(650, "box"));
        s->input(clock(4000, 18 * 3600 + 1000, 2'000'000 + 3400 - 3600));
        s->input(touch(5000, "box"));
    }
    played->advance(700);
    Frame f;
    played->evaluate(f);
    EXPECT_FLOAT_EQ(f.world[0][3][0], 50);  // os.time() 50 s after the step to epoch 2 000 000
    for (double t = 700; t <= 9000; t += 0.75) played->advance(t);
    played->advance(9000);
    sought->advance(9000);
    sought->seek(4500);
    sought->seek(9000);
    expect_same(*played, *sought, "clock steps");
    EXPECT_EQ(count(*played, " clock 18:10:00 -> 19:10:00 (+3600.000 s)"), 1u);
    EXPECT_EQ(count(*sought, " clock 18:10:00 -> 19:10:00 (+3600.000 s)"), 1u);
    EXPECT_EQ(count(*played, " clock 20:06:40 -> 18:16:40 (-6600.000 s)"), 1u);
}

// ---- reloads -----------------------------------------------------------------------------

namespace {

bool poll_until(LiveShow& live, LiveShow::Reload want) {
    std::vector<Problem> problems;
    for (int i = 0; i < 300; ++i) {
        problems.clear();
        auto r = live.poll(problems);
        if (r != LiveShow::Reload::None) {
            for (const Problem& p : problems) ADD_FAILURE() << p.str();
            return r == want;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

}  // namespace

// A new version of the file: the show goes on where it was, with its timelines' places,
// its sets, its counters in show.data and its trace; nothing is replayed (the hooks'
// on_enter does not run again), and what the new version changed applies.
TEST(Checkpoint, AReloadCarriesTheShowOverByName) {
    TempDir dir;
    dir.write("h.lua", kKioskHooks);
    fs::path file = dir.write("k.scene.yaml", kKiosk);
    std::vector<Problem> problems;
    auto live = LiveShow::open(file, {}, problems);
    ASSERT_TRUE(live);
    Show& before = live->show();
    for (int i = 1; i <= 50; ++i) before.input(touch(i * 97.0, "box"));
    before.advance(5000);
    before.input(touch(5010, "box"));
    before.advance(5030.25);  // in the tour, 20.25 s in
    ASSERT_EQ(before.state(), "tour");
    Frame f0;
    before.evaluate(f0);
    std::vector<std::string> trace = before.trace();
    size_t inputs = before.inputs().size();

    std::string changed = kKiosk;
    changed.replace(changed.find("{t: 45, value: [2]}"), 19, "{t: 45, value: [4]}");  // the tour's exposure ramp
    changed.replace(changed.find("  - name: night\n"), 0, "  - name: extra\n    duration: 3\n    tracks: []\n");
    dir.write("k.scene.yaml", changed);
    ASSERT_TRUE(poll_until(*live, LiveShow::Reload::Reloaded));
    Show& after = live->show();
    EXPECT_EQ(after.now(), 5030.25);
    EXPECT_EQ(after.state(), "tour");
    EXPECT_EQ(after.trace(), trace);  // the same lines: nothing replayed, nothing entered again
    EXPECT_EQ(after.inputs().size(), inputs);
    Frame f1;
    after.evaluate(f1);
    EXPECT_NEAR(f1.exposure, 4.0f * 20.25f / 45, 1e-5);  // the tour's place, the new ramp
    EXPECT_EQ(f1.world, f0.world);                         // sets and fades carried over
    EXPECT_EQ(f1.lights[0].light.color, f0.lights[0].light.color);
    // A reload whose file has lost the state: the start state is entered, saying why.
    std::string gone = changed;
    std::string tour_state = "  - name: tour\n    timeline: tour\n    transitions: [{time_of_day: \"18:30\", to: closed}]\n";
    ASSERT_NE(gone.find(tour_state), std::string::npos);
    gone.erase(gone.find(tour_state), tour_state.size());
    gone.replace(gone.find("{touch: any, to: tour}"), 22, "{touch: any, to: closed}");
    dir.write("k.scene.yaml", gone);
    ASSERT_TRUE(poll_until(*live, LiveShow::Reload::Reloaded));
    EXPECT_EQ(live->show().state(), "attract");
    EXPECT_NE(live->show().trace().back().find("(reload: state tour is gone)"), std::string::npos)
        << live->show().trace().back();
}

// show.data across a reload: the counter the old hooks kept is where the new ones start.
TEST(Checkpoint, AReloadKeepsShowData) {
    TempDir dir;
    dir.write("h.lua", "function on_touch(node) show.data.n = (show.data.n or 0) + 1 "
                       "show.set('box.translation', {show.data.n, 0, 0}) end\n");
    const char* text = "nodes: [{name: box}]\nhooks: h.lua\n";
    fs::path file = dir.write("d.scene.yaml", text);
    std::vector<Problem> problems;
    auto live = LiveShow::open(file, {}, problems);
    ASSERT_TRUE(live);
    for (int i = 1; i <= 5; ++i) live->show().input(touch(i, "box"));
    live->show().advance(10);
    dir.write("h.lua", "function on_touch(node) show.data.n = (show.data.n or 0) + 10 "
                       "show.set('box.translation', {show.data.n, 0, 0}) end\n");
    ASSERT_TRUE(poll_until(*live, LiveShow::Reload::Reloaded));
    live->show().input(touch(11, "box"));
    live->show().advance(12);
    Frame f;
    live->show().evaluate(f);
    EXPECT_FLOAT_EQ(f.world[0][3][0], 15);  // 5 counted by the old hooks, + 10 by the new
}

// A live seek under way when the file changes starts again on the new version, from a
// checkpoint, and lands where it was going.
TEST(Checkpoint, ASeekUnderWayDuringAReloadLandsOnTheNewVersion) {
    TempDir dir;
    dir.write("h.lua", kKioskHooks);
    fs::path file = dir.write("k.scene.yaml", kKiosk);
    std::vector<Problem> problems;
    auto live = LiveShow::open(file, {}, problems);
    ASSERT_TRUE(live);
    for (int i = 1; i <= 200; ++i) live->show().input(touch(i * 300.0 + 7, "box"));
    live->show().advance(80000);
    ASSERT_TRUE(live->seek(40020));
    std::string changed = kKiosk;
    changed.replace(changed.find("{t: 45, value: [2]}"), 19, "{t: 45, value: [4]}");
    dir.write("k.scene.yaml", changed);
    ASSERT_TRUE(poll_until(*live, LiveShow::Reload::Reloaded));
    ASSERT_TRUE(live->seeking());
    LiveShow::Seek s = LiveShow::Seek::Going;
    for (int i = 0; i < 1000 && s == LiveShow::Seek::Going; ++i) s = live->continue_seek(40020, 0.008);
    ASSERT_EQ(s, LiveShow::Seek::Landed);
    EXPECT_EQ(live->show().now(), 40020);
    EXPECT_EQ(live->show().state(), "closed") << live->show().trace().back();  // 20:07: closed since 18:30
    // The change (an exposure ramp) moves no state: as a show played on the new version
    // with the inputs up to 40 020 (the later ones were forgotten by the seek).
    auto scene = load_text(dir, changed, "k2.scene.yaml");
    ASSERT_TRUE(scene);
    auto fresh = Show::create(*scene);
    for (int i = 1; i * 300.0 + 7 <= 40020; ++i) fresh->input(touch(i * 300.0 + 7, "box"));
    fresh->advance(40020);
    expect_same(live->show(), *fresh, "seek across a reload");
    EXPECT_EQ(live->show().inputs().size(), 133u);
}

// Scripted inputs (offline runs, tests) can step the clock too.
TEST(ShowCivilClock, InputsFilesStepTheClock) {
    std::vector<Problem> problems;
    auto inputs = parse_inputs("in.yaml", R"(inputs:
  - {t: 600, clock: "19:10"}
  - {t: 700, clock: "18:11:40", epoch: 1711846230}
)", problems);
    ASSERT_TRUE(problems.empty()) << problems[0].str();
    ASSERT_EQ(inputs.size(), 2u);
    EXPECT_EQ(inputs[0].kind, InputKind::Clock);
    EXPECT_EQ(inputs[0].time_of_day, 19 * 3600 + 600);
    EXPECT_LT(inputs[0].epoch, 0);  // not given: os.time() moves with the step
    EXPECT_EQ(inputs[1].time_of_day, 18 * 3600 + 700);
    EXPECT_EQ(inputs[1].epoch, 1711846230);
    TempDir dir;
    dir.write("h.lua", "function on_touch(node) show.set('box.translation', {os.time() - 1000000, 0, 0}) end\n");
    auto scene = load_text(dir, std::string(kHours) + "hooks: h.lua\n");
    ASSERT_TRUE(scene);
    auto show = at_clock(*scene, 18 * 3600);
    for (const Input& in : inputs) show->input(in);
    show->advance(640);
    EXPECT_EQ(show->state(), "closed");  // 18:30 stepped over at 600
    show->input(touch(650, "box"));
    show->advance(651);
    Frame f;
    show->evaluate(f);
    EXPECT_FLOAT_EQ(f.world[0][3][0], 650 + 3600);  // the hour the clock stepped, on os.time() too
    show->advance(701);
    EXPECT_NEAR(show->time_of_day(), 18 * 3600 + 701, 1e-6);

    problems.clear();
    parse_inputs("bad.yaml", "inputs:\n  - {t: 1, clock: \"25:00\"}\n  - {t: 2, go: true, epoch: 5}\n", problems);
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_NE(problems[0].str().find("'clock' must be \"HH:MM\" or \"HH:MM:SS\", got '25:00'"), std::string::npos)
        << problems[0].str();
    EXPECT_NE(problems[1].str().find("'epoch' goes with 'clock' only"), std::string::npos) << problems[1].str();
}

// Hooks whose state is outside show.data from the very start (on_enter at show time 0):
// no checkpoint at all, and seeks replay from 0 as they always did.
TEST(Checkpoint, HooksDirtyFromTheStartReplayFromZero) {
    TempDir dir;
    dir.write("h.lua", "function on_enter(s) entered = (entered or 0) + 1 show.set('box.translation', {entered, 0, 0}) end\n");
    auto scene = load_text(dir, R"(
nodes: [{name: box}]
timelines: [{name: t, duration: 7, loop: true, tracks: []}]
states: [{name: s, timeline: t, transitions: [{touch: any, to: s}]}]
hooks: h.lua
)");
    ASSERT_TRUE(scene);
    auto played = Show::create(*scene);
    std::vector<std::string> warnings = played->take_warnings();
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("(global 'entered'); seeks and reloads of this show replay from the start"), std::string::npos)
        << warnings[0];
    EXPECT_EQ(played->checkpoint_count(), 0u);
    for (int i = 1; i <= 20; ++i) played->input(touch(i * 50.0, "box"));
    played->advance(2000);
    EXPECT_EQ(played->replay_from(500), 0);
    played->seek(500);
    auto fresh = Show::create(*scene);
    for (int i = 1; i <= 20; ++i) fresh->input(touch(i * 50.0, "box"));
    fresh->advance(500);
    expect_same(*played, *fresh, "dirty from the start");
    Frame f;
    played->evaluate(f);
    EXPECT_FLOAT_EQ(f.world[0][3][0], 11);  // the start and 10 touches
}

// A reload of a show whose hooks keep state elsewhere: the new version replays from the
// last checkpoint taken before that was found, and says why once.
TEST(Checkpoint, AReloadOfHooksKeepingStateElsewhereReplaysFromTheLastCleanCheckpoint) {
    TempDir dir;
    dir.write("h.lua", "n = 0\nfunction on_touch(node) n = n + 1 show.set('box.translation', {n, 0, 0}) end\n");
    fs::path file = dir.write("d.scene.yaml", "nodes: [{name: box}]\ntimelines: [{name: t, duration: 5, loop: true, tracks: []}]\n"
                                              "states: [{name: s, timeline: t}]\nhooks: h.lua\n");
    std::vector<Problem> problems;
    auto live = LiveShow::open(file, {}, problems);
    ASSERT_TRUE(live);
    for (int i = 1; i <= 30; ++i) live->show().input(touch(100 + i * 10.0, "box"));
    live->show().advance(500);
    EXPECT_FALSE(live->show().hooks_state_warning().empty());
    // The new version counts by 2: replayed from show time 0 (the last clean checkpoint).
    dir.write("h.lua", "n = 0\nfunction on_touch(node) n = n + 2 show.set('box.translation', {n, 0, 0}) end\n");
    ASSERT_TRUE(poll_until(*live, LiveShow::Reload::Reloaded));
    EXPECT_EQ(live->show().now(), 500);
    Frame f;
    live->show().evaluate(f);
    EXPECT_FLOAT_EQ(f.world[0][3][0], 60);  // 30 touches, each counted by the new hooks
    std::vector<std::string> warnings = live->show().take_warnings();
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("global 'n'"), std::string::npos) << warnings[0];
}

// The property on random inputs, with checkpoints in the middle of everything: fades,
// pre-waits, paused and jumped timelines, GO, stop. A show that runs ahead and seeks back
// (restoring whichever checkpoint is latest) equals the one that plays.
TEST(Checkpoint, RandomInputsRestoredMidwayNeverPartFromPlaying) {
    TempDir dir;
    dir.write("h.lua", R"(
function on_cue(id)
  show.data.n = (show.data.n or 0) + 1
  if id == "2" and show.random() < 0.5 then show.set("box.scale", {1 + show.random(), 1, 1}, 3) end
end
function on_touch(node) if node == "box" then show.cue("1.5") end end
)");
    auto scene = load_text(dir, R"(
nodes:
  - name: box
  - name: cam
    camera: {fov: 40, orbit: {yaw: 0, pitch: 0, distance: 3, target: [0, 0, 0]}}
camera: cam
idle_timeout: 45
timelines:
  - name: attract
    duration: 10
    loop: true
    tracks:
      - target: box.translation
        keys: [{t: 0, value: [0, 0, 0]}, {t: 10, value: [10, 0, 0]}]
  - name: tour
    duration: 70
    labels: {middle: 35}
    tracks:
      - target: look.exposure
        keys: [{t: 0, value: [0]}, {t: 70, value: [2]}]
cues:
  - {id: "0.5", at: {timeline: attract, t: 2.5}, actions: [{set: look.exposure, value: 1, fade: 8}]}
  - {id: "0.7", at: {timeline: attract, t: 2.5}, prewait: 20, actions: [{set: environment.intensity, value: 0.3, fade: 30}]}
  - {id: "1", at: {timeline: tour, t: 2}, actions: [{set: box.scale, value: [2, 2, 2], fade: 40}]}
  - {id: "1.5", at: {timeline: tour, t: 2}, prewait: 25, actions: [{set: environment.intensity, value: 0.5}]}
  - {id: "2", at: {timeline: tour, t: 50}}
  - {id: "3", actions: [{jump: tour, label: middle}]}
  - {id: "4", on: {osc: /museum/jump}, actions: [{jump: tour, label: middle}, {pause: attract}]}
start: attract
states:
  - name: attract
    timeline: attract
    transitions: [{touch: any, to: tour}]
  - name: tour
    timeline: tour
    transitions: [{osc: /museum/back, to: attract}]
hooks: h.lua
)");
    ASSERT_TRUE(scene);
    const char* addresses[] = {"/vitrine/go", "/vitrine/pause", "/museum/back", "/museum/jump", "/vitrine/stop"};
    int restores = 0;
    for (uint32_t seed = 1; seed <= 8; ++seed) {
        std::mt19937 rng(seed);
        std::vector<Input> inputs;
        double t = 0;
        while (t < 3600) {
            t += std::uniform_real_distribution<double>(1, 90)(rng);
            t = std::round(t * 100) / 100;
            int kind = int(rng() % 4);
            if (kind == 0) inputs.push_back(touch(t, "box"));
            else if (kind == 1) inputs.push_back(touch(t, "cam"));
            else inputs.push_back(osc(t, addresses[rng() % 5]));
        }
        auto played = Show::create(*scene);
        auto jumper = Show::create(*scene);
        for (const Input& in : inputs) played->input(in), jumper->input(in);
        double now = 0;
        while (now < 3600) {
            now += std::uniform_real_distribution<double>(0.01, 20)(rng);
            played->advance(now);
            if (rng() % 5 != 0) continue;
            double ahead = now + std::uniform_real_distribution<double>(0, 900)(rng);
            if (ahead > jumper->now()) jumper->advance(ahead);
            restores += jumper->replay_from(now) < now;
            jumper->seek(now);
            expect_same(*played, *jumper, "seed " + std::to_string(seed) + " at " + std::to_string(now));
            ASSERT_EQ(played->trace(), jumper->trace()) << "seed " << seed << " at " << now;
        }
    }
    EXPECT_GT(restores, 200);
}

// The editor's playhead scrubs a live show by seeking it (Session -> LiveShow::seek):
// across a 30-minute timeline with a cue every 2 s (the same events in every minute),
// scrubbing to minute 29, back to minute 1, forward to 28 and so on replays at most
// two minutes of show each time (a minute late in the show; up to two early, where the
// played-through show thinned its checkpoints by age) — never everything since the
// point it went back to — and every scrub lands on the frame playing from 0 gives.
TEST(Checkpoint, AScrubCostsTheSameAtMinute29AsAtMinute1) {
    TempDir dir;
    std::string scene =
        "vitrine: 1\nnodes:\n  - {name: lamp, light: {type: point, intensity: 5}}\n"
        "timelines:\n  - name: long\n    duration: 1800\n    tracks:\n      - target: lamp.intensity\n"
        "        keys:\n          - {t: 0, value: 1}\n          - {t: 1800, value: 31}\n"
        "states:\n  - {name: main, timeline: long}\ncues:\n";
    for (int k = 1; k <= 900; ++k)
        scene += "  - {id: \"" + std::to_string(k) + "\", at: {timeline: long, t: " + std::to_string(k * 2 - 1) +
                 "}, actions: [{set: look.exposure, value: " + std::to_string(k % 3) + ", fade: 0.5}]}\n";
    fs::path file = dir.write("long.scene.yaml", scene);
    std::vector<Problem> problems;
    auto live = LiveShow::open(file, {}, problems);
    ASSERT_TRUE(live) << (problems.empty() ? "" : problems[0].str());
    live->show().advance(1800);  // played through: checkpoints as it went
    auto frame_at = [&](double t) {
        auto fresh = Show::create(live->scene());
        fresh->advance(t);
        Frame f;
        fresh->evaluate(f);
        return f;
    };
    // Just before a minute's end: the most a seek into that minute can replay.
    for (double t : {29 * 60 + 59.5, 60 + 59.5, 28 * 60 + 0.5, 2 * 60 + 30.0, 29 * 60 + 59.5, 59.5}) {
        double from = live->show().replay_from(t);
        auto start = std::chrono::steady_clock::now();
        ASSERT_TRUE(live->seek(t));
        while (live->continue_seek(t, 0.001) == LiveShow::Seek::Going) {
        }
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        std::printf("scrub to %7.1f s: replayed from %7.1f s (%5.1f s of show) in %.2f ms\n", t, from, t - from, ms);
        EXPECT_LE(t - from, 2 * kCheckpointEvery) << "a scrub to " << t << " replays from " << from;
        EXPECT_EQ(live->show().now(), t);
        Frame scrubbed, played = frame_at(t);
        live->show().evaluate(scrubbed);
        EXPECT_EQ(scrubbed.exposure, played.exposure) << t;
        EXPECT_EQ(scrubbed.lights[0].light.intensity, played.lights[0].light.intensity) << t;
    }
    // Late in the show a scrub replays less than a minute.
    EXPECT_LE(29 * 60 + 59.5 - live->show().replay_from(29 * 60 + 59.5), kCheckpointEvery);
}
