#include "core/text_checks.h"

#include <cstdint>
#include <cstdio>
#include <vector>

namespace vitrine {

namespace {

// The line and column (in characters) of byte `at`.
TextPlace place_of(std::string_view t, size_t at) {
    TextPlace p;
    for (size_t i = 0; i < at && i < t.size(); ++i) {
        if (t[i] == '\n') {
            ++p.line;
            p.column = 1;
        } else if ((static_cast<unsigned char>(t[i]) & 0xC0) != 0x80) {
            ++p.column;
        }
    }
    return p;
}

bool is_space(char c) { return c == ' ' || c == '\t'; }

// One YAML line at a time, keeping what spans lines: the block levels open (by their
// indentation), flow collections, a quoted scalar, a block scalar. Counts only ever
// over-estimate what yaml-cpp nests.
class YamlDepth {
public:
    YamlDepth(std::string_view text, int limit) : t_(text), limit_(limit) {}

    std::optional<TextPlace> run() {
        size_t pos = 0;
        while (pos < t_.size() && !found_) {
            size_t end = t_.find('\n', pos);
            if (end == std::string_view::npos) end = t_.size();
            size_t stop = end;
            if (stop > pos && t_[stop - 1] == '\r') --stop;
            line(pos, stop);
            pos = end + 1;
        }
        if (found_) return place_of(t_, at_);
        return std::nullopt;
    }

private:
    struct Flow {
        bool sequence;  // '[' (a "key: value" inside opens a one-pair mapping), else '{'
        bool pair;      // that mapping is open
    };

    std::string_view t_;
    int limit_;
    std::vector<size_t> block_;  // indentation of each open block level
    std::vector<Flow> flow_;
    int flow_base_ = 0;          // block depth where the outermost flow collection opened
    int flow_depth_ = 0;         // levels the open flow collections add (pairs included)
    char quote_ = 0;             // inside a quoted scalar spanning lines
    bool quote_in_flow_ = false;
    int quote_depth_ = 0;        // depth of the node the quoted scalar is (block context)
    bool block_scalar_ = false;
    size_t scalar_parent_ = 0;   // a block scalar's lines are indented more than this,
    size_t scalar_indent_ = 0;   // as much as its first line (0: not seen yet)
    char flow_prev_ = '[';       // the last significant character inside a flow collection
    bool found_ = false;
    size_t at_ = 0;

    bool deeper(int depth, size_t at) {
        if (depth <= limit_ || found_) return found_;
        found_ = true;
        at_ = at;
        return true;
    }

    void line(size_t b, size_t e) {
        size_t i = b;
        if (quote_) {
            i = quoted(b, e);
            if (i == e || found_) return;
            if (quote_in_flow_) return flow(i, e);
            return after_scalar(i, e, quote_depth_);
        }
        if (!flow_.empty()) return flow(b, e);
        size_t indent = 0;
        while (b + indent < e && t_[b + indent] == ' ') ++indent;
        bool blank = true;
        for (size_t k = b + indent; k < e; ++k)
            if (!is_space(t_[k])) {
                blank = false;
                break;
            }
        if (block_scalar_) {
            if (blank) return;
            if (scalar_indent_ == 0 && indent > scalar_parent_) scalar_indent_ = indent;
            if (scalar_indent_ != 0 && indent >= scalar_indent_) return;
            block_scalar_ = false;
        }
        if (blank || t_[b + indent] == '#') return;
        if (indent == 0 && t_[b] == '%') return;  // a directive
        std::string_view rest = t_.substr(b, e - b);
        if (indent == 0 && (rest.substr(0, 3) == "---" || rest.substr(0, 3) == "...") &&
            (rest.size() == 3 || is_space(rest[3]))) {
            block_.clear();  // a new document
            return node(b + 3, e, 0, 0);
        }
        while (!block_.empty() && block_.back() > indent) block_.pop_back();
        if (block_.empty() || indent > block_.back()) block_.push_back(indent);
        int base = int(block_.size());
        if (deeper(base, b + indent)) return;
        node(b + indent, e, base, indent);
    }

    // A node starts at i (block context) at depth `depth`; `indent` is the line's.
    void node(size_t i, size_t e, int depth, size_t indent) {
        for (;;) {
            while (i < e && is_space(t_[i])) ++i;
            if (i >= e) return;
            char c = t_[i];
            bool indicator = (c == '-' || c == '?' || c == ':') && (i + 1 == e || is_space(t_[i + 1]));
            if (indicator) {
                if (deeper(++depth, i)) return;
                ++i;
                continue;
            }
            if (c == '&' || c == '!') {  // an anchor or a tag, then the node
                while (i < e && !is_space(t_[i])) ++i;
                continue;
            }
            break;
        }
        char c = t_[i];
        if (c == '#') return;
        if (c == '[' || c == '{') {
            flow_base_ = depth;
            flow_depth_ = 0;
            flow_prev_ = '[';
            return flow(i, e);
        }
        if (c == '"' || c == '\'') {
            quote_ = c;
            quote_in_flow_ = false;
            quote_depth_ = depth;
            size_t j = quoted(i + 1, e);
            if (j < e) after_scalar(j, e, depth);
            return;
        }
        if (c == '|' || c == '>') {
            block_scalar_ = true;
            scalar_parent_ = indent;
            scalar_indent_ = 0;
            return;
        }
        if (c == '*') return;  // an alias
        // A plain scalar: a key when ": " follows on this line (before a comment).
        for (size_t k = i; k < e; ++k) {
            if (t_[k] == '#' && k > i && is_space(t_[k - 1])) return;
            if (t_[k] == ':' && (k + 1 == e || is_space(t_[k + 1]))) {
                if (deeper(depth + 1, k)) return;
                return node(k + 1, e, depth + 1, indent);
            }
        }
    }

    // After a quoted scalar closed at i (block context): a key when ':' follows.
    void after_scalar(size_t i, size_t e, int depth) {
        while (i < e && is_space(t_[i])) ++i;
        if (i < e && t_[i] == ':' && (i + 1 == e || is_space(t_[i + 1]))) {
            if (deeper(depth + 1, i)) return;
            node(i + 1, e, depth + 1, 0);
        }
    }

    // Inside a quoted scalar from i: where it closed (just after the quote), or e when it
    // goes on past the line.
    size_t quoted(size_t i, size_t e) {
        for (; i < e; ++i) {
            char c = t_[i];
            if (quote_ == '"' && c == '\\') {
                ++i;
                continue;
            }
            if (c != quote_) continue;
            if (quote_ == '\'' && i + 1 < e && t_[i + 1] == '\'') {
                ++i;  // '' inside single quotes
                continue;
            }
            quote_ = 0;
            return i + 1;
        }
        return e;
    }

    int depth_now() const { return flow_base_ + flow_depth_; }

    // Inside flow collections from i.
    void flow(size_t i, size_t e) {
        for (; i < e && !found_; ++i) {
            char c = t_[i];
            if (is_space(c)) continue;
            if (c == '#' && (i == 0 || is_space(t_[i - 1]) || t_[i - 1] == '\n')) return;
            bool node_start = flow_prev_ == '[' || flow_prev_ == '{' || flow_prev_ == ',' || flow_prev_ == ':' ||
                              flow_prev_ == '?';
            if ((c == '"' || c == '\'') && node_start) {
                quote_ = c;
                quote_in_flow_ = true;
                size_t j = quoted(i + 1, e);
                flow_prev_ = 'q';  // "a":1 is a pair, as in JSON
                if (j >= e) return;
                i = j - 1;
                continue;
            }
            if (c == '[' || c == '{') {
                flow_.push_back({c == '[', false});
                ++flow_depth_;
                flow_prev_ = c;
                if (deeper(depth_now(), i)) return;
                continue;
            }
            if (c == ']' || c == '}' || c == ',') {
                if (!flow_.empty() && flow_.back().pair) {
                    flow_.back().pair = false;
                    --flow_depth_;
                }
                if (c != ',' && !flow_.empty()) {
                    flow_.pop_back();
                    --flow_depth_;
                }
                flow_prev_ = c == ',' ? ',' : 'a';
                if (flow_.empty()) {  // back in block context: "[a]: b" makes it a key
                    flow_depth_ = 0;
                    return after_scalar(i + 1, e, flow_base_);
                }
                continue;
            }
            if (c == ':' && (i + 1 == e || is_space(t_[i + 1]) || t_[i + 1] == ',' || t_[i + 1] == ']' ||
                             t_[i + 1] == '}' || t_[i + 1] == '[' || t_[i + 1] == '{' || flow_prev_ == 'q')) {
                if (!flow_.empty() && flow_.back().sequence && !flow_.back().pair) {
                    flow_.back().pair = true;  // [a: b] is a list of a one-pair mapping
                    ++flow_depth_;
                    if (deeper(depth_now(), i)) return;
                }
                flow_prev_ = ':';
                continue;
            }
            if (c == '?' && node_start && (i + 1 == e || is_space(t_[i + 1]))) {
                flow_prev_ = '?';
                continue;
            }
            flow_prev_ = 'a';
        }
    }
};

}  // namespace

std::optional<TextPlace> json_too_deep(std::string_view t, int limit) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (size_t i = 0; i < t.size(); ++i) {
        char c = t[i];
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit) return place_of(t, i);
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return std::nullopt;
}

std::optional<TextPlace> yaml_too_deep(std::string_view text, int limit) { return YamlDepth(text, limit).run(); }

std::string too_deep_message(TextPlace at, int limit) {
    return "nested deeper than " + std::to_string(limit) + " levels (line " + std::to_string(at.line) + ", column " +
           std::to_string(at.column) + ")";
}

Result<void> check_json_nesting(std::string_view text, const std::string& what) {
    if (auto at = json_too_deep(text)) return fail(what + ": " + too_deep_message(*at));
    return {};
}

std::optional<EncodingProblem> check_utf8(std::string_view t) {
    auto starts = [&](std::string_view mark) { return t.substr(0, mark.size()) == mark; };
    using namespace std::string_view_literals;
    const char* bom = starts("\xFF\xFE\x00\x00"sv)   ? "UTF-32 (little-endian"
                      : starts("\x00\x00\xFE\xFF"sv) ? "UTF-32 (big-endian"
                      : starts("\xFF\xFE"sv)         ? "UTF-16 (little-endian"
                      : starts("\xFE\xFF"sv)         ? "UTF-16 (big-endian"
                                                     : nullptr;
    if (bom) return EncodingProblem{{1, 1}, std::string("the file is ") + bom + ", by its byte order mark), not UTF-8; save it as UTF-8"};
    size_t i = starts("\xEF\xBB\xBF"sv) ? 3 : 0;
    while (i < t.size()) {
        const auto c = static_cast<unsigned char>(t[i]);
        if (c == 0)
            return EncodingProblem{place_of(t, i), "a NUL byte (0x00): not a text file (binary, or UTF-16 without a byte "
                                                   "order mark?); save it as UTF-8"};
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t n = c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : 0;
        bool ok = n > 0;
        if (ok) {
            for (size_t k = 1; k <= n; ++k)
                if (i + k >= t.size() || (static_cast<unsigned char>(t[i + k]) & 0xC0) != 0x80) ok = false;
        }
        if (ok && n >= 2) {
            const auto c1 = static_cast<unsigned char>(t[i + 1]);
            if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0) ||  // overlong, surrogates
                (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90))    // overlong, past U+10FFFF
                ok = false;
        }
        if (!ok) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02X", c);
            return EncodingProblem{place_of(t, i), std::string("byte ") + hex +
                                                       " is not UTF-8 (Latin-1 or Windows-1252 text?); save the "
                                                       "file as UTF-8"};
        }
        i += n + 1;
    }
    return std::nullopt;
}

}  // namespace vitrine
