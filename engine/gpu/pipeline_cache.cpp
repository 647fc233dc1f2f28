#include "gpu/pipeline_cache.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <vector>

#include "core/log.h"

namespace vitrine::gpu {

namespace fs = std::filesystem;

static fs::path cache_folder() {
    if (const char* d = std::getenv("VITRINE_CACHE_DIR")) return d;
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return fs::path(x) / "vitrine";
    if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".cache" / "vitrine";
    return {};
}

PipelineCache::PipelineCache(Context& ctx) : ctx_(ctx) {
    const VkPhysicalDeviceProperties& p = ctx.properties();
    fs::path folder = cache_folder();
    if (!folder.empty()) {
        char name[96];
        std::snprintf(name, sizeof name, "pipelines-%04x-%04x-%08x.bin", p.vendorID, p.deviceID, p.driverVersion);
        path_ = folder / name;
    }
    std::vector<char> data;
    if (!path_.empty()) {
        std::ifstream in(path_, std::ios::binary);
        if (in) data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    // Header (Vulkan spec, "Pipeline Cache"): length, version, vendor, device, UUID.
    bool valid = data.size() >= 16 + VK_UUID_SIZE;
    if (valid) {
        uint32_t h[4];
        std::memcpy(h, data.data(), 16);
        valid = h[0] >= 16 + VK_UUID_SIZE && h[1] == VK_PIPELINE_CACHE_HEADER_VERSION_ONE && h[2] == p.vendorID &&
                h[3] == p.deviceID && std::memcmp(data.data() + 16, p.pipelineCacheUUID, VK_UUID_SIZE) == 0;
    }
    if (!valid && !data.empty()) log::info(path_.string() + ": pipeline cache is for another device or driver; rebuilding it");
    VkPipelineCacheCreateInfo ci{VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO};
    ci.initialDataSize = valid ? data.size() : 0;
    ci.pInitialData = valid ? data.data() : nullptr;
    if (vkCreatePipelineCache(ctx.device(), &ci, nullptr, &cache_) != VK_SUCCESS) {
        ci.initialDataSize = 0;
        ci.pInitialData = nullptr;
        VK_CHECK(vkCreatePipelineCache(ctx.device(), &ci, nullptr, &cache_));
    }
}

PipelineCache::~PipelineCache() {
    save();
    vkDestroyPipelineCache(ctx_.device(), cache_, nullptr);
}

void PipelineCache::save() const {
    if (path_.empty() || ctx_.lost()) return;
    size_t size = 0;
    if (vkGetPipelineCacheData(ctx_.device(), cache_, &size, nullptr) != VK_SUCCESS || size == 0) return;
    std::vector<char> data(size);
    if (vkGetPipelineCacheData(ctx_.device(), cache_, &size, data.data()) != VK_SUCCESS) return;
    std::error_code ec;
    fs::create_directories(path_.parent_path(), ec);
    fs::path tmp = path_;
    tmp += "." + std::to_string(::getpid()) + ".tmp";  // several processes may save at once
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (out) out.write(data.data(), std::streamsize(size));
    if (!out || !(out.close(), out)) {
        log::info(path_.string() + ": cannot save the pipeline cache (next start compiles again)");
        fs::remove(tmp, ec);
        return;
    }
    fs::rename(tmp, path_, ec);  // atomic: a reader never sees half a file
}

}  // namespace vitrine::gpu
