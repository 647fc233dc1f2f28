// What a pyramid build may replace (core/outputs.h for single files): never its source
// or anything inside a folder it reads; never a folder holding anything but a pyramid of
// the same layout (a thesis in `existing/` stays where it is, --force or not); and a
// previous pyramid of the same name only with --force, because a build can take hours.
#include <sys/stat.h>

#include <cctype>
#include <string>

#include "core/outputs.h"
#include "zoom/writers.h"

namespace vitrine::zoom {

namespace fs = std::filesystem;

namespace {

bool all_digits(const std::string& s, size_t from, size_t to) {
    if (from >= to) return false;
    for (size_t i = from; i < to; ++i)
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
}

// "12", "3_4.jpeg": the names vips dzsave and we give Deep Zoom levels and tiles.
bool dzi_tile_name(const std::string& name) {
    size_t under = name.find('_'), dot = name.rfind('.');
    if (under == std::string::npos || dot == std::string::npos || dot < under) return false;
    std::string ext = name.substr(dot + 1);
    return all_digits(name, 0, under) && all_digits(name, under + 1, dot) &&
           (ext == "jpeg" || ext == "jpg" || ext == "png" || ext == "webp");
}

// "x,y,w,h" (the region), "w,h" / "w," / ",h" (the size): IIIF level-0 path parts.
bool numbers_with_commas(const std::string& name, int parts, bool empty_ok) {
    int seen = 0;
    size_t from = 0;
    for (;;) {
        size_t comma = name.find(',', from);
        size_t to = comma == std::string::npos ? name.size() : comma;
        if (!(all_digits(name, from, to) || (empty_ok && from == to))) return false;
        ++seen;
        if (comma == std::string::npos) break;
        from = comma + 1;
    }
    return seen == parts;
}

// The first entry under `folder` (recursively) that a pyramid of this layout would not
// hold, or that is a protected input; empty when there is none. Links count as foreign:
// replacing the folder must never reach through one.
std::string foreign_entry(const fs::path& folder, OutputFormat format) {
    std::error_code ec;
    fs::recursive_directory_iterator it(folder, fs::directory_options::none, ec), end;
    if (ec) return folder.string();
    for (; it != end; it.increment(ec)) {
        if (ec) return folder.string();
        const fs::path& p = it->path();
        std::string name = p.filename().string();
        fs::file_status st = it->symlink_status(ec);
        bool dir = fs::is_directory(st), file = fs::is_regular_file(st);
        if ((!dir && !file) || outputs::is_input(p)) return p.string();
        int depth = it.depth();  // 0: directly inside `folder`
        bool ok = false;
        if (format == OutputFormat::Dzi) {
            ok = depth == 0 ? (dir && all_digits(name, 0, name.size())) || (file && name == "vips-properties.xml")
                 : depth == 1 ? file && dzi_tile_name(name)
                              : false;
        } else {  // IIIF 3 level 0: {region}/{size}/0/default.{jpg,png}
            if (depth == 0)
                ok = (file && (name == "info.json" || name == "vitrine.json" || name == "vips-properties.xml")) ||
                     (dir && (name == "full" || numbers_with_commas(name, 4, false)));
            else if (depth == 1)
                ok = dir && (name == "max" || name == "full" || numbers_with_commas(name, 2, true));
            else if (depth == 2)
                ok = dir && name == "0";
            else if (depth == 3)
                ok = file && (name == "default.jpg" || name == "default.png");
        }
        if (!ok) return p.string();
    }
    return "";
}

Result<void> not_an_input(const fs::path& p) {
    if (outputs::is_input(p))
        return fail(p.string() + ": is this build's source (or inside a folder it reads); refusing to write the pyramid "
                                 "there — choose another --out");
    return {};
}

Result<void> a_pyramid_exists(const fs::path& out) {
    if (outputs::force()) return {};
    return fail(out.string() + ": a pyramid of this name exists; refusing to replace it (a build can take hours) — "
                               "add --force to replace it, or choose another --out");
}

}  // namespace

Result<void> check_pyramid_output(OutputFormat format, const fs::path& out) {
    std::error_code ec;
    if (format == OutputFormat::Tiff) {
        if (auto r = outputs::check(out, outputs::Kind::Tiff); !r) return r;
        if (fs::exists(out, ec)) return a_pyramid_exists(out);
        return {};
    }
    if (format == OutputFormat::Iiif3) {
        fs::path folder = out.filename().empty() ? out.parent_path() : out;
        if (auto r = not_an_input(folder); !r) return r;
        fs::file_status st = fs::symlink_status(folder, ec);
        if (!fs::exists(st)) return {};
        if (!fs::is_directory(st))
            return fail(folder.string() + ": exists and is not a folder; refusing to replace it — choose another --out");
        if (fs::is_empty(folder, ec)) return {};
        std::string foreign = foreign_entry(folder, format);
        if (!foreign.empty())
            return fail(folder.string() + ": holds files that are not a IIIF pyramid Vitrine wrote (" + foreign +
                        "); refusing to replace it — choose another --out, or empty it yourself");
        return a_pyramid_exists(folder);
    }
    // Deep Zoom: NAME.dzi, NAME_files/ and our sidecar NAME.vitrine.json.
    fs::path parent = out.parent_path();
    std::string stem = out.stem().string();
    fs::path files = parent / (stem + "_files"), sidecar = parent / (stem + ".vitrine.json");
    for (const fs::path& p : {out, files, sidecar})
        if (auto r = not_an_input(p); !r) return r;
    bool exists = false;
    if (fs::exists(fs::symlink_status(out, ec))) {
        if (auto r = outputs::check(out, outputs::Kind::DeepZoom); !r) return r;
        exists = true;
    }
    if (fs::exists(fs::symlink_status(sidecar, ec))) {
        if (auto r = outputs::check(sidecar, outputs::Kind::Json); !r) return r;
        exists = true;
    }
    fs::file_status st = fs::symlink_status(files, ec);
    if (fs::exists(st)) {
        if (!fs::is_directory(st))
            return fail(files.string() + ": exists and is not a folder; refusing to replace it — choose another --out");
        std::string foreign = foreign_entry(files, format);
        if (!foreign.empty())
            return fail(files.string() + ": holds files that are not Deep Zoom tiles (" + foreign +
                        "); refusing to replace it — choose another --out, or empty it yourself");
        exists = true;
    }
    return exists ? a_pyramid_exists(out) : Result<void>{};
}

}  // namespace vitrine::zoom
