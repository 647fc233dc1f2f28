// vitrine bench: numbers, never pass/fail. Load time and throughput for every corpus
// model, offscreen frames per second at a given size, peak resident memory.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "app/args.h"
#include "app/commands.h"
#include "app/gpu_session.h"
#include "core/log.h"
#include "scene/gltf_import.h"

namespace vitrine::app {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

static double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

static double peak_rss_mib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_maxrss) / 1024.0;
}

// A model's bytes on disk: the file and the resources beside it in its variant folder.
static uint64_t model_bytes(const fs::path& p) {
    uint64_t total = 0;
    std::error_code ec;
    if (p.extension() == ".glb") return fs::file_size(p, ec);
    for (auto& e : fs::directory_iterator(p.parent_path(), ec))
        if (e.is_regular_file()) total += e.file_size();
    return total;
}

int cmd_bench(int argc, char** argv) {
    auto args = Args::parse(argc, argv, 2, {"--corpus", "--frames", "--size", "--models"}, {"--quiet", "--no-load"});
    if (!args) { log::error(args.error().message); return kUsage; }
    log::set_quiet(true);
    auto frames = args->integer("--frames", 30);
    auto size = args->size("--size", 1920, 1080);
    if (!frames || !size || frames.value() < 1) { log::error("bench: --frames N (>= 1) and --size WxH"); return kBadInput; }
    fs::path corpus = args->has("--corpus") ? fs::path(args->get("--corpus", "")) : corpus_dir();
    if (corpus.empty() || !fs::is_directory(corpus / "gltf")) {
        log::error("bench: the shared corpus was not found; pass --corpus DIR (the folder holding gltf/)");
        return kBadInput;
    }
    fs::path models = corpus / "gltf";

    if (!args->has("--no-load")) {
        std::printf("== load (import + decode textures, CPU)\n%-72s %9s %9s %9s %10s\n", "model", "MB", "ms", "MB/s", "triangles");
        std::vector<fs::path> files;
        for (auto& e : fs::recursive_directory_iterator(models))
            if (e.is_regular_file() && (e.path().extension() == ".gltf" || e.path().extension() == ".glb") &&
                e.path().string().find("/_invalid/") == std::string::npos)
                files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const fs::path& f : files) {
            auto t0 = Clock::now();
            auto m = scene::import_gltf(f);
            double s = seconds_since(t0);
            double mb = double(model_bytes(f)) / 1e6;
            std::string name = fs::relative(f, models).string();
            if (!m) {
                std::printf("%-72s %9.2f %9.1f %9s refused: %s\n", name.c_str(), mb, s * 1e3, "-", m.error().message.c_str());
                continue;
            }
            size_t tris = 0;
            for (auto& mesh : m->meshes)
                for (auto& p : mesh.primitives) tris += p.indices.size() / 3;
            std::printf("%-72s %9.2f %9.1f %9.1f %10zu\n", name.c_str(), mb, s * 1e3, mb / s, tris);
        }
    }

    int code = kOk;
    auto session = open_gpu_session(&code);
    if (!session) { log::error(session.error().message); return code; }
    GpuSession& gs = *session.value();
    auto [w, h] = size.value();
    std::printf("== offscreen frames at %ux%u on %s (4x MSAA, IBL, tone map; %d frames, 2 in flight)\n", w, h,
                gs.ctx->device_name().c_str(), frames.value());
    std::vector<std::string> targets = {"DamagedHelmet/glTF-Binary/DamagedHelmet.glb",
                                        "MetalRoughSpheresNoTextures/glTF-Binary/MetalRoughSpheresNoTextures.glb"};
    if (args->has("--models")) {
        targets.clear();
        std::string list = args->get("--models", "");
        for (size_t a = 0, b; a <= list.size(); a = b + 1) {
            b = list.find(',', a);
            if (b == std::string::npos) b = list.size();
            if (b > a) targets.push_back(list.substr(a, b - a));
        }
    }
    for (const std::string& t : targets) {
        fs::path p = fs::path(t).is_absolute() ? fs::path(t) : models / t;
        Args none = Args::parse(0, nullptr, 0, {}, {}).value();
        auto t_load = Clock::now();
        auto stage = make_stage(p.string(), none);
        if (!stage) { log::error(stage.error().message); continue; }
        if (auto r = load_stage(gs, stage.value(), &code); !r) { log::error(r.error().message); return gs.finish(code); }
        double load_s = seconds_since(t_load);
        auto out = display::Offscreen::create(*gs.ctx, *gs.renderer, w, h);
        if (!out) { log::error(out.error().message); return gs.finish(kGpuFailure); }
        render::View view = stage_view(stage.value(), w, h);
        auto t_first = Clock::now();
        auto first = out.value()->render(stage->pose, view, stage->look);
        double first_s = seconds_since(t_first);
        if (!first) { log::error(first.error().message); return gs.finish(kGpuFailure); }
        auto t0 = Clock::now();
        for (int i = 0; i < frames.value(); ++i)
            if (auto r = out.value()->submit(stage->pose, view, stage->look); !r) { log::error(r.error().message); return gs.finish(kGpuFailure); }
        out.value()->wait();
        double s = seconds_since(t0);
        size_t tris = 0;
        for (auto& it : stage->pose.items) tris += stage->model.meshes[size_t(it.mesh)].primitives[size_t(it.primitive)].indices.size() / 3;
        std::printf("%-40s %8zu tris  load+upload %7.1f ms  first frame+readback %7.1f ms  %7.2f fps (%.1f ms/frame)\n",
                    p.filename().string().c_str(), tris, load_s * 1e3, first_s * 1e3, frames.value() / s, s * 1e3 / frames.value());
        out.value().reset();
        gs.ctx->finish_all();
    }
    std::printf("== memory\npeak resident: %.1f MiB   GPU memory held in blocks at exit: %.1f MiB\n", peak_rss_mib(),
                double(gs.ctx->allocator().bytes_in_blocks()) / (1 << 20));
    return gs.finish(kOk);
}

}  // namespace vitrine::app
