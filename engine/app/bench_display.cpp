// `vitrine bench --display FILE [MODEL|SCENE]`: numbers, never pass/fail. A wall: the
// canvas's frame time (one pass, or tiles when it is larger than the device's images,
// rows streamed to /dev/null's stand-in) and peak memory. A lenticular panel: the quilt
// against one view of the quilt's size and against its views rendered one by one.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>

#include "app/args.h"
#include "app/commands.h"
#include "app/usage.h"
#include "app/display_stage.h"
#include "core/log.h"
#include "display/screens.h"

namespace vitrine::app {

namespace {

using Clock = std::chrono::steady_clock;

double peak_rss_mib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_maxrss) / 1024.0;
}

// Mean seconds per call of `frame` over `frames` calls, after one warm-up call.
Result<double> timed(int frames, const std::function<Result<void>()>& frame) {
    if (auto r = frame(); !r) return r.error();
    auto t0 = Clock::now();
    for (int i = 0; i < frames; ++i)
        if (auto r = frame(); !r) return r.error();
    return std::chrono::duration<double>(Clock::now() - t0).count() / frames;
}

}  // namespace

int bench_display(int argc, char** argv) {
    auto args = Args::parse(argc, argv, 2, {"--display", "--frames", "--tile", "--env"}, {"--quiet"});
    if (!args) { usage_error("bench display", args.error().message); return kUsage; }
    log::set_quiet(true);
    auto frames = args->integer("--frames", 3);
    if (!frames || *frames < 1) { log::error("bench: --frames expects a count of 1 or more"); return kBadInput; }
    auto loaded = session::load_display_file(args->get("--display", ""));
    if (!loaded) return kBadInput;
    const room::DisplayFile& d = *loaded;
    if (args->words().empty()) {
        usage_error("bench display");
        return kUsage;
    }
    auto stage = open_display_stage(*args, d, 0);
    if (!stage) {
        if (stage.error().kind == ErrorKind::Usage)
            usage_error("bench display", stage.error().message);
        else
            log::error(stage.error().message);
        return exit_code(stage.error().kind);
    }
    DisplayStage& c = *stage.value();
    gpu::Context& ctx = c.rig().ctx();
    std::printf("== display %s with %s on %s\n", d.file.string().c_str(), args->words()[0].c_str(), ctx.device_name().c_str());
    auto [instances, look] = c.at(0);
    auto fail_with = [&](const Error& e) {
        log::error(e.message);
        return c.finish(exit_code(e.kind));
    };

    if (d.lenticular) {
        const room::Lenticular& lkg = *d.lenticular;
        uint32_t qw = uint32_t(lkg.quilt.width), qh = uint32_t(lkg.quilt.height);
        std::vector<render::View> views = display::quilt_views(lkg, quilt_camera(c, d));
        auto quilt_out = display::Offscreen::create(c.rig(), qw, qh);
        if (!quilt_out) return fail_with(quilt_out.error());
        auto quilt = timed(*frames, [&]() -> Result<void> {
            auto img = quilt_out.value()->render(instances, look, views);
            if (!img) return img.error();
            return {};
        });
        if (!quilt) return fail_with(quilt.error());
        // One view as large as the whole quilt (the centre eye).
        render::View single = views[views.size() / 2];
        single.viewport = {0, 0, qw, qh};
        auto one = timed(*frames, [&]() -> Result<void> {
            auto img = quilt_out.value()->render(instances, look, std::span(&single, 1));
            if (!img) return img.error();
            return {};
        });
        if (!one) return fail_with(one.error());
        quilt_out.value().reset();
        // Every view on its own: a frame (prepare, draw, read back) per view.
        room::TileRect t0 = room::quilt_tile(lkg.quilt, 0);
        auto tile_out = display::Offscreen::create(c.rig(), uint32_t(t0.width), uint32_t(t0.height));
        if (!tile_out) return fail_with(tile_out.error());
        auto separate = timed(1, [&]() -> Result<void> {
            for (render::View v : views) {
                v.viewport = {0, 0, uint32_t(t0.width), uint32_t(t0.height)};
                auto img = tile_out.value()->render(instances, look, std::span(&v, 1));
                if (!img) return img.error();
            }
            return {};
        });
        if (!separate) return fail_with(separate.error());
        tile_out.value().reset();
        std::printf("quilt %ux%u, %lld views (%lldx%lld tiles):  %8.1f ms\n", qw, qh, (long long)lkg.views,
                    (long long)t0.width, (long long)t0.height, *quilt * 1e3);
        std::printf("one view %ux%u:                          %8.1f ms   quilt / one view = %.2fx (goal <= 3x)\n", qw, qh,
                    *one * 1e3, *quilt / *one);
        std::printf("%lld separate renders of one view:           %8.1f ms   quilt / separate = %.2fx\n",
                    (long long)lkg.views, *separate * 1e3, *quilt / *separate);
        uint32_t batch = c.rig().scene().multiview_batch();
        if (batch) std::printf("multiview: batches of up to %u views a pass\n", batch);
        else std::printf("multiview: off (every view drawn by its own passes; VITRINE_MULTIVIEW=force on lavapipe)\n");
    } else {
        uint32_t cw = uint32_t(d.canvas_width), ch = uint32_t(d.canvas_height);
        uint32_t max_side = std::min(ctx.limits().max_image_2d,
                                     std::min(ctx.limits().max_framebuffer_width, ctx.limits().max_framebuffer_height));
        std::vector<render::View> views = display::screen_views(d, d.viewer.eye);
        bool tiled = cw > max_side || ch > max_side || args->has("--tile");
        auto tile = args->size("--tile", std::min(cw, 4096u), std::min(ch, 2048u));
        if (!tile) return fail_with(tile.error());
        uint32_t tw = tiled ? std::min(cw, tile->first) : cw, th = tiled ? std::min(ch, tile->second) : ch;
        auto out = display::Offscreen::create(c.rig(), tw, th);
        if (!out) return fail_with(out.error());
        uint64_t rows_seen = 0;
        auto frame = timed(*frames, [&]() -> Result<void> {
            if (!tiled) {
                auto img = out.value()->render(instances, look, views);
                if (!img) return img.error();
                return {};
            }
            // The band's rows are what PngRows would write; here they are only counted.
            return render_tiled(c, *out.value(), tw, th, cw, ch, views, instances, look,
                                [&](const uint8_t*, uint32_t n) -> Result<void> {
                                    rows_seen += n;
                                    return {};
                                },
                                false);
        });
        if (!frame) return fail_with(frame.error());
        out.value().reset();
        std::printf("canvas %ux%u, %zu screens%s: %.1f ms per frame (%.2f Mpixel/s), rendered and read back\n", cw, ch,
                    views.size(), tiled ? (", tiles of " + std::to_string(tw) + "x" + std::to_string(th)).c_str() : "",
                    *frame * 1e3, double(cw) * ch / *frame / 1e6);
    }
    std::printf("peak resident: %.1f MiB\n", peak_rss_mib());
    return c.finish(kOk);
}

}  // namespace vitrine::app
