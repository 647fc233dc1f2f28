// The GPU half of showing tile pyramids: a software virtual texture. One atlas of fixed
// size (the tile memory: 256 MiB by default, whatever the images' sizes) holds 256 x 256
// page slots; a table per frame slot says which page of which level of which image sits
// where; every fragment that samples a pyramid sets the feedback bit of each page it
// wanted. When a frame slot comes round again its feedback is read: zoom::Residency
// decides what stays (LRU, pinned coarse levels, pages of recent frames never evicted),
// zoom::PageLoader composes the missing pages on worker threads, and finished pages are
// copied into their slots in front of the next submission. A page not there yet shows
// its coarser parent (the shader walks up the levels); live, new pages blend in over a
// few frames; offline, settle() loads everything a finished frame asked for so the frame
// can be drawn again sharp. See shaders/vt.glsl for the table's layout.
#pragma once
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gpu/context.h"
#include "gpu/resources.h"
#include "zoom/compose.h"
#include "zoom/loader.h"
#include "zoom/pyramid.h"
#include "zoom/residency.h"

namespace vitrine::render {

class VirtualTexture {
public:
    // `atlas_bytes`: the tile memory (rounded down to whole rows of 256-pixel slots, at
    // most the device's image limit); `frame_slots`: how many frames are prepared in turn.
    static Result<std::unique_ptr<VirtualTexture>> create(gpu::Context& ctx, uint64_t atlas_bytes, uint32_t frame_slots);
    ~VirtualTexture();
    VirtualTexture(const VirtualTexture&) = delete;
    VirtualTexture& operator=(const VirtualTexture&) = delete;

    // An image to show (the same pyramid twice is one image). Its pinned coarse levels
    // are loaded and uploaded now.
    Result<uint32_t> add_image(std::shared_ptr<const zoom::Pyramid> pyramid);
    size_t image_count() const { return images_.size(); }
    const zoom::PyramidInfo& info(uint32_t image) const { return images_[image].pyramid->info(); }

    // Live (run, view): new pages blend in over `frames` frames; 0 (offline): at once.
    void set_fade_frames(uint32_t frames);

    VkDescriptorSetLayout layout() const { return layout_; }
    VkDescriptorSet set(uint32_t slot) const { return slots_[slot].set; }

    // When frame slot `slot` is prepared again (the GPU is done with it): its feedback
    // (what that frame wanted) is read, loads are started, finished pages are placed and
    // uploaded, and the table goes into the slot's buffer; its feedback is cleared.
    Result<void> begin_frame(uint32_t slot);
    // Offline: the frame drawn in `slot` has completed. Loads (and waits for) every page
    // it wanted that is not resident; true when any was placed: draw the frame again.
    Result<bool> settle(uint32_t slot);

    struct Stats {
        uint32_t slots = 0, resident = 0;
        uint64_t atlas_bytes = 0, uploads = 0, evictions = 0;
        size_t pending = 0;
    };
    Stats stats() const;

private:
    explicit VirtualTexture(gpu::Context& ctx) : ctx_(ctx) {}
    struct Image {
        std::shared_ptr<const zoom::Pyramid> pyramid;
        uint32_t index = 0;  // in the Residency
    };
    void read_feedback(uint32_t slot);
    Result<void> place_loaded(std::vector<zoom::LoadedPage> pages, uint32_t budget);
    Result<void> write_table(uint32_t slot);
    Result<void> upload(uint32_t atlas_slot, const Image8& page);
    Result<void> end_uploads();
    void directory(std::vector<uint32_t>& out) const;
    uint32_t image_of(uint32_t residency_index) const;

    gpu::Context& ctx_;
    gpu::Image atlas_;
    uint32_t side_ = 0, per_row_ = 0;
    VkSampler sampler_ = VK_NULL_HANDLE;
    VkDescriptorSetLayout layout_ = VK_NULL_HANDLE;
    VkDescriptorPool pool_ = VK_NULL_HANDLE;
    struct Slot {
        gpu::Buffer table, feedback;  // host visible
        VkDescriptorSet set = VK_NULL_HANDLE;
        uint32_t feedback_words = 0;   // what the last frame drawn in this slot could set
        uint32_t directory_words = 0;  // where its entries began
        uint64_t table_version = UINT64_MAX;  // the Residency's table version it holds
        size_t images = 0;
    };
    std::vector<Slot> slots_;
    std::vector<Image> images_;
    std::unique_ptr<zoom::Residency> residency_;
    std::unique_ptr<zoom::TileCache> cache_;
    std::unique_ptr<zoom::PageLoader> loader_;  // after cache_: destroyed first
    std::vector<zoom::LoadedPage> ready_;       // composed, waiting for the next frame's upload budget
    std::set<zoom::PageKey> ready_keys_;
    std::vector<uint32_t> table_;  // scratch: directory + entries
    uint32_t directory_words_ = 0;
    uint64_t frame_ = 0, uploads_ = 0;
    bool uploading_ = false;       // the atlas is in TRANSFER_DST in the open upload batch
    std::set<std::string> warned_;  // one warning per failed tile
    bool warned_full_ = false;
};

}  // namespace vitrine::render
