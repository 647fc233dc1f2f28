// Inputs a show receives, each at a show time: touches and control messages. Live ones
// come from the window and OSC; offline runs and tests read them from a file
// (`--inputs FILE.yaml`):
//   inputs:
//     - { t: 3.0, touch: vase }          # a touch on a node (its bounds)
//     - { t: 3.5, touch: [0.5, 0.4] }    # a touch at a point of the picture (0..1, y down)
//     - { t: 5.0, osc: /vitrine/state, args: [tour] }
//     - { t: 6.0, go: true }             # same as osc /vitrine/go
//     - { t: 7.0, clock: "19:10" }       # the civil clock stepped: it reads 19:10 now
//     - { t: 8.0, clock: "18:10:30", epoch: 1711846230 }  # and os.time() reads that
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "show/scene_file.h"

namespace vitrine::show {

// Clock: the civil clock read `time_of_day` (seconds after local midnight) and `epoch`
// (seconds since 1970, for os.time()) at this show time: a daylight saving change or an
// NTP step. It re-anchors the show's clock (Show::time_of_day); it is not a visitor's
// input (the idle clock goes on).
enum class InputKind { TouchNode, TouchAt, Osc, Clock };

struct Input {
    double t = 0;  // show time, seconds
    InputKind kind = InputKind::Osc;
    std::string node;        // TouchNode
    float x = 0, y = 0;      // TouchAt: 0..1 across the picture, y down
    float aspect = 0;        // TouchAt: the picture's width / height (0: ShowOptions::aspect)
    std::string address;     // Osc, e.g. "/vitrine/cue"
    std::vector<std::string> args;  // Osc arguments as text (numbers formatted with %g)
    double time_of_day = 0;  // Clock: seconds after local midnight, [0, 86400)
    double epoch = 0;        // Clock: seconds since 1970 (< 0: not known; os.time() moves by the step)
    Loc loc;                 // where a scripted input was written
};

// Inputs in non-decreasing t (an input earlier than the one before it is a problem).
std::vector<Input> parse_inputs(const std::filesystem::path& file, const std::string& text,
                                std::vector<Problem>& problems);

}  // namespace vitrine::show
