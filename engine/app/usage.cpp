#include "app/usage.h"

#include <cstdio>
#include <cstring>

#include "core/log.h"

#ifndef VITRINE_VERSION
#error "VITRINE_VERSION is set by engine/app/CMakeLists.txt from the project's version"
#endif

namespace vitrine::app {

namespace {

// One form of a command: its key ("render scene") and its synopsis (continuation lines
// start with spaces). Collected from the commands' own usage lines and option lists.
struct Form {
    const char* command;
    const char* key;
    const char* synopsis;
};

const Form kForms[] = {
    {"run", "run",
     "vitrine run SCENE [--fullscreen] [--size WxH] [--seek S] [--state NAME] [--clock HH:MM]\n"
     "                  [--osc-port P] [--osc-host ADDR --osc-secret S] [--no-osc] [--hook-budget-ms MS]\n"
     "                  [--display FILE.display.yaml] [--tile-memory MB] [--audio-layout L] [--no-audio] [--quiet]\n"
     "                  [--metrics-port P] [--record DIR]"},
    {"kiosk", "kiosk",
     "vitrine kiosk SITE.site.yaml [--hook-budget-ms MS] [--metrics-port P] [--quiet]\n"
     "                             [--size WxH --at YYYY-MM-DDTHH:MM --frames N]"},
    {"kiosk", "kiosk install", "vitrine kiosk install SITE.site.yaml [--user] [--out FILE.service]"},
    {"kiosk", "kiosk simulate",
     "vitrine kiosk SITE.site.yaml --simulate SPAN [--faults] [--touches-per-hour N] [--size WxH]\n"
     "                             [--at YYYY-MM-DDTHH:MM] [--seed N] [--scratch DIR]"},
    {"render", "render scene",
     "vitrine render SCENE --out DIR/%05d.png --from A --to B --fps F [--size WxH] [--inputs FILE] [--clock HH:MM]\n"
     "                     [--tile-memory MB] [--audio OUT.wav [--audio-layout L] [--audio-rate HZ]] [--force]\n"
     "vitrine render SCENE --time T --out FILE.png [--size WxH] [--inputs FILE] [--clock HH:MM] [--force]"},
    {"render", "render display",
     "vitrine render MODEL|SCENE --display FILE.display.yaml --out CANVAS.png [--time T | --from A --to B --fps F]\n"
     "                     [--tile WxH] [--warp cpu|gpu] [--quilt QUILT.png] [--interleave cpu|gpu]\n"
     "vitrine render MODEL|SCENE --display FILE.display.yaml --preview-from X,Y,Z [--preview-look-at X,Y,Z]\n"
     "                     [--preview-fov D] [--preview-mask MASK.png] [--preview-direct] [--size WxH] --out PREVIEW.png\n"
     "vitrine render QUILT_qsCxRaA.png --display LENTICULAR.display.yaml --out NATIVE.png"},
    {"render", "render model",
     "vitrine render MODEL [MODEL...] --out FILE.png [--size WxH] [--frames N --fps F] [--gap M] [render options]\n"
     "vitrine render MODEL --turnaround N [--grid CxR] --out SHEET.png [--size WxH] [render options]"},
    {"render", "render pyramid",
     "vitrine render PYRAMID --out FILE.png [--size WxH] [--region x,y,w,h | --centre x,y --magnification M]\n"
     "                       [--tile-memory MB] [--reference]"},
    {"view", "view model", "vitrine view MODEL [MODEL...] [--fullscreen] [--size WxH] [--record DIR] [render options]"},
    {"view", "view pyramid",
     "vitrine view PYRAMID [--fullscreen] [--size WxH] [--region x,y,w,h | --centre x,y --magnification M]\n"
     "                     [--tile-memory MB]"},
    {"edit", "edit",
     "vitrine edit SCENE [--display FILE.display.yaml] [--size WxH] [--ui-scale S] [--osc-port P] [--time T]\n"
     "vitrine edit SCENE --script EDITS.txt [--save | --save-as OUT.yaml] [--force] [--print]"},
    {"check", "check", "vitrine check SCENE|DISPLAY.display.yaml|SITE.site.yaml"},
    {"info", "info", "vitrine info SCENE|MODEL|PYRAMID"},
    {"send", "send", "vitrine send [--wait MS] HOST:PORT /ADDRESS [ARGS...]"},
    {"pyramid", "pyramid build",
     "vitrine pyramid build IMAGE --out NAME.dzi|NAME.tif|FOLDER [--format dzi|tiff|iiif3] [--tile 254 --overlap 1]\n"
     "                      [--quality 85] [--lossless] [--mm-per-pixel X] [--threads N] [--id URL]\n"
     "                      [--allow-truncated] [--force]"},
    {"bench", "bench model", "vitrine bench [--corpus DIR] [--frames N] [--size WxH] [--models A,B] [--no-load]"},
    {"bench", "bench show", "vitrine bench --show SCENE"},
    {"bench", "bench display", "vitrine bench --display FILE.display.yaml MODEL|SCENE [--frames N] [--tile WxH]"},
    {"bench", "bench pyramid", "vitrine bench --pyramid PYRAMID [--size WxH] [--jumps N] [--tile-memory MB]"},
    {"bench", "bench audio", "vitrine bench --audio [--seconds S] [--sources N]"},
    {"bench", "bench reloads", "vitrine bench --reloads N SCENE_A SCENE_B [--size WxH]"},
    {"bench", "bench session", "vitrine bench --session SCENE [--frames N] [--size WxH]"},
    {"bench", "bench edit", "vitrine bench --edit SCENE [--frames N] [--size WxH]"},
};

// What each command's options mean, a few lines each.
struct Options {
    const char* command;
    const char* text;
};

const char* const kRenderOptions =
    "render options: --yaw DEG --pitch DEG --distance auto|M --fov DEG --camera N --time S --animation N\n"
    "  --env FILE.hdr|neutral|studio --env-rotation DEG --env-intensity X\n"
    "  --tonemap khr-pbr-neutral|aces|none --exposure EV --background R,G,B\n";

const Options kOptions[] = {
    {"run",
     "Plays the show in a window on the wall clock (a click is a touch); edits to its files reload it.\n"
     "  --size WxH            window size (default 1280x720); --fullscreen: the whole monitor\n"
     "  --seek S              start at show time S; --state NAME: start in that state\n"
     "  --clock HH:MM         the time of day at show time 0 (default: now)\n"
     "  --osc-port P          OSC control port (default 9000; 0: any free port, logged)\n"
     "  --osc-host ADDR       bind another address than 127.0.0.1 (needs --osc-secret S); --no-osc: none\n"
     "  --hook-budget-ms MS   no hook call holds the show longer (default 50)\n"
     "  --display FILE        an LED wall's canvas or a lenticular panel's native picture, fitted to the window\n"
     "  --tile-memory MB      GPU memory for pyramids' tiles (default 256)\n"
     "  --audio-layout L      stereo|hrtf|quad|5.1|7.1; --no-audio: no sound\n"
     "  --metrics-port P      a Prometheus metrics page on http://127.0.0.1:P/metrics (0: any free port, logged)\n"
     "  --record DIR          what the window shows, also written as DIR/frame_0000.png ...\n"
     "  --quiet               no info lines; --frames N: close after N frames (tests)\n"
     "Esc, SIGINT or SIGTERM end it (exit 0); without a display it exits 3.\n"},
    {"kiosk",
     "Runs an installation from its site file (docs/site-file.md): its scene while the schedule says open,\n"
     "the outside-hours content while closed, the nightly restart, OSC, sound, the systemd watchdog.\n"
     "  --hook-budget-ms MS   no hook call holds the show longer (default 50); --quiet: no info lines\n"
     "  --metrics-port P      the metrics page's port instead of the site's metrics.port (0: any free port)\n"
     "  --size WxH --at YYYY-MM-DDTHH:MM --frames N   for tests: a window, a local time for the schedule,\n"
     "                        a frame count\n"
     "  install               write the site's systemd unit (Type=notify, its watchdog): system-wide, or\n"
     "                        --user: a user unit, or --out FILE.service\n"
     "  --simulate SPAN       a soak: SPAN (30d, 12h, 90m) of the site's scene on an accelerated clock, in a\n"
     "                        window of --size WxH or as the site's output says; prints memory, open files,\n"
     "                        threads, seek and reload\n"
     "                        cost at 1 h, 1, 7 and 30 days; --touches-per-hour N: random touches (--seed N);\n"
     "                        --faults: a lost GPU, sound device and monitor, a corrupt model, a broken\n"
     "                        scene, the clock stepped +-1 h, SIGHUP, each checked (exit 1 if one is not\n"
     "                        survived); on a copy of the show's files in --scratch DIR (default: a new\n"
     "                        temporary folder), never the originals\n"},
    {"render",
     "Renders a scene, display canvas, model or pyramid to PNG files (a span: frame i is show time A + i/F).\n"
     "  --out FILE            the PNG to write (a span: DIR/NAME_%05d.png); --force: replace a file of another kind\n"
     "  --size WxH            picture size (default 1280x720 for scenes, 1920x1080 for models)\n"
     "  --time T | --from A --to B --fps F   one frame at show time T, or a span\n"
     "  --inputs FILE         a scripted visitor and control desk; --clock HH:MM: time of day at show time 0\n"
     "  --audio OUT.wav       the span's sound too (--audio-layout stereo|hrtf|quad|5.1|7.1, --audio-rate HZ)\n"
     "  --tile WxH            draw a canvas in tiles of this size; --warp|--interleave cpu|gpu: which pass\n"
     "  --turnaround N        N views in one sheet (--grid CxR); --gap M: several models this far apart\n"
     "  --region x,y,w,h | --centre x,y --magnification M   a pyramid's region; --reference: the CPU resampling\n"
     "  --tile-memory MB      GPU memory for pyramids' tiles (default 256); --quiet: no info lines\n"},
    {"view",
     "Shows models or a pyramid in a window: left drag orbits, right drag pans, wheel zooms, F frames, Esc quits.\n"
     "  --size WxH            window size; --fullscreen: the whole monitor\n"
     "  --record DIR          write what the window shows as DIR/frame_0000.png ...\n"
     "  --region ... | --centre x,y --magnification M   a pyramid's first view; --tile-memory MB\n"
     "  --frames N            close after N frames; --resize-to WxH: resize the window on the way (tests)\n"},
    {"edit",
     "The curator's editor (docs/editor.md): the show as the kiosk draws it, with panels to pick, move, key and\n"
     "cue, saved back into the scene file's own text (comments, order and layout kept; the old file as SCENE~).\n"
     "  --script EDITS.txt    run edits with no window, one command a line (docs/editor.md lists them); a bad\n"
     "                        line is one error with its line number and nothing is saved\n"
     "  --save | --save-as OUT   write the result (refused while the show has problems unless --force)\n"
     "  --print               print the edited text on stdout\n"
     "  --display FILE        edit for an LED wall or lenticular panel; --size WxH: the window (1280x720)\n"
     "  --ui-scale S          panels' size for high-DPI screens (default 1)\n"
     "  --osc-port P          OSC control port (default 9000): /vitrine/edit \"COMMAND\" edits the open show\n"
     "  --time T              open paused at show time T (the frame render --time T gives)\n"
     "  --record DIR --frames N --no-audio --quiet   as for run (tests)\n"},
    {"check",
     "Loads everything a scene (or a display or site file) references and lists every problem, one per line,\n"
     "file:line:column: message; exit 1 if any. A display file: its sizes, pixel pitch and eye distance.\n"
     "A site file: its scene and display with it, and its hours (open now or not, the next change).\n"},
    {"info", "Prints a scene's, model's or pyramid's contents: nodes, assets, sizes, levels, materials.\n"},
    {"send",
     "Sends one OSC message (UDP) and prints the reply, if one comes, as one line on stdout:\n"
     "ADDRESS ARG1 ARG2 ... (an empty argument, or one with spaces or quotes, in double quotes).\n"
     "  --wait MS             wait this long for a reply (default: 1000 for /vitrine/status, else 0: none)\n"
     "Options go before /ADDRESS: everything after it is sent. Arguments that are numbers go as floats.\n"
     "A /vitrine/status (or --wait) without a reply in time is an error naming HOST:PORT (exit 1).\n"
     "e.g. vitrine send 127.0.0.1:9000 /vitrine/status  ->  /vitrine/status attract 12.5 \"\" \"audio ok\"\n"},
    {"pyramid",
     "Streams an image of any size (JPEG, PNG, TIFF/BigTIFF, procedural:pattern:WxH) into a tile pyramid.\n"
     "  --format dzi|tiff|iiif3   Deep Zoom (default), pyramidal BigTIFF, IIIF 3 level 0 folder\n"
     "  --tile N --overlap N  tile geometry (default 254, 1); --quality Q (default 85); --lossless: PNG tiles\n"
     "  --mm-per-pixel X      physical scale; --threads N (0: one per core); --id URL (IIIF)\n"
     "  --allow-truncated     build a source cut short anyway; --force: replace a pyramid of the same name\n"},
    {"bench",
     "Prints numbers, never pass/fail: load times and frame rates on the corpus (--corpus DIR), the show\n"
     "runtime (--show), a display's canvas (--display), a pyramid's jumps (--pyramid), 64 sources (--audio),\n"
     "a kiosk's hot reloads for months (--reloads N: memory, device memory and Vulkan objects as they go).\n"
     "  --frames N --size WxH --models A,B --no-load --tile WxH --jumps N --seconds S --sources N\n"
     "  --session SCENE       a Session's frame time against the bare loop, phases S B S B in one window\n"
     "                        (needs a display: xvfb-run; default 300 frames a phase at 640x360)\n"
     "  --edit SCENE          the editor's frame against run's, its panels on 500 nodes and a 2000-line save\n"
     "                        against their goals (needs a display: xvfb-run; default 120 frames at 1280x720)\n"},
};

const char* const kGeneral =
    "--tile-memory MB: GPU memory for pyramids' tiles, whatever their size (default 256)\n"
    "--force (render, pyramid build): replace an existing file of another kind, or a pyramid of the same name;\n"
    "  never one of the run's inputs, never a folder holding anything else\n"
    "exit codes: 0 ok, 1 bad input file or option value, 2 usage, 3 GPU/Vulkan failure,\n"
    "  4 Vulkan validation messages (when VITRINE_VALIDATION=1), 130 stopped by SIGINT/SIGTERM\n";

bool uses_render_options(const std::string& command) { return command == "render" || command == "view"; }

// The synopsis lines of the forms matching `command` (a command or a form's key).
std::string forms_of(const std::string& command) {
    std::string out;
    for (const Form& f : kForms)
        if (command == f.command || command == f.key) out += std::string(f.synopsis) + "\n";
    return out;
}

std::string command_of(const std::string& command) {
    for (const Form& f : kForms)
        if (command == f.command || command == f.key) return f.command;
    return {};
}

// "usage: " before the first line, the others indented to match.
std::string with_usage_prefix(const std::string& lines) {
    std::string out;
    size_t start = 0;
    while (start < lines.size()) {
        size_t end = lines.find('\n', start);
        if (end == std::string::npos) end = lines.size();
        out += (start == 0 ? "usage: " : "       ") + lines.substr(start, end - start) + "\n";
        start = end + 1;
    }
    return out;
}

}  // namespace

const char* version() { return VITRINE_VERSION; }

std::vector<std::string> usage_commands() {
    std::vector<std::string> out;
    for (const Form& f : kForms)
        if (out.empty() || out.back() != f.command) out.push_back(f.command);
    return out;
}

std::string synopsis(const std::string& command) {
    std::string forms = forms_of(command);
    return forms.empty() ? forms : with_usage_prefix(forms);
}

std::string usage(const std::string& command) {
    std::string text = synopsis(command);
    if (text.empty()) return text;
    const std::string name = command_of(command);
    for (const Options& o : kOptions)
        if (name == o.command) text += o.text;
    if (uses_render_options(name)) text += kRenderOptions;
    return text;
}

void usage_error(const std::string& command, const std::string& message) {
    std::string lines = synopsis(command);
    if (lines.empty()) {
        log::error(message.empty() ? "usage: vitrine COMMAND ... (vitrine --help lists the commands)" : message);
        return;
    }
    if (message.empty()) {
        size_t end = lines.find('\n');
        log::error(lines.substr(0, end));
        lines.erase(0, end + 1);
    } else {
        log::error(message);
    }
    std::fputs(lines.c_str(), stderr);
    std::fprintf(stderr, "(vitrine %s --help: every option)\n", command_of(command).c_str());
}

std::string overview() {
    std::string text = "usage: vitrine COMMAND ...   (vitrine help COMMAND, or vitrine COMMAND --help: its options)\n";
    for (const Form& f : kForms) {
        std::string lines = f.synopsis;
        size_t start = 0;
        while (start < lines.size()) {
            size_t end = lines.find('\n', start);
            if (end == std::string::npos) end = lines.size();
            text += "  " + lines.substr(start, end - start) + "\n";
            start = end + 1;
        }
    }
    text += kRenderOptions;
    text += kGeneral;
    text += "vitrine --version: the version; vitrine help [COMMAND]: this, or one command's options\n";
    return text;
}

}  // namespace vitrine::app
