// A site's opening hours (the `hours`, `closed_dates` and `open_dates` of a site file,
// docs/site-file.md) and the one question a kiosk asks of them: open now, and when does
// that change? Pure functions of a local calendar date and time; a helper reads the
// system clock (localtime_r, the process's TZ) and answers in real seconds.
//
// Wall-clock rules: a span belongs to the day it starts ("18:00-02:00" on Friday is open
// from Friday 18:00 to Saturday 02:00, whatever Saturday says), and times are what the
// wall clock reads. On the night the clocks go forward a span across the missing hour
// is just shorter (01:00-03:00 is open an hour; a span inside the missing hour never
// opens); on the night they go back, a span begins the first time the clock reads its
// start and ends the first time it reads its end (00:00-01:30 closes at the first 01:30
// and stays closed through the repeated hour; 01:00-03:00 is open three hours).
#pragma once
#include <array>
#include <ctime>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace vitrine::session {

// A day of the proleptic Gregorian calendar.
struct Date {
    int year = 1970, month = 1, day = 1;  // month 1..12, day 1..31
    auto operator<=>(const Date&) const = default;
};

inline constexpr int kDay = 86400;  // seconds

// The wall clock where the site is. `weekday` (0 Monday .. 6 Sunday) is the date's, as
// local_time() fills it; the schedule itself takes the weekday from the date.
struct LocalTime {
    Date date;
    int weekday = 3;  // 1970-01-01 was a Thursday
    int seconds = 0;  // after local midnight, 0 .. 86399
};

// Open from `start` to `end`, seconds after the midnight that begins the span's day:
// 0 <= start < 86400, start < end <= start + 86400 (an end past 86400 is the next day's
// early hours: "18:00-02:00" is {64800, 93600}; "always" is {0, 86400}).
struct Span {
    int start = 0, end = 0;
    bool operator==(const Span&) const = default;
};

using DayHours = std::vector<Span>;  // in order of start, not overlapping; empty: closed

struct Schedule {
    std::array<DayHours, 7> week;              // Monday .. Sunday
    std::set<Date> closed_dates;               // no span begins that day, whatever its weekday says
    std::map<Date, DayHours> open_dates;       // that day's spans instead of its weekday's
    static Schedule always();                  // open every day, all day: never changes
    const DayHours& hours_on(const Date& date) const;  // what applies that day
    bool ever_open() const;                    // some weekday or special date has a span
};

inline constexpr int kScheduleHorizonDays = 400;

struct ScheduleState {
    bool open = false;
    // Seconds from now until `open` flips (> 0); none: not within kScheduleHorizonDays
    // (every day always, or never open again).
    std::optional<long long> next_change;
    LocalTime next_at;  // the wall clock's reading at that change (meaningful with next_change)
};

// Wall-clock arithmetic: every day is 86400 s long (no clock changes). For tests, and for
// whoever keeps a clock of their own.
ScheduleState schedule_at(const Schedule& schedule, const LocalTime& now);
// The system clock at `now` in the process's time zone (TZ, /etc/localtime): open, and
// the next change in real seconds, clock changes counted as the header says. Some
// hundred clock lookups a week scanned: ask at the change it announced (or once a
// second, to follow a clock set by hand), not every frame.
ScheduleState schedule_at(const Schedule& schedule, std::time_t now);
LocalTime local_time(std::time_t t);  // localtime_r
// The next instant after `now` at which the local clock first reads `day_seconds` (a
// nightly restart): on the night the clocks go forward a time in the missing hour comes
// at the jump; on the night they go back, the first of the two readings.
std::time_t next_daily(int day_seconds, std::time_t now);

// Calendar helpers. days: since 1970-01-01 (negative before).
long long days_from_date(const Date& date);
Date date_from_days(long long days);
int weekday_of(const Date& date);            // 0 Monday .. 6 Sunday
bool valid_date(const Date& date);
const char* weekday_name(int weekday);       // "monday" .. "sunday"
// "2026-12-25", "Fri 2026-12-25 18:00" (LocalTime), "09:00-18:00" / "18:00-02:00" (Span),
// "09:00:30" when there are seconds.
std::string date_text(const Date& date);
std::string clock_text(int seconds);
std::string span_text(const Span& span);
std::string local_time_text(const LocalTime& t);

// Parsing what a site file writes. A time of day "HH:MM" or "HH:MM:SS" (hours may be one
// digit) to seconds, 00:00 .. 23:59:59, and 24:00 when `end` is set; nullopt otherwise.
std::optional<int> parse_clock_time(const std::string& text, bool end = false);
// "09:00-18:00" (spaces around '-' allowed). Errors say what is wrong; "" when it parsed.
std::string parse_span(const std::string& text, Span& out);
// "YYYY-MM-DD", a real day of the calendar (1900 .. 9999).
std::optional<Date> parse_date(const std::string& text);

}  // namespace vitrine::session
