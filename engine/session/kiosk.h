// `vitrine kiosk SITE`: an installation that runs for months. The site file says what is
// shown when (session/site_file.h); the kiosk opens the window on the site's monitor
// (waiting, with one log line, while there is no display), and runs a Session of the
// site's scene while the schedule says open and of the outside-hours scene (or black and
// silent) while closed, switching at the schedule's changes. Under systemd (a Type=notify
// unit, `vitrine kiosk install`) it says READY=1 after the first frame is presented,
// WATCHDOG=1 while frames complete and STATUS= with the state, show time and frame rate;
// a loop stuck past the watchdog is restarted by systemd and comes back in the state the
// schedule says. SIGHUP reloads the site file and its scenes (a broken version is
// refused and the running one goes on); the nightly restart time restarts the process.
#pragma once
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "display/rig.h"
#include "session/site_file.h"

namespace vitrine::session {

struct KioskOptions {
    std::filesystem::path site;
    std::vector<std::string> argv;  // the command line, for the nightly restart without systemd
    // The metrics page's port instead of the site's `metrics: {port: P}` (0: any free port).
    std::optional<uint16_t> metrics_port;
    // Tests: a window of this size instead of fullscreen; close after N frames shown;
    // the schedule's clock starting at this local time (then running on); freeze the frame
    // loop at frame N (VITRINE_FAULT=hang@N).
    std::optional<std::pair<uint32_t, uint32_t>> window;
    long frames = 0;
    std::optional<std::time_t> start_at;
    long hang_at = -1;
    double hook_budget_seconds = 0.05;
    gpu::Validation validation = gpu::Validation::Off;
};

// Runs until SIGTERM/SIGINT (exit 0), a fault it cannot recover from, or the nightly
// restart. Returns the exit code. With a metrics port, the page (session/metrics.h) is
// opened once at the start and holds the kiosk's counts across schedule changes; a port
// it cannot bind is one error line, and the kiosk runs on without it.
int run_kiosk(const KioskOptions& options);

// The systemd unit for `site` (Type=notify, WatchdogSec from the site, Restart=always).
std::string kiosk_unit(const std::filesystem::path& vitrine, const std::filesystem::path& site, const SiteFile& s,
                       bool user);

}  // namespace vitrine::session
