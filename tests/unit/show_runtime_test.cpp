// The show runtime: interpolation, cues, states, inputs, determinism, hooks in the
// show, hot reload. CPU only.
#include <chrono>
#include <cmath>
#include <filesystem>
#include <random>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "show_text.h"
#include "temp_dir.h"
#include "show/live.h"
#include "show/loader.h"
#include "show/osc.h"
#include "show/show.h"
#include "show/track.h"

namespace fs = std::filesystem;
using namespace vitrine::show;

namespace {

using vitrine::test::osc;
using vitrine::test::touch;

// Scenes of these tests are written as t.scene.yaml.
std::unique_ptr<LoadedScene> load_text(const vitrine::test::TempDir& dir, const std::string& text,
                                       const std::string& name = "t.scene.yaml") {
    return vitrine::test::load_scene_text(dir, text, name);
}

struct TempDir : vitrine::test::TempDir {
    TempDir() : vitrine::test::TempDir("vitrine_show") {}
};


// A scene without models: an attract loop, a tour with cues, a hotspot-free touch.
const char* kStates = R"(
nodes:
  - name: box
    translation: [0, 0, 0]
  - name: cam
    camera: {fov: 40, orbit: {yaw: 0, pitch: 0, distance: 3, target: [0, 0, 0]}}
camera: cam
timelines:
  - name: attract
    duration: 10
    loop: true
    tracks:
      - target: box.translation
        keys: [{t: 0, value: [0, 0, 0]}, {t: 10, value: [10, 0, 0]}]
  - name: tour
    duration: 20
    labels: {middle: 10}
    tracks:
      - target: look.exposure
        keys: [{t: 0, value: [0]}, {t: 20, value: [2]}]
cues:
  - {id: "1", at: {timeline: tour, t: 2}, actions: [{set: box.scale, value: [2, 2, 2], fade: 4}]}
  - {id: "1.5", at: {timeline: tour, t: 2}, prewait: 0.5, actions: [{set: environment.intensity, value: 0.5}]}
  - {id: "2", at: {timeline: tour, t: 12}}
  - {id: "3", actions: [{jump: tour, label: middle}]}
start: attract
states:
  - name: attract
    timeline: attract
    transitions: [{touch: any, to: tour}]
  - name: tour
    timeline: tour
)";



}  // namespace

TEST(Track, StepLinearCubicAgainstHandValues) {
    Property p{PropertyKind::Translation, 0, -1, 3};
    Track t;
    t.keys = {{0, {0, 0, 0}}, {2, {4, 2, -2}}};
    float out[4];
    t.interp = Interp::Step;
    sample_track(bind_track(t, p), 1.5, out);
    EXPECT_EQ(out[0], 0);
    sample_track(bind_track(t, p), 2.0, out);
    EXPECT_EQ(out[0], 4);
    t.interp = Interp::Linear;
    sample_track(bind_track(t, p), 0.5, out);
    EXPECT_FLOAT_EQ(out[0], 1);
    EXPECT_FLOAT_EQ(out[1], 0.5f);
    EXPECT_FLOAT_EQ(out[2], -0.5f);
    sample_track(bind_track(t, p), -1, out);  // before the first key: clamped
    EXPECT_EQ(out[0], 0);
    sample_track(bind_track(t, p), 9, out);   // after the last: clamped
    EXPECT_EQ(out[0], 4);
    // Hermite: p(s) = h00 p0 + h10 dt m0 + h01 p1 + h11 dt m1, dt = 2, s = 0.25:
    // h00 = 0.84375, h10 = 0.140625, h01 = 0.15625, h11 = -0.046875.
    t.interp = Interp::CubicSpline;
    t.keys = {{0, {1, 0, 0}, {0, 0, 0}, {2, 0, 0}}, {2, {3, 0, 0}, {4, 0, 0}, {0, 0, 0}}};
    sample_track(bind_track(t, p), 0.5, out);
    EXPECT_NEAR(out[0], 0.84375 * 1 + 0.140625 * 2 * 2 + 0.15625 * 3 + -0.046875 * 2 * 4, 1e-5);
}

TEST(Track, RotationSlerpsTheShortWay) {
    Property p{PropertyKind::Rotation, 0, -1, 3};
    Track t;
    t.interp = Interp::Linear;
    t.keys = {{0, {0, 0, 0}}, {1, {0, 90, 0}}};
    float q[4];
    sample_track(bind_track(t, p), 0.5, q);
    glm::quat expect = glm::angleAxis(glm::radians(45.0f), glm::vec3(0, 1, 0));
    EXPECT_NEAR(std::abs(q[0] * expect.x + q[1] * expect.y + q[2] * expect.z + q[3] * expect.w), 1.0, 1e-5);
    // 350 degrees to 10 degrees goes through 0, not through 180.
    t.keys = {{0, {0, 350, 0}}, {1, {0, 10, 0}}};
    sample_track(bind_track(t, p), 0.5, q);
    EXPECT_NEAR(std::abs(q[3]), 1.0, 1e-5);
}

TEST(Cues, NumbersOrderPartByPart) {
    EXPECT_TRUE(cue_before("1", "1.5"));
    EXPECT_TRUE(cue_before("1.5", "2"));
    EXPECT_TRUE(cue_before("2", "2.1"));
    EXPECT_TRUE(cue_before("2.1", "10"));
    EXPECT_TRUE(cue_before("3.2", "3.10"));
    EXPECT_FALSE(cue_before("10", "9"));
}

TEST(Show, StateMachineTraceUnderScriptedInputs) {
    TempDir dir;
    auto scene = load_text(dir, kStates);
    ASSERT_TRUE(scene);
    std::vector<std::string> first;
    for (int run = 0; run < 2; ++run) {
        auto show = Show::create(*scene);
        show->input(touch(3.0, "box"));
        show->advance(200);
        if (run == 0) first = show->trace();
        else EXPECT_EQ(show->trace(), first);  // identical across runs
    }
    std::vector<std::string> expect = {
        "0.000 state - -> attract (start)",
        "3.000 state attract -> tour (touch box)",
        "5.000 cue 1 (timeline tour)",
        "5.000 cue 1.5 pre-wait 0.500 (timeline tour)",
        "5.500 cue 1.5 (pre-wait)",
        "15.000 cue 2 (timeline tour)",
        "23.000 timeline tour ended",
        "123.000 state tour -> attract (idle 120 s)",
    };
    EXPECT_EQ(first, expect);
}

TEST(Show, SeekingEqualsPlaying) {
    TempDir dir;
    auto scene = load_text(dir, kStates);
    ASSERT_TRUE(scene);
    auto played = Show::create(*scene);
    played->input(touch(3.0, "box"));
    played->input(osc(9.25, "/vitrine/cue", {"3"}));
    Frame a, b;
    for (int i = 0; i <= 400; ++i) {
        double t = i / 10.0;
        played->advance(t);
        if (i % 37 != 0) continue;
        auto sought = Show::create(*scene);
        sought->input(touch(3.0, "box"));
        sought->input(osc(9.25, "/vitrine/cue", {"3"}));
        sought->seek(t);
        played->evaluate(a);
        sought->evaluate(b);
        EXPECT_EQ(played->state(), sought->state()) << t;
        EXPECT_EQ(a.world, b.world) << t;
        EXPECT_EQ(a.exposure, b.exposure) << t;
        EXPECT_EQ(a.env_intensity, b.env_intensity) << t;
    }
    // Backwards too: seek to an earlier time replays from 0.
    played->seek(4.0);
    auto fresh = Show::create(*scene);
    fresh->input(touch(3.0, "box"));
    fresh->advance(4.0);
    played->evaluate(a);
    fresh->evaluate(b);
    EXPECT_EQ(a.world, b.world);
    EXPECT_EQ(played->trace(), fresh->trace());
}

TEST(Show, SeekingBackKeepsScriptedInputsUnlessForgotten) {
    TempDir dir;
    auto scene = load_text(dir, kStates);
    ASSERT_TRUE(scene);
    auto show = Show::create(*scene);
    show->input(touch(3.0, "box"));
    show->advance(2.5);
    show->seek(1.0);  // offline re-render: the touch at 3 s is still to come
    show->advance(4.0);
    EXPECT_EQ(show->state(), "tour");
    show->seek(2.0, /*forget_later=*/true);  // a live jump back: the touch never happened
    show->advance(4.0);
    EXPECT_EQ(show->state(), "attract");
}

TEST(Show, SetFadesAndLayersInStartOrder) {
    TempDir dir;
    auto scene = load_text(dir, kStates);
    ASSERT_TRUE(scene);
    auto show = Show::create(*scene);
    show->input(touch(1.0, "box"));
    Frame f;
    show->advance(3.0);  // cue 1 at tour 2 (show 3): box.scale 1 -> 2 over 4 s
    show->evaluate(f);
    EXPECT_FLOAT_EQ(f.world[0][0][0], 1.0f);
    show->advance(5.0);
    show->evaluate(f);
    EXPECT_FLOAT_EQ(f.world[0][0][0], 1.5f);
    show->advance(8.0);
    show->evaluate(f);
    EXPECT_FLOAT_EQ(f.world[0][0][0], 2.0f);
    EXPECT_FLOAT_EQ(f.env_intensity, 0.5f);       // cue 1.5 after its pre-wait
    EXPECT_NEAR(f.exposure, 2.0f * 7 / 20, 1e-5);  // tour at local 7
}

TEST(Show, JumpToLabelAndGoOrderWithDebounce) {
    TempDir dir;
    auto scene = load_text(dir, kStates);
    ASSERT_TRUE(scene);
    auto show = Show::create(*scene);
    show->input(touch(1.0, "box"));
    show->input(osc(2.0, "/vitrine/go"));   // after nothing fired: cue 1
    show->input(osc(2.05, "/vitrine/go"));  // within 0.1 s: ignored
    show->input(osc(2.2, "/vitrine/go"));   // cue 1.5 (pre-wait 0.5)
    show->input(osc(2.4, "/vitrine/go"));   // cue 2 (current is still 1 until 1.5 runs)
    show->advance(2.5);
    auto has = [&](const std::string& line) {
        return std::find(show->trace().begin(), show->trace().end(), line) != show->trace().end();
    };
    EXPECT_TRUE(has("2.000 cue 1 (GO)"));
    EXPECT_TRUE(has("2.050 GO ignored (within 0.1 s of the last)"));
    EXPECT_TRUE(has("2.200 cue 1.5 pre-wait 0.500 (GO)"));
    EXPECT_TRUE(has("2.400 cue 2 (GO)"));  // the playhead moved when 1.5 fired, before its pre-wait ran out
    // Jump: cue 3 moves the tour to its label "middle" (local 10).
    show->input(osc(3.0, "/vitrine/cue", {"3"}));
    show->advance(3.0);
    Frame f;
    show->evaluate(f);
    EXPECT_NEAR(f.exposure, 1.0f, 1e-5);
    show->advance(5.0);  // local 12: cue 2 fires
    EXPECT_TRUE(has("5.000 cue 2 (timeline tour)"));
}

TEST(Show, ThousandOscInputsActedOnInOrder) {
    TempDir dir;
    std::string text = "nodes: [{name: a}]\ncues:\n";
    for (int i = 1; i <= 1000; ++i) text += "  - {id: \"" + std::to_string(i) + "\"}\n";
    auto scene = load_text(dir, text);
    ASSERT_TRUE(scene);
    auto show = Show::create(*scene);
    for (int i = 1000; i >= 1; --i) show->input(osc(1.0 + (1000 - i) * 0.001, "/vitrine/cue", {std::to_string(i)}));
    show->advance(10);
    ASSERT_EQ(show->trace().size(), 1000u);
    EXPECT_EQ(show->trace().front(), "1.000 cue 1000 (OSC)");
    EXPECT_EQ(show->trace().back(), "1.999 cue 1 (OSC)");
    EXPECT_EQ(show->current_cue(), "1");
}

// The whole control path: datagrams on loopback -> OscServer -> inputs at show times ->
// cues fired, every one, in the order sent.
TEST(Show, ThousandOscMessagesOnLoopbackActedOnInOrder) {
    TempDir dir;
    std::string text = "nodes: [{name: a}]\ncues:\n";
    for (int i = 1; i <= 1000; ++i) text += "  - {id: \"" + std::to_string(i) + "\"}\n";
    auto scene = load_text(dir, text);
    ASSERT_TRUE(scene);
    auto show = Show::create(*scene);
    OscOptions oo;
    oo.port = 0;
    auto server = OscServer::open(oo);
    ASSERT_TRUE(server) << server.error().message;
    std::string to = "127.0.0.1:" + std::to_string((*server)->port());
    std::vector<OscMessage> messages;
    double t = 0;
    auto drain = [&] {
        messages.clear();
        (*server)->poll(messages);
        for (const OscMessage& m : messages) {
            Input in;
            in.t = t += 0.01;
            in.address = m.address;
            in.args = m.args;
            show->input(in);
        }
    };
    for (int i = 1; i <= 1000; ++i) {
        ASSERT_TRUE(osc_send(to, "/vitrine/cue", {std::to_string(i)}));
        if (i % 50 == 0) drain();
    }
    for (int wait = 0; wait < 200 && (*server)->received() < 1000; ++wait) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        drain();
    }
    drain();
    show->advance(t + 1);
    ASSERT_EQ(show->trace().size(), 1000u);
    for (int i = 1; i <= 1000; ++i) {
        const std::string& line = show->trace()[size_t(i - 1)];
        EXPECT_NE(line.find(" cue " + std::to_string(i) + " (OSC)"), std::string::npos) << line;
    }
}

TEST(Show, TimeOfDayAndOscTransitions) {
    TempDir dir;
    auto scene = load_text(dir, R"(
nodes: [{name: a}]
states:
  - name: open
    transitions: [{time_of_day: "18:00", to: closed}, {osc: /museum/open, to: open}]
  - name: closed
    idle: none
    transitions: [{osc: /museum/open, to: open}]
)");
    ASSERT_TRUE(scene);
    ShowOptions so;
    so.day_start = 17 * 3600 + 59 * 60;  // 17:59 at show time 0
    auto show = Show::create(*scene, so);
    show->advance(59);
    EXPECT_EQ(show->state(), "open");
    show->advance(60);
    EXPECT_EQ(show->state(), "closed");
    show->input(osc(70, "/museum/open"));
    show->advance(71);
    EXPECT_EQ(show->state(), "open");
    show->input(osc(80, "/vitrine/volume", {"0.25"}));
    show->advance(81);
    EXPECT_FLOAT_EQ(show->volume(), 0.25f);
}

TEST(Show, RunawayHookIsStoppedAndTheShowGoesOn) {
    TempDir dir;
    dir.write("h.lua", "function on_cue(id) if id == '2' then while true do end end show.set('a.translation', {1, 2, 3}) end\n");
    auto scene = load_text(dir, R"(
nodes: [{name: a}]
timelines: [{name: t, duration: 10, tracks: []}]
cues:
  - {id: "1", at: {timeline: t, t: 1}}
  - {id: "2", at: {timeline: t, t: 2}}
  - {id: "3", at: {timeline: t, t: 3}}
states: [{name: s, timeline: t}]
hooks: h.lua
)");
    ASSERT_TRUE(scene);
    auto show = Show::create(*scene);
    show->advance(5);
    auto warnings = show->take_warnings();
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("work budget"), std::string::npos) << warnings[0];
    EXPECT_EQ(show->current_cue(), "3");  // cue 3 still ran after the runaway hook of cue 2
    Frame f;
    show->evaluate(f);
    EXPECT_FLOAT_EQ(f.world[0][3][1], 2.0f);  // set by cue 3's hook
}

TEST(Show, TouchAtAPointPicksTheNodeUnderIt) {
    fs::path demo = fs::path(VITRINE_SOURCE_DIR) / "scenes" / "demo.scene.yaml";
    std::vector<Problem> problems;
    auto scene = load_scene(demo, problems);
    ASSERT_TRUE(scene) << (problems.empty() ? "" : problems[0].str());
    auto show = Show::create(*scene);
    Frame f;
    show->evaluate(f);
    // Project the jar's bounds centre into the picture, then touch there.
    int jar = scene->file.node_index("jar");
    const FrameModel* fm = nullptr;
    for (const FrameModel& m : f.models)
        if (m.node == jar) fm = &m;
    ASSERT_TRUE(fm);
    CameraMatrices cm = camera_view(f, 16.0f / 9.0f);
    glm::vec4 c = cm.proj * cm.view * glm::vec4((fm->min + fm->max) * 0.5f, 1);
    float x = (c.x / c.w + 1) / 2, y = (c.y / c.w + 1) / 2;
    EXPECT_EQ(pick(f, 16.0f / 9.0f, x, y), jar);
    EXPECT_EQ(pick(f, 16.0f / 9.0f, 0.02f, 0.02f), -1);  // the corner: nothing
    Input in;
    in.t = 2;
    in.kind = InputKind::TouchAt;
    in.x = x, in.y = y;
    show->input(in);
    show->advance(3);
    EXPECT_EQ(show->state(), "tour");
    EXPECT_NE(std::find(show->trace().begin(), show->trace().end(), "2.000 state attract -> tour (touch jar)"),
              show->trace().end());
}

TEST(LiveShow, BrokenEditKeepsTheOldShowAndAFixReloadsAtTheSameTimeAndState) {
    TempDir dir;
    fs::path file = dir.write("live.scene.yaml", kStates);
    std::vector<Problem> problems;
    auto live = LiveShow::open(file, {}, problems);
    ASSERT_TRUE(live);
    live->show().input(touch(3, "box"));
    live->show().advance(6.5);
    ASSERT_EQ(live->show().state(), "tour");

    auto poll_until = [&](LiveShow::Reload want) {
        for (int i = 0; i < 200; ++i) {
            problems.clear();
            auto r = live->poll(problems);
            if (r != LiveShow::Reload::None) return r == want;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    };
    // A typo in a key on line 5: reported with its line and column; the old show runs on.
    std::string broken = kStates;
    broken.replace(broken.find("    translation: [0, 0, 0]"), 26, "    translaton: [0, 0, 0]");
    dir.write("live.scene.yaml", broken);
    ASSERT_TRUE(poll_until(LiveShow::Reload::Failed));
    ASSERT_FALSE(problems.empty());
    EXPECT_EQ(problems[0].str().rfind(file.string() + ":4:5: unknown key 'translaton'", 0), 0u) << problems[0].str();
    live->show().advance(7);
    EXPECT_EQ(live->show().state(), "tour");
    EXPECT_EQ(live->show().now(), 7);

    // The fix: a new version (exposure ramps to 4 now) at the same time and state.
    std::string fixed = kStates;
    fixed.replace(fixed.find("{t: 20, value: [2]}"), 19, "{t: 20, value: [4]}");
    dir.write("live.scene.yaml", fixed);
    ASSERT_TRUE(poll_until(LiveShow::Reload::Reloaded));
    EXPECT_EQ(live->show().state(), "tour");
    EXPECT_EQ(live->show().now(), 7);
    Frame f;
    live->show().evaluate(f);
    EXPECT_NEAR(f.exposure, 4.0f * 4 / 20, 1e-5);  // tour local 4, new ramp
    EXPECT_LT(live->last_reload_ms(), 1000);
}

// Regressions found in review: each was a way for playing and seeking to part, or for a
// show to hang.
TEST(Show, SkippingRunawayCuesEnds) {
    TempDir dir;
    auto scene = load_text(dir, R"(
nodes: [{name: a}]
timelines: [{name: x, duration: 1, labels: {l: 0.1}}, {name: y, duration: 0.1}]
cues:
  - {id: "1", at: 0.7, actions: [{play: x}, {play: y}]}
  - {id: "2", at: {timeline: x, t: 0.1}, actions: [{jump: x, label: l}]}
)");
    ASSERT_TRUE(scene);
    auto show = Show::create(*scene);
    show->advance(5);  // cue 2 re-triggers itself at one instant: skipped with a warning, and the show goes on
    EXPECT_EQ(show->now(), 5);
    auto warnings = show->take_warnings();
    ASSERT_FALSE(warnings.empty());
    EXPECT_NE(warnings[0].find("more than 1000 events"), std::string::npos);
}

TEST(Show, CoincidingCuesOfALoopingTimelineFireEveryLoop) {
    TempDir dir;
    auto scene = load_text(dir, R"(
nodes: [{name: a}]
timelines: [{name: t, duration: 0.7, loop: true}]
cues:
  - {id: "1", at: {timeline: t, t: 0.1}}
  - {id: "2", at: {timeline: t, t: 0.1}}
states: [{name: s, timeline: t}]
)");
    ASSERT_TRUE(scene);
    auto show = Show::create(*scene);
    for (int i = 1; i <= 1000; ++i) show->advance(i * 0.1);
    int ones = 0, twos = 0;
    for (const std::string& line : show->trace()) {
        ones += line.find(" cue 1 ") != std::string::npos;
        twos += line.find(" cue 2 ") != std::string::npos;
    }
    EXPECT_EQ(ones, 143);  // at 0.1 + 0.7 k for k = 0 .. 142
    EXPECT_EQ(twos, 143);
}

TEST(Show, LateInputsReplayInTheOrderTheyWereActedOn) {
    TempDir dir;
    auto scene = load_text(dir, R"(
nodes: [{name: a}]
cues:
  - {id: "1", at: 2}
  - {id: "2"}
)");
    ASSERT_TRUE(scene);
    auto show = Show::create(*scene);
    show->advance(2);            // cue 1 fires at 2
    show->input(osc(2, "/vitrine/go"));  // arrives at 2, after cue 1: GO fires cue 2
    show->advance(3);
    auto played = show->trace();
    show->seek(3);
    EXPECT_EQ(show->trace(), played);
    EXPECT_EQ(show->current_cue(), "2");
}

TEST(Show, GoDuringAPreWaitGoesToTheNextCue) {
    TempDir dir;
    auto scene = load_text(dir, R"(
nodes: [{name: a}]
cues:
  - {id: "1", prewait: 2}
  - {id: "2"}
)");
    ASSERT_TRUE(scene);
    auto show = Show::create(*scene);
    show->input(osc(1, "/vitrine/go"));
    show->input(osc(1.5, "/vitrine/go"));
    show->advance(4);
    std::vector<std::string> expect = {"1.000 cue 1 pre-wait 2.000 (GO)", "1.500 cue 2 (GO)", "3.000 cue 1 (pre-wait)"};
    EXPECT_EQ(show->trace(), expect);
}

TEST(Show, SeekingDoesNotSendOscAgain) {
    TempDir dir;
    auto scene = load_text(dir, R"(
nodes: [{name: a}]
cues:
  - {id: "1", at: 1, actions: [{osc: /lights/warm, to: "127.0.0.1:7000"}]}
)");
    ASSERT_TRUE(scene);
    auto show = Show::create(*scene);
    show->advance(5);
    EXPECT_EQ(show->take_outgoing().size(), 1u);
    show->seek(5);
    EXPECT_TRUE(show->take_outgoing().empty());
}

TEST(Show, HooksIterateTablesInTheSameOrderEveryTime) {
    TempDir dir;
    dir.write("h.lua", R"(
function on_enter(state)
  local t = {zebra = 1, apple = 2, mango = 3, [10] = 4, [2] = 5}
  local order = {}
  for k, v in pairs(t) do order[#order + 1] = tostring(k) end
  show.log(table.concat(order, " "))
  for k, v in pairs({x = 7, b = 3}) do show.set("look.exposure", v) break end
end
)");
    auto scene = load_text(dir, "nodes: [{name: a}]\nstates: [{name: s}]\nhooks: h.lua\n");
    ASSERT_TRUE(scene);
    for (int run = 0; run < 3; ++run) {
        auto show = Show::create(*scene);
        auto log = show->take_log();
        ASSERT_EQ(log.size(), 1u);
        EXPECT_NE(log[0].find(": 2 10 apple mango zebra"), std::string::npos) << log[0];
        Frame f;
        show->evaluate(f);
        EXPECT_EQ(f.exposure, 3.0f);  // "b" sorts before "x"
    }
}

// The property itself, on random inputs: for 30 seeded visitors and control desks,
// advancing in random steps and seeking give the same state, trace and frame.
TEST(Show, RandomInputsAndStepsNeverPartPlayingFromSeeking) {
    TempDir dir;
    dir.write("h.lua", R"(
function on_cue(id)
  if id == "2" and show.random() < 0.5 then show.set("box.scale", {1 + show.random(), 1, 1}, 0.3) end
end
function on_touch(node) if node == "box" then show.cue("1.5") end end
)");
    std::string text = std::string(kStates) + R"(
  - name: encore
    timeline: attract
    idle: 7
    transitions: [{osc: /museum/tour, to: tour}]
hooks: h.lua
)";
    // The loop timeline also fires cues, with and without pre-waits, and an OSC-triggered jump.
    text.replace(text.find("cues:\n"), 6, R"(cues:
  - {id: "0.5", at: {timeline: attract, t: 2.5}, actions: [{set: look.exposure, value: 1, fade: 1}]}
  - {id: "0.7", at: {timeline: attract, t: 2.5}, prewait: 0.25, actions: [{goto: encore}]}
  - {id: "4", on: {osc: /museum/jump}, actions: [{jump: tour, label: middle}, {pause: attract}]}
)");
    auto scene = load_text(dir, text);
    ASSERT_TRUE(scene);
    const char* addresses[] = {"/vitrine/go", "/vitrine/pause", "/museum/tour", "/museum/jump", "/vitrine/stop"};
    size_t lines = 0, encores = 0;
    for (uint32_t seed = 1; seed <= 30; ++seed) {
        std::mt19937 rng(seed);
        std::vector<Input> inputs;
        double t = 0;
        for (int i = 0; i < 25; ++i) {
            t += std::uniform_real_distribution<double>(0.05, 6.0)(rng);
            t = std::round(t * 100) / 100;  // times as a file would write them
            int kind = int(rng() % 4);
            if (kind == 0) inputs.push_back(touch(t, "box"));
            else if (kind == 1) inputs.push_back(touch(t, "cam"));
            else inputs.push_back(osc(t, addresses[rng() % 5]));
        }
        auto played = Show::create(*scene);
        for (const Input& in : inputs) played->input(in);
        double now = 0;
        Frame a, b;
        while (now < t + 20) {
            now += std::uniform_real_distribution<double>(0.001, 1.5)(rng);
            played->advance(now);
            if (rng() % 7 != 0) continue;
            auto sought = Show::create(*scene);
            for (const Input& in : inputs) sought->input(in);
            sought->seek(now);
            played->evaluate(a);
            sought->evaluate(b);
            ASSERT_EQ(played->state(), sought->state()) << "seed " << seed << " at " << now;
            ASSERT_EQ(played->current_cue(), sought->current_cue()) << "seed " << seed << " at " << now;
            ASSERT_EQ(a.world, b.world) << "seed " << seed << " at " << now;
            ASSERT_EQ(a.exposure, b.exposure) << "seed " << seed << " at " << now;
            ASSERT_EQ(played->trace(), sought->trace()) << "seed " << seed << " at " << now;
        }
        lines += played->trace().size();
        for (const std::string& line : played->trace()) encores += line.find("-> encore") != std::string::npos;
    }
    EXPECT_GT(lines, 1000u);  // the runs did go through states, cues and pre-waits
    EXPECT_GT(encores, 30u);
}

// A curator replaces a relic's texture: the show reloads (the model's buffers and images
// are watched, not only its .gltf), with the model read again and nothing else.
TEST(LiveShow, ANewTextureReloadsItsModel) {
    TempDir dir;
    fs::path relic = fs::path(VITRINE_SOURCE_DIR) / "assets" / "relics" / "porcelain";
    fs::create_directories(dir.path / "relic");
    for (const auto& e : fs::directory_iterator(relic)) fs::copy_file(e.path(), dir.path / "relic" / e.path().filename());
    fs::path file = dir.write("t.scene.yaml", "assets: {jar: {gltf: relic/relic.gltf}}\nnodes: [{name: jar, model: jar}]\n");
    std::vector<Problem> problems;
    auto live = LiveShow::open(file, {}, problems);
    ASSERT_TRUE(live);
    std::shared_ptr<vitrine::scene::Model> before = live->scene().models.at("jar");  // kept: a new one has another address
    EXPECT_GE(before->files.size(), 4u);  // .gltf, .bin, textures
    // Write the same texture again (an export overwriting it): a change all the same.
    fs::path texture = dir.path / "relic" / "vessel_basecolor.png";
    auto bytes = std::vector<char>(fs::file_size(texture));
    std::ifstream(texture, std::ios::binary).read(bytes.data(), std::streamsize(bytes.size()));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a later modification time
    std::ofstream(texture, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
    LiveShow::Reload r = LiveShow::Reload::None;
    for (int i = 0; i < 200 && r == LiveShow::Reload::None; ++i) {
        r = live->poll(problems);
        if (r == LiveShow::Reload::None) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(r, LiveShow::Reload::Reloaded);
    EXPECT_NE(live->scene().models.at("jar"), before);  // read again
}

// ---- Hostile scene semantics: no scene, valid or not, can stall a frame --------------------
// `check` refuses durations and idle timeouts under 1/240 s (show_parse_test); these scenes
// are made invalid after loading, as a file that slipped past validation would be, and the
// runtime must still finish every frame, the same way whatever the steps.

namespace {

// Plays `scene` to `end` in steps of 1/30 s and in one step; both must give the same state
// and trace, each frame bounded (here: the whole run in well under a second per show second).
void expect_bounded_and_deterministic(const LoadedScene& scene, double end) {
    auto stepped = Show::create(scene);
    auto start = std::chrono::steady_clock::now();
    for (int i = 1; i <= int(end * 30); ++i) stepped->advance(i / 30.0);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    auto once = Show::create(scene);
    once->advance(end);
    EXPECT_EQ(stepped->now(), once->now());
    EXPECT_EQ(stepped->state(), once->state());
    EXPECT_EQ(stepped->trace(), once->trace());
    auto warnings = stepped->take_warnings();
    ASSERT_FALSE(warnings.empty());
    EXPECT_NE(warnings[0].find("events within 1/240 s"), std::string::npos) << warnings[0];
    EXPECT_LE(warnings.size(), size_t(end / 10) + 1);  // one line per 10 s of show time at most
    EXPECT_LT(seconds, 30.0) << "playing " << end << " s of this scene took " << seconds << " s";
}

}  // namespace

// Each scene, loaded, then broken as check would refuse: states that idle into each other
// every nanosecond, a looping timeline of a nanosecond with a cue, timelines that end into
// each other.
TEST(ShowHostile, ScenesThatWouldNeverAdvanceStillDo) {
    struct Case {
        const char* name;
        const char* text;
        void (*corrupt)(SceneFile&);
    };
    const Case cases[] = {
        {"idle ping-pong", "states:\n  - {name: a, transitions: [{idle: 1, to: b}]}\n  - {name: b, transitions: [{idle: 1, to: a}]}\n",
         [](SceneFile& f) { for (State& s : f.states) s.transitions[0].after = 1e-9; }},
        {"1 ns loop", "timelines: [{name: t, duration: 1, loop: true}]\ncues: [{id: \"1\", at: {timeline: t, t: 0}}]\n"
                      "states: [{name: s, timeline: t}]\n",
         [](SceneFile& f) { f.timelines[0].duration = 1e-9; }},
        {"ends into each other", "timelines: [{name: x, duration: 1}, {name: y, duration: 1}]\nstates:\n"
                                 "  - {name: a, timeline: x, transitions: [{end: true, to: b}]}\n"
                                 "  - {name: b, timeline: y, transitions: [{end: true, to: a}]}\n",
         [](SceneFile& f) { for (Timeline& t : f.timelines) t.duration = 1e-12; }},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        TempDir dir;
        auto scene = load_text(dir, std::string("nodes: [{name: a}]\n") + c.text);
        ASSERT_TRUE(scene);
        c.corrupt(scene->file);
        expect_bounded_and_deterministic(*scene, 2);
    }
}

TEST(ShowHostile, ShortestValidLoopsAreNotCut) {
    // At the shortest durations check accepts, nothing is skipped: 240 loops a second.
    TempDir dir;
    auto scene = load_text(dir, R"(
nodes: [{name: a}]
timelines: [{name: t, duration: 0.0041667, loop: true}]
cues: [{id: "1", at: {timeline: t, t: 0}}, {id: "2", at: {timeline: t, t: 0.002}}]
states: [{name: s, timeline: t}]
)");
    ASSERT_TRUE(scene);
    auto show = Show::create(*scene);
    show->advance(10);
    EXPECT_TRUE(show->take_warnings().empty());
}

TEST(ShowHostile, AdvancingInSlicesOfEventsEqualsOneAdvance) {
    TempDir dir;
    auto scene = load_text(dir, R"(
nodes: [{name: box}]
timelines: [{name: t, duration: 1, loop: true}, {name: u, duration: 1, loop: true}]
cues: [{id: "1", at: {timeline: t, t: 0}}, {id: "2", at: {timeline: u, t: 0.5}}]
states:
  - {name: a, timeline: t, transitions: [{touch: box, to: b}]}
  - {name: b, timeline: u}
)");
    ASSERT_TRUE(scene);
    scene->file.timelines[0].duration = 1e-6;  // a loops a million times a second: windows get cut
    scene->file.timelines[1].duration = 1e-3;
    auto once = Show::create(*scene);
    once->input(touch(0.5, "box"));
    once->advance(1.5);
    auto sliced = Show::create(*scene);
    sliced->input(touch(0.5, "box"));
    int calls = 0;
    while (!sliced->advance(1.5, 7)) ++calls;
    EXPECT_GT(calls, 10);
    EXPECT_EQ(sliced->now(), 1.5);
    EXPECT_EQ(sliced->state(), "b");
    EXPECT_EQ(sliced->state(), once->state());
    EXPECT_EQ(sliced->trace(), once->trace());
}

TEST(LiveShowHostile, AFarSeekIsDoneInSlicesAndLands) {
    TempDir dir;
    dir.write("seek.scene.yaml", R"(
nodes: [{name: a}]
timelines: [{name: t, duration: 0.01, loop: true}]
cues: [{id: "1", at: {timeline: t, t: 0}}]
states: [{name: s, timeline: t}]
)");
    std::vector<Problem> problems;
    auto live = LiveShow::open(dir.path / "seek.scene.yaml", {}, problems);
    ASSERT_TRUE(live) << (problems.empty() ? "" : problems[0].str());
    EXPECT_FALSE(live->seek(-1));
    EXPECT_FALSE(live->seek(LiveShow::kLongestSeek + 1));
    EXPECT_FALSE(live->seeking());
    ASSERT_TRUE(live->seek(3600));  // 360 000 loops with a cue each
    int frames = 0;
    double slowest = 0;
    LiveShow::Seek s = LiveShow::Seek::Going;
    while (s == LiveShow::Seek::Going && frames < 100000) {
        auto start = std::chrono::steady_clock::now();
        s = live->continue_seek(3600, 0.008);
        slowest = std::max(slowest, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        ++frames;
        if (s == LiveShow::Seek::Going) {
            EXPECT_EQ(live->show().now(), 0);  // the running show stands still meanwhile
        }
    }
    EXPECT_EQ(s, LiveShow::Seek::Landed);
    EXPECT_GT(frames, 1);
    EXPECT_LT(slowest, 0.25) << "one slice of a seek must stay near its 8 ms budget";
    EXPECT_EQ(live->show().now(), 3600);
    EXPECT_FALSE(live->seeking());
    // The same as playing there.
    auto played = Show::create(live->scene());
    played->advance(3600);
    EXPECT_EQ(played->trace(), live->show().trace());
}

TEST(ShowHostile, HooksThatUseTheirWholeBudgetOnEveryCueAreSkippedPastTheirShare) {
    // A cue 240 times a second whose hook never ends: each call is stopped by its own
    // budget, and past kHookSecondsOfWork calls' worth in a second of show time the rest
    // are skipped — so a second of this show costs a few calls, not 240.
    TempDir dir;
    dir.write("busy.lua", "function on_cue(id) while true do end end\n");
    auto scene = load_text(dir, R"(
hooks: busy.lua
nodes: [{name: a}]
timelines: [{name: t, duration: 0.0041667, loop: true}]
cues: [{id: "1", at: {timeline: t, t: 0}}]
states: [{name: s, timeline: t}]
)");
    ASSERT_TRUE(scene);
    ShowOptions options;
    options.hook_limits.work = 200'000;  // small, to keep the test quick
    auto run = [&] {
        auto show = Show::create(*scene, options);
        for (int i = 1; i <= 60; ++i) show->advance(i / 30.0);  // two seconds at 30 fps
        return show->take_warnings();
    };
    auto start = std::chrono::steady_clock::now();
    std::vector<std::string> warnings = run();
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    size_t stopped = 0, skipping = 0;
    for (const std::string& w : warnings) {
        stopped += w.find("work budget") != std::string::npos;
        skipping += w.find("skipping hook calls until the next second") != std::string::npos;
    }
    EXPECT_LE(stopped, 2 * Show::kHookSecondsOfWork + 2) << "calls at their full budget in two seconds";
    EXPECT_GE(stopped, 2u);
    EXPECT_GE(skipping, 1u);
    EXPECT_EQ(warnings, run()) << "decided by work, not by a clock: the same on every run";
    EXPECT_LT(seconds, 10.0);
}
