// Tiled pyramidal BigTIFF, written by hand (libtiff writes one IFD at a time, but the
// builder finishes tiles of every level at once, on many threads): tiles are appended
// wherever they land (pwrite at an offset reserved atomically), and the IFDs, one per
// level (full resolution first, then NEWSUBFILETYPE = reduced image), are written at the
// end and linked from the header. NAME.tif.partial, renamed when complete.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "core/outputs.h"
#include "zoom/writers.h"

namespace vitrine::zoom {

namespace fs = std::filesystem;

namespace {

enum : uint16_t { kShort = 3, kLong = 4, kRational = 5, kUndefined = 7, kAscii = 2, kLong8 = 16 };

struct Entry {
    uint16_t tag = 0, type = 0;
    uint64_t count = 0;
    std::vector<uint8_t> data;  // little-endian values
};

template <typename T>
void put(std::vector<uint8_t>* out, T v) {
    for (size_t i = 0; i < sizeof(T); ++i) out->push_back(uint8_t(uint64_t(v) >> (8 * i)));
}

Entry shorts(uint16_t tag, std::initializer_list<uint16_t> values) {
    Entry e{tag, kShort, values.size(), {}};
    for (uint16_t v : values) put(&e.data, v);
    return e;
}
Entry longs(uint16_t tag, uint32_t value) {
    Entry e{tag, kLong, 1, {}};
    put(&e.data, value);
    return e;
}
Entry rationals(uint16_t tag, std::initializer_list<std::pair<uint32_t, uint32_t>> values) {
    Entry e{tag, kRational, values.size(), {}};
    for (auto [n, d] : values) put(&e.data, n), put(&e.data, d);
    return e;
}

// A positive number as a fraction with as many decimals as 32 bits allow.
std::pair<uint32_t, uint32_t> to_rational(double v) {
    uint32_t den = 1;
    while (den < 1000000 && v * den * 10 < 4.0e9) den *= 10;
    return {uint32_t(std::min(4.0e9, std::round(v * den))), den};
}

class TiffWriter final : public PyramidWriter {
public:
    ~TiffWriter() override {
        if (fd_ >= 0) close(fd_);
        std::error_code ec;
        if (!temp_.empty()) fs::remove(temp_, ec);
    }

    Result<void> create(const fs::path& file, const PyramidPlan& plan) {
        plan_ = plan;
        file_ = file;
        std::string ext = file.extension().string();
        if (ext != ".tif" && ext != ".tiff") return fail(ErrorKind::Usage, file.string() + ": a TIFF output is named NAME.tif");
        if (plan.tile % 16) return fail(ErrorKind::Usage, "TIFF tiles must be a multiple of 16 pixels (got " + std::to_string(plan.tile) + ")");
        if (auto r = check_pyramid_output(OutputFormat::Tiff, file); !r) return r;
        temp_ = outputs::temporary_beside(file);
        fd_ = open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);  // never over anything
        if (fd_ < 0) {
            int err = errno;
            temp_.clear();
            return fail(ErrorKind::Io, file.string() + ": cannot write it (" + std::strerror(err) + ")");
        }
        uint8_t header[16] = {'I', 'I', 43, 0, 8, 0, 0, 0};  // BigTIFF; first IFD offset patched at the end
        if (auto r = write_at(header, sizeof header, 0); !r) return r;
        end_ = 16;
        for (const LevelSize& l : plan.levels) {
            size_t n = size_t(tiles_across(l.width, plan.tile)) * tiles_across(l.height, plan.tile);
            offsets_.emplace_back(n, 0);
            counts_.emplace_back(n, 0);
        }
        return {};
    }

    Result<void> write_tile(uint32_t level, uint32_t col, uint32_t row, const uint8_t* bytes, size_t size) override {
        uint64_t at = end_.fetch_add(size);
        size_t index = size_t(row) * tiles_across(plan_.levels[level].width, plan_.tile) + col;
        offsets_[level][index] = at;
        counts_[level][index] = size;
        return write_at(bytes, size, at);
    }

    Result<void> finish() override {
        uint64_t at = (end_.load() + 7) & ~uint64_t(7);
        std::vector<uint8_t> out;
        uint64_t first = at;
        for (uint32_t level = 0; level < plan_.levels.size(); ++level) {
            std::vector<Entry> entries = ifd_entries(level);
            bool last = level + 1 == plan_.levels.size();
            uint64_t ifd_size = 8 + 20 * entries.size() + 8;
            uint64_t extra = at + ifd_size;  // out-of-line values follow the IFD
            std::vector<uint8_t> ifd, data;
            put<uint64_t>(&ifd, entries.size());
            for (const Entry& e : entries) {
                put(&ifd, e.tag);
                put(&ifd, e.type);
                put<uint64_t>(&ifd, e.count);
                if (e.data.size() <= 8) {
                    std::vector<uint8_t> v = e.data;
                    v.resize(8, 0);
                    ifd.insert(ifd.end(), v.begin(), v.end());
                } else {
                    put<uint64_t>(&ifd, extra + data.size());
                    data.insert(data.end(), e.data.begin(), e.data.end());
                    data.resize((data.size() + 7) & ~size_t(7), 0);
                }
            }
            uint64_t next = last ? 0 : extra + data.size();
            put<uint64_t>(&ifd, next);
            out.insert(out.end(), ifd.begin(), ifd.end());
            out.insert(out.end(), data.begin(), data.end());
            at = extra + data.size();
        }
        if (auto r = write_at(out.data(), out.size(), first); !r) return r;
        uint8_t link[8];
        for (int i = 0; i < 8; ++i) link[i] = uint8_t(first >> (8 * i));
        if (auto r = write_at(link, 8, 8); !r) return r;
        if (close(fd_) != 0) {
            fd_ = -1;
            return fail(ErrorKind::Io, temp_.string() + ": cannot write (" + std::strerror(errno) + ")");
        }
        fd_ = -1;
        if (auto r = check_pyramid_output(OutputFormat::Tiff, file_); !r) return r;  // nothing changed meanwhile
        if (auto r = move_into_place(temp_, file_, {}); !r) return r;
        temp_.clear();
        return {};
    }

private:
    Result<void> write_at(const void* bytes, size_t size, uint64_t at) {
        auto* p = static_cast<const uint8_t*>(bytes);
        while (size) {
            ssize_t n = pwrite(fd_, p, size, off_t(at));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return fail(ErrorKind::Io, temp_.string() + ": cannot write (" + std::strerror(n < 0 ? errno : ENOSPC) + ")");
            p += n, size -= size_t(n), at += uint64_t(n);
        }
        return {};
    }

    std::vector<Entry> ifd_entries(uint32_t level) const {
        const LevelSize& l = plan_.levels[level];
        bool jpeg = plan_.codec == TileCodec::Jpeg;
        uint16_t c = uint16_t(plan_.channels);
        std::vector<Entry> e;
        e.push_back(longs(254, level ? 1 : 0));  // NewSubfileType: reduced image
        e.push_back(longs(256, l.width));
        e.push_back(longs(257, l.height));
        Entry bits{258, kShort, c, {}};
        for (uint16_t i = 0; i < c; ++i) put<uint16_t>(&bits.data, 8);
        e.push_back(bits);
        e.push_back(shorts(259, {uint16_t(jpeg ? 7 : 8)}));  // JPEG / Adobe deflate
        e.push_back(shorts(262, {uint16_t(jpeg ? 6 : 2)}));  // YCbCr / RGB
        e.push_back(shorts(277, {c}));
        if (plan_.mm_per_pixel > 0) {
            auto per_cm = to_rational(10.0 / (plan_.mm_per_pixel * double(uint64_t(1) << level)));
            e.push_back(rationals(282, {per_cm}));
            e.push_back(rationals(283, {per_cm}));
        }
        e.push_back(shorts(284, {1}));  // contiguous samples
        if (plan_.mm_per_pixel > 0) e.push_back(shorts(296, {3}));  // centimetres
        Entry software{305, kAscii, 8, {'v', 'i', 't', 'r', 'i', 'n', 'e', 0}};
        e.push_back(software);
        if (!jpeg) e.push_back(shorts(317, {2}));  // horizontal predictor
        e.push_back(longs(322, plan_.tile));
        e.push_back(longs(323, plan_.tile));
        Entry offsets{324, kLong8, offsets_[level].size(), {}}, counts{325, kLong8, counts_[level].size(), {}};
        for (uint64_t v : offsets_[level]) put(&offsets.data, v);
        for (uint64_t v : counts_[level]) put(&counts.data, v);
        e.push_back(offsets);
        e.push_back(counts);
        if (c == 4) e.push_back(shorts(338, {2}));  // unassociated alpha
        if (jpeg) {
            e.push_back(shorts(530, {2, 2}));  // YCbCr 4:2:0, as tjCompress2 writes it
            e.push_back(rationals(532, {{0, 1}, {255, 1}, {128, 1}, {255, 1}, {128, 1}, {255, 1}}));
        }
        if (!plan_.icc.empty()) e.push_back(Entry{34675, kUndefined, plan_.icc.size(), plan_.icc});
        return e;
    }

    PyramidPlan plan_;
    fs::path file_, temp_;
    int fd_ = -1;
    std::atomic<uint64_t> end_{16};
    std::vector<std::vector<uint64_t>> offsets_, counts_;
};

}  // namespace

Result<std::unique_ptr<PyramidWriter>> create_tiff_writer(const fs::path& file, const PyramidPlan& plan) {
    auto w = std::make_unique<TiffWriter>();
    if (auto r = w->create(file, plan); !r) return r.error();
    return std::unique_ptr<PyramidWriter>(std::move(w));
}

}  // namespace vitrine::zoom
