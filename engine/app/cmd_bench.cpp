// vitrine bench: numbers, never pass/fail. Load time and throughput for every corpus
// model, offscreen frames per second at a given size, peak resident memory.
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "app/args.h"
#include "app/commands.h"
#include "app/usage.h"
#include "app/gpu_stage.h"
#include "display/offscreen.h"
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

int bench_reloads(int argc, char** argv);  // bench_reload.cpp

int cmd_bench(int argc, char** argv) {
    for (int i = 2; i < argc; ++i)
        if (std::string(argv[i]) == "--reloads") return bench_reloads(argc, argv);
    for (int i = 2; i < argc; ++i)
        if (std::string(argv[i]) == "--session") return bench_session(argc, argv);  // bench_session.cpp
    auto args = Args::parse(argc, argv, 2, {"--corpus", "--frames", "--size", "--models", "--show"}, {"--quiet", "--no-load"});
    if (!args) { usage_error("bench", args.error().message); return kUsage; }  // any of bench's forms
    if (args->has("--show")) return bench_show(args->get("--show", ""));  // the show runtime only (CPU)
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

    auto [w, h] = size.value();
    int n = frames.value();
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
    Args none = Args::parse(0, nullptr, 0, {}, {}).value();
    display::RigOptions ro;
    ro.validation = validation_requested();
    // Renders `frames` frames of `views` (pixels read back, not written) and returns seconds per frame.
    auto time_frames = [&](display::Offscreen& out, const Stage& st, const GpuStage& gs, std::span<const render::View> views,
                           int count, const std::string& files) -> Result<double> {
        std::vector<render::Instance> instances;
        stage_instances(st, gs.ids, instances);
        if (auto r = out.render(instances, st.look, views); !r) return r.error();  // warm: pipelines, targets
        out.reset_timers();
        auto t0 = Clock::now();
        for (int i = 0; i < count; ++i) {
            std::string file;
            if (!files.empty()) {
                char name[32];
                std::snprintf(name, sizeof name, "/frame_%04d.png", i);
                file = files + name;
            }
            if (auto r = out.submit(instances, st.look, views, file); !r) return r.error();
        }
        if (auto r = out.finish(); !r) return r.error();
        return seconds_since(t0) / count;
    };

    for (const std::string& t : targets) {
        fs::path p = fs::path(t).is_absolute() ? fs::path(t) : models / t;
        auto t_load = Clock::now();
        auto stage = make_stage({p.string()}, none);
        if (!stage) { log::error(stage.error().message); continue; }
        size_t tris = 0;
        for (auto& it : stage->poses[0].items)
            tris += stage->models[0]->meshes[size_t(it.mesh)].primitives[size_t(it.primitive)].indices.size() / 3;
        auto gs = open_gpu_stage(stage.value(), ro);
        if (!gs) { log::error(gs.error().message); return exit_code(gs.error().kind); }
        auto out = display::Offscreen::create(*gs.value()->rig, w, h);
        if (!out) { log::error(out.error().message); return gs.value()->finish(exit_code(out.error().kind)); }
        double load_s = seconds_since(t_load);
        if (t == targets.front())
            std::printf("== offscreen frames at %ux%u on %s (4x MSAA, IBL, tone map; %d frames, 2 in flight, read back)\n",
                        w, h, gs.value()->rig->ctx().device_name().c_str(), n);
        render::View one = stage_view(stage.value(), {0, 0, w, h});
        auto s = time_frames(*out.value(), stage.value(), *gs.value(), std::span(&one, 1), n, "");
        if (!s) { log::error(s.error().message); return gs.value()->finish(exit_code(s.error().kind)); }
        std::printf("%-40s %8zu tris  load+upload %7.1f ms  %7.2f fps (%.1f ms/frame; CPU prepare+record %.2f ms)\n",
                    p.filename().string().c_str(), tris, load_s * 1e3, 1.0 / s.value(), s.value() * 1e3,
                    out.value()->record_seconds() * 1e3 / n);
        std::printf("   per pass (GPU timestamps, ms): %s\n", out.value()->pass_times().c_str());

        if (t != targets.front()) {
            out.value().reset();
            gs.value()->finish(kOk);
            continue;
        }
        // Many views in one frame: a 16-view turnaround sheet of the same total size.
        std::vector<render::View> sheet;
        for (uint32_t i = 0; i < 16; ++i)
            sheet.push_back(stage_view(stage.value(), {int32_t((i % 4) * (w / 4)), int32_t((i / 4) * (h / 4)), w / 4, h / 4},
                                       2.0f * 3.14159265f * float(i) / 16.0f));
        auto s16 = time_frames(*out.value(), stage.value(), *gs.value(), sheet, n, "");
        if (!s16) { log::error(s16.error().message); return gs.value()->finish(exit_code(s16.error().kind)); }
        std::printf("16-view turnaround sheet, %ux%u in all: %.1f ms/frame = %.2fx one view (goal <= 1.5x)\n", w, h,
                    s16.value() * 1e3, s16.value() / s.value());
        std::printf("   per pass (GPU timestamps, ms, all 16 views): %s\n", out.value()->pass_times().c_str());
        // An offline image sequence: PNG encoding on worker threads.
        fs::path seq = fs::temp_directory_path() / ("vitrine-bench-" + std::to_string(::getpid()));
        fs::create_directories(seq);
        auto sseq = time_frames(*out.value(), stage.value(), *gs.value(), std::span(&one, 1), n, seq.string());
        fs::remove_all(seq);
        if (!sseq) { log::error(sseq.error().message); return gs.value()->finish(exit_code(sseq.error().kind)); }
        std::printf("offline sequence with PNG files: %.2f frames/s = %.2fx the bench fps (goal >= 0.9x)\n",
                    1.0 / sseq.value(), s.value() / sseq.value());
        out.value().reset();
        gs.value()->finish(kOk);
    }

    // 100 instances of 10 corpus models vs 1 instance, same image size.
    {
        std::vector<std::string> ten = {"Duck/glTF-Binary/Duck.glb", "Avocado/glTF/Avocado.gltf",
                                        "BoxTextured/glTF-Binary/BoxTextured.glb", "DamagedHelmet/glTF-Binary/DamagedHelmet.glb",
                                        "WaterBottle/glTF/WaterBottle.gltf", "Fox/glTF-Binary/Fox.glb",
                                        "Box/glTF-Binary/Box.glb", "SheenCloth/glTF/SheenCloth.gltf",
                                        "NormalTangentTest/glTF-Binary/NormalTangentTest.glb",
                                        "VertexColorTest/glTF-Binary/VertexColorTest.glb"};
        std::vector<std::string> hundred;
        for (int r = 0; r < 10; ++r)
            for (const auto& m : ten) hundred.push_back((models / m).string());
        bool all = true;
        for (const auto& m : ten)
            if (!fs::exists(models / m)) {
                std::printf("100 instances: skipped, %s is not in the corpus\n", m.c_str());
                all = false;
            }
        if (all) {
            for (int pass = 0; pass < 2; ++pass) {
                std::vector<std::string> list = pass == 0 ? std::vector<std::string>{hundred.front()} : hundred;
                auto stage = make_stage(list, none);
                if (!stage) { log::error(stage.error().message); break; }
                auto gs = open_gpu_stage(stage.value(), ro);
                if (!gs) { log::error(gs.error().message); return exit_code(gs.error().kind); }
                auto out = display::Offscreen::create(*gs.value()->rig, w, h);
                if (!out) { log::error(out.error().message); return gs.value()->finish(exit_code(out.error().kind)); }
                render::View one = stage_view(stage.value(), {0, 0, w, h});
                auto s = time_frames(*out.value(), stage.value(), *gs.value(), std::span(&one, 1), n, "");
                if (!s) { log::error(s.error().message); return gs.value()->finish(exit_code(s.error().kind)); }
                std::printf("%3zu instance(s) of %zu model(s): CPU prepare+record %.3f ms/frame (goal < 2 ms at 100), frame %.1f ms\n",
                            list.size(), stage->models.size(), out.value()->record_seconds() * 1e3 / n, s.value() * 1e3);
                out.value().reset();
                gs.value()->finish(kOk);
            }
        }
    }
    std::printf("== memory\npeak resident: %.1f MiB\n", peak_rss_mib());
    return kOk;
}

}  // namespace vitrine::app
