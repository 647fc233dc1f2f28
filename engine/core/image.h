// CPU images: 8-bit RGBA for textures and output frames, float RGBA for HDR
// environments. Pixel rows start at the top.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/outputs.h"
#include "core/result.h"

namespace vitrine {

struct Image8 {
    uint32_t width = 0, height = 0;
    std::vector<uint8_t> rgba;  // width*height*4
};

struct ImageF {
    uint32_t width = 0, height = 0;
    std::vector<float> rgba;  // width*height*4, linear
};

// Largest texture side we accept (Vulkan devices guarantee 4096; lavapipe allows 16384).
constexpr uint32_t kMaxImageSide = 16384;
// And pixels: 16384 x 16384 (1 GiB of RGBA8), checked from the header before decoding.
constexpr uint64_t kMaxImagePixels = uint64_t(kMaxImageSide) * kMaxImageSide;

// Decodes PNG/JPEG/... from memory into RGBA8. `what` names the source in errors.
Result<Image8> decode_image(const uint8_t* bytes, size_t size, const std::string& what);
// Reads only the header; false when the bytes are not a known image format.
bool image_size(const uint8_t* bytes, size_t size, uint32_t* width, uint32_t* height);
Result<Image8> read_png(const std::filesystem::path& path);
// Radiance RGBE (.hdr): our own decoder, every read checked against the end of the data.
Result<ImageF> decode_hdr(const uint8_t* bytes, size_t size, const std::string& what);
Result<ImageF> read_hdr(const std::filesystem::path& path);
// Writes a whole PNG under a temporary name and moves it into place (core/outputs.h:
// never over an input or an existing file of another kind without --force).
Result<void> write_png(const std::filesystem::path& path, const Image8& image);
// Encodes into `out` without committing it (outputs written together: a quilt and its
// native picture are moved into place only when both are whole).
Result<void> write_png(outputs::OutputFile& out, const Image8& image);

}  // namespace vitrine
