// The site file (`*.site.yaml`, format in docs/site-file.md): an installation that runs
// for months under systemd (`vitrine kiosk SITE`). Which scene it shows and on which
// display, the output, the opening hours and what is shown outside them, the nightly
// restart, the OSC control port, the sound, the metrics page and the watchdog. Plain
// data; every value's place kept (`locs`), every problem reported with its place.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "audio/layout.h"
#include "room/display_file.h"
#include "session/schedule.h"
#include "show/osc.h"
#include "show/scene_file.h"

namespace vitrine::session {

// Where the show is drawn: a monitor by name (as GLFW names it, e.g. "HDMI-1") or by
// index in GLFW's list; neither: the primary monitor.
struct SiteOutput {
    std::string monitor;     // "" : by index or the primary
    int monitor_index = -1;  // -1: by name or the primary
    bool fullscreen = true;
};

struct SiteFile {
    std::filesystem::path file;
    // Paths are the site file's folder joined with what the file writes (as given on the
    // command line, so problems in them name them the same way); checked to stay inside
    // that folder and to be regular files.
    std::filesystem::path scene;
    std::filesystem::path display_file;         // empty: none (each scene's own `display:` applies)
    std::optional<room::DisplayFile> display;   // loaded by load_site when display_file is given
    SiteOutput output;
    Schedule schedule = Schedule::always();     // without `hours`: always open
    std::filesystem::path outside_scene;        // empty: black and silent outside hours
    std::optional<int> restart;                 // nightly restart, seconds after midnight
    std::optional<show::OscOptions> osc = show::OscOptions{};  // none (`osc: off`): no control port
    std::optional<audio::Layout> audio = audio::Layout::Stereo;  // none (`layout: none`): silent
    std::optional<uint16_t> metrics_port;       // none: no metrics page
    double watchdog = 10;                       // seconds, for the systemd unit's WatchdogSec
    // Where each value is: top-level keys ("scene", "hours", ...), and nested ones dotted
    // ("osc.port", "output.monitor", "hours.monday", "closed_dates.2026-12-25",
    // "open_dates.2026-12-28").
    show::Loc loc;
    show::Locs locs;
};

// The site file's own text: every key and value checked, paths resolved and confirmed
// to be files (nothing they reference is read). Problems are appended in reading order.
SiteFile parse_site(const std::filesystem::path& file, const std::string& text, std::vector<show::Problem>& problems);

// Reads the file, parses it, and checks everything it references as `vitrine check`
// would: the scene and the outside-hours scene loaded in full (show::load_scene: models,
// pyramids, sounds, hooks, validation), the site's display file (room::load_display,
// kept in `display`), or else each scene's own display file. Their problems follow the
// site file's. The result is only meaningful when `problems` stayed empty.
SiteFile load_site(const std::filesystem::path& file, std::vector<show::Problem>& problems);

bool is_site_file(const std::string& path);  // ends in .site.yaml or .site.yml

}  // namespace vitrine::session
