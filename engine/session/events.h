// What a live session is told, from any source: the window (a click is a touch, keys),
// the OSC control port, a signal, a test. Plain data; Session::step stamps each with the
// show time of the frame it arrives in.
#pragma once
#include <string>
#include <vector>

#include <glm/glm.hpp>

namespace vitrine::session {

struct Event {
    enum class Kind {
        TouchAt,     // x, y: 0..1 of the picture, y down (picked through what was drawn there)
        TouchNode,   // node: a touch on that node ("" = on nothing)
        Osc,         // address, args: the show's own vocabulary (/vitrine/go, /vitrine/cue, triggers, ...)
        Seek,        // seconds: show time to go to
        Pause,       // show time stands still
        Resume,
        Eye,         // eye: the tracked visitor's eye, metres in the room
        Status,      // reply to `sender` with state, show time, cue, sound (OSC /vitrine/status)
        Fullscreen,  // toggle the window's fullscreen
        Panel,       // the technician's status panel: args {"on"} / {"off"}, none: toggle (key I, OSC /vitrine/panel)
        Edit,        // args: one editor command (docs/editor.md) for the show's scene file; replied to `sender`
        Quit,
    };
    Kind kind = Kind::Osc;
    double x = 0, y = 0;
    std::string node;
    std::string address;
    std::vector<std::string> args;
    uint64_t sender = 0;  // Status, Edit: the OscServer's handle of who asked (valid for this frame; 0: nobody)
    double seconds = 0;
    glm::dvec3 eye{0};
};

}  // namespace vitrine::session
