// A VkPipelineCache kept on disk in the user's cache folder, so the second start of a
// show compiles no pipelines: $VITRINE_CACHE_DIR, else $XDG_CACHE_HOME/vitrine, else
// ~/.cache/vitrine; one file per device and driver. A file that does not match this
// device (header, UUID) or cannot be read is ignored; failing to save only logs.
#pragma once
#include <filesystem>

#include "gpu/context.h"

namespace vitrine::gpu {

class PipelineCache {
public:
    explicit PipelineCache(Context& ctx);
    ~PipelineCache();  // saves, then destroys
    VkPipelineCache handle() const { return cache_; }
    const std::filesystem::path& path() const { return path_; }
    void save() const;

private:
    Context& ctx_;
    VkPipelineCache cache_ = VK_NULL_HANDLE;
    std::filesystem::path path_;
};

}  // namespace vitrine::gpu
