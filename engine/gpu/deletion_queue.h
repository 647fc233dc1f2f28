// Destroys GPU objects once the GPU can no longer use them. Each entry is keyed on a
// submission value of the Context's queue timeline (monotonically increasing across
// every output sharing the Context); it runs once that submission has completed.
// Plain C++ so it can be tested without a GPU.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <utility>

namespace vitrine::gpu {

class DeletionQueue {
public:
    // `after`: the submission that may still use the object. Keys must not decrease.
    void push(uint64_t after, std::function<void()> destroy) {
        if (!entries_.empty() && after < entries_.back().first) after = entries_.back().first;
        entries_.emplace_back(after, std::move(destroy));
    }
    // Runs every entry whose submission has completed.
    void collect(uint64_t completed) {
        while (!entries_.empty() && entries_.front().first <= completed) {
            auto destroy = std::move(entries_.front().second);
            entries_.pop_front();
            destroy();
        }
    }
    // Runs everything (the caller has waited for the device).
    void flush() { collect(UINT64_MAX); }
    size_t size() const { return entries_.size(); }

private:
    std::deque<std::pair<uint64_t, std::function<void()>>> entries_;
};

}  // namespace vitrine::gpu
