// IIIF Image API 3.0, level 0: a static tree of tiles beside info.json, as `vips dzsave
// --layout iiif3` writes it: {x},{y},{w},{h}/{sw},{sh}/0/default.jpg, the region in
// full-resolution pixels, the size that region at 1 / scale factor. Level k is scale
// factor 2^k. vips lists only the scale factors whose level needs more than one tile
// (the single-tile level it also writes is not listed), so levels stop there: we read
// what info.json promises. Also accepted: region "full" and size "{sw}," (other level 0
// writers use the canonical forms).
#include <bit>
#include <nlohmann/json.hpp>

#include "core/paths.h"
#include "core/text_checks.h"
#include "zoom/readers.h"
#include "zoom/tile_codec.h"

namespace vitrine::zoom {
namespace {

class IiifPyramid final : public Pyramid {
public:
    IiifPyramid(PyramidInfo info, std::filesystem::path folder, std::string suffix)
        : info_(std::move(info)), folder_(std::move(folder)), suffix_(std::move(suffix)) {}
    const PyramidInfo& info() const override { return info_; }

    Result<Image8> read_tile(uint32_t level, uint32_t col, uint32_t row) const override {
        if (level >= info_.levels.size() || col >= columns(level) || row >= rows(level))
            return fail(info_.path + ": no tile " + std::to_string(col) + "," + std::to_string(row) + " at scale factor 2^" +
                        std::to_string(level));
        PixelRect r = tile_pixels(level, col, row);
        std::vector<std::filesystem::path> candidates = tile_paths(level, col, row, r);
        std::error_code ec;
        for (const auto& path : candidates)
            if (std::filesystem::exists(path, ec)) return read_tile_file(path, r.width, r.height, path.string());
        return fail(ErrorKind::Io, candidates.front().string() + ": missing");
    }

    // Whether any name of tile (0, 0) of the coarsest level exists (to tell JPEG from PNG trees).
    bool has_first_tile() const {
        uint32_t level = uint32_t(info_.levels.size() - 1);
        std::error_code ec;
        for (const auto& path : tile_paths(level, 0, 0, tile_pixels(level, 0, 0)))
            if (std::filesystem::exists(path, ec)) return true;
        return false;
    }

private:
    // The names a level 0 tree may give tile (col, row): vips's first.
    std::vector<std::filesystem::path> tile_paths(uint32_t level, uint32_t col, uint32_t row, PixelRect r) const {
        uint64_t s = uint64_t(1) << level;
        uint64_t x = uint64_t(col) * info_.tile_width * s, y = uint64_t(row) * info_.tile_height * s;
        uint64_t w = std::min<uint64_t>(uint64_t(info_.tile_width) * s, info_.width - x);
        uint64_t h = std::min<uint64_t>(uint64_t(info_.tile_height) * s, info_.height - y);
        std::string region = std::to_string(x) + "," + std::to_string(y) + "," + std::to_string(w) + "," + std::to_string(h);
        std::string sw = std::to_string(r.width), sh = std::to_string(r.height);
        std::vector<std::string> regions{region};
        if (x == 0 && y == 0 && w == info_.width && h == info_.height) regions.push_back("full");
        std::vector<std::filesystem::path> paths;
        for (const std::string& reg : regions)
            for (const std::string& size : {sw + "," + sh, sw + ","})
                paths.push_back(folder_ / reg / size / "0" / ("default." + suffix_));
        return paths;
    }

    PyramidInfo info_;
    std::filesystem::path folder_;
    std::string suffix_;
};

Result<uint32_t> positive(const nlohmann::json& j, const char* key, uint64_t max, const std::string& what) {
    auto it = j.find(key);
    if (it == j.end()) return fail(what + ": \"" + key + "\" is missing");
    if (!it->is_number_integer() || it->get<int64_t>() <= 0 || uint64_t(it->get<int64_t>()) > max)
        return fail(what + ": \"" + key + "\" must be a whole number from 1 to " + std::to_string(max) + ", not " + it->dump());
    return uint32_t(it->get<int64_t>());
}

}  // namespace

Result<std::unique_ptr<Pyramid>> open_iiif(const std::string& path) {
    std::filesystem::path p(path), folder = p, json_path = p / "info.json";
    std::error_code ec;
    if (!std::filesystem::is_directory(p, ec)) {
        folder = p.parent_path();
        json_path = p;
    }
    std::string what = json_path.string();
    auto bytes = read_file(json_path, 4 << 20);
    if (!bytes) {
        if (!std::filesystem::exists(json_path, ec)) return fail(ErrorKind::Io, what + ": no such file");
        return bytes.error();
    }
    std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
    if (auto ok = check_json_nesting(text, what); !ok) return ok.error();
    auto j = nlohmann::json::parse(bytes->begin(), bytes->end(), nullptr, false);
    if (j.is_discarded()) return fail(what + ": not valid JSON (truncated?)");
    if (!j.is_object()) return fail(what + ": not a JSON object");
    auto type = j.find("type");
    if (type == j.end() || !type->is_string() || *type != "ImageService3") {
        std::string got = type == j.end() ? std::string("no \"type\"") : "\"type\": " + type->dump();
        if (j.contains("@id")) got += " (IIIF Image API 2 is not supported)";
        return fail(what + ": not a IIIF Image API 3 service: " + got + ", expected \"type\": \"ImageService3\"");
    }
    auto width = positive(j, "width", kMaxPyramidSide, what);
    if (!width) return width.error();
    auto height = positive(j, "height", kMaxPyramidSide, what);
    if (!height) return height.error();
    if (auto ok = check_pyramid_size(*width, *height, what); !ok) return ok.error();
    auto tiles = j.find("tiles");
    if (tiles == j.end() || !tiles->is_array() || tiles->empty() || !tiles->front().is_object())
        return fail(what + ": \"tiles\" is missing or empty (a level 0 tree needs [{\"width\": W, \"scaleFactors\": [1, 2, ...]}])");
    const nlohmann::json& tile = tiles->front();
    auto tile_width = positive(tile, "width", kMaxTileSide, what + ": tiles[0]");
    if (!tile_width) return tile_width.error();
    uint32_t tile_height = *tile_width;
    if (tile.contains("height")) {
        auto h = positive(tile, "height", kMaxTileSide, what + ": tiles[0]");
        if (!h) return h.error();
        tile_height = *h;
    }
    auto factors = tile.find("scaleFactors");
    if (factors == tile.end() || !factors->is_array() || factors->empty())
        return fail(what + ": tiles[0] has no \"scaleFactors\"");
    // One factor per level at most: a 1000 x 1000 image has 10 levels, so 100 000 factors
    // (or 2^20 on it) describe no pyramid.
    auto levels = halving_levels(*width, *height);
    if (factors->size() > levels.size())
        return fail(what + ": tiles[0] lists " + std::to_string(factors->size()) + " scaleFactors; a " +
                    std::to_string(*width) + "x" + std::to_string(*height) + " image has at most " +
                    std::to_string(levels.size()) + " (1 to " + std::to_string(uint64_t(1) << (levels.size() - 1)) + ")");
    std::vector<bool> present(32);
    for (const auto& f : *factors) {
        if (!f.is_number_integer() || f.get<int64_t>() <= 0 || f.get<int64_t>() > (int64_t(1) << 30) ||
            (f.get<int64_t>() & (f.get<int64_t>() - 1)) != 0)
            return fail(what + ": scaleFactors " + f.dump() + " is not a power of two (1, 2, 4, ...)");
        size_t k = size_t(std::countr_zero(uint64_t(f.get<int64_t>())));
        if (k >= levels.size())
            return fail(what + ": scaleFactors " + f.dump() + " is past the smallest level of a " + std::to_string(*width) +
                        "x" + std::to_string(*height) + " image (at most " + std::to_string(uint64_t(1) << (levels.size() - 1)) + ")");
        if (present[k]) return fail(what + ": scaleFactors lists " + f.dump() + " twice");
        present[k] = true;
    }
    if (!present[0]) return fail(what + ": scaleFactors lack 1 (the full resolution)");
    PyramidInfo info;
    info.path = path;
    info.format = PyramidFormat::Iiif3;
    info.width = *width;
    info.height = *height;
    info.tile_width = *tile_width;
    info.tile_height = tile_height;
    info.overlap = 0;
    for (size_t k = 0; k < levels.size() && present[k]; ++k) info.levels.push_back(levels[k]);
    if (auto ok = read_sidecar(folder / "vitrine.json", &info); !ok) return ok.error();
    // Level 0 serves JPEG; a tree of PNG tiles says so in preferredFormats, or simply
    // has default.png files.
    bool png = false;
    if (auto pf = j.find("preferredFormats"); pf != j.end() && pf->is_array() && !pf->empty() && pf->front() == "png")
        png = true;
    info.tile_format = "jpeg";
    auto jpeg = std::make_unique<IiifPyramid>(info, folder, "jpg");
    if (!png && jpeg->has_first_tile()) return std::unique_ptr<Pyramid>(std::move(jpeg));
    info.tile_format = "png";
    auto lossless = std::make_unique<IiifPyramid>(std::move(info), folder, "png");
    if (png || lossless->has_first_tile()) return std::unique_ptr<Pyramid>(std::move(lossless));
    return std::unique_ptr<Pyramid>(std::move(jpeg));  // tiles missing: read_tile names them
}

}  // namespace vitrine::zoom
