#include "yaml/text_tree.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "core/text_checks.h"

namespace vitrine::yaml {

const TextNode* TextNode::get(std::string_view key) const {
    int i = index_of(key);
    return i < 0 ? nullptr : &entries[size_t(i)].second;
}

int TextNode::index_of(std::string_view key) const {
    for (size_t i = 0; i < entries.size(); ++i)
        if (entries[i].first.kind == Kind::Scalar && entries[i].first.value == key) return int(i);
    return -1;
}

size_t line_start(const std::string& text, size_t at) {
    at = std::min(at, text.size());
    while (at > 0 && text[at - 1] != '\n') --at;
    return at;
}

size_t line_end(const std::string& text, size_t at) {
    size_t n = text.find('\n', std::min(at, text.size()));
    return n == std::string::npos ? text.size() : n;
}

int column_of(const std::string& text, size_t at) { return int(at - line_start(text, at)); }

namespace {

struct Failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Builds the tree from the parser's events; each node's end is found in the text.
class Builder : public YAML::EventHandler {
public:
    explicit Builder(const std::string& text) : text_(text) {}
    std::optional<TextNode> root;

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& m, YAML::anchor_t) override {
        TextNode n;
        n.kind = TextNode::Kind::Null;
        n.start = n.end = null_place(size_t(std::max(m.pos, 0)));
        add(std::move(n));
    }
    void OnAlias(const YAML::Mark& m, YAML::anchor_t) override {
        TextNode n;
        n.kind = TextNode::Kind::Alias;
        n.start = size_t(m.pos);
        n.end = n.start + 1;
        while (n.end < text_.size() && !std::isspace(static_cast<unsigned char>(text_[n.end])) &&
               text_[n.end] != ',' && text_[n.end] != ']' && text_[n.end] != '}')
            ++n.end;
        add(std::move(n));
    }
    void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t, const std::string& value) override {
        TextNode n;
        n.kind = TextNode::Kind::Scalar;
        n.start = size_t(m.pos);
        n.value = value;
        n.flow = in_flow();
        char c = n.start < text_.size() ? text_[n.start] : 0;
        if (c == '"' || c == '\'') {
            n.style = c;
            n.end = quoted_end(n.start, c);
        } else if ((c == '|' || c == '>') && value != std::string(1, c)) {
            n.style = c;
            // Its lines are those indented deeper than its key (or its line, for a list item).
            int parent = !stack_.empty() && stack_.back().key ? stack_.back().key->column : -1;
            n.end = block_scalar_end(n.start, parent);
        } else if (text_.compare(n.start, value.size(), value) == 0) {
            n.end = n.start + value.size();
        } else {
            throw Failure(place(n.start) + ": a value written over several lines cannot be edited in place");
        }
        add(std::move(n));
    }
    void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value style) override {
        open(TextNode::Kind::Seq, m, style == YAML::EmitterStyle::Flow);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value style) override {
        open(TextNode::Kind::Map, m, style == YAML::EmitterStyle::Flow);
    }
    void OnMapEnd() override { close(); }

private:
    struct Open {
        TextNode node;
        std::optional<TextNode> key;  // maps: a key waiting for its value
    };
    const std::string& text_;
    std::vector<Open> stack_;

    // "LINE:COLUMN" (1-based) of an offset.
    std::string place(size_t at) const {
        at = std::min(at, text_.size());
        int line = 1 + int(std::count(text_.begin(), text_.begin() + long(at), '\n'));
        return std::to_string(line) + ":" + std::to_string(column_of(text_, at) + 1);
    }

    bool in_flow() const {
        for (const Open& o : stack_)
            if (o.node.flow) return true;
        return false;
    }

    void open(TextNode::Kind kind, const YAML::Mark& m, bool flow) {
        TextNode n;
        n.kind = kind;
        n.flow = flow;
        n.start = size_t(m.pos);
        stack_.push_back({std::move(n), std::nullopt});
    }

    void close() {
        TextNode n = std::move(stack_.back().node);
        stack_.pop_back();
        if (n.flow) {
            char closer = n.kind == TextNode::Kind::Map ? '}' : ']';
            size_t at = n.start + 1;
            if (!n.entries.empty()) at = n.entries.back().second.end;
            if (!n.items.empty()) at = n.items.back().end;
            at = skip_to(at, closer);
            n.end = at + 1;
        } else {
            n.end = !n.entries.empty() ? n.entries.back().second.end
                    : !n.items.empty() ? n.items.back().end
                                       : n.start;
        }
        add(std::move(n));
    }

    void add(TextNode n) {
        n.column = column_of(text_, n.start);
        if (stack_.empty()) {
            root = std::move(n);
            return;
        }
        Open& top = stack_.back();
        if (top.node.kind == TextNode::Kind::Seq) {
            top.node.items.push_back(std::move(n));
        } else if (!top.key) {
            top.key = std::move(n);
        } else {
            if (n.kind == TextNode::Kind::Null) null_in_map(n, *top.key);
            top.node.entries.emplace_back(std::move(*top.key), std::move(n));
            top.key.reset();
        }
    }

    // A null value's place: just after its key's ':' (when it has a key), else where it was seen.
    size_t null_place(size_t at) const { return at; }

    // A map's null value: the written `~` or `null` when there is one, else the empty
    // place just after the key's ':'.
    void null_in_map(TextNode& n, const TextNode& key) const {
        size_t colon = after_colon(key);
        size_t i = colon;
        while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t')) ++i;
        for (std::string_view word : {"null", "Null", "NULL", "~"}) {
            if (i == n.start && text_.compare(i, word.size(), word) == 0) {
                n.end = i + word.size();
                n.column = column_of(text_, n.start);
                return;
            }
        }
        n.start = n.end = colon;
        n.column = column_of(text_, n.start);
    }

    size_t after_colon(const TextNode& key) const {
        size_t i = key.end;
        while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t')) ++i;
        if (i < text_.size() && text_[i] == ':') return i + 1;
        return key.end;
    }

    // The closing bracket after `at`, past blanks, commas and comments.
    size_t skip_to(size_t at, char closer) const {
        for (size_t i = at; i < text_.size(); ++i) {
            char c = text_[i];
            if (c == closer) return i;
            if (c == '#') i = line_end(text_, i);
        }
        throw Failure(place(at) + ": an unclosed bracket");
    }

    size_t quoted_end(size_t start, char quote) const {
        for (size_t i = start + 1; i < text_.size(); ++i) {
            if (quote == '"' && text_[i] == '\\') {
                ++i;
            } else if (text_[i] == quote) {
                if (quote == '\'' && i + 1 < text_.size() && text_[i + 1] == '\'') {
                    ++i;
                    continue;
                }
                return i + 1;
            }
        }
        throw Failure(place(start) + ": an unclosed quote");
    }

    // A block scalar runs to the last line indented deeper than the line of its indicator.
    size_t block_scalar_end(size_t start, int parent_column) const {
        size_t ls = line_start(text_, start);
        size_t indent = 0;
        while (ls + indent < text_.size() && text_[ls + indent] == ' ') ++indent;
        if (parent_column >= 0) indent = size_t(parent_column);
        size_t end = line_end(text_, start);
        size_t i = end;
        while (i < text_.size()) {
            size_t next = i + 1;
            size_t e = line_end(text_, next);
            size_t spaces = 0;
            while (next + spaces < e && text_[next + spaces] == ' ') ++spaces;
            bool blank = next + spaces == e;
            if (!blank && spaces <= indent) break;
            if (!blank) end = e;
            i = e;
            if (e >= text_.size()) break;
        }
        return end;
    }
};

}  // namespace

std::optional<TextNode> text_tree(const std::string& text, std::string* why) {
    // As the loaders do before yaml-cpp sees a text: UTF-8 only, and nested no deeper than
    // yaml-cpp's recursion can take.
    if (auto bad = check_utf8(text)) {
        if (why) *why = std::to_string(bad->at.line) + ":" + std::to_string(bad->at.column) + ": " + bad->message;
        return std::nullopt;
    }
    if (auto deep = yaml_too_deep(text)) {
        if (why) *why = std::to_string(deep->line) + ":" + std::to_string(deep->column) + ": YAML nested deeper than " +
                        std::to_string(kMaxNesting) + " levels";
        return std::nullopt;
    }
    Builder b(text);
    try {
        std::istringstream in(text);
        YAML::Parser parser(in);
        parser.HandleNextDocument(b);
    } catch (const Failure& f) {
        if (why) *why = f.what();
        return std::nullopt;
    } catch (const YAML::Exception& e) {
        if (why) *why = std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) + ": YAML syntax error: " + e.msg;
        return std::nullopt;
    }
    if (!b.root) {
        TextNode empty;
        empty.kind = TextNode::Kind::Null;
        return empty;
    }
    return b.root;
}

}  // namespace vitrine::yaml
