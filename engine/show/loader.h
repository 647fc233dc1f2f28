// A scene with everything it references loaded: parse, resolve, load every model and
// environment (decoded, not just stat'ed), open every pyramid (its header: tiles are
// read later, by whoever draws it), probe every audio file (its header: rate, channels,
// length; decoded later by the audio module), compile the hooks, validate. Any problem
// and there is no LoadedScene: `check` lists them, `run` keeps its last good show.
#pragma once
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "audio/probe.h"
#include "core/image.h"
#include "core/result.h"
#include "scene/model.h"
#include "show/load.h"
#include "show/scene_file.h"
#include "zoom/pyramid.h"

namespace vitrine::show {

// Loaded assets kept across reloads: a file whose size and modification time have not
// changed is not read again (a reload reads only what changed).
struct LoadedScene;

class AssetCache {
public:
    // Forgets every model and environment `scene` does not use (after a reload, so a kiosk
    // reloading for months holds only what its running show needs; a later reload reads a
    // dropped one again). Pyramid headers are kept (see keep_only).
    void keep_only(const LoadedScene& scene);
    Result<std::shared_ptr<scene::Model>> model(const std::filesystem::path& path);
    Result<std::shared_ptr<ImageF>> environment(const std::filesystem::path& path);
    // A pyramid's header (a path, or a procedural spec): the same object while the path's
    // modification time is unchanged, so a reload does not add the image to the GPU again.
    Result<std::shared_ptr<zoom::Pyramid>> pyramid(const std::string& spec, bool procedural);

private:
    struct Stamp {
        uintmax_t size = 0;
        std::filesystem::file_time_type time;
        bool operator==(const Stamp&) const = default;
    };
    static Stamp stamp(const std::filesystem::path& file);
    // A model is read from several files (buffers, images): it is current while all are.
    struct CachedModel {
        std::vector<std::pair<std::string, Stamp>> files;
        std::shared_ptr<scene::Model> model;
    };
    std::map<std::filesystem::path, CachedModel> models_;
    std::map<std::filesystem::path, std::pair<Stamp, std::shared_ptr<ImageF>>> environments_;
    std::map<std::string, std::pair<std::filesystem::file_time_type, std::shared_ptr<zoom::Pyramid>>> pyramids_;
};

struct LoadedScene {
    SceneFile file;
    std::map<std::string, std::shared_ptr<scene::Model>> models;  // glTF assets by name
    std::map<std::string, std::shared_ptr<ImageF>> environments;  // HDR assets by name
    std::map<std::string, std::shared_ptr<zoom::Pyramid>> pyramids;  // pyramid assets by name (headers read)
    std::map<std::string, audio::Probe> audio;                    // audio assets by name (probed)
    std::filesystem::path hooks_file;                             // empty: no hooks
    std::string hooks_source;
    std::vector<std::filesystem::path> files;  // every file read: the scene, hooks, assets (for hot reload)
    Models model_map() const;
    Pyramids pyramid_map() const;
};

// `cache`: reuse unchanged assets (null: load everything). `text`: the scene file's
// content as the editor holds it (null: read `file`); paths stay relative to `file`.
std::unique_ptr<LoadedScene> load_scene(const std::filesystem::path& file, std::vector<Problem>& problems,
                                        AssetCache* cache = nullptr, const std::string* text = nullptr);

}  // namespace vitrine::show
