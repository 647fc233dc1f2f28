// Everything of a show that lives on the GPU, shared by every output of a Context:
// uploaded models (each once, however many instances use it), the environment, the
// pipelines (with an on-disk pipeline cache). A frame is prepared once — poses to
// lights, per-draw matrices and deformed vertices — and then drawn through any number
// of Views, each into a rectangle of a canvas, with its own per-view uniforms.
#pragma once
#include <map>
#include <memory>
#include <span>
#include <vector>

#include "gpu/pass_timer.h"
#include "gpu/pipeline.h"
#include "gpu/pipeline_cache.h"
#include "gpu/resources.h"
#include "render/environment.h"
#include "render/gpu_model.h"
#include "render/view.h"
#include "render/view_targets.h"
#include "render/virtual_texture.h"
#include "layout.h"
#include "scene/pose.h"

namespace vitrine::render {

using ModelId = uint32_t;

// A tile pyramid as a material's base colour texture (a scroll on a cylinder): the
// primitive's TEXCOORD_0 range 0..1 spans `region` (image pixels x, y, w, h, y down).
struct InstanceTexture {
    int material = -1;   // glTF material index; -1: every material
    uint32_t image = 0;  // GpuScene::add_image
    glm::dvec4 region{0};
};

// One relic in the room: a model, posed at show time, placed by `transform` (metres).
struct Instance {
    ModelId model = 0;
    const scene::Pose* pose = nullptr;  // kept alive by the caller until draw() is recorded
    glm::mat4 transform{1};
    std::span<const scene::MaterialOverride> materials;  // factors replaced for this instance
    std::span<const InstanceTexture> textures;           // base colours from pyramids
};

// A tile pyramid shown as a flat frame (a show's `image` node): centred on `transform`'s
// origin in its XY plane, facing +Z, `size` metres; `region` (image pixels x, y, w, h, y
// down) is what the frame shows. Outside the image the frame is transparent.
struct ImageInstance {
    uint32_t image = 0;  // GpuScene::add_image
    glm::mat4 transform{1};
    glm::vec2 size{1};
    glm::dvec4 region{0};
    float opacity = 1;
};

class GpuScene {
public:
    static Result<std::unique_ptr<GpuScene>> create(gpu::Context& ctx);
    ~GpuScene();
    GpuScene(const GpuScene&) = delete;
    GpuScene& operator=(const GpuScene&) = delete;

    // Uploads `model` as model `id` (the rig chooses ids, so they survive a rebuild of the
    // device); it must outlive its upload. A model already held keeps its id.
    Result<void> add_model(const scene::Model& model, ModelId id);
    bool holds(const scene::Model& model) const;
    // A model no longer shown (a reload dropped it): its buffers, images and descriptors
    // go through the deletion queue, freed once the frames in flight that use it are done.
    void remove_model(ModelId id);
    Result<void> set_environment(const ImageF& equirect);
    // A pyramid to show through the virtual texture (the same one twice is one image).
    // The tile memory (the atlas) is made on the first, `tile_memory` bytes.
    Result<uint32_t> add_image(std::shared_ptr<const zoom::Pyramid> pyramid);
    void set_tile_memory(uint64_t bytes) { tile_memory_ = bytes; }
    // Live outputs blend new tiles in over a few frames; offline ones do not (default).
    void set_tile_fade(uint32_t frames);
    // Offline: after the last prepared frame has completed, loads every tile it wanted that
    // was missing (waiting for them); true when it must be drawn again to be sharp.
    Result<bool> settle_images();
    const VirtualTexture* tiles() const { return vt_.get(); }
    bool has_images() const { return vt_ && vt_->image_count() > 0; }

    size_t model_count() const;
    uint64_t model_bytes() const;  // vertex, index and texture bytes of every uploaded model
    VkSampleCountFlagBits samples() const { return samples_; }

    // Targets for views of width x height (limits checked against the device); with
    // `layers` > 1, for a multiview batch of that many views.
    Result<std::unique_ptr<ViewTargets>> make_targets(uint32_t width, uint32_t height, uint32_t layers = 1);
    // How many views one multiview pass may draw (0: multiview is not used — the device
    // lacks it, VITRINE_NO_MULTIVIEW=1, or lavapipe without VITRINE_MULTIVIEW=force).
    uint32_t multiview_batch() const { return multiview_batch_; }
    // The prepared frame draws transmissive materials (their scene copy is per view) or
    // pyramid-textured ones (no multiview variant): such frames are drawn view by view.
    bool frame_transmits() const { return frame_transmits_; }
    bool frame_batches() const { return !frame_transmits_ && !frame_textured_; }
    // The pass canvases of `format` are drawn with (made once per format).
    VkRenderPass canvas_pass(VkFormat format);

    // Once per frame, before any draw(): the instances' lights, per-draw matrices and
    // deformed vertices go into the next frame slot (reused once the GPU is done with it).
    // `views`: how many draw() calls this frame will make (sizes the per-view uniform ring).
    // `images`: pyramids' frames, drawn after the opaque models.
    Result<void> prepare(std::span<const Instance> instances, const Look& look, uint32_t views,
                         std::span<const ImageInstance> images = {});
    // Lights of the room (a show's light nodes, world space), drawn with every frame's
    // instances' own lights until replaced.
    void set_room_lights(std::span<const shader::LightUniform> lights) { room_lights_.assign(lights.begin(), lights.end()); }
    // The submission (Context timeline value) that carries the prepared frame: its slot
    // is reused once that has completed. Until told, the slot waits for everything submitted.
    void frame_submitted(uint64_t submission) { frames_[current_].busy_until = submission; }
    // Records `view`: its scene into `targets` (sized as view.viewport), then tone
    // mapped into view.viewport of `canvas` (made with canvas_pass(format), in
    // COLOR_ATTACHMENT_OPTIMAL). Any number of views per prepared frame.
    // `timer` (optional) gets a mark after each pass.
    void draw(VkCommandBuffer cmd, const View& view, ViewTargets& targets, VkFramebuffer canvas, VkFormat format,
              gpu::PassTimer* timer = nullptr);
    // Records a batch of views in one multiview scene pass (layer i = views[i]), then
    // tone maps each layer into its rectangle — the same pixels draw() makes view by view.
    // The views share one picture size (targets: make_targets(w, h, views.size())), look
    // the same way (their sort order is the first view's), and are neither turned nor
    // overscanned; the frame does not transmit.
    void draw_batch(VkCommandBuffer cmd, std::span<const View> views, ViewTargets& targets, VkFramebuffer canvas,
                    VkFormat format, gpu::PassTimer* timer = nullptr);


private:
    explicit GpuScene(gpu::Context& ctx) : ctx_(ctx) {}
    VkPipeline pbr_pipeline(int features, bool blend, bool double_sided);
    VkPipeline pbr_batch_pipeline(int64_t key, uint32_t views);
    VkRenderPass batch_pass(uint32_t views);
    VkPipeline tonemap_pipeline(VkFormat format, bool layered);  // layered: reads a batch's layer
    shader::ViewUniforms view_uniforms(const View& view, const ViewTargets& t, bool split) const;
    void sort_draws(const View& view);
    void begin_scene_pass(VkCommandBuffer cmd, VkRenderPass pass, const ViewTargets& t);
    void record_tonemap(VkCommandBuffer cmd, const Rect& r, VkFramebuffer canvas, VkFormat format, VkDescriptorSet frame_set,
                        uint32_t dynamic_offset, const ViewTargets& t, int32_t layer);
    void record_draws(VkCommandBuffer cmd, const std::vector<uint32_t>& list, VkDescriptorSet frame_set,
                      uint32_t dynamic_offset, const ViewTargets& t, uint32_t batch_views);
    void write_environment(VkDescriptorSet set);
    Result<void> grow(gpu::Buffer& buffer, uint64_t bytes, VkBufferUsageFlags usage, uint32_t binding, VkDescriptorType type,
                      VkDescriptorSet set, uint64_t range);
    void copy_scene_color(VkCommandBuffer cmd, ViewTargets& t);
    void record_images(VkCommandBuffer cmd, VkDescriptorSet frame_set, uint32_t dynamic_offset, uint32_t batch_views);
    VkPipeline image_pipeline(uint32_t batch_views);  // 0: one view

    gpu::Context& ctx_;
    std::unique_ptr<gpu::PipelineCache> cache_;
    VkSampleCountFlagBits samples_ = VK_SAMPLE_COUNT_4_BIT;
    // scene_pass_: everything in one pass. With transmissive materials in view:
    // opaque_pass_, copy to scene_color, then transmission_pass_ (loads colour and depth).
    VkRenderPass scene_pass_ = VK_NULL_HANDLE, opaque_pass_ = VK_NULL_HANDLE, transmission_pass_ = VK_NULL_HANDLE;
    std::map<VkFormat, VkRenderPass> canvas_passes_;
    std::map<std::pair<VkFormat, bool>, VkPipeline> tonemaps_;
    VkDescriptorSetLayout frame_layout_ = VK_NULL_HANDLE, material_layout_ = VK_NULL_HANDLE, targets_layout_ = VK_NULL_HANDLE;
    VkPipelineLayout pbr_layout_ = VK_NULL_HANDLE, tonemap_layout_ = VK_NULL_HANDLE;
    std::map<int64_t, VkPipeline> pbr_;  // by (material features << 2 | blend << 1 | double sided)
    gpu::GraphicsPipelineDesc pbr_desc_, tonemap_desc_;
    // Multiview batches: a scene pass and PBR pipelines per batch size, a tone map reading a layer.
    uint32_t multiview_batch_ = 0;
    std::map<uint32_t, VkRenderPass> batch_passes_;
    std::map<std::pair<int64_t, uint32_t>, VkPipeline> pbr_batch_;
    VkPipelineLayout tonemap_layered_layout_ = VK_NULL_HANDLE;
    gpu::GraphicsPipelineDesc pbr_batch_desc_, tonemap_layered_desc_;
    bool frame_transmits_ = false, frame_textured_ = false;
    // Pyramids: the virtual texture, the image pipelines (per batch size; 0 = one view).
    std::unique_ptr<VirtualTexture> vt_;
    uint64_t tile_memory_ = 256ull << 20;
    uint32_t tile_fade_ = 0;
    VkPipelineLayout image_layout_ = VK_NULL_HANDLE;
    VkPipelineLayout pbr_vt_layout_ = VK_NULL_HANDLE;  // PBR + the virtual texture's set (FEATURE_PYRAMID)
    std::map<uint32_t, VkPipeline> image_pipelines_;
    std::vector<shader::ImageDraw> image_draws_;
    std::vector<VkShaderModule> modules_;
    VkDescriptorPool pool_ = VK_NULL_HANDLE;
    VkSampler target_sampler_ = VK_NULL_HANDLE;
    std::unique_ptr<Environment> env_;

    struct ModelEntry {
        const scene::Model* cpu = nullptr;
        std::unique_ptr<GpuModel> gpu;
    };
    std::vector<ModelEntry> models_;

    // One prepared frame. Reused once the submission after its prepare() has completed.
    struct FrameSlot {
        gpu::Buffer views, lights, draws, deformed;  // host-visible, grow only
        VkDescriptorSet set = VK_NULL_HANDLE;
        VkDescriptorSet batch_set = VK_NULL_HANDLE;  // the same, its views range MAX_MULTIVIEW long
        uint64_t busy_until = 0;  // submission value
        uint32_t views_used = 0, views_prepared = 0;
    };
    static constexpr uint32_t kFrameSlots = gpu::kFramesInFlight + 1;
    FrameSlot frames_[kFrameSlots];
    uint32_t current_ = 0;
    uint64_t view_stride_ = 256;

    // The prepared frame's draws, and scratch lists per view (reused: no allocation per frame).
    enum class Kind : uint8_t { Opaque, Transmissive, Blended };
    struct Draw {
        const GpuModel* model;
        const GpuPrimitive* prim;
        VkPipeline pipeline;
        uint32_t index;          // into the draws buffer (push constant)
        int64_t key;             // the pipeline's (features, blend, double sided), for batch pipelines
        int64_t deformed = -1;   // byte offset into the frame's deformed vertices, or -1
        Kind kind;
        glm::vec3 centre;        // world, for back-to-front sorting
    };
    std::vector<Draw> draws_;
    std::vector<uint32_t> opaque_, transmissive_, blended_;
    std::vector<float> depth_;
    std::vector<shader::LightUniform> lights_, room_lights_;
    std::vector<shader::DrawUniform> draw_data_;
    Look look_;
    uint32_t light_count_ = 0;
    bool warned_lights_ = false;
};

}  // namespace vitrine::render
