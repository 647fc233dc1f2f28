// Building a tile pyramid (Deep Zoom, IIIF 3 level 0, pyramidal BigTIFF) from an image
// larger than memory, streaming: one thread decodes the source from the top (a JPEG is
// sequential), each level keeps only the rows of the tile rows being cut (3 bands of
// tile + 2 x overlap rows per level), a second thread halves each finished band into the
// level below, and worker threads encode and write the tiles. Geometry is vips
// dzsave's (geometry.h); pixels too: a coarser pixel is the mean of its 2 x 2 parents,
// (a + b + c + d + 2) >> 2, and at an odd edge the last column / row is repeated, as
// vips does (so an edge pixel is the rounded-half-up mean of the 2 or 1 that exist).
#pragma once
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"
#include "zoom/geometry.h"
#include "zoom/source.h"
#include "zoom/writers.h"

namespace vitrine::zoom {

struct BuildOptions {
    OutputFormat format = OutputFormat::Dzi;
    uint32_t tile = 0;       // content pixels per tile; 0: the format's (DZI 254, IIIF 512, TIFF 256)
    int overlap = -1;        // pixels; -1: the format's (DZI 1, IIIF and TIFF 0, which take no other)
    int quality = 85;        // JPEG tiles, 1..100
    bool lossless = false;   // PNG tiles (DZI, IIIF) or deflate (TIFF)
    double mm_per_pixel = 0; // 0: unknown
    unsigned threads = 0;    // encoding threads; 0: one per core
    std::string id;          // IIIF "id"; empty: the file: URL of the output folder
    bool progress = false;   // a progress bar with ETA on stderr, at most 10 updates a second
    bool allow_truncated = false;  // build from a source cut short (open_source), its missing rows filled
    const std::atomic<bool>* cancel = nullptr;  // set (e.g. on SIGINT) to stop and remove everything
};

struct BuildSummary {
    std::string output;
    uint32_t width = 0, height = 0, levels = 0;
    uint64_t tiles = 0;
    double seconds = 0;
    std::string line() const;  // "NAME.dzi: 20000x20000, 16 levels, 8 281 tiles in 4.2 s"
};

// Opens `input` (open_source) and builds `output`. Errors name the file (and tile).
Result<BuildSummary> build_pyramid(const std::string& input, const std::filesystem::path& output,
                                   const BuildOptions& options);
Result<BuildSummary> build_pyramid(Source& source, const std::filesystem::path& output, const BuildOptions& options);

// The levels a format writes: Deep Zoom down to 1 x 1; IIIF and TIFF down to the first
// level that fits in one tile.
std::vector<LevelSize> pyramid_levels(OutputFormat format, uint32_t width, uint32_t height, uint32_t tile);

// One row of the next level from rows `a` and `b` (the same row twice at an odd
// height) of `width` pixels of `channels` (3 or 4) 8-bit samples: ceil(width / 2) pixels.
void shrink_rows(const uint8_t* a, const uint8_t* b, uint8_t* out, uint32_t width, uint32_t channels);

}  // namespace vitrine::zoom
