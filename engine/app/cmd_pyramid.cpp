// `vitrine pyramid build IMAGE --out PATH ...`: a gigapixel image (or a procedural one)
// into a Deep Zoom, IIIF 3 level 0 or pyramidal BigTIFF tile pyramid (zoom/build.h).
// Ctrl-C stops the build cleanly: nothing is left behind and the exit code is 130.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "app/args.h"
#include "app/commands.h"
#include "app/usage.h"
#include "core/log.h"
#include "core/outputs.h"
#include "zoom/build.h"

namespace vitrine::app {

namespace {

std::atomic<bool> g_interrupted{false};

void on_interrupt(int) { g_interrupted = true; }

}  // namespace

int cmd_pyramid(int argc, char** argv) {
    if (argc < 3 || std::string(argv[2]) != "build") {
        usage_error("pyramid build");
        return kUsage;
    }
    auto args = Args::parse(argc, argv, 3,
                            {"--out", "--format", "--tile", "--overlap", "--quality", "--mm-per-pixel", "--threads", "--id"},
                            {"--lossless", "--quiet", "--force", "--allow-truncated"});
    if (!args) {
        usage_error("pyramid build", args.error().message);
        return kUsage;
    }
    if (args->has("--quiet")) log::set_quiet(true);
    if (args->words().size() != 1 || !args->has("--out")) {
        usage_error("pyramid build",
                    args->words().size() > 1 ? "one IMAGE at a time" : "pyramid build needs an IMAGE and --out PATH");
        return kUsage;
    }
    const std::string input = args->words()[0], out = args->get("--out", "");
    zoom::BuildOptions options;
    std::string format = args->get("--format", "");
    if (format.empty()) {  // by the output's name: .tif is TIFF, anything else Deep Zoom
        std::string ext = std::filesystem::path(out).extension().string();
        format = ext == ".tif" || ext == ".tiff" ? "tiff" : "dzi";
    }
    if (format == "dzi") options.format = zoom::OutputFormat::Dzi;
    else if (format == "tiff") options.format = zoom::OutputFormat::Tiff;
    else if (format == "iiif3" || format == "iiif") options.format = zoom::OutputFormat::Iiif3;
    else {
        usage_error("pyramid build", "--format expects dzi, tiff or iiif3, got '" + format + "'");
        return kUsage;
    }
    auto tile = args->integer("--tile", 0);
    auto overlap = args->integer("--overlap", -1);
    auto quality = args->integer("--quality", 85);
    auto threads = args->integer("--threads", 0);
    for (auto* r : {&tile, &overlap, &quality, &threads})
        if (!*r) {
            usage_error("pyramid build", r->error().message);
            return kUsage;
        }
    if (args->has("--tile") && (*tile < 1 || *tile > 8192)) {
        usage_error("pyramid build", "--tile expects 1 to 8192 pixels");
        return kUsage;
    }
    if (args->has("--overlap") && *overlap < 0) {
        usage_error("pyramid build", "--overlap expects 0 or more pixels");
        return kUsage;
    }
    if (*quality < 1 || *quality > 100) {
        usage_error("pyramid build", "--quality expects 1 to 100");
        return kUsage;
    }
    if (*threads < 0 || *threads > 256) {
        usage_error("pyramid build", "--threads expects 1 to 256 (0: one per core)");
        return kUsage;
    }
    if (options.format == zoom::OutputFormat::Tiff && args->has("--tile") && *tile % 16) {
        usage_error("pyramid build",
                    "--tile " + std::to_string(*tile) + ": TIFF tiles must be a multiple of 16 pixels (e.g. 256 or 512)");
        return kUsage;
    }
    if (options.format != zoom::OutputFormat::Dzi && args->has("--overlap") && *overlap > 0)
        log::warn(std::string("--overlap is ignored: ") + (options.format == zoom::OutputFormat::Tiff ? "TIFF" : "IIIF") +
                  " tiles do not overlap");
    if (options.format != zoom::OutputFormat::Iiif3 && args->has("--id")) log::warn("--id is ignored: it names a IIIF service");
    options.tile = uint32_t(*tile);
    options.overlap = *overlap;
    options.quality = *quality;
    options.threads = unsigned(*threads);
    options.lossless = args->has("--lossless");
    options.id = args->get("--id", "");
    if (args->has("--mm-per-pixel")) {
        std::string v = args->get("--mm-per-pixel", "");
        char* end = nullptr;
        double mm = std::strtod(v.c_str(), &end);
        if (v.empty() || *end || !(mm > 0) || mm > 1e9) {
            usage_error("pyramid build", "--mm-per-pixel expects a size above 0 in millimetres, got '" + v + "'");
            return kUsage;
        }
        options.mm_per_pixel = mm;
    }
    options.progress = isatty(STDERR_FILENO);
    options.allow_truncated = args->has("--allow-truncated");
    // Never over the source; a previous pyramid of the same name only with --force.
    if (input.rfind("procedural:", 0) != 0) outputs::protect(input);
    outputs::set_force(args->has("--force"));

    // Ctrl-C: stop, remove the temporary, exit 130. A second Ctrl-C kills at once.
    g_interrupted = false;
    options.cancel = &g_interrupted;
    struct sigaction action = {}, old_int = {}, old_term = {};
    action.sa_handler = on_interrupt;
    action.sa_flags = SA_RESETHAND;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int);
    sigaction(SIGTERM, &action, &old_term);
    auto built = zoom::build_pyramid(input, out, options);
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGTERM, &old_term, nullptr);

    if (g_interrupted) {
        log::error(out + ": interrupted; nothing was written");
        return 130;
    }
    if (!built) {
        if (built.error().kind == ErrorKind::Usage)  // e.g. a .dzi output not named NAME.dzi
            usage_error("pyramid build", built.error().message);
        else
            log::error(built.error().message);
        return exit_code(built.error().kind);
    }
    std::fprintf(stderr, "%s\n", built->line().c_str());
    return kOk;
}

}  // namespace vitrine::app
