#include "show/loader.h"

#include <algorithm>
#include <cstdlib>
#include <tuple>
#include <fstream>
#include <sstream>

#include "core/paths.h"
#include "scene/gltf_import.h"
#include "show/hooks.h"
#include "yaml/reader.h"

namespace vitrine::show {

Models LoadedScene::model_map() const {
    Models m;
    for (const auto& [name, model] : models) m[name] = model.get();
    return m;
}

Pyramids LoadedScene::pyramid_map() const {
    Pyramids m;
    for (const auto& [name, pyramid] : pyramids) m[name] = &pyramid->info();
    return m;
}

AssetCache::Stamp AssetCache::stamp(const std::filesystem::path& file) {
    std::error_code ec;
    Stamp s{std::filesystem::file_size(file, ec), std::filesystem::last_write_time(file, ec)};
    return ec ? Stamp{} : s;
}

void AssetCache::keep_only(const LoadedScene& scene) {
    auto used = [](const auto& assets, const auto& shared) {
        for (const auto& [name, a] : assets)
            if (a == shared) return true;
        return false;
    };
    std::erase_if(models_, [&](const auto& e) { return !used(scene.models, e.second.model); });
    std::erase_if(environments_, [&](const auto& e) { return !used(scene.environments, e.second.second); });
    // Pyramids stay: the rig keeps each one it shows for good (the atlas is a fixed size),
    // and the same header object after a reload is the same image there.
}

Result<std::shared_ptr<scene::Model>> AssetCache::model(const std::filesystem::path& path) {
    auto it = models_.find(path);
    if (it != models_.end() &&
        std::all_of(it->second.files.begin(), it->second.files.end(), [](const auto& f) { return stamp(f.first) == f.second; }))
        return it->second.model;
    auto model = scene::import_gltf(path);
    if (!model) return model.error();
    CachedModel cached;
    cached.model = std::make_shared<scene::Model>(std::move(*model));
    for (const std::string& f : cached.model->files) cached.files.push_back({f, stamp(f)});
    models_[path] = cached;
    return cached.model;
}

Result<std::shared_ptr<ImageF>> AssetCache::environment(const std::filesystem::path& path) {
    std::error_code ec;
    Stamp stamp{std::filesystem::file_size(path, ec), std::filesystem::last_write_time(path, ec)};
    auto it = environments_.find(path);
    if (!ec && it != environments_.end() && it->second.first == stamp) return it->second.second;  // one file
    auto image = read_hdr(path);
    if (!image) return image.error();
    auto shared = std::make_shared<ImageF>(std::move(*image));
    if (!ec) environments_[path] = {stamp, shared};
    return shared;
}

Result<std::shared_ptr<zoom::Pyramid>> AssetCache::pyramid(const std::string& spec, bool procedural) {
    std::error_code ec;
    std::filesystem::file_time_type time{};
    if (!procedural) time = std::filesystem::last_write_time(spec, ec);  // a rebuilt pyramid is renamed into place
    auto it = pyramids_.find(spec);
    if (!ec && it != pyramids_.end() && it->second.first == time) return it->second.second;
    auto opened = zoom::open_pyramid(spec);
    if (!opened) return opened.error();
    std::shared_ptr<zoom::Pyramid> shared(std::move(*opened));
    if (!ec) pyramids_[spec] = {time, shared};
    return shared;
}

namespace {

// Hooks::load reports "FILE:LINE:1: message"; a Problem wants the location apart.
Problem hook_problem(const std::filesystem::path& file, const std::string& message) {
    Problem p;
    p.loc.file = file.string();
    std::string prefix = p.loc.file + ":";
    std::string rest = message;
    if (rest.rfind(prefix, 0) == 0) {
        rest = rest.substr(prefix.size());
        char* end = nullptr;
        long line = std::strtol(rest.c_str(), &end, 10);
        if (end && *end == ':' && line > 0) {
            p.loc.line = int(line);
            p.loc.column = 1;
            rest = end + 1;
            if (rest.rfind("1:", 0) == 0) rest = rest.substr(2);
            while (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
        }
    }
    p.message = rest;
    return p;
}

// What a scene cannot play, though the file reads: "" when it is fine.
std::string audio_problem(const audio::Probe& p) {
    if (p.channels == 0) return "has no channels";
    if (p.channels > 8) return "has " + std::to_string(p.channels) + " channels: at most 8 play";
    if (p.rate < 8000 || p.rate > 192000)
        return "sample rate " + std::to_string(p.rate) + " Hz is outside 8000..192000 Hz";
    return {};
}

}  // namespace

std::unique_ptr<LoadedScene> load_scene(const std::filesystem::path& file, std::vector<Problem>& problems,
                                        AssetCache* cache, const std::string* text_given) {
    AssetCache local;
    if (!cache) cache = &local;
    size_t before = problems.size();
    auto out = std::make_unique<LoadedScene>();
    std::optional<std::string> text;
    if (text_given) text = *text_given;
    else text = yaml::read_text(file, 16u << 20, problems);
    if (!text) return nullptr;
    out->files.push_back(file);
    out->file = parse_scene(file, *text, problems);
    out->hooks_file = resolve_assets(out->file, problems);
    if (!out->hooks_file.empty()) {
        // Messages name the hook file as the user would open it (relative to here).
        std::error_code ec;
        std::filesystem::path shown = std::filesystem::proximate(out->hooks_file, ec);
        if (!ec && !shown.empty()) out->hooks_file = shown;
    }

    for (const Asset& a : out->file.assets) {
        bool procedural = is_procedural_pyramid(a);
        if (a.resolved.empty() && !procedural) continue;  // resolve_assets reported it
        if (!procedural) out->files.push_back(a.resolved);
        if (a.kind == AssetKind::Gltf) {
            auto model = cache->model(a.resolved);
            if (!model) {
                problems.push_back({a.locs.at("gltf", a.loc), "cannot load model: " + model.error().message});
                continue;
            }
            out->models[a.name] = *model;
            for (const std::string& f : (*model)->files)
                if (f != a.resolved.string()) out->files.push_back(f);  // buffers and images: a new texture reloads too
        } else if (a.kind == AssetKind::Hdr) {
            auto image = cache->environment(a.resolved);
            if (!image) {
                problems.push_back({a.locs.at("hdr", a.loc), "cannot load environment: " + image.error().message});
                continue;
            }
            out->environments[a.name] = *image;
        } else if (a.kind == AssetKind::Pyramid) {
            auto pyramid = cache->pyramid(procedural ? a.path : a.resolved.string(), procedural);
            if (!pyramid) {
                problems.push_back({a.locs.at("pyramid", a.loc), "cannot open pyramid: " + pyramid.error().message});
                continue;
            }
            out->pyramids[a.name] = *pyramid;
        } else if (a.kind == AssetKind::Audio) {
            // Probed only (a header read): the audio module decodes or streams it when it plays.
            auto info = audio::probe(a.resolved);
            if (!info) {
                problems.push_back({a.locs.at("audio", a.loc), "cannot read audio: " + info.error().message});
                continue;
            }
            std::string wrong = audio_problem(*info);
            if (!wrong.empty()) {
                problems.push_back({a.locs.at("audio", a.loc), a.resolved.string() + ": " + wrong});
                continue;
            }
            out->audio[a.name] = *info;
        }
    }

    if (!out->hooks_file.empty()) {
        out->files.push_back(out->hooks_file);
        auto source = read_file(out->hooks_file, 4u << 20);
        if (!source) {
            problems.push_back({out->file.hooks_loc, source.error().message});
        } else {
            out->hooks_source.assign(source->begin(), source->end());
            // Compiling runs the file's top level in the sandbox: syntax errors and
            // runaway top-level code are found here.
            auto hooks = Hooks::load(out->hooks_file, out->hooks_source);
            if (!hooks) problems.push_back(hook_problem(out->hooks_file, hooks.error().message));
        }
    }

    validate_scene(out->file, out->model_map(), problems, out->pyramid_map());
    yaml::in_reading_order(problems, before, file);  // the scene file, then its hooks and assets
    if (problems.size() > before) return nullptr;
    return out;
}

}  // namespace vitrine::show
