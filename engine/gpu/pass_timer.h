// GPU time per pass from timestamp queries, so anyone can see where a frame goes. One
// query pool per frame slot; a slot's times are read once its submission has completed.
// Disabled (all no-ops) where the queue has no timestamps.
#pragma once
#include <array>
#include <string>
#include <vector>

#include "gpu/context.h"

namespace vitrine::gpu {

class PassTimer {
public:
    explicit PassTimer(Context& ctx);
    ~PassTimer();
    PassTimer(const PassTimer&) = delete;
    PassTimer& operator=(const PassTimer&) = delete;

    void begin(VkCommandBuffer cmd, uint32_t slot);   // outside a render pass
    void mark(VkCommandBuffer cmd, const char* pass);  // the time since the previous mark was `pass`
    void collect(uint32_t slot);                       // the slot's submission has completed
    void reset();
    // "scene 12.10, tone map 1.30, ..." milliseconds per collected frame.
    std::string report() const;

private:
    static constexpr uint32_t kQueries = 64;
    Context& ctx_;
    bool enabled_ = false;
    double ns_per_tick_ = 1;
    std::array<VkQueryPool, kFramesInFlight> pools_{};
    std::array<std::vector<const char*>, kFramesInFlight> names_;
    uint32_t slot_ = 0;
    std::vector<std::pair<std::string, double>> totals_;  // pass, milliseconds
    uint64_t frames_ = 0;
};

}  // namespace vitrine::gpu
