// The counted Vulkan calls (gpu/vk.h maps the engine's calls onto them) and the report.
// This file calls the real entry points: it must not see vk.h's mapping.
#define VITRINE_VK_UNCOUNTED 1
#include "gpu/live_objects.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <type_traits>
#include <unordered_map>

#include "gpu/vk.h"

namespace vitrine::gpu {

namespace {

std::array<std::atomic<int64_t>, kLiveKinds> g_live{};
std::atomic<int64_t> g_memory_bytes{0};

// Sets and command buffers per pool (freed with it), memory block sizes.
std::mutex g_mutex;
std::unordered_map<uint64_t, int64_t> g_sets_in_pool, g_buffers_in_pool, g_memory_size;

template <typename H>
uint64_t key(H handle) {  // non-dispatchable handles: pointers on 64-bit hosts, uint64_t on 32-bit ones
    if constexpr (std::is_pointer_v<H>) return uint64_t(reinterpret_cast<uintptr_t>(handle));
    else return uint64_t(handle);
}

void add(Live k, int64_t n = 1) { g_live[size_t(k)].fetch_add(n, std::memory_order_relaxed); }
void sub(Live k, int64_t n = 1) { g_live[size_t(k)].fetch_sub(n, std::memory_order_relaxed); }

template <typename H>
void created(VkResult r, Live k, const H* handle) {
    if (r == VK_SUCCESS && handle && *handle) add(k);
}
template <typename H>
void destroyed(Live k, H handle) {
    if (handle) sub(k);
}

// Per-frame trend: the counts at the last two frames numbered 2^k, the last frame, the peak.
struct Trend {
    std::mutex mutex;
    uint64_t frames = 0;
    LiveObjects at[2];
    Resident at_resident[2];
    uint64_t at_frame[2] = {0, 0};
    LiveObjects last;
    Resident last_resident;
    int64_t peak = 0;
};
Trend g_trend;

double mib(int64_t kb) { return double(kb) / 1024.0; }

}  // namespace

const char* live_name(Live k) {
    static const char* names[kLiveKinds] = {
        "buffer",       "image",          "image_view",   "memory",        "sampler",     "descriptor_pool",
        "descriptor_set", "set_layout",   "command_pool", "command_buffer", "pipeline",   "pipeline_layout",
        "pipeline_cache", "shader_module", "render_pass", "framebuffer",   "semaphore",   "fence",
        "query_pool",   "swapchain"};
    return names[size_t(k)];
}

int64_t LiveObjects::total() const {
    int64_t t = 0;
    for (int64_t c : count) t += c;
    return t;
}

LiveObjects live_objects() {
    LiveObjects o;
    for (size_t i = 0; i < kLiveKinds; ++i) o.count[i] = g_live[i].load(std::memory_order_relaxed);
    o.memory_bytes = g_memory_bytes.load(std::memory_order_relaxed);
    return o;
}

Resident resident() {
    Resident r;
    std::FILE* f = std::fopen("/proc/self/status", "r");
    if (!f) return r;
    char line[256];
    while (std::fgets(line, sizeof line, f)) {
        long long kb = 0;
        if (std::sscanf(line, "VmRSS: %lld kB", &kb) == 1) r.rss_kb = kb;
        else if (std::sscanf(line, "VmHWM: %lld kB", &kb) == 1) r.hwm_kb = kb;
    }
    std::fclose(f);
    return r;
}

Counters counters_mode() {
    static const Counters mode = [] {
        const char* c = std::getenv("VITRINE_COUNTERS");
        if (!c || !*c || std::strcmp(c, "0") == 0) return Counters::Off;
        return std::strcmp(c, "frames") == 0 ? Counters::Frames : Counters::Report;
    }();
    return mode;
}

void live_frame_submitted() {
    Counters mode = counters_mode();
    if (mode == Counters::Off) return;
    LiveObjects now = live_objects();
    Resident mem = resident();
    std::lock_guard<std::mutex> lock(g_trend.mutex);
    uint64_t f = ++g_trend.frames;
    if ((f & (f - 1)) == 0) {
        g_trend.at[0] = g_trend.at[1];
        g_trend.at_resident[0] = g_trend.at_resident[1];
        g_trend.at_frame[0] = g_trend.at_frame[1];
        g_trend.at[1] = now;
        g_trend.at_resident[1] = mem;
        g_trend.at_frame[1] = f;
    }
    g_trend.last = now;
    g_trend.last_resident = mem;
    g_trend.peak = std::max(g_trend.peak, now.total());
    if (mode == Counters::Frames)
        std::fprintf(stderr, "counters: frame %llu: vulkan objects %lld, rss_kb %lld, hwm_kb %lld\n", (unsigned long long)f,
                     (long long)now.total(), (long long)mem.rss_kb, (long long)mem.hwm_kb);
}

std::string live_report() {
    std::lock_guard<std::mutex> lock(g_trend.mutex);
    const Trend& t = g_trend;
    const LiveObjects& now = t.last;
    std::string out = "vulkan objects after " + std::to_string(t.frames) + " frame" + (t.frames == 1 ? "" : "s") + ":";
    bool first = true;
    for (size_t i = 0; i < kLiveKinds; ++i) {
        if (!now.count[i]) continue;
        out += std::string(first ? " " : ", ") + live_name(Live(i)) + " " + std::to_string(now.count[i]);
        first = false;
    }
    char buf[200];
    std::snprintf(buf, sizeof buf, " (total %lld, peak %lld; device memory %.1f MiB); resident %.1f MiB (peak %.1f MiB)",
                  (long long)now.total(), (long long)t.peak, double(now.memory_bytes) / (1 << 20),
                  mib(t.last_resident.rss_kb), mib(t.last_resident.hwm_kb));
    out += buf;
    // The comparison: the last frame 2^k at most half way (warm-up left out).
    int base = t.at_frame[1] && t.at_frame[1] * 2 <= t.frames ? 1 : t.at_frame[0] && t.at_frame[0] * 2 <= t.frames ? 0 : -1;
    if (base < 0) return out + "; too few frames to compare";
    const LiveObjects& then = t.at[base];
    uint64_t span = t.frames - t.at_frame[base];
    int64_t growth = now.total() - then.total();
    std::snprintf(buf, sizeof buf, "; since frame %llu: %+lld objects (%+.2f per frame), resident %+.1f MiB",
                  (unsigned long long)t.at_frame[base], (long long)growth, double(growth) / double(span),
                  mib(t.last_resident.rss_kb - t.at_resident[base].rss_kb));
    out += buf;
    std::string kinds;
    for (size_t i = 0; i < kLiveKinds; ++i) {
        int64_t d = now.count[i] - then.count[i];
        if (!d) continue;
        std::snprintf(buf, sizeof buf, "%s%+lld %s", kinds.empty() ? "" : ", ", (long long)d, live_name(Live(i)));
        kinds += buf;
    }
    if (!kinds.empty()) out += " [" + kinds + "]";
    return out;
}

std::string live_kinds() {
    LiveObjects now = live_objects();
    std::string out;
    for (size_t i = 0; i < kLiveKinds; ++i)
        if (now.count[i]) out += (out.empty() ? "" : ", ") + std::string(live_name(Live(i))) + " " + std::to_string(now.count[i]);
    return out.empty() ? "none" : out;
}

// --- The counted entry points (same arguments and results as Vulkan's). ---
namespace counted {

#define VITRINE_COUNT_CREATE(Name, Info, Handle, Kind)                                                              \
    VkResult vk##Name(VkDevice d, const Info* i, const VkAllocationCallbacks* a, Handle* h) {                        \
        VkResult r = ::vk##Name(d, i, a, h);                                                                          \
        created(r, Live::Kind, h);                                                                                    \
        return r;                                                                                                     \
    }
#define VITRINE_COUNT_DESTROY(Name, Handle, Kind)                                                                   \
    void vk##Name(VkDevice d, Handle h, const VkAllocationCallbacks* a) {                                           \
        destroyed(Live::Kind, h);                                                                                     \
        ::vk##Name(d, h, a);                                                                                          \
    }

VITRINE_COUNT_CREATE(CreateBuffer, VkBufferCreateInfo, VkBuffer, Buffer)
VITRINE_COUNT_DESTROY(DestroyBuffer, VkBuffer, Buffer)
VITRINE_COUNT_CREATE(CreateImage, VkImageCreateInfo, VkImage, Image)
VITRINE_COUNT_DESTROY(DestroyImage, VkImage, Image)
VITRINE_COUNT_CREATE(CreateImageView, VkImageViewCreateInfo, VkImageView, ImageView)
VITRINE_COUNT_DESTROY(DestroyImageView, VkImageView, ImageView)
VITRINE_COUNT_CREATE(CreateSampler, VkSamplerCreateInfo, VkSampler, Sampler)
VITRINE_COUNT_DESTROY(DestroySampler, VkSampler, Sampler)
VITRINE_COUNT_CREATE(CreateDescriptorSetLayout, VkDescriptorSetLayoutCreateInfo, VkDescriptorSetLayout, DescriptorSetLayout)
VITRINE_COUNT_DESTROY(DestroyDescriptorSetLayout, VkDescriptorSetLayout, DescriptorSetLayout)
VITRINE_COUNT_CREATE(CreatePipelineLayout, VkPipelineLayoutCreateInfo, VkPipelineLayout, PipelineLayout)
VITRINE_COUNT_DESTROY(DestroyPipelineLayout, VkPipelineLayout, PipelineLayout)
VITRINE_COUNT_CREATE(CreatePipelineCache, VkPipelineCacheCreateInfo, VkPipelineCache, PipelineCache)
VITRINE_COUNT_DESTROY(DestroyPipelineCache, VkPipelineCache, PipelineCache)
VITRINE_COUNT_CREATE(CreateShaderModule, VkShaderModuleCreateInfo, VkShaderModule, ShaderModule)
VITRINE_COUNT_DESTROY(DestroyShaderModule, VkShaderModule, ShaderModule)
VITRINE_COUNT_CREATE(CreateRenderPass, VkRenderPassCreateInfo, VkRenderPass, RenderPass)
VITRINE_COUNT_CREATE(CreateRenderPass2, VkRenderPassCreateInfo2, VkRenderPass, RenderPass)
VITRINE_COUNT_DESTROY(DestroyRenderPass, VkRenderPass, RenderPass)
VITRINE_COUNT_CREATE(CreateFramebuffer, VkFramebufferCreateInfo, VkFramebuffer, Framebuffer)
VITRINE_COUNT_DESTROY(DestroyFramebuffer, VkFramebuffer, Framebuffer)
VITRINE_COUNT_CREATE(CreateSemaphore, VkSemaphoreCreateInfo, VkSemaphore, Semaphore)
VITRINE_COUNT_DESTROY(DestroySemaphore, VkSemaphore, Semaphore)
VITRINE_COUNT_CREATE(CreateFence, VkFenceCreateInfo, VkFence, Fence)
VITRINE_COUNT_DESTROY(DestroyFence, VkFence, Fence)
VITRINE_COUNT_CREATE(CreateQueryPool, VkQueryPoolCreateInfo, VkQueryPool, QueryPool)
VITRINE_COUNT_DESTROY(DestroyQueryPool, VkQueryPool, QueryPool)
VITRINE_COUNT_CREATE(CreateSwapchainKHR, VkSwapchainCreateInfoKHR, VkSwapchainKHR, Swapchain)
VITRINE_COUNT_DESTROY(DestroySwapchainKHR, VkSwapchainKHR, Swapchain)
VITRINE_COUNT_CREATE(CreateCommandPool, VkCommandPoolCreateInfo, VkCommandPool, CommandPool)
VITRINE_COUNT_CREATE(CreateDescriptorPool, VkDescriptorPoolCreateInfo, VkDescriptorPool, DescriptorPool)
#undef VITRINE_COUNT_CREATE
#undef VITRINE_COUNT_DESTROY

VkResult vkAllocateMemory(VkDevice d, const VkMemoryAllocateInfo* i, const VkAllocationCallbacks* a, VkDeviceMemory* m) {
    VkResult r = ::vkAllocateMemory(d, i, a, m);
    if (r == VK_SUCCESS && *m) {
        add(Live::Memory);
        g_memory_bytes += int64_t(i->allocationSize);
        std::lock_guard<std::mutex> lock(g_mutex);
        g_memory_size[key(*m)] = int64_t(i->allocationSize);
    }
    return r;
}

void vkFreeMemory(VkDevice d, VkDeviceMemory m, const VkAllocationCallbacks* a) {
    if (m) {
        sub(Live::Memory);
        std::lock_guard<std::mutex> lock(g_mutex);
        auto it = g_memory_size.find(key(m));
        if (it != g_memory_size.end()) {
            g_memory_bytes -= it->second;
            g_memory_size.erase(it);
        }
    }
    ::vkFreeMemory(d, m, a);
}

VkResult vkCreateGraphicsPipelines(VkDevice d, VkPipelineCache c, uint32_t n, const VkGraphicsPipelineCreateInfo* i,
                                   const VkAllocationCallbacks* a, VkPipeline* p) {
    VkResult r = ::vkCreateGraphicsPipelines(d, c, n, i, a, p);
    for (uint32_t k = 0; k < n; ++k)
        if (p[k]) add(Live::Pipeline);  // on failure the ones not made are VK_NULL_HANDLE
    return r;
}

VkResult vkCreateComputePipelines(VkDevice d, VkPipelineCache c, uint32_t n, const VkComputePipelineCreateInfo* i,
                                  const VkAllocationCallbacks* a, VkPipeline* p) {
    VkResult r = ::vkCreateComputePipelines(d, c, n, i, a, p);
    for (uint32_t k = 0; k < n; ++k)
        if (p[k]) add(Live::Pipeline);
    return r;
}

void vkDestroyPipeline(VkDevice d, VkPipeline p, const VkAllocationCallbacks* a) {
    destroyed(Live::Pipeline, p);
    ::vkDestroyPipeline(d, p, a);
}

VkResult vkAllocateDescriptorSets(VkDevice d, const VkDescriptorSetAllocateInfo* i, VkDescriptorSet* s) {
    VkResult r = ::vkAllocateDescriptorSets(d, i, s);
    if (r == VK_SUCCESS) {
        add(Live::DescriptorSet, i->descriptorSetCount);
        std::lock_guard<std::mutex> lock(g_mutex);
        g_sets_in_pool[key(i->descriptorPool)] += i->descriptorSetCount;
    }
    return r;
}

VkResult vkFreeDescriptorSets(VkDevice d, VkDescriptorPool pool, uint32_t n, const VkDescriptorSet* s) {
    int64_t freed = 0;
    for (uint32_t k = 0; k < n; ++k) freed += s[k] ? 1 : 0;
    sub(Live::DescriptorSet, freed);
    {
        std::lock_guard<std::mutex> lock(g_mutex);
        g_sets_in_pool[key(pool)] -= freed;
    }
    return ::vkFreeDescriptorSets(d, pool, n, s);
}

static void sets_gone(VkDescriptorPool pool, bool erase) {
    std::lock_guard<std::mutex> lock(g_mutex);
    auto it = g_sets_in_pool.find(key(pool));
    if (it == g_sets_in_pool.end()) return;
    sub(Live::DescriptorSet, it->second);
    if (erase) g_sets_in_pool.erase(it);
    else it->second = 0;
}

VkResult vkResetDescriptorPool(VkDevice d, VkDescriptorPool pool, VkDescriptorPoolResetFlags f) {
    sets_gone(pool, false);
    return ::vkResetDescriptorPool(d, pool, f);
}

void vkDestroyDescriptorPool(VkDevice d, VkDescriptorPool pool, const VkAllocationCallbacks* a) {
    if (pool) {
        sub(Live::DescriptorPool);
        sets_gone(pool, true);
    }
    ::vkDestroyDescriptorPool(d, pool, a);
}

VkResult vkAllocateCommandBuffers(VkDevice d, const VkCommandBufferAllocateInfo* i, VkCommandBuffer* b) {
    VkResult r = ::vkAllocateCommandBuffers(d, i, b);
    if (r == VK_SUCCESS) {
        add(Live::CommandBuffer, i->commandBufferCount);
        std::lock_guard<std::mutex> lock(g_mutex);
        g_buffers_in_pool[key(i->commandPool)] += i->commandBufferCount;
    }
    return r;
}

void vkFreeCommandBuffers(VkDevice d, VkCommandPool pool, uint32_t n, const VkCommandBuffer* b) {
    int64_t freed = 0;
    for (uint32_t k = 0; k < n; ++k) freed += b[k] ? 1 : 0;
    sub(Live::CommandBuffer, freed);
    {
        std::lock_guard<std::mutex> lock(g_mutex);
        g_buffers_in_pool[key(pool)] -= freed;
    }
    ::vkFreeCommandBuffers(d, pool, n, b);
}

void vkDestroyCommandPool(VkDevice d, VkCommandPool pool, const VkAllocationCallbacks* a) {
    if (pool) {
        sub(Live::CommandPool);
        std::lock_guard<std::mutex> lock(g_mutex);
        auto it = g_buffers_in_pool.find(key(pool));
        if (it != g_buffers_in_pool.end()) {
            sub(Live::CommandBuffer, it->second);
            g_buffers_in_pool.erase(it);
        }
    }
    ::vkDestroyCommandPool(d, pool, a);
}

}  // namespace counted

}  // namespace vitrine::gpu
