// Offline frame sequences: "%05d" frame numbers in --out, the progress bar, and the
// scripted inputs a render replays.
#pragma once
#include <chrono>
#include <string>
#include <vector>

#include "core/outputs.h"
#include "core/result.h"
#include "show/inputs.h"

namespace vitrine::app {

// "%05d"-style frame numbers in --out: one integer conversion, "%%" for a percent sign.
Result<std::string> frame_path(const std::string& pattern, long index, bool* numbered);
// A progress bar with ETA on a terminal; otherwise (a log) one line every 30 s.
void progress(long done, long total, std::chrono::steady_clock::time_point start);
// A long job (a render of a million frames may run for a day) stops cleanly on SIGINT or
// SIGTERM: the loops ask stop_requested() before each frame, finish the frames in flight
// (every file written whole, none half-written) and end with ErrorKind::Interrupted. A
// second signal ends the process at once.
void stop_on_signals();
int stop_requested();  // the signal that arrived, or 0
Error stopped(long frames_done);
// Before a render starts (after outputs::set_force): refuses, in one line, any frame path of `pattern`
// (frames 0 .. count-1) that may not be written as `kind` (core/outputs.h), so a typo
// that names an input fails before the first frame, not after an hour.
Result<void> check_outputs(const std::string& pattern, long count, outputs::Kind kind = outputs::Kind::Png);  // "stopped by SIGTERM after 1200 frames (every finished frame kept)"
Result<std::vector<show::Input>> read_inputs(const std::string& path);

}  // namespace vitrine::app
