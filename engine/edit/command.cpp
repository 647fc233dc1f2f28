#include "edit/command.h"

#include <cctype>
#include <cmath>

#include "yaml/reader.h"
#include "yaml/wording.h"

namespace vitrine::edit {

const std::vector<Verb>& verbs() {
    static const std::vector<Verb> all = {
        {"set", "PATH VALUE", 2, 2},
        {"move", "NODE DX DY DZ", 4, 4},
        {"turn", "NODE RX RY RZ", 4, 4},
        {"snap", "NODE floor | NODE onto OTHER", 2, 3},
        {"zup", "NODE", 1, 1},
        {"node add", "KIND NAME [ASSET] [at X Y Z] [under PARENT]", 2, 9},
        {"node delete", "NAME", 1, 1},
        {"node rename", "NAME NEW", 2, 2},
        {"node duplicate", "NAME NEW", 2, 2},
        {"node parent", "NAME PARENT|root", 2, 2},
        {"key add", "TIMELINE TARGET TIME VALUE", 4, 4},
        {"key move", "TIMELINE TARGET TIME NEW_TIME", 4, 4},
        {"key delete", "TIMELINE TARGET TIME", 3, 3},
        {"track interpolation", "TIMELINE TARGET STEP|LINEAR|CUBICSPLINE", 3, 3},
        {"timeline set", "TIMELINE duration|loop VALUE", 3, 3},
        {"label set", "TIMELINE LABEL TIME", 3, 3},
        {"label delete", "TIMELINE LABEL", 2, 2},
        {"cue add", "ID [NAME]", 1, 2},
        {"cue set", "ID FIELD VALUE", 3, 3},
        {"cue delete", "ID", 1, 1},
        {"undo", "", 0, 0},
        {"redo", "", 0, 0},
        {"save", "[force]", 0, 1},
        {"save as", "FILE [force]", 1, 2},
    };
    return all;
}

namespace {

// Words, "quoted strings" and [bracketed lists] (a list may hold spaces).
Result<std::vector<std::string>> words_of(const std::string& line) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < line.size()) {
        char c = line[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
            continue;
        }
        if (c == '#') break;
        std::string w;
        if (c == '"') {
            ++i;
            bool closed = false;
            while (i < line.size()) {
                if (line[i] == '\\' && i + 1 < line.size()) {
                    w += line[i + 1];
                    i += 2;
                    continue;
                }
                if (line[i] == '"') {
                    closed = true;
                    ++i;
                    break;
                }
                w += line[i++];
            }
            if (!closed) return Error{"an unclosed quote", ErrorKind::Usage};
        } else if (c == '[') {
            size_t close = line.find(']', i);
            if (close == std::string::npos) return Error{"an unclosed '['", ErrorKind::Usage};
            w = line.substr(i, close + 1 - i);
            i = close + 1;
        } else {
            while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) w += line[i++];
        }
        out.push_back(w);
    }
    return out;
}

}  // namespace

bool parse_number(const std::string& arg, double& out) {
    return yaml::parse_number(arg, out) == yaml::NumText::Number;
}

bool parse_numbers(const std::string& arg, std::vector<float>& out) {
    out.clear();
    std::string body = arg;
    if (!body.empty() && body.front() == '[') {
        if (body.back() != ']') return false;
        body = body.substr(1, body.size() - 2);
        size_t i = 0;
        while (i <= body.size()) {
            size_t comma = body.find(',', i);
            if (comma == std::string::npos) comma = body.size();
            std::string item = body.substr(i, comma - i);
            size_t a = item.find_first_not_of(" \t"), b = item.find_last_not_of(" \t");
            if (a == std::string::npos) return false;
            double v;
            if (!parse_number(item.substr(a, b + 1 - a), v)) return false;
            out.push_back(float(v));
            i = comma + 1;
        }
        return !out.empty();
    }
    double v;
    if (!parse_number(body, v)) return false;
    out.push_back(float(v));
    return true;
}

Result<Command> parse_command(const std::string& line) {
    auto words = words_of(line);
    if (!words) return words.error();
    Command c;
    c.line = line;
    if (words->empty()) return c;
    // The longest verb that matches: `save as FILE` before `save`.
    const Verb* verb = nullptr;
    size_t used = 0;
    for (const Verb& v : verbs()) {
        std::string name = v.name;
        size_t space = name.find(' ');
        if (space == std::string::npos) {
            if ((*words)[0] == name && used < 1) verb = &v, used = 1;
        } else if (words->size() >= 2 && (*words)[0] == name.substr(0, space) && (*words)[1] == name.substr(space + 1)) {
            verb = &v, used = 2;
        }
    }
    if (!verb) {
        std::vector<std::string> names;
        for (const Verb& v : verbs()) names.push_back(v.name);
        std::string first = (*words)[0];
        if (first.size() > 40) first = first.substr(0, 40) + "...";  // a message stays one readable line
        // "key" alone, or "node frobnicate": name the verbs of that family.
        std::vector<std::string> family;
        for (const std::string& n : names)
            if (n.rfind(first + " ", 0) == 0) family.push_back(yaml::wording::q(n));
        if (!family.empty())
            return Error{"unknown command " + yaml::wording::q(first + (words->size() > 1 ? " " + (*words)[1] : "")) +
                             ": " + yaml::wording::join(family, ", ") + " exist",
                         ErrorKind::Usage};
        return Error{"unknown command " + yaml::wording::q(first) + yaml::wording::did_you_mean(first, names),
                     ErrorKind::Usage};
    }
    c.verb = verb->name;
    c.args.assign(words->begin() + long(used), words->end());
    // `cue add ID NAME WORDS...` and `cue set ID name WORDS...`: a name may be unquoted.
    if ((c.verb == "cue add" && c.args.size() > 2) || (c.verb == "cue set" && c.args.size() > 3)) {
        size_t keep = c.verb == "cue add" ? 1 : 2;
        std::string rest;
        for (size_t k = keep; k < c.args.size(); ++k) rest += (k > keep ? " " : "") + c.args[k];
        c.args.resize(keep);
        c.args.push_back(rest);
    }
    if (int(c.args.size()) < verb->min_args || int(c.args.size()) > verb->max_args)
        return Error{"'" + c.verb + "' takes " + (verb->usage[0] ? verb->usage : std::string("nothing")) + ", got " +
                         std::to_string(c.args.size()) + (c.args.size() == 1 ? " word" : " words"),
                     ErrorKind::Usage};
    return c;
}

}  // namespace vitrine::edit
