#include "zoom/source.h"

#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/paths.h"
#include "zoom/pyramid.h"

namespace vitrine::zoom {

std::string check_source_size(const std::string& path, uint64_t width, uint64_t height) {
    if (!width || !height) return path + ": the image is empty (" + std::to_string(width) + " x " + std::to_string(height) + ")";
    if (width > kMaxSourceSide || height > kMaxSourceSide)
        return path + ": " + std::to_string(width) + " x " + std::to_string(height) +
               " pixels is larger than vitrine builds pyramids of (at most " + std::to_string(kMaxSourceSide) +
               " a side)";
    return {};
}

Result<std::unique_ptr<Source>> open_source(const std::string& path, bool allow_truncated) {
    if (path.rfind("procedural:", 0) == 0) return open_pyramid_source(path);
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return open_pyramid_source(path);
    auto opened = fopen_regular(path);  // a regular file only: a FIFO would block, /dev/zero never end
    if (!opened) return opened.error();
    std::FILE* f = *opened;
    uint8_t head[8] = {};
    size_t n = std::fread(head, 1, sizeof head, f);
    std::fclose(f);
    if (n >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF) return open_jpeg_source(path, allow_truncated);
    if (n >= 8 && !std::memcmp(head, "\x89PNG\r\n\x1a\n", 8)) return open_png_source(path, allow_truncated);
    if (n >= 4 && ((head[0] == 'I' && head[1] == 'I' && (head[2] == 42 || head[2] == 43) && head[3] == 0) ||
                   (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43))))
        return open_tiff_source(path, allow_truncated);
    if (is_pyramid_path(path)) return open_pyramid_source(path);
    return fail(path + ": not a JPEG, PNG or TIFF image (nor a pyramid vitrine reads)");
}

}  // namespace vitrine::zoom
