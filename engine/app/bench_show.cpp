// `vitrine bench --show SCENE`: the show runtime's numbers, CPU only — the scene's load
// time, the time to evaluate a 200-node scene with 50 animated tracks per frame, and the
// reload latency after a file change (inotify to a new running show), and what a seek and
// a reload cost after an hour, a day and 30 days of a kiosk's running (uptime_costs).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include <unistd.h>

#include "app/args.h"
#include "app/commands.h"
#include "show/live.h"
#include "show/loader.h"
#include "show/show.h"

namespace vitrine::app {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

// 200 nodes in groups of 10 (lights and a camera among them), 50 animated tracks over
// translation, rotation, scale, light colour and intensity, fov; cues and two states.
std::string two_hundred_nodes(int exposure_end) {
    std::string s = "nodes:\n";
    for (int g = 0; g < 20; ++g) {
        s += "  - name: group" + std::to_string(g) + "\n    translation: [" + std::to_string(g) + ", 0, 0]\n    children:\n";
        for (int i = 0; i < 9; ++i) {
            std::string n = "n" + std::to_string(g * 9 + i);
            s += "      - name: " + n + "\n        rotation: [0, " + std::to_string(i * 10) + ", 0]\n";
            if (i == 0) s += "        light: {type: point, intensity: 5}\n";
        }
    }
    s += "  - name: cam\n    camera: {fov: 40, orbit: {yaw: 0, pitch: 10, distance: 30, target: [10, 0, 0]}}\ncamera: cam\n";
    s += "timelines:\n  - name: loop\n    duration: 20\n    loop: true\n    tracks:\n";
    const char* kinds[] = {"translation", "rotation", "scale"};
    for (int t = 0; t < 46; ++t) {
        std::string target = "n" + std::to_string(t * 3 + 1) + "." + kinds[t % 3];
        s += "      - target: " + target + "\n        interpolation: " + (t % 2 ? "LINEAR" : "CUBICSPLINE") + "\n        keys:\n";
        for (int k = 0; k <= 4; ++k) {
            std::string v = "[" + std::to_string(1 + k % 2) + ", " + std::to_string(k * 20) + ", 1]";
            s += "          - {t: " + std::to_string(k * 5) + ", value: " + v;
            if (t % 2 == 0) s += ", in: [0, 0, 0], out: [0, 0, 0]";
            s += "}\n";
        }
    }
    s += "      - target: n0.color\n        keys: [{t: 0, value: [1, 1, 1]}, {t: 20, value: [1, 0.5, 0.2]}]\n";
    s += "      - target: n0.intensity\n        keys: [{t: 0, value: [1]}, {t: 20, value: [9]}]\n";
    s += "      - target: cam.fov\n        keys: [{t: 0, value: [40]}, {t: 20, value: [30]}]\n";
    s += "      - target: look.exposure\n        keys: [{t: 0, value: [0]}, {t: 20, value: [" + std::to_string(exposure_end) + "]}]\n";
    s += "cues:\n";
    for (int c = 1; c <= 10; ++c)
        s += "  - {id: \"" + std::to_string(c) + "\", at: {timeline: loop, t: " + std::to_string(c * 2 - 1) + "}}\n";
    s += "states:\n  - {name: a, timeline: loop, transitions: [{touch: any, to: b}]}\n  - {name: b, timeline: loop}\n";
    return s;
}

// What LiveShow::poll does with a new version of the scene once it is loaded (the load
// itself is timed above): the running show carried over onto the new scene.
std::unique_ptr<show::Show> reload_onto(show::Show& old, const show::LoadedScene& scene) {
    return show::reloaded(old, scene, {});
}

// A kiosk's uptime: touches at 60 an hour (fixed seed, points across the picture), the
// show played to 1 hour, 1 day and 30 days; at each, the cost of a seek 10 minutes back,
// a seek to now, a live seek 10 minutes back (LiveShow's: a new show started at the
// checkpoint and played in slices) and a reload (goal: flat, under 5 ms).
void uptime_costs(const show::LoadedScene& scene) {
    auto s = show::Show::create(scene);
    std::mt19937_64 random(1);
    std::uniform_real_distribution<double> within_hour(0, 3600), across(0.2, 0.8);
    double fed_until = 0;  // touches are given an hour ahead of the show
    auto feed = [&](double until) {
        for (; fed_until < until; fed_until += 3600) {
            std::vector<double> times;
            for (int i = 0; i < 60; ++i) times.push_back(fed_until + within_hour(random));
            std::sort(times.begin(), times.end());
            for (double t : times) {
                show::Input in;
                in.t = t;
                in.kind = show::InputKind::TouchAt;
                in.x = float(across(random)), in.y = float(across(random));
                s->input(in);
            }
        }
    };
    const double marks[] = {3600.0, 86400.0, 30 * 86400.0};
    const char* names[] = {"1 hour", "1 day", "30 days"};
    for (int m = 0; m < 3; ++m) {
        auto t = Clock::now();
        for (double now = s->now(); now < marks[m];) {
            feed(now + 3600);
            now = std::min(marks[m], now + 1.0);
            s->advance(now);
            s->take_log(), s->take_warnings(), s->take_outgoing();
        }
        double played_s = ms_since(t) / 1000;
        double at = s->now();
        t = Clock::now();
        s->seek(at - 600);
        double back = ms_since(t);
        t = Clock::now();
        s->seek(at);
        double to_now = ms_since(t);
        t = Clock::now();
        auto reloaded = reload_onto(*s, scene);
        double reload = ms_since(t);
        bool same = reloaded->state() == s->state() && reloaded->now() == s->now();
        s = std::move(reloaded);
        s->take_log(), s->take_warnings(), s->take_outgoing();
        t = Clock::now();  // a live seek (LiveShow::seek): a new show from the latest checkpoint, in slices
        auto live_seek = show::Show::create(scene);
        live_seek->begin_seek(*s, at - 600);
        while (!live_seek->advance(at - 600, 256)) {
        }
        live_seek->adopt_older_inputs(*s);  // landed: it takes over the older inputs
        double live_back = ms_since(t);
        s = std::move(live_seek);
        s->seek(at);
        s->take_log(), s->take_warnings(), s->take_outgoing();
        if (!s->hooks_state_warning().empty()) std::printf("  %s\n", s->hooks_state_warning().c_str());
        std::printf("after %-8s seek 10 min back %8.2f ms, seek to now %8.2f ms, live seek 10 min back %8.2f ms, reload %8.2f ms%s "
                    "(%zu inputs, %zu checkpoints kept; played in %.1f s)\n",
                    names[m], back, to_now, live_back, reload, same ? "" : " (reload changed the state!)", s->inputs().size(),
                    s->checkpoint_count(), played_s);
    }
}

}  // namespace

int bench_show(const std::string& scene_path) {
    std::printf("== show runtime (CPU)\n");
    // Load: parse, resolve, import every model (decoded), compile hooks, validate. Cold cache each time.
    std::vector<show::Problem> problems;
    double best = 1e9, total = 0;
    const int loads = 5;
    for (int i = 0; i < loads; ++i) {
        problems.clear();
        auto t = Clock::now();
        auto scene = show::load_scene(scene_path, problems);
        double ms = ms_since(t);
        if (!scene) {
            for (const auto& p : problems) std::fprintf(stderr, "%s\n", p.str().c_str());
            return kBadInput;
        }
        best = std::min(best, ms), total += ms;
    }
    std::printf("load %-40s %8.1f ms (best of %d: %.1f ms)\n", scene_path.c_str(), total / loads, loads, best);
    {
        show::AssetCache cache;
        auto first = show::load_scene(scene_path, problems, &cache);
        auto t = Clock::now();
        auto again = show::load_scene(scene_path, problems, &cache);
        std::printf("reload %-38s %8.1f ms (unchanged assets from the cache)\n", scene_path.c_str(), ms_since(t));
        // The scene's own frames, posed models included.
        auto s = show::Show::create(*first);
        show::Frame frame;
        t = Clock::now();
        for (int i = 0; i < 600; ++i) {
            s->advance(i / 60.0);
            s->evaluate(frame);
        }
        std::printf("evaluate %-36s %8.3f ms per frame (advance + evaluate incl. poses, 600 frames at 60 fps)\n",
                    scene_path.c_str(), ms_since(t) / 600);
        // Playing a busy day from show time 0 in one go (a touch every minute for 24
        // hours, each firing cues): what a seek costs where no checkpoint is nearer.
        auto day = show::Show::create(*first);
        for (int m = 0; m < 24 * 60; ++m) {
            show::Input in;
            in.t = 30.0 + 60.0 * m;
            in.kind = show::InputKind::TouchAt;
            in.x = 0.5f, in.y = 0.55f;
            day->input(in);
        }
        t = Clock::now();
        day->seek(24 * 3600.0);
        std::printf("play a day from 0 (1440 touches over 24 h) %6.1f ms (a seek with no checkpoint nearer)\n",
                    ms_since(t));
        std::printf("uptime costs of %s (60 touches an hour, seed 1; goal: flat, < 5 ms):\n", scene_path.c_str());
        uptime_costs(*first);
    }

    fs::path dir = fs::temp_directory_path() / ("vitrine_bench_show_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    fs::path file = dir / "nodes200.scene.yaml";
    std::ofstream(file) << two_hundred_nodes(2);
    problems.clear();
    auto live = show::LiveShow::open(file, {}, problems);
    if (!live) {
        for (const auto& p : problems) std::fprintf(stderr, "%s\n", p.str().c_str());
        fs::remove_all(dir);
        return kBadInput;
    }
    show::Show& s = live->show();
    show::Frame frame;
    const int frames = 2000;
    auto t = Clock::now();
    for (int i = 0; i < frames; ++i) {
        s.advance(i / 60.0);
        s.evaluate(frame);
    }
    double per_frame = ms_since(t) / frames;
    std::printf("evaluate 200 nodes, 50 animated tracks    %8.3f ms per frame (advance + evaluate, %d frames at 60 fps; goal < 1 ms)\n",
                per_frame, frames);

    // Reload latency: from writing the file to the new show running (inotify + load + replay).
    double worst = 0, sum = 0;
    const int reloads = 10;
    for (int i = 0; i < reloads; ++i) {
        auto w = Clock::now();
        std::ofstream(file) << two_hundred_nodes(3 + i);
        show::LiveShow::Reload r = show::LiveShow::Reload::None;
        while (r == show::LiveShow::Reload::None && ms_since(w) < 2000) {
            r = live->poll(problems);
            if (r == show::LiveShow::Reload::None) std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        double ms = ms_since(w);
        if (r != show::LiveShow::Reload::Reloaded) {
            std::fprintf(stderr, "bench: reload %d did not happen\n", i);
            break;
        }
        worst = std::max(worst, ms), sum += ms;
    }
    std::printf("reload after a file change (200 nodes)    %8.1f ms mean, %.1f ms worst of %d (goal < 100 ms plus asset loads)\n",
                sum / reloads, worst, reloads);
    fs::remove_all(dir);
    return kOk;
}

}  // namespace vitrine::app
