// The live session's clocks: show time on a monotonic clock with pause and seek, and
// civil time read every frame (an injected clock here), its steps found by clock_offset.
#include <gtest/gtest.h>

#include "session/clock.h"

using namespace vitrine::session;

namespace {

struct FakeClocks {
    double mono = 1000;  // seconds, any origin
    CivilTime civil{9 * 3600, 1.7e9};
    ShowClock clock() {
        return ShowClock([this] { return mono; }, [this] { return civil; });
    }
};

}  // namespace

TEST(ShowClock, RunsOnTheMonotonicClockFromZero) {
    FakeClocks f;
    ShowClock c = f.clock();
    EXPECT_DOUBLE_EQ(c.now(), 0);
    f.mono += 2.5;
    EXPECT_DOUBLE_EQ(c.now(), 2.5);
}

TEST(ShowClock, PauseHoldsShowTimeAndResumeGoesOnFromThere) {
    FakeClocks f;
    ShowClock c = f.clock();
    f.mono += 10;
    c.pause();
    EXPECT_TRUE(c.paused());
    f.mono += 100;
    EXPECT_DOUBLE_EQ(c.now(), 10);
    c.pause();  // twice is once
    c.resume();
    f.mono += 1;
    EXPECT_DOUBLE_EQ(c.now(), 11);
    EXPECT_FALSE(c.paused());
}

TEST(ShowClock, SetMovesShowTimeEvenWhilePaused) {
    FakeClocks f;
    ShowClock c = f.clock();
    f.mono += 5;
    c.set(3600);
    EXPECT_DOUBLE_EQ(c.now(), 3600);
    f.mono += 2;
    EXPECT_DOUBLE_EQ(c.now(), 3602);
    c.pause();
    c.set(10);
    f.mono += 50;
    EXPECT_DOUBLE_EQ(c.now(), 10);
}

TEST(ShowClock, CivilTimeIsReadWhenAsked) {
    FakeClocks f;
    ShowClock c = f.clock();
    EXPECT_DOUBLE_EQ(c.civil().day_seconds, 9 * 3600);
    f.civil.day_seconds = 10 * 3600;  // a DST change: the wall clock jumps, the show clock does not
    EXPECT_DOUBLE_EQ(c.civil().day_seconds, 10 * 3600);
    EXPECT_DOUBLE_EQ(c.now(), 0);
}

TEST(ClockOffset, FindsStepsTheShorterWayRoundMidnight) {
    EXPECT_DOUBLE_EQ(clock_offset(9 * 3600, 9 * 3600), 0);
    EXPECT_DOUBLE_EQ(clock_offset(2 * 3600, 3 * 3600), 3600);    // spring forward
    EXPECT_DOUBLE_EQ(clock_offset(3 * 3600, 2 * 3600), -3600);   // fall back
    EXPECT_DOUBLE_EQ(clock_offset(86399, 1), 2);                 // across midnight, forward
    EXPECT_DOUBLE_EQ(clock_offset(1, 86399), -2);                // across midnight, back
    EXPECT_NEAR(clock_offset(100, 100.4), 0.4, 1e-9);            // drift below kClockStep
    EXPECT_LT(std::abs(clock_offset(100, 100.4)), kClockStep);
}

TEST(CivilTime, TheSystemClockGivesATimeOfDayInADay) {
    CivilTime c = local_civil_time();
    EXPECT_GE(c.day_seconds, 0);
    EXPECT_LT(c.day_seconds, 86400 + 1);  // a leap second at most
    EXPECT_GT(c.epoch, 1.6e9);
}

// The civil clock steps under a running show (injected wall clock): time_of_day
// transitions follow the wall clock, not the show's start time plus show time.
#include "show/show.h"
#include "show_text.h"
#include "temp_dir.h"

using vitrine::test::TempDir;

namespace {

std::unique_ptr<vitrine::show::LoadedScene> closing_at_18(TempDir& dir) {
    return vitrine::test::load_scene_text(dir, R"(
nodes: [{name: a}]
states:
  - name: open
    idle: none
    transitions: [{time_of_day: "18:00", to: closed}]
  - name: closed
    idle: none
    transitions: [{time_of_day: "09:00", to: open}]
)", "s.scene.yaml");
}

// Plays the show frame by frame (10 fps) for `seconds` of show time from `from`, the
// wall clock at `civil(t)`, sending what civil_input says, as Session::step does.
void play(vitrine::show::Show& show, double from, double seconds, const std::function<double(double)>& civil) {
    for (double t = from; t <= from + seconds + 1e-9; t += 0.1) {
        CivilTime c{civil(t), 1.7e9 + t};
        if (auto in = civil_input(show, t, c)) show.input(*in);
        show.advance(t);
    }
}

}  // namespace

TEST(CivilClock, SpringForwardAnHourClosesAtTheWallClocksSix) {
    TempDir dir("civil_clock");
    auto scene = closing_at_18(dir);
    ASSERT_TRUE(scene);
    vitrine::show::ShowOptions so;
    so.day_start = 16 * 3600;  // 16:00 at show time 0
    auto show = vitrine::show::Show::create(*scene, so);
    // At show time 600 (16:10) the wall clock jumps to 17:10: 18:00 comes 50 min later.
    auto civil = [](double t) { return 16 * 3600 + t + (t >= 600 ? 3600 : 0); };
    play(*show, 0, 600 + 49 * 60, civil);
    EXPECT_EQ(show->state(), "open");
    play(*show, 600 + 49 * 60 + 0.1, 61, civil);
    EXPECT_EQ(show->state(), "closed");
    EXPECT_NEAR(show->time_of_day(), 18 * 3600 + 1, 1.0);
}

TEST(CivilClock, FallBackAnHourClosesAtTheWallClocksSixNotAnHourEarly) {
    TempDir dir("civil_clock");
    auto scene = closing_at_18(dir);
    ASSERT_TRUE(scene);
    vitrine::show::ShowOptions so;
    so.day_start = 17 * 3600;  // 17:00
    auto show = vitrine::show::Show::create(*scene, so);
    // At 17:30 the wall clock goes back to 16:30: without it the show would close at show
    // time 3600; with it, at 7200 (the wall clock's 18:00).
    auto civil = [](double t) { return 17 * 3600 + t - (t >= 1800 ? 3600 : 0); };
    play(*show, 0, 3700, civil);
    EXPECT_EQ(show->state(), "open");
    play(*show, 3700.1, 7190 - 3700.1, civil);
    EXPECT_EQ(show->state(), "open");
    play(*show, 7190.1, 20, civil);
    EXPECT_EQ(show->state(), "closed");
    EXPECT_NEAR(show->time_of_day(), 18 * 3600 + 10, 1.0);

}

TEST(CivilClock, DriftBelowASecondSendsNothingAndAStepAcrossMidnightIsSmall) {
    TempDir dir("civil_clock");
    auto scene = closing_at_18(dir);
    ASSERT_TRUE(scene);
    vitrine::show::ShowOptions so;
    so.day_start = 86400 - 5;  // 23:59:55
    auto show = vitrine::show::Show::create(*scene, so);
    show->advance(1);
    // 0.5 s of drift: nothing; the wall clock past midnight by 3 s more than the show
    // thinks: a step of +3 s, not of -86397.
    EXPECT_FALSE(civil_input(*show, 1, {86400 - 4 + 0.5, 0}));
    auto in = civil_input(*show, 1, {2, 0});
    ASSERT_TRUE(in);
    EXPECT_EQ(in->kind, vitrine::show::InputKind::Clock);
    EXPECT_DOUBLE_EQ(in->time_of_day, 2);
    EXPECT_DOUBLE_EQ(in->t, 1);
}

// A warning that repeats is printed once, then counted for the window; one line says how
// many were held back.
#include "session/repeats.h"

TEST(Repeats, ALineRepeatingIsPrintedOnceAMinuteWithItsCount) {
    Repeats r(60);
    EXPECT_TRUE(r.pass("hook on_cue: error", 0));
    for (int i = 1; i <= 12; ++i) EXPECT_FALSE(r.pass("hook on_cue: error", i));
    EXPECT_TRUE(r.pass("another warning", 5));  // other lines are not held back
    EXPECT_TRUE(r.due(59).empty());
    std::vector<std::string> due = r.due(60);
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0], "hook on_cue: error (repeated 12 more times in 60 s)");
    EXPECT_TRUE(r.pass("hook on_cue: error", 61));  // a new window
    EXPECT_TRUE(r.due(200).empty());                 // nothing held back since
}

TEST(Repeats, RemembersABoundedNumberOfLines) {
    Repeats r(60);
    for (size_t i = 0; i < Repeats::kLines + 50; ++i) EXPECT_TRUE(r.pass("line " + std::to_string(i), double(i) * 0.01));
    EXPECT_FALSE(r.pass("line " + std::to_string(Repeats::kLines + 49), 10));  // the newest still held
    EXPECT_TRUE(r.pass("line 0", 10));  // the oldest forgotten: printed again
}
