#include "zoom/build.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <new>
#include <thread>

#include "core/log.h"
#include "zoom/colour.h"
#include "zoom/encode.h"

namespace vitrine::zoom {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::vector<LevelSize> pyramid_levels(OutputFormat format, uint32_t width, uint32_t height, uint32_t tile) {
    std::vector<LevelSize> levels = halving_levels(width, height);
    if (format == OutputFormat::Dzi) return levels;
    for (size_t i = 0; i < levels.size(); ++i)
        if (levels[i].width <= tile && levels[i].height <= tile) {
            levels.resize(i + 1);
            break;
        }
    return levels;
}

namespace {

// Two passes over a chunk, both simple enough for the compiler to vectorise the first:
// vertical sums (+ the rounding 2, split as 1 + 1) in 16 bits, then pairs across.
template <int C>
void shrink_pairs(const uint8_t* a, const uint8_t* b, uint8_t* out, uint32_t pairs) {
    constexpr uint32_t kChunk = 512;  // pairs: 512 * 2 * C * 2 bytes on the stack
    uint16_t v[kChunk * 2 * C];
    for (uint32_t first = 0; first < pairs; first += kChunk) {
        uint32_t n = std::min(kChunk, pairs - first), samples = n * 2 * C;
        const uint8_t *pa = a + size_t(first) * 2 * C, *pb = b + size_t(first) * 2 * C;
        for (uint32_t i = 0; i < samples; ++i) v[i] = uint16_t(pa[i] + pb[i] + 1);
        uint8_t* o = out + size_t(first) * C;
        for (uint32_t x = 0; x < n; ++x)
            for (int c = 0; c < C; ++c) o[x * C + c] = uint8_t((v[2 * x * C + c] + v[2 * x * C + C + c]) >> 2);
    }
}

}  // namespace

void shrink_rows(const uint8_t* a, const uint8_t* b, uint8_t* out, uint32_t width, uint32_t channels) {
    uint32_t pairs = width / 2;
    if (channels == 3) shrink_pairs<3>(a, b, out, pairs);
    else shrink_pairs<4>(a, b, out, pairs);
    if (width & 1) {  // the last column repeated: (2a + 2b + 2) >> 2
        size_t at = size_t(width - 1) * channels, to = size_t(pairs) * channels;
        for (uint32_t c = 0; c < channels; ++c) out[to + c] = uint8_t((a[at + c] + b[at + c] + 1) >> 1);
    }
}

std::string BuildSummary::line() const {
    auto grouped = [](uint64_t n) {  // 8 281
        std::string s = std::to_string(n);
        for (int i = int(s.size()) - 3; i > 0; i -= 3) s.insert(size_t(i), " ");
        return s;
    };
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", seconds);
    return output + ": " + std::to_string(width) + "x" + std::to_string(height) + ", " + std::to_string(levels) +
           (levels == 1 ? " level, " : " levels, ") + grouped(tiles) + (tiles == 1 ? " tile in " : " tiles in ") + secs + " s";
}

namespace {

// Rows of one level held for one row of tiles: level rows [first, first + rows), that
// is the tile row's content plus `overlap` rows above and below (clipped).
struct Band {
    uint32_t level = 0, index = 0;
    uint32_t first = 0, rows = 0;
    std::vector<uint8_t> pixels;
    std::atomic<int> users{0};  // tiles still to encode + the shrink into the next level
};

constexpr size_t kBandsPerLevel = 3;
constexpr uint64_t kMaxBandBytes = uint64_t(16) << 30;  // two being filled (they share overlap rows) + one being encoded

struct Level {
    LevelSize size;
    size_t stride = 0;
    uint32_t bands = 0, columns = 0;
    std::vector<std::unique_ptr<Band>> all;
    std::vector<Band*> free;  // guarded by Builder::mutex_
    std::deque<Band*> open;   // being filled, oldest first
    uint32_t next_band = 0;
    std::vector<uint8_t> carry;  // an even row whose partner is in the next band (odd tile sizes)
    uint32_t carry_row = UINT32_MAX;
};

struct Worker {
    TileEncoder encoder;
    std::vector<uint8_t> padded;
};

// Fixed worker threads; jobs in submission order.
class Workers {
public:
    explicit Workers(unsigned count) {
        for (unsigned i = 0; i < count; ++i) threads_.emplace_back([this] { run(); });
    }
    ~Workers() {
        {
            std::lock_guard lock(mutex_);
            quit_ = true;
        }
        wake_.notify_all();
        for (auto& t : threads_) t.join();
    }
    // `urgent`: ahead of the queue (work the decoding thread waits for).
    void submit(std::function<void(Worker&)> job, bool urgent = false) {
        {
            std::lock_guard lock(mutex_);
            if (urgent) jobs_.push_front(std::move(job));
            else jobs_.push_back(std::move(job));
            ++pending_;
        }
        wake_.notify_one();
    }
    // True when every submitted job has finished (waiting at most `timeout`).
    bool wait_idle(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        return idle_.wait_for(lock, timeout, [&] { return pending_ == 0; });
    }
    unsigned size() const { return unsigned(threads_.size()); }

private:
    void run() {
        Worker worker;
        std::unique_lock lock(mutex_);
        for (;;) {
            wake_.wait(lock, [&] { return quit_ || !jobs_.empty(); });
            if (jobs_.empty()) return;
            auto job = std::move(jobs_.front());
            jobs_.pop_front();
            lock.unlock();
            job(worker);
            lock.lock();
            if (--pending_ == 0) idle_.notify_all();
        }
    }
    std::mutex mutex_;
    std::condition_variable wake_, idle_;
    std::deque<std::function<void(Worker&)>> jobs_;
    size_t pending_ = 0;
    bool quit_ = false;
    std::vector<std::thread> threads_;
};

class Builder {
public:
    Builder(Source& source, PyramidWriter& writer, const PyramidPlan& plan, const BuildOptions& options,
            const ColourTransform* colour, std::string output)
        : source_(source), writer_(writer), plan_(plan), options_(options), colour_(colour), output_(std::move(output)) {
        channels_ = source.info().channels;
        pad_ = options.format == OutputFormat::Tiff;
        for (const LevelSize& s : plan.levels) {
            Level& l = levels_.emplace_back();
            l.size = s;
            l.stride = size_t(s.width) * channels_;
            l.bands = tiles_across(s.height, plan.tile);
            l.columns = tiles_across(s.width, plan.tile);
            total_tiles_ += uint64_t(l.bands) * l.columns;
        }
    }

    uint64_t total_tiles() const { return total_tiles_; }

    // What the bands of every level hold at most.
    uint64_t band_bytes() const {
        uint64_t bytes = 0;
        for (const Level& l : levels_)
            bytes += kBandsPerLevel * std::min<uint64_t>(plan_.tile + 2 * plan_.overlap, l.size.height) * l.stride;
        return bytes;
    }

    Result<void> run() {
        start_ = Clock::now();
        unsigned threads = options_.threads ? options_.threads : std::max(1u, std::thread::hardware_concurrency());
        workers_ = std::make_unique<Workers>(std::min(threads, 256u));
        std::thread shrinker([this] {
            try {
                shrink_loop();
            } catch (const std::bad_alloc&) {
                set_error(fail(output_ + ": out of memory"));
                drain_queue();
            }
        });
        try {
            decode();
        } catch (const std::bad_alloc&) {
            set_error(fail(output_ + ": out of memory"));
        }
        {
            std::lock_guard lock(mutex_);
            decoded_ = true;
        }
        queue_changed_.notify_all();
        shrinker.join();
        while (!workers_->wait_idle(std::chrono::milliseconds(100))) show_progress(false);
        workers_.reset();
        if (cancelled()) return fail("interrupted");
        if (failed_) return fail(error_kind_, error_);  // every thread has stopped: no lock needed
        VITRINE_CHECK(tiles_done_ == total_tiles_);
        show_progress(true);
        return {};
    }

private:
    bool cancelled() const { return options_.cancel && options_.cancel->load(); }
    bool stopping() const { return failed_.load() || cancelled(); }

    void set_error(const Error& e) {
        std::lock_guard lock(mutex_);
        if (!failed_.exchange(true)) {
            error_ = e.message;
            error_kind_ = e.kind;
        }
        band_freed_.notify_all();
    }

    // The decoding thread (the caller's): source rows into level 0, a few at a time.
    void decode() {
        const SourceInfo& info = source_.info();
        Level& l = levels_[0];
        constexpr uint32_t kChunk = 32;
        for (uint32_t y = 0; y < info.height && !stopping();) {
            if (!open_bands(0, y)) return;
            Band* band = l.open.front();
            uint32_t n = std::min({kChunk, band->first + band->rows - y, info.height - y});
            uint8_t* rows = band->pixels.data() + (y - band->first) * l.stride;
            if (auto r = source_.read_rows(rows, l.stride, n); !r) return set_error(r.error());
            if (colour_) convert_colour(rows, l.stride, n, info.width);
            for (uint32_t i = 0; i < n; ++i)
                if (!row_written(0, y + i)) return;
            y += n;
            show_progress(false);
        }
    }

    // ICC to sRGB on the workers too: lcms2 is slower than the decoder.
    void convert_colour(uint8_t* rows, size_t stride, uint32_t n, uint32_t width) {
        std::atomic<uint32_t> left{n};
        std::mutex m;
        std::condition_variable done;
        for (uint32_t i = 0; i < n; ++i)
            workers_->submit(
                [&, i](Worker&) {
                    colour_->convert(rows + stride * i, width);
                    std::lock_guard lock(m);  // held while notifying: the waiter's m and done outlive this
                    if (--left == 0) done.notify_all();
                },
                true);
        std::unique_lock lock(m);
        done.wait(lock, [&] { return left.load() == 0; });
    }

    // Opens every band of `level` that starts at or above row y.
    bool open_bands(uint32_t level, uint32_t y) {
        Level& l = levels_[level];
        uint32_t t = plan_.tile, ov = plan_.overlap;
        while (l.next_band < l.bands) {
            uint32_t r = l.next_band;
            uint32_t first = r * t > ov ? r * t - ov : 0;
            if (first > y) break;
            Band* band = acquire(level);
            if (!band) return false;
            band->level = level;
            band->index = r;
            band->first = first;
            band->rows = uint32_t(std::min<uint64_t>(uint64_t(r + 1) * t + ov, l.size.height)) - first;
            band->pixels.resize(size_t(band->rows) * l.stride);
            l.open.push_back(band);
            ++l.next_band;
        }
        return true;
    }

    Band* acquire(uint32_t level) {
        Level& l = levels_[level];
        std::unique_lock lock(mutex_);
        if (l.free.empty() && l.all.size() < kBandsPerLevel) {
            l.all.push_back(std::make_unique<Band>());
            return l.all.back().get();
        }
        band_freed_.wait(lock, [&] { return !l.free.empty() || failed_.load(); });
        if (l.free.empty()) return nullptr;
        Band* b = l.free.back();
        l.free.pop_back();
        return b;
    }

    void release(Band* band) {
        if (--band->users > 0) return;
        {
            std::lock_guard lock(mutex_);
            levels_[band->level].free.push_back(band);
        }
        band_freed_.notify_all();
    }

    // Row y of `level` is in its oldest open band: copy it into the next band when
    // they share it (overlap), and hand the band on when this was its last row.
    bool row_written(uint32_t level, uint32_t y) {
        if (!open_bands(level, y)) return false;
        Level& l = levels_[level];
        Band* band = l.open.front();
        if (l.open.size() > 1 && l.open[1]->first <= y)
            std::memcpy(l.open[1]->pixels.data() + (y - l.open[1]->first) * l.stride,
                        band->pixels.data() + (y - band->first) * l.stride, l.stride);
        // Done with row y: the oldest band, and the next too when its rows all were
        // shared ones (a short last tile row).
        while (!l.open.empty() && y + 1 >= l.open.front()->first + l.open.front()->rows) {
            Band* done = l.open.front();
            l.open.pop_front();
            if (!band_complete(done)) return false;
        }
        return true;
    }

    bool band_complete(Band* band) {
        Level& l = levels_[band->level];
        bool shrink = band->level + 1 < levels_.size();
        band->users = int(l.columns) + (shrink ? 1 : 0);
        for (uint32_t c = 0; c < l.columns; ++c) workers_->submit([this, band, c](Worker& w) { encode_tile(w, band, c); });
        if (!shrink) return true;
        if (band->level == 0) {  // to the shrinking thread
            {
                std::lock_guard lock(mutex_);
                queue_.push_back(band);
            }
            queue_changed_.notify_all();
            return true;
        }
        return shrink_band(band);  // already on the shrinking thread
    }

    // The next decoded band, waiting for one; null once decoding has ended and none is left.
    Band* next_band() {
        std::unique_lock lock(mutex_);
        queue_changed_.wait(lock, [&] { return !queue_.empty() || decoded_; });
        if (queue_.empty()) return nullptr;
        Band* band = queue_.front();
        queue_.pop_front();
        return band;
    }

    // After a failure on the shrinking thread: hand back the bands still queued.
    void drain_queue() {
        while (Band* band = next_band()) release(band);
    }

    void shrink_loop() {
        while (Band* band = next_band()) {
            if (stopping()) {
                release(band);
                continue;
            }
            shrink_band(band);
        }
    }

    // The band's content rows, two by two, into the next level.
    bool shrink_band(Band* band) {
        Level& l = levels_[band->level];
        uint32_t level = band->level, t = plan_.tile, h = l.size.height;
        uint32_t begin = band->index * t, end = uint32_t(std::min<uint64_t>(uint64_t(begin) + t, h));
        auto row = [&](uint32_t y) { return band->pixels.data() + (y - band->first) * l.stride; };
        bool ok = true;
        for (uint32_t y = begin; y < end && ok && !stopping(); ++y) {
            if (y % 2 == 1) {
                if (l.carry_row == y - 1) ok = emit(level, (y - 1) / 2, l.carry.data(), row(y));
                continue;
            }
            if (y + 1 >= h) ok = emit(level, y / 2, row(y), row(y));  // odd height: the last row twice
            else if (y + 1 < band->first + band->rows) ok = emit(level, y / 2, row(y), row(y + 1));
            else {
                l.carry.assign(row(y), row(y) + l.stride);
                l.carry_row = y;
            }
        }
        release(band);
        return ok;
    }

    bool emit(uint32_t level, uint32_t y, const uint8_t* a, const uint8_t* b) {
        if (!open_bands(level + 1, y)) return false;
        Level& below = levels_[level + 1];
        Band* band = below.open.front();
        shrink_rows(a, b, band->pixels.data() + (y - band->first) * below.stride, levels_[level].size.width, channels_);
        return row_written(level + 1, y);
    }

    void encode_tile(Worker& w, Band* band, uint32_t col) {
        try {
            if (!stopping()) encode_and_write(w, band, col);
        } catch (const std::bad_alloc&) {
            set_error(fail(output_ + ": out of memory"));
        }
        release(band);
    }

    void encode_and_write(Worker& w, Band* band, uint32_t col) {
        const Level& l = levels_[band->level];
        PixelRect r = tile_rect(l.size, plan_.tile, plan_.overlap, col, band->index);
        PixelView view{band->pixels.data() + (r.y - band->first) * l.stride + size_t(r.x) * channels_, l.stride,
                       r.width, r.height, channels_};
        if (pad_ && (r.width < plan_.tile || r.height < plan_.tile))
            view = pad_tile(view, plan_.tile, plan_.tile, &w.padded);
        auto encoded = w.encoder.encode(plan_.codec, view, options_.quality);
        if (encoded) encoded = writer_.write_tile(band->level, col, band->index, w.encoder.data(), w.encoder.size());
        if (!encoded) {
            Error e = encoded.error();
            if (e.message.find(output_) == std::string::npos && e.kind != ErrorKind::Io)
                e.message = output_ + ": level " + std::to_string(band->level) + " tile " + std::to_string(col) + "_" +
                            std::to_string(band->index) + ": " + e.message;
            set_error(e);
        } else {
            ++tiles_done_;
        }
    }

    void show_progress(bool last) {
        if (!options_.progress) return;
        auto now = Clock::now();
        {
            std::lock_guard lock(progress_mutex_);
            if (!last && now - last_progress_ < std::chrono::milliseconds(100)) return;
            last_progress_ = now;
        }
        uint64_t done = tiles_done_.load();
        double elapsed = std::chrono::duration<double>(now - start_).count();
        double fraction = total_tiles_ ? double(done) / double(total_tiles_) : 1.0;
        int bar = int(30 * fraction);
        char eta[32] = "";
        if (done > 0 && !last) std::snprintf(eta, sizeof eta, ", %.0f s left", elapsed / fraction - elapsed);
        std::fprintf(stderr, "\r[%.*s%*s] %3d%% %llu/%llu tiles%s   ", bar, "##############################", 30 - bar, "",
                     int(100 * fraction), (unsigned long long)done, (unsigned long long)total_tiles_, eta);
        if (last) std::fputs("\r\033[K", stderr);
        std::fflush(stderr);
    }

    Source& source_;
    PyramidWriter& writer_;
    const PyramidPlan& plan_;
    const BuildOptions& options_;
    const ColourTransform* colour_;
    std::string output_;
    uint32_t channels_ = 3;
    bool pad_ = false;
    std::deque<Level> levels_;  // deque: a Level does not move
    uint64_t total_tiles_ = 0;
    std::atomic<uint64_t> tiles_done_{0};
    std::unique_ptr<Workers> workers_;

    std::mutex mutex_;  // free bands, the shrink queue, the error
    std::condition_variable band_freed_, queue_changed_;
    std::deque<Band*> queue_;
    bool decoded_ = false;
    std::atomic<bool> failed_{false};
    std::string error_;
    ErrorKind error_kind_ = ErrorKind::BadInput;

    std::mutex progress_mutex_;
    Clock::time_point start_, last_progress_;
};

std::string file_url(const fs::path& path) {
    std::error_code ec;
    std::string p = fs::absolute(path, ec).lexically_normal().string();
    if (p.size() > 1 && p.back() == '/') p.pop_back();
    std::string url = "file://";
    for (unsigned char c : p) {
        if (std::isalnum(c) || std::strchr("/-._~", c)) url += char(c);
        else {
            char hex[4];
            std::snprintf(hex, sizeof hex, "%%%02X", c);
            url += hex;
        }
    }
    return url;
}

}  // namespace

Result<BuildSummary> build_pyramid(const std::string& input, const fs::path& output, const BuildOptions& options) {
    auto source = open_source(input, options.allow_truncated);
    if (!source) return source.error();
    return build_pyramid(**source, output, options);
}

Result<BuildSummary> build_pyramid(Source& source, const fs::path& output, const BuildOptions& options) {
    auto start = Clock::now();
    const SourceInfo& info = source.info();
    PyramidPlan plan;
    bool tiff = options.format == OutputFormat::Tiff, iiif = options.format == OutputFormat::Iiif3;
    plan.tile = options.tile ? options.tile : tiff ? 256 : iiif ? 512 : 254;
    plan.overlap = options.overlap >= 0 ? uint32_t(options.overlap) : tiff || iiif ? 0 : 1;
    if (tiff || iiif) plan.overlap = 0;
    if (plan.tile < 1 || plan.tile > 8192) return fail(ErrorKind::Usage, "--tile must be 1 to 8192 pixels");
    if (2 * plan.overlap > plan.tile) return fail(ErrorKind::Usage, "--overlap must be at most half of --tile");
    if (options.quality < 1 || options.quality > 100) return fail(ErrorKind::Usage, "--quality must be 1 to 100");
    if (!(options.mm_per_pixel >= 0)) return fail(ErrorKind::Usage, "--mm-per-pixel must be positive");
    plan.width = info.width;
    plan.height = info.height;
    plan.levels = pyramid_levels(options.format, info.width, info.height, plan.tile);
    plan.codec = options.lossless ? (tiff ? TileCodec::Deflate : TileCodec::Png) : TileCodec::Jpeg;
    plan.channels = plan.codec == TileCodec::Jpeg ? 3 : info.channels;
    if (info.channels == 4 && plan.codec == TileCodec::Jpeg)
        log::info(info.path + " has alpha: JPEG tiles have none, so it is flattened onto black (--lossless keeps it)");
    plan.mm_per_pixel = options.mm_per_pixel;
    plan.id = iiif ? (options.id.empty() ? file_url(output) : options.id) : "";

    // Colour: TIFF carries an RGB profile; browsers take JPEG / PNG tiles as sRGB, so
    // Deep Zoom and IIIF tiles are converted to it (and so is a grey profile for TIFF,
    // whose samples are RGB here).
    std::unique_ptr<ColourTransform> colour;
    if (!info.icc.empty()) {
        std::string name = icc_description(info.icc);
        if (name.empty()) {
            log::warn(info.path + ": its ICC profile cannot be read; " +
                      (tiff ? "it is carried into the TIFF as it is" : "the tiles are written unconverted (as if sRGB)"));
            if (tiff) plan.icc = info.icc;
        } else if (tiff && icc_is_rgb(info.icc)) {
            plan.icc = info.icc;
            plan.colour = name;
        } else if (!tiff && icc_is_srgb(info.icc)) {
            plan.colour = "sRGB";
        } else {
            auto t = ColourTransform::to_srgb(info.icc, info.channels, info.path);
            if (!t) return t.error();
            colour = std::move(t.value());
            log::info(info.path + ": converting from its ICC profile '" + name + "' to sRGB (perceptual) for the tiles");
        }
    }

    std::unique_ptr<PyramidWriter> writer;
    {
        auto w = tiff ? create_tiff_writer(output, plan) : iiif ? create_iiif_writer(output, plan) : create_dzi_writer(output, plan);
        if (!w) return w.error();
        writer = std::move(w.value());
    }
    std::string name = output.string();
    Builder builder(source, *writer, plan, options, colour.get(), name);
    if (builder.band_bytes() > kMaxBandBytes)
        return fail(info.path + ": a " + std::to_string(info.width) + " px wide image with " + std::to_string(plan.tile) +
                    " px tiles needs " + std::to_string(builder.band_bytes() >> 30) +
                    " GB of rows in memory (at most " + std::to_string(kMaxBandBytes >> 30) + "); use smaller --tile");
    if (auto r = builder.run(); !r) return r.error();  // the writer's destructor removes the temporary
    if (options.cancel && options.cancel->load()) return fail("interrupted");
    if (auto r = writer->finish(); !r) return r.error();
    BuildSummary summary;
    summary.output = name;
    summary.width = info.width;
    summary.height = info.height;
    summary.levels = uint32_t(plan.levels.size());
    summary.tiles = builder.total_tiles();
    summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return summary;
}

}  // namespace vitrine::zoom
