// Pages from source tiles: compose_page cuts one 256 x 256 page (page.h: 248 px of
// content and a 4 px border of its neighbours, replicated at the level's edges) out of
// whatever source tiles it overlaps, whatever their size and overlap. TileCache keeps
// decoded source tiles (and failed reads) so neighbouring pages do not decode a tile twice.
// No Vulkan here.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "core/image.h"
#include "core/result.h"
#include "zoom/pyramid.h"

namespace vitrine::zoom {

constexpr size_t kTileCacheBytes = size_t(64) << 20;

// Decoded source tiles, least recently used dropped first past `max_bytes` (a tile is
// counted by its pixels; one larger than the whole budget is returned but not kept).
// Keyed by (pyramid address, level, column, row): call forget() before destroying a
// pyramid whose tiles may be cached. A failed read is remembered (until dropped like a
// tile) so a corrupt tile is not read again every frame. Thread safe: several threads
// wanting the same tile wait for one read of it.
class TileCache {
public:
    using Tile = std::shared_ptr<const Image8>;
    explicit TileCache(size_t max_bytes = kTileCacheBytes);
    TileCache(const TileCache&) = delete;
    TileCache& operator=(const TileCache&) = delete;

    // The tile's pixels (as Pyramid::read_tile) or the read's error, "path: tile C,R of level L: ...".
    Result<Tile> tile(const Pyramid& pyramid, uint32_t level, uint32_t col, uint32_t row);
    void forget(const Pyramid& pyramid);  // drops the pyramid's tiles and failures
    void clear();

    size_t bytes() const;  // held now
    size_t tiles() const;  // entries held now (failures included)
    size_t max_bytes() const { return max_bytes_; }
    uint64_t reads() const;  // calls to Pyramid::read_tile so far

private:
    struct Key {
        const Pyramid* pyramid;
        uint32_t level, col, row;
        bool operator==(const Key&) const = default;
    };
    struct KeyHash {
        size_t operator()(const Key& k) const;
    };
    struct Entry {
        bool loading = true;
        Tile tile;                   // when read
        std::optional<Error> error;  // when the read failed
        size_t bytes = 0;
        std::list<Key>::iterator lru;  // valid when !loading
    };
    void trim();  // mutex held

    size_t max_bytes_;
    mutable std::mutex mutex_;
    std::condition_variable loaded_;
    std::unordered_map<Key, Entry, KeyHash> entries_;
    std::list<Key> lru_;  // most recent first; loaded entries only
    size_t bytes_ = 0;
    uint64_t reads_ = 0;
};

// The page (page_x, page_y) of `level`: kPageSide x kPageSide RGBA8 whose pixel (i, j) is
// the level's pixel (page_x * 248 - 4 + i, page_y * 248 - 4 + j), each coordinate clamped
// to the level (the edge pixel replicated). A page wholly outside the level is a bug. An
// error names the source tile that failed.
Result<Image8> compose_page(const Pyramid& pyramid, TileCache& cache, uint32_t level, uint32_t page_x, uint32_t page_y);

}  // namespace vitrine::zoom
