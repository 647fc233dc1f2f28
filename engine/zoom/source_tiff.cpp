// TIFF and BigTIFF through libtiff, the first IFD only (a pyramidal TIFF's full
// resolution). Tiled files are read a row of tiles at a time, striped ones a scanline
// at a time (planar-separate strips a strip at a time); 8/16-bit grey, grey + alpha,
// RGB(A), palette and JPEG-compressed YCbCr come out as RGB8 / RGBA8.
#include <tiffio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "core/log.h"
#include "core/paths.h"
#include "zoom/source.h"

namespace vitrine::zoom {
namespace {

constexpr uint32_t kMaxTiffTileSide = 16384;
constexpr uint64_t kMaxBandBytes = uint64_t(1) << 30;  // one row of tiles or strips, raw

int on_error(TIFF*, void* user, const char* module, const char* format, va_list args) {
    char text[512];
    std::vsnprintf(text, sizeof text, format, args);
    auto* message = static_cast<std::string*>(user);
    if (message->empty()) *message = text;  // the first error says what went wrong
    (void)module;
    return 1;
}
// Warnings stay quiet, but a codec's "premature end" (libjpeg inside libtiff fills a cut
// tile with grey and only warns) is remembered: the file was cut short.
int on_warning(TIFF*, void* user, const char*, const char* format, va_list args) {
    char text[512];
    std::vsnprintf(text, sizeof text, format, args);
    std::string t = text;
    if (t.find("remature end") != std::string::npos) {
        auto* cut = static_cast<std::string*>(user);
        if (cut->empty()) *cut = t;
    }
    return 1;
}

class TiffSource final : public Source {
public:
    explicit TiffSource(bool allow_truncated) : allow_truncated_(allow_truncated) {}

    ~TiffSource() override {
        if (tif_) TIFFClose(tif_);
    }

    Result<void> open(const std::string& path) {
        info_.path = path;
        info_.format = "TIFF";
        TIFFOpenOptions* options = TIFFOpenOptionsAlloc();
        TIFFOpenOptionsSetErrorHandlerExtR(options, on_error, &message_);
        TIFFOpenOptionsSetWarningHandlerExtR(options, on_warning, &cut_);
        TIFFOpenOptionsSetMaxSingleMemAlloc(options, tmsize_t(kMaxBandBytes));
        auto fd = open_regular(path);  // a regular file only: a FIFO would block libtiff
        if (!fd) {
            TIFFOpenOptionsFree(options);
            return fd.error();
        }
        tif_ = TIFFFdOpenExt(*fd, path.c_str(), "r", options);
        TIFFOpenOptionsFree(options);
        if (!tif_) {
            ::close(*fd);
            return fail(path + ": " + (message_.empty() ? "not a readable TIFF" : message_));
        }
        uint32_t width = 0, height = 0;
        uint16_t compression = COMPRESSION_NONE, format = SAMPLEFORMAT_UINT, planar = PLANARCONFIG_CONTIG;
        TIFFGetField(tif_, TIFFTAG_IMAGEWIDTH, &width);
        TIFFGetField(tif_, TIFFTAG_IMAGELENGTH, &height);
        TIFFGetFieldDefaulted(tif_, TIFFTAG_BITSPERSAMPLE, &bits_);
        TIFFGetFieldDefaulted(tif_, TIFFTAG_SAMPLESPERPIXEL, &samples_);
        TIFFGetFieldDefaulted(tif_, TIFFTAG_SAMPLEFORMAT, &format);
        TIFFGetFieldDefaulted(tif_, TIFFTAG_PLANARCONFIG, &planar);
        TIFFGetFieldDefaulted(tif_, TIFFTAG_COMPRESSION, &compression);
        if (!TIFFGetField(tif_, TIFFTAG_PHOTOMETRIC, &photometric_))
            photometric_ = samples_ >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;
        std::string bad = check_source_size(path, width, height);
        if (!bad.empty()) return fail(bad);
        info_.width = width;
        info_.height = height;
        separate_ = planar == PLANARCONFIG_SEPARATE;

        if ((bits_ != 8 && bits_ != 16) || format != SAMPLEFORMAT_UINT)
            return fail(path + ": " + std::to_string(bits_) + "-bit " + (format == SAMPLEFORMAT_UINT ? "" : "non-integer ") +
                        "samples are not supported (8 or 16-bit unsigned only)");
        if (samples_ < 1 || samples_ > 16) return fail(path + ": " + std::to_string(samples_) + " samples per pixel");
        switch (photometric_) {
            case PHOTOMETRIC_MINISBLACK:
            case PHOTOMETRIC_MINISWHITE: colours_ = 1; break;
            case PHOTOMETRIC_RGB: colours_ = 3; break;
            case PHOTOMETRIC_PALETTE: {
                colours_ = 1;
                if (bits_ != 8) return fail(path + ": a " + std::to_string(bits_) + "-bit palette (8-bit only)");
                uint16_t *r = nullptr, *g = nullptr, *b = nullptr;
                if (!TIFFGetField(tif_, TIFFTAG_COLORMAP, &r, &g, &b)) return fail(path + ": a palette image without a colour map");
                bool wide = false;  // some writers store 8-bit entries in the 16-bit map
                for (int i = 0; i < 256; ++i) wide = wide || r[i] > 255 || g[i] > 255 || b[i] > 255;
                for (int i = 0; i < 256; ++i)
                    palette_[i] = {uint8_t(wide ? r[i] >> 8 : r[i]), uint8_t(wide ? g[i] >> 8 : g[i]),
                                   uint8_t(wide ? b[i] >> 8 : b[i])};
                break;
            }
            case PHOTOMETRIC_YCBCR:
                if (compression != COMPRESSION_JPEG || bits_ != 8)
                    return fail(path + ": YCbCr is only supported JPEG-compressed (re-save as RGB)");
                TIFFSetField(tif_, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);  // libjpeg converts
                colours_ = 3;
                break;
            default:
                return fail(path + ": photometric interpretation " + std::to_string(photometric_) +
                            " (CMYK, Lab, ...) is not supported (convert it to RGB first)");
        }
        if (samples_ < colours_) return fail(path + ": " + std::to_string(samples_) + " samples for a colour image");
        uint16_t extra = 0;
        uint16_t* kinds = nullptr;
        if (samples_ > colours_ && TIFFGetField(tif_, TIFFTAG_EXTRASAMPLES, &extra, &kinds) && extra > 0) {
            alpha_ = kinds[0] == EXTRASAMPLE_ASSOCALPHA || kinds[0] == EXTRASAMPLE_UNASSALPHA;
            premultiplied_ = kinds[0] == EXTRASAMPLE_ASSOCALPHA;
        } else {
            alpha_ = samples_ == colours_ + 1;  // RGBA / grey + alpha without the tag
        }
        info_.channels = alpha_ ? 4 : 3;

        uint32_t icc_size = 0;
        void* icc = nullptr;
        if (TIFFGetField(tif_, TIFFTAG_ICCPROFILE, &icc_size, &icc) && icc && icc_size)
            info_.icc.assign(static_cast<uint8_t*>(icc), static_cast<uint8_t*>(icc) + icc_size);

        pixel_bytes_ = size_t(samples_) * bits_ / 8;
        if (TIFFIsTiled(tif_)) {
            TIFFGetField(tif_, TIFFTAG_TILEWIDTH, &block_width_);
            TIFFGetField(tif_, TIFFTAG_TILELENGTH, &block_height_);
            if (!block_width_ || !block_height_ || block_width_ > kMaxTiffTileSide || block_height_ > kMaxTiffTileSide)
                return fail(path + ": tiles of " + std::to_string(block_width_) + " x " + std::to_string(block_height_) +
                            " pixels (1 to " + std::to_string(kMaxTiffTileSide) + " a side)");
        } else {
            uint32_t rows_per_strip = height;
            TIFFGetFieldDefaulted(tif_, TIFFTAG_ROWSPERSTRIP, &rows_per_strip);
            block_width_ = width;
            block_height_ = std::clamp<uint32_t>(rows_per_strip, 1, height);
            scanlines_ = !separate_;
        }
        uint64_t across = (uint64_t(width) + block_width_ - 1) / block_width_ * block_width_;
        if (!scanlines_) {
            uint64_t band = across * block_height_ * pixel_bytes_;
            if (band > kMaxBandBytes)
                return fail(path + ": a row of " + std::string(TIFFIsTiled(tif_) ? "tiles" : "strips") + " would need " +
                            std::to_string(band >> 20) + " MB (re-save it tiled, e.g. vips tiffsave --tile)");
            band_.resize(size_t(across) * block_height_ * pixel_bytes_);
            block_.resize(size_t(TIFFIsTiled(tif_) ? TIFFTileSize64(tif_) : TIFFStripSize64(tif_)));
        }
        raw_row_.resize(size_t(width) * pixel_bytes_);
        return {};
    }

    Result<void> read_rows(uint8_t* rows, size_t stride, uint32_t count) override {
        VITRINE_CHECK(next_row_ + count <= info_.height);
        for (uint32_t i = 0; i < count; ++i, ++next_row_) {
            const uint8_t* raw = nullptr;
            if (scanlines_) {
                if (TIFFReadScanline(tif_, raw_row_.data(), next_row_, 0) < 0 || !cut_.empty()) {
                    if (!allow_truncated_) return failed("row", next_row_);
                    missing("row", next_row_);
                    std::fill(raw_row_.begin(), raw_row_.end(), uint8_t(0));
                }
                raw = raw_row_.data();
            } else {
                uint32_t band = next_row_ / block_height_;
                if (band != band_index_) {
                    if (auto r = read_band(band); !r) return r;
                    band_index_ = band;
                }
                size_t band_stride = band_.size() / block_height_;
                raw = band_.data() + band_stride * (next_row_ - band * block_height_);
            }
            convert(raw, rows + stride * i);
        }
        return {};
    }

private:
    Error failed(const char* what, uint32_t index) {
        std::string why = !message_.empty() ? message_ : !cut_.empty() ? "truncated: " + cut_ : "cannot be read";
        std::string m = info_.path + ": " + why + " (" + what + " " + std::to_string(index) +
                        "); a file cut short builds only with --allow-truncated (its missing pixels black)";
        message_.clear();
        return fail(m);
    }

    // --allow-truncated: a block that cannot be read is black, said once.
    void missing(const char* what, uint32_t index) {
        if (!warned_)
            log::warn(info_.path + ": " + (!message_.empty() ? message_ : !cut_.empty() ? cut_ : "cannot be read") + " (" +
                      what + " " + std::to_string(index) + "); built anyway (--allow-truncated): what is missing is black");
        warned_ = true;
        message_.clear();
        cut_.clear();
    }

    // The row of tiles (or strips) holding band `band`, samples interleaved.
    Result<void> read_band(uint32_t band) {
        size_t band_stride = band_.size() / block_height_;
        uint32_t planes = separate_ ? samples_ : 1;
        size_t sample_bytes = bits_ / 8, block_pixel = separate_ ? sample_bytes : pixel_bytes_;
        uint32_t y = band * block_height_;
        for (uint32_t x = 0; x < info_.width; x += block_width_) {
            for (uint32_t plane = 0; plane < planes; ++plane) {
                tmsize_t got;
                const bool tiled = TIFFIsTiled(tif_);
                const uint32_t strip = tiled ? 0 : TIFFComputeStrip(tif_, y, uint16_t(plane));
                if (tiled) got = TIFFReadTile(tif_, block_.data(), x, y, 0, uint16_t(plane));
                else got = TIFFReadEncodedStrip(tif_, strip, block_.data(), tmsize_t(block_.size()));
                size_t block_stride = size_t(block_width_) * block_pixel;
                uint32_t need = std::min(block_height_, info_.height - y);
                if (got < 0 || !cut_.empty() || uint32_t(size_t(got) / block_stride) < need) {
                    if (!allow_truncated_) {
                        if (got >= 0 && cut_.empty() && message_.empty())
                            return fail(info_.path + ": a short tile or strip at row " + std::to_string(y) +
                                        "; a file cut short builds only with --allow-truncated");
                        return tiled ? failed("tile at row", y) : failed("strip", strip);
                    }
                    tiled ? missing("tile at row", y) : missing("strip", strip);
                    if (got < 0) got = 0;
                    std::fill(block_.begin() + std::min<size_t>(size_t(got), block_.size()), block_.end(), uint8_t(0));
                    got = tmsize_t(block_.size());
                }
                uint32_t rows = std::min<uint32_t>(block_height_, uint32_t(size_t(got) / block_stride));
                for (uint32_t r = 0; r < rows; ++r) {
                    const uint8_t* src = block_.data() + block_stride * r;
                    uint8_t* dst = band_.data() + band_stride * r + size_t(x) * pixel_bytes_;
                    if (!separate_) {
                        std::memcpy(dst, src, block_stride);
                        continue;
                    }
                    for (uint32_t px = 0; px < block_width_; ++px)
                        std::memcpy(dst + px * pixel_bytes_ + plane * sample_bytes, src + px * sample_bytes, sample_bytes);
                }
            }
        }
        return {};
    }

    uint8_t sample(const uint8_t* p, uint32_t s) const {
        if (bits_ == 8) return p[s];
        uint16_t v;
        std::memcpy(&v, p + 2 * s, 2);
        return uint8_t((uint32_t(v) * 255 + 32895) >> 16);
    }

    void convert(const uint8_t* raw, uint8_t* out) const {
        uint32_t c = info_.channels;
        for (uint32_t x = 0; x < info_.width; ++x, raw += pixel_bytes_, out += c) {
            if (photometric_ == PHOTOMETRIC_PALETTE) {
                const auto& e = palette_[raw[0]];
                out[0] = e[0], out[1] = e[1], out[2] = e[2];
            } else if (colours_ == 1) {
                uint8_t v = sample(raw, 0);
                if (photometric_ == PHOTOMETRIC_MINISWHITE) v = uint8_t(255 - v);
                out[0] = out[1] = out[2] = v;
            } else {
                out[0] = sample(raw, 0), out[1] = sample(raw, 1), out[2] = sample(raw, 2);
            }
            if (c == 4) {
                uint8_t a = sample(raw, colours_);
                out[3] = a;
                if (premultiplied_ && a && a < 255)
                    for (int k = 0; k < 3; ++k) out[k] = uint8_t(std::min(255u, (out[k] * 255u + a / 2) / a));
            }
        }
    }

    TIFF* tif_ = nullptr;
    std::string message_;
    std::string cut_;  // a codec said the data ends early
    bool allow_truncated_ = false, warned_ = false;
    uint16_t bits_ = 1, samples_ = 1, photometric_ = 0;
    uint32_t colours_ = 1;
    bool alpha_ = false, premultiplied_ = false, separate_ = false, scanlines_ = false;
    std::array<std::array<uint8_t, 3>, 256> palette_ = {};
    size_t pixel_bytes_ = 0;
    uint32_t block_width_ = 0, block_height_ = 0;
    uint32_t band_index_ = UINT32_MAX, next_row_ = 0;
    std::vector<uint8_t> band_, block_, raw_row_;
};

}  // namespace

Result<std::unique_ptr<Source>> open_tiff_source(const std::string& path, bool allow_truncated) {
    auto source = std::make_unique<TiffSource>(allow_truncated);
    if (auto r = source->open(path); !r) return r.error();
    return std::unique_ptr<Source>(std::move(source));
}

}  // namespace vitrine::zoom
