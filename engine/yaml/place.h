// The YAML plumbing every file format shares (scene, display, site and inputs files):
// where a value was written and a problem found there. Places keep the byte offset too,
// so an editor can write a changed value back in place.
#pragma once
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace vitrine::yaml {

// 1-based line and column in `file` (as given to the loader), and the byte offset of the
// value's first character. line 0: unknown.
struct Loc {
    std::string file;
    int line = 0, column = 0;
    size_t offset = 0;
    std::string str() const;  // "file:line:column"
};

// The location of each key's value of a mapping, by key.
struct Locs {
    std::map<std::string, Loc> by_key;
    Loc at(const std::string& key, const Loc& fallback) const {
        auto it = by_key.find(key);
        return it == by_key.end() ? fallback : it->second;
    }
};

// One problem found while loading: "file:line:column: message".
struct Problem {
    Loc loc;
    std::string message;
    std::string str() const;  // loc.str() + ": " + message
};

// "did you mean" helper: the candidate closest to `word` by edit distance, when close
// enough (distance <= max(1, size/3)); empty otherwise.
std::string nearest(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace vitrine::yaml
