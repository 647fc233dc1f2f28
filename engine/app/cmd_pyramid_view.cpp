// A pyramid on its own: `render PYRAMID` (a region of it to a PNG, through the virtual
// texture, or by the CPU reference), `view PYRAMID` (a window: wheel zooms about the
// cursor, drag pans, F fits, a scale bar in millimetres when the scale is known) and
// `bench --pyramid` (how long a jump takes to become sharp, and the longest frame).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>


#include "session/protect.h"
#include "app/args.h"
#include "app/commands.h"
#include "app/usage.h"
#include "app/gpu_stage.h"
#include "core/log.h"
#include "display/offscreen.h"
#include "display/window.h"
#include "render/environment.h"
#include "zoom/reference.h"

namespace vitrine::app {

namespace {

// The region widened (about its centre) to the picture's aspect, so pixels stay square.
glm::dvec4 fit_region(glm::dvec4 r, uint32_t w, uint32_t h) {
    double aspect = double(w) / double(h);
    glm::dvec2 c(r.x + r.z / 2, r.y + r.w / 2);
    if (r.z / r.w < aspect) r.z = r.w * aspect;
    else r.w = r.z / aspect;
    return {c.x - r.z / 2, c.y - r.w / 2, r.z, r.w};
}

glm::dvec4 whole(const zoom::PyramidInfo& info) { return {0, 0, double(info.width), double(info.height)}; }

// A picture of w x h looking straight at a frame 1 m wide (and h/w high) from 1 m, with
// no perspective: picture pixel (i, j) shows frame point ((i + 0.5) / w, (j + 0.5) / h).
render::View flat_view(uint32_t w, uint32_t h) {
    render::View v;
    float fw = 1.0f, fh = float(h) / float(w);
    v.view = glm::mat4(1);
    v.view[3][2] = -1.0f;
    v.proj = glm::mat4(0);
    v.proj[0][0] = 2.0f / fw;
    v.proj[1][1] = -2.0f / fh;  // Vulkan clip space: y down
    v.proj[3][2] = 0.5f;
    v.proj[3][3] = 1.0f;
    v.eye = glm::vec3(0, 0, 1);
    v.viewport = {0, 0, w, h};
    return v;
}

render::ImageInstance flat_image(uint32_t id, const glm::dvec4& region, uint32_t w, uint32_t h) {
    render::ImageInstance im;
    im.image = id;
    im.size = glm::vec2(1.0f, float(h) / float(w));
    im.region = region;
    return im;
}

render::Look flat_look() {
    render::Look look;
    look.tonemap = render::ToneMap::None;  // the image's own values, as they are
    look.solid_background = true;
    look.background = glm::vec3(0);
    return look;
}

// --region x,y,w,h | --centre x,y --magnification M (picture pixels per image pixel) |
// the whole image; fitted to the picture's aspect.
Result<glm::dvec4> region_option(const Args& args, const zoom::PyramidInfo& info, uint32_t w, uint32_t h) {
    glm::dvec4 r = whole(info);
    // Finite numbers within 2^40 image pixels ("nan" and "inf" read as numbers to sscanf).
    auto finite = [](std::initializer_list<double> values) {
        for (double v : values)
            if (!std::isfinite(v) || std::fabs(v) > double(uint64_t(1) << 40)) return false;
        return true;
    };
    if (args.has("--region")) {
        double v[4];
        char extra = 0;
        if (std::sscanf(args.get("--region", "").c_str(), "%lf,%lf,%lf,%lf%c", &v[0], &v[1], &v[2], &v[3], &extra) != 4 ||
            !finite({v[0], v[1], v[2], v[3]}) || v[2] <= 0 || v[3] <= 0)
            return fail("--region expects x,y,w,h in image pixels (finite numbers, w, h > 0), got '" +
                        args.get("--region", "") + "'");
        r = {v[0], v[1], v[2], v[3]};
    } else if (args.has("--magnification")) {
        double m = 0, cx = info.width / 2.0, cy = info.height / 2.0;
        if (std::sscanf(args.get("--magnification", "").c_str(), "%lf", &m) != 1 || !(m > 0) || m > 1e6)
            return fail("--magnification expects picture pixels per image pixel, above 0");
        if (args.has("--centre") &&
            (std::sscanf(args.get("--centre", "").c_str(), "%lf,%lf", &cx, &cy) != 2 || !finite({cx, cy})))
            return fail("--centre expects x,y in image pixels (finite numbers)");
        r = {cx - w / m / 2, cy - h / m / 2, w / m, h / m};
    }
    return fit_region(r, w, h);
}

Result<std::shared_ptr<zoom::Pyramid>> open(const std::string& path) {
    auto p = zoom::open_pyramid(path);
    if (!p) return p.error();
    return std::shared_ptr<zoom::Pyramid>(std::move(p.value()));
}

std::string tiles_line(const render::VirtualTexture* vt) {
    if (!vt) return "tiles: none";
    auto s = vt->stats();
    return "tiles: " + std::to_string(s.resident) + " of " + std::to_string(s.slots) + " pages resident (" +
           std::to_string(s.atlas_bytes >> 20) + " MiB atlas), " + std::to_string(s.uploads) + " uploaded, " +
           std::to_string(s.evictions) + " evicted";
}

}  // namespace

int cmd_render_pyramid(int argc, char** argv) {
    auto args = Args::parse(argc, argv, 2, {"--out", "--size", "--region", "--centre", "--magnification", "--tile-memory"},
                            {"--reference", "--quiet", "--force"});
    if (!args) { usage_error("render pyramid", args.error().message); return kUsage; }
    if (args->words().size() != 1 || !args->has("--out")) {
        usage_error("render pyramid");
        return kUsage;
    }
    if (args->has("--quiet")) log::set_quiet(true);
    auto size = args->size("--size", 1920, 1080);
    if (!size) { log::error(size.error().message); return kBadInput; }
    auto [w, h] = size.value();
    auto memory_r = tile_memory_option(*args);
    if (!memory_r) { log::error(memory_r.error().message); return kBadInput; }
    uint64_t memory = memory_r.value();
    auto pyramid = open(args->words()[0]);
    if (!pyramid) { log::error(pyramid.error().message); return exit_code(pyramid.error().kind); }
    auto region = region_option(*args, pyramid.value()->info(), w, h);
    if (!region) { log::error(region.error().message); return kBadInput; }
    std::string out = args->get("--out", "");
    session::protect_pyramid(args->words()[0]);  // never write over (or into) the pyramid shown
    outputs::set_force(args->has("--force"));
    if (auto ok = outputs::check(out, outputs::Kind::Png); !ok) { log::error(ok.error().message); return kBadInput; }

    if (args->has("--reference")) {  // the CPU reference: no GPU
        auto img = zoom::reference_view(*pyramid.value(), region.value(), w, h);
        if (!img) { log::error(img.error().message); return exit_code(img.error().kind); }
        if (auto r = write_png(out, img.value()); !r) { log::error(r.error().message); return kBadInput; }
        return kOk;
    }
    display::RigOptions options;
    options.validation = validation_requested();
    options.tile_memory = memory;
    auto rig = display::Rig::create(options);
    if (!rig) { log::error(rig.error().message); return exit_code(rig.error().kind); }
    ImageF studio = render::procedural_studio();
    if (auto r = rig.value()->set_environment(studio); !r) { log::error(r.error().message); return display::finish_rig(rig.value(), exit_code(r.error().kind)); }
    auto id = rig.value()->add_image(pyramid.value());
    if (!id) { log::error(id.error().message); return display::finish_rig(rig.value(), exit_code(id.error().kind)); }
    auto offscreen = display::Offscreen::create(*rig.value(), w, h);
    if (!offscreen) { log::error(offscreen.error().message); return display::finish_rig(rig.value(), exit_code(offscreen.error().kind)); }
    render::ImageInstance image = flat_image(id.value(), region.value(), w, h);
    rig.value()->set_images({&image, 1});
    render::View view = flat_view(w, h);
    auto r = render_frames(*rig.value(), *offscreen.value(), 1, [&](long) {
        return offscreen.value()->submit({}, flat_look(), {&view, 1}, out);
    });
    if (!r) { log::error(r.error().message); return display::finish_rig(rig.value(), exit_code(r.error().kind)); }
    log::info(tiles_line(rig.value()->scene().tiles()));
    offscreen.value().reset();
    return display::finish_rig(rig.value(), kOk);
}

namespace {

// The viewer's input: where the image is and what the mouse is doing.
struct PanZoom {
    glm::dvec4 region{0};
    double last_x = 0, last_y = 0;
    bool dragging = false, fit = false;
    uint32_t width = 1, height = 1;
};

// One window event: a left drag pans, the wheel zooms about the cursor (the image point
// under it stays under it), F fits, Esc/Q quits.
void pan_zoom_input(PanZoom& in, const display::WindowEvent& e, display::Window& w) {
    using Kind = display::WindowEvent::Kind;
    switch (e.kind) {
        case Kind::Press:
        case Kind::Release:
            in.last_x = e.x, in.last_y = e.y;
            if (e.button == 0) in.dragging = e.kind == Kind::Press;
            break;
        case Kind::Move:
            if (in.dragging && e.width > 0 && e.height > 0) {
                in.region.x -= (e.x - in.last_x) / e.width * in.region.z;
                in.region.y -= (e.y - in.last_y) / e.height * in.region.w;
            }
            in.last_x = e.x, in.last_y = e.y;
            break;
        case Kind::Scroll: {
            if (e.width <= 0 || e.height <= 0) break;
            glm::dvec2 f(e.x / e.width, e.y / e.height);
            glm::dvec4& r = in.region;
            glm::dvec2 p(r.x + f.x * r.z, r.y + f.y * r.w);
            double k = std::pow(0.8, e.scroll);
            double min_w = in.width / 64.0;  // at most 64 screen pixels per image pixel
            if (r.z * k < min_w) k = min_w / r.z;
            r.z *= k;
            r.w *= k;
            r.x = p.x - f.x * r.z;
            r.y = p.y - f.y * r.w;
            break;
        }
        case Kind::KeyUp:
        case Kind::Char: break;  // text and releases: nothing here
        case Kind::Key:
            if (e.repeat) break;  // held down: one press
            if (e.key == display::Key::F) in.fit = true;
            if (e.key == display::Key::Escape || e.key == display::Key::Q) w.close();
            break;
    }
}

// A length of 1, 2 or 5 x 10^k millimetres about `target_px` pixels long.
double nice_length(double mm_per_px, double target_px) {
    double mm = mm_per_px * target_px;
    double base = std::pow(10.0, std::floor(std::log10(mm)));
    for (double m : {5.0, 2.0, 1.0})
        if (m * base <= mm) return m * base;
    return base;
}

std::string length_text(double mm) {
    char buf[64];
    if (mm >= 1000) std::snprintf(buf, sizeof buf, "%g m", mm / 1000);
    else if (mm >= 10) std::snprintf(buf, sizeof buf, "%g cm", mm / 10);
    else if (mm >= 1) std::snprintf(buf, sizeof buf, "%g mm", mm);
    else std::snprintf(buf, sizeof buf, "%g um", mm * 1000);
    return buf;
}

}  // namespace

int cmd_view_pyramid(int argc, char** argv) {
    auto args = Args::parse(argc, argv, 2, {"--size", "--frames", "--region", "--centre", "--magnification", "--tile-memory"},
                            {"--fullscreen", "--quiet"});
    if (!args) { usage_error("view pyramid", args.error().message); return kUsage; }
    if (args->words().size() != 1) {
        usage_error("view pyramid");
        return kUsage;
    }
    if (args->has("--quiet")) log::set_quiet(true);
    auto size = args->size("--size", 1280, 720);
    auto frames = args->integer("--frames", 0);  // > 0: close after N frames (tests)
    if (!size || !frames) { log::error(!size ? size.error().message : frames.error().message); return kBadInput; }
    auto memory_r = tile_memory_option(*args);
    if (!memory_r) { log::error(memory_r.error().message); return kBadInput; }
    uint64_t memory = memory_r.value();
    auto pyramid = open(args->words()[0]);
    if (!pyramid) { log::error(pyramid.error().message); return exit_code(pyramid.error().kind); }
    const zoom::PyramidInfo& info = pyramid.value()->info();

    auto win = open_window(*args, *size);
    if (!win) { log::error(win.error().message); return exit_code(win.error().kind); }
    display::Window& w = *win.value();
    display::RigOptions options = w.rig_options(validation_requested());
    options.tile_memory = memory;
    options.tile_fade_frames = 8;  // new tiles blend in over 8 frames
    auto rig_r = display::Rig::create(options);
    if (!rig_r) { log::error(rig_r.error().message); return exit_code(rig_r.error().kind); }
    std::unique_ptr<display::Rig> rig = std::move(rig_r.value());
    ImageF studio = render::procedural_studio();
    auto fail_with = [&](const Error& e) {
        log::error(e.message);
        return display::finish_rig(rig, exit_code(e.kind));
    };
    if (auto r = rig->set_environment(studio); !r) return fail_with(r.error());
    auto id = rig->add_image(pyramid.value());
    if (!id) return fail_with(id.error());
    if (auto r = w.attach(*rig); !r) return fail_with(r.error());

    PanZoom in;
    auto region = region_option(*args, info, size->first, size->second);
    if (!region) return fail_with(region.error());
    in.region = region.value();
    // The scale bar: a white bar (and end ticks) at the bottom left, its length in the title.
    double bar_px = 0;
    w.set_overlay([&](VkCommandBuffer cmd, VkRenderPass pass, VkFramebuffer fb, VkExtent2D extent) {
        if (bar_px < 1 || extent.height < 40 || extent.width < 64) return;
        VkRenderPassBeginInfo rp{VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO};
        rp.renderPass = pass;
        rp.framebuffer = fb;
        rp.renderArea = {{0, 0}, extent};
        vkCmdBeginRenderPass(cmd, &rp, VK_SUBPASS_CONTENTS_INLINE);
        VkClearAttachment white{VK_IMAGE_ASPECT_COLOR_BIT, 0, {}};
        white.clearValue.color = {{1, 1, 1, 1}};
        int32_t x0 = 24, y0 = int32_t(extent.height) - 28, len = int32_t(std::min<double>(bar_px, extent.width - 48.0));
        VkClearRect rects[3] = {{{{x0, y0}, {uint32_t(len), 4}}, 0, 1},
                                {{{x0, y0 - 8}, {3, 12}}, 0, 1},
                                {{{x0 + len - 3, y0 - 8}, {3, 12}}, 0, 1}};
        vkCmdClearAttachments(cmd, 1, &white, 3, rects);
        vkCmdEndRenderPass(cmd);
    });

    log::info("view: " + info.path + ": wheel zooms about the cursor, drag pans, F fits, Esc quits");
    int drawn = 0;
    render::View view;
    std::string title;
    bool minimised = false;
    while (!w.should_close()) {
        for (const display::WindowEvent& e : w.poll_events(minimised ? 0.1 : 0)) pan_zoom_input(in, e, w);
        uint32_t fw, fh;
        w.framebuffer_size(&fw, &fh);
        minimised = fw == 0 || fh == 0;
        if (minimised) continue;
        in.width = fw;
        in.height = fh;
        if (in.fit) in.region = whole(info), in.fit = false;
        in.region = fit_region(in.region, fw, fh);
        double magnification = fw / in.region.z;  // screen pixels per image pixel
        char text[256];
        if (info.mm_per_pixel > 0) {
            double mm_per_screen_px = info.mm_per_pixel / magnification;
            double mm = nice_length(mm_per_screen_px, 200);
            bar_px = mm / mm_per_screen_px;
            std::snprintf(text, sizeof text, "%s  %.3gx on screen  bar %s", info.path.c_str(), magnification, length_text(mm).c_str());
        } else {
            bar_px = 0;
            std::snprintf(text, sizeof text, "%s  %.3g screen px per image px (scale unknown)", info.path.c_str(), magnification);
        }
        if (title != text) w.set_title(title = text);
        render::ImageInstance image = flat_image(id.value(), in.region, fw, fh);
        rig->set_images({&image, 1});
        view = flat_view(fw, fh);
        auto r = w.draw({}, flat_look(), {&view, 1});
        if (!r && r.error().kind == ErrorKind::DeviceLost) {
            if (auto rec = rig->recover_from(r.error()); !rec) return fail_with(rec.error());
            continue;
        }
        if (!r) return fail_with(r.error());
        if (r.value()) ++drawn, rig->frame_shown();
        if (frames.value() > 0 && drawn >= frames.value()) break;
    }
    log::info("view: " + std::to_string(w.frames_presented()) + " frames presented; " + tiles_line(rig->scene().tiles()));
    win.value().reset();
    return display::finish_rig(rig, kOk);
}

int bench_pyramid(int argc, char** argv) {
    auto args = Args::parse(argc, argv, 2, {"--pyramid", "--size", "--jumps", "--tile-memory"}, {"--quiet"});
    if (!args) { usage_error("bench pyramid", args.error().message); return kUsage; }
    if (args->has("--quiet")) log::set_quiet(true);
    auto size = args->size("--size", 1920, 1080);
    auto jumps = args->integer("--jumps", 5);
    if (!size || !jumps || jumps.value() < 1) { log::error("--size WxH and --jumps N (>= 1) expected"); return kBadInput; }
    auto memory_r = tile_memory_option(*args);
    if (!memory_r) { log::error(memory_r.error().message); return kBadInput; }
    uint64_t memory = memory_r.value();
    auto pyramid = open(args->get("--pyramid", "procedural:pattern:100000x100000"));
    if (!pyramid) { log::error(pyramid.error().message); return exit_code(pyramid.error().kind); }
    const zoom::PyramidInfo& info = pyramid.value()->info();
    auto [w, h] = size.value();
    const uint32_t fade = 8;
    display::RigOptions options;
    options.validation = validation_requested();
    options.tile_memory = memory;
    options.tile_fade_frames = fade;  // as a live output
    auto rig_r = display::Rig::create(options);
    if (!rig_r) { log::error(rig_r.error().message); return exit_code(rig_r.error().kind); }
    std::unique_ptr<display::Rig> rig = std::move(rig_r.value());
    ImageF studio = render::procedural_studio();
    if (auto r = rig->set_environment(studio); !r) { log::error(r.error().message); return display::finish_rig(rig, 3); }
    auto id = rig->add_image(pyramid.value());
    if (!id) { log::error(id.error().message); return display::finish_rig(rig, exit_code(id.error().kind)); }
    auto out = display::Offscreen::create(*rig, w, h);
    if (!out) { log::error(out.error().message); return display::finish_rig(rig, 3); }
    out.value()->set_settle_tiles(false);  // live: frames never wait for tiles
    render::View view = flat_view(w, h);
    std::mt19937_64 random(7);
    std::vector<double> sharp_ms, max_frame_ms;
    std::vector<int> sharp_frames;
    using clock = std::chrono::steady_clock;
    for (int j = 0; j < jumps.value(); ++j) {
        // A jump to a random place at 1:1 (screen pixel = image pixel).
        std::uniform_real_distribution<double> ux(0, std::max(1.0, double(info.width) - w)),
            uy(0, std::max(1.0, double(info.height) - h));
        glm::dvec4 region(ux(random), uy(random), w, h);
        render::ImageInstance image = flat_image(id.value(), region, w, h);
        rig->set_images({&image, 1});
        auto start = clock::now();
        double longest = 0;
        int quiet = 0, frames = 0;
        uint64_t uploads = rig->scene().tiles()->stats().uploads;
        // Sharp: nothing pending, and no page uploaded for `fade` + 3 frames (the feedback's
        // latency is the frame slots; a page blends in over `fade`).
        while (quiet < int(fade) + 3 && frames < 1000) {
            auto f0 = clock::now();
            auto r = out.value()->render({}, flat_look(), {&view, 1});
            if (!r) { log::error(r.error().message); return display::finish_rig(rig, exit_code(r.error().kind)); }
            longest = std::max(longest, std::chrono::duration<double, std::milli>(clock::now() - f0).count());
            ++frames;
            auto s = rig->scene().tiles()->stats();
            quiet = (s.uploads == uploads && s.pending == 0) ? quiet + 1 : 0;
            uploads = s.uploads;
        }
        sharp_ms.push_back(std::chrono::duration<double, std::milli>(clock::now() - start).count());
        sharp_frames.push_back(frames - quiet + int(fade));  // the frame the last page was fully in
        max_frame_ms.push_back(longest);
    }
    // A frame with every page resident, for comparison with the frames while streaming.
    double steady = 0;
    for (int i = 0; i < 5; ++i) {
        auto f0 = clock::now();
        auto r = out.value()->render({}, flat_look(), {&view, 1});
        if (!r) { log::error(r.error().message); return display::finish_rig(rig, exit_code(r.error().kind)); }
        steady += std::chrono::duration<double, std::milli>(clock::now() - f0).count() / 5;
    }
    std::sort(sharp_ms.begin(), sharp_ms.end());
    std::sort(sharp_frames.begin(), sharp_frames.end());
    double worst_frame = *std::max_element(max_frame_ms.begin(), max_frame_ms.end());
    std::printf("pyramid %s %ux%u, %s: jump to sharp at %ux%u: median %.0f ms, %d frames (%d jumps, worst %.0f ms); longest frame while "
                "streaming %.0f ms (a frame with every page resident: %.0f ms); %s\n",
                info.path.c_str(), info.width, info.height, rig->ctx().device_name().c_str(), w, h,
                sharp_ms[sharp_ms.size() / 2], sharp_frames[sharp_frames.size() / 2], jumps.value(), sharp_ms.back(), worst_frame, steady,
                tiles_line(rig->scene().tiles()).c_str());
    out.value().reset();
    return display::finish_rig(rig, kOk);
}

}  // namespace vitrine::app
