// resolve_assets: asset and hooks paths to files, confined to the scene's folder and its
// search roots (a scene must not read ../../etc/passwd, even through a symlink).
#include <algorithm>
#include <filesystem>

#include "core/paths.h"
#include "show/load.h"
#include "yaml/wording.h"

namespace vitrine::show {
namespace {

namespace fs = std::filesystem;
using yaml::wording::q;

struct Root {
    fs::path dir;
    std::string shown;  // as the author wrote it, for "looked in ..."
};

std::string with_slash(std::string s) {
    if (s.empty() || s.back() != '/') s += '/';
    return s;
}

const char* kind_key(AssetKind kind) {
    switch (kind) {
        case AssetKind::Gltf: return "gltf";
        case AssetKind::Hdr: return "hdr";
        case AssetKind::Audio: return "audio";
        case AssetKind::Pyramid: return "pyramid";
    }
    return "gltf";
}

// A search root is trusted like the scene that names it, but never the whole file system
// or a system folder: every file in a root can be loaded as a model or an image, so a
// root of / would serve /etc/passwd. Refused: / and these folders, and anything inside
// them, except what lies inside the folders below (installed data).
const char* const kSystemFolders[] = {"/etc", "/proc", "/sys", "/dev", "/boot", "/run", "/bin", "/sbin", "/lib",
                                      "/lib32", "/lib64", "/libx32", "/usr", "/var"};
const char* const kDataFolders[] = {"/usr/share", "/usr/local", "/var/lib"};

bool within(const fs::path& p, const fs::path& folder) {
    auto [f, q] = std::mismatch(folder.begin(), folder.end(), p.begin(), p.end());
    return f == folder.end();
}

// The system folder `dir` is or lies in ("/" for the root itself); empty when none.
std::string system_folder(const fs::path& dir) {
    std::error_code ec;
    fs::path full = fs::weakly_canonical(fs::absolute(dir, ec), ec);
    if (ec) return {};
    if (full == full.root_path()) return "/";
    for (const char* data : kDataFolders)
        if (within(full, data) && full != fs::path(data)) return {};
    for (const char* system : kSystemFolders)
        if (within(full, system)) return system;
    return {};
}

// What stands at `p` when it exists but is no file to read ("a named pipe"); null otherwise.
const char* not_a_file(const fs::path& p) {
    std::error_code ec;
    switch (fs::status(p, ec).type()) {
        case fs::file_type::directory: return "a folder";
        case fs::file_type::fifo: return "a named pipe";
        case fs::file_type::socket: return "a socket";
        case fs::file_type::character: return "a character device";
        case fs::file_type::block: return "a block device";
        default: return nullptr;
    }
}

class Resolver {
public:
    Resolver(const SceneFile& scene, std::vector<Problem>& problems) : problems_(problems) {
        fs::path folder = scene.path.parent_path();
        if (folder.empty()) roots_.push_back({".", "./"});
        else roots_.push_back({folder, with_slash(folder.generic_string())});
        for (size_t i = 0; i < scene.search.size(); ++i) {
            const std::string& s = scene.search[i];
            const Loc at = i < scene.search_locs.size() ? scene.search_locs[i] : scene.locs.at("search", scene.loc);
            if (s.find('\0') != std::string::npos) {
                error(at, "search root contains a NUL byte (written as \\0 or \\x00?)");
                continue;
            }
            if (s.empty() || fs::path(s).is_absolute()) {
                error(at, "search root " + q(s) + " must be a folder relative to the scene file");
                continue;
            }
            fs::path dir = roots_[0].dir / s;
            if (std::string sys = system_folder(dir); !sys.empty()) {
                error(at, "search root " + q(s) + " resolves to " +
                              (sys == "/" ? std::string("/, the whole file system")
                                          : "the system folder " + sys) +
                              ": a search root must be a folder of assets (not /, /etc, /usr, /var, /proc, ...)");
                continue;
            }
            roots_.push_back({dir, with_slash(s)});
        }
    }

    // The first root holding `path`; empty (and reported) when none does. `what` is
    // "asset" or "hooks". Pyramids are folders of tiles; everything else is a file.
    fs::path find(const std::string& path, const Loc& at, const std::string& what, bool folder_ok) {
        if (path.empty()) {
            error(at, what + " path is empty");
            return {};
        }
        if (path.find('\0') != std::string::npos) {  // "\0" in a quoted YAML string
            error(at, what + " path contains a NUL byte (written as \\0 or \\x00?)");
            return {};
        }
        if (fs::path(path).is_absolute()) {
            error(at, what + " path " + q(path) +
                          " is absolute: write it relative to the scene's folder or a search root");
            return {};
        }
        // "leaves" when no root takes the path, or when the file is there but outside
        // (a symlink out of the tree); "not found" when it is simply missing.
        bool inside_some_root = false, exists_outside = false;
        for (const Root& root : roots_) {
            std::error_code ec;
            Result<fs::path> full = resolve_inside(root.dir, path);
            if (!full.ok()) {
                exists_outside = exists_outside || fs::exists(root.dir / path, ec);
                continue;
            }
            inside_some_root = true;
            if (fs::is_regular_file(full.value(), ec) || (folder_ok && fs::is_directory(full.value(), ec)))
                return full.value();
            if (const char* kind = not_a_file(full.value())) {  // there, but never read: it could block or never end
                error(at, what + " path " + q(path) + " is not a regular file (" + kind + ")");
                return {};
            }
        }
        if (!inside_some_root || exists_outside) {
            error(at, what + " path " + q(path) + " leaves the scene's folder and its search roots");
            return {};
        }
        std::vector<std::string> shown;
        for (const Root& root : roots_) shown.push_back(root.shown);
        error(at, what + " file " + q(path) + " not found (looked in " + yaml::wording::join(shown) + ")");
        return {};
    }

private:
    std::vector<Problem>& problems_;
    std::vector<Root> roots_;

    void error(const Loc& at, std::string message) { problems_.push_back({at, std::move(message)}); }
};

}  // namespace

bool is_procedural_pyramid(const Asset& asset) {
    return asset.kind == AssetKind::Pyramid && asset.path.rfind("procedural:", 0) == 0;
}

std::filesystem::path resolve_assets(SceneFile& scene, std::vector<Problem>& problems) {
    Resolver resolver(scene, problems);
    for (Asset& a : scene.assets)
        if (!is_procedural_pyramid(a))  // "procedural:NAME:WxH[:MM]" names no file
            a.resolved = resolver.find(a.path, a.locs.at(kind_key(a.kind), a.loc), "asset", a.kind == AssetKind::Pyramid);
    if (!scene.display.empty()) scene.display_file = resolver.find(scene.display, scene.display_loc, "display", false);
    if (scene.hooks.empty()) return {};
    return resolver.find(scene.hooks, scene.hooks_loc, "hooks", false);
}

}  // namespace vitrine::show
