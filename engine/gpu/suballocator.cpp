#include "gpu/suballocator.h"

#include "core/result.h"

namespace vitrine::gpu {

BlockSuballocator::BlockSuballocator(uint64_t size) : size_(size) {
    if (size) free_[0] = size;
}

std::optional<uint64_t> BlockSuballocator::allocate(uint64_t size, uint64_t alignment) {
    if (size == 0) size = 1;
    if (alignment == 0) alignment = 1;
    VITRINE_CHECK((alignment & (alignment - 1)) == 0);
    for (auto it = free_.begin(); it != free_.end(); ++it) {
        uint64_t start = it->first, len = it->second;
        uint64_t aligned = (start + alignment - 1) & ~(alignment - 1);
        if (aligned < start || aligned - start > len || len - (aligned - start) < size) continue;
        free_.erase(it);
        // The whole range [start, aligned+size) is owned by this allocation, so a
        // free gives back the alignment padding too.
        uint64_t end = aligned + size;
        if (start + len > end) free_[end] = start + len - end;
        allocated_[aligned] = {start, end - start};
        used_ += end - start;
        return aligned;
    }
    return std::nullopt;
}

void BlockSuballocator::free(uint64_t offset) {
    auto it = allocated_.find(offset);
    VITRINE_CHECK(it != allocated_.end());
    auto [start, len] = it->second;
    allocated_.erase(it);
    used_ -= len;
    auto next = free_.lower_bound(start);
    if (next != free_.end() && start + len == next->first) {
        len += next->second;
        next = free_.erase(next);
    }
    if (next != free_.begin()) {
        auto prev = std::prev(next);
        if (prev->first + prev->second == start) {
            prev->second += len;
            return;
        }
    }
    free_[start] = len;
}

}  // namespace vitrine::gpu
