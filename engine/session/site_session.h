// How a site's scene becomes a Session: the kiosk (and its soak) open one of the site's
// scenes in the site's window with the site's control port, sound and display (or the
// scene's own `display:`), the picture's aspect and the kiosk's tile fades.
#pragma once
#include <filesystem>

#include "core/result.h"
#include "session/session.h"
#include "session/site_file.h"

namespace vitrine::session {

Result<SessionOptions> site_session_options(const SiteFile& site, const std::filesystem::path& scene,
                                            const display::Window& window, double hook_budget_seconds,
                                            gpu::Validation validation);

// Whether two versions of a site file run their shows the same way (scenes, control
// port, sound; and no display file, which is read only when a show opens): a SIGHUP that
// changes only the schedule keeps the show running.
bool same_show(const SiteFile& a, const SiteFile& b);

}  // namespace vitrine::session
