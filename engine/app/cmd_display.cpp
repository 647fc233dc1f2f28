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

#include <glm/gtc/matrix_transform.hpp>

#include "app/args.h"
#include "app/commands.h"
#include "app/frames.h"
#include "app/gpu_stage.h"
#include "app/show_stage.h"
#include "core/log.h"
#include "core/png_rows.h"
#include "display/screens.h"
#include "room/mesh_warp.h"
#include "room/preview.h"
#include "room/quilt.h"
#include "scene/orbit.h"

namespace vitrine::app {

namespace {

bool ends_with(const std::string& s, const char* e) {
    size_t n = std::char_traits<char>::length(e);
    return s.size() >= n && s.compare(s.size() - n, n, e) == 0;
}

// What is drawn: a show (scene file) in the room frame, or models standing on the stage.
struct Content {
    std::vector<std::unique_ptr<scene::Model>> extra;  // the visitor room; outlives the rigs below
    // A scene.
    show::AssetCache cache;
    std::unique_ptr<show::LoadedScene> scene;
    std::unique_ptr<show::Show> show;
    ShowStage show_stage;
    // Models.
    std::optional<Stage> stage;
    std::unique_ptr<GpuStage> gpu;
    glm::mat4 placement{1};
    std::vector<render::Instance> model_instances;
    render::Look model_look;

    display::Rig& rig() { return stage ? *gpu->rig : *show_stage.rig; }
    int finish(int code) { return stage ? gpu->finish(code) : show_stage.finish(code); }

    // Poses everything at show time t; the instances and look to draw.
    std::pair<std::span<const render::Instance>, render::Look> at(double t) {
        if (stage) {
            pose_stage(*stage, float(t));
            stage_instances(*stage, gpu->ids, model_instances);
            for (render::Instance& i : model_instances) i.transform = placement * i.transform;
            return {model_instances, stage->look};
        }
        if (t < show->now()) show->seek(t); else show->advance(t);
        for (const std::string& line : show->take_warnings()) log::warn(line);
        for (const std::string& line : show->take_log()) log::info(line);
        show->take_outgoing();
        render::Look look = prepare_frame(show_stage);
        return {show_stage.instances, look};
    }
};

glm::dvec3 screen_centre(const room::Screen& s) {
    if (s.planar) return s.pa + 0.5 * (s.pb - s.pa) + 0.5 * (s.pc - s.pa);
    glm::dvec3 sum(0);
    for (const glm::dvec3& p : s.mesh.positions) sum += p;
    return s.mesh.positions.empty() ? sum : sum / double(s.mesh.positions.size());
}

glm::dvec3 screens_centroid(const room::DisplayFile& d) {
    glm::dvec3 sum(0);
    for (const room::Screen& s : d.screens) sum += screen_centre(s);
    return d.screens.empty() ? sum : sum / double(d.screens.size());
}

// Models on the display's stage: the bounds' centre at `center`, largest dimension
// `size`; without a stage, halfway between the eye and the screens, the bounding
// sphere 40% of the eye-to-there distance wide.
glm::mat4 stage_placement(const room::DisplayFile& d, const display::Bounds& b, const glm::dvec3& focal_centre, double lkg_size) {
    if (b.empty) return glm::mat4(1);
    glm::dvec3 lo(b.min), hi(b.max), centre = (lo + hi) * 0.5, ext = hi - lo;
    glm::dvec3 where;
    double scale;
    if (d.stage.given) {
        where = d.stage.center;
        scale = d.stage.size / std::max({ext.x, ext.y, ext.z, 1e-9});
    } else if (d.lenticular) {
        where = focal_centre;
        scale = lkg_size / std::max(glm::length(ext), 1e-9);
    } else {
        where = 0.5 * (d.viewer.eye + screens_centroid(d));
        scale = 0.4 * glm::length(where - d.viewer.eye) / std::max(glm::length(ext), 1e-9);
    }
    glm::dmat4 m = glm::translate(glm::dmat4(1), where) * glm::scale(glm::dmat4(1), glm::dvec3(scale)) *
                   glm::translate(glm::dmat4(1), -centre);
    return glm::mat4(m);
}

Result<std::unique_ptr<Content>> open_content(const Args& args, const room::DisplayFile& d, double t0) {
    auto c = std::make_unique<Content>();
    display::RigOptions ro;
    ro.validation = validation_requested();
    const std::string& first = args.words()[0];
    if (is_scene_file(first)) {
        if (args.words().size() != 1) return fail(ErrorKind::Usage, "render takes one scene file");
        c->scene = load_show(first, c->cache);
        if (!c->scene) return fail(ErrorKind::BadInput, first + ": the scene has problems (listed above)");
        show::ShowOptions so;
        auto clock = parse_clock(args.get("--clock", "09:00"));
        if (!clock) return clock.error();
        so.day_start = *clock;
        so.aspect = float(d.canvas_width) / float(d.canvas_height);
        c->show = show::Show::create(*c->scene, so);
        c->show_stage.scene = c->scene.get();
        c->show_stage.show = c->show.get();
        if (args.has("--inputs")) {
            auto inputs = read_inputs(args.get("--inputs", ""));
            if (!inputs) return inputs.error();
            for (const show::Input& in : *inputs) c->show->input(in);
        }
        if (auto r = open_rig(c->show_stage, ro); !r) return r.error();
        return c;
    }
    auto st = make_stage(args.words(), args);
    if (!st) return st.error();
    c->stage = std::move(st.value());
    pose_stage(*c->stage, float(t0));
    glm::dvec3 focal = d.stage.given ? d.stage.center : glm::dvec3(0);
    c->placement = stage_placement(d, stage_bounds(*c->stage), focal, d.lenticular ? d.lenticular->size : 1);
    auto gs = open_gpu_stage(*c->stage, ro);
    if (!gs) return gs.error();
    c->gpu = std::move(gs.value());
    return c;
}

// A lenticular panel's camera: for a scene, its camera (the focal plane `focal_plane`
// ahead of it); for models, the focal plane's centre at the stage (or the origin), facing +Z.
room::QuiltCamera quilt_camera(Content& c, const room::Lenticular& lkg) {
    room::QuiltCamera cam;
    if (c.stage) {
        cam.focal_centre = glm::dvec3(0);
        return cam;
    }
    show::CameraMatrices m = show::camera_view(c.show_stage.frame, 1.0f);
    glm::dmat4 inv = glm::inverse(glm::dmat4(m.view));
    cam.basis = glm::dmat3(glm::normalize(glm::dvec3(inv[0])), glm::normalize(glm::dvec3(inv[1])),
                           glm::normalize(glm::dvec3(inv[2])));
    cam.focal_centre = glm::dvec3(inv[3]) - cam.basis[2] * lkg.focal_plane;
    return cam;
}

// Draws through `out`, rebuilding the device after a loss (three tries).
Result<Image8> render_retrying(Content& c, display::Offscreen& out, std::span<const render::Instance> instances,
                               const render::Look& look, std::span<const render::View> views) {
    for (int attempt = 0;; ++attempt) {
        auto img = out.render(instances, look, views);
        if (img || img.error().kind != ErrorKind::DeviceLost || attempt == 3) return img;
        if (auto r = c.rig().recover(); !r) return r.error();
    }
}

// The canvas in tiles of out's size, band by band: each band's rows go to `rows`.
Result<void> render_tiled(Content& c, display::Offscreen& out, uint32_t tile_w, uint32_t tile_h, uint32_t canvas_w,
                          uint32_t canvas_h, std::span<const render::View> views, std::span<const render::Instance> instances,
                          const render::Look& look, const std::function<Result<void>(const uint8_t*, uint32_t)>& rows) {
    std::vector<uint8_t> band;
    for (uint32_t y = 0; y < canvas_h; y += tile_h) {
        uint32_t bh = std::min(tile_h, canvas_h - y);
        band.assign(size_t(canvas_w) * bh * 4, 0);
        for (uint32_t x = 0; x < canvas_w; x += tile_w) {
            uint32_t bw = std::min(tile_w, canvas_w - x);
            render::Rect tile{int32_t(x), int32_t(y), tile_w, tile_h};
            std::vector<render::View> part = display::tile_views(views, tile);
            if (part.empty()) continue;  // black
            auto img = render_retrying(c, out, instances, look, part);
            if (!img) return img.error();
            for (uint32_t r = 0; r < bh; ++r)
                std::memcpy(&band[(size_t(r) * canvas_w + x) * 4], &img->rgba[size_t(r) * img->width * 4], size_t(bw) * 4);
        }
        if (auto r = rows(band.data(), bh); !r) return r;
    }
    return {};
}

// A mesh screen's eye picture has at least two pixels for each canvas pixel (a
// magnification of 0.5, well inside the 1.2 allowed), and the warp takes 2 x 2 samples
// per canvas pixel: resampled, a flat mesh matches its planar screen.
constexpr double kMeshDensity = 0.5;

// The whole canvas in memory: planar screens (in tiles of tile_w x tile_h), then each
// mesh screen warped from the picture the eye sees through its frustum.
Result<Image8> canvas_image(Content& c, const room::DisplayFile& d, std::span<const render::View> views, uint32_t tile_w,
                            uint32_t tile_h, std::span<const render::Instance> instances, const render::Look& look) {
    uint32_t cw = uint32_t(d.canvas_width), ch = uint32_t(d.canvas_height);
    Image8 canvas;
    canvas.width = cw;
    canvas.height = ch;
    canvas.rgba.assign(size_t(cw) * ch * 4, 0);
    for (size_t i = 3; i < canvas.rgba.size(); i += 4) canvas.rgba[i] = 255;
    if (!views.empty()) {
        auto out = display::Offscreen::create(c.rig(), tile_w, tile_h);
        if (!out) return out.error();
        uint32_t row = 0;
        auto done = render_tiled(c, *out.value(), tile_w, tile_h, cw, ch, views, instances, look,
                                 [&](const uint8_t* rows, uint32_t n) -> Result<void> {
                                     std::memcpy(&canvas.rgba[size_t(row) * cw * 4], rows, size_t(n) * cw * 4);
                                     row += n;
                                     return {};
                                 });
        if (!done) return done.error();
    }
    uint32_t max_side = std::min(c.rig().ctx().limits().max_image_2d, c.rig().ctx().limits().max_framebuffer_width);
    for (const room::Screen& s : d.screens) {
        if (s.planar) continue;
        room::MeshView mv = room::mesh_view(s, d.viewer, kMeshDensity, std::min<int64_t>(max_side, 8192));
        if (mv.magnification > 1.2)
            log::warn("screen '" + s.name + "': the eye picture is limited to " + std::to_string(mv.width) + "x" +
                      std::to_string(mv.height) + "; canvas pixels are magnified up to " + std::to_string(mv.magnification) + "x");
        auto out = display::Offscreen::create(c.rig(), uint32_t(mv.width), uint32_t(mv.height));
        if (!out) return out.error();
        render::View v = display::to_view(mv.frustum, {0, 0, uint32_t(mv.width), uint32_t(mv.height)});
        auto picture = render_retrying(c, *out.value(), instances, look, std::span(&v, 1));
        if (!picture) return picture.error();
        room::warp_mesh(canvas, s, mv, *picture);
    }
    return canvas;
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
    auto quilt = read_png(path);
    if (!quilt) { log::error(quilt.error().message); return kBadInput; }
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
                               "--tile", "--preview-from", "--preview-look-at", "--preview-fov", "--preview-mask"});
    auto args = Args::parse(argc, argv, 2, flags, {"--quiet", "--preview-direct"});
    if (!args) { log::error(args.error().message); return kUsage; }
    if (args->words().empty() || !args->has("--display") || (!args->has("--out") && !args->has("--quilt"))) {
        log::error("usage: vitrine render MODEL|SCENE --display FILE.display.yaml --out CANVAS.png [--time T | --from A "
                   "--to B --fps F] [--quilt QUILT.png] [--preview-from X,Y,Z [--preview-look-at X,Y,Z] [--preview-fov D]]");
        return kUsage;
    }
    if (args->has("--quiet")) log::set_quiet(true);
    auto loaded = load_display_file(args->get("--display", ""));
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
    bool preview = args->has("--preview-from");
    if (preview && d.lenticular) { log::error("--preview-from shows walls; a lenticular display has none"); return kUsage; }
    if (preview && count > 1) { log::error("--preview-from renders one frame (--time T)"); return kUsage; }

    auto content_r = open_content(*args, d, *from);
    if (!content_r) { log::error(content_r.error().message); return exit_code(content_r.error().kind); }
    Content& c = *content_r.value();
    gpu::Context& ctx = c.rig().ctx();
    uint32_t max_side = std::min(ctx.limits().max_image_2d,
                                 std::min(ctx.limits().max_framebuffer_width, ctx.limits().max_framebuffer_height));
    auto start = std::chrono::steady_clock::now();

    // A lenticular panel: the quilt, then the native image through the interleave.
    if (d.lenticular) {
        const room::Lenticular& lkg = *d.lenticular;
        auto out_r = display::Offscreen::create(c.rig(), uint32_t(lkg.quilt.width), uint32_t(lkg.quilt.height));
        if (!out_r) { log::error(out_r.error().message); return c.finish(exit_code(out_r.error().kind)); }
        room::InterleaveParams ip = room::interleave_params(lkg.calibration);
        room::TileRect t0 = room::quilt_tile(lkg.quilt, 0);
        double aspect = double(t0.width) / double(t0.height);
        for (long i = 0; i < count; ++i) {
            auto [instances, look] = c.at(*from + double(i) / *fps);
            room::QuiltCamera cam = quilt_camera(c, lkg);
            if (c.stage) cam.focal_centre = d.stage.given ? d.stage.center : glm::dvec3(0);
            std::vector<render::View> views = display::quilt_views(lkg, cam);
            auto quilt = render_retrying(c, *out_r.value(), instances, look, views);
            if (!quilt) { log::error(quilt.error().message); return c.finish(exit_code(quilt.error().kind)); }
            if (!quilt_pattern.empty()) {
                std::string q = room::quilt_file_name(numbered_path(quilt_pattern, i), lkg.quilt, aspect);
                if (auto w = write_png(q, *quilt); !w) { log::error(w.error().message); return c.finish(kBadInput); }
                if (i == 0) log::info("quilt " + q);
            }
            if (!out_pattern.empty()) {
                Image8 native = room::interleave(*quilt, lkg.quilt, lkg.views, ip);
                if (auto w = write_png(numbered_path(out_pattern, i), native); !w) {
                    log::error(w.error().message);
                    return c.finish(kBadInput);
                }
            }
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
    uint32_t tile_w = std::min(cw, 4096u), tile_h = std::min(ch, 2048u);
    bool tiled = cw > max_side || ch > max_side || args->has("--tile");
    if (args->has("--tile")) {
        auto t = args->size("--tile", tile_w, tile_h);
        if (!t || t->first > max_side || t->second > max_side) {
            log::error("--tile expects WxH of at most " + std::to_string(max_side) + " a side");
            return c.finish(kBadInput);
        }
        tile_w = std::min(cw, t->first);
        tile_h = std::min(ch, t->second);
    }

    if (!preview && meshes) {
        for (long i = 0; i < count; ++i) {
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
            auto out_r = display::Offscreen::create(c.rig(), cw, ch);
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
                  " (" + std::to_string(cw) + "x" + std::to_string(ch) + ", " + std::to_string(views.size()) + " screens" +
                  (tiled ? ", tiles of " + std::to_string(tile_w) + "x" + std::to_string(tile_h) : "") + ")");
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
            c.extra.push_back(std::make_unique<scene::Model>(room::visitor_room(d, fit_texture(std::move(picture), 8192))));
            auto id = c.rig().add_model(*c.extra.back());
            if (!id) return id.error();
            scene::Pose pose = scene::evaluate_pose(*c.extra.back(), -1, 0);
            render::Instance inst;
            inst.model = *id;
            inst.pose = &pose;
            c.rig().scene().set_room_lights({});
            return render_retrying(c, *preview_r.value(), std::span(&inst, 1), dark, std::span(&pv, 1));
        };
        if (args->has("--preview-mask")) {
            Image8 white = canvas;
            std::fill(white.rgba.begin(), white.rgba.end(), uint8_t(255));
            auto mask = draw_room(std::move(white));
            if (!mask) { log::error(mask.error().message); return c.finish(exit_code(mask.error().kind)); }
            if (auto w = write_png(args->get("--preview-mask", ""), *mask); !w) { log::error(w.error().message); return c.finish(kBadInput); }
        }
        auto img = draw_room(std::move(canvas));
        if (!img) { log::error(img.error().message); return c.finish(exit_code(img.error().kind)); }
        shot = std::move(*img);
    }
    if (auto w = write_png(out_pattern, shot); !w) { log::error(w.error().message); return c.finish(kBadInput); }
    log::info("wrote " + out_pattern + " (visitor preview from " + args->get("--preview-from", "") + ")");
    preview_r.value().reset();
    return c.finish(kOk);
}

}  // namespace vitrine::app
