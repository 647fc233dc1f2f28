#include "gpu/pass_timer.h"

#include <algorithm>
#include <cstdio>

namespace vitrine::gpu {

PassTimer::PassTimer(Context& ctx) : ctx_(ctx) {
    const VkPhysicalDeviceLimits& l = ctx.properties().limits;
    uint32_t n = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(ctx.physical(), &n, nullptr);
    std::vector<VkQueueFamilyProperties> qf(n);
    vkGetPhysicalDeviceQueueFamilyProperties(ctx.physical(), &n, qf.data());
    enabled_ = l.timestampComputeAndGraphics && qf[ctx.queue_family()].timestampValidBits > 0;
    ns_per_tick_ = l.timestampPeriod;
    if (!enabled_) return;
    for (VkQueryPool& p : pools_) {
        VkQueryPoolCreateInfo ci{VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO};
        ci.queryType = VK_QUERY_TYPE_TIMESTAMP;
        ci.queryCount = kQueries;
        VK_CHECK(vkCreateQueryPool(ctx.device(), &ci, nullptr, &p));
    }
}

PassTimer::~PassTimer() {
    VkDevice dev = ctx_.device();
    auto pools = pools_;
    ctx_.defer([dev, pools] {
        for (VkQueryPool p : pools)
            if (p) vkDestroyQueryPool(dev, p, nullptr);
    });
}

void PassTimer::begin(VkCommandBuffer cmd, uint32_t slot) {
    slot_ = slot;
    names_[slot].clear();
    if (!enabled_) return;
    vkCmdResetQueryPool(cmd, pools_[slot], 0, kQueries);
    vkCmdWriteTimestamp(cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, pools_[slot], 0);
}

void PassTimer::mark(VkCommandBuffer cmd, const char* pass) {
    if (!enabled_ || names_[slot_].size() + 1 >= kQueries) return;
    names_[slot_].push_back(pass);
    vkCmdWriteTimestamp(cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, pools_[slot_], uint32_t(names_[slot_].size()));
}

void PassTimer::collect(uint32_t slot) {
    if (!enabled_ || names_[slot].empty()) return;
    uint64_t ticks[kQueries];
    uint32_t count = uint32_t(names_[slot].size()) + 1;
    if (vkGetQueryPoolResults(ctx_.device(), pools_[slot], 0, count, sizeof ticks, ticks, sizeof(uint64_t),
                              VK_QUERY_RESULT_64_BIT) != VK_SUCCESS)
        return;
    for (uint32_t i = 1; i < count; ++i) {
        double ms = double(ticks[i] - ticks[i - 1]) * ns_per_tick_ * 1e-6;
        std::string name = names_[slot][i - 1];
        auto it = std::find_if(totals_.begin(), totals_.end(), [&](auto& t) { return t.first == name; });
        if (it == totals_.end()) totals_.emplace_back(name, ms);
        else it->second += ms;
    }
    names_[slot].clear();
    ++frames_;
}

void PassTimer::reset() {
    totals_.clear();
    frames_ = 0;
}

std::string PassTimer::report() const {
    if (!enabled_) return "no timestamps on this queue";
    std::string out;
    for (auto& [name, ms] : totals_) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "%s%s %.2f", out.empty() ? "" : ", ", name.c_str(), frames_ ? ms / double(frames_) : 0.0);
        out += buf;
    }
    return out.empty() ? "no frames timed" : out;
}

}  // namespace vitrine::gpu
