#include "core/png_writer.h"

#include <algorithm>
#include <utility>

namespace vitrine {

PngWriter::PngWriter(unsigned threads, size_t max_pending) : max_pending_(std::max<size_t>(max_pending, 1)) {
    if (threads == 0) threads = std::max(std::thread::hardware_concurrency(), 1u);
    workers_.reserve(threads);
    for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
}

PngWriter::~PngWriter() {
    (void)finish();
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    job_ready_.notify_all();
    for (std::thread& worker : workers_) worker.join();
}

void PngWriter::write(std::filesystem::path path, Image8 image) {
    {
        std::unique_lock lock(mutex_);
        space_free_.wait(lock, [&] { return queue_.size() < max_pending_; });
        queue_.push_back(Job{next_sequence_++, std::move(path), std::move(image)});
    }
    job_ready_.notify_one();
}

Result<void> PngWriter::finish() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return queue_.empty() && in_flight_ == 0; });
    if (!first_error_sequence_) return {};
    first_error_sequence_.reset();
    return std::move(first_error_);
}

uint64_t PngWriter::written() const {
    std::lock_guard lock(mutex_);
    return written_;
}

void PngWriter::work() {
    std::unique_lock lock(mutex_);
    for (;;) {
        job_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and nothing left to write
        Job job = std::move(queue_.front());
        queue_.pop_front();
        ++in_flight_;
        lock.unlock();
        space_free_.notify_one();

        Result<void> result = write_png(job.path, job.image);
        job.image = Image8{};  // release the pixels before waiting for the next job

        lock.lock();
        --in_flight_;
        if (result.ok()) {
            ++written_;
        } else if (!first_error_sequence_ || job.sequence < *first_error_sequence_) {
            first_error_sequence_ = job.sequence;
            first_error_ = result.error();
        }
        if (queue_.empty() && in_flight_ == 0) idle_.notify_all();
    }
}

}  // namespace vitrine
