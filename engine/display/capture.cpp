#include "display/capture.h"

#include <cstring>

namespace vitrine::display {

Result<void> Capture::record(VkCommandBuffer cmd, uint32_t slot, VkImage image, VkFormat format, VkExtent2D extent) {
    Slot& s = slots_[slot];
    uint64_t bytes = uint64_t(extent.width) * extent.height * 4;
    if (!s.buffer || s.buffer.size() < bytes) {
        auto b = gpu::Buffer::create(ctx_, bytes, VK_BUFFER_USAGE_TRANSFER_DST_BIT, gpu::MemoryUse::Readback);
        if (!b) return b.error();
        s.buffer = std::move(b.value());
    }
    s.extent = extent;
    s.bgra = format == VK_FORMAT_B8G8R8A8_SRGB || format == VK_FORMAT_B8G8R8A8_UNORM;
    VkBufferImageCopy copy{};
    copy.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
    copy.imageExtent = {extent.width, extent.height, 1};
    vkCmdCopyImageToBuffer(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, s.buffer.handle(), 1, &copy);
    VkMemoryBarrier mb{VK_STRUCTURE_TYPE_MEMORY_BARRIER, nullptr, VK_ACCESS_TRANSFER_WRITE_BIT, VK_ACCESS_HOST_READ_BIT};
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &mb, 0, nullptr, 0, nullptr);
    s.pending = true;
    return {};
}

Image8 Capture::take(uint32_t slot) {
    Slot& s = slots_[slot];
    Image8 out;
    out.width = s.extent.width;
    out.height = s.extent.height;
    out.rgba.resize(size_t(out.width) * out.height * 4);
    std::memcpy(out.rgba.data(), s.buffer.mapped(), out.rgba.size());
    if (s.bgra)
        for (size_t i = 0; i < out.rgba.size(); i += 4) std::swap(out.rgba[i], out.rgba[i + 2]);
    s.pending = false;
    return out;
}

}  // namespace vitrine::display
