// `vitrine edit SCENE`: the curator's editor. `--script EDITS.txt` runs the edits with no
// window (one command a line, docs/editor.md) — the same commands the window's panels
// and OSC /vitrine/edit issue — and saves only when every line worked.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/args.h"
#include "app/commands.h"
#include "app/usage.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/text_checks.h"
#include "edit/document.h"

namespace vitrine::app {

namespace {

int run_script(edit::Document& doc, const std::string& script, const Args& args) {
    auto bytes = read_file(script, 16u << 20);
    if (!bytes) {
        log::error(bytes.error().message);
        return kBadInput;
    }
    std::string text(bytes->begin(), bytes->end());
    if (auto bad = check_utf8(text)) {
        log::error(script + ":" + std::to_string(bad->at.line) + ":" + std::to_string(bad->at.column) + ": " +
                   bad->message + "; nothing saved");
        return kBadInput;
    }
    std::istringstream in(text);
    std::string line;
    int number = 0, edits = 0;
    // `save` lines are done at the end, and only when every line worked.
    std::optional<std::filesystem::path> save_to;
    bool force = args.has("--force");
    if (args.has("--save")) save_to = doc.path();
    if (args.has("--save-as")) save_to = args.get("--save-as", "");
    while (std::getline(in, line)) {
        ++number;
        auto c = edit::parse_command(line);
        if (c && (c->verb == "save" || c->verb == "save as")) {
            size_t extra = c->verb == "save" ? 0 : 1;
            if (c->args.size() > extra && c->args[extra] != "force") {
                log::error(script + ":" + std::to_string(number) + ": '" + c->verb + "' takes 'force' or nothing after " +
                           (extra ? "the file" : "it") + ", got '" + c->args[extra] + "'; nothing saved");
                return kBadInput;
            }
            save_to = c->verb == "save" ? doc.path() : std::filesystem::path(c->args[0]);
            force = force || c->args.size() > extra;
            continue;
        }
        Result<void> r = c ? doc.run(*c) : Result<void>(c.error());
        if (!r) {
            log::error(script + ":" + std::to_string(number) + ": " + r.error().message + "; nothing saved");
            return kBadInput;
        }
        if (c && !c->verb.empty()) ++edits;
    }
    for (const yaml::Problem& p : doc.problems()) std::fprintf(stderr, "%s\n", p.str().c_str());
    if (args.has("--print")) std::fwrite(doc.text().data(), 1, doc.text().size(), stdout);
    if (!save_to) {
        log::info("edit: " + std::to_string(edits) + " edits, " + std::to_string(doc.problems().size()) +
                  " problems; not saved (--save or --save-as OUT writes them)");
        return doc.problems().empty() ? kOk : kBadInput;
    }
    if (!doc.unsaved() && *save_to == doc.path()) {
        log::info("edit: " + doc.path().string() + " unchanged");
        return kOk;
    }
    Result<void> saved = *save_to == doc.path() ? doc.save(force) : doc.save_as(*save_to, force);
    if (!saved) {
        log::error(saved.error().message);
        return kBadInput;
    }
    log::info("edit: " + std::to_string(edits) + " edits saved to " + save_to->string() + " (the previous version: " +
              save_to->string() + "~)");
    return kOk;
}

}  // namespace

int cmd_edit(int argc, char** argv) {
    auto args = Args::parse(argc, argv, 2, {"--script", "--save-as", "--display", "--size", "--ui-scale", "--frames",
                                            "--osc-port", "--record", "--time"},
                            {"--save", "--force", "--print", "--quiet", "--no-audio"});
    if (!args) {
        usage_error("edit", args.error().message);
        return kUsage;
    }
    if (args->words().size() != 1) {
        usage_error("edit");
        return kUsage;
    }
    if (args->has("--quiet")) log::set_quiet(true);
    if (args->has("--save") && args->has("--save-as")) {
        usage_error("edit", "--save and --save-as: choose one");
        return kUsage;
    }
    auto doc = edit::Document::open(args->words()[0]);
    if (!doc) {
        log::error(doc.error().message);
        return kBadInput;
    }
    if (args->has("--script")) return run_script(**doc, args->get("--script", ""), *args);
    return cmd_edit_window(std::move(*doc), *args);
}

}  // namespace vitrine::app
