// The clocks of a live session. Show time runs on a monotonic clock (never stepped by
// NTP or daylight saving), with pause and seek. Civil time — the time of day and the
// date a show's `time_of_day` transitions and os.time() follow — is read from the system
// every frame, so when the wall clock steps (a DST change, an NTP correction, someone
// setting it back an hour) the show hears of it at once. Both come from functions that
// tests replace (an injected clock).
#pragma once
#include <functional>
#include <optional>

#include "show/show.h"

namespace vitrine::session {

struct CivilTime {
    double day_seconds = 0;  // seconds after local midnight, 0 .. 86400
    double epoch = 0;        // seconds since 1970-01-01 UTC
};

// How far civil time is from the time of day a show believes (seconds, -43200 .. 43200:
// the shorter way round midnight). Beyond kClockStep the wall clock has stepped (DST,
// NTP, set by hand) and the show is told (a Clock input).
double clock_offset(double show_day_seconds, double civil_day_seconds);
inline constexpr double kClockStep = 1.0;

// What a live show is told when the wall clock has stepped: `civil` read at show time
// `now` (the frame's, >= show.now()) is compared with the time of day the show believes
// then; beyond kClockStep, a Clock input at `now` that re-anchors the show's civil clock
// (time_of_day transitions then fire at the wall clock's HH:MM). Nothing otherwise.
std::optional<show::Input> civil_input(const show::Show& show, double now, const CivilTime& civil);

double steady_seconds();       // the system's monotonic clock, seconds
CivilTime local_civil_time();  // the system's wall clock, in local time

class ShowClock {
public:
    using Monotonic = std::function<double()>;
    using Civil = std::function<CivilTime()>;
    explicit ShowClock(Monotonic monotonic = steady_seconds, Civil civil = local_civil_time);

    double now() const;        // show time
    void set(double show_time);  // from now on, show time runs on from here
    void pause();              // show time stands still until resume()
    void resume();
    bool paused() const { return paused_; }
    CivilTime civil() const { return civil_(); }
    double monotonic() const { return monotonic_(); }  // the clock show time runs on (retries and rates use it too)

private:
    Monotonic monotonic_;
    Civil civil_;
    double base_show_ = 0, base_mono_ = 0;  // show time = base_show_ + (monotonic - base_mono_)
    bool paused_ = false;
};

}  // namespace vitrine::session
