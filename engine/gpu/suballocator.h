// Range bookkeeping inside one memory block: first-fit with alignment, freed ranges
// merge with their neighbours. Pure C++, so it is unit tested without a GPU.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>

namespace vitrine::gpu {

class BlockSuballocator {
public:
    explicit BlockSuballocator(uint64_t size);

    // Offset of a new range of `size` bytes aligned to `alignment` (a power of two),
    // or nullopt when no free range fits.
    std::optional<uint64_t> allocate(uint64_t size, uint64_t alignment);
    // Frees the range that allocate() returned at `offset`. Unknown offsets are a bug.
    void free(uint64_t offset);

    uint64_t size() const { return size_; }
    uint64_t used() const { return used_; }
    bool empty() const { return allocated_.empty(); }
    size_t free_ranges() const { return free_.size(); }

private:
    uint64_t size_, used_ = 0;
    std::map<uint64_t, uint64_t> free_;               // offset -> length
    std::unordered_map<uint64_t, std::pair<uint64_t, uint64_t>> allocated_;  // offset -> (range start, range length)
};

}  // namespace vitrine::gpu
