// The picture an output sends somewhere — a file's image, the window's swapchain images,
// later an LED processor's canvas or a quilt — and the views drawn into rectangles of it.
// Owns the framebuffers of its images and the view targets (one set per view size,
// shared by every view of that size in a frame).
#pragma once
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "display/overlay.h"
#include "render/gpu_scene.h"
#include "render/interleave.h"
#include "render/warp.h"
#include "room/quilt.h"

namespace vitrine::display {

// Drawn after every view of a frame, over the tone-mapped picture, with the canvas in
// COLOR_ATTACHMENT_OPTIMAL: `pass` loads and stores it (where the editor's panels go).
using Overlay = std::function<void(VkCommandBuffer cmd, VkRenderPass pass, VkFramebuffer framebuffer, VkExtent2D extent)>;

class Canvas {
public:
    Canvas(gpu::Context& ctx, render::GpuScene& scene, VkFormat format, VkExtent2D extent,
           std::span<const VkImageView> images);
    ~Canvas();
    Canvas(const Canvas&) = delete;
    Canvas& operator=(const Canvas&) = delete;

    // A lenticular panel: views are drawn into a quilt of the panel's layout, which the
    // interleave pass then maps onto this canvas's pixels every frame.
    Result<void> set_lenticular(const room::Lenticular& lkg);

    // A wall's curved (mesh) screens: each frame, every mesh screen's eye picture is drawn
    // (through its frustum from the eye) into an image of its own and warped onto the
    // canvas through the mesh's UVs, the canvas fitted into this output as fit_views does.
    Result<void> set_mesh_screens(const room::DisplayFile& display);
    void set_eye(const glm::dvec3& eye) { eye_ = eye; }
    // Views this canvas draws besides the ones it is given (GpuScene::prepare counts them).
    uint32_t extra_views() const { return uint32_t(meshes_.size()); }

    VkFormat format() const { return format_; }
    VkExtent2D extent() const { return extent_; }

    // Records into image `index` (its contents are discarded): black everywhere, then
    // each view into its rectangle; the image is left COLOR_ATTACHMENT_OPTIMAL. The
    // frame must have been prepared for views.size() views. Last, over the finished
    // picture (after the interleave on a lenticular panel): `overlay`, then `panels`
    // through this canvas's OverlayPass (made on first use) with the buffers of frame
    // slot `slot` (the frame loop's: the GPU is done with that slot's last frame).
    Result<void> draw(VkCommandBuffer cmd, uint32_t index, VkImage image, std::span<const render::View> views,
                      const Overlay* overlay = nullptr, gpu::PassTimer* timer = nullptr,
                      const OverlayList* panels = nullptr, uint32_t slot = 0);

private:
    Result<render::ViewTargets*> targets(uint32_t width, uint32_t height, uint32_t layers);
    static size_t batchable(std::span<const render::View> views, uint32_t limit);
    gpu::Context& ctx_;
    render::GpuScene& scene_;
    VkFormat format_;
    VkExtent2D extent_;
    std::vector<VkFramebuffer> framebuffers_;
    struct Targets {
        std::unique_ptr<render::ViewTargets> targets;
        uint64_t last_frame = 0;  // the draw() that last used them
    };
    std::vector<Targets> targets_;
    uint64_t frame_ = 0;
    // Lenticular: the quilt, its own canvas, the interleave pass and its parameters.
    gpu::Image quilt_;
    std::unique_ptr<Canvas> quilt_canvas_;
    std::unique_ptr<render::InterleavePass> interleave_;
    shader::InterleaveParams interleave_params_{};
    // Mesh screens: the eye, and per screen its picture, that picture's canvas and size.
    struct MeshScreen {
        room::Screen screen;
        gpu::Image picture;
        std::unique_ptr<Canvas> canvas;
        uint32_t width = 0, height = 0;
        room::Frustum frustum;  // the last one drawn through
    };
    std::vector<MeshScreen> meshes_;
    std::unique_ptr<render::WarpPass> warp_;
    std::unique_ptr<OverlayPass> panels_;
    room::Viewer viewer_;
    glm::dvec3 eye_{0};
    double display_w_ = 0, display_h_ = 0;
};

}  // namespace vitrine::display
