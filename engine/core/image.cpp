#include "core/image.h"

#include <cstring>
#include <memory>

#include <stb_image.h>
#include <stb_image_write.h>

#include "core/paths.h"

namespace vitrine {

Result<Image8> decode_image(const uint8_t* bytes, size_t size, const std::string& what) {
    if (size > size_t(INT32_MAX)) return fail(what + ": image is too large");
    int w = 0, h = 0, comp = 0;
    if (!stbi_info_from_memory(bytes, int(size), &w, &h, &comp))
        return fail(what + ": not a decodable image (" + std::string(stbi_failure_reason()) + ")");
    if (w <= 0 || h <= 0 || uint32_t(w) > kMaxImageSide || uint32_t(h) > kMaxImageSide)
        return fail(what + ": image is " + std::to_string(w) + "x" + std::to_string(h) +
                    ", larger than " + std::to_string(kMaxImageSide) + " pixels on a side");
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
        stbi_load_from_memory(bytes, int(size), &w, &h, &comp, 4), stbi_image_free);
    if (!pixels) return fail(what + ": image decode failed (" + std::string(stbi_failure_reason()) + ")");
    Image8 img;
    img.width = uint32_t(w);
    img.height = uint32_t(h);
    img.rgba.assign(pixels.get(), pixels.get() + size_t(w) * size_t(h) * 4);
    return img;
}

bool image_size(const uint8_t* bytes, size_t size, uint32_t* width, uint32_t* height) {
    int w = 0, h = 0, comp = 0;
    if (size > size_t(INT32_MAX) || !stbi_info_from_memory(bytes, int(size), &w, &h, &comp)) return false;
    *width = uint32_t(w);
    *height = uint32_t(h);
    return true;
}

Result<Image8> read_png(const std::filesystem::path& path) {
    auto bytes = read_file(path, uint64_t(1) << 30);
    if (!bytes) return bytes.error();
    return decode_image(bytes->data(), bytes->size(), path.string());
}

Result<ImageF> read_hdr(const std::filesystem::path& path) {
    auto bytes = read_file(path, uint64_t(1) << 30);
    if (!bytes) return bytes.error();
    int w = 0, h = 0, comp = 0;
    if (!stbi_info_from_memory(bytes->data(), int(bytes->size()), &w, &h, &comp))
        return fail(path.string() + ": not a readable image");
    if (w <= 0 || h <= 0 || uint32_t(w) > kMaxImageSide || uint32_t(h) > kMaxImageSide)
        return fail(path.string() + ": environment image is too large");
    std::unique_ptr<float, void (*)(void*)> pixels(
        stbi_loadf_from_memory(bytes->data(), int(bytes->size()), &w, &h, &comp, 4), stbi_image_free);
    if (!pixels) return fail(path.string() + ": cannot decode HDR image (" + std::string(stbi_failure_reason()) + ")");
    ImageF img;
    img.width = uint32_t(w);
    img.height = uint32_t(h);
    img.rgba.assign(pixels.get(), pixels.get() + size_t(w) * size_t(h) * 4);
    for (size_t i = 0; i < img.rgba.size(); ++i)
        if (!(img.rgba[i] >= 0.0f && img.rgba[i] < 65504.0f)) img.rgba[i] = i % 4 == 3 ? 1.0f : 0.0f;
    return img;
}

Result<void> write_png(const std::filesystem::path& path, const Image8& image) {
    if (image.width == 0 || image.height == 0 || image.rgba.size() != size_t(image.width) * image.height * 4)
        return fail(path.string() + ": refusing to write an empty or malformed image");
    if (!stbi_write_png(path.string().c_str(), int(image.width), int(image.height), 4, image.rgba.data(),
                        int(image.width * 4)))
        return fail(path.string() + ": cannot write PNG (is the folder writable?)");
    return {};
}

}  // namespace vitrine
