// `vitrine render MODEL|SCENE --display FILE`: the exact canvas an LED processor wants
// (a view per planar screen, tiles when the canvas is larger than the device's images,
// written row by row), a lenticular panel's quilt and native image, the visitor
// preview from anywhere in the room; `vitrine render QUILT.png --display FILE`
// interleaves a quilt made elsewhere.
//
// cmd_render_display reads and checks the request once (`Request`), puts the content on
// the rig, then hands it to one output mode: render_native_on_gpu, render_quilts (a
// lenticular panel), render_canvas, render_canvas_in_tiles, render_warped_canvases (a
// wall) or render_preview (the visitor's view of a wall).
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
#include "app/usage.h"
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
        usage_error("render display", "interleaving " + path + ": the native image goes to --out FILE.png");
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

// The show times drawn: frame i at `from + i / fps`.
struct Span {
    double from = 0, fps = 30;
    long count = 1;
    double at(long i) const { return from + double(i) / fps; }
};

// One `render --display`, read and checked once: what every output mode starts from.
struct Request {
    const Args& args;
    const room::DisplayFile& d;
    Span span;
    std::string out_pattern, quilt_pattern;  // "" when not asked for
    bool interleave_gpu = false, warp_gpu = false, preview = false;
    // Known once the content is on the rig.
    uint32_t max_side = 0;  // the device's largest image and framebuffer side
    std::chrono::steady_clock::time_point start;
};

bool has_mesh_screen(const room::DisplayFile& d) {
    return std::any_of(d.screens.begin(), d.screens.end(), [](const room::Screen& s) { return !s.planar; });
}

// Its line; a usage error's is followed by the synopsis, as every command's is.
void tell(const std::string& message, int code) {
    if (code == kUsage)
        usage_error("render display", message);
    else
        log::error(message);
}

// Its line, then its exit code (before the content is on the rig).
int refuse(const Error& e) {
    tell(e.message, exit_code(e.kind));
    return exit_code(e.kind);
}

// Its line, then the rig's finish, which fails the run on validation messages.
int failed(DisplayStage& c, const Error& e, int code) {
    tell(e.message, code);
    return c.finish(code);
}
int failed(DisplayStage& c, const Error& e) { return failed(c, e, exit_code(e.kind)); }

Error bad_input(const Error& e) { return fail(ErrorKind::BadInput, e.message); }
Error wrong_usage(std::string message) { return fail(ErrorKind::Usage, std::move(message)); }

// --time T, or --from A --to B --fps F.
Result<Span> read_span(const Args& args) {
    auto from = args.seconds(args.has("--time") ? "--time" : "--from", 0);
    auto to = args.seconds("--to", from ? *from : 0);
    auto fps = args.seconds("--fps", 30);
    for (const Error* e : {from ? nullptr : &from.error(), to ? nullptr : &to.error(), fps ? nullptr : &fps.error()})
        if (e) return bad_input(*e);
    if (*fps <= 0 || *fps > 1000) return fail("--fps expects a rate above 0 and at most 1000");
    if (*to < *from) return fail("--to must not be before --from");
    long count = long(std::floor((*to - *from) * *fps + 1e-6)) + 1;
    if (count > 1000000) return fail("--from .. --to at --fps makes more than a million frames");
    return Span{*from, *fps, count};
}

// --out and --quilt: several frames need a frame number in the name.
Result<void> check_patterns(const Request& r) {
    for (const std::string* p : {&r.out_pattern, &r.quilt_pattern}) {
        if (p->empty()) continue;
        bool numbered = false;
        if (auto f = frame_path(*p, 0, &numbered); !f) return bad_input(f.error());
        if (r.span.count > 1 && !numbered)
            return fail("'" + *p + "' needs a frame number like %05d for " + std::to_string(r.span.count) + " frames");
    }
    return {};
}

// --interleave, --warp, --quilt and --preview-from: which outputs this display has.
Result<void> read_outputs(Request& r) {
    const room::DisplayFile& d = r.d;
    std::string interleave = r.args.get("--interleave", "cpu");
    if (interleave != "cpu" && interleave != "gpu") return fail("--interleave expects cpu or gpu, got '" + interleave + "'");
    r.interleave_gpu = interleave == "gpu";
    std::string warp = r.args.get("--warp", "cpu");
    if (warp != "cpu" && warp != "gpu") return fail("--warp expects cpu or gpu, got '" + warp + "'");
    r.warp_gpu = warp == "gpu";
    r.preview = r.args.has("--preview-from");
    if (r.warp_gpu && (d.lenticular || r.preview || !has_mesh_screen(d)))
        return wrong_usage("--warp gpu warps a wall's curved (mesh) screens onto its canvas (--out); " + d.file.string() +
                     (d.lenticular ? " is a lenticular panel" : r.preview ? " is being previewed" : " has none"));
    if (r.interleave_gpu && (!d.lenticular || r.quilt_pattern.size() || r.out_pattern.empty()))
        return wrong_usage("--interleave gpu writes a lenticular panel's native picture (--out) only");
    if (r.preview && d.lenticular) return wrong_usage("--preview-from shows walls; a lenticular display has none");
    if (!d.lenticular && (r.quilt_pattern.size() || r.out_pattern.empty()))
        return wrong_usage(r.quilt_pattern.size() ? "--quilt is for lenticular displays; a wall's picture goes to --out"
                                            : "a wall's canvas (or its preview) goes to --out FILE.png");
    return {};
}

// What the display file asks that this run cannot draw.
Result<void> check_room(const Request& r) {
    const room::DisplayFile& d = r.d;
    // A tracked viewer starts at its `eye`, which must stand in front of every screen.
    for (const room::Screen& s : d.screens)
        if (s.planar && room::eye_distance(s.pa, s.pb, s.pc, d.viewer.eye) <= d.viewer.near)
            return fail(d.file.string() + ": screen '" + s.name + "': the viewer's eye is not in front of it" +
                        (d.viewer.tracked ? " (a tracked viewer starts at `eye:`; give one in front of every screen)" : ""));
    // Mesh screens and the preview keep the whole canvas in memory.
    if ((r.preview || has_mesh_screen(d)) && uint64_t(d.canvas_width) * uint64_t(d.canvas_height) > (1ull << 30))
        return fail(d.file.string() + ": a canvas of more than a gigapixel cannot be held in memory for " +
                    (r.preview ? std::string("the visitor preview") : std::string("mesh screens")));
    return {};
}

// Everything that can be refused before the content is loaded, in the order it is told.
Result<void> read_request(Request& r) {
    auto span = read_span(r.args);
    if (!span) return span.error();
    r.span = *span;
    r.out_pattern = r.args.get("--out", "");
    r.quilt_pattern = r.args.get("--quilt", "");
    if (auto ok = check_patterns(r); !ok) return ok;
    if (auto ok = read_outputs(r); !ok) return ok;
    if (auto ok = check_room(r); !ok) return ok;
    if (r.preview && r.span.count > 1) return wrong_usage("--preview-from renders one frame (--time T)");
    return {};
}

// Every file this run reads is protected now (the display, the scene or models, the
// inputs): refuse an output over any of them before the first frame.
Result<void> check_output_files(const Request& r) {
    const room::DisplayFile& d = r.d;
    Result<void> ok = r.out_pattern.empty() ? Result<void>{} : check_outputs(r.out_pattern, r.span.count);
    for (long i = 0; ok && d.lenticular && !r.quilt_pattern.empty() && i < r.span.count; ++i)
        ok = outputs::check(room::quilt_file_name(numbered_path(r.quilt_pattern, i), d.lenticular->quilt,
                                                  room::panel_aspect(*d.lenticular)),
                            outputs::Kind::Png);
    if (ok && r.args.has("--preview-mask")) ok = outputs::check(r.args.get("--preview-mask", ""), outputs::Kind::Png);
    if (ok && r.args.has("--audio")) ok = outputs::check(r.args.get("--audio", ""), outputs::Kind::Wav);
    if (!ok) return bad_input(ok.error());
    return {};
}

// --audio: the show's sound over the span (CPU only), heard from the display's viewer;
// the show is sought back to --from for the frames.
Result<void> write_audio(const Request& r, DisplayStage& c) {
    auto layout = audio::parse_layout(r.args.get("--audio-layout", "stereo"));
    auto rate = r.args.integer("--audio-rate", 48000);
    if (!layout) return bad_input(layout.error());
    if (!rate || *rate < 8000 || *rate > 192000) return fail("--audio-rate expects 8000 to 192000 Hz");
    if (c.stage || r.args.has("--time"))
        return fail("--audio renders a scene's sound over a span (--from A --to B --fps F)");
    if (auto ok = session::audio_span_fits(*layout, uint32_t(*rate), double(r.span.count) / r.span.fps); !ok)
        return bad_input(ok.error());
    session::ShowAudio where;
    session::set_viewer(where, r.d);
    where.aspect = float(r.d.canvas_width) / float(r.d.canvas_height);
    if (auto ok = session::render_show_audio(c.show_stage, std::move(where), r.args.get("--audio", ""), *layout,
                                             uint32_t(*rate), r.span.from, r.span.fps, r.span.count);
        !ok)
        return ok;
    c.show_stage.show->seek(r.span.from);
    return {};
}

// With the content on the rig: the output files checked, signals caught, the sound
// written first, then what the device allows.
Result<void> start_outputs(Request& r, DisplayStage& c) {
    outputs::set_force(r.args.has("--force"));
    if (auto ok = check_output_files(r); !ok) return ok;
    stop_on_signals();
    if (r.args.has("--audio"))
        if (auto ok = write_audio(r, c); !ok) return ok;
    const auto& limits = c.rig().ctx().limits();
    r.max_side = std::min(limits.max_image_2d, std::min(limits.max_framebuffer_width, limits.max_framebuffer_height));
    r.start = std::chrono::steady_clock::now();
    return {};
}

// A lenticular panel's native picture straight from the GPU interleave pass (the one
// `run` shows): --interleave gpu.
int render_native_on_gpu(const Request& r, DisplayStage& c) {
    const room::Lenticular& lkg = *r.d.lenticular;
    auto out = display::Offscreen::create(c.rig(), uint32_t(lkg.calibration.screen_w), uint32_t(lkg.calibration.screen_h),
                                          &r.d);
    if (!out) return failed(c, out.error());
    auto done = render_frames(c.rig(), *out.value(), r.span.count, [&](long i) {
        auto [instances, look] = c.at(r.span.at(i));
        std::vector<render::View> views = display::quilt_views(lkg, quilt_camera(c, r.d));
        progress(i + 1, r.span.count, r.start);
        return out.value()->submit(instances, look, views, numbered_path(r.out_pattern, i));
    });
    if (!done) return failed(c, done.error());
    log::info("wrote " + std::to_string(r.span.count) + " native frame(s) " + numbered_path(r.out_pattern, 0) +
              " (interleaved on the GPU)");
    out.value().reset();
    return c.finish(kOk);
}

// Frame i's quilt (`quilt`, when --quilt names one) and its native picture (--out),
// moved into place together when both are whole: a failure between them (out of memory
// in the interleave) leaves neither.
Result<void> write_quilt_frame(const Request& r, const Image8& quilt, const std::string& quilt_name, long i) {
    const room::Lenticular& lkg = *r.d.lenticular;
    std::vector<outputs::OutputFile> files;
    auto stage_png = [&](const std::string& name, const Image8& image) -> Result<void> {
        auto f = outputs::OutputFile::create(name, outputs::Kind::Png);
        if (!f) return f.error();
        if (auto w = write_png(*f, image); !w) return w;
        files.push_back(std::move(*f));
        return {};
    };
    Result<void> written = quilt_name.empty() ? Result<void>{} : stage_png(quilt_name, quilt);
    if (written && !r.out_pattern.empty())
        written = stage_png(numbered_path(r.out_pattern, i),
                            room::interleave(quilt, lkg.quilt, lkg.views, room::interleave_params(lkg.calibration)));
    for (outputs::OutputFile& f : files)
        if (written) written = f.commit();
    return written;
}

// A lenticular panel: its quilt (--quilt), then the native picture through the CPU
// interleave (--out).
int render_quilts(const Request& r, DisplayStage& c) {
    const room::Lenticular& lkg = *r.d.lenticular;
    auto out = display::Offscreen::create(c.rig(), uint32_t(lkg.quilt.width), uint32_t(lkg.quilt.height));
    if (!out) return failed(c, out.error());
    // Every view shows the panel's shape (the interleave stretches a tile over the panel).
    double aspect = room::panel_aspect(lkg);
    for (long i = 0; i < r.span.count; ++i) {
        if (stop_requested()) return failed(c, stopped(i), exit_code(ErrorKind::Interrupted));
        auto [instances, look] = c.at(r.span.at(i));
        std::vector<render::View> views = display::quilt_views(lkg, quilt_camera(c, r.d));
        auto quilt = render_retrying(c, *out.value(), instances, look, views);
        if (!quilt) return failed(c, quilt.error());
        std::string q =
            r.quilt_pattern.empty() ? "" : room::quilt_file_name(numbered_path(r.quilt_pattern, i), lkg.quilt, aspect);
        if (auto written = write_quilt_frame(r, *quilt, q, i); !written) return failed(c, written.error());
        if (i == 0 && !q.empty()) log::info("quilt " + q);
        progress(i + 1, r.span.count, r.start);
    }
    log::info("wrote " + std::to_string(r.span.count) + " frame(s): " + std::to_string(lkg.views) + " views, quilt " +
              std::to_string(lkg.quilt.columns) + "x" + std::to_string(lkg.quilt.rows) + " (" +
              std::to_string(lkg.quilt.width) + "x" + std::to_string(lkg.quilt.height) + ")" +
              (r.out_pattern.empty() ? "" : ", native " + r.out_pattern));
    out.value().reset();
    return c.finish(kOk);
}

// A wall's canvas: one view per planar screen, and the tiles it is drawn in when it is
// past what the device (or memory) takes in one pass.
struct WallPlan {
    uint32_t width = 0, height = 0;  // the canvas
    std::vector<render::View> views;
    bool meshes = false;  // curved screens, warped from the eye's picture
    bool tiled = false;
    uint32_t tile_w = 0, tile_h = 0;
    // Planar screens drawn for a canvas in memory: in tiles when tiled, else in one pass.
    uint32_t part_w() const { return tiled ? tile_w : width; }
    uint32_t part_h() const { return tiled ? tile_h : height; }
};

// Refuses a --tile the device cannot draw, and --warp gpu on a canvas that needs tiles.
Result<WallPlan> plan_wall(const Request& r) {
    const room::DisplayFile& d = r.d;
    WallPlan w;
    w.meshes = has_mesh_screen(d);
    w.width = uint32_t(d.canvas_width);
    w.height = uint32_t(d.canvas_height);
    w.views = display::screen_views(d, d.viewer.eye);
    // Tiles when the canvas or a screen's picture (with its overscan) is larger than the
    // device's images, or the canvas is larger than 32 Mpixel (memory: ~60 bytes a pixel
    // of view targets); a tile's views fit the device with their overscan.
    uint32_t tile_side = r.max_side - 2 * display::kScreenOverscan;
    w.tile_w = std::min({w.width, 4096u, tile_side});
    w.tile_h = std::min({w.height, 2048u, tile_side});
    bool big_view = std::any_of(w.views.begin(), w.views.end(), [&](const render::View& v) {
        return v.target_width() > r.max_side || v.target_height() > r.max_side;
    });
    w.tiled = w.width > r.max_side || w.height > r.max_side || big_view || uint64_t(w.width) * w.height > (32ull << 20) ||
              r.args.has("--tile");
    if (r.args.has("--tile")) {
        auto t = r.args.size("--tile", w.tile_w, w.tile_h);
        if (!t || t->first > tile_side || t->second > tile_side)
            return fail("--tile expects WxH of at most " + std::to_string(tile_side) + " a side (the device's " +
                        std::to_string(r.max_side) + " less the screens' overscan)");
        w.tile_w = std::min(w.width, t->first);
        w.tile_h = std::min(w.height, t->second);
    }
    if (r.warp_gpu && w.tiled)
        return wrong_usage("--warp gpu draws the canvas in one pass; this one needs tiles (use --warp cpu)");
    return w;
}

// "wrote CANVAS (WxH, N screens": how every wall output's last line begins.
std::string wrote_canvases(const Request& r, const WallPlan& w) {
    long count = r.span.count;
    return "wrote " +
           (count > 1 ? std::to_string(count) + " canvases " + numbered_path(r.out_pattern, 0) + " ..." : r.out_pattern) +
           " (" + std::to_string(w.width) + "x" + std::to_string(w.height) + ", " + std::to_string(r.d.screens.size()) +
           " screens";
}

// A wall with mesh screens (--warp cpu): each canvas whole in memory, the planar screens
// drawn and the mesh screens warped onto it on the CPU.
int render_warped_canvases(const Request& r, DisplayStage& c, const WallPlan& w) {
    for (long i = 0; i < r.span.count; ++i) {
        if (stop_requested()) return failed(c, stopped(i), exit_code(ErrorKind::Interrupted));
        auto [instances, look] = c.at(r.span.at(i));
        auto canvas = canvas_image(c, r.d, w.views, w.part_w(), w.part_h(), instances, look);
        if (!canvas) return failed(c, canvas.error());
        if (auto written = write_png(numbered_path(r.out_pattern, i), *canvas); !written)
            return failed(c, written.error(), kBadInput);
        progress(i + 1, r.span.count, r.start);
    }
    log::info(wrote_canvases(r, w) + ", mesh screens warped)");
    return c.finish(kOk);
}

// The last line of a canvas drawn by the GPU alone (in one pass or in tiles).
void log_canvases(const Request& r, const WallPlan& w) {
    log::info(wrote_canvases(r, w) +
              (w.tiled ? ", tiles of " + std::to_string(w.tile_w) + "x" + std::to_string(w.tile_h) : "") +
              (r.warp_gpu ? ", mesh screens warped on the GPU" : "") + ")");
}

// A canvas in one pass, read back frame after frame; with --warp gpu the output also
// draws and warps the mesh screens.
int render_canvas(const Request& r, DisplayStage& c, const WallPlan& w) {
    auto out = display::Offscreen::create(c.rig(), w.width, w.height, r.warp_gpu ? &r.d : nullptr);
    if (!out) return failed(c, out.error());
    auto done = render_frames(c.rig(), *out.value(), r.span.count, [&](long i) {
        auto [instances, look] = c.at(r.span.at(i));
        progress(i + 1, r.span.count, r.start);
        return out.value()->submit(instances, look, w.views, numbered_path(r.out_pattern, i));
    });
    if (!done) return failed(c, done.error());
    out.value().reset();
    log_canvases(r, w);
    return c.finish(kOk);
}

// A canvas past the device's limits: drawn in tiles a band at a time, each band's rows
// straight into the PNG, so the whole canvas is never in memory.
int render_canvas_in_tiles(const Request& r, DisplayStage& c, const WallPlan& w) {
    auto out = display::Offscreen::create(c.rig(), w.tile_w, w.tile_h);
    if (!out) return failed(c, out.error());
    for (long i = 0; i < r.span.count; ++i) {
        if (stop_requested()) return failed(c, stopped(i), exit_code(ErrorKind::Interrupted));
        auto [instances, look] = c.at(r.span.at(i));
        auto file = PngRows::create(numbered_path(r.out_pattern, i), w.width, w.height);
        if (!file) return failed(c, file.error(), kBadInput);
        auto done = render_tiled(c, *out.value(), w.tile_w, w.tile_h, w.width, w.height, w.views, instances, look,
                                 [&](const uint8_t* rows, uint32_t n) { return file.value()->write(rows, n); });
        if (done) done = file.value()->finish();
        if (!done) return failed(c, done.error());
        progress(i + 1, r.span.count, r.start);
    }
    out.value().reset();
    log_canvases(r, w);
    return c.finish(kOk);
}

// The visitor's camera: --preview-from (default: the viewer's eye) looking at
// --preview-look-at (default: the screens' centre), --preview-fov, --size.
Result<render::View> preview_view(const Request& r) {
    auto from = parse_point(r.args, "--preview-from", r.d.viewer.eye);
    auto look_at = parse_point(r.args, "--preview-look-at", screens_centroid(r.d));
    auto fov = r.args.number("--preview-fov", 50);
    auto size = r.args.size("--size", 1920, 1080);
    for (const Error* e : {from ? nullptr : &from.error(), look_at ? nullptr : &look_at.error(),
                           fov ? nullptr : &fov.error(), size ? nullptr : &size.error()})
        if (e) return bad_input(*e);
    if (*fov <= 1 || *fov >= 179) return fail("--preview-fov must be between 1 and 179 degrees");
    if (glm::length(*look_at - *from) < 1e-6) return fail("--preview-look-at must differ from --preview-from");
    auto [pw, ph] = *size;
    render::View pv;
    pv.viewport = {0, 0, pw, ph};
    pv.eye = glm::vec3(*from);
    glm::dvec3 fwd = glm::normalize(*look_at - *from);
    glm::dvec3 up = std::abs(fwd.y) > 0.999 ? glm::dvec3(0, 0, -1) : glm::dvec3(0, 1, 0);
    pv.view = glm::mat4(glm::lookAt(*from, *look_at, up));
    pv.proj = scene::perspective(glm::radians(*fov), float(pw) / float(ph), 0.05f, float(r.d.viewer.far));
    return pv;
}

// The room, lit by nothing but `picture` on its screens: unlit screens, a dark floor.
Result<Image8> draw_visitor_room(const Request& r, DisplayStage& c, display::Offscreen& out, const render::View& pv,
                                 Image8 picture) {
    render::Look dark;
    dark.tonemap = render::ToneMap::None;
    dark.solid_background = true;
    dark.background = glm::vec3(0);
    dark.env_intensity = 0;
    Image8 texture = fit_texture(std::move(picture), std::min(8192u, r.max_side));
    c.extra.push_back(std::make_unique<scene::Model>(room::visitor_room(r.d, std::move(texture))));
    auto id = c.rig().add_model(*c.extra.back());
    if (!id) return id.error();
    scene::Pose pose = scene::evaluate_pose(*c.extra.back(), -1, 0);
    render::Instance inst;
    inst.model = *id;
    inst.pose = &pose;
    c.rig().set_room_lights({});
    return render_retrying(c, out, std::span(&inst, 1), dark, std::span(&pv, 1));
}

// --preview-mask: the room with every screen white, written under a temporary name to be
// moved into place with the preview, when both are whole.
Result<outputs::OutputFile> write_preview_mask(const Request& r, DisplayStage& c, display::Offscreen& out,
                                               const render::View& pv, const Image8& canvas) {
    Image8 white = canvas;
    std::fill(white.rgba.begin(), white.rgba.end(), uint8_t(255));
    auto mask = draw_visitor_room(r, c, out, pv, std::move(white));
    if (!mask) return mask.error();
    auto f = outputs::OutputFile::create(r.args.get("--preview-mask", ""), outputs::Kind::Png);
    if (f) {
        if (auto w = write_png(*f, *mask); !w) f = w.error();
    }
    return f;
}

// The visitor preview: the canvas in memory, then the room drawn from the standpoint; or,
// with --preview-direct, what the wall means to show: the content itself from there.
int render_preview(const Request& r, DisplayStage& c, const WallPlan& w) {
    auto pv = preview_view(r);
    if (!pv) return failed(c, pv.error(), kBadInput);
    auto [instances, look] = c.at(r.span.from);
    auto out = display::Offscreen::create(c.rig(), pv->viewport.width, pv->viewport.height);
    if (!out) return failed(c, out.error());
    Image8 shot;
    std::optional<outputs::OutputFile> mask_file;
    if (r.args.has("--preview-direct")) {
        auto img = render_retrying(c, *out.value(), instances, look, std::span(&*pv, 1));
        if (!img) return failed(c, img.error());
        shot = std::move(*img);
    } else {
        auto canvas = canvas_image(c, r.d, w.views, w.part_w(), w.part_h(), instances, look);
        if (!canvas) return failed(c, canvas.error());
        if (r.args.has("--preview-mask")) {
            auto mask = write_preview_mask(r, c, *out.value(), *pv, *canvas);
            if (!mask) return failed(c, mask.error());
            mask_file.emplace(std::move(*mask));
        }
        auto img = draw_visitor_room(r, c, *out.value(), *pv, std::move(*canvas));
        if (!img) return failed(c, img.error());
        shot = std::move(*img);
    }
    if (auto written = write_png(r.out_pattern, shot); !written) return failed(c, written.error());
    if (mask_file)
        if (auto committed = mask_file->commit(); !committed) return failed(c, committed.error());
    log::info("wrote " + r.out_pattern + " (visitor preview from " + r.args.get("--preview-from", "") + ")");
    out.value().reset();
    return c.finish(kOk);
}

// Which output mode draws what was asked.
int render_outputs(const Request& r, DisplayStage& c) {
    if (r.d.lenticular) return r.interleave_gpu ? render_native_on_gpu(r, c) : render_quilts(r, c);
    auto wall = plan_wall(r);
    if (!wall) return failed(c, wall.error());
    if (r.preview) return render_preview(r, c, *wall);
    if (wall->meshes && !r.warp_gpu) return render_warped_canvases(r, c, *wall);
    return wall->tiled ? render_canvas_in_tiles(r, c, *wall) : render_canvas(r, c, *wall);
}

}  // namespace

int cmd_render_display(int argc, char** argv) {
    std::vector<std::string> flags = kStageFlags;
    flags.insert(flags.end(), {"--display", "--out", "--quilt", "--size", "--from", "--to", "--fps", "--inputs", "--clock",
                               "--tile", "--preview-from", "--preview-look-at", "--preview-fov", "--preview-mask",
                               "--interleave", "--warp", "--tile-memory", "--audio", "--audio-layout", "--audio-rate"});
    auto args = Args::parse(argc, argv, 2, flags, {"--quiet", "--preview-direct", "--force"});
    if (!args) { usage_error("render display", args.error().message); return kUsage; }
    if (args->words().empty() || !args->has("--display") || (!args->has("--out") && !args->has("--quilt"))) {
        usage_error("render display");
        return kUsage;
    }
    if (args->has("--quiet")) log::set_quiet(true);
    auto loaded = session::load_display_file(args->get("--display", ""));
    if (!loaded) return kBadInput;
    const room::DisplayFile& d = *loaded;
    if (d.lenticular && ends_with(args->words()[0], ".png")) return interleave_quilt(*args, d);
    Request r{*args, d};
    if (auto ok = read_request(r); !ok) return refuse(ok.error());
    auto stage = open_display_stage(*args, d, r.span.from);
    if (!stage) return refuse(stage.error());
    DisplayStage& c = *stage.value();
    if (auto ok = start_outputs(r, c); !ok) return failed(c, ok.error());
    return render_outputs(r, c);
}

}  // namespace vitrine::app
