// A tile pyramid on disk (or made up, for tests), read tile by tile: the one interface
// every reader implements and everything that shows pyramids uses. No Vulkan here.
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/image.h"
#include "core/result.h"
#include "zoom/geometry.h"

namespace vitrine::zoom {

enum class PyramidFormat { Dzi, DziZip, Iiif3, Zoomify, Tiff, Procedural };
const char* format_name(PyramidFormat format);  // "Deep Zoom", "Deep Zoom (zip)", "IIIF 3 level 0", ...

struct PyramidInfo {
    std::string path;                  // as given: for messages
    PyramidFormat format = PyramidFormat::Dzi;
    uint32_t width = 0, height = 0;    // full resolution, pixels
    uint32_t tile_width = 0, tile_height = 0;  // content pixels per tile (overlap not counted)
    uint32_t overlap = 0;              // pixels each tile repeats of its neighbours
    // Level 0 is the full resolution; each next one half the one before (as stored: a
    // pyramid may stop before 1 x 1, e.g. a TIFF at its last tile-sized level).
    std::vector<LevelSize> levels;
    double mm_per_pixel = 0;           // physical size of one full-resolution pixel; 0: unknown
    std::string colour = "sRGB";       // "sRGB", or the ICC profile's description
    std::string tile_format;           // "jpeg", "png", "deflate", "procedural", ...
};

class Pyramid {
public:
    virtual ~Pyramid() = default;
    virtual const PyramidInfo& info() const = 0;
    // Tile (col, row) of `level` (0 = full resolution): its tile_rect() pixels with the
    // overlap, RGBA8 (alpha 255 where the format has none), rows from the top. Must be
    // safe to call from several decode threads at once. A missing, corrupt or wrongly
    // sized tile is an Error naming it (the caller falls back to a coarser level).
    virtual Result<Image8> read_tile(uint32_t level, uint32_t col, uint32_t row) const = 0;
    PixelRect tile_pixels(uint32_t level, uint32_t col, uint32_t row) const;
    uint32_t columns(uint32_t level) const;  // tiles across level
    uint32_t rows(uint32_t level) const;
};

// Opens a pyramid by what the path is: NAME.dzi (Deep Zoom folder), NAME.zip (a Deep
// Zoom zip), a folder or path to info.json (IIIF 3 level 0), a folder or path to
// ImageProperties.xml (Zoomify), .tif/.tiff (tiled pyramidal TIFF / BigTIFF), or
// "procedural:NAME:WxH" (procedural.h). Reads only the header; errors name the file.
Result<std::unique_ptr<Pyramid>> open_pyramid(const std::string& path);
// True when `path` looks like a pyramid (by its name; for command dispatch).
bool is_pyramid_path(const std::string& path);

}  // namespace vitrine::zoom
