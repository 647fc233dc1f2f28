#include "edit/yaml_text.h"

#include <charconv>
#include <cmath>

namespace vitrine::edit {

namespace {

std::string spaces(int n) { return std::string(size_t(std::max(n, 0)), ' '); }

bool blank_or_comment(const std::string& text, size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
        char c = text[i];
        if (c == '#') return true;
        if (c != ' ' && c != '\t' && c != '\r') return false;
    }
    return true;
}

// The offset just past the '\n' that ends the line holding `at` (or the text's end).
size_t next_line(const std::string& text, size_t at) {
    size_t e = yaml::line_end(text, at);
    return e < text.size() ? e + 1 : e;
}

// A block item's dash: the '-' before the item's first character on its line (a
// nested list writes several on one line: the nearest one counts).
size_t dash_of(const std::string& text, const TextNode& item) {
    size_t ls = yaml::line_start(text, item.start);
    for (size_t i = item.start; i > ls; --i)
        if (text[i - 1] == '-') return i - 1;
    return item.start;
}

// Text inserted after a block entry or item ending at `end` goes after the rest of its
// line (a comment stays with the line it follows).
size_t after_line_of(const std::string& text, size_t end) { return yaml::line_end(text, end); }

bool comment_line(const std::string& text, size_t ls) {
    size_t e = yaml::line_end(text, ls);
    size_t i = ls;
    while (i < e && text[i] == ' ') ++i;
    return i < e && text[i] == '#';
}

// The start of the comment lines directly above the line starting at `ls`.
size_t attached_start(const std::string& text, size_t ls) {
    while (ls > 0) {
        size_t prev = yaml::line_start(text, ls - 1);
        if (!comment_line(text, prev)) break;
        ls = prev;
    }
    return ls;
}

// Erases whole lines [from, to); with Comments::Keep the comment lines among them stay.
void erase_lines(std::string& text, size_t from, size_t to, Comments comments) {
    std::string kept;
    if (comments == Comments::Keep)
        for (size_t i = from; i < to;) {
            size_t e = next_line(text, i);
            if (comment_line(text, i)) kept += text.substr(i, e - i);
            i = e;
        }
    // A last line without its '\n' that keeps a comment gets one.
    if (!kept.empty() && kept.back() != '\n' && to < text.size()) kept += '\n';
    text.replace(from, to - from, kept);
}

}  // namespace

std::string number(double v) {
    if (v == 0) return "0";  // no "-0"
    char buf[40];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

std::string number(float v) {
    if (v == 0) return "0";
    char buf[40];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

std::string numbers(const std::vector<float>& v) {
    if (v.size() == 1) return number(v[0]);
    std::string out = "[";
    for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + number(v[i]);
    return out + "]";
}

std::string scalar(const std::string& s) {
    bool plain = !s.empty() && s.front() != ' ' && s.back() != ' ';
    static const std::string reserved = "-?:,[]{}#&*!|>'\"%@`";
    if (plain && reserved.find(s.front()) != std::string::npos) plain = false;
    for (char c : s)
        if (c == '\n' || c == '\t' || c == ',' || c == '[' || c == ']' || c == '{' || c == '}' || c == '#' ||
            c == ':' || c == '"' || c == '\\')
            plain = false;
    // Words YAML would read as something else, and numbers (a cue id is a string).
    for (const char* word : {"null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "FALSE", "yes",
                             "no", "on", "off", "Yes", "No", "On", "Off"})
        if (s == word) plain = false;
    double d;
    if (plain) {
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
        if (ec == std::errc() || s.front() == '.' || s.front() == '+' || std::isdigit(static_cast<unsigned char>(s.front())))
            plain = false;
    }
    if (plain) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

std::string flow_map(const Entries& entries) {
    std::string out = "{";
    for (size_t i = 0; i < entries.size(); ++i) out += (i ? ", " : "") + entries[i].first + ": " + entries[i].second;
    return out + "}";
}

std::string replace(const std::string& text, const TextNode& value, const std::string& with) {
    std::string out = text;
    if (value.kind == TextNode::Kind::Null && value.start == value.end)
        out.replace(value.start, 0, " " + with);  // `key:` with nothing after it
    else
        out.replace(value.start, value.end - value.start, with);
    return out;
}

std::string set_entry(const std::string& text, const TextNode& map, const std::string& key, const std::string& value) {
    if (const TextNode* v = map.get(key)) return replace(text, *v, value);
    // Short values before long blocks: a new value goes above the first entry written
    // as an indented block (a node's children, a timeline's tracks, a track's keys).
    int children = -1;
    for (size_t i = 1; i < map.entries.size() && children < 0; ++i) {
        const TextNode& v = map.entries[i].second;
        if ((v.is_map() || v.is_seq()) && !v.flow) children = int(i);
    }
    if (children > 0 && map.is_map() && !map.flow) {
        const TextNode& k = map.entries[size_t(children)].first;
        std::string out = text;
        if (map.flow) {
            out.insert(k.start, key + ": " + value + ", ");
            return out;
        }
        size_t ls = yaml::line_start(text, k.start);
        if (blank_or_comment(text, ls, k.start)) {
            out.insert(attached_start(text, ls), spaces(k.column) + key + ": " + value + "\n");
            return out;
        }
    }
    return insert_entry(text, map, key, value);
}

std::string insert_entry(const std::string& text, const TextNode& map, const std::string& key, const std::string& value) {
    std::string out = text;
    if (map.flow || map.entries.empty()) {
        if (map.entries.empty()) {
            if (map.kind == TextNode::Kind::Map && map.flow)
                out.insert(map.start + 1, key + ": " + value);
            else  // a null where a mapping goes: a flow mapping in its place
                out = replace(text, map, "{" + key + ": " + value + "}");
        } else {
            out.insert(map.entries.back().second.end, ", " + key + ": " + value);
        }
        return out;
    }
    size_t at = after_line_of(text, map.entries.back().second.end);
    out.insert(at, "\n" + spaces(map.entries.front().first.column) + key + ": " + value);
    return out;
}

std::string insert_map_entry(const std::string& text, const TextNode& map, const std::string& key,
                             const Entries& entries) {
    if (map.flow || map.entries.empty()) return insert_entry(text, map, key, flow_map(entries));
    int indent = map.entries.front().first.column;
    std::string block = "\n" + spaces(indent) + key + ":";
    for (const auto& [k, v] : entries) block += "\n" + spaces(indent + 2) + k + ": " + v;
    std::string out = text;
    out.insert(after_line_of(text, map.entries.back().second.end), block);
    return out;
}

bool remove_entry(std::string& text, const TextNode& map, const std::string& key, Comments comments) {
    int i = map.index_of(key);
    if (i < 0) return true;
    const auto& [k, v] = map.entries[size_t(i)];
    if (map.flow) {
        size_t from, to;
        if (size_t(i) + 1 < map.entries.size()) {
            from = k.start, to = map.entries[size_t(i) + 1].first.start;
        } else if (i > 0) {
            from = map.entries[size_t(i) - 1].second.end, to = v.end;
        } else {
            from = k.start, to = v.end;
        }
        text.erase(from, to - from);
        return true;
    }
    size_t ls = yaml::line_start(text, k.start);
    if (!blank_or_comment(text, ls, k.start)) return false;  // `- key: ...`
    erase_lines(text, ls, next_line(text, v.end), comments);
    return true;
}

size_t item_start(const std::string& text, const TextNode& seq, size_t index) {
    const TextNode& item = seq.items[index];
    return seq.flow ? item.start : dash_of(text, item);
}

std::string insert_map_item(const std::string& text, const TextNode& seq, size_t index, const Entries& entries) {
    std::string out = text;
    const size_t n = seq.items.size();
    const TextNode* neighbour = n == 0 ? nullptr : &seq.items[std::min(index, n - 1)];
    if (seq.flow || n == 0) {
        std::string item = flow_map(entries);
        if (n == 0)
            out = seq.kind == TextNode::Kind::Seq ? (out.insert(seq.start + 1, item), out) : replace(text, seq, "[" + item + "]");
        else if (index < n)
            out.insert(seq.items[index].start, item + ", ");
        else
            out.insert(seq.items.back().end, ", " + item);
        return out;
    }
    int dash = yaml::column_of(text, dash_of(text, *neighbour));
    int content = neighbour->column;
    std::string lines;
    if (neighbour->is_map() && neighbour->flow) {
        lines = spaces(dash) + "-" + spaces(content - dash - 1) + flow_map(entries);
    } else {
        for (size_t e = 0; e < entries.size(); ++e) {
            lines += e == 0 ? spaces(dash) + "-" + spaces(content - dash - 1) : "\n" + spaces(content);
            lines += entries[e].first + ": " + entries[e].second;
        }
    }
    if (index < n) {  // above the next item's comment lines: they describe it
        out.insert(attached_start(text, yaml::line_start(text, dash_of(text, seq.items[index]))), lines + "\n");
    } else {
        out.insert(after_line_of(text, seq.items.back().end), "\n" + lines);
    }
    return out;
}

ItemText item_text(const std::string& text, const TextNode& seq, size_t index, bool attached) {
    const TextNode& item = seq.items[index];
    if (seq.flow) return {text.substr(item.start, item.end - item.start), false};
    size_t dash = dash_of(text, item);
    size_t from = yaml::line_start(text, dash);
    if (attached) from = attached_start(text, from);
    size_t to = yaml::line_end(text, item.end);
    int shift = yaml::column_of(text, dash);
    std::string out;
    for (size_t i = from; i <= to;) {
        size_t e = std::min(yaml::line_end(text, i), to);
        std::string line = text.substr(i, e - i);
        line.erase(0, std::min(line.find_first_not_of(' '), size_t(shift)));
        if (i != from) out += "\n";
        out += line;
        if (e >= to) break;
        i = e + 1;
    }
    return {out, true};
}

namespace {

std::string shifted(const std::string& block, int by) {
    std::string out = spaces(by);
    for (char c : block) {
        out += c;
        if (c == '\n') out += spaces(by);
    }
    // Lines that were empty stay empty.
    std::string trimmed;
    size_t i = 0;
    while (i < out.size()) {
        size_t e = out.find('\n', i);
        if (e == std::string::npos) e = out.size();
        std::string line = out.substr(i, e - i);
        if (line.find_first_not_of(' ') == std::string::npos) line.clear();
        trimmed += line;
        if (e < out.size()) trimmed += '\n';
        i = e + 1;
    }
    return trimmed;
}

}  // namespace

bool insert_item(std::string& text, const TextNode& seq, size_t index, const ItemText& item) {
    const size_t n = seq.items.size();
    if (seq.flow && n == 0 && item.block && seq.kind == TextNode::Kind::Seq) {
        // `key: []` becomes a block list under its key, indented one step deeper.
        size_t ls = yaml::line_start(text, seq.start);
        int indent = 0;
        while (ls + size_t(indent) < text.size() && text[ls + size_t(indent)] == ' ') ++indent;
        text.replace(seq.start, seq.end - seq.start, "");
        size_t at = seq.start;
        while (at > ls && text[at - 1] == ' ') --at, text.erase(at, 1);
        text.insert(at, "\n" + shifted(item.text, indent + 2));
        return true;
    }
    if (seq.flow || n == 0) {
        if (item.block) return false;
        if (n == 0) {
            if (seq.kind == TextNode::Kind::Seq) text.insert(seq.start + 1, item.text);
            else text = replace(text, seq, "[" + item.text + "]");
        } else if (index < n) {
            text.insert(seq.items[index].start, item.text + ", ");
        } else {
            text.insert(seq.items.back().end, ", " + item.text);
        }
        return true;
    }
    const TextNode& neighbour = seq.items[std::min(index, n - 1)];
    int dash = yaml::column_of(text, dash_of(text, neighbour));
    std::string lines = item.block ? shifted(item.text, dash) : spaces(dash) + "- " + item.text;
    if (index < n)  // above the next item's comment lines: they describe it
        text.insert(attached_start(text, yaml::line_start(text, dash_of(text, seq.items[index]))), lines + "\n");
    else
        text.insert(after_line_of(text, seq.items.back().end), "\n" + lines);
    return true;
}

bool insert_list_entry(std::string& text, const TextNode& map, const std::string& key, const ItemText& item) {
    if (map.flow || map.entries.empty()) {
        if (item.block) return false;
        text = insert_entry(text, map, key, "[" + item.text + "]");
        return true;
    }
    int indent = map.entries.front().first.column;
    std::string lines = item.block ? shifted(item.text, indent + 2) : spaces(indent + 2) + "- " + item.text;
    text.insert(after_line_of(text, map.entries.back().second.end), "\n" + spaces(indent) + key + ":\n" + lines);
    return true;
}

std::string remove_item(const std::string& text, const TextNode& seq, size_t index, Comments comments) {
    std::string out = text;
    const size_t n = seq.items.size();
    if (seq.flow) {
        size_t from, to;
        if (index + 1 < n) from = seq.items[index].start, to = seq.items[index + 1].start;
        else if (index > 0) from = seq.items[index - 1].end, to = seq.items[index].end;
        else from = seq.items[index].start, to = seq.items[index].end;
        out.erase(from, to - from);
        return out;
    }
    size_t ls = yaml::line_start(text, dash_of(text, seq.items[index]));
    if (comments == Comments::Drop) ls = attached_start(text, ls);
    erase_lines(out, ls, next_line(text, seq.items[index].end), comments);
    return out;
}

}  // namespace vitrine::edit
