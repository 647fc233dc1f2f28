// Background PNG output: encoding a 1080p frame takes ~280 ms, so image sequences hand
// frames to PngWriter and keep rendering while worker threads encode and write them.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/image.h"
#include "core/result.h"

namespace vitrine {

// Encodes and writes PNG files on worker threads so a render loop runs at the speed of rendering.
// At most `max_pending` images wait in memory for a worker; write() blocks when that many are
// queued (bounded memory: besides them, each worker holds the one image it is encoding).
// Each file is encoded and written whole by one worker, so contents do not depend on timing.
// Meant for one producer thread; the calls themselves are mutex-protected.
class PngWriter {
public:
    explicit PngWriter(unsigned threads = 0 /*0: hardware_concurrency, at least 1*/, size_t max_pending = 4);
    ~PngWriter();  // finishes queued writes (same as finish(), result ignored)
    PngWriter(const PngWriter&) = delete;
    PngWriter& operator=(const PngWriter&) = delete;

    void write(std::filesystem::path path, Image8 image);  // takes ownership; may block
    // Waits for every queued write; returns the first error (in submission order) since the last finish().
    Result<void> finish();
    uint64_t written() const;  // files written successfully so far

private:
    struct Job {
        uint64_t sequence;
        std::filesystem::path path;
        Image8 image;
    };
    void work();

    mutable std::mutex mutex_;
    std::condition_variable job_ready_;   // workers wait: a job is queued, or stopping
    std::condition_variable space_free_;  // write() waits: the queue has room
    std::condition_variable idle_;        // finish() waits: nothing queued or in flight
    std::deque<Job> queue_;
    size_t max_pending_;
    size_t in_flight_ = 0;
    uint64_t next_sequence_ = 0;
    uint64_t written_ = 0;
    std::optional<uint64_t> first_error_sequence_;
    Error first_error_;
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

}  // namespace vitrine
