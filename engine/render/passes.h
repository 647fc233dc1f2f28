// The render passes of a view: the scene pass (HDR, MSAA, resolve) in three flavours,
// and the canvas pass that tone maps one view into its rectangle of an output.
#pragma once
#include "gpu/vk.h"

namespace vitrine::render {

constexpr VkFormat kHdrFormat = VK_FORMAT_R16G16B16A16_SFLOAT;
constexpr VkFormat kDepthFormat = VK_FORMAT_D32_SFLOAT;

// `clear` starts from nothing (else the colour and depth of an earlier pass are
// loaded); `store` keeps colour and depth for a later pass. MSAA resolves every time.
// A `view_mask` (bit i: layer i) draws a multiview batch into layered attachments.
VkRenderPass make_scene_pass(VkDevice device, VkSampleCountFlagBits samples, bool clear, bool store, uint32_t view_mask = 0);

// Loads what other views wrote and writes only its render area; the canvas stays in
// COLOR_ATTACHMENT_OPTIMAL before and after, so the display decides the final layout
// (present, read back) and overlays (the editor) can draw after it.
VkRenderPass make_canvas_pass(VkDevice device, VkFormat format);

}  // namespace vitrine::render
