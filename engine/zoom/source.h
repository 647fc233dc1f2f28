// Images the pyramid builder reads: opened by what the file is (JPEG, PNG, TIFF /
// BigTIFF, or any pyramid open_pyramid opens, e.g. "procedural:pattern:WxH", read at its
// full resolution) and read from the top, a few rows at a time, so an image larger than
// memory is never held whole. Every size a file claims is checked before anything is
// allocated. Pixels come out as 8-bit RGB or RGBA (16-bit, grey, palette converted).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"

namespace vitrine::zoom {

// Largest image the builder takes: its buffers hold a band of rows of the full width.
constexpr uint32_t kMaxSourceSide = 1u << 20;  // 1 048 576 px a side

struct SourceInfo {
    std::string path;              // as given: for messages
    uint32_t width = 0, height = 0;
    uint32_t channels = 3;         // 3: RGB8, 4: RGBA8 (alpha not premultiplied)
    std::vector<uint8_t> icc;      // the embedded ICC profile, empty when none
    std::string format;            // "JPEG", "PNG", "TIFF", or a pyramid's format name
};

class Source {
public:
    virtual ~Source() = default;
    const SourceInfo& info() const { return info_; }
    // The next `count` rows, top to bottom, `stride` bytes apart (each width * channels
    // bytes). A read past the last row is a bug. A corrupt or truncated file is an Error
    // naming it (and the row or strip).
    virtual Result<void> read_rows(uint8_t* rows, size_t stride, uint32_t count) = 0;

protected:
    SourceInfo info_;
};

// By content (JPEG, PNG and TIFF signatures), or a pyramid (open_pyramid) for
// "procedural:..." specs, .dzi files and IIIF / Zoomify folders. Only regular files are
// opened (core open_regular: a FIFO or a device is refused, never waited on).
// A file whose data ends before its last row (cut short: an interrupted copy or
// download) is refused with read_rows' error, unless `allow_truncated`: then what is
// missing is grey (JPEG, as libjpeg fills it) or black (PNG, TIFF), with one warning.
Result<std::unique_ptr<Source>> open_source(const std::string& path, bool allow_truncated = false);

Result<std::unique_ptr<Source>> open_jpeg_source(const std::string& path, bool allow_truncated = false);
Result<std::unique_ptr<Source>> open_png_source(const std::string& path, bool allow_truncated = false);
// The first IFD (a pyramidal TIFF's full resolution); strips or tiles, read a strip's
// row or a row of tiles at a time.
Result<std::unique_ptr<Source>> open_tiff_source(const std::string& path, bool allow_truncated = false);
// A pyramid's level 0, a row of tiles at a time (RGB: read_tile's alpha is dropped).
Result<std::unique_ptr<Source>> open_pyramid_source(const std::string& path);

// One line when a claimed size is impossible or past kMaxSourceSide; empty when fine.
std::string check_source_size(const std::string& path, uint64_t width, uint64_t height);

}  // namespace vitrine::zoom
