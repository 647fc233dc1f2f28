#include "session/repeats.h"

#include <cstdio>

namespace vitrine::session {

bool Repeats::pass(const std::string& line, double now) {
    auto it = seen_.find(line);
    if (it != seen_.end() && now - it->second.printed < window_) {
        ++it->second.held;
        return false;
    }
    if (it == seen_.end() && seen_.size() >= kLines) {
        // Forget the line printed longest ago (its held repeats, if any, are lost: rare).
        auto oldest = seen_.begin();
        for (auto i = seen_.begin(); i != seen_.end(); ++i)
            if (i->second.printed < oldest->second.printed) oldest = i;
        seen_.erase(oldest);
    }
    seen_[line] = {now, 0};
    return true;
}

std::vector<std::string> Repeats::due(double now) {
    std::vector<std::string> out;
    for (auto it = seen_.begin(); it != seen_.end();) {
        if (now - it->second.printed < window_) {
            ++it;
            continue;
        }
        if (it->second.held > 0) {
            char tail[64];
            std::snprintf(tail, sizeof tail, " (repeated %ld more time%s in %g s)", it->second.held,
                          it->second.held == 1 ? "" : "s", window_);
            out.push_back(it->first + tail);
        }
        it = seen_.erase(it);
    }
    return out;
}

}  // namespace vitrine::session
