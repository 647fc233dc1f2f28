// parse_inputs: scripted inputs (inputs.h) for offline runs and tests, read with the
// same checks and messages as scene files.
#include "show/inputs.h"

#include <optional>

#include "show/load.h"
#include "yaml/reader.h"

namespace vitrine::show {
namespace {

using namespace yaml;
using yaml::wording::q;

const std::vector<std::string> kInputKinds = {"touch", "osc", "go", "clock"};

// A touch on a node (a name) or at a point of the picture ([x, y], 0..1).
bool touch(Reader& r, const Field& f, Input& in) {
    if (f.value.IsScalar()) {
        in.kind = InputKind::TouchNode;
        return as_string(r, f.value, f.loc, f.subject(), in.node);
    }
    if (!f.value.IsSequence()) {
        r.error(f.loc, "'touch' must be a node name or a list of 2 numbers, got " + kind_of(f.value));
        return false;
    }
    std::vector<float> xy;
    if (!as_fixed(r, f.value, f.loc, f.subject(), 2, xy)) return false;
    if (xy[0] < 0 || xy[0] > 1 || xy[1] < 0 || xy[1] > 1) {
        r.error(f.loc, "'touch' point must lie in 0..1, got [" + yaml::wording::num(xy[0]) + ", " + yaml::wording::num(xy[1]) +
                           "]");
        return false;
    }
    in.kind = InputKind::TouchAt;
    in.x = xy[0];
    in.y = xy[1];
    return true;
}

// OSC arguments as text; numbers in one spelling (%g), as a received message has them.
bool osc_args(Reader& r, const Field& f, std::vector<std::string>& out) {
    bool ok = true;
    for (const Item& item : open_seq(r, f.value, f.loc, f.subject())) {
        double d;
        if (!item.node.IsScalar()) {
            r.error(item.loc, "'args' must be a list of numbers and strings, got " + kind_of(item.node));
            ok = false;
        } else if (is_plain(item.node) && parse_number(item.node.Scalar(), d) == NumText::Number) {
            out.push_back(yaml::wording::num(d));
        } else {
            out.push_back(item.node.Scalar());
        }
    }
    return ok;
}

// `t_at`: where its time is written, for the order check.
std::optional<Input> input(Reader& r, const Item& item, Loc& t_at) {
    Map m;
    if (!open_map(r, item.node, item.loc, "an input", m)) return std::nullopt;
    m.allow(r, {"t", "touch", "osc", "args", "go", "clock", "epoch"}, "in input");
    Input in;
    in.loc = t_at = m.loc;
    bool ok = need(r, m, "t", "input") && read_nonneg(r, m, "t", in.t);
    if (ok) t_at = m.get("t")->loc;
    std::vector<const Field*> kinds = present(m, kInputKinds);
    if (kinds.empty()) {
        if (!m.misspelt(kInputKinds)) r.error(m.loc, "input needs one of touch, osc, go");
        return std::nullopt;
    }
    if (kinds.size() > 1) {
        r.error(kinds[1]->key_loc, "input takes only one of touch, osc, go, got " + q(kinds[0]->key) + " and " +
                                       q(kinds[1]->key));
        return std::nullopt;
    }
    const Field& f = *kinds[0];
    const Field* args = m.get("args");
    if (args && f.key != "osc") {
        r.error(args->key_loc, "'args' goes with 'osc' only");
        ok = false;
    }
    const Field* epoch = m.get("epoch");
    if (epoch && f.key != "clock") {
        r.error(epoch->key_loc, "'epoch' goes with 'clock' only");
        ok = false;
    }
    if (f.key == "touch") {
        ok = touch(r, f, in) && ok;
    } else if (f.key == "osc") {
        in.kind = InputKind::Osc;
        ok = read_address(r, m, "osc", in.address) && ok;
        if (args) ok = osc_args(r, *args, in.args) && ok;
    } else if (f.key == "clock") {
        // The civil clock stepped: it reads HH:MM[:SS] from here on (and `epoch` seconds
        // since 1970 for os.time(); default: unchanged from the show's start, moved by the step).
        std::string text;
        if (as_string(r, f.value, f.loc, f.subject(), text)) {
            int seconds = parse_time_of_day(text);
            if (seconds < 0) {
                r.error(f.loc, "'clock' must be \"HH:MM\" or \"HH:MM:SS\", got " + q(text));
                ok = false;
            }
            in.kind = InputKind::Clock;
            in.time_of_day = seconds;
            in.epoch = -1;  // not given
            if (epoch) ok = read_nonneg(r, m, "epoch", in.epoch) && ok;
        } else {
            ok = false;
        }
    } else {
        bool go = false;
        if (as_bool(r, f.value, f.loc, f.subject(), go) && !go) r.error(f.loc, "'go' can only be true");
        in.kind = InputKind::Osc;
        in.address = "/vitrine/go";
        ok = go && ok;
    }
    if (!ok) return std::nullopt;
    return in;
}

}  // namespace

std::vector<Input> parse_inputs(const std::filesystem::path& file, const std::string& text,
                                std::vector<Problem>& problems) {
    std::vector<Input> inputs;
    Reader r(file.string(), problems);
    YAML::Node root;
    if (!load(r, text, root) || root.IsNull()) return inputs;  // an empty file: no inputs
    try {
        Map m;
        if (!open_map(r, root, r.start(), "the inputs file", m)) return inputs;
        m.allow(r, {"inputs"}, "at top level");
        if (!need(r, m, "inputs", "the inputs file")) return inputs;
        const Field& f = *m.get("inputs");
        for (const Item& item : open_seq(r, f.value, f.loc, f.subject())) {
            Loc t_at;
            std::optional<Input> in = input(r, item, t_at);
            if (!in) continue;
            if (!inputs.empty() && in->t < inputs.back().t) {  // kept out: what is returned stays in order
                r.error(t_at, "inputs must be in time order: t " + yaml::wording::num(in->t) + " follows t " +
                                  yaml::wording::num(inputs.back().t));
                continue;
            }
            inputs.push_back(std::move(*in));
        }
    } catch (const std::exception& e) {
        r.error(r.start(), std::string("cannot read the inputs: ") + e.what());
    }
    return inputs;
}

}  // namespace vitrine::show
