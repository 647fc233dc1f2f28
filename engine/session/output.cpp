#include "session/output.h"

namespace vitrine::session {

namespace {

class WindowOutput : public Output {
public:
    explicit WindowOutput(display::Window& w) : w_(w) {}
    Result<void> attach(display::Rig& rig, const std::optional<room::DisplayFile>& d) override {
        if (d && d->lenticular) w_.set_lenticular(*d->lenticular);
        if (d && !d->lenticular) w_.set_mesh_screens(*d);  // curved screens warped on the GPU every frame
        return w_.attach(rig);
    }
    void size(uint32_t* w, uint32_t* h) const override { w_.framebuffer_size(w, h); }
    std::vector<display::WindowEvent> poll_events(double wait) override { return w_.poll_events(wait); }
    Result<bool> draw(std::span<const render::Instance> instances, const render::Look& look,
                      std::span<const render::View> views, const std::string& path) override {
        return w_.draw(instances, look, views, path);
    }
    void set_overlay(display::OverlayList panels) override { w_.set_overlay(std::move(panels)); }
    void set_eye(const glm::dvec3& eye) override { w_.set_eye(eye); }
    void set_title(const std::string& t) override { w_.set_title(t); }
    void toggle_fullscreen() override { w_.toggle_fullscreen(); }
    void close() override { w_.close(); }
    bool closing() const override { return w_.should_close(); }

private:
    display::Window& w_;
};

class FileOutput : public Output {
public:
    FileOutput(uint32_t w, uint32_t h) : width_(w), height_(h) {}
    Result<void> attach(display::Rig& rig, const std::optional<room::DisplayFile>& d) override {
        auto o = display::Offscreen::create(rig, width_, height_, d ? &*d : nullptr);
        if (!o) return o.error();
        out_ = std::move(*o);
        return {};
    }
    void size(uint32_t* w, uint32_t* h) const override { *w = width_, *h = height_; }
    std::vector<display::WindowEvent> poll_events(double) override { return {}; }
    Result<bool> draw(std::span<const render::Instance> instances, const render::Look& look,
                      std::span<const render::View> views, const std::string& path) override {
        if (auto r = out_->submit(instances, look, views, path); !r) return r.error();
        return true;
    }
    void set_overlay(display::OverlayList panels) override { out_->set_overlay(std::move(panels)); }
    void set_eye(const glm::dvec3& eye) override { out_->set_eye(eye); }
    Result<void> finish() override { return out_->finish(); }
    uint64_t frames_written() const override { return out_->frames_completed(); }

private:
    uint32_t width_, height_;
    std::unique_ptr<display::Offscreen> out_;
};

}  // namespace

std::unique_ptr<Output> window_output(display::Window& window) { return std::make_unique<WindowOutput>(window); }
std::unique_ptr<Output> file_output(uint32_t width, uint32_t height) { return std::make_unique<FileOutput>(width, height); }

}  // namespace vitrine::session
