// Reading a yaml-cpp tree with every mistake reported as a Problem at the right place,
// and nothing thrown (scene, inputs, display and site files). Each
// reader checks the kind of what it gets ("'duration' must be a number, got a
// sequence"); mappings report unknown and repeated keys.
#pragma once
#include <algorithm>
#include <cctype>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <tuple>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <glm/glm.hpp>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "core/paths.h"
#include "core/text_checks.h"
#include "yaml/place.h"
#include "yaml/wording.h"

namespace vitrine::yaml {

// Every YAML value read costs one unit. Aliases let a small file describe a huge tree
// (a "billion laughs"); past the budget, reading stops with one problem.
constexpr size_t kValueBudget = 200'000;  // a large real scene has some thousands

class Reader {
public:
    Reader(std::string file, std::vector<Problem>& problems) : file_(std::move(file)), problems_(problems) {}

    // yaml-cpp marks are 0-based; ours are 1-based (0 = unknown).
    Loc loc(const YAML::Mark& m) const {
        if (m.line < 0) return Loc{file_, 0, 0};
        return Loc{file_, m.line + 1, m.column + 1, size_t(std::max(m.pos, 0))};
    }
    Loc loc(const YAML::Node& n) const { return loc(n.Mark()); }
    Loc start() const { return Loc{file_, 1, 1}; }

    void error(const Loc& where, std::string message) { problems_.push_back({where, std::move(message)}); }

    // False once the budget is spent (reported once, at `where`).
    bool spend(size_t n, const Loc& where) {
        if (n <= left_) {
            left_ -= n;
            return true;
        }
        left_ = 0;
        if (!exhausted_) error(where, "the file describes more than " + std::to_string(kValueBudget) +
                                          " values (aliases repeated too often?); reading stops here");
        exhausted_ = true;
        return false;
    }

private:
    std::string file_;
    std::vector<Problem>& problems_;
    size_t left_ = kValueBudget;
    bool exhausted_ = false;
};

// yaml-cpp 0.7 reads a stray ',' outside brackets as an endless run of empty documents
// (YAML::LoadAll never returns), so documents are counted with the event parser, at
// most three: a document that starts where the one before started marks such a token.
class DocumentScan : public YAML::EventHandler {
public:
    struct Doc {
        YAML::Mark start;
        bool empty = true;  // nothing but a null
    };
    std::vector<Doc> docs;

    void OnDocumentStart(const YAML::Mark& mark) override { docs.push_back({mark}); }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override { content(); }
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override { content(); }
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
        content();
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
        content();
    }
    void OnMapEnd() override {}

private:
    void content() {
        if (!docs.empty()) docs.back().empty = false;
    }
};

// The first document of `text`; a syntax error becomes one problem (and false). Empty
// text: a null root. Before yaml-cpp sees it, the text must be UTF-8 and nested no deeper
// than kMaxNesting (yaml-cpp recurses once per level). `language`: "YAML", or "JSON" for
// a JSON file read through yaml-cpp (a calibration file): its nesting is JSON's.
inline bool load(Reader& r, const std::string& text, YAML::Node& root, const char* language = "YAML") {
    const bool json = std::string_view(language) == "JSON";
    if (auto bad = check_utf8(text)) {
        r.error(Loc{r.start().file, int(bad->at.line), int(bad->at.column)}, bad->message);
        return false;
    }
    if (auto deep = json ? json_too_deep(text) : yaml_too_deep(text)) {
        r.error(Loc{r.start().file, int(deep->line), int(deep->column)},
                std::string(language) + " nested deeper than " + std::to_string(kMaxNesting) + " levels");
        return false;
    }
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        r.error(r.loc(e.mark), std::string(language) + " syntax error: " + e.msg);
        return false;
    } catch (const std::exception& e) {
        r.error(r.start(), std::string("cannot read the ") + language + ": " + e.what());
        return false;
    }
    DocumentScan scan;
    try {
        std::istringstream in(text);
        YAML::Parser parser(in);
        for (int i = 0; i < 3 && parser.HandleNextDocument(scan); ++i) {
        }
    } catch (const std::exception&) {
        // A syntax error past the first document: the documents seen so far tell enough.
    }
    for (size_t i = 1; i < scan.docs.size(); ++i) {
        const YAML::Mark& at = scan.docs[i].start;
        if (at.pos != scan.docs[i - 1].start.pos) continue;
        std::string token = at.pos >= 0 && size_t(at.pos) < text.size() ? text.substr(size_t(at.pos), 1) : "?";
        r.error(r.loc(at), std::string(language) + " syntax error: unexpected " + wording::q(token));
        return false;
    }
    if (scan.docs.size() > 1 && !scan.docs[1].empty)
        r.error(r.loc(scan.docs[1].start), std::string("a second ") + language + " document: the file must hold one");
    return true;
}

// ---- scalars -----------------------------------------------------------------------

// Plain scalars are typed by their text; quoted ones are strings ("12" is not a number).
inline bool is_plain(const YAML::Node& n) {
    const std::string& tag = n.Tag();
    return tag == "?" || tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float";
}

enum class NumText { Number, NotNumber, NonFinite };

// Decimal numbers only ("1", "-2.5", "3e-2"); YAML's .inf/.nan and overflow are
// NonFinite, so a caller can say why it refuses them.
inline NumText parse_number(std::string_view s, double& out) {
    std::string lower(s.substr(!s.empty() && (s[0] == '+' || s[0] == '-') ? 1 : 0));
    for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
    for (std::string_view bad : {".inf", ".nan", "inf", "nan", "infinity"})
        if (lower == bad) return NumText::NonFinite;
    size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
    }
    if (digits == 0) return NumText::NotNumber;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        size_t exp_digits = 0;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++exp_digits;
        if (exp_digits == 0) return NumText::NotNumber;
    }
    if (i != s.size()) return NumText::NotNumber;
    std::string_view body = s[0] == '+' ? s.substr(1) : s;  // from_chars takes no '+'
    auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), out);
    if (ec == std::errc::result_out_of_range) {
        // Underflow reads as 0; overflow is not a finite number.
        out = std::strtod(std::string(body).c_str(), nullptr);
        return std::isfinite(out) ? NumText::Number : NumText::NonFinite;
    }
    if (ec != std::errc() || end != body.data() + body.size()) return NumText::NotNumber;
    return std::isfinite(out) ? NumText::Number : NumText::NonFinite;
}

inline bool parse_bool(const std::string& s, bool& out) {
    if (s == "true" || s == "True" || s == "TRUE") return out = true, true;
    if (s == "false" || s == "False" || s == "FALSE") return out = false, true;
    return false;
}

// "a string", "a number", "a boolean", "a mapping", "a sequence", "null": for "got ...".
inline std::string kind_of(const YAML::Node& n) {
    switch (n.Type()) {
        case YAML::NodeType::Sequence: return "a sequence";
        case YAML::NodeType::Map: return "a mapping";
        case YAML::NodeType::Scalar: {
            if (!is_plain(n)) return "a string";
            double d;
            bool b;
            if (parse_number(n.Scalar(), d) != NumText::NotNumber) return "a number";
            if (parse_bool(n.Scalar(), b)) return "a boolean";
            return "a string";
        }
        default: return "null";
    }
}

// Each as_* reports "<subject> must be <kind>, got <kind>" at `where` and returns false.
inline bool as_string(Reader& r, const YAML::Node& n, const Loc& where, const std::string& subject, std::string& out) {
    if (!n.IsScalar()) {
        r.error(where, subject + " must be a string, got " + kind_of(n));
        return false;
    }
    out = n.Scalar();
    return true;
}

inline bool as_number(Reader& r, const YAML::Node& n, const Loc& where, const std::string& subject, double& out,
                      const char* kind = "a number") {
    if (!n.IsScalar() || !is_plain(n)) {
        r.error(where, subject + " must be " + kind + ", got " + kind_of(n));
        return false;
    }
    switch (parse_number(n.Scalar(), out)) {
        case NumText::Number: return true;
        case NumText::NonFinite:
            r.error(where, subject + " must be a finite number, got " + wording::q(n.Scalar()));
            return false;
        case NumText::NotNumber: break;
    }
    r.error(where, subject + " must be " + kind + ", got " + kind_of(n));
    return false;
}

inline bool as_float(Reader& r, const YAML::Node& n, const Loc& where, const std::string& subject, float& out,
                     const char* kind = "a number") {
    double d;
    if (!as_number(r, n, where, subject, d, kind)) return false;
    if (std::fabs(d) > double(FLT_MAX)) {
        r.error(where, subject + " is out of range: " + wording::q(n.Scalar()));
        return false;
    }
    out = float(d);
    return true;
}

// A whole number in [0, max].
inline bool as_uint(Reader& r, const YAML::Node& n, const Loc& where, const std::string& subject, uint64_t max,
                    uint64_t& out) {
    double d;
    if (!as_number(r, n, where, subject, d, "a whole number")) return false;
    const std::string& s = n.Scalar();
    uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || v > max) {
        r.error(where, subject + " must be a whole number from 0 to " + std::to_string(max) + ", got " +
                           wording::q(s));
        return false;
    }
    out = v;
    return true;
}

inline bool as_bool(Reader& r, const YAML::Node& n, const Loc& where, const std::string& subject, bool& out) {
    if (n.IsScalar() && is_plain(n) && parse_bool(n.Scalar(), out)) return true;
    r.error(where, subject + " must be a boolean, got " + kind_of(n));
    return false;
}

// A list of numbers (or, with `scalar_ok`, one number as a list of one).
inline bool as_floats(Reader& r, const YAML::Node& n, const Loc& where, const std::string& subject, bool scalar_ok,
                      std::vector<float>& out) {
    const char* kind = scalar_ok ? "a number or a list of numbers" : "a list of numbers";
    out.clear();
    if (scalar_ok && n.IsScalar()) {
        float f;
        if (!as_float(r, n, where, subject, f, kind)) return false;
        out.push_back(f);
        return true;
    }
    if (!n.IsSequence()) {
        r.error(where, subject + " must be " + kind + ", got " + kind_of(n));
        return false;
    }
    if (!r.spend(n.size(), where)) return false;
    bool ok = true;
    for (const YAML::Node& item : n) {
        float f = 0;
        Loc at = item.IsNull() ? where : r.loc(item);
        if (item.IsScalar() && is_plain(item)) {
            ok = as_float(r, item, at, subject, f, kind) && ok;
        } else {
            r.error(at, subject + " must be " + kind + ", got " + kind_of(item));
            ok = false;
        }
        out.push_back(f);
    }
    return ok;
}

// Exactly `count` numbers: "'translation' takes 3 numbers, got 2".
inline bool as_fixed(Reader& r, const YAML::Node& n, const Loc& where, const std::string& subject, size_t count,
                     std::vector<float>& out) {
    if (!n.IsSequence()) {
        r.error(where, subject + " must be a list of " + wording::numbers(count) + ", got " + kind_of(n));
        return false;
    }
    if (!as_floats(r, n, where, subject, false, out)) return false;
    if (out.size() != count) {
        r.error(where, subject + " takes " + wording::numbers(count) + ", got " + std::to_string(out.size()));
        return false;
    }
    return true;
}

// Exactly `count` numbers in double precision (image pixels of a gigapixel scan).
inline bool as_doubles(Reader& r, const YAML::Node& n, const Loc& where, const std::string& subject, size_t count,
                       double* out) {
    if (!n.IsSequence()) {
        r.error(where, subject + " must be a list of " + wording::numbers(count) + ", got " + kind_of(n));
        return false;
    }
    if (!r.spend(n.size(), where)) return false;
    if (n.size() != count) {
        r.error(where, subject + " takes " + wording::numbers(count) + ", got " + std::to_string(n.size()));
        return false;
    }
    bool ok = true;
    size_t i = 0;
    for (const YAML::Node& item : n) {
        Loc at = item.IsNull() ? where : r.loc(item);
        double d = 0;
        if (item.IsScalar() && is_plain(item)) {
            ok = as_number(r, item, at, subject, d, "a list of numbers") && ok;
        } else {
            r.error(at, subject + " must be a list of numbers, got " + kind_of(item));
            ok = false;
        }
        out[i++] = d;
    }
    return ok;
}

inline bool as_vec3(Reader& r, const YAML::Node& n, const Loc& where, const std::string& subject, glm::vec3& out) {
    std::vector<float> v;
    if (!as_fixed(r, n, where, subject, 3, v)) return false;
    out = glm::vec3(v[0], v[1], v[2]);
    return true;
}

// ---- mappings and sequences --------------------------------------------------------

struct Field {
    std::string key;
    YAML::Node value;
    Loc key_loc;
    Loc loc;  // the value's (the key's when the value is empty)
    std::string subject() const { return wording::q(key); }
};

class Map {
public:
    Loc loc;
    std::vector<Field> fields;
    std::vector<std::string> suggested;  // keys offered as "did you mean" by allow()

    const Field* get(std::string_view key) const {
        for (const Field& f : fields)
            if (f.key == key) return &f;
        return nullptr;
    }
    bool has(std::string_view key) const { return get(key) != nullptr; }

    // Reports and drops every key not in `allowed`: "unknown key 'x' in node 'vase' (did
    // you mean 'y'?)"; `context` is "in node 'vase'", "at top level", ...
    void allow(Reader& r, const std::vector<std::string>& allowed, const std::string& context) {
        std::vector<Field> kept;
        for (Field& f : fields) {
            if (std::find(allowed.begin(), allowed.end(), f.key) != allowed.end()) {
                kept.push_back(std::move(f));
                continue;
            }
            std::string best = nearest(f.key, allowed);
            if (!best.empty()) suggested.push_back(best);
            r.error(f.key_loc, "unknown key " + wording::q(f.key) + " " + context +
                                   (best.empty() ? "" : " (did you mean " + wording::q(best) + "?)"));
        }
        fields = std::move(kept);
    }

    // by_key for every key present: where its value is.
    // Whether a misspelling of one of `keys` was reported: then "needs ..." would only repeat it.
    bool misspelt(const std::vector<std::string>& keys) const {
        for (const std::string& k : keys)
            if (std::find(suggested.begin(), suggested.end(), k) != suggested.end()) return true;
        return false;
    }

    void record(Locs& locs) const {
        for (const Field& f : fields) locs.by_key[f.key] = f.loc;
    }
};

// A mapping's fields in file order. Null reads as an empty mapping. A repeated key is
// reported and the first one kept: "'name' is given twice (first at f:3:5)", or with
// `defines` ("asset"): "asset 'x' is defined twice (first at f:3:5)".
inline bool open_map(Reader& r, const YAML::Node& n, const Loc& where, const std::string& subject, Map& out,
                     const std::string& defines = "") {
    out = Map{};
    out.loc = n.IsNull() || n.Mark().line < 0 ? where : r.loc(n);
    if (n.IsNull()) return true;
    if (!n.IsMap()) {
        r.error(where, subject + " must be a mapping, got " + kind_of(n));
        return false;
    }
    if (!r.spend(n.size() + 1, out.loc)) return false;
    for (auto it = n.begin(); it != n.end(); ++it) {
        YAML::Node key = it->first;  // a copy: `it->` yields a proxy that dies with the statement
        Loc key_loc = key.Mark().line < 0 ? out.loc : r.loc(key);
        if (!key.IsScalar()) {
            r.error(key_loc, "a key must be a name, got " + kind_of(key));
            continue;
        }
        Field f{key.Scalar(), it->second, key_loc, key_loc};
        if (!f.value.IsNull() && f.value.Mark().line >= 0) f.loc = r.loc(f.value);
        if (const Field* first = out.get(f.key)) {
            std::string what = defines.empty() ? wording::q(f.key) + " is given"
                                               : defines + " " + wording::q(f.key) + " is defined";
            r.error(key_loc, what + " twice (first at " + first->key_loc.str() + ")");
            continue;
        }
        out.fields.push_back(std::move(f));
    }
    return true;
}

struct Item {
    YAML::Node node;
    Loc loc;
};

// A sequence's items. Null reads as an empty sequence.
inline std::vector<Item> open_seq(Reader& r, const YAML::Node& n, const Loc& where, const std::string& subject) {
    std::vector<Item> items;
    if (n.IsNull()) return items;
    if (!n.IsSequence()) {
        r.error(where, subject + " must be a sequence, got " + kind_of(n));
        return items;
    }
    if (!r.spend(n.size() + 1, where)) return items;
    for (const YAML::Node& item : n)
        items.push_back({item, item.IsNull() || item.Mark().line < 0 ? where : r.loc(item)});
    return items;
}

// ---- fields of a mapping: absent leaves `out` alone and returns false --------------

inline bool read(Reader& r, const Map& m, const char* key, std::string& out) {
    const Field* f = m.get(key);
    return f && as_string(r, f->value, f->loc, f->subject(), out);
}
inline bool read(Reader& r, const Map& m, const char* key, double& out) {
    const Field* f = m.get(key);
    return f && as_number(r, f->value, f->loc, f->subject(), out);
}
inline bool read(Reader& r, const Map& m, const char* key, float& out) {
    const Field* f = m.get(key);
    return f && as_float(r, f->value, f->loc, f->subject(), out);
}
inline bool read(Reader& r, const Map& m, const char* key, bool& out) {
    const Field* f = m.get(key);
    return f && as_bool(r, f->value, f->loc, f->subject(), out);
}
inline bool read(Reader& r, const Map& m, const char* key, glm::vec3& out) {
    const Field* f = m.get(key);
    return f && as_vec3(r, f->value, f->loc, f->subject(), out);
}

// "timeline needs 'duration'" at the mapping, when the key is absent.
inline bool need(Reader& r, const Map& m, const char* key, const std::string& what) {
    if (m.has(key)) return true;
    if (!m.misspelt({key})) r.error(m.loc, what + " needs " + wording::q(key));
    return false;
}

// A number that must not be negative (times, fades).
inline bool read_nonneg(Reader& r, const Map& m, const char* key, double& out) {
    double v;
    if (!read(r, m, key, v)) return false;
    if (v < 0) {
        r.error(m.get(key)->loc, wording::q(key) + " must not be negative, got " + wording::num(v));
        return false;
    }
    out = v;
    return true;
}

// The keys of `m` among `choices`, for mappings whose kind is given by one key
// (`{play: x}`, `{gltf: path}`, `{touch: any, to: tour}`).
inline std::vector<const Field*> present(const Map& m, const std::vector<std::string>& choices) {
    std::vector<const Field*> out;
    for (const Field& f : m.fields)
        if (std::find(choices.begin(), choices.end(), f.key) != choices.end()) out.push_back(&f);
    return out;
}

// An OSC address: "/a/b".
inline bool read_address(Reader& r, const Map& m, const char* key, std::string& out) {
    std::string s;
    if (!read(r, m, key, s)) return false;
    if (s.size() < 2 || s[0] != '/' || s.find_first_of(" \t#*,?[]{}") != std::string::npos) {
        r.error(m.get(key)->loc, wording::q(key) + " must be an OSC address like /a/b, got " + wording::q(s));
        return false;
    }
    out = s;
    return true;
}

// A file a YAML file names relative to its own folder (`folder`; `whose`: "display
// file", "site file"): not empty, no NUL, not absolute, inside that folder, a regular
// file. Its full path, or empty (and reported at `at`). `what`: "screen 'c': mesh", "scene".
inline std::filesystem::path file_inside(Reader& r, const std::filesystem::path& folder, const std::string& path,
                                         const Loc& at, const std::string& what, const std::string& whose) {
    using wording::q;
    if (path.empty()) {
        r.error(at, what + " path is empty");
        return {};
    }
    if (path.find('\0') != std::string::npos) {
        r.error(at, what + " path contains a NUL byte (written as \\0 or \\x00?)");
        return {};
    }
    if (std::filesystem::path(path).is_absolute()) {
        r.error(at, what + " path " + q(path) + " is absolute: write it relative to the " + whose + "'s folder");
        return {};
    }
    Result<std::filesystem::path> full = resolve_inside(folder.empty() ? std::filesystem::path(".") : folder, path);
    if (!full) {
        r.error(at, what + " path " + q(path) + " leaves the " + whose + "'s folder");
        return {};
    }
    std::error_code ec;
    if (!std::filesystem::exists(full.value(), ec)) {
        r.error(at, what + " file " + q(path) + " not found");
        return {};
    }
    if (!std::filesystem::is_regular_file(full.value(), ec)) {
        r.error(at, what + " " + q(path) + " is not a regular file");
        return {};
    }
    return full.value();
}

// The problems from index `from` on in reading order: `file` top to bottom, then the
// other files it led to (by name, each top to bottom). Stable: one place keeps its order.
inline void in_reading_order(std::vector<Problem>& problems, size_t from, const std::filesystem::path& file) {
    const std::string name = file.string();
    std::stable_sort(problems.begin() + long(from), problems.end(), [&](const Problem& a, const Problem& b) {
        return std::make_tuple(a.loc.file != name, a.loc.file, a.loc.line, a.loc.column) <
               std::make_tuple(b.loc.file != name, b.loc.file, b.loc.line, b.loc.column);
    });
}

// The text of a YAML file (at most `max_bytes`), or nothing and one problem placed at the
// file ("t.scene.yaml: not a regular file (a named pipe)").
inline std::optional<std::string> read_text(const std::filesystem::path& file, size_t max_bytes,
                                            std::vector<Problem>& problems) {
    Result<std::vector<uint8_t>> text = read_file(file, max_bytes);
    if (text) return std::string(text->begin(), text->end());
    std::string message = text.error().message, prefix = file.string() + ": ";
    if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());  // the place already names the file
    problems.push_back({Loc{file.string(), 0, 0}, message});
    return std::nullopt;
}

}  // namespace vitrine::yaml
