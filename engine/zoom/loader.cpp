#include "zoom/loader.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace vitrine::zoom {

size_t PageLoader::IdHash::operator()(const Id& id) const {
    return PageKeyHash{}(id.key) ^ (reinterpret_cast<uintptr_t>(id.pyramid) * 0x9E3779B97F4A7C15ull);
}

PageLoader::PageLoader(TileCache& cache, unsigned threads, size_t max_queued)
    : cache_(cache), max_queued_(std::max<size_t>(max_queued, 1)) {
    if (threads == 0) threads = std::max(std::thread::hardware_concurrency(), 1u);
    workers_.reserve(threads);
    for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
}

PageLoader::~PageLoader() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        queue_.clear();
    }
    job_ready_.notify_all();
    for (std::thread& worker : workers_) worker.join();
}

void PageLoader::request(const Pyramid* pyramid, const PageKey& key) {
    VITRINE_CHECK(pyramid);
    {
        std::lock_guard lock(mutex_);
        auto [it, added] = known_.try_emplace(Id{pyramid, key}, Known{State::Queued, {}});
        if (!added) {
            if (it->second.state != State::Queued) return;  // being composed, or done and not collected
            queue_.erase(it->second.job);                    // asked again: now the most recent
        }
        it->second.job = queue_.insert(Job{key.level, next_sequence_++, pyramid, key}).first;
        if (queue_.size() > max_queued_) {
            auto last = std::prev(queue_.end());  // finest level, oldest request
            known_.erase(Id{last->pyramid, last->key});
            queue_.erase(last);
            ++dropped_;
        }
    }
    job_ready_.notify_one();
}

std::vector<LoadedPage> PageLoader::collect() {
    std::vector<LoadedPage> pages;
    std::lock_guard lock(mutex_);
    pages.swap(done_);
    for (const LoadedPage& page : pages) known_.erase(Id{page.pyramid, page.key});
    return pages;
}

void PageLoader::wait() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return queue_.empty() && composing_ == 0; });
}

size_t PageLoader::pending() const {
    std::lock_guard lock(mutex_);
    return queue_.size() + composing_;
}

uint64_t PageLoader::dropped() const {
    std::lock_guard lock(mutex_);
    return dropped_;
}

void PageLoader::work() {
    std::unique_lock lock(mutex_);
    for (;;) {
        job_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        Job job = *queue_.begin();
        queue_.erase(queue_.begin());
        known_[Id{job.pyramid, job.key}].state = State::Composing;
        ++composing_;
        lock.unlock();

        Result<Image8> image = compose_page(*job.pyramid, cache_, job.key.level, job.key.x, job.key.y);

        lock.lock();
        --composing_;
        known_[Id{job.pyramid, job.key}].state = State::Done;
        done_.push_back(LoadedPage{job.pyramid, job.key, std::move(image)});
        if (queue_.empty() && composing_ == 0) idle_.notify_all();
    }
}

}  // namespace vitrine::zoom
