#include "session/site_session.h"

namespace vitrine::session {

Result<SessionOptions> site_session_options(const SiteFile& site, const std::filesystem::path& scene,
                                            const display::Window& window, double hook_budget_seconds,
                                            gpu::Validation validation) {
    SessionOptions so;
    so.scene = scene.string();
    if (site.display) {
        so.display = site.display;
    } else if (std::string d = scene_display(so.scene); !d.empty()) {
        so.display = load_display_file(d);
        if (!so.display) return fail(ErrorKind::BadInput, d + ": the display file has problems");
    }
    so.show.hook_limits.wall_seconds = hook_budget_seconds;
    uint32_t fw = 0, fh = 0;
    window.framebuffer_size(&fw, &fh);
    so.show.aspect = fh ? float(fw) / float(fh) : 16.0f / 9.0f;
    so.osc = site.osc;
    so.audio = site.audio;
    so.rig = window.rig_options(validation);
    so.rig.tile_fade_frames = 8;
    return so;
}

bool same_show(const SiteFile& a, const SiteFile& b) {
    auto osc = [](const std::optional<show::OscOptions>& o) {
        return o ? o->host + ":" + std::to_string(o->port) + ":" + o->secret : std::string("off");
    };
    // A display file is read only when a show opens (it is not watched like the scene):
    // where one is in play, a SIGHUP opens the show again so that its edits apply.
    bool displays = !a.display_file.empty() || !b.display_file.empty() || !scene_display(a.scene.string()).empty() ||
                    (!a.outside_scene.empty() && !scene_display(a.outside_scene.string()).empty());
    return !displays && a.scene == b.scene && a.outside_scene == b.outside_scene && osc(a.osc) == osc(b.osc) &&
           a.audio == b.audio;
}

}  // namespace vitrine::session
