// PageLoader: pages composed on worker threads, off the render thread. The render thread
// requests the pages Residency::missing() lists and each frame collects what is done
// (non-blocking); an offline render waits for everything so its frames are sharp and
// deterministic. No Vulkan here.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/image.h"
#include "core/result.h"
#include "zoom/compose.h"
#include "zoom/page.h"
#include "zoom/pyramid.h"

namespace vitrine::zoom {

constexpr size_t kLoaderQueue = 512;

struct LoadedPage {
    const Pyramid* pyramid = nullptr;
    PageKey key;
    Result<Image8> image;  // kPageSide x kPageSide RGBA8, or the error naming the tile that failed
};

// Workers (default: hardware_concurrency, at least 1) compose requested pages through
// `cache`. Requests are deduplicated against pages queued, being composed, or done and
// not yet collected. The queue is served coarsest level first, then the most recent
// request first; past `max_queued` the finest, oldest requests are dropped (feedback asks
// for them again). The pyramids and the cache must outlive the loader (or, for a
// pyramid, its requests: wait() before destroying one). Meant for one requesting thread;
// every call is mutex-protected.
class PageLoader {
public:
    explicit PageLoader(TileCache& cache, unsigned threads = 0, size_t max_queued = kLoaderQueue);
    ~PageLoader();  // drops what is queued, finishes the pages being composed, joins
    PageLoader(const PageLoader&) = delete;
    PageLoader& operator=(const PageLoader&) = delete;

    void request(const Pyramid* pyramid, const PageKey& key);
    std::vector<LoadedPage> collect();  // the pages done since the last collect; never blocks
    void wait();                        // until nothing is queued or being composed
    size_t pending() const;             // queued + being composed (done pages not counted)
    uint64_t dropped() const;           // requests dropped because the queue was full
    unsigned threads() const { return unsigned(workers_.size()); }

private:
    struct Job {
        uint32_t level;
        uint64_t sequence;  // larger: requested more recently
        const Pyramid* pyramid;
        PageKey key;
        // Served first: coarsest level, then most recent.
        bool operator<(const Job& o) const {
            return level != o.level ? level > o.level : sequence > o.sequence;
        }
    };
    struct Id {
        const Pyramid* pyramid;
        PageKey key;
        bool operator==(const Id&) const = default;
    };
    struct IdHash {
        size_t operator()(const Id& id) const;
    };
    enum class State { Queued, Composing, Done };
    struct Known {
        State state;
        std::set<Job>::iterator job;  // when Queued
    };
    void work();

    TileCache& cache_;
    size_t max_queued_;
    mutable std::mutex mutex_;
    std::condition_variable job_ready_;  // workers wait: a job is queued, or stopping
    std::condition_variable idle_;       // wait(): nothing queued or being composed
    std::set<Job> queue_;
    std::unordered_map<Id, Known, IdHash> known_;
    std::vector<LoadedPage> done_;
    size_t composing_ = 0;
    uint64_t next_sequence_ = 0;
    uint64_t dropped_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

}  // namespace vitrine::zoom
