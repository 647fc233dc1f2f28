#include "app/display_stage.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>

#include <glm/gtc/matrix_transform.hpp>

#include "app/commands.h"
#include "app/frames.h"
#include "core/log.h"
#include "display/screens.h"
#include "room/mesh_warp.h"
#include "room/warp.h"

namespace vitrine::app {

std::pair<std::span<const render::Instance>, render::Look> DisplayStage::at(double t) {
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
        render::Look look = session::prepare_frame(show_stage);
        return {show_stage.instances, look};
}


namespace {

glm::dvec3 screen_centre(const room::Screen& s) {
    if (s.planar) return s.pa + 0.5 * (s.pb - s.pa) + 0.5 * (s.pc - s.pa);
    glm::dvec3 sum(0);
    for (const glm::dvec3& p : s.mesh.positions) sum += p;
    return s.mesh.positions.empty() ? sum : sum / double(s.mesh.positions.size());
}

}  // namespace

glm::dvec3 screens_centroid(const room::DisplayFile& d) {
    glm::dvec3 sum(0);
    for (const room::Screen& s : d.screens) sum += screen_centre(s);
    return d.screens.empty() ? sum : sum / double(d.screens.size());
}

// Models on the display's stage: the bounds' centre at `center`, largest dimension
// `size`; without a stage, halfway between the eye and the screens, the bounding
// sphere 40% of the eye-to-there distance wide.
namespace {

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

}  // namespace

Result<std::unique_ptr<DisplayStage>> open_display_stage(const Args& args, const room::DisplayFile& d, double t0) {
    auto c = std::make_unique<DisplayStage>();
    display::RigOptions ro;
    ro.validation = validation_requested();
    auto memory = tile_memory_option(args);
    if (!memory) return memory.error();
    ro.tile_memory = memory.value();
    const std::string& first = args.words()[0];
    if (is_scene_file(first)) {
        if (args.words().size() != 1) return fail(ErrorKind::Usage, "render takes one scene file");
        c->scene = session::load_show(first, c->cache);
        if (!c->scene) return fail(ErrorKind::BadInput, first + ": the scene has problems (listed above)");
        show::ShowOptions so;
        auto clock = session::parse_clock(args.get("--clock", "09:00"));
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
        if (auto r = session::open_rig(c->show_stage, ro); !r) return r.error();
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
room::QuiltCamera quilt_camera(DisplayStage& c, const room::DisplayFile& d) {
    room::QuiltCamera cam;
    if (c.stage) {
        cam.focal_centre = d.stage.given ? d.stage.center : glm::dvec3(0);
        return cam;
    }
    show::CameraMatrices m = show::camera_view(c.show_stage.frame, 1.0f);
    glm::dmat4 inv = glm::inverse(glm::dmat4(m.view));
    cam.basis = glm::dmat3(glm::normalize(glm::dvec3(inv[0])), glm::normalize(glm::dvec3(inv[1])),
                           glm::normalize(glm::dvec3(inv[2])));
    cam.focal_centre = glm::dvec3(inv[3]) - cam.basis[2] * (d.lenticular ? d.lenticular->focal_plane : 1.0);
    return cam;
}

// Draws through `out`, rebuilding the device after a loss (Rig::recover_from's rule).
Result<Image8> render_retrying(DisplayStage& c, display::Offscreen& out, std::span<const render::Instance> instances,
                               const render::Look& look, std::span<const render::View> views) {
    for (;;) {
        auto img = out.render(instances, look, views);
        if (img) {
            c.rig().frame_shown();
            return img;
        }
        if (auto r = c.rig().recover_from(img.error()); !r) return r.error();
    }
}

// The canvas in tiles of out's size, band by band: each band's rows go to `rows`.
Result<void> render_tiled(DisplayStage& c, display::Offscreen& out, uint32_t tile_w, uint32_t tile_h, uint32_t canvas_w,
                          uint32_t canvas_h, std::span<const render::View> views, std::span<const render::Instance> instances,
                          const render::Look& look, const std::function<Result<void>(const uint8_t*, uint32_t)>& rows,
                          bool report) {
    std::vector<uint8_t> band;
    const uint32_t bands = (canvas_h + tile_h - 1) / tile_h, across = (canvas_w + tile_w - 1) / tile_w;
    report = report && bands * across > 1;
    const bool terminal = report && isatty(STDERR_FILENO);
    const auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    // A large canvas takes minutes: on a terminal, how far, band by band.
    auto show = [&](uint32_t done) {
        if (!terminal) return;
        const int bar = int(30 * done / bands);
        if (done == 0) std::fprintf(stderr, "\r[%30s] canvas %ux%u: band 0/%u   ", "", canvas_w, canvas_h, bands);
        else
            std::fprintf(stderr, "\r[%.*s%*s] canvas %ux%u: band %u/%u, %.0f s left   ", bar,
                         "##############################", 30 - bar, "", canvas_w, canvas_h, done, bands,
                         elapsed() / done * (bands - done));
        if (done == bands) std::fprintf(stderr, "\r%*s\r", 90, "");
        std::fflush(stderr);
    };
    show(0);
    for (uint32_t y = 0; y < canvas_h; y += tile_h) {
        uint32_t bh = std::min(tile_h, canvas_h - y);
        band.assign(size_t(canvas_w) * bh * 4, 0);  // black, opaque: as the one-pass canvas is cleared
        for (size_t i = 3; i < band.size(); i += 4) band[i] = 255;
        for (uint32_t x = 0; x < canvas_w; x += tile_w) {
            uint32_t bw = std::min(tile_w, canvas_w - x);
            render::Rect tile{int32_t(x), int32_t(y), tile_w, tile_h};
            std::vector<render::View> part = display::tile_views(views, tile);
            if (part.empty()) continue;  // black
            if (stop_requested())  // SIGINT/SIGTERM: this canvas is dropped (its temporary removed), finished ones kept
                return fail(ErrorKind::Interrupted, "stopped by a signal in the middle of a canvas; every finished canvas is kept");
            auto img = render_retrying(c, out, instances, look, part);
            if (!img) return img.error();
            for (uint32_t r = 0; r < bh; ++r)
                std::memcpy(&band[(size_t(r) * canvas_w + x) * 4], &img->rgba[size_t(r) * img->width * 4], size_t(bw) * 4);
        }
        if (auto r = rows(band.data(), bh); !r) return r;
        show(y / tile_h + 1);
    }
    if (report && !terminal)
        log::info("canvas " + std::to_string(canvas_w) + "x" + std::to_string(canvas_h) + ": " +
                  std::to_string(across * bands) + " tiles of " + std::to_string(tile_w) + "x" + std::to_string(tile_h) +
                  " in " + std::to_string(bands) + " bands, " + std::to_string(int(elapsed() + 0.5)) + " s");
    return {};
}

// A mesh screen's eye picture has at least two pixels for each canvas pixel (a
// magnification of 0.5, well inside the 1.2 allowed), and the warp takes 2 x 2 samples
// per canvas pixel: resampled, a flat mesh matches its planar screen.
constexpr double kMeshDensity = 0.5;

// The whole canvas in memory: planar screens (in tiles of tile_w x tile_h), then each
// mesh screen warped from the picture the eye sees through its frustum.
Result<Image8> canvas_image(DisplayStage& c, const room::DisplayFile& d, std::span<const render::View> views, uint32_t tile_w,
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
    const gpu::DeviceLimits& lim = c.rig().ctx().limits();
    uint32_t max_side = std::min({lim.max_image_2d, lim.max_framebuffer_width, lim.max_framebuffer_height});
    for (const room::Screen& s : d.screens) {
        if (s.planar) continue;
        room::MeshView mv = room::mesh_view(s, d.viewer, kMeshDensity, std::min<int64_t>(max_side, room::kMeshPictureSide));
        if (mv.width <= 0 || mv.height <= 0)
            return fail(ErrorKind::BadInput, d.file.string() + ": screen '" + s.name +
                                                 "': the mesh reaches 180 degrees or more around the eye, more than one "
                                                 "picture can show; split it into several mesh screens");
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

}  // namespace vitrine::app
