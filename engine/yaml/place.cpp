#include "yaml/place.h"

#include <algorithm>

namespace vitrine::yaml {

std::string Loc::str() const {
    // An unknown position still names the file, so a message always says which file.
    if (line <= 0) return file;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string Problem::str() const { return loc.str() + ": " + message; }

namespace {

size_t edit_distance(const std::string& a, const std::string& b) {
    // One row of the Levenshtein table at a time.
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

std::string nearest(const std::string& word, const std::vector<std::string>& candidates) {
    size_t limit = std::max<size_t>(1, word.size() / 3);
    std::string best;
    size_t best_distance = limit + 1;
    for (const std::string& c : candidates) {
        // The distance is at least the difference in length: skip hopeless ones cheaply.
        size_t gap = c.size() > word.size() ? c.size() - word.size() : word.size() - c.size();
        if (c.empty() || gap > limit) continue;
        size_t d = edit_distance(word, c);
        if (d < best_distance) {
            best_distance = d;
            best = c;
        }
    }
    return best;
}

}  // namespace vitrine::yaml
