#include <chrono>
#include <cmath>

#include <GLFW/glfw3.h>

#include "app/args.h"
#include "app/commands.h"
#include "app/stage.h"
#include "core/log.h"
#include "display/window.h"

namespace vitrine::app {

namespace {

// Mouse orbit: left drag rotates, right/middle drag pans, wheel zooms.
struct OrbitInput {
    Stage* stage = nullptr;
    double last_x = 0, last_y = 0;
    bool rotating = false, panning = false;
    float distance = 1;
    bool frame_all = false, toggle_fullscreen = false;
};

void frame(Stage& st, float aspect, float* distance) {
    st.orbit.target = st.pose.empty ? glm::vec3(0) : (st.pose.min + st.pose.max) * 0.5f;
    *distance = st.pose.empty ? 2.0f : scene::auto_distance(st.pose.min, st.pose.max, st.orbit.yfov, aspect);
}

}  // namespace

int cmd_view(int argc, char** argv) {
    std::vector<std::string> flags = kStageFlags;
    flags.insert(flags.end(), {"--size", "--frames", "--resize-to"});
    auto args = Args::parse(argc, argv, 2, flags, {"--fullscreen", "--quiet"});
    if (!args) { log::error(args.error().message); return kUsage; }
    if (args->words().size() != 1) { log::error("usage: vitrine view MODEL [--fullscreen] [--size WxH]"); return kUsage; }
    if (args->has("--quiet")) log::set_quiet(true);
    auto size = args->size("--size", 1280, 720);
    auto frames = args->integer("--frames", 0);  // > 0: close after N frames (tests, soak runs)
    auto resize_to = args->size("--resize-to", 0, 0);
    if (!size || !frames || !resize_to) {
        log::error(!size ? size.error().message : !frames ? frames.error().message : resize_to.error().message);
        return kBadInput;
    }
    auto stage_r = make_stage(args->words()[0], args.value());
    if (!stage_r) { log::error(stage_r.error().message); return kBadInput; }
    Stage& st = stage_r.value();
    auto env = load_environment(st.env_spec);
    if (!env) { log::error(env.error().message); return kBadInput; }

    display::WindowOptions wo;
    wo.width = size->first;
    wo.height = size->second;
    wo.fullscreen = args->has("--fullscreen");
    wo.title = "Vitrine — " + args->words()[0];
    auto win = display::Window::open(wo, validation_requested());
    if (!win) { log::error(win.error().message); return kGpuFailure; }
    display::Window& w = *win.value();
    auto finish = [&](int code) {
        uint32_t messages = w.context().validation_messages();
        win.value().reset();
        if (messages) {
            log::error(std::to_string(messages) + " Vulkan validation message(s); failing the run");
            return int(kValidation);
        }
        return code;
    };
    if (auto r = w.renderer().set_environment(env.value()); !r) { log::error(r.error().message); return finish(kGpuFailure); }
    if (auto r = w.renderer().set_model(st.model); !r) { log::error(r.error().message); return finish(kGpuFailure); }

    OrbitInput in;
    in.stage = &st;
    frame(st, float(size->first) / float(size->second), &in.distance);
    if (st.orbit.distance > 0) in.distance = st.orbit.distance;
    // GLFW callbacks are plain functions; the one view per process keeps its input here.
    static OrbitInput* g_in = nullptr;
    g_in = &in;
    glfwSetMouseButtonCallback(w.glfw(), [](GLFWwindow* gw, int button, int action, int) {
        glfwGetCursorPos(gw, &g_in->last_x, &g_in->last_y);
        bool down = action == GLFW_PRESS;
        if (button == GLFW_MOUSE_BUTTON_LEFT) g_in->rotating = down;
        else g_in->panning = down;
    });
    glfwSetCursorPosCallback(w.glfw(), [](GLFWwindow* gw, double x, double y) {
        double dx = x - g_in->last_x, dy = y - g_in->last_y;
        g_in->last_x = x;
        g_in->last_y = y;
        scene::Orbit& o = g_in->stage->orbit;
        int ww, wh;
        glfwGetWindowSize(gw, &ww, &wh);
        if (g_in->rotating) {
            o.yaw -= float(dx) * 0.008f;
            o.pitch = std::clamp(o.pitch + float(dy) * 0.008f, -1.55f, 1.55f);
        } else if (g_in->panning && wh > 0) {
            float scale = 2.0f * g_in->distance * std::tan(o.yfov * 0.5f) / float(wh);
            glm::mat4 v = o.view();
            glm::vec3 right(v[0][0], v[1][0], v[2][0]), up(v[0][1], v[1][1], v[2][1]);
            o.target += (-float(dx) * right + float(dy) * up) * scale;
        }
    });
    glfwSetScrollCallback(w.glfw(), [](GLFWwindow*, double, double dy) {
        g_in->distance *= std::pow(0.9f, float(dy));
    });
    glfwSetKeyCallback(w.glfw(), [](GLFWwindow* gw, int key, int, int action, int) {
        if (action != GLFW_PRESS) return;
        if (key == GLFW_KEY_F) g_in->frame_all = true;
        if (key == GLFW_KEY_F11 || key == GLFW_KEY_ENTER) g_in->toggle_fullscreen = true;
        if (key == GLFW_KEY_ESCAPE || key == GLFW_KEY_Q) glfwSetWindowShouldClose(gw, 1);
    });

    log::info("view: left drag orbits, right drag pans, wheel zooms, F frames all, F11 fullscreen, Esc quits");
    auto start = std::chrono::steady_clock::now();
    int drawn = 0;
    bool resized = false;
    while (!w.should_close()) {
        glfwPollEvents();
        uint32_t fw, fh;
        w.framebuffer_size(&fw, &fh);
        if (fw == 0 || fh == 0) {
            glfwWaitEventsTimeout(0.1);  // minimised: draw nothing, spend nothing
            continue;
        }
        if (in.toggle_fullscreen) { w.toggle_fullscreen(); in.toggle_fullscreen = false; }
        if (in.frame_all) { frame(st, float(fw) / float(fh), &in.distance); in.frame_all = false; }
        if (st.animation >= 0 && frames.value() == 0) {
            const auto& anim = st.model.animations[size_t(st.animation)];
            double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            st.time = anim.duration > 0 ? float(std::fmod(t, double(anim.duration))) : 0.0f;
            st.pose = scene::evaluate_pose(st.model, st.animation, st.time);
        }
        st.orbit.distance = in.distance;
        auto r = w.draw(st.pose, stage_view(st, fw, fh), st.look);
        if (!r) { log::error(r.error().message); return finish(kGpuFailure); }
        if (r.value()) ++drawn;
        // Test hook: resize once halfway, then close after N frames.
        if (frames.value() > 0 && !resized && resize_to->first > 0 && drawn >= frames.value() / 2) {
            glfwSetWindowSize(w.glfw(), int(resize_to->first), int(resize_to->second));
            resized = true;
        }
        if (frames.value() > 0 && drawn >= frames.value()) break;
    }
    log::info("view: " + std::to_string(w.frames_presented()) + " frames presented, " +
              std::to_string(w.swapchain_recreations()) + " swapchain recreations");
    return finish(kOk);
}

}  // namespace vitrine::app
