// `vitrine render MODEL|SCENE --display FILE`: the exact canvas an LED processor wants
// (a view per planar screen, tiles when the canvas is larger than the device's images,
// written row by row), a lenticular panel's quilt and native image, the visitor
// preview from anywhere in the room; `vitrine render QUILT.png --display FILE`
// interleaves a quilt made elsewhere.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>

#include <glm/gtc/matrix_transform.hpp>

#include "app/args.h"
#include "app/commands.h"
#include "app/frames.h"
#include "app/display_stage.h"
#include "session/show_audio.h"
#include "audio/layout.h"
#include "core/log.h"
#include "core/png_rows.h"
#include "display/screens.h"
#include "room/mesh_warp.h"
#include "room/preview.h"
#include "room/projection.h"
#include "room/quilt.h"
#include "scene/orbit.h"

namespace vitrine::app {

namespace {

bool ends_with(const std::string& s, const char* e) {
    size_t n = std::char_traits<char>::length(e);
    return s.size() >= n && s.compare(s.size() - n, n, e) == 0;
}

std::string numbered_path(const std::string& pattern, long i) {
    bool unused;
    auto p = frame_path(pattern, i, &unused);
    return p ? *p : pattern;
}

// Box-shrinks an image until both sides fit `max_side` (the visitor room's texture).
Image8 fit_texture(Image8 img, uint32_t max_side) {
    while (img.width > max_side || img.height > max_side) {
        Image8 half;
        half.width = std::max(1u, img.width / 2);
        half.height = std::max(1u, img.height / 2);
        half.rgba.resize(size_t(half.width) * half.height * 4);
        for (uint32_t y = 0; y < half.height; ++y)
            for (uint32_t x = 0; x < half.width; ++x)
                for (int ch = 0; ch < 4; ++ch) {
                    auto at = [&](uint32_t xx, uint32_t yy) {
                        return uint32_t(img.rgba[(size_t(std::min(yy, img.height - 1)) * img.width + std::min(xx, img.width - 1)) * 4 + ch]);
                    };
                    uint32_t s = at(2 * x, 2 * y) + at(2 * x + 1, 2 * y) + at(2 * x, 2 * y + 1) + at(2 * x + 1, 2 * y + 1);
                    half.rgba[(size_t(y) * half.width + x) * 4 + ch] = uint8_t((s + 2) / 4);
                }
        img = std::move(half);
    }
    return img;
}

Result<glm::dvec3> parse_point(const Args& args, const std::string& flag, glm::dvec3 fallback) {
    if (!args.has(flag)) return fallback;
    std::string s = args.get(flag, "");
    double x, y, z;
    char extra;
    if (std::sscanf(s.c_str(), "%lf,%lf,%lf%c", &x, &y, &z, &extra) != 3 || !std::isfinite(x) || !std::isfinite(y) ||
        !std::isfinite(z))
        return fail(flag + " expects X,Y,Z in metres, got '" + s + "'");
    return glm::dvec3(x, y, z);
}

// `vitrine render QUILT.png --display lkg.display.yaml --out native.png`.
int interleave_quilt(const Args& args, const room::DisplayFile& d) {
    const room::Lenticular& lkg = *d.lenticular;
    const std::string& path = args.words()[0];
    if (!args.has("--out")) {
        log::error("interleaving " + path + ": the native image goes to --out FILE.png");
        return kUsage;
    }
    auto quilt = read_png(path);
    if (!quilt) { log::error(quilt.error().message); return kBadInput; }
    outputs::protect(path);  // never write the native picture over its quilt
    outputs::set_force(args.has("--force"));
    room::QuiltLayout layout = lkg.quilt;
    layout.width = quilt->width;
    layout.height = quilt->height;
    int64_t views = lkg.views;
    if (auto name = room::parse_quilt_name(std::filesystem::path(path).filename().string())) {
        layout.columns = name->columns;
        layout.rows = name->rows;
        views = name->columns * name->rows;
    }
    if (layout.columns > layout.width || layout.rows > layout.height) {
        log::error(path + ": a " + std::to_string(layout.columns) + "x" + std::to_string(layout.rows) + " quilt cannot be " +
                   std::to_string(layout.width) + "x" + std::to_string(layout.height) + " pixels");
        return kBadInput;
    }
    Image8 native = room::interleave(*quilt, layout, views, room::interleave_params(lkg.calibration));
    std::string out = args.get("--out", "");
    if (auto w = write_png(out, native); !w) { log::error(w.error().message); return kBadInput; }
    log::info("wrote " + out + " (" + std::to_string(native.width) + "x" + std::to_string(native.height) + ", " +
              std::to_string(views) + " views from " + path + ")");
    return kOk;
}

}  // namespace

int cmd_render_display(int argc, char** argv) {
    std::vector<std::string> flags = kStageFlags;
    flags.insert(flags.end(), {"--display", "--out", "--quilt", "--size", "--from", "--to", "--fps", "--inputs", "--clock",
                               "--tile", "--preview-from", "--preview-look-at", "--preview-fov", "--preview-mask",
                               "--interleave", "--warp", "--tile-memory", "--audio", "--audio-layout", "--audio-rate"});
    auto args = Args::parse(argc, argv, 2, flags, {"--quiet", "--preview-direct", "--force"});
    if (!args) { log::error(args.error().message); return kUsage; }
    if (args->words().empty() || !args->has("--display") || (!args->has("--out") && !args->has("--quilt"))) {
        log::error("usage: vitrine render MODEL|SCENE --display FILE.display.yaml --out CANVAS.png [--time T | --from A "
                   "--to B --fps F] [--quilt QUILT.png] [--preview-from X,Y,Z [--preview-look-at X,Y,Z] [--preview-fov D]]");
        return kUsage;
    }
    if (args->has("--quiet")) log::set_quiet(true);
    auto loaded = session::load_display_file(args->get("--display", ""));
    if (!loaded) return kBadInput;
    const room::DisplayFile& d = *loaded;
    if (d.lenticular && ends_with(args->words()[0], ".png")) return interleave_quilt(*args, d);

    auto from = args->seconds(args->has("--time") ? "--time" : "--from", 0);
    auto to = args->seconds("--to", from ? *from : 0);
    auto fps = args->seconds("--fps", 30);
    for (const Error* e : {from ? nullptr : &from.error(), to ? nullptr : &to.error(), fps ? nullptr : &fps.error()})
        if (e) { log::error(e->message); return kBadInput; }
    if (*fps <= 0 || *fps > 1000) { log::error("--fps expects a rate above 0 and at most 1000"); return kBadInput; }
    if (*to < *from) { log::error("--to must not be before --from"); return kBadInput; }
    long count = long(std::floor((*to - *from) * *fps + 1e-6)) + 1;
    if (count > 1000000) { log::error("--from .. --to at --fps makes more than a million frames"); return kBadInput; }
    std::string out_pattern = args->get("--out", ""), quilt_pattern = args->get("--quilt", "");
    for (const std::string* p : {&out_pattern, &quilt_pattern}) {
        if (p->empty()) continue;
        bool numbered = false;
        if (auto r = frame_path(*p, 0, &numbered); !r) { log::error(r.error().message); return kBadInput; }
        if (count > 1 && !numbered) {
            log::error("'" + *p + "' needs a frame number like %05d for " + std::to_string(count) + " frames");
            return kBadInput;
        }
    }
    std::string interleave = args->get("--interleave", "cpu");
    if (interleave != "cpu" && interleave != "gpu") { log::error("--interleave expects cpu or gpu, got '" + interleave + "'"); return kBadInput; }
    bool interleave_gpu = interleave == "gpu";
    std::string warp = args->get("--warp", "cpu");
    if (warp != "cpu" && warp != "gpu") { log::error("--warp expects cpu or gpu, got '" + warp + "'"); return kBadInput; }
    bool warp_gpu = warp == "gpu";
    if (warp_gpu && (d.lenticular || args->has("--preview-from") ||
                     std::none_of(d.screens.begin(), d.screens.end(), [](const room::Screen& s) { return !s.planar; }))) {
        log::error("--warp gpu warps a wall's curved (mesh) screens onto its canvas (--out); " + d.file.string() +
                   (d.lenticular ? " is a lenticular panel" : args->has("--preview-from") ? " is being previewed" : " has none"));
        return kUsage;
    }
    if (interleave_gpu && (!d.lenticular || quilt_pattern.size() || out_pattern.empty())) {
        log::error("--interleave gpu writes a lenticular panel's native picture (--out) only");
        return kUsage;
    }
        bool preview = args->has("--preview-from");
    if (preview && d.lenticular) { log::error("--preview-from shows walls; a lenticular display has none"); return kUsage; }
    if (!d.lenticular && (quilt_pattern.size() || out_pattern.empty())) {
        log::error(quilt_pattern.size() ? "--quilt is for lenticular displays; a wall's picture goes to --out"
                                        : "a wall's canvas (or its preview) goes to --out FILE.png");
        return kUsage;
    }
    // A tracked viewer starts at its `eye`, which must stand in front of every screen.
    for (const room::Screen& s : d.screens)
        if (s.planar && room::eye_distance(s.pa, s.pb, s.pc, d.viewer.eye) <= d.viewer.near) {
            log::error(d.file.string() + ": screen '" + s.name + "': the viewer's eye is not in front of it" +
                       (d.viewer.tracked ? " (a tracked viewer starts at `eye:`; give one in front of every screen)" : ""));
            return kBadInput;
        }
    // Mesh screens and the preview keep the whole canvas in memory.
    if ((preview || std::any_of(d.screens.begin(), d.screens.end(), [](const room::Screen& s) { return !s.planar; })) &&
        uint64_t(d.canvas_width) * uint64_t(d.canvas_height) > (1ull << 30)) {
        log::error(d.file.string() + ": a canvas of more than a gigapixel cannot be held in memory for " +
                   (preview ? std::string("the visitor preview") : std::string("mesh screens")));
        return kBadInput;
    }
    if (preview && count > 1) { log::error("--preview-from renders one frame (--time T)"); return kUsage; }

    auto content_r = open_display_stage(*args, d, *from);
    if (!content_r) { log::error(content_r.error().message); return exit_code(content_r.error().kind); }
    DisplayStage& c = *content_r.value();
    // Every file this run reads is protected now (the display, the scene or models, the
    // inputs): refuse an output over any of them before the first frame.
    outputs::set_force(args->has("--force"));
    {
        Result<void> ok = out_pattern.empty() ? Result<void>{} : check_outputs(out_pattern, count);
        for (long i = 0; ok && d.lenticular && !quilt_pattern.empty() && i < count; ++i)
            ok = outputs::check(room::quilt_file_name(numbered_path(quilt_pattern, i), d.lenticular->quilt,
                                                      room::panel_aspect(*d.lenticular)),
                                outputs::Kind::Png);
        if (ok && args->has("--preview-mask")) ok = outputs::check(args->get("--preview-mask", ""), outputs::Kind::Png);
        if (ok && args->has("--audio")) ok = outputs::check(args->get("--audio", ""), outputs::Kind::Wav);
        if (!ok) { log::error(ok.error().message); return c.finish(kBadInput); }
    }
    stop_on_signals();
    // The show's sound first (CPU only; the frames below replay the show from --from).
    if (args->has("--audio")) {
        auto layout = audio::parse_layout(args->get("--audio-layout", "stereo"));
        auto rate = args->integer("--audio-rate", 48000);
        if (!layout) { log::error(layout.error().message); return c.finish(kBadInput); }
        if (!rate || *rate < 8000 || *rate > 192000) { log::error("--audio-rate expects 8000 to 192000 Hz"); return c.finish(kBadInput); }
        if (c.stage || args->has("--time")) {
            log::error("--audio renders a scene's sound over a span (--from A --to B --fps F)");
            return c.finish(kBadInput);
        }
        if (auto r = session::audio_span_fits(*layout, uint32_t(*rate), double(count) / *fps); !r) {
            log::error(r.error().message);
            return c.finish(kBadInput);
        }
        session::ShowAudio where;
        session::set_viewer(where, d);
        where.aspect = float(d.canvas_width) / float(d.canvas_height);
        if (auto r = session::render_show_audio(c.show_stage, std::move(where), args->get("--audio", ""), *layout, uint32_t(*rate), *from,
                                       *fps, count);
            !r) {
            log::error(r.error().message);
            return c.finish(exit_code(r.error().kind));
        }
        c.show_stage.show->seek(*from);
    }
    gpu::Context& ctx = c.rig().ctx();
    uint32_t max_side = std::min(ctx.limits().max_image_2d,
                                 std::min(ctx.limits().max_framebuffer_width, ctx.limits().max_framebuffer_height));
    auto start = std::chrono::steady_clock::now();

    // A lenticular panel: the quilt, then the native image through the interleave.
    if (d.lenticular && interleave_gpu) {
        // The native picture straight from the GPU interleave pass (the one `run` shows).
        const room::Lenticular& lkg = *d.lenticular;
        auto out_r = display::Offscreen::create(c.rig(), uint32_t(lkg.calibration.screen_w),
                                                uint32_t(lkg.calibration.screen_h), &d);
        if (!out_r) { log::error(out_r.error().message); return c.finish(exit_code(out_r.error().kind)); }
        auto done = render_frames(c.rig(), *out_r.value(), count, [&](long i) {
            auto [instances, look] = c.at(*from + double(i) / *fps);
            std::vector<render::View> views = display::quilt_views(lkg, quilt_camera(c, d));
            progress(i + 1, count, start);
            return out_r.value()->submit(instances, look, views, numbered_path(out_pattern, i));
        });
        if (!done) { log::error(done.error().message); return c.finish(exit_code(done.error().kind)); }
        log::info("wrote " + std::to_string(count) + " native frame(s) " + numbered_path(out_pattern, 0) +
                  " (interleaved on the GPU)");
        out_r.value().reset();
        return c.finish(kOk);
    }
    if (d.lenticular) {
        const room::Lenticular& lkg = *d.lenticular;
        auto out_r = display::Offscreen::create(c.rig(), uint32_t(lkg.quilt.width), uint32_t(lkg.quilt.height));
        if (!out_r) { log::error(out_r.error().message); return c.finish(exit_code(out_r.error().kind)); }
        room::InterleaveParams ip = room::interleave_params(lkg.calibration);
        // Every view shows the panel's shape (the interleave stretches a tile over the panel).
        double aspect = room::panel_aspect(lkg);
        for (long i = 0; i < count; ++i) {
            if (stop_requested()) { log::error(stopped(i).message); return c.finish(exit_code(ErrorKind::Interrupted)); }
            auto [instances, look] = c.at(*from + double(i) / *fps);
            room::QuiltCamera cam = quilt_camera(c, d);
            std::vector<render::View> views = display::quilt_views(lkg, cam);
            auto quilt = render_retrying(c, *out_r.value(), instances, look, views);
            if (!quilt) { log::error(quilt.error().message); return c.finish(exit_code(quilt.error().kind)); }
            // The quilt and its native picture are moved into place together, when both are
            // whole: a failure between them (out of memory in the interleave) leaves neither.
            std::vector<outputs::OutputFile> files;
            auto stage_png = [&](const std::string& name, const Image8& image) -> Result<void> {
                auto f = outputs::OutputFile::create(name, outputs::Kind::Png);
                if (!f) return f.error();
                if (auto w = write_png(*f, image); !w) return w;
                files.push_back(std::move(*f));
                return {};
            };
            std::string q = quilt_pattern.empty() ? "" : room::quilt_file_name(numbered_path(quilt_pattern, i), lkg.quilt, aspect);
            Result<void> written = q.empty() ? Result<void>{} : stage_png(q, *quilt);
            if (written && !out_pattern.empty()) written = stage_png(numbered_path(out_pattern, i), room::interleave(*quilt, lkg.quilt, lkg.views, ip));
            for (outputs::OutputFile& f : files)
                if (written) written = f.commit();
            if (!written) { log::error(written.error().message); return c.finish(exit_code(written.error().kind)); }
            if (i == 0 && !q.empty()) log::info("quilt " + q);
            progress(i + 1, count, start);
        }
        log::info("wrote " + std::to_string(count) + " frame(s): " + std::to_string(lkg.views) + " views, quilt " +
                  std::to_string(lkg.quilt.columns) + "x" + std::to_string(lkg.quilt.rows) + " (" +
                  std::to_string(lkg.quilt.width) + "x" + std::to_string(lkg.quilt.height) + ")" +
                  (out_pattern.empty() ? "" : ", native " + out_pattern));
        out_r.value().reset();
        return c.finish(kOk);
    }

    // A wall: one view per planar screen; mesh screens warped from the eye's picture.
    bool meshes = std::any_of(d.screens.begin(), d.screens.end(), [](const room::Screen& s) { return !s.planar; });
    uint32_t cw = uint32_t(d.canvas_width), ch = uint32_t(d.canvas_height);
    std::vector<render::View> views = display::screen_views(d, d.viewer.eye);
    // Tiles when the canvas or a screen's picture (with its overscan) is larger than the
    // device's images, or the canvas is larger than 32 Mpixel (memory: ~60 bytes a pixel
    // of view targets); a tile's views fit the device with their overscan.
    uint32_t tile_side = max_side - 2 * display::kScreenOverscan;
    uint32_t tile_w = std::min({cw, 4096u, tile_side}), tile_h = std::min({ch, 2048u, tile_side});
    bool big_view = std::any_of(views.begin(), views.end(), [&](const render::View& v) {
        return v.target_width() > max_side || v.target_height() > max_side;
    });
    bool tiled = cw > max_side || ch > max_side || big_view || uint64_t(cw) * ch > (32ull << 20) || args->has("--tile");
    if (args->has("--tile")) {
        auto t = args->size("--tile", tile_w, tile_h);
        if (!t || t->first > tile_side || t->second > tile_side) {
            log::error("--tile expects WxH of at most " + std::to_string(tile_side) + " a side (the device's " +
                       std::to_string(max_side) + " less the screens' overscan)");
            return c.finish(kBadInput);
        }
        tile_w = std::min(cw, t->first);
        tile_h = std::min(ch, t->second);
    }

    if (warp_gpu && tiled) {
        log::error("--warp gpu draws the canvas in one pass; this one needs tiles (use --warp cpu)");
        return c.finish(kUsage);
    }
    if (!preview && meshes && !warp_gpu) {
        for (long i = 0; i < count; ++i) {
            if (stop_requested()) { log::error(stopped(i).message); return c.finish(exit_code(ErrorKind::Interrupted)); }
            auto [instances, look] = c.at(*from + double(i) / *fps);
            auto canvas = canvas_image(c, d, views, tiled ? tile_w : cw, tiled ? tile_h : ch, instances, look);
            if (!canvas) { log::error(canvas.error().message); return c.finish(exit_code(canvas.error().kind)); }
            if (auto w = write_png(numbered_path(out_pattern, i), *canvas); !w) { log::error(w.error().message); return c.finish(kBadInput); }
            progress(i + 1, count, start);
        }
        log::info("wrote " + (count > 1 ? std::to_string(count) + " canvases " + numbered_path(out_pattern, 0) + " ..." : out_pattern) +
                  " (" + std::to_string(cw) + "x" + std::to_string(ch) + ", " + std::to_string(d.screens.size()) +
                  " screens, mesh screens warped)");
        return c.finish(kOk);
    }
    if (!preview) {
        if (!tiled) {
            // One pass; with --warp gpu the output also draws and warps the mesh screens.
            auto out_r = display::Offscreen::create(c.rig(), cw, ch, warp_gpu ? &d : nullptr);
            if (!out_r) { log::error(out_r.error().message); return c.finish(exit_code(out_r.error().kind)); }
            auto done = render_frames(c.rig(), *out_r.value(), count, [&](long i) {
                auto [instances, look] = c.at(*from + double(i) / *fps);
                progress(i + 1, count, start);
                return out_r.value()->submit(instances, look, views, numbered_path(out_pattern, i));
            });
            if (!done) { log::error(done.error().message); return c.finish(exit_code(done.error().kind)); }
            out_r.value().reset();
        } else {
            auto out_r = display::Offscreen::create(c.rig(), tile_w, tile_h);
            if (!out_r) { log::error(out_r.error().message); return c.finish(exit_code(out_r.error().kind)); }
            for (long i = 0; i < count; ++i) {
                if (stop_requested()) { log::error(stopped(i).message); return c.finish(exit_code(ErrorKind::Interrupted)); }
                auto [instances, look] = c.at(*from + double(i) / *fps);
                auto file = PngRows::create(numbered_path(out_pattern, i), cw, ch);
                if (!file) { log::error(file.error().message); return c.finish(kBadInput); }
                auto done = render_tiled(c, *out_r.value(), tile_w, tile_h, cw, ch, views, instances, look,
                                         [&](const uint8_t* rows, uint32_t n) { return file.value()->write(rows, n); });
                if (done) done = file.value()->finish();
                if (!done) { log::error(done.error().message); return c.finish(exit_code(done.error().kind)); }
                progress(i + 1, count, start);
            }
            out_r.value().reset();
        }
        log::info("wrote " + (count > 1 ? std::to_string(count) + " canvases " + numbered_path(out_pattern, 0) + " ..."
                                        : out_pattern) +
                  " (" + std::to_string(cw) + "x" + std::to_string(ch) + ", " + std::to_string(d.screens.size()) + " screens" +
                  (tiled ? ", tiles of " + std::to_string(tile_w) + "x" + std::to_string(tile_h) : "") +
                  (warp_gpu ? ", mesh screens warped on the GPU" : "") + ")");
        return c.finish(kOk);
    }

    // The visitor preview: the canvas in memory, then the room drawn from the standpoint.
    auto from_r = parse_point(*args, "--preview-from", d.viewer.eye);
    auto look_at = parse_point(*args, "--preview-look-at", screens_centroid(d));
    auto fov = args->number("--preview-fov", 50);
    auto size = args->size("--size", 1920, 1080);
    for (const Error* e : {from_r ? nullptr : &from_r.error(), look_at ? nullptr : &look_at.error(),
                           fov ? nullptr : &fov.error(), size ? nullptr : &size.error()})
        if (e) { log::error(e->message); return c.finish(kBadInput); }
    if (*fov <= 1 || *fov >= 179) { log::error("--preview-fov must be between 1 and 179 degrees"); return c.finish(kBadInput); }
    if (glm::length(*look_at - *from_r) < 1e-6) { log::error("--preview-look-at must differ from --preview-from"); return c.finish(kBadInput); }
    auto [pw, ph] = *size;
    render::View pv;
    pv.viewport = {0, 0, pw, ph};
    pv.eye = glm::vec3(*from_r);
    glm::dvec3 fwd = glm::normalize(*look_at - *from_r);
    glm::dvec3 up = std::abs(fwd.y) > 0.999 ? glm::dvec3(0, 0, -1) : glm::dvec3(0, 1, 0);
    pv.view = glm::mat4(glm::lookAt(*from_r, *look_at, up));
    pv.proj = scene::perspective(glm::radians(*fov), float(pw) / float(ph), 0.05f, float(d.viewer.far));

    auto [instances, look] = c.at(*from);
    auto preview_r = display::Offscreen::create(c.rig(), pw, ph);
    if (!preview_r) { log::error(preview_r.error().message); return c.finish(exit_code(preview_r.error().kind)); }
    Image8 shot;
    std::optional<outputs::OutputFile> mask_file;  // --preview-mask, moved into place with the preview
    if (args->has("--preview-direct")) {
        // What the wall means to show: the content itself from the standpoint.
        auto img = render_retrying(c, *preview_r.value(), instances, look, std::span(&pv, 1));
        if (!img) { log::error(img.error().message); return c.finish(exit_code(img.error().kind)); }
        shot = std::move(*img);
    } else {
        auto canvas_r = canvas_image(c, d, views, tiled ? tile_w : cw, tiled ? tile_h : ch, instances, look);
        if (!canvas_r) { log::error(canvas_r.error().message); return c.finish(exit_code(canvas_r.error().kind)); }
        Image8 canvas = std::move(*canvas_r);
        // The room, lit by nothing but the canvas: unlit screens, a dark floor.
        render::Look dark;
        dark.tonemap = render::ToneMap::None;
        dark.solid_background = true;
        dark.background = glm::vec3(0);
        dark.env_intensity = 0;
        auto draw_room = [&](Image8 picture) -> Result<Image8> {
            c.extra.push_back(std::make_unique<scene::Model>(room::visitor_room(d, fit_texture(std::move(picture), std::min(8192u, max_side)))));
            auto id = c.rig().add_model(*c.extra.back());
            if (!id) return id.error();
            scene::Pose pose = scene::evaluate_pose(*c.extra.back(), -1, 0);
            render::Instance inst;
            inst.model = *id;
            inst.pose = &pose;
            c.rig().set_room_lights({});
            return render_retrying(c, *preview_r.value(), std::span(&inst, 1), dark, std::span(&pv, 1));
        };
        if (args->has("--preview-mask")) {  // moved into place with the preview, when both are whole
            Image8 white = canvas;
            std::fill(white.rgba.begin(), white.rgba.end(), uint8_t(255));
            auto mask = draw_room(std::move(white));
            if (!mask) { log::error(mask.error().message); return c.finish(exit_code(mask.error().kind)); }
            auto f = outputs::OutputFile::create(args->get("--preview-mask", ""), outputs::Kind::Png);
            if (f) {
                if (auto w = write_png(*f, *mask); !w) f = w.error();
            }
            if (!f) { log::error(f.error().message); return c.finish(exit_code(f.error().kind)); }
            mask_file.emplace(std::move(*f));
        }
        auto img = draw_room(std::move(canvas));
        if (!img) { log::error(img.error().message); return c.finish(exit_code(img.error().kind)); }
        shot = std::move(*img);
    }
    if (auto w = write_png(out_pattern, shot); !w) { log::error(w.error().message); return c.finish(exit_code(w.error().kind)); }
    if (mask_file)
        if (auto w = mask_file->commit(); !w) { log::error(w.error().message); return c.finish(exit_code(w.error().kind)); }
    log::info("wrote " + out_pattern + " (visitor preview from " + args->get("--preview-from", "") + ")");
    preview_r.value().reset();
    return c.finish(kOk);
}

}  // namespace vitrine::app
