// Staging for everything uploaded to the GPU, with a fixed memory ceiling: a host-visible
// ring (RingSpace) and a batch command buffer that copies out of it. Data larger than
// the ring streams through it in pieces (images by bands of rows), so a model's whole
// texture set never sits in staging memory at once. Copies are submitted before the
// next frame's submission (Context::submit does that), so users need not wait.
#pragma once
#include <memory>

#include "core/result.h"
#include "gpu/resources.h"
#include "gpu/ring_space.h"

namespace vitrine::gpu {

class UploadRing {
public:
    UploadRing(Context& ctx, uint64_t capacity);
    ~UploadRing();

    // Copies `bytes` into `dst` at `dst_offset` (transfer-dst buffer).
    Result<void> to_buffer(VkBuffer dst, uint64_t dst_offset, const void* data, uint64_t bytes);
    // Copies tightly packed pixels (`texel_bytes` each) into mip 0 / layer 0 of `dst`,
    // which is in TRANSFER_DST_OPTIMAL layout.
    Result<void> to_image(const Image& dst, const void* pixels, uint32_t texel_bytes);
    // The same into the rectangle (x, y, width, height) of mip 0 / layer 0 (a page of an atlas).
    Result<void> to_image_rect(const Image& dst, int32_t x, int32_t y, uint32_t width, uint32_t height, const void* pixels,
                               uint32_t texel_bytes);
    // The batch's command buffer, for barriers and blits that belong with the copies.
    Result<VkCommandBuffer> cmd();

    bool has_open_batch() const { return open_ != VK_NULL_HANDLE; }
    // Submits the open batch on its own.
    Result<void> submit_open_batch();
    // For Context::submit, which puts the open batch first in every submission so the
    // copies run before the commands that read them, in the same submission.
    VkCommandBuffer close_open_batch();
    void batch_submitted(VkCommandBuffer batch, uint64_t submission);
    // Submits and waits for everything (load time, before reading back).
    Result<void> flush();

    uint64_t capacity() const { return space_.capacity(); }

private:
    // Room for `bytes` in the ring, retiring (waiting for) older batches when needed.
    Result<uint64_t> reserve(uint64_t bytes);

    Context& ctx_;
    Buffer staging_;
    RingSpace space_;
    VkCommandPool pool_ = VK_NULL_HANDLE;
    VkCommandBuffer open_ = VK_NULL_HANDLE;
    std::vector<std::pair<uint64_t, VkCommandBuffer>> in_flight_;  // submission, command buffer
    std::vector<VkCommandBuffer> free_;
};

}  // namespace vitrine::gpu
