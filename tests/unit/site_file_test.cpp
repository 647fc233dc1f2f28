// The site file (docs/site-file.md) and its schedule: the committed examples load with
// every value where the file says; defaults; the week's hours, several spans a day,
// spans past midnight, closed and special dates, the next change across a week and New
// Year, always and never; clock changes in Europe/London through the time_t helper;
// every kind of bad value refused with its file:line:column; the scenes a site names
// checked with it; random damage never crashes.
#include <gtest/gtest.h>

#include "mutate.h"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "session/schedule.h"
#include "session/site_file.h"

namespace fs = std::filesystem;

namespace vitrine::session {
namespace {

const fs::path kSites = fs::path(VITRINE_SOURCE_DIR) / "tests" / "sites";

// Problems of `text` read as tests/sites/t.site.yaml, as "t.site.yaml:L:C: message".
std::vector<std::string> problems_of(const std::string& text) {
    std::vector<show::Problem> problems;
    parse_site(kSites / "t.site.yaml", text, problems);
    std::vector<std::string> out;
    const std::string folder = kSites.string() + "/";
    for (const show::Problem& p : problems) {
        std::string s = p.str();
        if (s.rfind(folder, 0) == 0) s.erase(0, folder.size());
        out.push_back(s);
    }
    return out;
}

// The one problem of `text`.
std::string problem_of(const std::string& text) {
    auto all = problems_of(text);
    std::string joined;
    for (const std::string& s : all) joined += s + "\n";
    EXPECT_EQ(all.size(), 1u) << joined;
    return all.empty() ? "" : all[0];
}

LocalTime at(int y, int m, int d, int hh, int mm = 0, int ss = 0) {
    LocalTime t;
    t.date = Date{y, m, d};
    t.weekday = weekday_of(t.date);
    t.seconds = hh * 3600 + mm * 60 + ss;
    return t;
}

Span span(const char* text) {
    Span s;
    EXPECT_EQ(parse_span(text, s), "") << text;
    return s;
}

// The museum week of scenes/demo.site.yaml's sort: closed Mondays, 10:00-18:00 otherwise.
Schedule museum() {
    Schedule s;
    for (int d = 1; d < 7; ++d) s.week[size_t(d)] = {span("10:00-18:00")};
    return s;
}

constexpr long long kHour = 3600;

// ---- calendar ------------------------------------------------------------------------

TEST(Schedule, Calendar) {
    EXPECT_EQ(days_from_date({1970, 1, 1}), 0);
    EXPECT_EQ(date_from_days(days_from_date({2026, 12, 31}) + 1), (Date{2027, 1, 1}));
    EXPECT_EQ(date_from_days(days_from_date({2028, 2, 28}) + 1), (Date{2028, 2, 29}));
    EXPECT_EQ(weekday_of({2026, 12, 7}), 0);  // a Monday
    EXPECT_EQ(weekday_of({2026, 12, 25}), 4);  // a Friday
    EXPECT_EQ(weekday_of({2027, 1, 1}), 4);
    EXPECT_EQ(parse_date("2028-02-29"), (Date{2028, 2, 29}));
    EXPECT_FALSE(parse_date("2027-02-29"));
    EXPECT_FALSE(parse_date("2026-13-01"));
    EXPECT_FALSE(parse_date("26-12-25"));
    EXPECT_EQ(parse_clock_time("9:30"), 9 * 3600 + 1800);
    EXPECT_EQ(parse_clock_time("23:59:59"), 86399);
    EXPECT_FALSE(parse_clock_time("24:00"));
    EXPECT_EQ(parse_clock_time("24:00", true), 86400);
    EXPECT_FALSE(parse_clock_time("25:00", true));
    EXPECT_FALSE(parse_clock_time("12:60"));
    EXPECT_FALSE(parse_clock_time("12"));
    EXPECT_EQ(span("18:00-02:00"), (Span{18 * 3600, 26 * 3600}));
    EXPECT_EQ(span("00:00-24:00"), (Span{0, 86400}));
    EXPECT_EQ(span("12:00 - 00:00"), (Span{12 * 3600, 86400}));
    EXPECT_EQ(span_text(span("18:00-02:00")), "18:00-02:00");
    Span s;
    EXPECT_NE(parse_span("09:00-09:00", s), "");
    EXPECT_NE(parse_span("24:00-02:00", s), "");
}

// ---- the schedule in wall-clock time ---------------------------------------------------

TEST(Schedule, WeekdaySpans) {
    Schedule s = museum();
    ScheduleState st = schedule_at(s, at(2026, 12, 7, 12));  // Monday noon: closed
    EXPECT_FALSE(st.open);
    ASSERT_TRUE(st.next_change);
    EXPECT_EQ(*st.next_change, 22 * kHour);  // Tuesday 10:00
    EXPECT_EQ(st.next_at.date, (Date{2026, 12, 8}));
    EXPECT_EQ(st.next_at.seconds, 10 * 3600);
    EXPECT_EQ(st.next_at.weekday, 1);

    st = schedule_at(s, at(2026, 12, 8, 10));  // the opening second is open
    EXPECT_TRUE(st.open);
    EXPECT_EQ(*st.next_change, 8 * kHour);
    st = schedule_at(s, at(2026, 12, 8, 17, 59, 59));
    EXPECT_TRUE(st.open);
    EXPECT_EQ(*st.next_change, 1);
    st = schedule_at(s, at(2026, 12, 8, 18));  // the closing second is closed
    EXPECT_FALSE(st.open);
    EXPECT_EQ(*st.next_change, 16 * kHour);
    st = schedule_at(s, at(2026, 12, 13, 20));  // Sunday evening: next is Tuesday
    EXPECT_FALSE(st.open);
    EXPECT_EQ(*st.next_change, 4 * kHour + 24 * kHour + 10 * kHour);
}

TEST(Schedule, SeveralSpansADay) {
    Schedule s;
    s.week[3] = {span("10:00-13:00"), span("14:00-22:00")};  // Thursday
    ScheduleState st = schedule_at(s, at(2026, 12, 10, 12));
    EXPECT_TRUE(st.open);
    EXPECT_EQ(*st.next_change, 1 * kHour);
    st = schedule_at(s, at(2026, 12, 10, 13, 30));
    EXPECT_FALSE(st.open);
    EXPECT_EQ(*st.next_change, 30 * 60);
    st = schedule_at(s, at(2026, 12, 10, 21));
    EXPECT_TRUE(st.open);
    EXPECT_EQ(*st.next_change, 1 * kHour);
    st = schedule_at(s, at(2026, 12, 10, 22));
    EXPECT_FALSE(st.open);
    EXPECT_EQ(*st.next_change, 7 * 24 * kHour - 12 * kHour);  // next Thursday 10:00
    // Spans that touch are one stretch: no change at 13:00.
    s.week[3] = {span("10:00-13:00"), span("13:00-18:00")};
    st = schedule_at(s, at(2026, 12, 10, 12));
    EXPECT_EQ(*st.next_change, 6 * kHour);
}

TEST(Schedule, PastMidnightBelongsToTheDayItStarts) {
    Schedule s;
    s.week[5] = {span("18:00-02:00")};  // Saturday night; Sunday closed
    ScheduleState st = schedule_at(s, at(2026, 12, 13, 1));  // Sunday 01:00
    EXPECT_TRUE(st.open);
    EXPECT_EQ(*st.next_change, 1 * kHour);
    EXPECT_EQ(st.next_at.date, (Date{2026, 12, 13}));
    EXPECT_EQ(st.next_at.seconds, 2 * 3600);
    st = schedule_at(s, at(2026, 12, 13, 3));
    EXPECT_FALSE(st.open);
    EXPECT_EQ(*st.next_change, 6 * 24 * kHour + 15 * kHour);  // next Saturday 18:00
    // Into a day that is open from midnight: one stretch to Sunday's end.
    s.week[6] = {Span{0, kDay}};
    st = schedule_at(s, at(2026, 12, 12, 20));
    EXPECT_TRUE(st.open);
    EXPECT_EQ(*st.next_change, 4 * kHour + 24 * kHour);  // Monday 00:00
    // A closed date stops spans that begin on it, not the night before's.
    s.week[6] = {};
    s.closed_dates.insert({2026, 12, 13});
    st = schedule_at(s, at(2026, 12, 13, 1));
    EXPECT_TRUE(st.open);
    s.closed_dates = {{2026, 12, 12}};
    st = schedule_at(s, at(2026, 12, 12, 20));
    EXPECT_FALSE(st.open);
    EXPECT_EQ(*st.next_change, 7 * 24 * kHour - 2 * kHour);  // Saturday 19th, 18:00
}

TEST(Schedule, ClosedAndOpenDatesOverrideTheWeek) {
    Schedule s = museum();
    s.closed_dates = {{2026, 12, 25}, {2026, 12, 26}};
    ScheduleState st = schedule_at(s, at(2026, 12, 25, 12));  // Christmas, a Friday
    EXPECT_FALSE(st.open);
    EXPECT_EQ(st.next_at.date, (Date{2026, 12, 27}));
    EXPECT_EQ(*st.next_change, 2 * 24 * kHour - 2 * kHour);
    st = schedule_at(s, at(2026, 12, 24, 17));  // the day before closes as usual
    EXPECT_TRUE(st.open);
    EXPECT_EQ(*st.next_change, 1 * kHour);
    EXPECT_EQ(st.next_at.date, (Date{2026, 12, 24}));
    s.open_dates[{2026, 12, 28}] = {span("12:00-16:00")};  // a Monday in the holidays
    st = schedule_at(s, at(2026, 12, 28, 11));
    EXPECT_FALSE(st.open);
    EXPECT_EQ(*st.next_change, 1 * kHour);
    st = schedule_at(s, at(2026, 12, 28, 13));
    EXPECT_TRUE(st.open);
    EXPECT_EQ(*st.next_change, 3 * kHour);
    st = schedule_at(s, at(2026, 12, 27, 18));  // Sunday evening: next is the special Monday
    EXPECT_EQ(st.next_at.date, (Date{2026, 12, 28}));
    EXPECT_EQ(st.next_at.seconds, 12 * 3600);
}

TEST(Schedule, NextChangeAcrossAWeekAndNewYear) {
    Schedule s;
    s.week[6] = {span("10:00-18:00")};  // Sundays only
    ScheduleState st = schedule_at(s, at(2026, 12, 7, 9));  // Monday
    EXPECT_FALSE(st.open);
    EXPECT_EQ(*st.next_change, 6 * 24 * kHour + 1 * kHour);
    EXPECT_EQ(st.next_at.date, (Date{2026, 12, 13}));
    EXPECT_EQ(st.next_at.weekday, 6);

    Schedule daily;
    for (auto& d : daily.week) d = {span("10:00-18:00")};
    daily.closed_dates = {{2026, 12, 31}, {2027, 1, 1}};
    st = schedule_at(daily, at(2026, 12, 30, 18));
    EXPECT_FALSE(st.open);
    EXPECT_EQ(*st.next_change, 2 * 24 * kHour + 16 * kHour);
    EXPECT_EQ(st.next_at.date, (Date{2027, 1, 2}));
    EXPECT_EQ(local_time_text(st.next_at), "Sat 2027-01-02 10:00");

    // New Year's Eve until one in the morning: open across the year's end.
    daily.open_dates[{2026, 12, 31}] = {span("20:00-01:00")};
    st = schedule_at(daily, at(2026, 12, 31, 23, 59, 59));
    EXPECT_TRUE(st.open);
    EXPECT_EQ(*st.next_change, 3601);
    EXPECT_EQ(st.next_at.date, (Date{2027, 1, 1}));
    st = schedule_at(daily, at(2027, 1, 1, 0, 30));
    EXPECT_TRUE(st.open);
    EXPECT_EQ(*st.next_change, 30 * 60);
}

TEST(Schedule, AlwaysAndNever) {
    ScheduleState st = schedule_at(Schedule::always(), at(2026, 12, 7, 3));
    EXPECT_TRUE(st.open);
    EXPECT_FALSE(st.next_change);
    st = schedule_at(Schedule{}, at(2026, 12, 7, 3));
    EXPECT_FALSE(st.open);
    EXPECT_FALSE(st.next_change);
    EXPECT_FALSE(Schedule{}.ever_open());
    // Always but one day, 200 days away: that midnight.
    Schedule s = Schedule::always();
    Date far = date_from_days(days_from_date({2026, 12, 7}) + 200);
    s.closed_dates.insert(far);
    st = schedule_at(s, at(2026, 12, 7, 0));
    EXPECT_TRUE(st.open);
    EXPECT_EQ(*st.next_change, 200 * 24 * kHour);
    // A special opening past the horizon is not seen.
    Schedule later;
    later.open_dates[date_from_days(days_from_date({2026, 12, 7}) + kScheduleHorizonDays + 10)] = {span("10:00-11:00")};
    EXPECT_TRUE(later.ever_open());
    st = schedule_at(later, at(2026, 12, 7, 0));
    EXPECT_FALSE(st.open);
    EXPECT_FALSE(st.next_change);
}

// ---- the system clock, clock changes -----------------------------------------------------

// Europe/London for the test's length.
class London : public ::testing::Test {
protected:
    void SetUp() override {
        const char* tz = std::getenv("TZ");
        had_ = tz != nullptr;
        if (tz) old_ = tz;
        setenv("TZ", "Europe/London", 1);
        tzset();
        if (!fs::exists("/usr/share/zoneinfo/Europe/London")) GTEST_SKIP() << "no tzdata (tools/install-deps.sh installs it)";
    }
    void TearDown() override {
        if (had_) setenv("TZ", old_.c_str(), 1);
        else unsetenv("TZ");
        tzset();
    }
    static std::time_t utc(int y, int m, int d, int hh, int mm = 0) {
        return std::time_t((days_from_date({y, m, d}) * 86400) + hh * 3600 + mm * 60);
    }
    bool had_ = false;
    std::string old_;
};

TEST_F(London, LocalTime) {
    LocalTime t = local_time(utc(2026, 3, 29, 1, 30));  // 02:30 BST
    EXPECT_EQ(t.date, (Date{2026, 3, 29}));
    EXPECT_EQ(t.seconds, 2 * 3600 + 1800);
    EXPECT_EQ(t.weekday, 6);
    t = local_time(utc(2026, 12, 7, 12));  // GMT
    EXPECT_EQ(t.seconds, 12 * 3600);
    EXPECT_EQ(t.weekday, 0);
}

TEST_F(London, SpringForwardShortensASpan) {
    // 29 March 2026: at 01:00 GMT the clocks read 02:00 BST.
    Schedule s;
    s.week[6] = {span("01:00-03:00")};
    ScheduleState st = schedule_at(s, utc(2026, 3, 29, 0, 30));
    EXPECT_FALSE(st.open);
    EXPECT_EQ(*st.next_change, 30 * 60);        // opens when the clocks jump past 01:00
    EXPECT_EQ(st.next_at.seconds, 2 * 3600);    // the clock then reads 02:00
    st = schedule_at(s, utc(2026, 3, 29, 1, 30));  // 02:30 BST
    EXPECT_TRUE(st.open);
    EXPECT_EQ(*st.next_change, 30 * 60);        // 03:00 BST: open one real hour in all
    EXPECT_EQ(st.next_at.seconds, 3 * 3600);
    // A span inside the missing hour never opens that night.
    s.week[6] = {span("01:15-01:45")};
    st = schedule_at(s, utc(2026, 3, 29, 0, 30));
    EXPECT_FALSE(st.open);
    EXPECT_EQ(st.next_at.date, (Date{2026, 4, 5}));
    EXPECT_EQ(*st.next_change, 7 * 24 * kHour - 15 * 60);  // 01:15 BST (00:15 UTC) a week later
    // The wall-clock answer for the same night, for comparison: two hours.
    s.week[6] = {span("01:00-03:00")};
    EXPECT_EQ(*schedule_at(s, at(2026, 3, 29, 1)).next_change, 2 * kHour);
}

TEST_F(London, FallBackFirstReadingCounts) {
    // 25 October 2026: at 01:00 GMT (02:00 BST) the clocks go back to 01:00.
    Schedule s;
    s.week[6] = {span("01:00-03:00")};
    ScheduleState st = schedule_at(s, utc(2026, 10, 24, 23, 59));  // 00:59 BST
    EXPECT_FALSE(st.open);
    EXPECT_EQ(*st.next_change, 60);
    st = schedule_at(s, utc(2026, 10, 25, 0, 30));  // 01:30 BST
    EXPECT_TRUE(st.open);
    EXPECT_EQ(*st.next_change, 2 * kHour + 30 * 60);  // 03:00 GMT: three real hours in all
    // Ends at the first 01:30 and stays closed through the repeated hour.
    s.week[6] = {span("00:00-01:30")};
    st = schedule_at(s, utc(2026, 10, 25, 0, 15));  // 01:15 BST
    EXPECT_TRUE(st.open);
    EXPECT_EQ(*st.next_change, 15 * 60);
    st = schedule_at(s, utc(2026, 10, 25, 1, 10));  // 01:10 GMT, the second time round
    EXPECT_FALSE(st.open);
    EXPECT_EQ(st.next_at.date, (Date{2026, 11, 1}));
}

TEST_F(London, NightlyRestart) {
    const int four = 4 * 3600;
    EXPECT_EQ(next_daily(four, utc(2026, 12, 7, 3)), utc(2026, 12, 7, 4));
    EXPECT_EQ(next_daily(four, utc(2026, 12, 7, 4)), utc(2026, 12, 8, 4));  // not now: the next one
    EXPECT_EQ(next_daily(four, utc(2026, 7, 14, 2)), utc(2026, 7, 14, 3));   // 04:00 BST
    // 01:30 on the night the clocks go forward: at the jump (01:00 GMT).
    EXPECT_EQ(next_daily(3600 + 1800, utc(2026, 3, 28, 23)), utc(2026, 3, 29, 1));
    // 01:30 on the night they go back: the first 01:30 (BST), then not again that night.
    EXPECT_EQ(next_daily(3600 + 1800, utc(2026, 10, 24, 23)), utc(2026, 10, 25, 0, 30));
    EXPECT_EQ(next_daily(3600 + 1800, utc(2026, 10, 25, 0, 30)), utc(2026, 10, 26, 1, 30));
}

TEST_F(London, OrdinaryDaysMatchTheWallClock) {
    Schedule s = museum();
    s.closed_dates = {{2026, 12, 25}};
    for (std::time_t t : {utc(2026, 12, 7, 12), utc(2026, 12, 24, 17, 30), utc(2026, 7, 14, 9, 59)}) {
        ScheduleState real = schedule_at(s, t), wall = schedule_at(s, local_time(t));
        EXPECT_EQ(real.open, wall.open);
        EXPECT_EQ(real.next_change, wall.next_change);
        EXPECT_EQ(real.next_at.date, wall.next_at.date);
        EXPECT_EQ(real.next_at.seconds, wall.next_at.seconds);
    }
}

// ---- the file ------------------------------------------------------------------------

TEST(SiteFile, GalleryLoadsWithEveryValue) {
    std::vector<show::Problem> problems;
    SiteFile s = load_site(kSites / "gallery.site.yaml", problems);
    for (const show::Problem& p : problems) ADD_FAILURE() << p.str();
    EXPECT_EQ(s.scene, kSites / "gallery.scene.yaml");
    EXPECT_EQ(s.display_file, kSites / "wall.display.yaml");
    ASSERT_TRUE(s.display);
    EXPECT_EQ(s.display->screens.size(), 2u);
    EXPECT_EQ(s.output.monitor, "HDMI-1");
    EXPECT_TRUE(s.output.fullscreen);
    EXPECT_TRUE(s.schedule.week[0].empty());
    EXPECT_EQ(s.schedule.week[3], (DayHours{span("10:00-13:00"), span("14:00-22:00")}));
    EXPECT_EQ(s.schedule.week[5], (DayHours{span("18:00-02:00")}));
    EXPECT_EQ(s.schedule.week[6], (DayHours{Span{0, kDay}}));
    EXPECT_EQ(s.schedule.closed_dates, (std::set<Date>{{2026, 12, 25}, {2027, 1, 1}}));
    ASSERT_EQ(s.schedule.open_dates.size(), 1u);
    EXPECT_EQ(s.schedule.open_dates.begin()->second, (DayHours{span("12:00-16:00")}));
    EXPECT_EQ(s.outside_scene, kSites / "closed.scene.yaml");
    EXPECT_EQ(s.restart, 4 * 3600 + 1800);
    ASSERT_TRUE(s.osc);
    EXPECT_EQ(s.osc->host, "0.0.0.0");
    EXPECT_EQ(s.osc->port, 9100);
    EXPECT_EQ(s.osc->secret, "vitrine-gallery");
    EXPECT_EQ(s.audio, audio::Layout::Surround51);
    EXPECT_EQ(s.metrics_port, 9101);
    EXPECT_EQ(s.watchdog, 20);
    // Every value's place.
    EXPECT_EQ(s.locs.at("scene", {}).str(), (kSites / "gallery.site.yaml").string() + ":5:8");
    EXPECT_EQ(s.locs.at("osc.port", {}).line, 20);
    EXPECT_EQ(s.locs.at("osc.port", {}).column, 28);
    EXPECT_EQ(s.locs.at("hours.thursday", {}).line, 11);
    EXPECT_EQ(s.locs.at("closed_dates.2027-01-01", {}).column, 30);
    EXPECT_EQ(s.locs.at("open_dates.2026-12-28", {}).line, 17);
    EXPECT_EQ(s.locs.at("watchdog", {}).line, 23);
}

// docs/site-file.md's example is tests/sites/gallery.site.yaml without its comments.
TEST(SiteFile, TheDocumentedExample) {
    std::ifstream in(fs::path(VITRINE_SOURCE_DIR) / "docs" / "site-file.md");
    std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t from = doc.find("```yaml\n");
    ASSERT_NE(from, std::string::npos);
    from += 8;
    std::string example = doc.substr(from, doc.find("```", from) - from);
    std::vector<show::Problem> problems;
    SiteFile doc_site = parse_site(kSites / "example.site.yaml", example, problems);
    for (const show::Problem& p : problems) ADD_FAILURE() << p.str();
    SiteFile gallery = load_site(kSites / "gallery.site.yaml", problems);
    ASSERT_TRUE(problems.empty());
    EXPECT_EQ(doc_site.schedule.week, gallery.schedule.week);
    EXPECT_EQ(doc_site.schedule.closed_dates, gallery.schedule.closed_dates);
    EXPECT_EQ(doc_site.schedule.open_dates, gallery.schedule.open_dates);
    EXPECT_EQ(doc_site.osc->secret, gallery.osc->secret);
    EXPECT_EQ(doc_site.audio, gallery.audio);
    EXPECT_EQ(doc_site.watchdog, gallery.watchdog);
}

TEST(SiteFile, Defaults) {
    std::vector<show::Problem> problems;
    SiteFile s = parse_site(kSites / "t.site.yaml", "scene: gallery.scene.yaml\n", problems);
    EXPECT_TRUE(problems.empty());
    EXPECT_TRUE(s.display_file.empty());
    EXPECT_TRUE(s.output.monitor.empty());
    EXPECT_EQ(s.output.monitor_index, -1);
    EXPECT_TRUE(s.output.fullscreen);
    EXPECT_TRUE(schedule_at(s.schedule, at(2026, 12, 7, 3)).open);  // no hours: always open
    EXPECT_TRUE(s.outside_scene.empty());
    EXPECT_FALSE(s.restart);
    ASSERT_TRUE(s.osc);
    EXPECT_EQ(s.osc->host, "127.0.0.1");
    EXPECT_EQ(s.osc->port, 9000);
    EXPECT_EQ(s.audio, audio::Layout::Stereo);
    EXPECT_FALSE(s.metrics_port);
    EXPECT_EQ(s.watchdog, 10);

    s = parse_site(kSites / "t.site.yaml",
                   "scene: gallery.scene.yaml\noutput: {monitor: 1, fullscreen: false}\nosc: off\naudio: {layout: none}\n"
                   "hours: {monday: \"09:00-17:00\"}\nclosed_dates: [2026-12-07]\n",
                   problems);
    EXPECT_TRUE(problems.empty());
    EXPECT_EQ(s.output.monitor_index, 1);
    EXPECT_FALSE(s.output.fullscreen);
    EXPECT_FALSE(s.osc);
    EXPECT_FALSE(s.audio);
    EXPECT_TRUE(s.schedule.week[1].empty());  // weekdays not named are closed
    EXPECT_FALSE(schedule_at(s.schedule, at(2026, 12, 7, 12)).open);
    EXPECT_TRUE(schedule_at(s.schedule, at(2026, 12, 14, 12)).open);
}

TEST(SiteFile, TheDemoChecksClean) {
    std::vector<show::Problem> problems;
    SiteFile s = load_site(fs::path(VITRINE_SOURCE_DIR) / "scenes" / "demo.site.yaml", problems);
    for (const show::Problem& p : problems) ADD_FAILURE() << p.str();
    EXPECT_TRUE(s.schedule.week[0].empty());  // closed Mondays
    EXPECT_EQ(s.schedule.week[2], (DayHours{span("09:00-18:00")}));
    EXPECT_TRUE(s.outside_scene.empty());
    ASSERT_TRUE(s.osc);
    EXPECT_EQ(s.osc->host, "127.0.0.1");
    EXPECT_EQ(s.osc->port, 9000);
    EXPECT_EQ(s.audio, audio::Layout::Stereo);
    EXPECT_EQ(s.watchdog, 10);
}

TEST(SiteFile, BadTimesAndSpans) {
    const std::string head = "scene: gallery.scene.yaml\nhours:\n";
    EXPECT_EQ(problem_of(head + "  monday: \"09:00-25:00\"\n"),
              "t.site.yaml:3:11: hours 'monday': span '09:00-25:00': '25:00' is not a time of day (HH:MM, 00:00 to 24:00)");
    EXPECT_EQ(problem_of(head + "  monday: \"25:00-26:00\"\n"),
              "t.site.yaml:3:11: hours 'monday': span '25:00-26:00': '25:00' is not a time of day (HH:MM, 00:00 to 23:59)");
    EXPECT_EQ(problem_of(head + "  monday: 09:00-09:00\n"),
              "t.site.yaml:3:11: hours 'monday': span '09:00-09:00': it ends when it starts (for the whole day write always)");
    EXPECT_EQ(problem_of(head + "  monday: \"24:00-02:00\"\n"),
              "t.site.yaml:3:11: hours 'monday': span '24:00-02:00': 24:00 only ends a span: write 00:00");
    EXPECT_EQ(problem_of(head + "  monday: 9 to 5\n"),
              "t.site.yaml:3:11: hours 'monday' must be a span \"HH:MM-HH:MM\", a list of spans, closed or always, got '9 to 5'");
    EXPECT_EQ(problem_of(head + "  monday: closd\n"),
              "t.site.yaml:3:11: hours 'monday' must be a span \"HH:MM-HH:MM\", a list of spans, closed or always, got "
              "'closd' (did you mean 'closed'?)");
    EXPECT_EQ(problem_of(head + "  monday: {from: \"09:00\"}\n"),
              "t.site.yaml:3:11: hours 'monday' must be a span \"HH:MM-HH:MM\", a list of spans, closed or always, got a mapping");
    EXPECT_EQ(problem_of(head + "  monday: [\"09:00-13:00\", \"12:30-18:00\"]\n"),
              "t.site.yaml:3:27: hours 'monday': spans '09:00-13:00' and '12:30-18:00' overlap");
    EXPECT_EQ(problem_of(head + "  monday: [\"09:00-13:00\", always]\n"),
              "t.site.yaml:3:27: hours 'monday': always stands alone, not in a list of spans");
    EXPECT_EQ(problem_of(head + "  monday: []\n"), "t.site.yaml:3:11: hours 'monday': an empty list (for a closed day write closed)");
    EXPECT_EQ(problem_of(head + "  munday: \"09:00-18:00\"\n  tuesday: always\n"),
              "t.site.yaml:3:3: unknown weekday 'munday' in hours (did you mean 'monday'?)");
    EXPECT_EQ(problem_of(head + "  Monday: \"09:00-18:00\"\n  tuesday: always\n"),
              "t.site.yaml:3:3: unknown weekday 'Monday' in hours (did you mean 'monday'?)");
    EXPECT_EQ(problem_of(head + "  monday: closed\n"),
              "t.site.yaml:2:1: the site is never open: every weekday is closed (a weekday not named is closed) and no "
              "'open_dates' has a span");
    EXPECT_EQ(problem_of("scene: gallery.scene.yaml\nrestart: \"25:00\"\n"),
              "t.site.yaml:2:10: 'restart' must be a time of day \"HH:MM\" (00:00 to 23:59), got '25:00'");
}

TEST(SiteFile, BadDates) {
    const std::string head = "scene: gallery.scene.yaml\n";
    EXPECT_EQ(problem_of(head + "closed_dates: [\"2026-02-30\"]\n"),
              "t.site.yaml:2:16: closed_dates: '2026-02-30' is not a date (YYYY-MM-DD)");
    EXPECT_EQ(problem_of(head + "closed_dates: [2026-12-25, 2026-12-25]\n"),
              "t.site.yaml:2:28: closed_dates: '2026-12-25' is listed twice (first at " + (kSites / "t.site.yaml").string() +
                  ":2:16)");
    EXPECT_EQ(problem_of(head + "closed_dates: [2026-12-25]\nopen_dates: {2026-12-25: \"10:00-14:00\"}\n"),
              "t.site.yaml:3:14: '2026-12-25' is in both 'open_dates' and 'closed_dates' (at " +
                  (kSites / "t.site.yaml").string() + ":2:16)");
    EXPECT_EQ(problem_of(head + "open_dates: {25/12/2026: always}\n"),
              "t.site.yaml:2:14: open_dates: '25/12/2026' is not a date (YYYY-MM-DD)");
}

TEST(SiteFile, BadKeysAndValues) {
    const std::string head = "scene: gallery.scene.yaml\n";
    EXPECT_EQ(problem_of("scen: gallery.scene.yaml\n"), "t.site.yaml:1:1: unknown key 'scen' at top level (did you mean 'scene'?)");
    EXPECT_EQ(problem_of("hours: {monday: always}\n"), "t.site.yaml:1:1: the site file needs 'scene'");
    EXPECT_EQ(problem_of(head + "watchdg: 10\n"), "t.site.yaml:2:1: unknown key 'watchdg' at top level (did you mean 'watchdog'?)");
    EXPECT_EQ(problem_of(head + "osc: {bind: 127.0.0.1, port: 70000}\n"),
              "t.site.yaml:2:30: osc 'port' must be a whole number from 1 to 65535, got '70000'");
    EXPECT_EQ(problem_of(head + "osc: {port: 0}\n"), "t.site.yaml:2:13: osc 'port' must be a whole number from 1 to 65535, got '0'");
    EXPECT_EQ(problem_of(head + "osc: {bind: 0.0.0.0, port: 9000}\n"),
              "t.site.yaml:2:13: osc 'bind' 0.0.0.0 is not a loopback address: it needs a 'secret' (the first argument of "
              "every message), or bind 127.0.0.1");
    EXPECT_EQ(problems_of(head + "osc: {bind: 192.168.1.20, secret: s3cret}\n").size(), 0u);
    EXPECT_EQ(problems_of(head + "osc: {bind: 127.0.0.2}\n").size(), 0u);
    EXPECT_EQ(problem_of(head + "osc: {bind: gallery.local, secret: x}\n"),
              "t.site.yaml:2:13: osc 'bind' must be an IPv4 address (or localhost), got 'gallery.local'");
    EXPECT_EQ(problem_of(head + "osc: {bind: 127.0.0.1, secrit: x}\n"),
              "t.site.yaml:2:24: unknown key 'secrit' in osc (did you mean 'secret'?)");
    EXPECT_EQ(problem_of(head + "osc: on\n"), "t.site.yaml:2:6: 'osc' must be a mapping {bind, port, secret} or off, got 'on'");
    EXPECT_EQ(problem_of(head + "metrics: {port: 65536}\n"),
              "t.site.yaml:2:17: metrics 'port' must be a whole number from 1 to 65535, got '65536'");
    EXPECT_EQ(problem_of(head + "audio: {layout: sterio}\n"),
              "t.site.yaml:2:17: audio 'layout' must be stereo, hrtf, quad, 5.1, 7.1 or none, got 'sterio' (did you mean 'stereo'?)");
    EXPECT_EQ(problem_of(head + "audio: {layout: \"6.1\"}\n").substr(0, 46), "t.site.yaml:2:17: audio 'layout': audio layout");
    EXPECT_EQ(problem_of(head + "watchdog: 0\n"), "t.site.yaml:2:11: 'watchdog' must be from 1 to 3600 seconds, got 0");
    EXPECT_EQ(problem_of(head + "watchdog: ten\n"), "t.site.yaml:2:11: 'watchdog' must be a number, got a string");
    EXPECT_EQ(problem_of(head + "output: {monitor: -1}\n"),
              "t.site.yaml:2:19: output 'monitor' (an index) must be a whole number from 0 to 63, got '-1'");
    EXPECT_EQ(problem_of(head + "output: {monitor: \"\"}\n"),
              "t.site.yaml:2:19: output 'monitor' must not be empty (leave it out for the primary monitor)");
    EXPECT_EQ(problem_of(head + "output: {fullscreen: yes}\n"), "t.site.yaml:2:22: output 'fullscreen' must be a boolean, got a string");
    EXPECT_EQ(problem_of(head + "outside_hours: blak\n"),
              "t.site.yaml:2:16: 'outside_hours' must be black or {scene: FILE}, got 'blak' (did you mean 'black'?)");
    EXPECT_EQ(problem_of(head + "outside_hours: {}\n"), "t.site.yaml:2:16: outside_hours needs 'scene'");
    EXPECT_EQ(problem_of(head + "vitrine: 2\n"), "t.site.yaml:2:10: format version 2 is not known: only 1 exists");
    EXPECT_EQ(problem_of(""), "t.site.yaml:1:1: the site file is empty");
    EXPECT_EQ(problem_of("- scene\n"), "t.site.yaml:1:1: the site file must be a mapping, got a sequence");
}

TEST(SiteFile, Paths) {
    EXPECT_EQ(problem_of("scene: nowhere.scene.yaml\n"), "t.site.yaml:1:8: scene file 'nowhere.scene.yaml' not found");
    EXPECT_EQ(problem_of("scene: ../scenes/wall.scene.yaml\n"),
              "t.site.yaml:1:8: scene path '../scenes/wall.scene.yaml' leaves the site file's folder");
    EXPECT_EQ(problem_of("scene: /etc/passwd\n"),
              "t.site.yaml:1:8: scene path '/etc/passwd' is absolute: write it relative to the site file's folder");
    EXPECT_EQ(problem_of("scene: gallery.scene.yaml\ndisplay: nowhere.display.yaml\n"),
              "t.site.yaml:2:10: display file 'nowhere.display.yaml' not found");
    EXPECT_EQ(problem_of("scene: gallery.scene.yaml\noutside_hours: {scene: .}\n"),
              "t.site.yaml:2:24: outside_hours scene '.' is not a regular file");
}

// The scene a site names is checked with it: its problems, in its own file's places.
TEST(SiteFile, TheScenesProblemsAreReported) {
    std::vector<show::Problem> problems;
    load_site(kSites / "broken_scene.site.yaml", problems);
    ASSERT_GE(problems.size(), 2u);
    std::string all;
    for (const show::Problem& p : problems) all += p.str() + "\n";
    const std::string scene = (kSites / "broken.scene.yaml").string();
    EXPECT_NE(all.find(scene + ":6:5: unknown key 'camra' in node 'cam' (did you mean 'camera'?)"), std::string::npos) << all;
    EXPECT_NE(all.find(scene + ":3:9: "), std::string::npos) << all;  // camera: nowhere
    for (const show::Problem& p : problems) EXPECT_EQ(p.loc.file, scene);

    // A missing site file is one problem naming it.
    problems.clear();
    load_site(kSites / "nowhere.site.yaml", problems);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].loc.file, (kSites / "nowhere.site.yaml").string());
}

TEST(SiteFile, RandomDamageNeverCrashes) {
    std::mt19937 rng(16);
    std::string text;
    {
        std::vector<show::Problem> unused;
        text = "scene: gallery.scene.yaml\noutput: {monitor: HDMI-1, fullscreen: true}\nhours:\n"
               "  tuesday: \"10:00-18:00\"\n  thursday: [\"10:00-13:00\", \"14:00-22:00\"]\n  saturday: \"18:00-02:00\"\n"
               "  sunday: always\nclosed_dates: [\"2026-12-25\", 2027-01-01]\nopen_dates:\n  \"2026-12-28\": \"12:00-16:00\"\n"
               "outside_hours: black\nrestart: \"04:30\"\nosc: {bind: 127.0.0.1, port: 9100}\naudio: {layout: \"5.1\"}\n"
               "metrics: {port: 9101}\nwatchdog: 20\n";
        parse_site(kSites / "t.site.yaml", text, unused);
        EXPECT_TRUE(unused.empty());
    }
    for (int round = 0; round < 400; ++round) {
        std::vector<show::Problem> problems;
        SiteFile s = parse_site(kSites / "t.site.yaml", test::mutate_yaml(text, rng), problems);
        (void)schedule_at(s.schedule, at(2026, 12, 7, 12));
        for (const show::Problem& p : problems) EXPECT_FALSE(p.message.empty());
    }
}

}  // namespace
}  // namespace vitrine::session
