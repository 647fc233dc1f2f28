// `vitrine edit SCENE` with a window: a live Session of the scene (the show as the kiosk
// draws it, its OSC port taking /vitrine/edit) with the editor's panels over it
// (engine/editor). The document is the session's: an edit from the panels, from OSC or
// an undo replaces the running show at the same show time.
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "app/args.h"
#include "app/commands.h"
#include "app/gpu_stage.h"
#include "app/usage.h"
#include "audio/layout.h"
#include "core/log.h"
#include "edit/document.h"
#include "editor/editor.h"
#include "session/session.h"

namespace vitrine::app {

int cmd_edit_window(std::unique_ptr<edit::Document> document, const Args& args) {
    auto size = args.size("--size", 1280, 720);
    auto frames = args.integer("--frames", 0);  // > 0: close after N frames (tests)
    auto port = args.integer("--osc-port", 9000);
    auto scale = args.number("--ui-scale", 1);
    auto time = args.seconds("--time", -1);
    for (const Error* e : {size ? nullptr : &size.error(), frames ? nullptr : &frames.error(), port ? nullptr : &port.error(),
                           scale ? nullptr : &scale.error(), time ? nullptr : &time.error()})
        if (e) { log::error(e->message); return kBadInput; }
    if (*scale < 0.5f || *scale > 4) { log::error("--ui-scale expects 0.5 to 4"); return kBadInput; }
    if (*port < 0 || *port > 65535) { log::error("--osc-port expects 0..65535"); return kBadInput; }
    const char* display = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    if ((!display || !*display) && (!wayland || !*wayland)) {
        log::error("vitrine edit: no display (DISPLAY and WAYLAND_DISPLAY are unset); edit without a window with "
                   "`vitrine edit " + document->path().string() + " --script EDITS.txt --save`");
        return kGpuFailure;
    }
    session::SessionOptions so;
    so.scene = document->path().string();
    if (args.has("--display")) {
        so.display = session::load_display_file(args.get("--display", ""));
        if (!so.display) return kBadInput;
    }
    so.show.aspect = float(size->first) / float(size->second);
    show::OscOptions oo;
    oo.port = uint16_t(*port);
    so.osc = oo;
    if (!args.has("--no-audio")) so.audio = audio::Layout::Stereo;
    so.record = args.get("--record", "");
    if (!so.record.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(so.record, ec);
    }
    auto win = open_window(args, *size);
    if (!win) { log::error(win.error().message); return exit_code(win.error().kind); }
    display::Window& w = *win.value();
    w.set_title("vitrine edit " + so.scene);
    so.rig = w.rig_options(validation_requested());
    so.rig.tile_fade_frames = 8;
    auto opened = session::Session::open(so, w);
    if (!opened) {
        log::error(opened.error().message);
        return exit_code(opened.error().kind);
    }
    session::Session& s = *opened.value();
    edit::Document& doc = *document;
    s.set_document(std::move(document));
    editor::Ui ui(*scale);
    editor::Editor editor(s, doc, ui);
    s.set_window_filter([&](const display::WindowEvent& e) { return editor.take(e); });
    std::vector<session::Event> events;
    if (*time >= 0) {  // --time T: stopped at exactly T (the frame `render --time T` gives)
        events.push_back({session::Event::Kind::Pause});
        session::Event seek{session::Event::Kind::Seek};
        seek.seconds = *time;
        events.push_back(seek);
    }
    log::info("edit: " + so.scene + " (OSC /vitrine/edit on port " + std::to_string(s.osc_port()) +
              "); click selects, drag an arrow to move, C editor camera, Ctrl+S saves, Esc quits");
    auto last = std::chrono::steady_clock::now();
    while (!editor.quit()) {
        if (s.closing() && editor.may_close()) break;
        auto t = std::chrono::steady_clock::now();
        double dt = std::chrono::duration<double>(t - last).count();
        last = t;
        uint32_t fw = 0, fh = 0;
        s.output().size(&fw, &fh);
        for (session::Event& e : editor.frame(fw, fh, dt)) events.push_back(std::move(e));
        if (auto r = s.step(std::move(events)); !r) {
            log::error(r.error().message);
            break;
        }
        events.clear();
        if (*frames > 0 && s.frames_shown() >= uint64_t(*frames)) break;
        if (s.closing() && doc.unsaved()) {
            // The window is going whatever we say: the edits are kept beside the file.
            std::filesystem::path keep = doc.path();
            keep += ".unsaved";
            if (auto r = doc.save_as(keep, true); r) log::warn("edit: the window closed with unsaved edits: kept in " + keep.string());
            break;
        }
    }
    if (doc.unsaved() && !editor.quit() && !(s.closing()))
        log::warn("edit: closing with unsaved edits in " + doc.path().string());
    if (auto r = w.finish_recording(); !r) log::error(r.error().message);
    return s.finish(kOk);
}

}  // namespace vitrine::app
