#include "zoom/pyramid.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <system_error>

#include "core/paths.h"
#include "core/text_checks.h"
#include "zoom/procedural.h"
#include "zoom/readers.h"

namespace vitrine::zoom {

const char* format_name(PyramidFormat format) {
    switch (format) {
        case PyramidFormat::Dzi: return "Deep Zoom";
        case PyramidFormat::DziZip: return "Deep Zoom (zip)";
        case PyramidFormat::Iiif3: return "IIIF 3 level 0";
        case PyramidFormat::Zoomify: return "Zoomify";
        case PyramidFormat::Tiff: return "pyramidal TIFF";
        case PyramidFormat::Procedural: return "procedural";
    }
    return "unknown";
}

PixelRect Pyramid::tile_pixels(uint32_t level, uint32_t col, uint32_t row) const {
    const PyramidInfo& i = info();
    VITRINE_CHECK(level < i.levels.size());
    // tile_rect cuts square tiles; IIIF tiles may be W x H, so cut each axis on its own.
    PixelRect across = tile_rect(i.levels[level], i.tile_width, i.overlap, col, row);
    PixelRect down = tile_rect(i.levels[level], i.tile_height, i.overlap, col, row);
    return {across.x, down.y, across.width, down.height};
}

uint32_t Pyramid::columns(uint32_t level) const {
    const PyramidInfo& i = info();
    VITRINE_CHECK(level < i.levels.size());
    return tiles_across(i.levels[level].width, i.tile_width);
}

uint32_t Pyramid::rows(uint32_t level) const {
    const PyramidInfo& i = info();
    VITRINE_CHECK(level < i.levels.size());
    return tiles_across(i.levels[level].height, i.tile_height);
}

Result<void> check_pyramid_size(uint64_t width, uint64_t height, const std::string& what) {
    if (width == 0 || height == 0) return fail(what + ": the image is empty (" + std::to_string(width) + "x" + std::to_string(height) + ")");
    if (width > kMaxPyramidSide || height > kMaxPyramidSide || width * height > kMaxPyramidPixels)
        return fail(what + ": " + std::to_string(width) + "x" + std::to_string(height) +
                    " pixels is too large (at most " + std::to_string(kMaxPyramidSide) + " a side and " +
                    std::to_string(kMaxPyramidPixels >> 30) + " Gpixels)");
    return {};
}

Result<void> parse_sidecar(const std::string& text, const std::string& what, PyramidInfo* info) {
    if (auto ok = check_json_nesting(text, what); !ok) return ok;
    auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return fail(what + ": not a JSON object");
    if (auto mm = json.find("mm_per_pixel"); mm != json.end()) {
        if (!mm->is_number() || !std::isfinite(mm->get<double>()) || mm->get<double>() < 0)
            return fail(what + ": mm_per_pixel must be a number >= 0 (0: unknown)");
        info->mm_per_pixel = mm->get<double>();
    }
    if (auto colour = json.find("colour"); colour != json.end()) {
        if (!colour->is_string() || colour->get<std::string>().empty())
            return fail(what + ": colour must be a non-empty string (\"sRGB\" or a profile's description)");
        info->colour = colour->get<std::string>();
    }
    return {};
}

Result<void> read_sidecar(const std::filesystem::path& sidecar, PyramidInfo* info) {
    std::error_code ec;
    if (!std::filesystem::exists(sidecar, ec)) return {};
    auto bytes = read_file(sidecar, 1 << 20);
    if (!bytes) return bytes.error();
    return parse_sidecar(std::string(bytes->begin(), bytes->end()), sidecar.string(), info);
}

namespace {

std::string lower_extension(const std::filesystem::path& p) {
    std::string e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return e;
}

}  // namespace

Result<std::unique_ptr<Pyramid>> open_pyramid(const std::string& path) {
    if (is_procedural(path)) return open_procedural(path);
    std::filesystem::path p(path);
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
        if (std::filesystem::exists(p / "info.json", ec)) return open_iiif(path);
        if (std::filesystem::exists(p / "ImageProperties.xml", ec)) return open_zoomify(path);
        return fail(path + ": a folder without info.json (IIIF) or ImageProperties.xml (Zoomify)");
    }
    std::string ext = lower_extension(p);
    if (ext == ".dzi") return open_dzi(path);
    if (ext == ".zip") return open_dzi_zip(path);
    if (ext == ".tif" || ext == ".tiff") return open_tiff(path);
    if (p.filename() == "info.json") return open_iiif(path);
    if (p.filename() == "ImageProperties.xml") return open_zoomify(path);
    return fail(path + ": not a pyramid (expected NAME.dzi, NAME.zip, a IIIF or Zoomify folder, "
                       "a .tif, or procedural:NAME:WxH)");
}

bool is_pyramid_path(const std::string& path) {
    if (is_procedural(path)) return true;
    std::filesystem::path p(path);
    std::string ext = lower_extension(p);
    if (ext == ".dzi" || ext == ".zip" || ext == ".tif" || ext == ".tiff") return true;
    if (p.filename() == "info.json" || p.filename() == "ImageProperties.xml") return true;
    std::error_code ec;
    return std::filesystem::is_directory(p, ec) &&
           (std::filesystem::exists(p / "info.json", ec) ||
            std::filesystem::exists(p / "ImageProperties.xml", ec));
}

}  // namespace vitrine::zoom
