// Deep Zoom output: NAME.dzi + NAME_files/, byte for byte the index and file names vips
// dzsave 8.14 writes (tiles NAME_files/{dzi level}/{col}_{row}.jpeg or .png), plus our
// sidecar NAME.vitrine.json (vips writes NAME_files/vips-properties.xml; we do not).
// Written inside .NAME.partial-<pid>/ beside the output, then moved into place:
// NAME_files first, the sidecar, and NAME.dzi last.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <nlohmann/json.hpp>

#include "zoom/writers.h"

namespace vitrine::zoom {

namespace fs = std::filesystem;

Result<void> write_whole_file(const fs::path& path, const void* bytes, size_t size) {
    // open/write/close, not stdio: no buffer to fill and no fstat, for thousands of tiles.
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) return fail(ErrorKind::Io, path.string() + ": cannot create (" + std::strerror(errno) + ")");
    auto* p = static_cast<const uint8_t*>(bytes);
    while (size) {
        ssize_t n = write(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int err = n < 0 ? errno : ENOSPC;
            close(fd);
            return fail(ErrorKind::Io, path.string() + ": cannot write (" + std::strerror(err) + ")");
        }
        p += n, size -= size_t(n);
    }
    if (close(fd) != 0) return fail(ErrorKind::Io, path.string() + ": cannot write (" + std::strerror(errno) + ")");
    return {};
}

Result<void> move_into_place(const fs::path& from, const fs::path& to, const fs::path& aside) {
    std::error_code ec;
    if (fs::is_directory(from) && fs::exists(fs::symlink_status(to, ec))) {
        // rename() cannot replace a folder that holds files: move the old one aside first.
        fs::rename(to, aside, ec);
        if (ec) return fail(ErrorKind::Io, to.string() + ": cannot replace it (" + ec.message() + ")");
    }
    fs::rename(from, to, ec);
    if (ec) return fail(ErrorKind::Io, to.string() + ": cannot move the new pyramid into place (" + ec.message() + ")");
    return {};
}

std::string sidecar_json(const PyramidPlan& plan) {
    nlohmann::ordered_json j;
    j["mm_per_pixel"] = plan.mm_per_pixel;
    j["colour"] = plan.colour;
    return j.dump(2) + "\n";
}

namespace {

class DziWriter final : public PyramidWriter {
public:
    ~DziWriter() override {
        std::error_code ec;
        if (!temp_.empty()) fs::remove_all(temp_, ec);
    }

    Result<void> create(const fs::path& dzi, const PyramidPlan& plan) {
        plan_ = plan;
        if (dzi.extension() != ".dzi" || dzi.stem().empty())
            return fail(ErrorKind::Usage, dzi.string() + ": a Deep Zoom output is named NAME.dzi");
        dzi_ = dzi;
        name_ = dzi.stem().string();
        fs::path folder = dzi.parent_path().empty() ? fs::path(".") : dzi.parent_path();
        std::error_code ec;
        if (!fs::is_directory(folder, ec))
            return fail(ErrorKind::Io, dzi.string() + ": cannot write it: the folder " + folder.string() + " does not exist");
        if (auto r = check_pyramid_output(OutputFormat::Dzi, dzi); !r) return r;
        // A build killed outright (SIGKILL, power) leaves its temporary: remove those
        // whose process is gone.
        std::string prefix = "." + name_ + ".partial-";
        for (auto it = fs::directory_iterator(folder, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
            std::string entry = it->path().filename().string();
            if (entry.rfind(prefix, 0) != 0) continue;
            long pid = std::strtol(entry.c_str() + prefix.size(), nullptr, 10);
            if (pid > 0 && kill(pid_t(pid), 0) != 0 && errno == ESRCH) fs::remove_all(it->path(), ec);
        }
        ec.clear();
        temp_ = folder / (prefix + std::to_string(getpid()));
        fs::remove_all(temp_, ec);
        for (uint32_t level = 0; level < plan.levels.size(); ++level) {
            fs::create_directories(temp_ / (name_ + "_files") / std::to_string(dzi_level(level, uint32_t(plan.levels.size()))), ec);
            if (ec) return fail(ErrorKind::Io, temp_.string() + ": cannot create (" + ec.message() + ")");
        }
        suffix_ = plan.codec == TileCodec::Png ? "png" : "jpeg";
        return {};
    }

    Result<void> write_tile(uint32_t level, uint32_t col, uint32_t row, const uint8_t* bytes, size_t size) override {
        char name[64];
        std::snprintf(name, sizeof name, "/%u/%u_%u.%s", dzi_level(level, uint32_t(plan_.levels.size())), col, row,
                      suffix_.c_str());
        return write_whole_file(temp_.string() + "/" + name_ + "_files" + name, bytes, size);
    }

    Result<void> finish() override {
        const LevelSize& full = plan_.levels[0];
        std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<Image xmlns=\"http://schemas.microsoft.com/deepzoom/2008\"\n"
                          "  Format=\"" + suffix_ + "\"\n"
                          "  Overlap=\"" + std::to_string(plan_.overlap) + "\"\n"
                          "  TileSize=\"" + std::to_string(plan_.tile) + "\"\n"
                          "  >\n"
                          "  <Size \n"
                          "    Height=\"" + std::to_string(full.height) + "\"\n"
                          "    Width=\"" + std::to_string(full.width) + "\"\n"
                          "  />\n"
                          "</Image>\n";
        if (auto r = write_whole_file(temp_ / dzi_.filename(), xml.data(), xml.size()); !r) return r;
        std::string sidecar = sidecar_json(plan_);
        fs::path sidecar_name = name_ + ".vitrine.json";
        if (auto r = write_whole_file(temp_ / sidecar_name, sidecar.data(), sidecar.size()); !r) return r;
        if (auto r = check_pyramid_output(OutputFormat::Dzi, dzi_); !r) return r;  // nothing changed meanwhile
        fs::path folder = dzi_.parent_path();
        fs::path files = name_ + "_files";
        if (auto r = move_into_place(temp_ / files, folder / files, temp_ / "replaced_files"); !r) return r;
        if (auto r = move_into_place(temp_ / sidecar_name, folder / sidecar_name, {}); !r) return r;
        if (auto r = move_into_place(temp_ / dzi_.filename(), dzi_, {}); !r) return r;
        std::error_code ec;
        fs::remove_all(temp_, ec);  // with the replaced pyramid's tiles
        temp_.clear();
        return {};
    }

private:
    PyramidPlan plan_;
    fs::path dzi_, temp_;
    std::string name_, suffix_;
};

}  // namespace

Result<std::unique_ptr<PyramidWriter>> create_dzi_writer(const fs::path& dzi, const PyramidPlan& plan) {
    auto w = std::make_unique<DziWriter>();
    if (auto r = w->create(dzi, plan); !r) return r.error();
    return std::unique_ptr<PyramidWriter>(std::move(w));
}

}  // namespace vitrine::zoom
