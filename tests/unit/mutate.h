// Deterministic random damage to a text file (YAML scene and display files): 1 to 8
// edits — a few characters deleted, a run repeated, a character replaced by one that
// matters to YAML. The parsers must report problems for whatever comes out, never crash.
#pragma once
#include <random>
#include <string>

namespace vitrine::test {

inline std::string mutate_yaml(std::string text, std::mt19937& rng) {
    static const std::string alphabet = "abz019:-[]{},.\"'#&*!|>? \n\t";
    int edits = 1 + int(rng() % 8);
    for (int e = 0; e < edits && !text.empty(); ++e) {
        size_t at = rng() % text.size();
        switch (rng() % 3) {
            case 0: text.erase(at, 1 + rng() % 4); break;
            case 1: text.insert(at, text.substr(at, 1 + rng() % 20)); break;
            default: text[at] = alphabet[rng() % alphabet.size()]; break;
        }
    }
    return text;
}

}  // namespace vitrine::test
