#include "gpu/upload_ring.h"

#include <algorithm>
#include <cstring>

namespace vitrine::gpu {

UploadRing::UploadRing(Context& ctx, uint64_t capacity) : ctx_(ctx), space_(std::max<uint64_t>(capacity, 1 << 20), 16) {
    auto b = Buffer::create(ctx, space_.capacity(), VK_BUFFER_USAGE_TRANSFER_SRC_BIT, MemoryUse::Upload);
    VITRINE_CHECK(b.ok());
    staging_ = std::move(b.value());
    ctx.name(VK_OBJECT_TYPE_BUFFER, staging_.handle(), "upload ring");
    VkCommandPoolCreateInfo pci{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    pci.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    pci.queueFamilyIndex = ctx.queue_family();
    VK_CHECK(vkCreateCommandPool(ctx.device(), &pci, nullptr, &pool_));
}

UploadRing::~UploadRing() {
    // The Context has waited for the device.
    staging_ = Buffer();
    vkDestroyCommandPool(ctx_.device(), pool_, nullptr);
}

Result<VkCommandBuffer> UploadRing::cmd() {
    if (open_) return open_;
    // Reuse a command buffer whose batch has completed.
    uint64_t done = ctx_.completed();
    for (size_t i = 0; i < in_flight_.size();) {
        if (in_flight_[i].first <= done) {
            free_.push_back(in_flight_[i].second);
            in_flight_.erase(in_flight_.begin() + long(i));
        } else {
            ++i;
        }
    }
    if (free_.empty()) {
        VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
        ai.commandPool = pool_;
        ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
        ai.commandBufferCount = 1;
        VkCommandBuffer c;
        VK_CHECK(vkAllocateCommandBuffers(ctx_.device(), &ai, &c));
        free_.push_back(c);
    }
    open_ = free_.back();
    free_.pop_back();
    VK_CHECK(vkResetCommandBuffer(open_, 0));
    VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    VK_CHECK(vkBeginCommandBuffer(open_, &bi));
    return open_;
}

VkCommandBuffer UploadRing::close_open_batch() {
    VkCommandBuffer c = open_;
    open_ = VK_NULL_HANDLE;
    if (c) VK_CHECK(vkEndCommandBuffer(c));
    return c;
}

void UploadRing::batch_submitted(VkCommandBuffer batch, uint64_t submission) {
    space_.close_batch(submission);
    in_flight_.emplace_back(submission, batch);
}

Result<void> UploadRing::submit_open_batch() {
    if (!open_) return {};
    auto v = ctx_.submit({});  // Context::submit takes the open batch
    if (!v) return v.error();
    return {};
}

Result<uint64_t> UploadRing::reserve(uint64_t bytes) {
    for (;;) {
        space_.release(ctx_.completed());
        if (auto at = space_.allocate(bytes)) return *at;
        // Full: the copies already recorded must run before their space can be reused.
        if (open_)
            if (auto r = submit_open_batch(); !r) return r.error();
        uint64_t oldest = space_.oldest_pending();
        if (oldest == 0) return fail(ErrorKind::Gpu, "upload ring: cannot place " + std::to_string(bytes) + " bytes");
        if (auto r = ctx_.wait(oldest); !r) return r.error();
    }
}

Result<void> UploadRing::to_buffer(VkBuffer dst, uint64_t dst_offset, const void* data, uint64_t bytes) {
    const uint64_t piece = space_.capacity() / 4;
    for (uint64_t done = 0; done < bytes;) {
        uint64_t n = std::min(piece, bytes - done);
        auto at = reserve(n);
        if (!at) return at.error();
        std::memcpy(static_cast<char*>(staging_.mapped()) + at.value(), static_cast<const char*>(data) + done, n);
        auto c = cmd();
        if (!c) return c.error();
        VkBufferCopy copy{at.value(), dst_offset + done, n};
        vkCmdCopyBuffer(c.value(), staging_.handle(), dst, 1, &copy);
        done += n;
    }
    return {};
}

Result<void> UploadRing::to_image(const Image& dst, const void* pixels, uint32_t texel_bytes) {
    return to_image_rect(dst, 0, 0, dst.desc().width, dst.desc().height, pixels, texel_bytes);
}

Result<void> UploadRing::to_image_rect(const Image& dst, int32_t x, int32_t y0, uint32_t width, uint32_t height,
                                       const void* pixels, uint32_t texel_bytes) {
    uint64_t row = uint64_t(width) * texel_bytes;
    uint64_t rows_per_piece = std::max<uint64_t>(1, (space_.capacity() / 4) / row);
    if (row > space_.capacity()) return fail(ErrorKind::Gpu, "upload ring: one image row is larger than the staging ring");
    for (uint32_t y = 0; y < height;) {
        uint32_t n = uint32_t(std::min<uint64_t>(rows_per_piece, height - y));
        auto at = reserve(row * n);
        if (!at) return at.error();
        std::memcpy(static_cast<char*>(staging_.mapped()) + at.value(), static_cast<const char*>(pixels) + row * y, row * n);
        auto c = cmd();
        if (!c) return c.error();
        VkBufferImageCopy copy{};
        copy.bufferOffset = at.value();
        copy.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
        copy.imageOffset = {x, y0 + int32_t(y), 0};
        copy.imageExtent = {width, n, 1};
        vkCmdCopyBufferToImage(c.value(), staging_.handle(), dst.handle(), VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &copy);
        y += n;
    }
    return {};
}

Result<void> UploadRing::flush() {
    if (auto r = submit_open_batch(); !r) return r.error();
    return ctx_.wait_all();
}

}  // namespace vitrine::gpu
