#include "core/log.h"

#include <cstdio>

namespace vitrine::log {

static bool g_quiet = false;

void set_quiet(bool quiet) { g_quiet = quiet; }
void info(const std::string& line) {
    if (!g_quiet) std::fprintf(stderr, "vitrine: %s\n", line.c_str());
}
void warn(const std::string& line) { std::fprintf(stderr, "vitrine: warning: %s\n", line.c_str()); }
void error(const std::string& line) { std::fprintf(stderr, "vitrine: error: %s\n", line.c_str()); }

}  // namespace vitrine::log
