// A pyramid's full resolution read as a source: a row of level-0 tiles at a time (read
// on several threads, since read_tile is thread-safe), their content cut out of the
// overlap. Lets a procedural pyramid (or an existing DZI) be built into any format.
#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <thread>

#include "zoom/pyramid.h"
#include "zoom/source.h"

namespace vitrine::zoom {
namespace {

class PyramidSource final : public Source {
public:
    Result<void> open(const std::string& path) {
        auto opened = open_pyramid(path);
        if (!opened) return opened.error();
        pyramid_ = std::move(opened.value());
        const PyramidInfo& p = pyramid_->info();
        info_.path = path;
        info_.format = format_name(p.format);
        std::string bad = check_source_size(path, p.width, p.height);
        if (!bad.empty()) return fail(bad);
        if (p.levels.empty() || p.levels[0] != LevelSize{p.width, p.height} || !p.tile_width || !p.tile_height || p.tile_width > 16384 || p.tile_height > 16384)
            return fail(path + ": a pyramid without a usable full-resolution level");
        info_.width = p.width;
        info_.height = p.height;
        info_.channels = 3;
        band_.resize(size_t(p.width) * p.tile_height * 3);
        return {};
    }

    Result<void> read_rows(uint8_t* rows, size_t stride, uint32_t count) override {
        VITRINE_CHECK(next_row_ + count <= info_.height);
        uint32_t th = pyramid_->info().tile_height;
        size_t row_bytes = size_t(info_.width) * 3;
        for (uint32_t i = 0; i < count; ++i, ++next_row_) {
            uint32_t band = next_row_ / th;
            if (band != band_index_) {
                if (auto r = read_band(band); !r) return r;
                band_index_ = band;
            }
            std::memcpy(rows + stride * i, band_.data() + row_bytes * (next_row_ - band * th), row_bytes);
        }
        return {};
    }

private:
    Result<void> read_band(uint32_t band) {
        uint32_t columns = pyramid_->columns(0);
        std::atomic<uint32_t> next{0};
        std::atomic<bool> failed{false};
        std::string error;
        std::mutex error_mutex;
        auto work = [&] {
            for (uint32_t c; !failed && (c = next++) < columns;) {
                auto tile = pyramid_->read_tile(0, c, band);
                PixelRect r = pyramid_->tile_pixels(0, c, band);
                const PyramidInfo& p = pyramid_->info();
                uint32_t x0 = c * p.tile_width, y0 = band * p.tile_height;
                uint32_t w = std::min(p.tile_width, p.width - x0), h = std::min(p.tile_height, p.height - y0);
                if (tile && (tile->width != r.width || tile->height != r.height)) tile = fail(info_.path + ": tile " +
                        std::to_string(c) + "_" + std::to_string(band) + " has the wrong size");
                if (!tile) {
                    std::lock_guard lock(error_mutex);
                    if (!failed.exchange(true)) error = tile.error().message;
                    return;
                }
                for (uint32_t y = 0; y < h; ++y) {
                    const uint8_t* src = tile->rgba.data() + (size_t(y0 - r.y + y) * r.width + (x0 - r.x)) * 4;
                    uint8_t* dst = band_.data() + (size_t(y) * p.width + x0) * 3;
                    for (uint32_t x = 0; x < w; ++x) dst[3 * x] = src[4 * x], dst[3 * x + 1] = src[4 * x + 1], dst[3 * x + 2] = src[4 * x + 2];
                }
            }
        };
        unsigned helpers = std::min<unsigned>(std::max(1u, std::thread::hardware_concurrency()), columns) - 1;
        std::vector<std::thread> threads;
        for (unsigned i = 0; i < helpers; ++i) threads.emplace_back(work);
        work();
        for (auto& t : threads) t.join();
        if (failed) return fail(error);
        return {};
    }

    std::unique_ptr<Pyramid> pyramid_;
    std::vector<uint8_t> band_;
    uint32_t band_index_ = UINT32_MAX, next_row_ = 0;
};

}  // namespace

Result<std::unique_ptr<Source>> open_pyramid_source(const std::string& path) {
    auto source = std::make_unique<PyramidSource>();
    if (auto r = source->open(path); !r) return r.error();
    return std::unique_ptr<Source>(std::move(source));
}

}  // namespace vitrine::zoom
