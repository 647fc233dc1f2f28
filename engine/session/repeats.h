// One line per event on stderr (journald reads it): a warning that repeats — a hook
// failing on every cue, a control desk sending an unknown cue every second — is printed
// once, then held back and counted for `window` seconds; when the window has passed, one
// line says how many were held back. A kiosk's log stays readable after months.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace vitrine::session {

class Repeats {
public:
    explicit Repeats(double window_seconds = 60) : window_(window_seconds) {}
    // True: print `line` now. False: a repeat within the window, counted.
    bool pass(const std::string& line, double now);
    // The lines whose window has passed with repeats held back:
    // "LINE (repeated 12 more times in 60 s)". Call once in a while (every frame is fine).
    std::vector<std::string> due(double now);

    static constexpr size_t kLines = 256;  // distinct lines remembered at most

private:
    struct Seen {
        double printed = 0;
        long held = 0;
    };
    double window_;
    std::map<std::string, Seen> seen_;
};

}  // namespace vitrine::session
