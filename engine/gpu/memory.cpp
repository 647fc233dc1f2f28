#include "gpu/memory.h"

#include <algorithm>

namespace vitrine::gpu {

Allocator::Allocator(VkPhysicalDevice physical, VkDevice device) : device_(device) {
    vkGetPhysicalDeviceMemoryProperties(physical, &props_);
}

Allocator::~Allocator() {
    for (Block& b : blocks_)
        if (b.memory) vkFreeMemory(device_, b.memory, nullptr);
}

int Allocator::find_type(uint32_t bits, MemoryUse use) const {
    VkMemoryPropertyFlags want = 0, prefer = 0;
    switch (use) {
        case MemoryUse::DeviceLocal: want = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT; break;
        case MemoryUse::Upload: want = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT; break;
        case MemoryUse::Readback:
            want = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
            prefer = VK_MEMORY_PROPERTY_HOST_CACHED_BIT;
            break;
    }
    int fallback = -1;
    for (uint32_t i = 0; i < props_.memoryTypeCount; ++i) {
        if (!(bits & (1u << i))) continue;
        VkMemoryPropertyFlags f = props_.memoryTypes[i].propertyFlags;
        if ((f & want) != want) continue;
        if ((f & prefer) == prefer) return int(i);
        if (fallback < 0) fallback = int(i);
    }
    return fallback;
}

Result<Allocation> Allocator::allocate(const VkMemoryRequirements& req, MemoryUse use, bool image) {
    int type = find_type(req.memoryTypeBits, use);
    if (type < 0 && use == MemoryUse::DeviceLocal) type = find_type(req.memoryTypeBits, MemoryUse::Upload);
    if (type < 0) return fail(ErrorKind::Gpu, "no suitable GPU memory type");
    // Large resources (textures of scans, render targets) get a block of their own size:
    // sharing blocks with them wastes the rest, and on a CPU device that is RAM.
    bool dedicated = req.size >= kBlockSize / 4;
    for (size_t i = 0; i < blocks_.size() && !dedicated; ++i) {
        Block& b = blocks_[i];
        if (!b.memory || b.dedicated || b.type != uint32_t(type) || b.image != image) continue;
        if (auto off = b.ranges->allocate(req.size, req.alignment))
            return Allocation{b.memory, *off, req.size, b.mapped ? static_cast<char*>(b.mapped) + *off : nullptr, int(i)};
    }
    Block b;
    uint64_t rounded = (req.size + 0xFFFF) & ~uint64_t(0xFFFF);
    uint64_t size = dedicated ? rounded : std::max(kBlockSize, rounded);
    VkMemoryAllocateInfo info{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, nullptr, size, uint32_t(type)};
    VkResult r = vkAllocateMemory(device_, &info, nullptr, &b.memory);
    if (r != VK_SUCCESS)
        return fail(ErrorKind::Gpu, "out of GPU memory allocating " + std::to_string(size >> 20) + " MiB (" +
                                        vk_result_name(r) + ")");
    b.type = uint32_t(type);
    b.dedicated = dedicated;
    b.image = image;
    if (props_.memoryTypes[type].propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT)
        VK_CHECK(vkMapMemory(device_, b.memory, 0, VK_WHOLE_SIZE, 0, &b.mapped));
    b.ranges = std::make_unique<BlockSuballocator>(size);
    auto off = b.ranges->allocate(req.size, req.alignment);
    VITRINE_CHECK(off.has_value());
    auto slot = std::find_if(blocks_.begin(), blocks_.end(), [](const Block& x) { return !x.memory; });
    size_t index = size_t(slot - blocks_.begin());
    if (slot == blocks_.end()) blocks_.push_back(std::move(b));
    else *slot = std::move(b);
    Block& placed = blocks_[index];
    return Allocation{placed.memory, *off, req.size, placed.mapped ? static_cast<char*>(placed.mapped) + *off : nullptr,
                      int(index)};
}

void Allocator::free(const Allocation& a) {
    if (a.block < 0) return;
    Block& b = blocks_[size_t(a.block)];
    b.ranges->free(a.offset);
    if (b.ranges->empty()) {  // give whole blocks back so a long-running kiosk does not grow
        vkFreeMemory(device_, b.memory, nullptr);
        b = Block{};
    }
}

uint64_t Allocator::bytes_in_blocks() const {
    uint64_t s = 0;
    for (const Block& b : blocks_)
        if (b.memory) s += b.ranges->size();
    return s;
}

uint64_t Allocator::bytes_used() const {
    uint64_t s = 0;
    for (const Block& b : blocks_)
        if (b.memory) s += b.ranges->used();
    return s;
}

}  // namespace vitrine::gpu
