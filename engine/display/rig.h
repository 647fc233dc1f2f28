// One device for every output: the Context and the GpuScene that windows, file
// captures (and later LED canvases and quilts) share, plus what is needed to rebuild
// them when the GPU is lost — the CPU-side models and environment stay here, so
// recover() makes a new device and uploads them again. Outputs attach to the rig and
// release their GPU objects when it rebuilds; they recreate them on their next frame.
#pragma once
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/image.h"
#include "render/gpu_scene.h"

namespace vitrine::display {

class Rig;

class Output {
public:
    virtual ~Output();
    // The device is about to be destroyed: drop every GPU object (no waiting on it).
    virtual void release() = 0;

protected:
    Rig* rig_ = nullptr;  // null once the rig is gone
    friend class Rig;
};

struct RigOptions {
    gpu::Validation validation = gpu::Validation::Off;
    std::vector<std::string> instance_extensions;             // a window's (GLFW's)
    std::function<VkSurfaceKHR(VkInstance)> make_surface;     // a window's; null: headless
    uint64_t staging_bytes = 32ull << 20;
    // Drop a model's pixels and rigid geometry from CPU memory once uploaded (they are
    // read from its file again after a lost device). See scene/gpu_data.h.
    bool drop_uploaded = true;
    // GPU memory for pyramids' tiles (the virtual texture's atlas), whatever their size.
    uint64_t tile_memory = 256ull << 20;
    // Live outputs (a window): new tiles blend in over this many frames; 0: at once.
    uint32_t tile_fade_frames = 0;
};

class Rig {
public:
    static Result<std::unique_ptr<Rig>> create(const RigOptions& options);
    ~Rig();

    bool has_device() const { return ctx_ && scene_; }  // false only after a failed recover()
    gpu::Context& ctx() { return *ctx_; }
    render::GpuScene& scene() { return *scene_; }
    // Bumped by every rebuild: outputs compare it to know their objects are gone.
    uint64_t generation() const { return generation_; }

    // Load time. Both are kept (by address: they must outlive the rig, or their removal)
    // for rebuilds; a model's id stays the same through rebuilds.
    Result<render::ModelId> add_model(scene::Model& model);
    // A model no longer shown: freed on the GPU (deletion queue) and not uploaded again.
    void remove_model(scene::Model& model);
    Result<void> set_environment(const ImageF& equirect);
    // A pyramid shown through the virtual texture; kept for rebuilds (ids stay the same).
    Result<uint32_t> add_image(std::shared_ptr<const zoom::Pyramid> pyramid);

    // The image frames every output draws from now on, until replaced (like the room lights).
    void set_images(std::span<const render::ImageInstance> images) { images_.assign(images.begin(), images.end()); }
    std::span<const render::ImageInstance> images() const { return images_; }

    // Lights of the room (a show's light nodes), kept for rebuilds: see GpuScene::set_room_lights.
    void set_room_lights(std::span<const shader::LightUniform> lights) {
        room_lights_.assign(lights.begin(), lights.end());
        if (scene_) scene_->set_room_lights(room_lights_);
    }

    // After an ErrorKind::DeviceLost: outputs release, the device is torn down and made
    // again, models and environment are uploaded again. Logs one line.
    Result<void> recover();
    uint32_t recoveries() const { return recoveries_; }
    // The one rule for a lost device, for every command: given an error, a DeviceLost is
    // recovered from (recover()) unless the device was lost kRebuilds times in a row with
    // no frame shown in between (frame_shown()) — then it gives up with the loss's message
    // and "; it was lost again after 3 rebuilds without a frame, giving up". Any other
    // error comes back as it is.
    static constexpr int kRebuilds = 3;
    Result<void> recover_from(const Error& error);
    void frame_shown() { fruitless_ = 0; }

    void attach(Output* output) {
        outputs_.push_back(output);
        output->rig_ = this;
    }
    void detach(Output* output);

    // Validation messages of every device this rig has made.
    uint32_t validation_messages() const;

private:
    Result<void> build();
    RigOptions options_;
    std::unique_ptr<gpu::Context> ctx_;
    std::unique_ptr<render::GpuScene> scene_;
    Result<render::ModelId> upload(scene::Model& model);
    std::vector<scene::Model*> models_;  // by ModelId; null: a free id
    const ImageF* environment_ = nullptr;
    std::vector<Output*> outputs_;
    std::vector<shader::LightUniform> room_lights_;
    std::vector<std::shared_ptr<const zoom::Pyramid>> pyramids_;
    std::vector<render::ImageInstance> images_;
    uint64_t generation_ = 0;
    uint32_t recoveries_ = 0, earlier_messages_ = 0;
    int fruitless_ = 0;  // rebuilds since a frame was last shown
};

// Exit code at the end of a run on `rig` (destroyed here): 4 when validation spoke, else `code`.
int finish_rig(std::unique_ptr<Rig>& rig, int code);

}  // namespace vitrine::display
