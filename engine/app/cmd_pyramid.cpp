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
#include "core/log.h"
#include "core/outputs.h"
#include "zoom/build.h"

namespace vitrine::app {

namespace {

constexpr const char* kPyramidUsage =
    "usage: vitrine pyramid build IMAGE --out NAME.dzi|NAME.tif|FOLDER [--format dzi|tiff|iiif3]\n"
    "         [--tile 254 --overlap 1] [--quality 85] [--lossless] [--mm-per-pixel X] [--threads N] [--id URL] [--force]\n"
    "  IMAGE: a JPEG, PNG or TIFF (any size: read from the top, never whole), or procedural:pattern:WxH\n"
    "  dzi: NAME.dzi + NAME_files/ (vips dzsave's layout); tiff: a tiled pyramidal BigTIFF (tiles a multiple\n"
    "  of 16, default 256, no overlap); iiif3: a IIIF Image API 3 level 0 folder (tiles 512, no overlap; its\n"
    "  id is --id or the folder's file: URL). --lossless: PNG tiles (TIFF: deflate) instead of JPEG.\n"
    "  A source cut short (its data ends before its last row) is refused; --allow-truncated builds it anyway,\n"
    "  the missing rows grey (JPEG) or black (PNG, TIFF), with a warning.\n"
    "  An existing pyramid of the same name is replaced only with --force; a folder holding anything else,\n"
    "  or the source itself, never.\n";

std::atomic<bool> g_interrupted{false};

void on_interrupt(int) { g_interrupted = true; }

}  // namespace

int cmd_pyramid(int argc, char** argv) {
    if (argc < 3 || std::string(argv[2]) != "build") {
        std::fputs(kPyramidUsage, stderr);
        return kUsage;
    }
    auto args = Args::parse(argc, argv, 3,
                            {"--out", "--format", "--tile", "--overlap", "--quality", "--mm-per-pixel", "--threads", "--id"},
                            {"--lossless", "--quiet", "--force", "--allow-truncated"});
    if (!args) {
        log::error(args.error().message);
        return kUsage;
    }
    if (args->has("--quiet")) log::set_quiet(true);
    if (args->words().size() != 1 || !args->has("--out")) {
        log::error(args->words().size() > 1 ? "one IMAGE at a time" : "pyramid build needs an IMAGE and --out PATH");
        std::fputs(kPyramidUsage, stderr);
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
        log::error("--format expects dzi, tiff or iiif3, got '" + format + "'");
        return kUsage;
    }
    auto tile = args->integer("--tile", 0);
    auto overlap = args->integer("--overlap", -1);
    auto quality = args->integer("--quality", 85);
    auto threads = args->integer("--threads", 0);
    for (auto* r : {&tile, &overlap, &quality, &threads})
        if (!*r) {
            log::error(r->error().message);
            return kUsage;
        }
    if (args->has("--tile") && (*tile < 1 || *tile > 8192)) {
        log::error("--tile expects 1 to 8192 pixels");
        return kUsage;
    }
    if (args->has("--overlap") && *overlap < 0) {
        log::error("--overlap expects 0 or more pixels");
        return kUsage;
    }
    if (*quality < 1 || *quality > 100) {
        log::error("--quality expects 1 to 100");
        return kUsage;
    }
    if (*threads < 0 || *threads > 256) {
        log::error("--threads expects 1 to 256 (0: one per core)");
        return kUsage;
    }
    if (options.format == zoom::OutputFormat::Tiff && args->has("--tile") && *tile % 16) {
        log::error("--tile " + std::to_string(*tile) + ": TIFF tiles must be a multiple of 16 pixels (e.g. 256 or 512)");
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
            log::error("--mm-per-pixel expects a size above 0 in millimetres, got '" + v + "'");
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
        log::error(built.error().message);
        return exit_code(built.error().kind);
    }
    std::fprintf(stderr, "%s\n", built->line().c_str());
    return kOk;
}

}  // namespace vitrine::app
