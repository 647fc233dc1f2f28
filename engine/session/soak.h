// `vitrine kiosk SITE --simulate 30d`: a month of an installation in minutes. The real
// Session of the site's scene, in a real window, runs on an accelerated clock: show time
// and civil time jump ahead a simulated minute per step (the show still advances through
// each of its events at its own time), a frame is drawn every simulated quarter hour,
// visitors touch the picture at random (a fixed seed), and at 1 hour, 1, 7 and 30 days
// (those within the span) it prints resident memory, GPU memory, open files, threads and
// what a seek 10 minutes back and a hot reload cost then. The show runs on its own copy of
// its files (session/soak_files.h), so with `faults` it can break and mend them: a lost
// GPU, a lost sound device, a model replaced by a corrupt one and then fixed, the scene
// replaced by a broken one and then fixed, the wall clock stepped +1 h and -1 h, SIGHUP,
// the output's monitor gone and back — each must leave the show on screen (a picture
// written after each, in the scratch folder) or the soak fails. The site's schedule is not
// simulated: its scene runs the whole span.
#pragma once
#include <ctime>
#include <filesystem>
#include <optional>
#include <utility>

#include "gpu/context.h"

namespace vitrine::session {

struct SoakOptions {
    std::filesystem::path site;
    double seconds = 30 * 86400.0;               // simulated span
    double touches_per_hour = 0;
    std::optional<std::pair<uint32_t, uint32_t>> size;  // a window of this size; none: as the site's output says
    bool faults = false;
    std::optional<std::time_t> start_at;         // civil time at the start (default: now)
    std::filesystem::path scratch;               // the show's copy and the pictures (default: a new temporary folder)
    double hook_budget_seconds = 0.05;
    gpu::Validation validation = gpu::Validation::Off;
    uint32_t seed = 1;
};

// Prints the table (and a line per fault) on stdout; 0 when every fault was survived.
int run_soak(const SoakOptions& options);

// "30d", "12h", "90m", "3600s" or seconds: the span in seconds (nullopt: not one).
std::optional<double> parse_span(const std::string& text);

}  // namespace vitrine::session
