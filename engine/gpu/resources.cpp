#include "gpu/resources.h"

#include <algorithm>
#include <cstring>

#include <glm/gtc/packing.hpp>

#include "gpu/upload_ring.h"

namespace vitrine::gpu {

uint32_t mip_count(uint32_t w, uint32_t h) {
    uint32_t n = 1;
    while ((w | h) >> n) ++n;
    return n;
}

Result<Buffer> Buffer::create(Context& ctx, uint64_t size, VkBufferUsageFlags usage, MemoryUse use) {
    Buffer b;
    b.ctx_ = &ctx;
    b.size_ = size;
    VkBufferCreateInfo ci{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
    ci.size = std::max<uint64_t>(size, 4);
    ci.usage = usage;
    ci.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    VK_CHECK(vkCreateBuffer(ctx.device(), &ci, nullptr, &b.buffer_));
    VkMemoryRequirements req;
    vkGetBufferMemoryRequirements(ctx.device(), b.buffer_, &req);
    auto a = ctx.allocator().allocate(req, use, false);
    if (!a) return a.error();
    b.alloc_ = a.value();
    VK_CHECK(vkBindBufferMemory(ctx.device(), b.buffer_, b.alloc_.memory, b.alloc_.offset));
    return b;
}

Result<Buffer> Buffer::upload(Context& ctx, const void* data, uint64_t size, VkBufferUsageFlags usage) {
    auto dst = create(ctx, size, usage | VK_BUFFER_USAGE_TRANSFER_DST_BIT, MemoryUse::DeviceLocal);
    if (!dst) return dst.error();
    if (auto r = ctx.uploads().to_buffer(dst->handle(), 0, data, size); !r) return r.error();
    if (auto r = after_buffer_uploads(ctx); !r) return r.error();
    return dst;
}

Result<void> after_buffer_uploads(Context& ctx) {
    // Vertex, index, uniform and storage reads in later submissions wait for the copies.
    auto cmd = ctx.uploads().cmd();
    if (!cmd) return cmd.error();
    VkMemoryBarrier mb{VK_STRUCTURE_TYPE_MEMORY_BARRIER, nullptr, VK_ACCESS_TRANSFER_WRITE_BIT,
                       VK_ACCESS_VERTEX_ATTRIBUTE_READ_BIT | VK_ACCESS_INDEX_READ_BIT | VK_ACCESS_UNIFORM_READ_BIT |
                           VK_ACCESS_SHADER_READ_BIT};
    vkCmdPipelineBarrier(cmd.value(), VK_PIPELINE_STAGE_TRANSFER_BIT,
                         VK_PIPELINE_STAGE_VERTEX_INPUT_BIT | VK_PIPELINE_STAGE_VERTEX_SHADER_BIT |
                             VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT | VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                         0, 1, &mb, 0, nullptr, 0, nullptr);
    return {};
}

Buffer& Buffer::operator=(Buffer&& o) noexcept {
    if (this != &o) {
        reset();
        ctx_ = o.ctx_; buffer_ = o.buffer_; alloc_ = o.alloc_; size_ = o.size_;
        o.buffer_ = VK_NULL_HANDLE;
        o.alloc_ = {};
    }
    return *this;
}

void Buffer::reset() {
    if (!buffer_) return;
    Context* ctx = ctx_;
    VkBuffer buffer = buffer_;
    Allocation alloc = alloc_;
    ctx->defer([ctx, buffer, alloc] {
        vkDestroyBuffer(ctx->device(), buffer, nullptr);
        ctx->allocator().free(alloc);
    });
    buffer_ = VK_NULL_HANDLE;
    alloc_ = {};
}

VkImageAspectFlags Image::aspect() const {
    switch (desc_.format) {
        case VK_FORMAT_D32_SFLOAT:
        case VK_FORMAT_D16_UNORM: return VK_IMAGE_ASPECT_DEPTH_BIT;
        default: return VK_IMAGE_ASPECT_COLOR_BIT;
    }
}

Result<Image> Image::create(Context& ctx, const ImageDesc& desc) {
    Image img;
    img.ctx_ = &ctx;
    img.desc_ = desc;
    VkImageCreateInfo ci{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
    ci.flags = desc.cube ? VK_IMAGE_CREATE_CUBE_COMPATIBLE_BIT : 0;
    ci.imageType = VK_IMAGE_TYPE_2D;
    ci.format = desc.format;
    ci.extent = {desc.width, desc.height, 1};
    ci.mipLevels = desc.mips;
    ci.arrayLayers = desc.layers;
    ci.samples = desc.samples;
    ci.tiling = VK_IMAGE_TILING_OPTIMAL;
    ci.usage = desc.usage;
    ci.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
    VkResult r = vkCreateImage(ctx.device(), &ci, nullptr, &img.image_);
    if (r != VK_SUCCESS)
        return fail("cannot create a " + std::to_string(desc.width) + "x" + std::to_string(desc.height) + " image (" +
                    vk_result_name(r) + ")");
    VkMemoryRequirements req;
    vkGetImageMemoryRequirements(ctx.device(), img.image_, &req);
    auto a = ctx.allocator().allocate(req, MemoryUse::DeviceLocal, true);
    if (!a) return a.error();
    img.alloc_ = a.value();
    VK_CHECK(vkBindImageMemory(ctx.device(), img.image_, img.alloc_.memory, img.alloc_.offset));
    VkImageViewCreateInfo vi{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
    vi.image = img.image_;
    vi.viewType = desc.cube ? VK_IMAGE_VIEW_TYPE_CUBE : (desc.layers > 1 ? VK_IMAGE_VIEW_TYPE_2D_ARRAY : VK_IMAGE_VIEW_TYPE_2D);
    vi.format = desc.format;
    vi.subresourceRange = {img.aspect(), 0, desc.mips, 0, desc.layers};
    VK_CHECK(vkCreateImageView(ctx.device(), &vi, nullptr, &img.view_));
    return img;
}

VkImageView Image::mip_view(uint32_t mip) {
    if (mip_views_.empty()) mip_views_.assign(desc_.mips, VK_NULL_HANDLE);
    if (!mip_views_[mip]) {
        VkImageViewCreateInfo vi{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
        vi.image = image_;
        vi.viewType = desc_.layers > 1 ? VK_IMAGE_VIEW_TYPE_2D_ARRAY : VK_IMAGE_VIEW_TYPE_2D;
        vi.format = desc_.format;
        vi.subresourceRange = {aspect(), mip, 1, 0, desc_.layers};
        VK_CHECK(vkCreateImageView(ctx_->device(), &vi, nullptr, &mip_views_[mip]));
    }
    return mip_views_[mip];
}

Image& Image::operator=(Image&& o) noexcept {
    if (this != &o) {
        reset();
        ctx_ = o.ctx_; image_ = o.image_; view_ = o.view_; mip_views_ = std::move(o.mip_views_);
        alloc_ = o.alloc_; desc_ = o.desc_;
        o.image_ = VK_NULL_HANDLE; o.view_ = VK_NULL_HANDLE; o.mip_views_.clear(); o.alloc_ = {};
    }
    return *this;
}

void Image::reset() {
    if (!image_) return;
    Context* ctx = ctx_;
    VkImage image = image_;
    VkImageView view = view_;
    std::vector<VkImageView> mips = std::move(mip_views_);
    Allocation alloc = alloc_;
    ctx->defer([ctx, image, view, mips, alloc] {
        for (VkImageView v : mips)
            if (v) vkDestroyImageView(ctx->device(), v, nullptr);
        vkDestroyImageView(ctx->device(), view, nullptr);
        vkDestroyImage(ctx->device(), image, nullptr);
        ctx->allocator().free(alloc);
    });
    image_ = VK_NULL_HANDLE;
    view_ = VK_NULL_HANDLE;
    mip_views_.clear();
    alloc_ = {};
}

void image_barrier(VkCommandBuffer cmd, VkImage image, VkImageAspectFlags aspect, uint32_t mip, uint32_t mips,
                   uint32_t layers, VkImageLayout from, VkImageLayout to, VkPipelineStageFlags src_stage,
                   VkAccessFlags src_access, VkPipelineStageFlags dst_stage, VkAccessFlags dst_access) {
    VkImageMemoryBarrier b{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
    b.srcAccessMask = src_access;
    b.dstAccessMask = dst_access;
    b.oldLayout = from;
    b.newLayout = to;
    b.srcQueueFamilyIndex = b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
    b.image = image;
    b.subresourceRange = {aspect, mip, mips, 0, layers};
    vkCmdPipelineBarrier(cmd, src_stage, dst_stage, 0, 0, nullptr, 0, nullptr, 1, &b);
}

void transition(VkCommandBuffer cmd, const Image& image, VkImageLayout from, VkImageLayout to,
                VkPipelineStageFlags src_stage, VkAccessFlags src_access, VkPipelineStageFlags dst_stage,
                VkAccessFlags dst_access, int mip) {
    image_barrier(cmd, image.handle(), image.aspect(), mip < 0 ? 0u : uint32_t(mip), mip < 0 ? image.desc().mips : 1u,
                  image.desc().layers, from, to, src_stage, src_access, dst_stage, dst_access);
}

void generate_mips(VkCommandBuffer cmd, const Image& image, VkImageLayout mip0_layout, VkPipelineStageFlags mip0_stage,
                   VkAccessFlags mip0_access) {
    const ImageDesc& d = image.desc();
    const VkPipelineStageFlags TR = VK_PIPELINE_STAGE_TRANSFER_BIT;
    const VkPipelineStageFlags READERS = VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT | VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT;
    auto barrier = [&](uint32_t mip, uint32_t count, VkImageLayout from, VkImageLayout to, VkPipelineStageFlags src,
                       VkAccessFlags src_access, VkPipelineStageFlags dst, VkAccessFlags dst_access) {
        image_barrier(cmd, image.handle(), VK_IMAGE_ASPECT_COLOR_BIT, mip, count, d.layers, from, to, src, src_access, dst,
                      dst_access);
    };
    barrier(0, 1, mip0_layout, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, mip0_stage, mip0_access, TR, VK_ACCESS_TRANSFER_READ_BIT);
    for (uint32_t m = 1; m < d.mips; ++m) {
        // The level's old contents (last frame's, or nothing) are discarded; earlier shader reads finish first.
        barrier(m, 1, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, READERS | TR, 0, TR,
                VK_ACCESS_TRANSFER_WRITE_BIT);
        VkImageBlit blit{};
        blit.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, m - 1, 0, d.layers};
        blit.srcOffsets[1] = {int32_t(std::max(1u, d.width >> (m - 1))), int32_t(std::max(1u, d.height >> (m - 1))), 1};
        blit.dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, m, 0, d.layers};
        blit.dstOffsets[1] = {int32_t(std::max(1u, d.width >> m)), int32_t(std::max(1u, d.height >> m)), 1};
        vkCmdBlitImage(cmd, image.handle(), VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, image.handle(),
                       VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &blit, VK_FILTER_LINEAR);
        barrier(m, 1, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, TR,
                VK_ACCESS_TRANSFER_WRITE_BIT, TR, VK_ACCESS_TRANSFER_READ_BIT);
    }
    barrier(0, d.mips, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, TR,
            VK_ACCESS_TRANSFER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT, READERS, VK_ACCESS_SHADER_READ_BIT);
}

static Result<Image> upload_pixels(Context& ctx, const void* data, uint32_t texel_bytes, VkFormat format, uint32_t w,
                                   uint32_t h, bool mipmaps) {
    ImageDesc d;
    d.format = format;
    d.width = w;
    d.height = h;
    d.mips = mipmaps ? mip_count(w, h) : 1;
    d.usage = VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
    auto img = Image::create(ctx, d);
    if (!img) return img.error();
    Image& im = img.value();
    auto cmd = ctx.uploads().cmd();
    if (!cmd) return cmd.error();
    transition(cmd.value(), im, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
               VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, 0, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT);
    // Mip 0 streams through the staging ring in bands of rows (possibly several batches).
    if (auto r = ctx.uploads().to_image(im, data, texel_bytes); !r) return r.error();
    cmd = ctx.uploads().cmd();
    if (!cmd) return cmd.error();
    generate_mips(cmd.value(), im, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_PIPELINE_STAGE_TRANSFER_BIT,
                  VK_ACCESS_TRANSFER_WRITE_BIT);
    return img;
}

Result<Image> upload_texture(Context& ctx, const Image8& px, bool srgb, bool mipmaps) {
    if (px.width == 0 || px.height == 0) return fail("empty texture");
    return upload_pixels(ctx, px.rgba.data(), 4, srgb ? VK_FORMAT_R8G8B8A8_SRGB : VK_FORMAT_R8G8B8A8_UNORM, px.width,
                         px.height, mipmaps);
}

Result<Image> upload_texture_f16(Context& ctx, const ImageF& px) {
    std::vector<uint16_t> half(px.rgba.size());
    for (size_t i = 0; i < half.size(); ++i) half[i] = glm::packHalf1x16(std::min(px.rgba[i], 65000.0f));
    return upload_pixels(ctx, half.data(), 8, VK_FORMAT_R16G16B16A16_SFLOAT, px.width, px.height, false);
}

}  // namespace vitrine::gpu
