#include "app/args.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace vitrine::app {

Result<Args> Args::parse(int argc, char** argv, int first, const std::vector<std::string>& known,
                         const std::vector<std::string>& switches) {
    Args a;
    for (int i = first; i < argc; ++i) {
        std::string s = argv[i];
        if (s.rfind("--", 0) != 0) {
            a.words_.push_back(s);
            continue;
        }
        if (std::find(switches.begin(), switches.end(), s) != switches.end()) {
            a.values_[s] = "1";
            continue;
        }
        if (std::find(known.begin(), known.end(), s) == known.end()) return fail("unknown option " + s);
        if (i + 1 >= argc) return fail("option " + s + " needs a value");
        a.values_[s] = argv[++i];
    }
    return a;
}

std::string Args::get(const std::string& flag, const std::string& fallback) const {
    auto it = values_.find(flag);
    return it == values_.end() ? fallback : it->second;
}

Result<float> Args::number(const std::string& flag, float fallback) const {
    auto it = values_.find(flag);
    if (it == values_.end()) return fallback;
    char* end = nullptr;
    float v = std::strtof(it->second.c_str(), &end);
    if (!end || *end || it->second.empty() || !std::isfinite(v)) return fail(flag + " expects a number, got '" + it->second + "'");
    return v;
}

Result<double> Args::seconds(const std::string& flag, double fallback) const {
    auto it = values_.find(flag);
    if (it == values_.end()) return fallback;
    char* end = nullptr;
    double v = std::strtod(it->second.c_str(), &end);
    if (!end || *end || it->second.empty() || !std::isfinite(v) || v < 0 || v > 1e7)
        return fail(flag + " expects seconds (0 or more), got '" + it->second + "'");
    return v;
}

Result<int> Args::integer(const std::string& flag, int fallback) const {
    auto it = values_.find(flag);
    if (it == values_.end()) return fallback;
    char* end = nullptr;
    long v = std::strtol(it->second.c_str(), &end, 10);
    if (!end || *end || it->second.empty() || v < -1000000 || v > 1000000)
        return fail(flag + " expects a whole number, got '" + it->second + "'");
    return int(v);
}

Result<std::pair<uint32_t, uint32_t>> Args::size(const std::string& flag, uint32_t w, uint32_t h) const {
    auto it = values_.find(flag);
    if (it == values_.end()) return std::pair{w, h};
    unsigned a = 0, b = 0;
    char x = 0, extra = 0;
    // A sanity bound only: what the GPU can draw is checked against its limits later.
    if (std::sscanf(it->second.c_str(), "%u%c%u%c", &a, &x, &b, &extra) != 3 || x != 'x' || a == 0 || b == 0 ||
        a > 65536 || b > 65536)
        return fail(flag + " expects WIDTHxHEIGHT between 1 and 65536, got '" + it->second + "'");
    return std::pair{uint32_t(a), uint32_t(b)};
}

Validation validation_requested() {
    const char* v = std::getenv("VITRINE_VALIDATION");
    if (v && *v) return std::string(v) == "0" ? Validation::Off : Validation::Required;
#ifdef NDEBUG
    return Validation::Off;
#else
    return Validation::IfInstalled;  // debug builds validate whenever the layer is there
#endif
}

Result<uint64_t> tile_memory_option(const Args& args) {
    auto mb = args.integer("--tile-memory", 256);
    if (!mb || mb.value() < 1 || mb.value() > 16384) return fail("--tile-memory expects megabytes, 1 to 16384");
    return uint64_t(mb.value()) << 20;
}

}  // namespace vitrine::app
