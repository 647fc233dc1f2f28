// Every command's usage text, in one table (usage.cpp): what `vitrine --help`,
// `vitrine help CMD` and `vitrine CMD --help` print, and what usage errors repeat.
#pragma once
#include <string>
#include <vector>

namespace vitrine::app {

// The project version from CMake (e.g. "0.1"): `vitrine --version` prints "vitrine 0.1".
const char* version();

// Commands with a usage entry, in the order `vitrine --help` lists them.
std::vector<std::string> usage_commands();

// A command's whole help text: its synopsis lines, then its options, one per line;
// "" for an unknown command. A form's key names one form of a command ("render scene",
// "render display", "render model", "render pyramid", "view model", "view pyramid",
// "bench display", "bench pyramid", "bench audio", "bench show", ...): its synopsis and
// the command's options.
std::string usage(const std::string& command);

// The synopsis lines alone ("usage: vitrine send [--wait MS] HOST:PORT /ADDRESS ..."),
// for a command or a form's key; "" for an unknown one.
std::string synopsis(const std::string& command);

// A usage error: one `error:` line (message, or the command's first synopsis line when
// message is empty), then the synopsis and where the options are (no further `error:`).
void usage_error(const std::string& command, const std::string& message = "");

// `vitrine --help`: every command's synopsis, the shared options and the exit codes.
std::string overview();

}  // namespace vitrine::app
