// The page atlas's residency, on the CPU: which page of which shown image lives in which
// slot of the GPU's fixed-size page atlas, what the frame still lacks, and what to evict
// for it. It also keeps the flat page table the shader reads (one uint32 per page of
// every level of every image). No Vulkan here: engine/render owns the atlas image, the
// table buffer and the feedback buffer, and uploads `table()` when `table_changed()`.
//
// A frame, in order:
//   begin_frame(n)                         fades advance (their entries change)
//   request(key) for each fed-back page    resident pages marked used; missing ones noted
//   missing()                              coarsest first, with missing ancestors: load these
//   place(key) / fail(key) as pages come   a free slot, else the least recently used
//                                          unprotected page's; fail: never asked again
//   upload table() if table_changed(), clear_changed()
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "core/result.h"
#include "zoom/geometry.h"
#include "zoom/page.h"

namespace vitrine::zoom {

// ---- Page-table entries: the contract with the shader (keep the GLSL in step). ----
//   0              not resident: the shader walks up to the parent page's entry (x/2, y/2,
//                  level + 1) until it finds a resident one
//   bits 0..15     atlas slot + 1 (so slots 0..65534)
//   bits 16..23    fade 0..255: how far the page has blended in over its parent (the
//                  nearest resident ancestor, found by the same walk); 255 = fully in
//   bits 24..31    0 (reserved)
// An entry describes only its own page: placing or evicting a page changes ONE entry.
constexpr uint32_t kEntryNotResident = 0;
constexpr uint32_t kMaxSlots = 0xFFFF;
constexpr uint32_t kFadeIn = 255;
constexpr uint32_t make_entry(uint32_t slot, uint32_t fade) { return ((slot + 1) & 0xFFFFu) | ((fade & 0xFFu) << 16); }
constexpr bool entry_resident(uint32_t entry) { return (entry & 0xFFFFu) != 0; }
constexpr uint32_t entry_slot(uint32_t entry) { return (entry & 0xFFFFu) - 1; }  // only when resident
constexpr uint32_t entry_fade(uint32_t entry) { return (entry >> 16) & 0xFFu; }

// A page the GPU may still sample is never evicted: one used in the current frame or in
// the kFramesInFlight (2) frames before it.
constexpr uint32_t kProtectFrames = 3;
// Most missing pages missing() returns per frame (coarsest first, so parents come first).
constexpr size_t kMissingPerFrame = 256;
// Largest page table (all images together): 2^26 entries = 256 MiB.
constexpr uint64_t kMaxTableEntries = uint64_t(1) << 26;

struct ResidencyStats {
    uint32_t slots = 0;           // atlas slots
    uint32_t resident = 0;        // pages in slots now (pinned included)
    uint32_t pinned = 0;          // pinned pages of all images, resident or still to place
    uint64_t placed = 0;          // pages placed since construction
    uint64_t evictions = 0;       // pages evicted to make room
    uint64_t failed = 0;          // pages marked as impossible to make
    uint64_t ignored_requests = 0;  // requests naming no page of a known image (bad feedback)
    uint64_t atlas_bytes = 0;     // slots * 256 * 256 * 4: the atlas image's size, RGBA8
    size_t memory_bytes = 0;      // this object's own allocations (table, per-page and per-slot arrays)
};

class Residency {
public:
    // `slots`: pages the atlas holds, 1..kMaxSlots (more is a bug).
    explicit Residency(uint32_t slots);

    // ---- Images and the table ----
    // Adds a shown image (its levels, 0 = full resolution, each the ceil-half of the one
    // before, as geometry.h) and returns its index, used as PageKey::image. Lays out its
    // part of the table: for each level, pages_across(width) x pages_across(height)
    // entries, row-major. Pins its coarse levels (the rule: its coarsest level always,
    // provided all images' pinned pages stay within half the atlas -- otherwise this
    // fails; then each finer level, coarse to fine, while all images' pinned pages stay
    // within the pin budget, slots/16 (at least 1) unless set_pin_budget says otherwise).
    // Fails on empty or zero-sized levels, or a table past kMaxTableEntries.
    Result<uint32_t> add_image(std::vector<LevelSize> levels);
    uint32_t images() const { return uint32_t(images_.size()); }
    const std::vector<LevelSize>& levels(uint32_t image) const;
    // The table's first entry for (image, level); the page (x, y) is at + y * across + x.
    uint32_t table_offset(uint32_t image, uint32_t level) const;
    uint32_t table_index(const PageKey& key) const;  // key must be contains()
    bool contains(const PageKey& key) const;         // a page of a known image and level
    std::span<const uint32_t> table() const { return table_; }
    // Set by every entry change; the caller uploads and clears. The version counts changes.
    bool table_changed() const { return changed_; }
    void clear_changed();
    uint64_t table_version() const { return version_; }
    // Entries [first, end) hold every change since clear_changed() (for a partial upload).
    std::pair<uint32_t, uint32_t> changed_range() const { return {changed_first_, changed_end_}; }

    // ---- Pinned coarse levels: load these first (synchronously); never evicted. ----
    std::vector<PageKey> pinned_pages(uint32_t image) const;  // coarsest level first, row-major
    uint32_t pinned_levels(uint32_t image) const;             // the image's coarsest N levels
    bool pinned(const PageKey& key) const;
    void set_pin_budget(uint32_t pages);  // for images added afterwards
    uint32_t pin_budget() const { return pin_budget_; }

    // ---- Per frame ----
    // Frames count up (equal is allowed: a frame drawn again). Advances fades.
    void begin_frame(uint64_t frame);
    uint64_t frame() const { return frame_; }
    // One page the frame's feedback asked for (duplicates fine). A resident page is marked
    // used this frame (most recently used); otherwise it is noted missing, with each
    // non-resident ancestor, and the resident ancestor the GPU shows instead is marked
    // used. Failed pages are skipped (their parent shows). A resident page still fading
    // in marks the resident ancestor it blends over as used too. Keys of no known image
    // are ignored (counted in stats). Returns whether the page itself is resident.
    bool request(const PageKey& key);
    // This frame's missing pages: coarsest level first (then in request order), ancestors
    // included, failed ones never, at most set_missing_cap (default kMissingPerFrame).
    // (A frame notes at most max(4096, 4 x cap) missing pages, in request order: memory
    // stays flat whatever the feedback holds.)
    std::vector<PageKey> missing();
    void set_missing_cap(size_t pages);
    // Pages used in the last n frames (this one included) are never evicted; n >= 1,
    // default kProtectFrames.
    void set_protect_frames(uint32_t frames);

    // ---- Pages arriving ----
    // A page's pixels are ready: its slot (a free one, else the least recently used page
    // that is neither pinned nor protected is evicted; unpinned pages leave free slots to
    // pinned pages not yet placed). nullopt when no slot can be freed: the caller drops the
    // page (it will be asked for again). Already resident: its slot. Failed: nullopt.
    std::optional<uint32_t> place(const PageKey& key);
    // The page cannot be made (a corrupt tile): it is never requested or missing again.
    void fail(const PageKey& key);
    bool failed(const PageKey& key) const;
    // A placed page blends in over n frames: the k-th frame it is shown (k = 1, 2, ...)
    // its fade is min(255, 255 * k / n). 0 or 1: in at once (offline renders); pinned
    // pages are always in at once.
    void set_fade_frames(uint32_t frames) { fade_frames_ = frames; }

    // ---- Queries ----
    uint32_t entry(const PageKey& key) const { return table_[table_index(key)]; }
    bool resident(const PageKey& key) const { return entry_resident(entry(key)); }
    std::optional<uint32_t> slot_of(const PageKey& key) const;
    std::optional<PageKey> page_in(uint32_t slot) const;  // the page a slot holds
    uint32_t slots() const { return uint32_t(slots_.size()); }
    ResidencyStats stats() const;

private:
    static constexpr uint32_t kNone = 0xFFFFFFFFu;
    struct Image {
        std::vector<LevelSize> levels;
        std::vector<uint32_t> offsets;  // table offset per level
        uint32_t first_pinned = 0;      // levels >= this are pinned
    };
    struct Slot {
        PageKey key;
        uint32_t index = kNone;  // table index of the page held; kNone: free
        uint64_t last_used = 0;  // frame
        uint64_t placed = 0;     // frame
        uint32_t prev = kNone, next = kNone;  // LRU list of unpinned pages, most recent first
        bool pinned = false;
        bool fading = false;     // listed in fading_
    };

    void set_entry(uint32_t index, uint32_t value);
    uint32_t fade_after(uint64_t placed) const;
    void touch(uint32_t slot);
    bool parent_of(PageKey* key) const;  // one level up; false at the coarsest level
    void unlink(uint32_t slot);
    void link_front(uint32_t slot);
    std::optional<uint32_t> evict_one();

    std::vector<Image> images_;
    std::vector<uint32_t> table_;
    std::vector<uint32_t> seen_;     // per page: the frame stamp it was last requested or walked
    std::vector<uint8_t> failed_;    // per page
    std::vector<Slot> slots_;
    std::vector<uint32_t> free_;     // free slots (a stack)
    std::vector<uint32_t> fading_;   // slots whose fade is still below 255
    struct Missing {
        PageKey key;
        uint32_t order;
    };
    std::vector<Missing> missing_;   // this frame's, in request order
    uint32_t lru_head_ = kNone, lru_tail_ = kNone;
    uint32_t pinned_total_ = 0, pinned_waiting_ = 0, resident_ = 0;
    uint32_t pin_budget_ = 1;
    uint32_t protect_frames_ = kProtectFrames;
    uint32_t fade_frames_ = 0;
    size_t missing_cap_ = kMissingPerFrame;
    uint64_t frame_ = 0;
    uint32_t stamp_ = 1;
    bool changed_ = false;
    uint64_t version_ = 0;
    uint32_t changed_first_ = 0, changed_end_ = 0;
    uint64_t placed_ = 0, evictions_ = 0, failed_count_ = 0, ignored_ = 0;
};

}  // namespace vitrine::zoom
