// Device memory: 64 MiB blocks per memory type, sub-allocated (there is no VMA in
// Debian); resources of 16 MiB and more get a block of their own size. Buffers and
// optimal-tiling images live in separate blocks, so bufferImageGranularity never matters.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "core/result.h"
#include "gpu/suballocator.h"
#include "gpu/vk.h"

namespace vitrine::gpu {

struct Allocation {
    VkDeviceMemory memory = VK_NULL_HANDLE;
    uint64_t offset = 0, size = 0;
    void* mapped = nullptr;  // host-visible memory stays mapped for its lifetime
    int block = -1;
};

enum class MemoryUse { DeviceLocal, Upload, Readback };

class Allocator {
public:
    static constexpr uint64_t kBlockSize = 64ull << 20;

    Allocator(VkPhysicalDevice physical, VkDevice device);
    ~Allocator();
    Allocator(const Allocator&) = delete;
    Allocator& operator=(const Allocator&) = delete;

    Result<Allocation> allocate(const VkMemoryRequirements& req, MemoryUse use, bool image);
    void free(const Allocation& a);

    uint64_t bytes_in_blocks() const;  // device memory held, for bench reports
    uint64_t bytes_used() const;

private:
    struct Block {
        VkDeviceMemory memory = VK_NULL_HANDLE;
        uint32_t type = 0;
        bool image = false;
        bool dedicated = false;  // one large resource, never shared
        void* mapped = nullptr;
        std::unique_ptr<BlockSuballocator> ranges;
    };
    int find_type(uint32_t bits, MemoryUse use) const;

    VkDevice device_;
    VkPhysicalDeviceMemoryProperties props_{};
    std::vector<Block> blocks_;  // freed blocks leave a null slot, reused later
};

}  // namespace vitrine::gpu
