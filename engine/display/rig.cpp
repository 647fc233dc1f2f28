#include "display/rig.h"

#include <algorithm>
#include <cstdio>

#include "core/log.h"
#include "gpu/live_objects.h"
#include "scene/gpu_data.h"

namespace vitrine::display {

Result<std::unique_ptr<Rig>> Rig::create(const RigOptions& options) {
    std::unique_ptr<Rig> rig(new Rig());
    rig->options_ = options;
    if (auto r = rig->build(); !r) return r.error();
    log::info("GPU: " + rig->ctx_->device_name() + (rig->ctx_->validation_enabled() ? " (validation on)" : "") + "; " +
              rig->ctx_->limits().summary());
    return rig;
}

Result<void> Rig::build() {
    gpu::ContextOptions co;
    co.validation = options_.validation;
    co.instance_extensions = options_.instance_extensions;
    co.make_surface = options_.make_surface;
    co.staging_bytes = options_.staging_bytes;
    auto ctx = gpu::Context::create(co);
    if (!ctx) return ctx.error();
    ctx_ = std::move(ctx.value());
    auto scene = render::GpuScene::create(*ctx_);
    if (!scene) return scene.error();
    scene_ = std::move(scene.value());
    scene_->set_tile_memory(options_.tile_memory);
    scene_->set_tile_fade(options_.tile_fade_frames);
    for (const auto& p : pyramids_)
        if (auto r = scene_->add_image(p); !r) return r.error();
    for (scene::Model* m : models_)
        if (m)
            if (auto r = upload(*m); !r) return r.error();
    if (environment_)
        if (auto r = scene_->set_environment(*environment_); !r) return r.error();
    return {};
}

Output::~Output() {
    if (rig_) rig_->detach(this);
}

Rig::~Rig() {
    // VITRINE_COUNTERS: the live Vulkan objects and resident memory over the frames drawn,
    // then whatever outlived the device (a leak).
    bool counters = gpu::counters_mode() != gpu::Counters::Off;
    if (counters) std::fprintf(stderr, "counters: %s\n", gpu::live_report().c_str());
    for (Output* o : outputs_) {
        o->release();
        o->rig_ = nullptr;
    }
    scene_.reset();
    if (ctx_) ctx_->finish_all();
    ctx_.reset();
    if (counters) std::fprintf(stderr, "counters: vulkan objects left after the device: %s\n", gpu::live_kinds().c_str());
}

void Rig::detach(Output* output) { outputs_.erase(std::remove(outputs_.begin(), outputs_.end(), output), outputs_.end()); }

Result<render::ModelId> Rig::add_model(scene::Model& model) {
    // Kept first, so a device lost during the upload rebuilds with this model too.
    if (std::find(models_.begin(), models_.end(), &model) == models_.end()) {
        auto hole = std::find(models_.begin(), models_.end(), nullptr);
        if (hole != models_.end()) *hole = &model;
        else models_.push_back(&model);
    }
    return upload(model);
}

void Rig::remove_model(scene::Model& model) {
    auto it = std::find(models_.begin(), models_.end(), &model);
    if (it == models_.end()) return;
    if (scene_) scene_->remove_model(render::ModelId(it - models_.begin()));
    *it = nullptr;
    while (!models_.empty() && !models_.back()) models_.pop_back();
}

Result<uint32_t> Rig::add_image(std::shared_ptr<const zoom::Pyramid> pyramid) {
    auto id = scene_->add_image(pyramid);
    if (id && std::find(pyramids_.begin(), pyramids_.end(), pyramid) == pyramids_.end()) pyramids_.push_back(pyramid);
    return id;
}

Result<render::ModelId> Rig::upload(scene::Model& model) {
    auto id = render::ModelId(std::find(models_.begin(), models_.end(), &model) - models_.begin());
    if (scene_->holds(model)) return id;  // already uploaded (e.g. by recover())
    if (auto r = scene::restore_gpu_data(model); !r) return r.error();  // after a lost device
    if (auto r = scene_->add_model(model, id); !r) return r.error();
    // The upload ring has already copied everything into staging memory.
    if (options_.drop_uploaded) scene::drop_gpu_data(model);
    return id;
}

Result<void> Rig::set_environment(const ImageF& equirect) {
    environment_ = &equirect;
    return scene_->set_environment(equirect);
}

uint32_t Rig::validation_messages() const { return earlier_messages_ + (ctx_ ? ctx_->validation_messages() : 0); }

Result<void> Rig::recover_from(const Error& error) {
    if (error.kind != ErrorKind::DeviceLost) return error;
    if (fruitless_ >= kRebuilds)
        return fail(ErrorKind::DeviceLost, error.message + "; it was lost again after " + std::to_string(kRebuilds) +
                                               " rebuilds without a frame, giving up");
    ++fruitless_;
    return recover();
}

Result<void> Rig::recover() {
    for (Output* o : outputs_) o->release();
    if (ctx_) earlier_messages_ += ctx_->validation_messages();
    scene_.reset();
    if (ctx_) ctx_->finish_all();
    ctx_.reset();
    ++generation_;
    ++recoveries_;
    // Model ids stay the same: each model is uploaded again at its id.
    if (auto r = build(); !r) return fail(r.error().kind, "cannot rebuild after losing the GPU: " + r.error().message);
    scene_->set_room_lights(room_lights_);
    log::warn("the GPU device was lost; rebuilt the device and uploaded " + std::to_string(scene_->model_count()) +
              " model(s) again (recovery " + std::to_string(recoveries_) + ")");
    return {};
}

int finish_rig(std::unique_ptr<Rig>& rig, int code) {
    uint32_t messages = rig ? rig->validation_messages() : 0;
    rig.reset();
    if (messages > 0) {
        log::error(std::to_string(messages) + " Vulkan validation message(s); failing the run");
        return exit_code(ErrorKind::Validation);
    }
    return code;
}

}  // namespace vitrine::display
