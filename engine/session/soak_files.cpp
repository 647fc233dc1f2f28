#include "session/soak_files.h"

#include <fstream>

namespace vitrine::session {

namespace fs = std::filesystem;

namespace {

fs::path common_folder(const std::vector<fs::path>& files) {
    fs::path root;
    for (const fs::path& f : files) {
        fs::path dir = f.parent_path();
        if (root.empty()) {
            root = dir;
            continue;
        }
        fs::path common;
        for (auto a = root.begin(), b = dir.begin(); a != root.end() && b != dir.end() && *a == *b; ++a, ++b) common /= *a;
        root = common;
    }
    return root;
}

Result<void> place(const fs::path& original, const fs::path& copy) {
    std::error_code ec;
    fs::create_directories(copy.parent_path(), ec);
    if (ec) return fail(ErrorKind::Io, copy.parent_path().string() + ": cannot make the folder: " + ec.message());
    if (fs::exists(fs::symlink_status(copy, ec))) return {};
    // Text a person might open in the copy (scene, hooks, display) is copied: an editor that
    // writes in place must never reach the original through a shared inode.
    std::string ext = original.extension().string();
    bool text = ext == ".yaml" || ext == ".yml" || ext == ".lua" || ext == ".json" || ext == ".gltf";
    if (!text) {
        fs::create_hard_link(original, copy, ec);
        if (!ec) return {};
        ec.clear();
    }
    fs::copy_file(original, copy, ec);
    if (ec) return fail(ErrorKind::Io, original.string() + ": cannot copy it to " + copy.string() + ": " + ec.message());
    return {};
}

}  // namespace

fs::path Mirror::map(const fs::path& original) const {
    std::error_code ec;
    return to / fs::weakly_canonical(original, ec).lexically_relative(from);
}

Result<Mirror> mirror_files(const std::vector<fs::path>& files, const fs::path& scratch) {
    std::vector<fs::path> all;
    std::error_code ec;
    for (const fs::path& f : files) {
        fs::path c = fs::weakly_canonical(f, ec);
        if (ec || !fs::exists(c, ec)) return fail(ErrorKind::Io, f.string() + ": not found");
        all.push_back(c);
        // A pyramid that is a folder (IIIF, Zoomify) comes whole; a Deep Zoom pyramid reads
        // its tiles from NAME_files beside NAME.dzi.
        if (fs::is_directory(c, ec)) all.back() = c / ".";
        if (c.extension() == ".dzi") {
            fs::path tiles = c.parent_path() / (c.stem().string() + "_files");
            if (fs::is_directory(tiles, ec)) all.push_back(tiles / ".");
        }
    }
    if (all.empty()) return fail(ErrorKind::BadInput, "no files to copy");
    Mirror m;
    m.from = common_folder(all);
    if (m.from.empty() || m.from == m.from.root_path())
        return fail(ErrorKind::BadInput, "the show's files have no common folder but / (" + all.front().string() + ", ...)");
    m.to = scratch / m.from.filename();
    for (const fs::path& f : all) {
        if (f.filename() == ".") {  // a folder of tiles, file by file
            fs::path dir = f.parent_path();
            for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
                 it.increment(ec)) {
                if (!it->is_regular_file(ec)) continue;
                if (auto r = place(it->path(), m.map(it->path())); !r) return r.error();
            }
            if (ec) return fail(ErrorKind::Io, dir.string() + ": " + ec.message());
            continue;
        }
        if (auto r = place(f, m.map(f)); !r) return r.error();
    }
    return m;
}

Result<void> replace_file(const fs::path& file, const std::string& bytes) {
    fs::path part = file;
    part += ".soak-part";
    {
        std::ofstream out(part, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), std::streamsize(bytes.size()));
        if (!out) return fail(ErrorKind::Io, part.string() + ": cannot write");
    }
    std::error_code ec;
    fs::rename(part, file, ec);
    if (ec) return fail(ErrorKind::Io, file.string() + ": cannot replace: " + ec.message());
    return {};
}

}  // namespace vitrine::session
