#include "zoom/compose.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "zoom/page.h"

namespace vitrine::zoom {

namespace {

// Bookkeeping a cached entry costs besides its pixels (map node, list node, Image8).
constexpr size_t kEntryOverhead = 160;

std::string tile_name(const Pyramid& pyramid, uint32_t level, uint32_t col, uint32_t row) {
    return pyramid.info().path + ": tile " + std::to_string(col) + "," + std::to_string(row) + " of level " +
           std::to_string(level);
}

}  // namespace

size_t TileCache::KeyHash::operator()(const Key& k) const {
    uint64_t h = reinterpret_cast<uintptr_t>(k.pyramid);
    h = (h ^ (uint64_t(k.level) << 58) ^ (uint64_t(k.col) << 29) ^ k.row) * 0x9E3779B97F4A7C15ull;
    return size_t(h ^ (h >> 29));
}

TileCache::TileCache(size_t max_bytes) : max_bytes_(max_bytes) {}

Result<TileCache::Tile> TileCache::tile(const Pyramid& pyramid, uint32_t level, uint32_t col, uint32_t row) {
    const Key key{&pyramid, level, col, row};
    std::unique_lock lock(mutex_);
    for (;;) {
        auto it = entries_.find(key);
        if (it == entries_.end()) break;
        Entry& entry = it->second;
        if (!entry.loading) {
            lru_.splice(lru_.begin(), lru_, entry.lru);
            if (entry.error) return *entry.error;
            return entry.tile;
        }
        loaded_.wait(lock);  // another thread is reading this tile
    }
    entries_.emplace(key, Entry{});
    ++reads_;
    lock.unlock();

    // Read outside the lock; check what the reader gave before anyone uses it.
    std::optional<Error> error;
    Tile tile;
    {
        Result<Image8> read = pyramid.read_tile(level, col, row);
        if (!read.ok()) {
            error = Error{tile_name(pyramid, level, col, row) + ": " + read.error().message, read.error().kind};
        } else {
            PixelRect rect = pyramid.tile_pixels(level, col, row);
            const Image8& image = read.value();
            if (image.width != rect.width || image.height != rect.height ||
                image.rgba.size() != size_t(image.width) * image.height * 4)
                error = fail(tile_name(pyramid, level, col, row) + ": " + std::to_string(image.width) + "x" +
                             std::to_string(image.height) + " pixels, expected " + std::to_string(rect.width) + "x" +
                             std::to_string(rect.height));
            else
                tile = std::make_shared<const Image8>(std::move(read.value()));
        }
    }

    lock.lock();
    auto it = entries_.find(key);
    VITRINE_CHECK(it != entries_.end() && it->second.loading);
    Entry& entry = it->second;
    entry.loading = false;
    entry.tile = tile;
    entry.error = error;
    entry.bytes = kEntryOverhead + (tile ? tile->rgba.size() : error->message.size());
    lru_.push_front(key);
    entry.lru = lru_.begin();
    bytes_ += entry.bytes;
    trim();
    lock.unlock();
    loaded_.notify_all();
    if (error) return *error;
    return tile;
}

void TileCache::trim() {
    while (bytes_ > max_bytes_ && !lru_.empty()) {
        auto it = entries_.find(lru_.back());
        bytes_ -= it->second.bytes;
        entries_.erase(it);
        lru_.pop_back();
    }
}

void TileCache::forget(const Pyramid& pyramid) {
    std::lock_guard lock(mutex_);
    for (auto it = lru_.begin(); it != lru_.end();) {
        if (it->pyramid != &pyramid) {
            ++it;
            continue;
        }
        auto entry = entries_.find(*it);
        bytes_ -= entry->second.bytes;
        entries_.erase(entry);
        it = lru_.erase(it);
    }
}

void TileCache::clear() {
    std::lock_guard lock(mutex_);
    for (const Key& key : lru_) entries_.erase(key);  // tiles being read stay until read
    lru_.clear();
    bytes_ = 0;
}

size_t TileCache::bytes() const {
    std::lock_guard lock(mutex_);
    return bytes_;
}

size_t TileCache::tiles() const {
    std::lock_guard lock(mutex_);
    return lru_.size();
}

uint64_t TileCache::reads() const {
    std::lock_guard lock(mutex_);
    return reads_;
}

Result<Image8> compose_page(const Pyramid& pyramid, TileCache& cache, uint32_t level, uint32_t page_x,
                            uint32_t page_y) {
    const PyramidInfo& info = pyramid.info();
    VITRINE_CHECK(level < info.levels.size());
    const LevelSize size = info.levels[level];
    VITRINE_CHECK(uint64_t(page_x) * kPageContent < size.width && uint64_t(page_y) * kPageContent < size.height);
    const uint32_t tw = info.tile_width, th = info.tile_height;
    if (!tw || !th) return fail(info.path + ": tile size " + std::to_string(tw) + "x" + std::to_string(th));

    // The level's pixels the page shows, before and after clamping to the level.
    const int64_t x0 = int64_t(page_x) * kPageContent - kPageBorder;
    const int64_t y0 = int64_t(page_y) * kPageContent - kPageBorder;
    const uint32_t x_lo = uint32_t(std::max<int64_t>(x0, 0));
    const uint32_t x_hi = uint32_t(std::min<int64_t>(x0 + kPageSide, size.width));
    const uint32_t y_lo = uint32_t(std::max<int64_t>(y0, 0));
    const uint32_t y_hi = uint32_t(std::min<int64_t>(y0 + kPageSide, size.height));
    const uint32_t col_lo = x_lo / tw, col_hi = (x_hi - 1) / tw;
    const uint32_t row_lo = y_lo / th, row_hi = (y_hi - 1) / th;
    const uint32_t cols = col_hi - col_lo + 1;

    struct Source {
        TileCache::Tile tile;
        PixelRect rect;
    };
    std::vector<Source> tiles;
    tiles.reserve(size_t(cols) * (row_hi - row_lo + 1));
    for (uint32_t row = row_lo; row <= row_hi; ++row)
        for (uint32_t col = col_lo; col <= col_hi; ++col) {
            Result<TileCache::Tile> tile = cache.tile(pyramid, level, col, row);
            if (!tile.ok()) return tile.error();
            PixelRect rect = pyramid.tile_pixels(level, col, row);
            // The tile holds at least its content cell (tile_rect): a bug otherwise.
            VITRINE_CHECK(rect.x <= std::max(col * tw, x_lo) && rect.y <= std::max(row * th, y_lo));
            VITRINE_CHECK(uint64_t(rect.x) + rect.width >= std::min<uint64_t>(uint64_t(col + 1) * tw, x_hi));
            VITRINE_CHECK(uint64_t(rect.y) + rect.height >= std::min<uint64_t>(uint64_t(row + 1) * th, y_hi));
            tiles.push_back({std::move(tile.value()), rect});
        }

    // Runs of a page row copied from one tile each (the same for every row).
    struct Run {
        uint32_t col;      // index among the page's tile columns
        uint32_t x;        // level x where the run starts
        uint32_t length;   // pixels
        uint32_t dst;      // page x where it lands
    };
    std::vector<Run> runs;
    const uint32_t pad_left = uint32_t(x_lo - x0);
    for (uint32_t x = x_lo; x < x_hi;) {
        uint32_t col = x / tw;
        uint32_t end = std::min<uint64_t>(uint64_t(col + 1) * tw, x_hi);
        runs.push_back({col - col_lo, x, end - x, pad_left + (x - x_lo)});
        x = end;
    }
    const uint32_t copied_end = pad_left + (x_hi - x_lo);  // page x past the last copied pixel

    Image8 page{kPageSide, kPageSide, std::vector<uint8_t>(size_t(kPageSide) * kPageSide * 4)};
    for (uint32_t j = 0; j < kPageSide; ++j) {
        const uint32_t y = uint32_t(std::clamp<int64_t>(y0 + j, 0, size.height - 1));
        const uint32_t row = y / th - row_lo;
        uint8_t* dst = page.rgba.data() + size_t(j) * kPageSide * 4;
        for (const Run& run : runs) {
            const Source& source = tiles[size_t(row) * cols + run.col];
            const uint8_t* src = source.tile->rgba.data() +
                                 (size_t(y - source.rect.y) * source.rect.width + (run.x - source.rect.x)) * 4;
            std::memcpy(dst + size_t(run.dst) * 4, src, size_t(run.length) * 4);
        }
        // Replicate the level's edge pixels into the border beyond it.
        for (uint32_t i = 0; i < pad_left; ++i) std::memcpy(dst + i * 4, dst + pad_left * 4, 4);
        for (uint32_t i = copied_end; i < kPageSide; ++i) std::memcpy(dst + i * 4, dst + (copied_end - 1) * 4, 4);
    }
    return page;
}

}  // namespace vitrine::zoom
