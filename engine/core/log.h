// Logging to stderr. Info lines can be silenced (--quiet); warnings and errors never.
#pragma once
#include <string>

namespace vitrine::log {

void set_quiet(bool quiet);
void info(const std::string& line);
void warn(const std::string& line);
void error(const std::string& line);

}  // namespace vitrine::log
