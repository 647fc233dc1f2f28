#include "app/args.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

namespace vitrine::app {

namespace {

// Flags whose value names a file or folder.
bool is_path_flag(const std::string& flag) {
    for (const char* f : {"--out", "--record", "--audio", "--inputs", "--display", "--env", "--quilt", "--corpus",
                          "--pyramid", "--preview-mask"})
        if (flag == f) return true;
    return false;
}

// A whole number of 1 to 65536 written in decimal digits only (no sign, no overflow).
bool side(const std::string& s, uint32_t* out) {
    if (s.empty() || s.size() > 6) return false;
    uint32_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + uint32_t(c - '0');
    }
    if (v < 1 || v > 65536) return false;
    *out = v;
    return true;
}

}  // namespace

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
        if (std::find(known.begin(), known.end(), s) == known.end()) {
            std::error_code ec;  // a file whose name starts with "--" reads as an option
            if (std::filesystem::exists(s, ec))
                return fail("unknown option " + s + " (to name the file of that name, write ./" + s + ")");
            return fail("unknown option " + s);
        }
        if (i + 1 >= argc) return fail("option " + s + " needs a value");
        // An empty value is never meant: `--out ""` would write a file without a name.
        if (!*argv[i + 1])
            return fail(s + " \"\" is empty: " + (is_path_flag(s) ? "an empty path names no file" : "it needs a value"));
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
    // A sanity bound only: what the GPU can draw is checked against its limits later.
    // Digits only, so "4294967297x1" is refused rather than wrapped to 1x1.
    const std::string& v = it->second;
    const size_t x = v.find('x');
    uint32_t a = 0, b = 0;
    if (x == std::string::npos || !side(v.substr(0, x), &a) || !side(v.substr(x + 1), &b))
        return fail(flag + " expects WIDTHxHEIGHT, each a whole number from 1 to 65536, got '" + v + "'");
    return std::pair{a, b};
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
