// Checks on text files before a parser sees them. nlohmann::json (through tinygltf) and
// yaml-cpp recurse once per nesting level, so a file of 100 000 '[' overflows the stack:
// the depth is measured here first, by small scanners that respect strings and escapes
// (and, for YAML, comments, block scalars and indentation). Scene and display files must
// also be UTF-8 (yaml-cpp would read UTF-16 or mangle Latin-1 silently).
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vitrine {

// The deepest nesting of arrays / objects (JSON) or collections (YAML) any file may have.
// Real files stay far below (a glTF about 8, a scene about 10); yaml-cpp and nlohmann use
// well under 1 KiB of stack per level.
constexpr int kMaxNesting = 256;

// 1-based line and column (columns count characters, not bytes).
struct TextPlace {
    size_t line = 1, column = 1;
};

// Where JSON `text` first opens more than `limit` nested arrays/objects; nullopt when it
// never does. Brackets inside strings (with their escapes) do not count.
std::optional<TextPlace> json_too_deep(std::string_view text, int limit = kMaxNesting);

// The same for YAML: an upper bound of the nesting yaml-cpp would build — flow
// collections ([ and {), block collections by indentation, and the "- " / "? "
// indicators that open one more level on the same line. Quoted scalars, comments and
// block scalars (| and >) do not count.
std::optional<TextPlace> yaml_too_deep(std::string_view text, int limit = kMaxNesting);

// "nested deeper than 256 levels (line 1, column 257)"
std::string too_deep_message(TextPlace at, int limit = kMaxNesting);

// `what`: "FILE: nested deeper than 256 levels (line L, column C)" when JSON `text` is too deep.
Result<void> check_json_nesting(std::string_view text, const std::string& what);

// Why `text` is not UTF-8, and where: the first byte that is not, or a byte order mark
// of UTF-16 or UTF-32 at the start. A UTF-8 byte order mark is accepted. NUL bytes are
// refused too (a binary file, or UTF-16 without a mark).
struct EncodingProblem {
    TextPlace at;
    std::string message;  // "the file is UTF-16 (little-endian, by its byte order mark); save it as UTF-8"
};
std::optional<EncodingProblem> check_utf8(std::string_view text);

}  // namespace vitrine
