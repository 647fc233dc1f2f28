#include "session/clock.h"

#include <chrono>
#include <cmath>
#include <ctime>

namespace vitrine::session {

double clock_offset(double show_day_seconds, double civil_day_seconds) {
    double d = std::fmod(civil_day_seconds - show_day_seconds, 86400.0);
    if (d > 43200) d -= 86400;
    if (d < -43200) d += 86400;
    return d;
}

std::optional<show::Input> civil_input(const show::Show& show, double now, const CivilTime& civil) {
    double believed = show.time_of_day() + (now - show.now());
    if (std::abs(clock_offset(believed, civil.day_seconds)) <= kClockStep) return std::nullopt;
    show::Input in;
    in.t = now;
    in.kind = show::InputKind::Clock;
    in.time_of_day = std::fmod(std::max(civil.day_seconds, 0.0), 86400.0);
    in.epoch = civil.epoch;
    return in;
}

double steady_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

CivilTime local_civil_time() {
    auto now = std::chrono::system_clock::now();
    double epoch = std::chrono::duration<double>(now.time_since_epoch()).count();
    std::time_t whole = std::time_t(std::floor(epoch));
    std::tm local{};
    localtime_r(&whole, &local);
    CivilTime c;
    c.epoch = epoch;
    c.day_seconds = local.tm_hour * 3600.0 + local.tm_min * 60.0 + local.tm_sec + (epoch - double(whole));
    return c;
}

ShowClock::ShowClock(Monotonic monotonic, Civil civil) : monotonic_(std::move(monotonic)), civil_(std::move(civil)) {
    base_mono_ = monotonic_();
}

double ShowClock::now() const { return paused_ ? base_show_ : base_show_ + (monotonic_() - base_mono_); }

void ShowClock::set(double show_time) {
    base_show_ = show_time;
    base_mono_ = monotonic_();
}

void ShowClock::pause() {
    if (paused_) return;
    base_show_ = now();
    paused_ = true;
}

void ShowClock::resume() {
    if (!paused_) return;
    paused_ = false;
    base_mono_ = monotonic_();
}

}  // namespace vitrine::session
