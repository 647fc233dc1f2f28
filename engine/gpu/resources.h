// RAII GPU buffers and images. Destruction goes through Context::defer, so an
// object dropped mid-frame lives until the GPU is done with it. Move-only.
#pragma once
#include <cstdint>
#include <vector>

#include "core/result.h"
#include "core/image.h"
#include "gpu/context.h"

namespace vitrine::gpu {

class Buffer {
public:
    Buffer() = default;
    static Result<Buffer> create(Context& ctx, uint64_t size, VkBufferUsageFlags usage, MemoryUse use);
    // Device-local buffer filled from `data` through a staging copy (load time).
    static Result<Buffer> upload(Context& ctx, const void* data, uint64_t size, VkBufferUsageFlags usage);
    ~Buffer() { reset(); }
    Buffer(Buffer&& o) noexcept { *this = std::move(o); }
    Buffer& operator=(Buffer&& o) noexcept;

    void reset();
    VkBuffer handle() const { return buffer_; }
    uint64_t size() const { return size_; }
    void* mapped() const { return alloc_.mapped; }  // null unless Upload/Readback
    explicit operator bool() const { return buffer_ != VK_NULL_HANDLE; }

private:
    Context* ctx_ = nullptr;
    VkBuffer buffer_ = VK_NULL_HANDLE;
    Allocation alloc_;
    uint64_t size_ = 0;
};

struct ImageDesc {
    VkFormat format = VK_FORMAT_R8G8B8A8_UNORM;
    uint32_t width = 1, height = 1, mips = 1, layers = 1;
    VkSampleCountFlagBits samples = VK_SAMPLE_COUNT_1_BIT;
    VkImageUsageFlags usage = VK_IMAGE_USAGE_SAMPLED_BIT;
    bool cube = false;  // layers == 6, viewed as a cube map
};

class Image {
public:
    Image() = default;
    static Result<Image> create(Context& ctx, const ImageDesc& desc);
    ~Image() { reset(); }
    Image(Image&& o) noexcept { *this = std::move(o); }
    Image& operator=(Image&& o) noexcept;

    void reset();
    VkImage handle() const { return image_; }
    VkImageView view() const { return view_; }  // all mips and layers
    // A view of one mip level with every layer as a 2D array (storage writes).
    VkImageView mip_view(uint32_t mip);
    const ImageDesc& desc() const { return desc_; }
    VkImageAspectFlags aspect() const;
    explicit operator bool() const { return image_ != VK_NULL_HANDLE; }

private:
    Context* ctx_ = nullptr;
    VkImage image_ = VK_NULL_HANDLE;
    VkImageView view_ = VK_NULL_HANDLE;
    std::vector<VkImageView> mip_views_;
    Allocation alloc_;
    ImageDesc desc_;
};

// One image memory barrier over mips [mip, mip + mips) and every layer in `layers`.
void image_barrier(VkCommandBuffer cmd, VkImage image, VkImageAspectFlags aspect, uint32_t mip, uint32_t mips,
                   uint32_t layers, VkImageLayout from, VkImageLayout to, VkPipelineStageFlags src_stage,
                   VkAccessFlags src_access, VkPipelineStageFlags dst_stage, VkAccessFlags dst_access);

// After copies into buffers through the upload ring: later reads wait for them.
Result<void> after_buffer_uploads(Context& ctx);

// Layout transition covering all mips and layers (or one mip when mip >= 0).
void transition(VkCommandBuffer cmd, const Image& image, VkImageLayout from, VkImageLayout to,
                VkPipelineStageFlags src_stage, VkAccessFlags src_access, VkPipelineStageFlags dst_stage,
                VkAccessFlags dst_access, int mip = -1);

// The one mip-chain builder: mips 1.. of every layer from mip 0 by linear blits. Mip 0 is
// in `mip0_layout`, last written by `mip0_stage`/`mip0_access`; other levels' contents are
// discarded. Every level ends SHADER_READ_ONLY_OPTIMAL for fragment and compute shaders.
void generate_mips(VkCommandBuffer cmd, const Image& image, VkImageLayout mip0_layout, VkPipelineStageFlags mip0_stage,
                   VkAccessFlags mip0_access);

// Uploads RGBA8 pixels to mip 0 and builds the mip chain with linear blits on the
// GPU; leaves the image SHADER_READ_ONLY_OPTIMAL. The copies stream through the
// Context's upload ring and run before the next submission; no wait here.
Result<Image> upload_texture(Context& ctx, const Image8& pixels, bool srgb, bool mipmaps);
Result<Image> upload_texture_f16(Context& ctx, const ImageF& pixels);

uint32_t mip_count(uint32_t width, uint32_t height);

}  // namespace vitrine::gpu
