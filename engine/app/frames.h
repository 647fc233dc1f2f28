// Offline frame sequences: "%05d" frame numbers in --out, the progress bar, and the
// scripted inputs a render replays.
#pragma once
#include <chrono>
#include <string>
#include <vector>

#include "core/result.h"
#include "show/inputs.h"

namespace vitrine::app {

// "%05d"-style frame numbers in --out: one integer conversion, "%%" for a percent sign.
Result<std::string> frame_path(const std::string& pattern, long index, bool* numbered);
// A progress bar with ETA on a terminal (nothing otherwise).
void progress(long done, long total, std::chrono::steady_clock::time_point start);
Result<std::vector<show::Input>> read_inputs(const std::string& path);

}  // namespace vitrine::app
