// A YAML file's structure over its own text: every mapping, sequence and scalar with
// the byte span it occupies, so an editor can change one value, or insert and remove
// entries and items, and leave every other byte (comments, key order, blank lines,
// quoting, indentation) as it was. yaml-cpp parses; this only remembers where.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vitrine::yaml {

struct TextNode {
    enum class Kind { Null, Scalar, Map, Seq, Alias };
    Kind kind = Kind::Null;
    bool flow = false;       // Map/Seq: written in brackets ({...} / [...]); scalars: inside brackets
    char style = 0;          // Scalar: 0 plain, '\'' or '"' quoted, '|' or '>' block
    size_t start = 0, end = 0;  // [start, end) in the text; a Null is empty, placed after its key's ':'
    int column = 0;          // 0-based column of `start`
    std::string value;       // Scalar: its value (unescaped)
    std::vector<std::pair<TextNode, TextNode>> entries;  // Map: (key, value) in file order
    std::vector<TextNode> items;                        // Seq

    bool is_map() const { return kind == Kind::Map; }
    bool is_seq() const { return kind == Kind::Seq; }
    bool is_scalar() const { return kind == Kind::Scalar; }
    // Map: the value under `key`, or null.
    const TextNode* get(std::string_view key) const;
    // Map: the entry's index under `key`, or -1.
    int index_of(std::string_view key) const;
};

// The first document of `text`, with spans. Nullopt (and `why`: "LINE:COLUMN: message")
// when yaml-cpp refuses it or a value's extent cannot be told (a plain scalar folded
// over several lines).
std::optional<TextNode> text_tree(const std::string& text, std::string* why = nullptr);

// Helpers on the text the spans index.
size_t line_start(const std::string& text, size_t at);   // offset of the line holding `at`
size_t line_end(const std::string& text, size_t at);     // offset of its '\n' (or the text's end)
int column_of(const std::string& text, size_t at);        // 0-based

}  // namespace vitrine::yaml
