// The small pieces every file format's messages are built from, so all messages quote,
// list and format numbers the same way.
#pragma once
#include <cstdio>
#include <string>
#include <vector>

#include "yaml/place.h"

namespace vitrine::yaml::wording {

// Numbers as a person writes them: 40, 2.5, 0.1 (not 40.000000).
inline std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

inline std::string q(const std::string& s) { return "'" + s + "'"; }

inline std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) {
        if (i) out += sep;
        out += items[i];
    }
    return out;
}

// " (did you mean 'x'?)" for a near miss, else nothing.
inline std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
    std::string best = nearest(word, candidates);
    return best.empty() ? std::string() : " (did you mean " + q(best) + "?)";
}

// "1 number", "3 numbers".
inline std::string numbers(size_t n) { return std::to_string(n) + (n == 1 ? " number" : " numbers"); }

}  // namespace vitrine::yaml::wording
