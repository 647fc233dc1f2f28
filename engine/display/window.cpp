#include "display/window.h"

#include <algorithm>
#include <vector>

#define GLFW_INCLUDE_VULKAN
#include <GLFW/glfw3.h>

#include "core/log.h"

namespace vitrine::display {

namespace {

int modifiers(int glfw_mods) {
    return (glfw_mods & GLFW_MOD_SHIFT ? kShift : 0) | (glfw_mods & GLFW_MOD_CONTROL ? kControl : 0) |
           (glfw_mods & GLFW_MOD_ALT ? kAlt : 0);
}


// The site's monitor: by name, else by index, else (none asked for, or the one asked for
// is not connected: `fallback`) the primary. Null when none is connected.
GLFWmonitor* wanted_monitor(const WindowOptions& options, bool fallback) {
    int count = 0;
    GLFWmonitor** all = glfwGetMonitors(&count);
    for (int i = 0; i < count; ++i) {
        const char* name = glfwGetMonitorName(all[i]);
        if (!options.monitor.empty() ? (name && options.monitor == name) : i == options.monitor_index) return all[i];
    }
    bool asked = !options.monitor.empty() || options.monitor_index >= 0;
    return !asked || fallback ? glfwGetPrimaryMonitor() : nullptr;
}

std::string monitor_name(GLFWmonitor* m) {
    const char* name = m ? glfwGetMonitorName(m) : nullptr;
    return name ? std::string("'") + name + "'" : std::string("the monitor");
}

// GLFW tells monitor changes to one function for the whole process: it passes them to
// the windows open now.
std::vector<Window*>& open_windows() {
    static std::vector<Window*> windows;
    return windows;
}

}  // namespace

Result<std::unique_ptr<Window>> Window::open(const WindowOptions& options) {
    std::unique_ptr<Window> w(new Window());
    if (!glfwInit())
        return fail(ErrorKind::Gpu, "cannot open a window: no display found (is DISPLAY set? use 'vitrine render' for headless output)");
    if (!glfwVulkanSupported()) return fail(ErrorKind::Gpu, "cannot open a window: GLFW finds no Vulkan loader");
    glfwWindowHint(GLFW_CLIENT_API, GLFW_NO_API);
    w->options_ = options;
    GLFWmonitor* monitor = nullptr;
    if (options.fullscreen) {
        monitor = wanted_monitor(options, false);
        if (!monitor && (!options.monitor.empty() || options.monitor_index >= 0))
            log::warn("monitor " + (options.monitor.empty() ? std::to_string(options.monitor_index) : "'" + options.monitor + "'") +
                      " is not connected; fullscreen on the primary monitor until it is");
        if (!monitor) monitor = glfwGetPrimaryMonitor();
    }
    uint32_t width = options.width, height = options.height;
    if (monitor && glfwGetVideoMode(monitor)) {
        const GLFWvidmode* mode = glfwGetVideoMode(monitor);
        width = uint32_t(mode->width);
        height = uint32_t(mode->height);
    }
    w->window_ = glfwCreateWindow(int(width), int(height), options.title.c_str(), monitor, nullptr);
    w->fullscreen_on_ = monitor;
    if (!w->window_) return fail(ErrorKind::Gpu, "cannot create a " + std::to_string(width) + "x" + std::to_string(height) + " window");
    glfwSetWindowUserPointer(w->window_, w.get());
    open_windows().push_back(w.get());
    glfwSetMonitorCallback([](GLFWmonitor* m, int event) {
        for (Window* win : open_windows()) win->monitor_changed(m, event == GLFW_CONNECTED);
    });
    glfwSetFramebufferSizeCallback(w->window_, [](GLFWwindow* gw, int, int) {
        static_cast<Window*>(glfwGetWindowUserPointer(gw))->needs_recreate_ = true;
    });
    // Input becomes events in the window's queue (poll_events hands them out).
    glfwSetMouseButtonCallback(w->window_, [](GLFWwindow* gw, int button, int action, int mods) {
        WindowEvent e;
        e.kind = action == GLFW_PRESS ? WindowEvent::Kind::Press : WindowEvent::Kind::Release;
        e.mods = modifiers(mods);
        e.button = button == GLFW_MOUSE_BUTTON_LEFT ? 0 : button == GLFW_MOUSE_BUTTON_RIGHT ? 1 : 2;
        static_cast<Window*>(glfwGetWindowUserPointer(gw))->push(e);
    });
    glfwSetCursorPosCallback(w->window_, [](GLFWwindow* gw, double, double) {
        static_cast<Window*>(glfwGetWindowUserPointer(gw))->push({});
    });
    glfwSetScrollCallback(w->window_, [](GLFWwindow* gw, double, double dy) {
        WindowEvent e;
        e.kind = WindowEvent::Kind::Scroll;
        e.scroll = dy;
        static_cast<Window*>(glfwGetWindowUserPointer(gw))->push(e);
    });
    glfwSetCharCallback(w->window_, [](GLFWwindow* gw, unsigned int codepoint) {
        WindowEvent e;
        e.kind = WindowEvent::Kind::Char;
        e.codepoint = codepoint;
        static_cast<Window*>(glfwGetWindowUserPointer(gw))->push(e);
    });
    glfwSetKeyCallback(w->window_, [](GLFWwindow* gw, int key, int, int action, int mods) {
        WindowEvent e;
        e.kind = action == GLFW_RELEASE ? WindowEvent::Kind::KeyUp : WindowEvent::Kind::Key;
        e.repeat = action == GLFW_REPEAT;
        e.mods = modifiers(mods);
        switch (key) {
            case GLFW_KEY_ESCAPE: e.key = Key::Escape; break;
            case GLFW_KEY_Q: e.key = Key::Q; break;
            case GLFW_KEY_F: e.key = Key::F; break;
            case GLFW_KEY_F11: e.key = Key::F11; break;
            case GLFW_KEY_ENTER: e.key = Key::Enter; break;
            case GLFW_KEY_SPACE: e.key = Key::Space; break;
            case GLFW_KEY_LEFT: e.key = Key::Left; break;
            case GLFW_KEY_RIGHT: e.key = Key::Right; break;
            case GLFW_KEY_R: e.key = Key::R; break;
            case GLFW_KEY_I: e.key = Key::I; break;
            case GLFW_KEY_TAB: e.key = Key::Tab; break;
            case GLFW_KEY_BACKSPACE: e.key = Key::Backspace; break;
            case GLFW_KEY_DELETE: e.key = Key::Delete; break;
            case GLFW_KEY_UP: e.key = Key::Up; break;
            case GLFW_KEY_DOWN: e.key = Key::Down; break;
            case GLFW_KEY_HOME: e.key = Key::Home; break;
            case GLFW_KEY_END: e.key = Key::End; break;
            case GLFW_KEY_PAGE_UP: e.key = Key::PageUp; break;
            case GLFW_KEY_PAGE_DOWN: e.key = Key::PageDown; break;
            case GLFW_KEY_KP_ENTER: e.key = Key::Enter; break;
            case GLFW_KEY_A: e.key = Key::A; break;
            case GLFW_KEY_C: e.key = Key::C; break;
            case GLFW_KEY_V: e.key = Key::V; break;
            case GLFW_KEY_X: e.key = Key::X; break;
            case GLFW_KEY_Y: e.key = Key::Y; break;
            case GLFW_KEY_Z: e.key = Key::Z; break;
            case GLFW_KEY_S: e.key = Key::S; break;
            case GLFW_KEY_G: e.key = Key::G; break;
            case GLFW_KEY_W: e.key = Key::W; break;
            case GLFW_KEY_E: e.key = Key::E; break;
            case GLFW_KEY_T: e.key = Key::T; break;
            case GLFW_KEY_F1: e.key = Key::F1; break;
            default: break;
        }
        static_cast<Window*>(glfwGetWindowUserPointer(gw))->push(e);
    });
    return w;
}

void Window::push(WindowEvent e) {
    glfwGetCursorPos(window_, &e.x, &e.y);
    int ww = 0, wh = 0;
    glfwGetWindowSize(window_, &ww, &wh);
    e.width = ww, e.height = wh;
    events_.push_back(e);
}

std::vector<WindowEvent> Window::poll_events(double wait_seconds) {
    if (wait_seconds > 0) glfwWaitEventsTimeout(wait_seconds);
    else glfwPollEvents();
    std::vector<WindowEvent> out;
    out.swap(events_);
    return out;
}

void Window::close() { glfwSetWindowShouldClose(window_, 1); }

void Window::set_title(const std::string& title) { glfwSetWindowTitle(window_, title.c_str()); }

void Window::set_size(uint32_t width, uint32_t height) { glfwSetWindowSize(window_, int(width), int(height)); }

RigOptions Window::rig_options(gpu::Validation validation) const {
    RigOptions o;
    o.validation = validation;
    uint32_t n = 0;
    const char** exts = glfwGetRequiredInstanceExtensions(&n);
    for (uint32_t i = 0; i < n; ++i) o.instance_extensions.push_back(exts[i]);
    GLFWwindow* glfw = window_;
    o.make_surface = [glfw](VkInstance instance) {
        VkSurfaceKHR surface = VK_NULL_HANDLE;
        if (glfwCreateWindowSurface(instance, glfw, nullptr, &surface) != VK_SUCCESS) return VkSurfaceKHR(VK_NULL_HANDLE);
        return surface;
    };
    return o;
}

Result<void> Window::attach(Rig& rig) {
    rig.attach(this);
    return build();
}

Window::~Window() {
    std::erase(open_windows(), this);
    (void)finish_recording();
    release();
    // The swapchain must be gone before the window it presents to (it is retired through
    // the deletion queue): the rig normally goes first; if not, finish its queue now.
    if (rig_ && rig_->has_device()) rig_->ctx().finish_all();
    if (window_) glfwDestroyWindow(window_);
    glfwTerminate();
}

void Window::release() {
    bool any = false;
    for (VkSemaphore sem : acquired_) any = any || sem;
    if (rig_ && rig_->has_device() && any) {
        gpu::Context& ctx = rig_->ctx();
        VkDevice dev = ctx.device();
        auto sems = acquired_;
        ctx.defer([dev, sems] {
            for (VkSemaphore s : sems)
                if (s) vkDestroySemaphore(dev, s, nullptr);
        });
    }
    acquired_.fill(VK_NULL_HANDLE);
    for (bool& f : in_flight_) {
        lost_frames_ += f ? 1 : 0;
        f = false;
    }
    capture_.reset();
    canvas_.reset();
    swapchain_.reset();
    loop_.reset();
    record_paths_.fill("");
}

bool Window::should_close() const { return glfwWindowShouldClose(window_); }

void Window::framebuffer_size(uint32_t* w, uint32_t* h) const {
    int fw = 0, fh = 0;
    glfwGetFramebufferSize(window_, &fw, &fh);
    *w = uint32_t(std::max(fw, 0));
    *h = uint32_t(std::max(fh, 0));
}

// A monitor unplugged: GLFW has already put a window that was fullscreen on it in a
// window (the show goes on there); when the site's monitor is connected again — or
// connected at last, after a start on the primary — the window goes back fullscreen on it.
void Window::monitor_changed(GLFWmonitor* monitor, bool connected) {
    if (!connected) {
        // GLFW has already taken the window off a monitor that went: compare with the one
        // it was last fullscreen on (a window put in a window with F11 has none).
        if (!fullscreen_on_ || fullscreen_on_ != monitor) return;
        fullscreen_on_ = nullptr;
        monitor_lost_ = true;
        log::warn("display: " + monitor_name(monitor) + " was disconnected; the show goes on and returns fullscreen there when it is back");
        needs_recreate_ = true;
        return;
    }
    GLFWmonitor* want = wanted_monitor(options_, false);
    if (!want || want != monitor || glfwGetWindowMonitor(window_) == want) return;
    // Back after a loss, or the site's monitor connected at last after a start on the primary.
    bool on_fallback = fullscreen_on_ && fullscreen_on_ != want;
    if (!monitor_lost_ && !on_fallback) return;  // a technician put it in a window (F11)
    const GLFWvidmode* mode = glfwGetVideoMode(want);
    if (!mode) return;
    glfwSetWindowMonitor(window_, want, 0, 0, mode->width, mode->height, mode->refreshRate);
    fullscreen_on_ = want;
    monitor_lost_ = false;
    needs_recreate_ = true;
    log::info("display: " + monitor_name(want) + " is connected; the show is fullscreen on it again");
}

void Window::simulate_monitor_loss() {
    GLFWmonitor* on = glfwGetWindowMonitor(window_);
    if (on) {  // what GLFW does before it tells of a disconnected monitor (F11's size kept)
        int w = 0, h = 0;
        glfwGetWindowSize(window_, &w, &h);
        glfwSetWindowMonitor(window_, nullptr, 0, 0, std::max(w / 2, 64), std::max(h / 2, 64), 0);
    }
    GLFWmonitor* m = on ? on : wanted_monitor(options_, true);
    monitor_changed(m, false);
    glfwPollEvents();
    monitor_changed(m, true);
}

bool Window::fullscreen() const { return glfwGetWindowMonitor(window_) != nullptr; }

void Window::toggle_fullscreen() {
    if (glfwGetWindowMonitor(window_)) {
        glfwSetWindowMonitor(window_, nullptr, windowed_x_, windowed_y_, windowed_w_, windowed_h_, 0);
        fullscreen_on_ = nullptr;
        monitor_lost_ = false;  // in a window by choice
    } else {
        glfwGetWindowPos(window_, &windowed_x_, &windowed_y_);
        glfwGetWindowSize(window_, &windowed_w_, &windowed_h_);
        GLFWmonitor* m = wanted_monitor(options_, true);  // the site's monitor, as at start
        const GLFWvidmode* mode = m ? glfwGetVideoMode(m) : nullptr;
        if (mode) glfwSetWindowMonitor(window_, m, 0, 0, mode->width, mode->height, mode->refreshRate);
        if (mode) fullscreen_on_ = m;
    }
    needs_recreate_ = true;
}

Result<void> Window::build() {
    gpu::Context& ctx = rig_->ctx();
    auto loop = gpu::FrameLoop::create(ctx, "window");
    if (!loop) return loop.error();
    loop_ = std::move(loop.value());
    VkSemaphoreCreateInfo sci{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
    for (VkSemaphore& s : acquired_) VK_CHECK(vkCreateSemaphore(ctx.device(), &sci, nullptr, &s));
    swapchain_ = std::make_unique<gpu::Swapchain>(ctx);
    capture_ = std::make_unique<Capture>(ctx);
    generation_ = rig_->generation();
    needs_recreate_ = true;
    uint32_t fw, fh;
    framebuffer_size(&fw, &fh);
    if (fw == 0 || fh == 0) return {};  // minimised: made on the first visible frame
    return recreate();
}

Result<void> Window::recreate() {
    uint32_t fw, fh;
    framebuffer_size(&fw, &fh);
    if (fw == 0 || fh == 0) return {};  // minimised: try again later
    // The old swapchain and canvas are retired through the deletion queue: frames in
    // flight and pending presents finish with them first.
    canvas_.reset();
    auto made = swapchain_->create(fw, fh);
    if (!made) return made.error();
    if (!made.value()) {
        needs_recreate_ = true;  // the surface is 0x0 (being minimised): try again later
        return {};
    }
    std::vector<VkImageView> views;
    for (uint32_t i = 0; i < swapchain_->image_count(); ++i) views.push_back(swapchain_->view(i));
    canvas_ = std::make_unique<Canvas>(rig_->ctx(), rig_->scene(), swapchain_->format(), swapchain_->extent(), views);
    if (lenticular_)
        if (auto r = canvas_->set_lenticular(*lenticular_); !r) return r;
    if (walls_)
        if (auto r = canvas_->set_mesh_screens(*walls_); !r) return r;
    needs_recreate_ = false;
    ++recreations_;
    return {};
}

void Window::harvest(uint32_t slot) {
    in_flight_[slot] = false;
    if (!capture_->pending(slot)) return;
    Image8 pixels = capture_->take(slot);
    if (!record_paths_[slot].empty()) writer_.write(record_paths_[slot], std::move(pixels));
    record_paths_[slot].clear();
}

Result<void> Window::finish_recording() {
    if (loop_ && rig_ && !rig_->ctx().lost()) {
        if (auto r = loop_->wait_all(); !r) return r.error();
        for (uint32_t s = 0; s < gpu::kFramesInFlight; ++s) {
            uint32_t slot = (loop_->slot() + s) % gpu::kFramesInFlight;  // oldest first
            harvest(slot);
        }
    }
    if (auto r = writer_.finish(); !r) return fail(ErrorKind::Io, r.error().message);
    return {};
}

Result<bool> Window::draw(std::span<const render::Instance> instances, const render::Look& look,
                          std::span<const render::View> views, const std::string& record) {
    if (!rig_) return fail(ErrorKind::Gpu, "the window has no device");
    if (!loop_ || generation_ != rig_->generation())
        if (auto r = build(); !r) return r.error();
    uint32_t fw, fh;
    framebuffer_size(&fw, &fh);
    if (fw == 0 || fh == 0) return false;
    if (needs_recreate_ || !canvas_ || fw != swapchain_->extent().width || fh != swapchain_->extent().height) {
        if (auto r = recreate(); !r) return r.error();
        if (needs_recreate_ || !canvas_) return false;
    }
    // Views go into the window's picture, or into the lenticular quilt (its own size).
    VkExtent2D extent = lenticular_ ? VkExtent2D{uint32_t(lenticular_->quilt.width), uint32_t(lenticular_->quilt.height)}
                                    : swapchain_->extent();
    for (const render::View& v : views)
        if (uint64_t(v.viewport.x) + v.viewport.width > extent.width || uint64_t(v.viewport.y) + v.viewport.height > extent.height)
            return false;  // views made for another size: the caller makes new ones next frame
    gpu::Context& ctx = rig_->ctx();
    auto cmd = loop_->begin();
    if (!cmd) return cmd.error();
    uint32_t slot = loop_->slot();
    harvest(slot);
    uint32_t image = 0;
    VkResult r = vkAcquireNextImageKHR(ctx.device(), swapchain_->handle(), UINT64_MAX, acquired_[slot], VK_NULL_HANDLE, &image);
    if (r == VK_ERROR_OUT_OF_DATE_KHR) {
        loop_->cancel();
        needs_recreate_ = true;
        return false;
    }
    if (r == VK_ERROR_DEVICE_LOST) {
        loop_->cancel();
        return ctx.device_lost("vkAcquireNextImageKHR");
    }
    if (r != VK_SUCCESS && r != VK_SUBOPTIMAL_KHR) {
        loop_->cancel();
        return fail(ErrorKind::Gpu, std::string("cannot acquire a window image (") + gpu::vk_result_name(r) + ")");
    }
    if (r == VK_SUBOPTIMAL_KHR) needs_recreate_ = true;

    canvas_->set_eye(eye_);
    if (auto p = rig_->scene().prepare(instances, look, uint32_t(views.size()) + canvas_->extra_views(), rig_->images()); !p)
        return p.error();
    if (auto d = canvas_->draw(cmd.value(), image, swapchain_->image(image), views, overlay_ ? &overlay_ : nullptr, nullptr,
                               &panels_, slot);
        !d)
        return d.error();
    VkImageLayout layout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
    VkPipelineStageFlags stage = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
    VkAccessFlags access = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT;
    auto barrier = [&](VkImageLayout to, VkPipelineStageFlags dst_stage, VkAccessFlags dst_access) {
        gpu::image_barrier(cmd.value(), swapchain_->image(image), VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 1, layout, to, stage, access,
                           dst_stage, dst_access);
        layout = to;
        stage = dst_stage;
        access = dst_access;
    };
    if (!record.empty()) {
        // What the window shows, read back in this frame's command buffer.
        barrier(VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_READ_BIT);
        if (auto c = capture_->record(cmd.value(), slot, swapchain_->image(image), swapchain_->format(), swapchain_->extent()); !c)
            return c.error();
        record_paths_[slot] = record;
    }
    barrier(VK_IMAGE_LAYOUT_PRESENT_SRC_KHR, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, 0);
    gpu::SemaphoreUse wait{acquired_[slot], VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT};
    VkSemaphore done = swapchain_->render_done(image);
    auto v = loop_->submit(std::span<const gpu::SemaphoreUse>(&wait, 1), std::span<const VkSemaphore>(&done, 1));
    if (!v) {
        record_paths_[slot].clear();
        return v.error();
    }
    rig_->scene().frame_submitted(v.value());
    in_flight_[slot] = true;
    VkSwapchainKHR sc = swapchain_->handle();
    VkPresentInfoKHR pi{VK_STRUCTURE_TYPE_PRESENT_INFO_KHR};
    pi.waitSemaphoreCount = 1;
    pi.pWaitSemaphores = &done;
    pi.swapchainCount = 1;
    pi.pSwapchains = &sc;
    pi.pImageIndices = &image;
    r = vkQueuePresentKHR(ctx.queue(), &pi);
    if (r == VK_ERROR_OUT_OF_DATE_KHR || r == VK_SUBOPTIMAL_KHR) needs_recreate_ = true;
    else if (r != VK_SUCCESS) {
        // Not shown: the caller does not count this frame, so it is not "lost in flight" either.
        in_flight_[slot] = false;
        record_paths_[slot].clear();
        if (r == VK_ERROR_DEVICE_LOST) return ctx.device_lost("vkQueuePresentKHR");
        return fail(ErrorKind::Gpu, std::string("cannot present (") + gpu::vk_result_name(r) + ")");
    }
    ++presented_;
    return true;
}

}  // namespace vitrine::display
