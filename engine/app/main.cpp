#include <cstdio>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "app/args.h"
#include "app/commands.h"
#include "app/usage.h"
#include "session/show_stage.h"
#include "zoom/pyramid.h"

static int dispatch(int argc, char** argv);

// `vitrine --help`, `vitrine help [CMD]`, `vitrine CMD --help|-h`, `vitrine --version`,
// answered from the usage table (usage.cpp) on stdout with exit 0; -1 when not asked.
static int answer_help(int argc, char** argv) {
    using namespace vitrine::app;
    const std::string first = argv[1];
    if (first == "--version") {
        std::printf("vitrine %s\n", version());
        return kOk;
    }
    if (first == "--help" || first == "-h" || (first == "help" && argc == 2)) {
        std::fputs(overview().c_str(), stdout);
        return kOk;
    }
    if (first == "help") {  // help CMD, or a form's key: help render scene
        std::string key;
        for (int i = 2; i < argc; ++i) key += (i > 2 ? " " : "") + std::string(argv[i]);
        std::string text = usage(key);
        if (text.empty()) {
            std::fprintf(stderr, "vitrine: error: no command '%s' (vitrine --help lists the commands)\n", key.c_str());
            return kUsage;
        }
        std::fputs(text.c_str(), stdout);
        return kOk;
    }
    const std::string text = usage(first);
    if (text.empty()) return -1;  // not a command: dispatch says so
    for (int i = 2; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
            std::fputs(text.c_str(), stdout);
            return kOk;
        }
        if (first == "send" && argv[i][0] == '/') break;  // from the address on, words are sent as they are
    }
    return -1;
}

// Running out of memory (a canvas too large for this machine) ends with one line, not a crash.
int main(int argc, char** argv) {
    try {
        return dispatch(argc, argv);
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "vitrine: error: out of memory (a picture or canvas too large for this machine?)\n");
        return 1;
    }
}

static int dispatch(int argc, char** argv) {
    using namespace vitrine::app;
    if (argc < 2) {
        std::fputs(overview().c_str(), stderr);
        return kUsage;
    }
    if (int help = answer_help(argc, argv); help >= 0) return help;
    std::string cmd = argv[1];
    if (cmd == "pyramid") return cmd_pyramid(argc, argv);
    bool scene = argc > 2 && is_scene_file(argv[2]);
    bool pyramid = argc > 2 && vitrine::zoom::is_pyramid_path(argv[2]);
    if (cmd == "info" && pyramid && argc == 3) return cmd_info_pyramid(argv[2]);
    if (cmd == "info") return scene && argc == 3 ? cmd_info_scene(argv[2]) : cmd_info(argc, argv);
    bool display = false;
    for (int i = 2; i < argc; ++i) display = display || !std::strcmp(argv[i], "--display");
    // A scene that names its display (`display:`) is drawn for it unless --display says otherwise.
    std::vector<std::string> with_display;
    std::vector<char*> argv2;
    if (scene && !display && (cmd == "render" || cmd == "run" || cmd == "edit")) {
        std::string d = vitrine::session::scene_display(argv[2]);
        if (!d.empty()) {
            with_display.assign(argv, argv + argc);
            with_display.push_back("--display");
            with_display.push_back(d);
            for (std::string& a : with_display) argv2.push_back(a.data());
            argc = int(argv2.size());
            argv = argv2.data();
            display = true;
        }
    }
    if (cmd == "render" && pyramid && !display) return cmd_render_pyramid(argc, argv);
    if (cmd == "view" && pyramid) return cmd_view_pyramid(argc, argv);
    if (cmd == "render" && display) return cmd_render_display(argc, argv);
    if (cmd == "render") return scene ? cmd_render_scene(argc, argv) : cmd_render(argc, argv);
    if (cmd == "run") return cmd_run(argc, argv);
    if (cmd == "kiosk") return cmd_kiosk(argc, argv);
    if (cmd == "check") return cmd_check(argc, argv);
    if (cmd == "edit") return cmd_edit(argc, argv);
    if (cmd == "send") return cmd_send(argc, argv);
    if (cmd == "view") return cmd_view(argc, argv);
    if (cmd == "bench" && display) return bench_display(argc, argv);
    bool bench_pyramid_flag = false;
    for (int i = 2; i < argc; ++i) bench_pyramid_flag = bench_pyramid_flag || !std::strcmp(argv[i], "--pyramid");
    if (cmd == "bench" && bench_pyramid_flag) return bench_pyramid(argc, argv);
    if (cmd == "bench" && argc > 2 && !std::strcmp(argv[2], "--audio")) return bench_audio(argc, argv);
    for (int i = 2; cmd == "bench" && i < argc; ++i) if (!std::strcmp(argv[i], "--edit")) return bench_edit(argc, argv);
    if (cmd == "bench") return cmd_bench(argc, argv);
    std::fprintf(stderr, "vitrine: error: unknown command '%s' (vitrine --help lists the commands)\n", cmd.c_str());
    return kUsage;
}
