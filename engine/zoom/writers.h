// Where the pyramid builder's encoded tiles go: Deep Zoom (NAME.dzi + NAME_files/, as
// vips dzsave lays it out), IIIF Image API 3 level 0 (a static folder, vips's
// --layout iiif3 file names) and tiled pyramidal BigTIFF. Every writer writes under a
// temporary name beside the output and moves it into place only in finish(), so a
// failed or interrupted build leaves nothing that looks complete (and no temporary).
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "zoom/encode.h"
#include "zoom/geometry.h"

namespace vitrine::zoom {

enum class OutputFormat { Dzi, Tiff, Iiif3 };

// What a writer is told before the first tile.
struct PyramidPlan {
    uint32_t width = 0, height = 0;  // full resolution, pixels
    uint32_t channels = 3;           // of the tiles: 3 RGB, 4 RGBA
    uint32_t tile = 254, overlap = 1;
    std::vector<LevelSize> levels;   // the levels written, full resolution first
    TileCodec codec = TileCodec::Jpeg;
    double mm_per_pixel = 0;         // 0: unknown
    std::vector<uint8_t> icc;        // TIFF: the profile carried (empty: none)
    std::string colour = "sRGB";     // the sidecar's "colour"
    std::string id;                  // IIIF: the service's id
};

class PyramidWriter {
public:
    // Without finish(): the temporary is removed and an existing output left as it was.
    virtual ~PyramidWriter() = default;
    // One encoded tile (level 0 = full resolution). Thread safe; tiles come in any order.
    virtual Result<void> write_tile(uint32_t level, uint32_t col, uint32_t row, const uint8_t* bytes, size_t size) = 0;
    // After the last tile: the index files, then the move into place (replacing an
    // output of the same name).
    virtual Result<void> finish() = 0;
};

// `dzi` is NAME.dzi: writes NAME.dzi, NAME_files/L/C_R.jpeg|png and NAME.vitrine.json
// ({"mm_per_pixel": X (0: unknown), "colour": "sRGB" | the profile's description}).
Result<std::unique_ptr<PyramidWriter>> create_dzi_writer(const std::filesystem::path& dzi, const PyramidPlan& plan);
// `folder` receives info.json, vitrine.json (the same sidecar) and
// {x},{y},{w},{h}/{w},{h}/0/default.jpg|png; plan.levels end at the first that fits one tile.
Result<std::unique_ptr<PyramidWriter>> create_iiif_writer(const std::filesystem::path& folder, const PyramidPlan& plan);
// `file` is NAME.tif: one IFD per level (the full resolution first, then reduced images),
// plan.tile x plan.tile tiles (edge tiles padded to full size by the builder), JPEG
// (YCbCr 4:2:0) or deflate with the horizontal predictor, the ICC profile and the
// resolution (pixels per centimetre) from mm_per_pixel.
Result<std::unique_ptr<PyramidWriter>> create_tiff_writer(const std::filesystem::path& file, const PyramidPlan& plan);

// Whether a new pyramid may be written at `out` (each writer asks when it is created and
// again before it moves the pyramid into place): never over or into this run's source
// (core/outputs.h), never replacing a folder that holds anything but a pyramid of this
// layout, and replacing a previous pyramid of the same name only with --force.
Result<void> check_pyramid_output(OutputFormat format, const std::filesystem::path& out);

// Moves `from` to `to`, replacing what is there: an existing `to` is first moved aside
// to `aside` (removed by the caller), so `to` is never missing for long. Errors name `to`.
Result<void> move_into_place(const std::filesystem::path& from, const std::filesystem::path& to,
                             const std::filesystem::path& aside);
// The sidecar's text: {"mm_per_pixel": X, "colour": "..."}.
std::string sidecar_json(const PyramidPlan& plan);
// Writes `size` bytes to a new file `path`; an Error naming it.
Result<void> write_whole_file(const std::filesystem::path& path, const void* bytes, size_t size);

}  // namespace vitrine::zoom
