// The images one view draws its scene into before it is tone mapped onto a canvas:
// HDR colour (MSAA), depth, the resolved colour, and the half-size mipmapped copy of the
// opaque scene that transmissive materials see through. Sized to the view; reused by
// every view of that size in a frame, one after the other. Made by GpuScene. A multiview
// batch's targets have a layer per view (and no scene copy: batches never transmit).
#pragma once
#include "gpu/resources.h"

namespace vitrine::render {

struct ViewTargets {
    uint32_t width = 0, height = 0;
    uint32_t layers = 1;  // > 1: a multiview batch's targets, one layer per view
    gpu::Image color, depth, resolved, scene_color;  // resolved: empty without MSAA (colour is read)
    VkFramebuffer framebuffer = VK_NULL_HANDLE;      // for the scene passes
    VkDescriptorSet set = VK_NULL_HANDLE;            // BIND_SCENE_COLOR, BIND_HDR
    gpu::Context* ctx = nullptr;
    VkDescriptorPool pool = VK_NULL_HANDLE;

    ViewTargets() = default;
    ViewTargets(const ViewTargets&) = delete;
    ViewTargets& operator=(const ViewTargets&) = delete;
    ~ViewTargets();
    const gpu::Image& hdr() const { return resolved ? resolved : color; }
};

}  // namespace vitrine::render
