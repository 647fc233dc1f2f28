// Decoding one tile's file bytes (JPEG through libturbojpeg, PNG through libpng) into
// RGBA8, and reading a tile file with the checks every file-based reader needs: present,
// bounded, decodable, exactly the size tile_rect says. Thread-safe (each thread keeps
// its own decompressor).
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "core/image.h"
#include "core/result.h"
#include "zoom/geometry.h"

namespace vitrine::zoom {

// Largest tile file we read (a 16384^2 PNG compresses far below this).
constexpr uint64_t kMaxTileFileBytes = uint64_t(256) << 20;

// JPEG or PNG (by magic bytes) to RGBA8, alpha 255 where the file has none; 16-bit PNG
// is reduced to 8 bits. Tiles over kMaxTileSide (readers.h) a side are refused before
// any pixel is allocated. `what` names the tile in errors ("what: corrupt JPEG (...)").
Result<Image8> decode_tile(const uint8_t* bytes, size_t size, const std::string& what);

// Checks a decoded tile is `width` x `height` ("what: 254x256 pixels, expected 255x256").
Result<void> check_tile_size(const Image8& tile, uint32_t width, uint32_t height, const std::string& what);

// Reads, decodes and size-checks the tile file `path` (named `what` in errors: a
// missing file is "what: missing").
Result<Image8> read_tile_file(const std::filesystem::path& path, uint32_t width, uint32_t height,
                              const std::string& what);

}  // namespace vitrine::zoom
