// Tile encoders for the pyramid builder, one per worker thread (each keeps its buffers
// from tile to tile): JPEG through libturbojpeg (tjCompress2, 4:2:0, default DCT), PNG
// through libpng and TIFF's deflate through zlib, both at fast settings.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/result.h"

namespace vitrine::zoom {

// Pixels of one tile inside a larger buffer: `channels` (3 RGB, 4 RGBA) 8-bit samples,
// rows `stride` bytes apart, from the top.
struct PixelView {
    const uint8_t* pixels = nullptr;
    size_t stride = 0;
    uint32_t width = 0, height = 0, channels = 3;
};

enum class TileCodec { Jpeg, Png, Deflate };

class TileEncoder {
public:
    TileEncoder();
    ~TileEncoder();
    TileEncoder(const TileEncoder&) = delete;
    TileEncoder& operator=(const TileEncoder&) = delete;

    // JPEG, quality 1..100; RGBA is flattened onto black first, as vips does.
    Result<void> jpeg(const PixelView& view, int quality);
    // PNG, RGB or RGBA as given.
    Result<void> png(const PixelView& view);
    // A TIFF tile's deflate (zlib) stream, after TIFF's horizontal predictor (2).
    Result<void> deflate(const PixelView& view);
    Result<void> encode(TileCodec codec, const PixelView& view, int quality);

    // The last encoded tile; valid until the next call.
    const uint8_t* data() const { return data_; }
    size_t size() const { return size_; }

private:
    void* tj_ = nullptr;            // tjhandle
    unsigned char* jpeg_ = nullptr;  // tjAlloc'ed, jpeg_capacity_ bytes
    unsigned long jpeg_capacity_ = 0;
    void* zstream_ = nullptr;        // z_stream, reset per tile
    std::vector<uint8_t> out_, scratch_;
    const uint8_t* data_ = nullptr;
    size_t size_ = 0;
};

// A tile of `width` x `height` for formats whose tiles are all one size (TIFF): `view`
// copied into `storage` with its last column and row repeated to fill it.
PixelView pad_tile(const PixelView& view, uint32_t width, uint32_t height, std::vector<uint8_t>* storage);

}  // namespace vitrine::zoom
