#include "zoom/residency.h"

#include <algorithm>
#include <string>

namespace vitrine::zoom {

Residency::Residency(uint32_t slots) {
    VITRINE_CHECK(slots >= 1 && slots <= kMaxSlots);
    slots_.resize(slots);
    free_.reserve(slots);
    for (uint32_t s = slots; s-- > 0;) free_.push_back(s);  // slot 0 is handed out first
    fading_.reserve(slots);
    pin_budget_ = std::max(1u, slots / 16);
    set_missing_cap(kMissingPerFrame);
}

void Residency::set_missing_cap(size_t pages) {
    missing_cap_ = pages;
    missing_.reserve(std::max<size_t>(4096, 4 * pages));
}

Result<uint32_t> Residency::add_image(std::vector<LevelSize> levels) {
    const std::string what = "atlas: image " + std::to_string(images_.size());
    if (levels.empty()) return vitrine::fail(what + " has no levels");
    if (levels.size() > 32)
        return vitrine::fail(what + " has " + std::to_string(levels.size()) + " levels (at most 32)");
    Image image;
    image.offsets.reserve(levels.size());
    uint64_t entries = table_.size();
    for (size_t l = 0; l < levels.size(); ++l) {
        if (!levels[l].width || !levels[l].height)
            return vitrine::fail(what + ": level " + std::to_string(l) + " is empty");
        image.offsets.push_back(uint32_t(std::min<uint64_t>(entries, kMaxTableEntries)));
        entries += uint64_t(pages_across(levels[l].width)) * pages_across(levels[l].height);
        if (entries > kMaxTableEntries)
            return vitrine::fail(what + " needs a page table past " + std::to_string(kMaxTableEntries) +
                                 " entries (too large)");
    }
    auto pages = [&](size_t l) { return pages_across(levels[l].width) * pages_across(levels[l].height); };

    // Pin the coarsest level always (within half the atlas), then finer ones within the budget.
    const uint32_t coarsest = uint32_t(levels.size() - 1);
    if (uint64_t(pinned_total_) + pages(coarsest) > slots() / 2)
        return vitrine::fail(what + ": its coarsest level needs " + std::to_string(pages(coarsest)) +
                             " pinned pages but " + std::to_string(pinned_total_) + " of the " +
                             std::to_string(slots()) +
                             " slots are pinned already (at most half may be); use a larger atlas or fewer images");
    uint32_t pinned = pages(coarsest);
    image.first_pinned = coarsest;
    while (image.first_pinned > 0 && uint64_t(pinned_total_) + pinned + pages(image.first_pinned - 1) <= pin_budget_)
        pinned += pages(--image.first_pinned);

    image.levels = std::move(levels);
    images_.push_back(std::move(image));
    pinned_total_ += pinned;
    pinned_waiting_ += pinned;
    table_.resize(entries, kEntryNotResident);
    seen_.resize(entries, 0);
    failed_.resize(entries, 0);
    return uint32_t(images_.size() - 1);
}

const std::vector<LevelSize>& Residency::levels(uint32_t image) const {
    VITRINE_CHECK(image < images_.size());
    return images_[image].levels;
}

uint32_t Residency::table_offset(uint32_t image, uint32_t level) const {
    VITRINE_CHECK(image < images_.size() && level < images_[image].offsets.size());
    return images_[image].offsets[level];
}

bool Residency::contains(const PageKey& key) const {
    if (key.image >= images_.size()) return false;
    const Image& image = images_[key.image];
    if (key.level >= image.levels.size()) return false;
    const LevelSize& size = image.levels[key.level];
    return key.x < pages_across(size.width) && key.y < pages_across(size.height);
}

uint32_t Residency::table_index(const PageKey& key) const {
    VITRINE_CHECK(contains(key));
    const Image& image = images_[key.image];
    return image.offsets[key.level] + key.y * pages_across(image.levels[key.level].width) + key.x;
}

void Residency::clear_changed() {
    changed_ = false;
    changed_first_ = changed_end_ = 0;
}

void Residency::set_entry(uint32_t index, uint32_t value) {
    if (table_[index] == value) return;
    table_[index] = value;
    if (!changed_) {
        changed_first_ = index;
        changed_end_ = index + 1;
    } else {
        changed_first_ = std::min(changed_first_, index);
        changed_end_ = std::max(changed_end_, index + 1);
    }
    changed_ = true;
    ++version_;
}

std::vector<PageKey> Residency::pinned_pages(uint32_t image) const {
    VITRINE_CHECK(image < images_.size());
    const Image& im = images_[image];
    std::vector<PageKey> pages;
    for (uint32_t l = uint32_t(im.levels.size()); l-- > im.first_pinned;)
        for (uint32_t y = 0; y < pages_across(im.levels[l].height); ++y)
            for (uint32_t x = 0; x < pages_across(im.levels[l].width); ++x) pages.push_back({image, l, x, y});
    return pages;
}

uint32_t Residency::pinned_levels(uint32_t image) const {
    VITRINE_CHECK(image < images_.size());
    return uint32_t(images_[image].levels.size()) - images_[image].first_pinned;
}

bool Residency::pinned(const PageKey& key) const {
    VITRINE_CHECK(contains(key));
    return key.level >= images_[key.image].first_pinned;
}

void Residency::set_pin_budget(uint32_t pages) { pin_budget_ = pages; }

void Residency::set_protect_frames(uint32_t frames) {
    VITRINE_CHECK(frames >= 1);
    protect_frames_ = frames;
}

uint32_t Residency::fade_after(uint64_t placed) const {
    if (fade_frames_ <= 1) return kFadeIn;
    uint64_t shown = frame_ - placed + 1;  // the k-th frame the page is shown
    return uint32_t(std::min<uint64_t>(kFadeIn, kFadeIn * shown / fade_frames_));
}

void Residency::begin_frame(uint64_t frame) {
    VITRINE_CHECK(frame >= frame_);
    frame_ = frame;
    missing_.clear();
    if (++stamp_ == 0) {  // the stamp wrapped (after 2^32 frames): forget every old stamp
        std::fill(seen_.begin(), seen_.end(), 0u);
        stamp_ = 1;
    }
    // Advance fades; drop slots that are fully in, evicted, or placed again since listed.
    size_t kept = 0;
    for (uint32_t s : fading_) {
        Slot& slot = slots_[s];
        if (slot.index == kNone) {
            slot.fading = false;
            continue;
        }
        uint32_t fade = fade_after(slot.placed);
        set_entry(slot.index, make_entry(s, fade));
        if (fade < kFadeIn)
            fading_[kept++] = s;
        else
            slot.fading = false;
    }
    fading_.resize(kept);
}

void Residency::unlink(uint32_t s) {
    Slot& slot = slots_[s];
    (slot.prev == kNone ? lru_head_ : slots_[slot.prev].next) = slot.next;
    (slot.next == kNone ? lru_tail_ : slots_[slot.next].prev) = slot.prev;
    slot.prev = slot.next = kNone;
}

void Residency::link_front(uint32_t s) {
    Slot& slot = slots_[s];
    slot.prev = kNone;
    slot.next = lru_head_;
    if (lru_head_ != kNone) slots_[lru_head_].prev = s;
    lru_head_ = s;
    if (lru_tail_ == kNone) lru_tail_ = s;
}

void Residency::touch(uint32_t s) {
    Slot& slot = slots_[s];
    slot.last_used = std::max(slot.last_used, frame_);
    if (slot.pinned || lru_head_ == s) return;
    unlink(s);
    link_front(s);
}

bool Residency::request(const PageKey& key) {
    if (!contains(key)) {
        ++ignored_;
        return false;
    }
    uint32_t index = table_index(key);
    if (entry_resident(table_[index])) {
        touch(entry_slot(table_[index]));
        seen_[index] = stamp_;
        // Still fading in: the GPU blends it over its nearest resident ancestor, in use too.
        if (entry_fade(table_[index]) < kFadeIn) {
            PageKey k = key;
            while (parent_of(&k)) {
                uint32_t e = table_[table_index(k)];
                if (entry_resident(e)) {
                    touch(entry_slot(e));
                    break;
                }
            }
        }
        return true;
    }
    // Walk up to the resident ancestor the GPU shows instead, noting what is missing.
    PageKey k = key;
    for (;;) {
        if (seen_[index] == stamp_) break;  // walked already this frame, and its ancestors
        seen_[index] = stamp_;
        if (entry_resident(table_[index])) {
            touch(entry_slot(table_[index]));
            break;
        }
        if (!failed_[index] && missing_.size() < missing_.capacity())  // capacity: the per-frame limit
            missing_.push_back({k, uint32_t(missing_.size())});
        if (!parent_of(&k)) break;
        index = table_index(k);
    }
    return false;
}

bool Residency::parent_of(PageKey* key) const {
    const std::vector<LevelSize>& levels = images_[key->image].levels;
    if (key->level + 1 >= levels.size()) return false;
    *key = parent_page(*key);
    // Clamped for pyramids whose levels are not exact ceil-halves.
    key->x = std::min(key->x, pages_across(levels[key->level].width) - 1);
    key->y = std::min(key->y, pages_across(levels[key->level].height) - 1);
    return true;
}

std::vector<PageKey> Residency::missing() {
    // Sorted in place (no allocation); pages requested later still get larger orders.
    std::sort(missing_.begin(), missing_.end(), [](const Missing& a, const Missing& b) {
        return a.key.level != b.key.level ? a.key.level > b.key.level : a.order < b.order;
    });
    std::vector<PageKey> pages;
    pages.reserve(std::min(missing_.size(), missing_cap_));
    for (const Missing& m : missing_) {
        if (pages.size() >= missing_cap_) break;
        uint32_t index = table_index(m.key);
        // Placed or failed since it was requested this frame: no longer missing.
        if (!entry_resident(table_[index]) && !failed_[index]) pages.push_back(m.key);
    }
    return pages;
}

std::optional<uint32_t> Residency::evict_one() {
    if (lru_tail_ == kNone) return std::nullopt;
    uint32_t s = lru_tail_;
    Slot& slot = slots_[s];
    if (slot.last_used + protect_frames_ > frame_) return std::nullopt;  // the GPU may still sample it
    unlink(s);
    set_entry(slot.index, kEntryNotResident);
    slot.index = kNone;
    --resident_;
    ++evictions_;
    return s;
}

std::optional<uint32_t> Residency::place(const PageKey& key) {
    uint32_t index = table_index(key);
    if (entry_resident(table_[index])) {
        touch(entry_slot(table_[index]));
        return entry_slot(table_[index]);
    }
    if (failed_[index]) return std::nullopt;
    const bool is_pinned = pinned(key);
    std::optional<uint32_t> s;
    // Unpinned pages leave as many free slots as pinned pages are still to be placed.
    if (!free_.empty() && (is_pinned || free_.size() > pinned_waiting_)) {
        s = free_.back();
        free_.pop_back();
    } else {
        s = evict_one();
    }
    if (!s) return std::nullopt;

    Slot& slot = slots_[*s];
    slot.key = key;
    slot.index = index;
    slot.last_used = frame_;
    slot.placed = frame_;
    slot.pinned = is_pinned;
    ++resident_;
    ++placed_;
    if (is_pinned) {
        --pinned_waiting_;
        set_entry(index, make_entry(*s, kFadeIn));
    } else {
        link_front(*s);
        uint32_t fade = fade_after(frame_);
        set_entry(index, make_entry(*s, fade));
        if (fade < kFadeIn && !slot.fading) {
            slot.fading = true;
            fading_.push_back(*s);
        }
    }
    return s;
}

void Residency::fail(const PageKey& key) {
    uint32_t index = table_index(key);
    if (failed_[index]) return;
    failed_[index] = 1;
    ++failed_count_;
    // A resident page stays until evicted as usual (the GPU may be sampling it).
    if (pinned(key) && !entry_resident(table_[index])) --pinned_waiting_;
}

bool Residency::failed(const PageKey& key) const { return failed_[table_index(key)] != 0; }

std::optional<uint32_t> Residency::slot_of(const PageKey& key) const {
    uint32_t e = entry(key);
    if (!entry_resident(e)) return std::nullopt;
    return entry_slot(e);
}

std::optional<PageKey> Residency::page_in(uint32_t slot) const {
    VITRINE_CHECK(slot < slots_.size());
    if (slots_[slot].index == kNone) return std::nullopt;
    return slots_[slot].key;
}

ResidencyStats Residency::stats() const {
    ResidencyStats s;
    s.slots = slots();
    s.resident = resident_;
    s.pinned = pinned_total_;
    s.placed = placed_;
    s.evictions = evictions_;
    s.failed = failed_count_;
    s.ignored_requests = ignored_;
    s.atlas_bytes = uint64_t(slots()) * kPageSide * kPageSide * 4;
    s.memory_bytes = table_.capacity() * sizeof(uint32_t) + seen_.capacity() * sizeof(uint32_t) +
                     failed_.capacity() + slots_.capacity() * sizeof(Slot) + free_.capacity() * sizeof(uint32_t) +
                     fading_.capacity() * sizeof(uint32_t) + missing_.capacity() * sizeof(Missing) +
                     images_.capacity() * sizeof(Image);
    for (const Image& image : images_)
        s.memory_bytes += image.levels.capacity() * sizeof(LevelSize) + image.offsets.capacity() * sizeof(uint32_t);
    return s;
}

}  // namespace vitrine::zoom
