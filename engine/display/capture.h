// Reads a canvas back to memory without stalling the frame loop: the copy is recorded
// into the frame's command buffer, into a buffer of that frame slot; the pixels are
// taken once the slot's submission has completed (when the slot comes round again).
#pragma once
#include <array>

#include "core/image.h"
#include "gpu/resources.h"

namespace vitrine::display {

class Capture {
public:
    explicit Capture(gpu::Context& ctx) : ctx_(ctx) {}
    // `image` is in TRANSFER_SRC_OPTIMAL; 8-bit RGBA or BGRA (swizzled to RGBA on take).
    Result<void> record(VkCommandBuffer cmd, uint32_t slot, VkImage image, VkFormat format, VkExtent2D extent);
    bool pending(uint32_t slot) const { return slots_[slot].pending; }
    // The slot's submission has completed: its pixels.
    Image8 take(uint32_t slot);

private:
    struct Slot {
        gpu::Buffer buffer;
        VkExtent2D extent{};
        bool bgra = false, pending = false;
    };
    gpu::Context& ctx_;
    std::array<Slot, gpu::kFramesInFlight> slots_;
};

}  // namespace vitrine::display
