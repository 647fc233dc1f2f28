// Space in a fixed-size staging ring. Allocations are carved front to back and wrap
// around; each batch of allocations is released when the submission that read it has
// completed. Plain C++ so its bounds can be tested without a GPU.
#pragma once
#include <cstdint>
#include <deque>
#include <optional>

namespace vitrine::gpu {

class RingSpace {
public:
    RingSpace(uint64_t capacity, uint64_t alignment) : capacity_(capacity), alignment_(alignment ? alignment : 1) {}

    uint64_t capacity() const { return capacity_; }
    uint64_t in_use() const { return used_; }
    bool has_pending() const { return !batches_.empty() || open_bytes_ > 0; }

    // Offset of `bytes` contiguous bytes, or nothing when the ring must first retire
    // work (then wait for oldest_pending() and call release()). Never more than capacity.
    std::optional<uint64_t> allocate(uint64_t bytes) {
        if (bytes == 0 || bytes > capacity_) return std::nullopt;
        if (used_ == 0) head_ = 0;
        uint64_t tail = (head_ + capacity_ - used_) % capacity_;  // oldest live byte
        uint64_t start = align(head_), taken = 0;
        bool wrapped_free = used_ < capacity_ && head_ >= tail;  // free: [head, capacity) and [0, tail)
        if (wrapped_free && start + bytes <= capacity_) {
            taken = start - head_ + bytes;
        } else if (wrapped_free && bytes <= tail) {
            start = 0;
            taken = capacity_ - head_ + bytes;  // the skipped end stays used until released
        } else if (!wrapped_free && used_ < capacity_ && start + bytes <= tail) {
            taken = start - head_ + bytes;  // free: [head, tail)
        } else {
            return std::nullopt;
        }
        used_ += taken;
        open_bytes_ += taken;
        head_ = start + bytes;
        return start;
    }

    // The allocations made since the last close are read by `submission`.
    void close_batch(uint64_t submission) {
        if (open_bytes_ == 0) return;
        batches_.push_back({open_bytes_, submission});
        open_bytes_ = 0;
    }
    // Frees every batch whose submission has completed.
    void release(uint64_t completed) {
        while (!batches_.empty() && batches_.front().submission <= completed) {
            used_ -= batches_.front().bytes;
            batches_.pop_front();
        }
        if (used_ == 0) head_ = 0;
    }
    // The submission to wait for before space can be freed (0: none pending).
    uint64_t oldest_pending() const { return batches_.empty() ? 0 : batches_.front().submission; }

private:
    struct Batch {
        uint64_t bytes, submission;
    };
    uint64_t align(uint64_t v) const { return (v + alignment_ - 1) / alignment_ * alignment_; }

    uint64_t capacity_, alignment_;
    uint64_t head_ = 0, used_ = 0, open_bytes_ = 0;
    std::deque<Batch> batches_;
};

}  // namespace vitrine::gpu
