// Zoomify: ImageProperties.xml (<IMAGE_PROPERTIES WIDTH HEIGHT NUMTILES NUMIMAGES VERSION
// TILESIZE/>) beside TileGroupN/TIER-COL-ROW.jpg. Tier 0 is the coarsest; tiers go down
// only to the first size that fits one tile (so our levels stop there too). Tiles are
// numbered row by row, tier after tier from tier 0, and tile number i lives in
// TileGroup(i / 256).
// Tier sizes: `vips dzsave --layout zoomify` (8.14) halves rounding UP, like its Deep
// Zoom levels (3001x2003 in 256 px tiles: 3001x2003, 1501x1002, 751x501, 376x251, 188x126
// = 129 tiles); the original Zoomify converter and OpenSeadragon round DOWN (3000x2002,
// 1500x1001, ...). NUMTILES tells them apart: whichever rule gives that many tiles is
// used; neither is an error.
#include "core/paths.h"
#include "zoom/readers.h"
#include "zoom/tile_codec.h"

namespace vitrine::zoom {
namespace {

class ZoomifyPyramid final : public Pyramid {
public:
    ZoomifyPyramid(PyramidInfo info, std::filesystem::path folder) : info_(std::move(info)), folder_(std::move(folder)) {
        // first_[level]: the number of the level's first tile; tier 0 (the coarsest) first.
        first_.resize(info_.levels.size());
        uint64_t n = 0;
        for (size_t level = info_.levels.size(); level-- > 0;) {
            first_[level] = n;
            n += uint64_t(columns(uint32_t(level))) * rows(uint32_t(level));
        }
    }
    const PyramidInfo& info() const override { return info_; }
    Result<Image8> read_tile(uint32_t level, uint32_t col, uint32_t row) const override {
        uint32_t tier = uint32_t(info_.levels.size()) - 1 - level;
        std::string name = std::to_string(tier) + "-" + std::to_string(col) + "-" + std::to_string(row) + ".jpg";
        if (level >= info_.levels.size() || col >= columns(level) || row >= rows(level))
            return fail(info_.path + ": no tile " + name + " in this pyramid");
        uint64_t index = first_[level] + uint64_t(row) * columns(level) + col;
        std::filesystem::path path = folder_ / ("TileGroup" + std::to_string(index / 256)) / name;
        PixelRect r = tile_pixels(level, col, row);
        return read_tile_file(path, r.width, r.height, path.string());
    }

private:
    PyramidInfo info_;
    std::filesystem::path folder_;
    std::vector<uint64_t> first_;
};

// Tiers from the full resolution down to the first that fits one tile.
std::vector<LevelSize> tiers(uint32_t width, uint32_t height, uint32_t tile, bool round_up) {
    std::vector<LevelSize> levels{{width, height}};
    while (levels.back().width > tile || levels.back().height > tile) {
        LevelSize s = levels.back();
        s = round_up ? LevelSize{(s.width + 1) / 2, (s.height + 1) / 2}
                     : LevelSize{std::max(1u, s.width / 2), std::max(1u, s.height / 2)};
        levels.push_back(s);
    }
    return levels;
}

uint64_t tile_count(const std::vector<LevelSize>& levels, uint32_t tile) {
    uint64_t n = 0;
    for (LevelSize l : levels) n += uint64_t(tiles_across(l.width, tile)) * tiles_across(l.height, tile);
    return n;
}

}  // namespace

Result<std::unique_ptr<Pyramid>> open_zoomify(const std::string& path) {
    std::filesystem::path p(path), folder = p, xml = p / "ImageProperties.xml";
    std::error_code ec;
    if (!std::filesystem::is_directory(p, ec)) {
        folder = p.parent_path();
        xml = p;
    }
    std::string what = xml.string();
    auto bytes = read_file(xml, 1 << 20);
    if (!bytes) {
        if (!std::filesystem::exists(xml, ec)) return fail(ErrorKind::Io, what + ": no such file");
        return bytes.error();
    }
    auto elements = parse_xml(std::string(bytes->begin(), bytes->end()), what);
    if (!elements) return elements.error();
    const XmlElement& root = elements->front();
    if (root.name != "IMAGE_PROPERTIES")
        return fail(what + ": the root element is <" + root.name + ">, not Zoomify's <IMAGE_PROPERTIES>");
    auto width = xml_number(root, "WIDTH", 1, kMaxPyramidSide, what);
    if (!width) return width.error();
    auto height = xml_number(root, "HEIGHT", 1, kMaxPyramidSide, what);
    if (!height) return height.error();
    if (auto ok = check_pyramid_size(*width, *height, what); !ok) return ok.error();
    auto tile = xml_number(root, "TILESIZE", 1, kMaxTileSide, what);
    if (!tile) return tile.error();
    if (root.attribute("NUMIMAGES")) {
        auto images = xml_number(root, "NUMIMAGES", 1, 1, what);
        if (!images) return images.error();
    }
    auto numtiles = xml_number(root, "NUMTILES", 1, uint64_t(1) << 40, what);
    if (!numtiles) return numtiles.error();
    uint32_t t = uint32_t(*tile);
    auto up = tiers(uint32_t(*width), uint32_t(*height), t, true);
    auto down = tiers(uint32_t(*width), uint32_t(*height), t, false);
    uint64_t n_up = tile_count(up, t), n_down = tile_count(down, t);
    PyramidInfo info;
    if (*numtiles == n_up) info.levels = up;
    else if (*numtiles == n_down) info.levels = down;
    else
        return fail(what + ": NUMTILES=" + std::to_string(*numtiles) + " does not match a " + std::to_string(*width) +
                    "x" + std::to_string(*height) + " image in " + std::to_string(t) + " px tiles (" +
                    std::to_string(n_up) + " tiles, or " + std::to_string(n_down) + " rounding tier sizes down)");
    info.path = path;
    info.format = PyramidFormat::Zoomify;
    info.width = uint32_t(*width);
    info.height = uint32_t(*height);
    info.tile_width = info.tile_height = t;
    info.overlap = 0;
    info.tile_format = "jpeg";
    if (auto ok = read_sidecar(folder / "vitrine.json", &info); !ok) return ok.error();
    return std::unique_ptr<Pyramid>(new ZoomifyPyramid(std::move(info), folder));
}

}  // namespace vitrine::zoom
