#include "zoom/tile_codec.h"

#include <png.h>
#include <turbojpeg.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "core/paths.h"
#include "zoom/readers.h"

namespace vitrine::zoom {
namespace {

// One decompressor per decode thread, freed when the thread ends.
struct Decompressor {
    tjhandle handle = tjInitDecompress();
    ~Decompressor() {
        if (handle) tjDestroy(handle);
    }
};

Result<Image8> decode_jpeg(const uint8_t* bytes, size_t size, const std::string& what) {
    thread_local Decompressor d;
    if (!d.handle) return fail(ErrorKind::Io, what + ": cannot start the JPEG decoder");
    if (size > 0xFFFFFFFFu) return fail(what + ": JPEG too large");
    int w = 0, h = 0, subsamp = 0, colourspace = 0;
    auto* data = const_cast<uint8_t*>(bytes);  // turbojpeg 2.1 takes non-const but only reads
    if (tjDecompressHeader3(d.handle, data, (unsigned long)size, &w, &h, &subsamp, &colourspace) != 0)
        return fail(what + ": corrupt JPEG (" + tjGetErrorStr2(d.handle) + ")");
    if (w <= 0 || h <= 0) return fail(what + ": corrupt JPEG (no image size)");
    if (uint32_t(w) > kMaxTileSide || uint32_t(h) > kMaxTileSide)
        return fail(what + ": JPEG of " + std::to_string(w) + "x" + std::to_string(h) +
                    " pixels is not a tile (at most " + std::to_string(kMaxTileSide) + " a side)");
    if (colourspace == TJCS_CMYK || colourspace == TJCS_YCCK)
        return fail(what + ": CMYK JPEG tiles are not supported (convert the pyramid to RGB)");
    Image8 image{uint32_t(w), uint32_t(h), std::vector<uint8_t>(size_t(w) * h * 4)};
    // A warning (truncated data, corrupt segment) counts as an error: a tile is all or nothing.
    if (tjDecompress2(d.handle, data, (unsigned long)size, image.rgba.data(), w, 0, h, TJPF_RGBA, 0) != 0)
        return fail(what + ": corrupt JPEG (" + tjGetErrorStr2(d.handle) + ")");
    return image;
}

struct PngSource {
    const uint8_t* bytes;
    size_t size, offset;
};

void png_read_bytes(png_structp png, png_bytep out, png_size_t n) {
    auto* src = static_cast<PngSource*>(png_get_io_ptr(png));
    if (n > src->size - src->offset) png_error(png, "truncated");
    std::memcpy(out, src->bytes + src->offset, n);
    src->offset += n;
}

struct PngError {
    char message[200] = "corrupt";
};

void png_on_error(png_structp png, png_const_charp message) {
    auto* e = static_cast<PngError*>(png_get_error_ptr(png));
    std::snprintf(e->message, sizeof e->message, "%s", message);
    png_longjmp(png, 1);
}
void png_on_warning(png_structp, png_const_charp) {}

// The PNG's decoded state lives here, outside the function that calls setjmp, so a
// longjmp from libpng leaves no C++ object of that function half-modified.
struct PngRead {
    PngSource src;
    PngError error;
    Image8 image;
    std::vector<png_bytep> rows;
    png_uint_32 width = 0, height = 0;
    bool too_large = false;
};

bool read_png_tile(png_structp png, png_infop info, PngRead* r) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_set_read_fn(png, &r->src, png_read_bytes);
    png_read_info(png, info);
    r->width = png_get_image_width(png, info);
    r->height = png_get_image_height(png, info);
    if (r->width == 0 || r->height == 0 || r->width > kMaxTileSide || r->height > kMaxTileSide) {
        r->too_large = true;
        return true;
    }
    int depth = png_get_bit_depth(png, info), type = png_get_color_type(png, info);
    if (depth == 16) png_set_strip_16(png);
    if (type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (type == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    if (type == PNG_COLOR_TYPE_GRAY || type == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
    png_set_filler(png, 0xFF, PNG_FILLER_AFTER);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (png_get_rowbytes(png, info) != size_t(r->width) * 4) png_error(png, "unexpected pixel layout");
    r->image = {r->width, r->height, std::vector<uint8_t>(size_t(r->width) * r->height * 4)};
    r->rows.resize(r->height);
    for (png_uint_32 y = 0; y < r->height; ++y) r->rows[y] = r->image.rgba.data() + size_t(y) * r->width * 4;
    png_read_image(png, r->rows.data());
    png_read_end(png, nullptr);
    return true;
}

Result<Image8> decode_png(const uint8_t* bytes, size_t size, const std::string& what) {
    PngRead r{{bytes, size, 0}};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r.error, png_on_error, png_on_warning);
    if (!png) return fail(ErrorKind::Io, what + ": cannot start the PNG decoder");
    png_infop info = png_create_info_struct(png);
    bool ok = info && read_png_tile(png, info, &r);
    png_destroy_read_struct(&png, info ? &info : nullptr, nullptr);
    if (!ok) return fail(what + ": corrupt PNG (" + r.error.message + ")");
    if (r.too_large)
        return fail(what + ": PNG of " + std::to_string(r.width) + "x" + std::to_string(r.height) +
                    " pixels is not a tile (at most " + std::to_string(kMaxTileSide) + " a side)");
    return std::move(r.image);
}

}  // namespace

Result<Image8> decode_tile(const uint8_t* bytes, size_t size, const std::string& what) {
    if (size >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return decode_jpeg(bytes, size, what);
    if (size >= 8 && std::memcmp(bytes, "\x89PNG\r\n\x1a\n", 8) == 0) return decode_png(bytes, size, what);
    if (size == 0) return fail(what + ": empty file");
    return fail(what + ": not a JPEG or PNG tile");
}

Result<void> check_tile_size(const Image8& tile, uint32_t width, uint32_t height, const std::string& what) {
    if (tile.width == width && tile.height == height) return {};
    return fail(what + ": " + std::to_string(tile.width) + "x" + std::to_string(tile.height) +
                " pixels, expected " + std::to_string(width) + "x" + std::to_string(height));
}

Result<Image8> read_tile_file(const std::filesystem::path& path, uint32_t width, uint32_t height,
                              const std::string& what) {
    // A regular file only, opened without blocking (read_file): a tile that is a FIFO, a
    // device or a folder is refused at once instead of stopping the loader.
    auto read = read_file(path, kMaxTileFileBytes);
    if (!read) {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) return fail(ErrorKind::Io, what + ": missing");
        std::string why = read.error().message;
        if (why.rfind(path.string() + ": ", 0) == 0) why.erase(0, path.string().size() + 2);
        return fail(read.error().kind, what + ": " + why);
    }
    std::vector<uint8_t>& bytes = *read;
    auto tile = decode_tile(bytes.data(), bytes.size(), what);
    if (!tile) return tile;
    if (auto ok = check_tile_size(*tile, width, height, what); !ok) return ok.error();
    return tile;
}

}  // namespace vitrine::zoom
