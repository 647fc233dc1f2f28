// `vitrine bench --edit SCENE [--frames N] [--size WxH]`: numbers against the editor's
// goals, never pass/fail (the goals are set for lavapipe at 1280x720):
//   1. the editor's frame on SCENE with every panel open against `run`'s: in one window,
//      one Session of SCENE (as `edit` opens it: no sound, no OSC) stepped N frames bare
//      (run), N frames with the editor attached (Editor::frame + step, a model node
//      selected so the inspector and the gizmo are drawn), N frames bare again — the
//      two run halves show how far lavapipe's timing drifted (goal: editor <= 1.10 x run);
//   2. the panels' CPU time (Editor::frame alone) on a generated 500-node scene
//      (goal < 2 ms);
//   3. the save of a generated ~2000-line scene file (goal < 20 ms), and an edit's cost
//      (apply: the text changed, parsed and checked again).
// The show runs on simulated time (1/60 s a frame) so that every half draws the same kind
// of frames; the timings are wall time on the steady clock.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/args.h"
#include "app/commands.h"
#include "app/usage.h"
#include "core/log.h"
#include "display/window.h"
#include "edit/document.h"
#include "editor/editor.h"
#include "editor/ui.h"
#include "session/clock.h"
#include "session/session.h"

namespace vitrine::app {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kWarmup = 20;                // frames before a half is timed: pipelines, first uploads, ImGui's fonts
constexpr double kFrameStep = 1.0 / 60.0;  // show time a frame
constexpr double kDayStart = 12 * 3600.0;  // civil time at show time 0 (the same in every half)
constexpr double kEpochStart = 1'700'000'000.0;
constexpr int kSaves = 20;                 // saves (and edits) timed in part 3
constexpr size_t kSaveLines = 2000;        // the generated file of part 3 has at least this many lines

double ms_between(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double, std::milli>(b - a).count(); }

// Nearest rank, as bench --session reads its percentiles.
double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    size_t k = std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5));
    std::nth_element(v.begin(), v.begin() + long(k), v.end());
    return v[k];
}

bool has_display() {
    const char* x = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    return (x && *x) || (wayland && *wayland);
}

struct Setup {
    std::string scene;
    uint32_t width = 1280, height = 720;
    int frames = 120;
};

// The simulated clock of a Session: the caller sets t before each step (t outlives the session).
session::ShowClock sim_clock(double& t) {
    return session::ShowClock([&t] { return t; }, [&t] { return session::CivilTime{kDayStart + t, kEpochStart + t}; });
}

session::SessionOptions session_options(const std::string& scene, const Setup& b, display::Window& window) {
    session::SessionOptions so;
    so.scene = scene;
    so.show.aspect = float(b.width) / float(b.height);
    so.show.hook_limits.wall_seconds = 0.05;  // as `run` sets it by default
    so.rig = window.rig_options(validation_requested());
    so.rig.tile_fade_frames = 8;              // as `run` and `edit` draw
    // so.osc and so.audio stay empty: no control port (OSC port 0), no sound.
    return so;
}

// The first model node of a scene (the one selected), or "".
std::string first_model(const show::SceneFile& file) {
    for (const show::Node& n : file.nodes)
        if (!n.model.empty()) return n.name;
    return {};
}

void print_times(const char* what, const std::vector<double>& ms) {
    std::printf("  %-22s median %9.3f ms   p90 %9.3f ms\n", what, percentile(ms, 0.5), percentile(ms, 0.9));
}

// ---- part 1: the editor's frame against run's -------------------------------------------

struct Part1 {
    std::vector<double> run_before, editor, run_after;
    std::string device, selected;
};

Result<void> step_timed(session::Session& s, std::vector<session::Event> events, std::vector<double>* out, Clock::time_point t0) {
    auto r = s.step(std::move(events));
    auto t1 = Clock::now();
    if (!r) return r.error();
    if (out) out->push_back(ms_between(t0, t1));
    return {};
}

// `run`'s loop: step() alone, no overlay, the show's camera.
Result<void> run_half(session::Session& s, double& t, int& k, const Setup& b, std::vector<double>& out) {
    s.set_window_filter({});
    s.set_overlay({});
    s.set_camera(std::nullopt);
    for (int i = 0; i < kWarmup + b.frames; ++i, ++k) {
        t = k * kFrameStep;
        auto t0 = Clock::now();
        if (auto r = step_timed(s, {}, i < kWarmup ? nullptr : &out, t0); !r) return r.error();
    }
    return {};
}

// `edit`'s loop: the panels built (Editor::frame), then step() with their events.
Result<void> editor_half(session::Session& s, edit::Document& doc, double& t, int& k, const Setup& b, Part1& p) {
    editor::Ui ui(1);
    editor::Editor editor(s, doc, ui);
    s.set_window_filter([&](const display::WindowEvent& e) { return editor.take(e); });
    p.selected = first_model(doc.scene());
    editor.select(p.selected);
    auto last = Clock::now();
    Result<void> result;
    for (int i = 0; i < kWarmup + b.frames; ++i, ++k) {
        t = k * kFrameStep;
        auto t0 = Clock::now();
        double dt = std::chrono::duration<double>(t0 - last).count();
        last = t0;
        uint32_t fw = 0, fh = 0;
        s.output().size(&fw, &fh);
        std::vector<session::Event> events = editor.frame(fw, fh, dt);
        if (auto r = step_timed(s, std::move(events), i < kWarmup ? nullptr : &p.editor, t0); !r) {
            result = r.error();
            break;
        }
    }
    // Back to run's loop: the editor (and its Ui) are gone after this.
    s.set_window_filter({});
    s.set_overlay({});
    s.set_camera(std::nullopt);
    return result;
}

Result<Part1> part1(const Setup& b, display::Window& window) {
    auto opened_doc = edit::Document::open(b.scene);
    if (!opened_doc) return opened_doc.error();
    std::unique_ptr<edit::Document> document = std::move(opened_doc.value());
    edit::Document& doc = *document;
    if (first_model(doc.scene()).empty()) return fail(ErrorKind::BadInput, b.scene + " has no model node to select");
    double t = 0;
    auto opened = session::Session::open(session_options(b.scene, b, window), window, sim_clock(t));
    if (!opened) return opened.error();
    session::Session& s = *opened.value();
    s.set_document(std::move(document));  // as `edit` does; unchanged, so `run`'s loop never looks at it
    Part1 p;
    p.device = s.stage().rig->ctx().device_name();
    int k = 0;  // frames stepped: show time goes on across the halves
    // A first run half not timed (lavapipe's first frames are slow), then run, editor,
    // run, editor: both kinds of frame on either side of the other against the drift.
    std::vector<double> discarded;
    Result<void> r = run_half(s, t, k, b, discarded);
    if (r) r = run_half(s, t, k, b, p.run_before);
    if (r) r = editor_half(s, doc, t, k, b, p);
    if (r) r = run_half(s, t, k, b, p.run_after);
    if (r) r = editor_half(s, doc, t, k, b, p);
    int code = s.finish(kOk);
    if (!r) return r.error();
    if (code != kOk) return fail(ErrorKind::Validation, "Vulkan validation spoke during part 1 (see above)");
    return p;
}

// ---- the generated scenes -------------------------------------------------------------

struct Generated {
    std::string text;
    size_t lines = 0, nodes = 0, lights = 0, groups = 0, models = 0, tracks = 0, cues = 0;
    std::string selected;  // the first model node
};

std::string fmt(const char* f, double a) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, a);
    return buf;
}

std::string vec3(double x, double y, double z) {
    return "[" + fmt("%g", x) + ", " + fmt("%g", y) + ", " + fmt("%g", z) + "]";
}

size_t count_lines(const std::string& s) { return size_t(std::count(s.begin(), s.end(), '\n')); }

// A show of 25 groups, each with 19 children (1 light, 6 empty groups, 12 models of the
// demo's glTF assets, found through `search:` roots: absolute, written relative to `dir`
// where the file goes), 1 looping timeline with 4 tracks, one state, and `min_cues` cues or
// more: as many as give the file `min_lines` lines. `block`: one key a line (and models
// at their own scale); else flow style, one node a line (models at 0.6, to fit their plinths).
Generated generate(const fs::path& dir, const std::vector<std::string>& search,
                   const std::vector<std::pair<std::string, std::string>>& models, bool block, int min_cues, size_t min_lines) {
    constexpr int kGroups = 25, kChildren = 19;
    Generated g;
    std::ostringstream o;
    o << "# Generated by `vitrine bench --edit`: " << kGroups * (kChildren + 1) << " nodes for the editor's benchmark.\n";
    o << "vitrine: 1\nseed: 1\nsearch:\n";
    for (const std::string& s : search) {
        std::error_code ec;
        fs::path rel = fs::relative(s, fs::weakly_canonical(dir, ec), ec);  // roots are written relative to the file
        o << "  - \"" << (rel.empty() ? fs::path(s) : rel).generic_string() << "\"\n";
    }
    o << "assets:\n";
    for (const auto& [name, path] : models) o << "  " << name << ": {gltf: \"" << path << "\"}\n";
    o << "environment: {source: studio, rotation: 0, intensity: 0.9}\n";
    o << "look: {tonemap: khr-pbr-neutral, exposure: 0, background: sky}\n";
    o << "nodes:\n";
    auto name_of = [](int group, int child) {
        char buf[32];
        if (child < 0) std::snprintf(buf, sizeof buf, "g%02d", group);
        else std::snprintf(buf, sizeof buf, "g%02d_%s%02d", group, child == 0 ? "light" : child % 3 == 1 ? "empty" : "model", child);
        return std::string(buf);
    };
    for (int gi = 0; gi < kGroups; ++gi) {
        double gx = (gi % 5 - 2) * 2.5, gz = (gi / 5 - 2) * 2.5;
        o << "  - name: " << name_of(gi, -1) << "\n    translation: " << vec3(gx, 0, gz) << "\n    children:\n";
        ++g.nodes, ++g.groups;
        for (int c = 0; c < kChildren; ++c) {
            std::string name = name_of(gi, c);
            double x = (c % 5 - 2) * 0.45, z = (c / 5 - 2) * 0.45;
            std::vector<std::pair<std::string, std::string>> keys;  // key, value (flow text)
            if (c == 0) {
                keys = {{"light", "{type: point, color: [1, 0.95, 0.9], intensity: 4}"}, {"translation", vec3(0, 2, 0)}};
                ++g.lights;
            } else if (c % 3 == 1) {
                keys = {{"translation", vec3(x, 0, z)}};
                ++g.groups;
            } else {
                const std::string& asset = models[size_t(c) % models.size()].first;
                keys = {{"model", asset}, {"translation", vec3(x, 0, z)}, {"rotation", vec3(0, c * 17 % 360, 0)}};
                if (!block) keys.push_back({"scale", "0.6"});
                if (g.selected.empty()) g.selected = name;
                ++g.models;
            }
            ++g.nodes;
            if (block) {
                o << "      - name: " << name << "\n";
                for (const auto& [key, value] : keys) o << "        " << key << ": " << value << "\n";
            } else {
                o << "      - {name: " << name;
                for (const auto& [key, value] : keys) o << ", " << key << ": " << value;
                o << "}\n";
            }
        }
    }
    // One looping timeline: a group moving, a group turning, a light dimming, the selected model bobbing.
    o << "timelines:\n  - name: main\n    duration: 60\n    loop: true\n    tracks:\n";
    struct Track { std::string target; std::vector<std::string> values; };
    std::vector<Track> tracks = {
        {"g00.translation", {vec3(-5, 0, -5), vec3(-4.5, 0, -5), vec3(-5, 0, -5)}},
        {"g12.rotation", {vec3(0, 0, 0), vec3(0, 180, 0), vec3(0, 360, 0)}},
        {"g24_light00.intensity", {"[4]", "[1]", "[4]"}},
        {g.selected + ".translation", {vec3(-0.45, 0, -0.9), vec3(-0.45, 0.2, -0.9), vec3(-0.45, 0, -0.9)}},
    };
    for (const Track& tr : tracks) {
        o << "      - target: " << tr.target << "\n        keys:\n";
        for (size_t i = 0; i < tr.values.size(); ++i) o << "          - {t: " << i * 30 << ", value: " << tr.values[i] << "}\n";
        ++g.tracks;
    }
    o << "start: main\nstates:\n  - name: main\n    timeline: main\n";
    std::string head = o.str();
    // Cues: at least min_cues, then as many as reach min_lines.
    std::string cues = "cues:\n";
    for (int i = 0;; ++i) {
        if (i >= min_cues && count_lines(head) + count_lines(cues) >= min_lines) break;
        std::ostringstream c;
        std::string id = std::to_string(i + 1);
        double at = double(i % 60) + 0.5 * double(i / 60 % 2);
        std::string target = name_of(i % kGroups, 0) + ".intensity";
        if (block) {
            c << "  - id: \"" << id << "\"\n    name: cue " << id << "\n    at:\n      timeline: main\n      t: " << fmt("%g", at)
              << "\n    actions:\n      - set: " << target << "\n        value: " << fmt("%g", 2 + i % 5) << "\n        fade: 1\n";
        } else {
            c << "  - {id: \"" << id << "\", name: cue " << id << ", at: {timeline: main, t: " << fmt("%g", at)
              << "}, actions: [{set: " << target << ", value: " << fmt("%g", 2 + i % 5) << ", fade: 1}]}\n";
        }
        cues += c.str();
        ++g.cues;
    }
    g.text = head + cues;
    g.lines = count_lines(g.text);
    return g;
}

Result<void> write_file(const fs::path& file, const std::string& text) {
    std::ofstream f(file, std::ios::binary | std::ios::trunc);
    if (!f) return fail(ErrorKind::BadInput, "cannot write " + file.string());
    f << text;
    f.close();
    if (!f) return fail(ErrorKind::BadInput, "cannot write " + file.string());
    return {};
}

// Writes the generated text and opens it as a Document; a problem is an error (the bench's own bug).
Result<std::unique_ptr<edit::Document>> open_generated(const fs::path& file, const Generated& g) {
    if (auto r = write_file(file, g.text); !r) return r.error();
    auto doc = edit::Document::open(file);
    if (!doc) return doc.error();
    if (!doc.value()->problems().empty())
        return fail(ErrorKind::BadInput, "the generated scene has " + std::to_string(doc.value()->problems().size()) +
                                             " problem(s), the first: " + doc.value()->problems()[0].str());
    return std::move(doc.value());
}

// The search roots and glTF assets of SCENE, for the generated scenes: its folder and its
// `search:` roots, absolute; its glTF assets as it writes them.
Result<void> demo_assets(const edit::Document& doc, std::vector<std::string>& search, std::vector<std::pair<std::string, std::string>>& models) {
    const show::SceneFile& file = doc.scene();
    std::error_code ec;
    fs::path folder = fs::weakly_canonical(fs::absolute(doc.path(), ec).parent_path(), ec);
    search.push_back(folder.string());
    for (const std::string& s : file.search) search.push_back(fs::weakly_canonical(folder / s, ec).string());
    for (const show::Asset& a : file.assets)
        if (a.kind == show::AssetKind::Gltf) models.emplace_back(a.name, a.path);
    if (models.empty()) return fail(ErrorKind::BadInput, doc.path().string() + " has no glTF asset to build the generated scenes from");
    return {};
}

// ---- part 2: the panels' CPU time on 500 nodes -----------------------------------------

struct Part2 {
    std::vector<double> ms;
    Generated g;
};

Result<Part2> part2(const Setup& b, display::Window& window, const fs::path& dir, const std::vector<std::string>& search,
                    const std::vector<std::pair<std::string, std::string>>& models) {
    Part2 p;
    p.g = generate(dir, search, models, false, 50, 0);
    fs::path file = dir / "nodes500.scene.yaml";
    auto opened_doc = open_generated(file, p.g);
    if (!opened_doc) return opened_doc.error();
    std::unique_ptr<edit::Document> document = std::move(opened_doc.value());
    edit::Document& doc = *document;
    double t = 0;
    auto opened = session::Session::open(session_options(file.string(), b, window), window, sim_clock(t));
    if (!opened) return opened.error();
    session::Session& s = *opened.value();
    s.set_document(std::move(document));
    // One frame drawn before the editor's first: Editor::viewport reads the drawn frame's
    // world matrix of the selected node, and before a frame is drawn there is none.
    Result<void> result = s.step();
    if (result) {
        editor::Ui ui(1);
        editor::Editor editor(s, doc, ui);
        s.set_window_filter([&](const display::WindowEvent& e) { return editor.take(e); });
        editor.select(p.g.selected);
        auto last = Clock::now();
        for (int k = 0; k < kWarmup + b.frames; ++k) {
            t = (k + 1) * kFrameStep;
            auto now = Clock::now();
            double dt = std::chrono::duration<double>(now - last).count();
            last = now;
            uint32_t fw = 0, fh = 0;
            s.output().size(&fw, &fh);
            auto t0 = Clock::now();
            std::vector<session::Event> events = editor.frame(fw, fh, dt);
            auto t1 = Clock::now();
            if (k >= kWarmup) p.ms.push_back(ms_between(t0, t1));
            // The show is drawn while warming up (so the panels see a drawn frame), then
            // stepped without drawing: 300 models on lavapipe take long, and only the
            // panels are timed here.
            if (auto r = s.step(std::move(events), k < kWarmup); !r) {
                result = r.error();
                break;
            }
        }
        s.set_window_filter({});
        s.set_overlay({});
        s.set_camera(std::nullopt);
    }
    int code = s.finish(kOk);
    if (!result) return result.error();
    if (code != kOk) return fail(ErrorKind::Validation, "Vulkan validation spoke during part 2 (see above)");
    return p;
}

// ---- part 3: saving a 2000-line file ---------------------------------------------------

struct Part3 {
    std::vector<double> save_ms, apply_ms;
    Generated g;
    std::string move;
};

Result<Part3> part3(const fs::path& dir, const std::vector<std::string>& search, const std::vector<std::pair<std::string, std::string>>& models) {
    Part3 p;
    p.g = generate(dir, search, models, true, 1, kSaveLines);
    fs::path file = dir / "lines2000.scene.yaml";
    auto opened_doc = open_generated(file, p.g);
    if (!opened_doc) return opened_doc.error();
    edit::Document& doc = *opened_doc.value();
    p.move = "move " + p.g.selected + " 0.01 0 0";
    for (int i = 0; i < kSaves; ++i) {  // move, save, move, save, ...: every save has something new
        auto t0 = Clock::now();
        auto r = doc.apply(p.move);
        auto t1 = Clock::now();
        if (!r) return fail(ErrorKind::BadInput, p.move + ": " + r.error().message);
        if (!doc.problems().empty()) return fail(ErrorKind::BadInput, p.move + " left a problem: " + doc.problems()[0].str());
        p.apply_ms.push_back(ms_between(t0, t1));
        auto s0 = Clock::now();
        auto saved = doc.save();
        auto s1 = Clock::now();
        if (!saved) return fail(ErrorKind::BadInput, "save " + file.string() + ": " + saved.error().message);
        p.save_ms.push_back(ms_between(s0, s1));
    }
    return p;
}

// Removes the generated files when the bench ends, however it ends.
struct TempDir {
    fs::path path;
    ~TempDir() {
        std::error_code ec;
        if (!path.empty()) fs::remove_all(path, ec);
    }
};

std::string goal_ratio(double value, double goal) { return fmt("%.2f", value / goal); }

}  // namespace

int bench_edit(int argc, char** argv) {
    auto args = Args::parse(argc, argv, 2, {"--edit", "--frames", "--size"}, {});
    if (!args) { usage_error("bench edit", args.error().message); return kUsage; }
    if (!args->words().empty() || args->get("--edit", "").empty()) {
        usage_error("bench edit");
        return kUsage;
    }
    log::set_quiet(true);  // numbers on stdout; warnings and errors still reach stderr
    auto frames = args->integer("--frames", 120);
    auto size = args->size("--size", 1280, 720);
    if (!frames || *frames < 1 || !size) {
        log::error(!size ? size.error().message : "--frames expects a number of frames, 1 or more");
        return kBadInput;
    }
    Setup b;
    b.scene = args->get("--edit", "");
    b.frames = *frames;
    b.width = size->first, b.height = size->second;
    if (!has_display()) {
        log::error("bench --edit: no display (DISPLAY and WAYLAND_DISPLAY are unset); run it under "
                   "xvfb-run -a -s \"-screen 0 1280x720x24\" vitrine bench --edit " + b.scene);
        return kGpuFailure;
    }
    // The generated scenes' roots and assets, from SCENE (checked before any window opens).
    std::vector<std::string> search;
    std::vector<std::pair<std::string, std::string>> models;
    {
        auto doc = edit::Document::open(b.scene);
        if (!doc) { log::error("bench --edit: " + doc.error().message); return exit_code(doc.error().kind); }
        if (!doc.value()->problems().empty()) {
            log::error("bench --edit: " + doc.value()->problems()[0].str() + " (run `vitrine check " + b.scene + "`)");
            return kBadInput;
        }
        if (auto r = demo_assets(*doc.value(), search, models); !r) { log::error("bench --edit: " + r.error().message); return kBadInput; }
    }
    TempDir tmp;
    {
        std::error_code ec;
        tmp.path = fs::temp_directory_path(ec) / ("vitrine-bench-edit-" + std::to_string(::getpid()));
        fs::create_directories(tmp.path, ec);
        if (ec) { log::error("bench --edit: cannot make " + tmp.path.string() + ": " + ec.message()); tmp.path.clear(); return kBadInput; }
    }

    display::WindowOptions wo;
    wo.width = b.width, wo.height = b.height;
    wo.title = "Vitrine — bench --edit " + b.scene;
    auto win = display::Window::open(wo);
    if (!win) { log::error("bench --edit: " + win.error().message); return exit_code(win.error().kind); }

    auto p1 = part1(b, *win.value());
    if (!p1) { log::error("bench --edit: " + p1.error().message); return exit_code(p1.error().kind); }
    bool lavapipe = p1->device.find("llvmpipe") != std::string::npos;
    std::printf("bench --edit on %s: %s\n", p1->device.c_str(),
                lavapipe ? ("lavapipe (software Vulkan) on this machine's " + std::to_string(std::thread::hardware_concurrency()) +
                            " CPU threads: the numbers are this machine's").c_str()
                         : "not lavapipe: the goals below are set for lavapipe at 1280x720");
    std::printf("1. editor frame vs run: %s at %ux%u, one Session (no sound, no OSC), %d frames a half after %d warm-up, "
                "show time 1/60 s a frame; editor: every panel open, %s selected\n",
                b.scene.c_str(), b.width, b.height, b.frames, kWarmup, p1->selected.c_str());
    print_times("run (before)", p1->run_before);
    print_times("editor", p1->editor);
    print_times("run (after)", p1->run_after);
    std::vector<double> run_all = p1->run_before;
    run_all.insert(run_all.end(), p1->run_after.begin(), p1->run_after.end());
    double editor_med = percentile(p1->editor, 0.5);
    double ratio = editor_med / percentile(run_all, 0.5);
    std::printf("  run drift: after / before = %.2f; editor / run before = %.2f, editor / run after = %.2f\n",
                percentile(p1->run_after, 0.5) / percentile(p1->run_before, 0.5), editor_med / percentile(p1->run_before, 0.5),
                editor_med / percentile(p1->run_after, 0.5));
    std::printf("  editor / run = %.2f (goal <= 1.10; medians of the two editor halves' and the two run halves' frames)\n", ratio);
    std::fflush(stdout);

    auto p2 = part2(b, *win.value(), tmp.path, search, models);
    if (!p2) { log::error("bench --edit: " + p2.error().message); return exit_code(p2.error().kind); }
    std::printf("2. panels' CPU time: Editor::frame alone on a generated scene of %zu nodes (%zu groups, %zu lights, %zu models), "
                "%zu tracks, %zu cues; %s selected; %d frames after %d warm-up\n",
                p2->g.nodes, p2->g.groups, p2->g.lights, p2->g.models, p2->g.tracks, p2->g.cues, p2->g.selected.c_str(), b.frames, kWarmup);
    double panels_med = percentile(p2->ms, 0.5);
    print_times("Editor::frame", p2->ms);
    std::printf("  median / goal = %s (goal < 2 ms)\n", goal_ratio(panels_med, 2).c_str());
    std::fflush(stdout);
    win.value().reset();  // the window is not needed any more

    auto p3 = part3(tmp.path, search, models);
    if (!p3) { log::error("bench --edit: " + p3.error().message); return exit_code(p3.error().kind); }
    double max_save = *std::max_element(p3->save_ms.begin(), p3->save_ms.end());
    std::printf("3. save: a generated scene file of %zu lines (%zu nodes, %zu cues, one key a line), %d saves (write, fsync, "
                "rename, keeping SCENE~), each after a `%s`\n",
                p3->g.lines, p3->g.nodes, p3->g.cues, kSaves, p3->move.c_str());
    std::printf("  %-22s median %9.3f ms   max %9.3f ms\n", "save", percentile(p3->save_ms, 0.5), max_save);
    std::printf("  median / goal = %s, max / goal = %s (goal < 20 ms)\n", goal_ratio(percentile(p3->save_ms, 0.5), 20).c_str(),
                goal_ratio(max_save, 20).c_str());
    std::printf("  %-22s median %9.3f ms   max %9.3f ms   (one edit: the text changed, parsed and checked again)\n",
                "apply(move)", percentile(p3->apply_ms, 0.5), *std::max_element(p3->apply_ms.begin(), p3->apply_ms.end()));
    std::fflush(stdout);
    return kOk;
}

}  // namespace vitrine::app
