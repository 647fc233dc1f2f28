// IIIF Image API 3.0 level 0: a static folder with vips dzsave --layout iiif3's file
// names, {x},{y},{w},{h}/{w},{h}/0/default.jpg (the region in full-resolution pixels,
// then the size served), and our info.json (with "sizes", which vips leaves out) plus
// the sidecar vitrine.json. Written as FOLDER.partial, renamed at the end.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <nlohmann/json.hpp>

#include "core/outputs.h"
#include "zoom/writers.h"

namespace vitrine::zoom {

namespace fs = std::filesystem;

namespace {

class IiifWriter final : public PyramidWriter {
public:
    ~IiifWriter() override {
        std::error_code ec;
        if (!temp_.empty()) fs::remove_all(temp_, ec);
    }

    Result<void> create(const fs::path& folder, const PyramidPlan& plan) {
        plan_ = plan;
        folder_ = folder.filename().empty() ? folder.parent_path() : folder;  // "out/" names "out"
        if (folder_.filename().empty() || folder_.filename() == "." || folder_.filename() == "..")
            return fail(ErrorKind::Usage, folder.string() + ": a IIIF output is a folder name, e.g. out/image");
        fs::path parent = folder_.parent_path().empty() ? fs::path(".") : folder_.parent_path();
        std::error_code ec;
        if (!fs::is_directory(parent, ec))
            return fail(ErrorKind::Io, folder.string() + ": cannot write it: the folder " + parent.string() + " does not exist");
        if (auto r = check_pyramid_output(OutputFormat::Iiif3, folder_); !r) return r;
        // A fresh name: an existing FOLDER.partial-... is never touched.
        for (int attempt = 0; temp_.empty() && attempt < 100; ++attempt) {
            fs::path candidate = outputs::temporary_beside(folder_);
            if (fs::create_directory(candidate, ec)) temp_ = candidate;
            else if (ec) return fail(ErrorKind::Io, candidate.string() + ": cannot create (" + ec.message() + ")");
        }
        if (temp_.empty()) return fail(ErrorKind::Io, folder_.string() + ": cannot find a free temporary name beside it");
        suffix_ = plan.codec == TileCodec::Png ? "png" : "jpg";
        return {};
    }

    Result<void> write_tile(uint32_t level, uint32_t col, uint32_t row, const uint8_t* bytes, size_t size) override {
        PixelRect r = tile_rect(plan_.levels[level], plan_.tile, 0, col, row);
        uint64_t s = uint64_t(1) << level;
        uint64_t x = r.x * s, y = r.y * s;
        uint64_t w = std::min<uint64_t>(r.width * s, plan_.width - x), h = std::min<uint64_t>(r.height * s, plan_.height - y);
        char region[96], size_part[48];
        std::snprintf(region, sizeof region, "/%llu,%llu,%llu,%llu", (unsigned long long)x, (unsigned long long)y,
                      (unsigned long long)w, (unsigned long long)h);
        std::snprintf(size_part, sizeof size_part, "/%u,%u", r.width, r.height);
        std::string path = temp_.string() + region;
        const char* parts[] = {"", size_part, "/0"};
        for (const char* part : parts) {
            path += part;
            if (mkdir(path.c_str(), 0777) != 0 && errno != EEXIST)
                return fail(ErrorKind::Io, path + ": cannot create (" + std::strerror(errno) + ")");
        }
        return write_whole_file(path + "/default." + suffix_, bytes, size);
    }

    Result<void> finish() override {
        nlohmann::ordered_json info;
        info["@context"] = "http://iiif.io/api/image/3/context.json";
        info["id"] = plan_.id;
        info["type"] = "ImageService3";
        info["protocol"] = "http://iiif.io/api/image";
        info["profile"] = "level0";
        info["width"] = plan_.width;
        info["height"] = plan_.height;
        nlohmann::ordered_json tiles;
        tiles["width"] = plan_.tile;
        tiles["height"] = plan_.tile;
        tiles["scaleFactors"] = nlohmann::ordered_json::array();
        for (uint32_t level = 0; level < plan_.levels.size(); ++level) tiles["scaleFactors"].push_back(uint64_t(1) << level);
        info["tiles"] = nlohmann::ordered_json::array({tiles});
        info["sizes"] = nlohmann::ordered_json::array();
        for (size_t i = plan_.levels.size(); i-- > 0;) {
            const LevelSize& l = plan_.levels[i];
            if (l.width > plan_.tile || l.height > plan_.tile) break;
            nlohmann::ordered_json size;
            size["width"] = l.width;
            size["height"] = l.height;
            info["sizes"].push_back(size);
        }
        std::string text = info.dump(2) + "\n";
        if (auto r = write_whole_file(temp_ / "info.json", text.data(), text.size()); !r) return r;
        std::string sidecar = sidecar_json(plan_);
        if (auto r = write_whole_file(temp_ / "vitrine.json", sidecar.data(), sidecar.size()); !r) return r;
        if (auto r = check_pyramid_output(OutputFormat::Iiif3, folder_); !r) return r;  // nothing changed meanwhile
        fs::path aside = outputs::temporary_beside(folder_);
        if (auto r = move_into_place(temp_, folder_, aside); !r) return r;
        temp_.clear();
        std::error_code ec;
        fs::remove_all(aside, ec);
        return {};
    }

private:
    PyramidPlan plan_;
    fs::path folder_, temp_;
    std::string suffix_;
};

}  // namespace

Result<std::unique_ptr<PyramidWriter>> create_iiif_writer(const fs::path& folder, const PyramidPlan& plan) {
    auto w = std::make_unique<IiifWriter>();
    if (auto r = w->create(folder, plan); !r) return r.error();
    return std::unique_ptr<PyramidWriter>(std::move(w));
}

}  // namespace vitrine::zoom
