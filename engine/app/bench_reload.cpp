// `vitrine bench --reloads N SCENE_A SCENE_B`: numbers, never pass/fail. A kiosk's hot
// reloads for months, compressed: N reloads alternating two versions of a scene (which
// use different models), each loaded through one AssetCache, uploaded to one rig the way
// a live session does (session::upload_scene frees what the new version dropped, the
// cache forgets it), and one small frame drawn after each. Prints, at reload 10, every
// 100th and the last: resident memory, device memory held and in use, live Vulkan
// objects, models on the GPU, and the mean time of a reload.
#include <chrono>
#include <cstdio>
#include <memory>

#include "app/args.h"
#include "app/commands.h"
#include "app/usage.h"
#include "core/log.h"
#include "display/offscreen.h"
#include "gpu/live_objects.h"
#include "session/show_stage.h"
#include "show/load.h"

namespace vitrine::app {

int bench_reloads(int argc, char** argv) {
    auto args = Args::parse(argc, argv, 2, {"--reloads", "--size"}, {"--quiet"});
    if (!args) { usage_error("bench reloads", args.error().message); return kUsage; }
    if (args->words().size() != 2) {
        usage_error("bench reloads");
        return kUsage;
    }
    if (args->has("--quiet")) log::set_quiet(true);
    auto count = args->integer("--reloads", 1000);
    auto size = args->size("--size", 64, 36);
    if (!count || *count < 1 || !size) {
        log::error(!size ? size.error().message : "--reloads expects a number of reloads, 1 or more");
        return kBadInput;
    }
    const std::string files[2] = {args->words()[0], args->words()[1]};
    show::AssetCache cache;
    session::ShowStage st;
    std::unique_ptr<show::LoadedScene> scene;
    std::unique_ptr<show::Show> show;
    std::unique_ptr<display::Offscreen> out;
    display::RigOptions ro;
    ro.validation = validation_requested();
    std::printf("reloads of %s and %s, alternating (a %ux%u frame after each)\n", files[0].c_str(), files[1].c_str(),
                size->first, size->second);
    std::printf("%8s %10s %12s %12s %9s %7s %10s\n", "reloads", "rss_kb", "gpu_held_kb", "gpu_used_kb", "objects",
                "models", "ms/reload");
    auto t0 = std::chrono::steady_clock::now();
    long next_report = 10;
    for (long i = 0; i <= *count; ++i) {
        std::vector<show::Problem> problems;
        auto next = show::load_scene(files[i % 2], problems, &cache);
        for (const show::Problem& p : problems) std::fprintf(stderr, "%s\n", p.str().c_str());
        if (!next) {
            log::error(files[i % 2] + ": does not load");
            return st.finish(kBadInput);
        }
        // As LiveShow::poll does: the new show replaces the old one, scene and show together.
        auto next_show = show::Show::create(*next);
        st.scene = next.get();
        st.show = next_show.get();
        show = std::move(next_show);
        scene = std::move(next);
        cache.keep_only(*scene);
        if (!st.rig) {
            if (auto r = session::open_rig(st, ro); !r) { log::error(r.error().message); return st.finish(exit_code(r.error().kind)); }
            auto o = display::Offscreen::create(*st.rig, size->first, size->second);
            if (!o) { log::error(o.error().message); return st.finish(exit_code(o.error().kind)); }
            out = std::move(o.value());
        } else if (auto r = session::upload_scene(st); !r) {
            log::error(r.error().message);
            return st.finish(exit_code(r.error().kind));
        }
        show->advance(1.0);
        render::Look look = session::prepare_frame(st);
        render::View view = session::frame_view(st.frame, {0, 0, size->first, size->second});
        if (auto img = out->render(st.instances, look, {&view, 1}); !img) {
            log::error(img.error().message);
            return st.finish(exit_code(img.error().kind));
        }
        if (i == next_report || i == *count) {
            double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / double(i + 1);
            gpu::Resident r = gpu::resident();
            gpu::Allocator& a = st.rig->ctx().allocator();
            std::printf("%8ld %10lld %12llu %12llu %9lld %7zu %10.1f\n", i, (long long)r.rss_kb,
                        (unsigned long long)(a.bytes_in_blocks() >> 10), (unsigned long long)(a.bytes_used() >> 10),
                        (long long)gpu::live_objects().total(), st.rig->scene().model_count(), ms);
            std::fflush(stdout);
            if (i == next_report) next_report = next_report < 100 ? next_report * 10 : next_report + 100;
        }
    }
    out.reset();
    return st.finish(kOk);
}

}  // namespace vitrine::app
