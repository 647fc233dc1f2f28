// Draws a posed model into HDR multisampled targets, resolves, then composites,
// tone maps and writes an output image (a file's image or a swapchain image).
// Passes: scene (MSAA colour + depth -> resolve), output (fullscreen tone map).
#pragma once
#include <array>
#include <map>
#include <memory>

#include "gpu/pipeline.h"
#include "gpu/resources.h"
#include "render/environment.h"
#include "render/gpu_model.h"
#include "render/view.h"
#include "scene/pose.h"

namespace vitrine::render {

class Renderer {
public:
    // `output_format` is the format of the images the output pass writes;
    // `output_layout` the layout they are left in (TRANSFER_SRC or PRESENT_SRC).
    static Result<std::unique_ptr<Renderer>> create(gpu::Context& ctx, VkFormat output_format,
                                                    VkImageLayout output_layout);
    ~Renderer();

    // Load time (no frame in flight): lighting and content.
    Result<void> set_environment(const ImageF& equirect);
    Result<void> set_model(const scene::Model& model);  // the model must outlive the renderer's use of it
    // Sizes the HDR targets; no frame may be in flight.
    Result<void> resize(uint32_t width, uint32_t height);

    VkFramebuffer make_output_framebuffer(VkImageView view) const;
    VkRenderPass output_pass() const { return output_pass_; }
    VkSampleCountFlagBits samples() const { return samples_; }

    // Records one frame for frame slot `slot` (0..kFramesInFlight-1): the caller has
    // waited for that slot's previous fence.
    Result<void> record(VkCommandBuffer cmd, uint32_t slot, const scene::Pose& pose, const View& view, const Look& look,
                        VkFramebuffer output);

    uint64_t texture_bytes() const { return model_ ? model_->texture_bytes() : 0; }

private:
    explicit Renderer(gpu::Context& ctx) : ctx_(ctx) {}
    void write_frame_sets();
    void copy_scene_color(VkCommandBuffer cmd);

    gpu::Context& ctx_;
    VkFormat output_format_{};
    VkSampleCountFlagBits samples_ = VK_SAMPLE_COUNT_4_BIT;
    // scene_pass_: everything in one pass. With transmissive materials: opaque_pass_,
    // copy to scene_color_, then transmission_pass_ (loads colour and depth).
    VkRenderPass scene_pass_ = VK_NULL_HANDLE, opaque_pass_ = VK_NULL_HANDLE, transmission_pass_ = VK_NULL_HANDLE;
    VkRenderPass output_pass_ = VK_NULL_HANDLE;
    VkDescriptorSetLayout frame_layout_ = VK_NULL_HANDLE, material_layout_ = VK_NULL_HANDLE, tonemap_layout_ = VK_NULL_HANDLE;
    VkPipelineLayout pbr_layout_ = VK_NULL_HANDLE, tonemap_pipeline_layout_ = VK_NULL_HANDLE;
    // PBR pipelines by (material features << 2 | blend << 1 | double sided), made at
    // load for every material of the model and kept for the renderer's lifetime.
    std::map<int64_t, VkPipeline> pbr_;
    gpu::GraphicsPipelineDesc pbr_desc_;
    VkPipeline pbr_pipeline(int features, bool blend, bool double_sided);
    VkPipeline tonemap_ = VK_NULL_HANDLE;
    std::vector<VkShaderModule> modules_;
    VkDescriptorPool pool_ = VK_NULL_HANDLE;
    VkSampler target_sampler_ = VK_NULL_HANDLE;

    struct Slot {
        gpu::Buffer frame_ubo;
        gpu::Buffer dynamic_vertices;  // skinned / morphed vertices of this frame
        VkDescriptorSet frame_set = VK_NULL_HANDLE, tonemap_set = VK_NULL_HANDLE;
    };
    std::array<Slot, gpu::kFramesInFlight> slots_;

    uint32_t width_ = 0, height_ = 0;
    gpu::Image color_msaa_, depth_, resolved_, scene_color_;
    VkFramebuffer scene_fb_ = VK_NULL_HANDLE;

    std::unique_ptr<Environment> env_;
    const scene::Model* scene_ = nullptr;
    std::unique_ptr<GpuModel> model_;
};

}  // namespace vitrine::render
