// Tiled pyramidal TIFF / BigTIFF (libtiff): the full resolution in the first IFD, the
// reduced levels either as SubIFDs of it or as the following IFDs flagged
// NEWSUBFILETYPE = reduced resolution (vips tiffsave --pyramid, our own builder); other
// following IFDs (a label, a macro, a thumbnail) are skipped. Levels are taken while
// each is about half the one before (ceil(previous / 2) +- 1 px) with the same tiles.
// TIFF edge tiles are padded to the full tile size in the file; we crop them.
// Decoding: JPEG (YCbCr upsampled to RGB by libtiff's JPEGCOLORMODE), deflate, LZW,
// none, ...: whatever this libtiff decodes; 8 or 16 bits (16 reduced to 8), RGB(A) or
// grey(+alpha). libtiff handles are not thread-safe: each decode thread borrows one
// from a small pool (opened on demand), so tiles decode in parallel.
#include <lcms2.h>
#include <tiffio.h>

#include <cmath>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "core/paths.h"
#include "core/log.h"
#include "zoom/readers.h"

namespace vitrine::zoom {
namespace {

// One open TIFF and what libtiff last complained about.
struct Handle {
    TIFF* tif = nullptr;
    std::string error;
    int level = -1;  // the level whose directory is current
    std::vector<uint8_t> buffer;
    ~Handle() {
        if (tif) TIFFClose(tif);
    }
};

int on_error(TIFF*, void* user, const char* module, const char* fmt, va_list ap) {
    char text[512];
    std::vsnprintf(text, sizeof text, fmt, ap);
    auto* h = static_cast<Handle*>(user);
    if (h->error.empty()) h->error = (module && *module ? std::string(module) + ": " : std::string()) + text;
    return 1;  // handled: nothing on stderr
}
int on_warning(TIFF*, void*, const char*, const char*, va_list) { return 1; }

Result<std::unique_ptr<Handle>> open_handle(const std::string& path) {
    auto h = std::make_unique<Handle>();
    TIFFOpenOptions* opts = TIFFOpenOptionsAlloc();
    TIFFOpenOptionsSetMaxSingleMemAlloc(opts, tmsize_t(512) << 20);
    TIFFOpenOptionsSetErrorHandlerExtR(opts, on_error, h.get());
    TIFFOpenOptionsSetWarningHandlerExtR(opts, on_warning, nullptr);
    // "O": tile offsets are read on demand, not all when a directory is read (fast for
    // gigapixel levels; a count that does not match surfaces at that tile).
    // A regular file only (a FIFO would block libtiff's open forever).
    auto fd = open_regular(path);
    if (!fd) {
        TIFFOpenOptionsFree(opts);
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) return fail(ErrorKind::Io, path + ": no such file");
        return fd.error();
    }
    h->tif = TIFFFdOpenExt(*fd, path.c_str(), "rO", opts);
    TIFFOpenOptionsFree(opts);
    if (!h->tif) {
        ::close(*fd);
        return fail(path + ": not a readable TIFF (" + (h->error.empty() ? "libtiff refused it" : h->error) + ")");
    }
    return h;
}

// Where a level is and how its pixels are stored.
struct Level {
    LevelSize size;
    bool sub = false;       // a SubIFD (at `offset`) or an IFD of the main chain (number `dir`)
    tdir_t dir = 0;
    toff_t offset = 0;
    uint32_t tile_width = 0, tile_height = 0;
    uint16_t photometric = 0, compression = 0, samples = 0, bits = 0;
    bool ycbcr_jpeg = false;  // decoded through JPEGCOLORMODE_RGB: 3 samples of 8 bits
};

template <typename T>
T field(TIFF* tif, ttag_t tag, T fallback) {
    T v = fallback;
    return TIFFGetField(tif, tag, &v) ? v : fallback;
}

// The current directory as a level, or why it cannot be one.
Result<Level> describe_level(TIFF* tif, const std::string& what) {
    Level l;
    uint32_t w = field<uint32_t>(tif, TIFFTAG_IMAGEWIDTH, 0), h = field<uint32_t>(tif, TIFFTAG_IMAGELENGTH, 0);
    if (auto ok = check_pyramid_size(w, h, what); !ok) return ok.error();
    l.size = {w, h};
    if (!TIFFIsTiled(tif))
        return fail(what + ": not tiled (a pyramid needs tiles: vips tiffsave in out.tif --tile --pyramid)");
    l.tile_width = field<uint32_t>(tif, TIFFTAG_TILEWIDTH, 0);
    l.tile_height = field<uint32_t>(tif, TIFFTAG_TILELENGTH, 0);
    if (!l.tile_width || !l.tile_height || l.tile_width > kMaxTileSide || l.tile_height > kMaxTileSide)
        return fail(what + ": tiles of " + std::to_string(l.tile_width) + "x" + std::to_string(l.tile_height) +
                    " pixels (1 to " + std::to_string(kMaxTileSide) + " a side)");
    l.samples = field<uint16_t>(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
    l.bits = field<uint16_t>(tif, TIFFTAG_BITSPERSAMPLE, 1);
    l.photometric = field<uint16_t>(tif, TIFFTAG_PHOTOMETRIC, 0xFFFF);
    l.compression = field<uint16_t>(tif, TIFFTAG_COMPRESSION, COMPRESSION_NONE);
    uint16_t format = field<uint16_t>(tif, TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_UINT);
    uint16_t planar = field<uint16_t>(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    if (format != SAMPLEFORMAT_UINT) return fail(what + ": floating-point or signed samples are not supported (8 or 16-bit unsigned)");
    if (l.bits != 8 && l.bits != 16) return fail(what + ": " + std::to_string(l.bits) + " bits per sample (8 or 16 supported)");
    if (planar != PLANARCONFIG_CONTIG) return fail(what + ": separate colour planes are not supported (PlanarConfiguration=2)");
    l.ycbcr_jpeg = l.photometric == PHOTOMETRIC_YCBCR && l.compression == COMPRESSION_JPEG;
    bool rgb = l.photometric == PHOTOMETRIC_RGB && (l.samples == 3 || l.samples == 4);
    bool grey = l.photometric == PHOTOMETRIC_MINISBLACK && (l.samples == 1 || l.samples == 2);
    if (l.ycbcr_jpeg && (l.samples != 3 || l.bits != 8)) return fail(what + ": YCbCr JPEG must be 3 samples of 8 bits");
    if (!rgb && !grey && !l.ycbcr_jpeg)
        return fail(what + ": photometric " + std::to_string(l.photometric) + " with " + std::to_string(l.samples) +
                    " samples is not supported (RGB, RGBA, grey, or JPEG YCbCr)");
    if (!TIFFIsCODECConfigured(l.compression))
        return fail(what + ": compression " + std::to_string(l.compression) + " is not supported by this libtiff");
    uint64_t tile_bytes = uint64_t(l.tile_width) * l.tile_height * l.samples * (l.bits / 8);
    if (tile_bytes > (uint64_t(256) << 20)) return fail(what + ": tiles of " + std::to_string(tile_bytes) + " bytes are too large");
    return l;
}

bool about_half(LevelSize above, LevelSize s) {
    auto near = [](uint32_t a, uint32_t b) { uint32_t half = (a + 1) / 2; return b + 1 >= half && b <= half + 1; };
    return near(above.width, s.width) && near(above.height, s.height) && (s.width < above.width || s.height < above.height);
}

std::string compression_name(uint16_t c) {
    switch (c) {
        case COMPRESSION_NONE: return "none";
        case COMPRESSION_JPEG: return "jpeg";
        case COMPRESSION_ADOBE_DEFLATE:
        case COMPRESSION_DEFLATE: return "deflate";
        case COMPRESSION_LZW: return "lzw";
        case COMPRESSION_PACKBITS: return "packbits";
        case COMPRESSION_WEBP: return "webp";
        case COMPRESSION_ZSTD: return "zstd";
        case COMPRESSION_JP2000: return "jpeg2000";
        default: return "compression " + std::to_string(c);
    }
}

// The embedded ICC profile's description; "sRGB" when there is none.
std::string profile_description(TIFF* tif) {
    uint32_t size = 0;
    void* data = nullptr;
    if (!TIFFGetField(tif, TIFFTAG_ICCPROFILE, &size, &data) || !size || !data) return "sRGB";
    cmsHPROFILE profile = cmsOpenProfileFromMem(data, size);
    if (!profile) return "unreadable ICC profile";
    char text[256] = "";
    cmsGetProfileInfoASCII(profile, cmsInfoDescription, "en", "US", text, sizeof text);
    cmsCloseProfile(profile);
    return *text ? std::string(text) : std::string("ICC profile without a description");
}

double mm_per_pixel(TIFF* tif) {
    float xres = 0;
    uint16_t unit = field<uint16_t>(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
    if (!TIFFGetField(tif, TIFFTAG_XRESOLUTION, &xres) || !(xres > 0) || !std::isfinite(xres)) return 0;
    if (unit == RESUNIT_INCH) return 25.4 / xres;
    if (unit == RESUNIT_CENTIMETER) return 10.0 / xres;
    return 0;  // no absolute unit
}

class TiffPyramid final : public Pyramid {
public:
    TiffPyramid(PyramidInfo info, std::vector<Level> levels, std::unique_ptr<Handle> first)
        : info_(std::move(info)), levels_(std::move(levels)) {
        free_.push_back(std::move(first));
    }
    const PyramidInfo& info() const override { return info_; }

    Result<Image8> read_tile(uint32_t level, uint32_t col, uint32_t row) const override {
        std::string what = info_.path + ": level " + std::to_string(level) + " tile " + std::to_string(col) + "_" +
                           std::to_string(row);
        if (level >= levels_.size() || col >= columns(level) || row >= rows(level)) return fail(what + ": not in this pyramid");
        auto handle = borrow();
        if (!handle) return handle.error();
        auto tile = read(**handle, level, col, row, what);
        if (!tile) (*handle)->level = -1;  // re-read the directory next time
        give_back(std::move(handle.value()));
        return tile;
    }

private:
    Result<std::unique_ptr<Handle>> borrow() const {
        {
            std::lock_guard lock(mutex_);
            if (!free_.empty()) {
                auto h = std::move(free_.back());
                free_.pop_back();
                return h;
            }
        }
        return open_handle(info_.path);
    }
    void give_back(std::unique_ptr<Handle> h) const {
        std::lock_guard lock(mutex_);
        free_.push_back(std::move(h));
    }

    Result<Image8> read(Handle& h, uint32_t level, uint32_t col, uint32_t row, const std::string& what) const {
        const Level& l = levels_[level];
        h.error.clear();
        if (h.level != int(level)) {
            bool ok = l.sub ? TIFFSetSubDirectory(h.tif, l.offset) : TIFFSetDirectory(h.tif, l.dir);
            if (!ok) return fail(what + ": cannot read its directory (" + h.error + ")");
            if (l.ycbcr_jpeg) TIFFSetField(h.tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
            h.level = int(level);
        }
        uint32_t samples = l.ycbcr_jpeg ? 3 : l.samples, bytes = l.bits / 8;
        size_t tile_bytes = size_t(l.tile_width) * l.tile_height * samples * bytes;
        if (TIFFTileSize64(h.tif) != tile_bytes) return fail(what + ": unexpected tile layout");
        h.buffer.resize(tile_bytes);
        ttile_t index = TIFFComputeTile(h.tif, col * l.tile_width, row * l.tile_height, 0, 0);
        if (index >= TIFFNumberOfTiles(h.tif)) return fail(what + ": not in the file");
        tmsize_t got = TIFFReadEncodedTile(h.tif, index, h.buffer.data(), tmsize_t(tile_bytes));
        if (got < 0 || !h.error.empty())
            return fail(what + ": corrupt (" + (h.error.empty() ? std::string("libtiff could not decode it") : h.error) + ")");
        PixelRect r = tile_pixels(level, col, row);
        Image8 out{r.width, r.height, std::vector<uint8_t>(size_t(r.width) * r.height * 4)};
        auto sample = [&](const uint8_t* p, uint32_t s) -> uint8_t {
            if (bytes == 1) return p[s];
            uint16_t v;
            std::memcpy(&v, p + 2 * s, 2);  // libtiff gives native byte order
            return uint8_t((uint32_t(v) * 255 + 32767) / 65535);
        };
        for (uint32_t y = 0; y < r.height; ++y) {
            const uint8_t* src = h.buffer.data() + size_t(y) * l.tile_width * samples * bytes;
            uint8_t* dst = out.rgba.data() + size_t(y) * r.width * 4;
            if (samples == 3 && bytes == 1) {
                for (uint32_t x = 0; x < r.width; ++x, src += 3, dst += 4) {
                    dst[0] = src[0], dst[1] = src[1], dst[2] = src[2], dst[3] = 255;
                }
                continue;
            }
            for (uint32_t x = 0; x < r.width; ++x, src += samples * bytes, dst += 4) {
                if (samples >= 3) {
                    dst[0] = sample(src, 0), dst[1] = sample(src, 1), dst[2] = sample(src, 2);
                    dst[3] = samples == 4 ? sample(src, 3) : 255;
                } else {
                    dst[0] = dst[1] = dst[2] = sample(src, 0);
                    dst[3] = samples == 2 ? sample(src, 1) : 255;
                }
            }
        }
        return out;
    }

    PyramidInfo info_;
    std::vector<Level> levels_;
    mutable std::mutex mutex_;
    mutable std::vector<std::unique_ptr<Handle>> free_;
};

}  // namespace

Result<std::unique_ptr<Pyramid>> open_tiff(const std::string& path) {
    auto opened = open_handle(path);
    if (!opened) return opened.error();
    std::unique_ptr<Handle> h = std::move(opened.value());
    TIFF* tif = h->tif;
    auto first = describe_level(tif, path);
    if (!first) return first.error();
    std::vector<Level> levels{*first};
    PyramidInfo info;
    info.path = path;
    info.format = PyramidFormat::Tiff;
    info.width = first->size.width;
    info.height = first->size.height;
    info.tile_width = first->tile_width;
    info.tile_height = first->tile_height;
    info.overlap = 0;
    info.tile_format = compression_name(first->compression);
    info.mm_per_pixel = mm_per_pixel(tif);
    info.colour = profile_description(tif);

    // Takes the current directory as the next level if it is one; false stops the search.
    auto take = [&](Level l) {
        const Level& above = levels.back();
        if (!about_half(above.size, l.size)) return false;
        if (l.tile_width != first->tile_width || l.tile_height != first->tile_height) {
            log::warn(path + ": level " + std::to_string(levels.size()) + " has other tile sizes; using " +
                      std::to_string(levels.size()) + " levels");
            return false;
        }
        levels.push_back(l);
        return true;
    };
    std::vector<toff_t> subifds;
    {
        uint16_t n = 0;
        toff_t* offsets = nullptr;
        if (TIFFGetField(tif, TIFFTAG_SUBIFD, &n, &offsets) && offsets) subifds.assign(offsets, offsets + n);
    }
    for (size_t k = 0; k < subifds.size() && k < 64; ++k) {
        std::string what = path + ": SubIFD " + std::to_string(k + 1);
        if (!TIFFSetSubDirectory(tif, subifds[k])) return fail(what + ": cannot be read (" + h->error + ")");
        auto l = describe_level(tif, what);
        if (!l) return l.error();
        l->sub = true;
        l->offset = subifds[k];
        if (!take(*l)) break;
    }
    if (subifds.empty()) {
        for (tdir_t dir = 1; dir < 64 && TIFFSetDirectory(tif, dir); ++dir) {
            if (!(field<uint32_t>(tif, TIFFTAG_SUBFILETYPE, 0) & FILETYPE_REDUCEDIMAGE)) continue;
            std::string what = path + ": IFD " + std::to_string(dir) + " (level " + std::to_string(levels.size()) + ")";
            auto l = describe_level(tif, what);
            if (!l) return l.error();
            l->dir = dir;
            if (!take(*l)) break;
        }
    }
    h->error.clear();
    h->level = -1;
    for (const Level& l : levels) info.levels.push_back(l.size);
    return std::unique_ptr<Pyramid>(new TiffPyramid(std::move(info), std::move(levels), std::move(h)));
}

}  // namespace vitrine::zoom
