// Opening hours: which spans apply on a day, and a scan forward from the day before now
// through the horizon that joins touching spans (Sunday "always" then Monday "00:00-02:00"
// is one stretch) and stops at the first stretch that ends after now.
#include "session/schedule.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace vitrine::session {

namespace {

// Whether `text[i..]` starts with `n` digits; their value.
bool digits(const std::string& text, size_t i, size_t n, int& out) {
    if (i + n > text.size()) return false;
    out = 0;
    for (size_t k = i; k < i + n; ++k) {
        if (!std::isdigit(static_cast<unsigned char>(text[k]))) return false;
        out = out * 10 + (text[k] - '0');
    }
    return true;
}

std::string trim(const std::string& s) {
    size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

struct Found {
    bool open = false;
    std::optional<long long> at;  // on the scan's axis
    long long wall = 0;           // the wall-clock second (days * 86400 + seconds) of that change
};

// The scan on an axis: `conv` maps a wall-clock second to the axis (the identity, or the
// real instant the clock first reads it); `now` is on the axis. Spans are taken from the
// day before today (one may still be open past midnight) to the horizon.
template <typename Conv>
Found scan(const Schedule& s, long long today, long long now, Conv conv) {
    // Open always, no special dates: nothing to look for (and 400 days of clock lookups saved).
    bool always = s.closed_dates.empty() && s.open_dates.empty();
    for (const DayHours& day : s.week) always = always && day == DayHours{Span{0, kDay}};
    if (always) return {true, std::nullopt, 0};
    const long long first = today - 1, last = today + kScheduleHorizonDays;
    bool have = false;
    long long a = 0, b = 0, a_wall = 0, b_wall = 0;  // the stretch being joined
    for (long long d = first; d <= last; ++d) {
        for (const Span& span : s.hours_on(date_from_days(d))) {
            long long ga = d * kDay + span.start, gb = d * kDay + span.end;
            long long ta = conv(ga), tb = conv(gb);
            if (tb <= ta) continue;  // inside the hour the clocks skip: never open
            if (have && ta <= b) {
                if (tb > b) b = tb, b_wall = gb;
                continue;
            }
            // The stretch before is whole: it decides unless it is over.
            if (have && b > now) return a <= now ? Found{true, b, b_wall} : Found{false, a, a_wall};
            have = true;
            a = ta, b = tb, a_wall = ga, b_wall = gb;
        }
    }
    if (!have || b <= now) return {};
    if (a > now) return {false, a, a_wall};
    // Open now; a stretch that reaches the day after the horizon may go on past it.
    if (b < conv((last + 1) * kDay)) return {true, b, b_wall};
    return {true, std::nullopt, 0};
}

LocalTime from_wall(long long wall) {
    long long days = wall >= 0 ? wall / kDay : -((-wall + kDay - 1) / kDay);
    LocalTime t;
    t.date = date_from_days(days);
    t.weekday = weekday_of(t.date);
    t.seconds = int(wall - days * kDay);
    return t;
}

long long utc_offset(std::time_t t) {
    std::tm tm{};
    localtime_r(&t, &tm);
    return tm.tm_gmtoff;
}

// The first instant at which the local wall clock reads `wall` or later (wall: days since
// 1970-01-01 * 86400 + seconds, as the clock reads). Offsets lie within -12 h .. +14 h, so
// the instant lies within 16 h of `wall` read as UTC; at most one clock change there.
std::time_t first_instant(long long wall) {
    const long long lo = wall - 16 * 3600, hi = wall + 16 * 3600;
    const long long o_lo = utc_offset(std::time_t(lo)), o_hi = utc_offset(std::time_t(hi));
    if (o_lo == o_hi) return std::time_t(wall - o_lo);
    long long l = lo, h = hi;  // the change: the first second with the new offset
    while (h - l > 1) {
        long long m = l + (h - l) / 2;
        (utc_offset(std::time_t(m)) == o_lo ? l : h) = m;
    }
    if (wall - o_lo < h) return std::time_t(wall - o_lo);  // reached before the change
    return std::time_t(std::max(h, wall - o_hi));           // in a skipped hour: the change itself
}

}  // namespace

long long days_from_date(const Date& date) {
    // Howard Hinnant's days_from_civil.
    long long y = date.year - (date.month <= 2 ? 1 : 0);
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long mp = (date.month + 9) % 12;
    long long doy = (153 * mp + 2) / 5 + date.day - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

Date date_from_days(long long z) {
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    int day = int(doy - (153 * mp + 2) / 5 + 1);
    int month = int(mp < 10 ? mp + 3 : mp - 9);
    return Date{int(yoe + era * 400 + (month <= 2 ? 1 : 0)), month, day};
}

int weekday_of(const Date& date) {
    long long d = days_from_date(date);
    return int(((d + 3) % 7 + 7) % 7);  // 1970-01-01: Thursday (3)
}

bool valid_date(const Date& date) {
    if (date.year < 1900 || date.year > 9999 || date.month < 1 || date.month > 12 || date.day < 1) return false;
    static const int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (date.year % 4 == 0 && date.year % 100 != 0) || date.year % 400 == 0;
    return date.day <= kDays[date.month - 1] + (date.month == 2 && leap ? 1 : 0);
}

const char* weekday_name(int weekday) {
    static const char* kNames[7] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    return weekday >= 0 && weekday < 7 ? kNames[weekday] : "?";
}

std::string date_text(const Date& date) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date.year, date.month, date.day);
    return buf;
}

std::string clock_text(int seconds) {
    char buf[32];
    if (seconds % 60)
        std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    else
        std::snprintf(buf, sizeof buf, "%02d:%02d", seconds / 3600, seconds / 60 % 60);
    return buf;
}

std::string span_text(const Span& span) {
    int end = span.end > kDay ? span.end - kDay : span.end;
    return clock_text(span.start) + "-" + clock_text(end);
}

std::string local_time_text(const LocalTime& t) {
    static const char* kShort[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    int wd = weekday_of(t.date);
    return std::string(kShort[wd]) + " " + date_text(t.date) + " " + clock_text(t.seconds);
}

std::optional<int> parse_clock_time(const std::string& text, bool end) {
    int h = 0, m = 0, s = 0;
    size_t i = 0;
    if (digits(text, 0, 2, h)) i = 2;
    else if (digits(text, 0, 1, h)) i = 1;
    else return std::nullopt;
    if (i >= text.size() || text[i] != ':' || !digits(text, i + 1, 2, m)) return std::nullopt;
    i += 3;
    if (i < text.size()) {
        if (text[i] != ':' || !digits(text, i + 1, 2, s) || i + 3 != text.size()) return std::nullopt;
    }
    if (m > 59 || s > 59) return std::nullopt;
    int total = h * 3600 + m * 60 + s;
    if (h < 24) return total;
    if (end && total == kDay) return total;
    return std::nullopt;
}

std::string parse_span(const std::string& text, Span& out) {
    size_t dash = text.find('-');
    if (dash == std::string::npos || text.find('-', dash + 1) != std::string::npos)
        return "a span is written \"HH:MM-HH:MM\"";
    std::string from = trim(text.substr(0, dash)), to = trim(text.substr(dash + 1));
    auto start = parse_clock_time(from), end = parse_clock_time(to, true);
    if (!start) {
        if (parse_clock_time(from, true)) return "24:00 only ends a span: write 00:00";
        return "'" + from + "' is not a time of day (HH:MM, 00:00 to 23:59)";
    }
    if (!end) return "'" + to + "' is not a time of day (HH:MM, 00:00 to 24:00)";
    if (*end == *start) return "it ends when it starts (for the whole day write always)";
    out.start = *start;
    out.end = *end > *start ? *end : *end + kDay;  // past midnight: the next day's early hours
    return "";
}

std::optional<Date> parse_date(const std::string& text) {
    Date d;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(text, 0, 4, d.year) ||
        !digits(text, 5, 2, d.month) || !digits(text, 8, 2, d.day) || !valid_date(d))
        return std::nullopt;
    return d;
}

Schedule Schedule::always() {
    Schedule s;
    for (DayHours& day : s.week) day = {Span{0, kDay}};
    return s;
}

const DayHours& Schedule::hours_on(const Date& date) const {
    static const DayHours kClosed;
    if (auto it = open_dates.find(date); it != open_dates.end()) return it->second;
    if (closed_dates.count(date)) return kClosed;
    return week[size_t(weekday_of(date))];
}

bool Schedule::ever_open() const {
    for (const DayHours& day : week)
        if (!day.empty()) return true;
    for (const auto& [date, day] : open_dates)
        if (!day.empty()) return true;
    return false;
}

LocalTime local_time(std::time_t t) {
    std::tm tm{};
    localtime_r(&t, &tm);
    LocalTime out;
    out.date = Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    out.weekday = (tm.tm_wday + 6) % 7;
    out.seconds = tm.tm_hour * 3600 + tm.tm_min * 60 + std::min(tm.tm_sec, 59);  // a leap second reads :59
    return out;
}

std::time_t next_daily(int day_seconds, std::time_t now) {
    const long long today = days_from_date(local_time(now).date);
    for (long long d = today - 1; d <= today + 2; ++d) {
        std::time_t t = first_instant(d * kDay + day_seconds);
        if (t > now) return t;
    }
    return std::time_t(now + kDay);  // not reached: a day later always reads it again
}

ScheduleState schedule_at(const Schedule& schedule, const LocalTime& now) {
    const long long today = days_from_date(now.date);
    const long long at = today * kDay + now.seconds;
    Found f = scan(schedule, today, at, [](long long wall) { return wall; });
    ScheduleState out;
    out.open = f.open;
    if (f.at) {
        out.next_change = *f.at - at;
        out.next_at = from_wall(f.wall);
    }
    return out;
}

ScheduleState schedule_at(const Schedule& schedule, std::time_t now) {
    const LocalTime local = local_time(now);
    Found f = scan(schedule, days_from_date(local.date), (long long)now,
                   [](long long wall) { return (long long)first_instant(wall); });
    ScheduleState out;
    out.open = f.open;
    if (f.at) {
        out.next_change = *f.at - (long long)now;
        out.next_at = local_time(std::time_t(*f.at));
    }
    return out;
}

}  // namespace vitrine::session
