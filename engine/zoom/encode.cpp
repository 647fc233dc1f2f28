#include "zoom/encode.h"

#include <png.h>
#include <turbojpeg.h>
#include <zlib.h>

#include <csetjmp>
#include <cstring>
#include <string>

namespace vitrine::zoom {

TileEncoder::TileEncoder() {}

TileEncoder::~TileEncoder() {
    if (tj_) tjDestroy(static_cast<tjhandle>(tj_));
    if (jpeg_) tjFree(jpeg_);
    if (zstream_) {
        deflateEnd(static_cast<z_stream*>(zstream_));
        delete static_cast<z_stream*>(zstream_);
    }
}

Result<void> TileEncoder::encode(TileCodec codec, const PixelView& view, int quality) {
    switch (codec) {
        case TileCodec::Jpeg: return jpeg(view, quality);
        case TileCodec::Png: return png(view);
        case TileCodec::Deflate: return deflate(view);
    }
    return fail("unknown tile codec");
}

Result<void> TileEncoder::jpeg(const PixelView& view, int quality) {
    if (!tj_ && !(tj_ = tjInitCompress())) return fail(std::string("libturbojpeg: ") + tjGetErrorStr2(nullptr));
    const uint8_t* pixels = view.pixels;
    size_t stride = view.stride;
    if (view.channels == 4) {  // flatten onto black: c * a / 255
        scratch_.resize(size_t(view.width) * view.height * 3);
        for (uint32_t y = 0; y < view.height; ++y) {
            const uint8_t* s = view.pixels + view.stride * y;
            uint8_t* d = scratch_.data() + size_t(view.width) * 3 * y;
            for (uint32_t x = 0; x < view.width; ++x, s += 4, d += 3)
                for (int c = 0; c < 3; ++c) d[c] = uint8_t((s[c] * s[3] + 127) / 255);
        }
        pixels = scratch_.data();
        stride = size_t(view.width) * 3;
    }
    unsigned long need = tjBufSize(int(view.width), int(view.height), TJSAMP_420);
    if (need > jpeg_capacity_) {
        if (jpeg_) tjFree(jpeg_);
        jpeg_ = tjAlloc(int(need));
        jpeg_capacity_ = jpeg_ ? need : 0;
        if (!jpeg_) return fail("out of memory for a JPEG tile");
    }
    unsigned long size = jpeg_capacity_;
    if (tjCompress2(static_cast<tjhandle>(tj_), pixels, int(view.width), int(stride), int(view.height), TJPF_RGB, &jpeg_,
                    &size, TJSAMP_420, quality, TJFLAG_NOREALLOC) != 0)
        return fail(std::string("libturbojpeg: ") + tjGetErrorStr2(static_cast<tjhandle>(tj_)));
    data_ = jpeg_;
    size_ = size;
    return {};
}

namespace {

void png_append(png_structp png, png_bytep bytes, png_size_t size) {
    auto* out = static_cast<std::vector<uint8_t>*>(png_get_io_ptr(png));
    out->insert(out->end(), bytes, bytes + size);
}
void png_flush(png_structp) {}
void png_fail(png_structp png, png_const_charp message) {
    *static_cast<std::string*>(png_get_error_ptr(png)) = message ? message : "libpng error";
    png_longjmp(png, 1);
}
void png_warning(png_structp, png_const_charp) {}

// Everything with a destructor lives outside this frame (setjmp).
bool write_png(png_structp png, png_infop info, const PixelView& view, std::vector<uint8_t>* out) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_set_write_fn(png, out, png_append, png_flush);
    png_set_compression_level(png, 1);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    png_set_IHDR(png, info, view.width, view.height, 8, view.channels == 4 ? PNG_COLOR_TYPE_RGBA : PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
    png_write_info(png, info);
    for (uint32_t y = 0; y < view.height; ++y) png_write_row(png, view.pixels + view.stride * y);
    png_write_end(png, info);
    return true;
}

}  // namespace

Result<void> TileEncoder::png(const PixelView& view) {
    std::string message;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &message, png_fail, png_warning);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!info) {
        png_destroy_write_struct(&png, nullptr);
        return fail("libpng could not start");
    }
    out_.clear();
    bool ok = write_png(png, info, view, &out_);
    png_destroy_write_struct(&png, &info);
    if (!ok) return fail("libpng: " + message);
    data_ = out_.data();
    size_ = out_.size();
    return {};
}

Result<void> TileEncoder::deflate(const PixelView& view) {
    auto* z = static_cast<z_stream*>(zstream_);
    if (!z) {
        z = new z_stream{};
        if (deflateInit(z, 1) != Z_OK) {
            delete z;
            return fail("zlib could not start");
        }
        zstream_ = z;
    } else {
        deflateReset(z);
    }
    // TIFF predictor 2: each sample minus the same sample of the pixel to its left.
    size_t row = size_t(view.width) * view.channels;
    scratch_.resize(row * view.height);
    for (uint32_t y = 0; y < view.height; ++y) {
        const uint8_t* s = view.pixels + view.stride * y;
        uint8_t* d = scratch_.data() + row * y;
        for (size_t i = 0; i < view.channels && i < row; ++i) d[i] = s[i];
        for (size_t i = view.channels; i < row; ++i) d[i] = uint8_t(s[i] - s[i - view.channels]);
    }
    out_.resize(deflateBound(z, uLong(scratch_.size())));
    z->next_in = scratch_.data();
    z->avail_in = uInt(scratch_.size());
    z->next_out = out_.data();
    z->avail_out = uInt(out_.size());
    if (::deflate(z, Z_FINISH) != Z_STREAM_END) return fail("zlib: deflate failed");
    data_ = out_.data();
    size_ = out_.size() - z->avail_out;
    return {};
}

PixelView pad_tile(const PixelView& view, uint32_t width, uint32_t height, std::vector<uint8_t>* storage) {
    VITRINE_CHECK(view.width && view.height && view.width <= width && view.height <= height);
    uint32_t c = view.channels;
    size_t row = size_t(width) * c;
    storage->resize(row * height);
    for (uint32_t y = 0; y < height; ++y) {
        uint8_t* d = storage->data() + row * y;
        if (y >= view.height) {
            std::memcpy(d, storage->data() + row * (view.height - 1), row);
            continue;
        }
        std::memcpy(d, view.pixels + view.stride * y, size_t(view.width) * c);
        for (uint32_t x = view.width; x < width; ++x) std::memcpy(d + size_t(x) * c, d + size_t(view.width - 1) * c, c);
    }
    return {storage->data(), row, width, height, c};
}

}  // namespace vitrine::zoom
