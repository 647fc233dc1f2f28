#include <cstdio>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "app/args.h"
#include "app/commands.h"
#include "session/show_stage.h"
#include "zoom/pyramid.h"

static const char* kUsageText =
    "usage: vitrine COMMAND ...\n"
    "  vitrine run SCENE [--fullscreen] [--size WxH] [--seek S] [--state NAME] [--osc-port P] [--tile-memory MB]\n"
    "                [--audio-layout stereo|hrtf|quad|5.1|7.1] [--no-audio] [--hook-budget-ms MS]\n"
    "  vitrine render SCENE --out DIR/%05d.png --from A --to B --fps F [--size WxH] [--inputs FILE] [--tile-memory MB]\n"
    "                [--audio OUT.wav [--audio-layout stereo|hrtf|quad|5.1|7.1] [--audio-rate HZ]]\n"
    "  vitrine render SCENE --time T --out FILE.png [--size WxH]\n"
    "  vitrine check SCENE|DISPLAY.display.yaml\n"
    "  vitrine send HOST:PORT /ADDRESS [ARGS...]   (one OSC message, e.g. /vitrine/go)\n"
    "  vitrine info SCENE\n"
    "  vitrine render MODEL|SCENE --display FILE.display.yaml --out CANVAS.png [--time T | --from A --to B --fps F]\n"
    "                [--quilt QUILT.png] [--tile WxH] [--preview-from X,Y,Z [--preview-look-at X,Y,Z] [--preview-fov D]]\n"
    "                [--interleave cpu|gpu]   (lenticular: the native picture by the CPU reference or the GPU pass)\n"
    "                [--warp cpu|gpu]         (curved screens: warped by the CPU reference or the GPU pass)\n"
    "  vitrine render QUILT.png --display LENTICULAR.display.yaml --out NATIVE.png\n"
    "  vitrine view MODEL [MODEL...] [--fullscreen] [--size WxH] [--record DIR] [render options]\n"
    "  vitrine render MODEL [MODEL...] --out FILE.png [--size WxH] [--frames N --fps F] [render options]\n"
    "  vitrine render MODEL --turnaround N [--grid CxR] --out SHEET.png [--size WxH] [render options]\n"
    "  vitrine info MODEL\n"
    "  vitrine pyramid build IMAGE --out NAME.dzi|NAME.tif|FOLDER [--format dzi|tiff|iiif3] [--tile 254 --overlap 1]\n"
    "                [--quality Q] [--lossless] [--mm-per-pixel X] [--allow-truncated]   (JPEG, PNG, TIFF/BigTIFF larger\n"
    "                than memory; a source cut short is refused unless --allow-truncated)\n"
    "  vitrine info PYRAMID                  (.dzi, .zip, IIIF info.json folder, Zoomify folder, .tif, procedural:NAME:WxH)\n"
    "  vitrine view PYRAMID [--size WxH] [--region x,y,w,h | --centre x,y --magnification M] [--tile-memory MB]\n"
    "  vitrine render PYRAMID --out FILE.png [--size WxH] [--region x,y,w,h | --centre x,y --magnification M] [--reference]\n"
    "  vitrine bench [--corpus DIR] [--frames N] [--size WxH]\n"
    "  vitrine bench --display FILE.display.yaml MODEL|SCENE [--frames N] [--tile WxH]\n"
    "  vitrine bench --pyramid PYRAMID [--size WxH] [--jumps N] [--tile-memory MB]\n"
    "  vitrine bench --audio               (64 looping sources: times real time, panning and HRTF)\n"
    "render options: --yaw DEG --pitch DEG --distance auto|M --fov DEG --camera N --time S --animation N\n"
    "                --env FILE.hdr|neutral|studio --env-rotation DEG --env-intensity X\n"
    "                --tonemap khr-pbr-neutral|aces|none --exposure EV --background R,G,B\n"
    "                --gap M (several models: side by side at true scale, this far apart)\n"
    "--tile-memory MB: GPU memory for pyramids' tiles, whatever their size (default 256)\n"
    "--force (render, pyramid build): replace an existing file of another kind, or a pyramid of the same name;\n"
    "                never one of the run's inputs, never a folder holding anything else\n"
    "exit codes: 0 ok, 1 bad input file or option value, 2 usage, 3 GPU/Vulkan failure,\n"
    "            4 Vulkan validation messages (when VITRINE_VALIDATION=1), 130 stopped by SIGINT/SIGTERM\n";

static int dispatch(int argc, char** argv);

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
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
        std::fputs(kUsageText, argc < 2 ? stderr : stdout);
        return argc < 2 ? kUsage : kOk;
    }
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
    if (scene && !display && (cmd == "render" || cmd == "run")) {
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
    if (cmd == "check") return cmd_check(argc, argv);
    if (cmd == "send") return cmd_send(argc, argv);
    if (cmd == "view") return cmd_view(argc, argv);
    if (cmd == "bench" && display) return bench_display(argc, argv);
    bool bench_pyramid_flag = false;
    for (int i = 2; i < argc; ++i) bench_pyramid_flag = bench_pyramid_flag || !std::strcmp(argv[i], "--pyramid");
    if (cmd == "bench" && bench_pyramid_flag) return bench_pyramid(argc, argv);
    if (cmd == "bench" && argc > 2 && !std::strcmp(argv[2], "--audio")) return bench_audio(argc, argv);
    if (cmd == "bench") return cmd_bench(argc, argv);
    std::fprintf(stderr, "vitrine: error: unknown command '%s' (vitrine --help lists the commands)\n", cmd.c_str());
    return kUsage;
}
