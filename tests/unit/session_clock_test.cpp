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
