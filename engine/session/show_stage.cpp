#include "session/show_stage.h"

#include "session/protect.h"

#include "core/paths.h"
#include "show/load.h"

#include <algorithm>
#include <cstdio>

#include "core/log.h"
#include "render/environment.h"
#include "render/lights.h"

namespace vitrine::session {

ShowStage::~ShowStage() { rig.reset(); }

int ShowStage::finish(int code) { return display::finish_rig(rig, code); }

std::unique_ptr<show::LoadedScene> load_show(const std::string& path, show::AssetCache& cache) {
    std::vector<show::Problem> problems;
    auto scene = show::load_scene(path, problems, &cache);
    for (const show::Problem& p : problems) std::fprintf(stderr, "%s\n", p.str().c_str());
    if (!scene)
        log::error(path + ": " + std::to_string(problems.size()) + " problem" + (problems.size() == 1 ? "" : "s") +
                   " (listed above); nothing was shown");
    else
        protect_scene(*scene);
    return scene;
}

std::string scene_display(const std::string& path) {
    auto bytes = read_file(path, 16u << 20);
    if (!bytes) return "";
    std::vector<show::Problem> problems;
    show::SceneFile f = show::parse_scene(path, std::string(bytes->begin(), bytes->end()), problems);
    show::resolve_assets(f, problems);
    return f.display_file.string();
}

std::optional<room::DisplayFile> load_display_file(const std::string& path) {
    std::vector<show::Problem> problems;
    room::DisplayFile d = room::load_display(path, problems);
    for (const show::Problem& p : problems) std::fprintf(stderr, "%s\n", p.str().c_str());
    if (problems.empty()) {
        protect_display(d);
        return d;
    }
    log::error(path + ": " + std::to_string(problems.size()) + " problem" + (problems.size() == 1 ? "" : "s") +
               " (listed above); nothing was shown");
    return std::nullopt;
}

namespace {

// A device lost while uploading is rebuilt like one lost while drawing.
template <typename F>
Result<void> with_retries(display::Rig& rig, F f) {
    for (;;) {
        auto r = f();
        if (r) return {};
        if (auto rec = rig.recover_from(r.error()); !rec) return rec.error();
    }
}

std::shared_ptr<ImageF> scene_environment(const show::LoadedScene& scene) {
    auto it = scene.environments.find(scene.file.environment.source);
    if (it != scene.environments.end()) return it->second;
    static std::shared_ptr<ImageF> studio = std::make_shared<ImageF>(render::procedural_studio());
    return studio;
}

}  // namespace

Result<void> upload_scene(ShowStage& st) {
    // Models a reload no longer uses are freed (on the GPU through the deletion queue, on
    // the CPU with the last reference), so a month of reloads holds what the show shows.
    for (size_t i = st.uploaded.size(); i-- > 0;) {
        bool used = false;
        for (const auto& [name, model] : st.scene->models) used = used || model == st.uploaded[i];
        if (used) continue;
        st.rig->remove_model(*st.uploaded[i]);
        st.uploaded.erase(st.uploaded.begin() + long(i));
        st.ids.erase(st.ids.begin() + long(i));
    }
    for (const auto& [name, model] : st.scene->models) {
        if (std::find(st.uploaded.begin(), st.uploaded.end(), model) != st.uploaded.end()) continue;
        render::ModelId id = 0;
        // After a recover() the rig has uploaded it already; add_model then returns its id.
        auto r = with_retries(*st.rig, [&]() -> Result<void> {
            auto added = st.rig->add_model(*model);
            if (!added) return added.error();
            id = *added;
            return {};
        });
        if (!r) return r;
        st.uploaded.push_back(model);
        st.ids.push_back(id);
    }
    // Pyramids: each asset once (the rig keeps them for rebuilds; the same pyramid object
    // after a reload is the same image).
    for (const auto& [name, pyramid] : st.scene->pyramids) {
        uint32_t id = 0;
        auto r = with_retries(*st.rig, [&]() -> Result<void> {
            auto added = st.rig->add_image(pyramid);
            if (!added) return added.error();
            id = *added;
            return {};
        });
        if (!r) return r;
        st.image_ids[pyramid.get()] = id;
    }
    auto env = scene_environment(*st.scene);
    if (env != st.environment) {
        st.environment = env;
        return with_retries(*st.rig, [&] { return st.rig->set_environment(*st.environment); });
    }
    return {};
}

Result<void> open_rig(ShowStage& st, const display::RigOptions& options) {
    auto rig = display::Rig::create(options);
    if (!rig) return rig.error();
    st.rig = std::move(*rig);
    return upload_scene(st);
}

render::Look prepare_frame(ShowStage& st) {
    st.show->evaluate(st.frame);
    const show::Frame& f = st.frame;
    st.instances.clear();
    st.textures.clear();
    std::vector<std::pair<size_t, size_t>> texture_spans;  // per instance: [first, end) of st.textures
    for (const show::FrameModel& fm : f.models) {
        if (!fm.visible) continue;
        auto it = std::find_if(st.uploaded.begin(), st.uploaded.end(),
                               [&](const std::shared_ptr<scene::Model>& m) { return m.get() == fm.model; });
        if (it == st.uploaded.end()) continue;  // not uploaded (cannot happen after upload_scene)
        render::Instance inst;
        inst.model = st.ids[size_t(it - st.uploaded.begin())];
        inst.pose = &fm.pose;
        inst.transform = fm.world;
        inst.materials = fm.materials;
        size_t first = st.textures.size();
        for (const show::FrameTexture& t : fm.textures) {
            auto id = st.image_ids.find(t.pyramid);
            if (id != st.image_ids.end()) st.textures.push_back({t.material, id->second, t.region});
        }
        texture_spans.push_back({first, st.textures.size()});
        st.instances.push_back(inst);
    }
    for (size_t i = 0; i < st.instances.size(); ++i)  // spans once st.textures stops growing
        st.instances[i].textures = std::span(st.textures).subspan(texture_spans[i].first,
                                                                  texture_spans[i].second - texture_spans[i].first);
    st.images.clear();
    for (const show::FrameImage& fi : f.images) {
        auto it = st.image_ids.find(fi.pyramid);
        if (!fi.visible || it == st.image_ids.end()) continue;
        st.images.push_back({it->second, fi.world, fi.size, fi.region, fi.opacity});
    }
    st.rig->set_images(st.images);
    st.lights.clear();
    for (const show::FrameLight& l : f.lights) st.lights.push_back(render::light_uniform(l.light, l.world));
    st.rig->set_room_lights(st.lights);

    const show::LookDesc& ld = st.scene->file.look;
    render::Look look;
    look.tonemap = ld.tonemap == "aces" ? render::ToneMap::Aces
                   : ld.tonemap == "none" ? render::ToneMap::None
                                          : render::ToneMap::PbrNeutral;
    look.exposure_ev = f.exposure;
    look.solid_background = ld.solid_background;
    look.background = ld.background;
    look.env_intensity = f.env_intensity;
    look.env_rotation = glm::radians(f.env_rotation);
    return look;
}

render::View frame_view(const show::Frame& frame, const render::Rect& viewport) {
    show::CameraMatrices m = show::camera_view(frame, float(viewport.width) / float(viewport.height));
    render::View v;
    v.view = m.view;
    v.proj = m.proj;
    v.eye = m.eye;
    v.viewport = viewport;
    return v;
}

Result<double> parse_clock(const std::string& text) {
    int seconds = show::parse_time_of_day(text);
    if (seconds < 0) return fail("--clock expects HH:MM or HH:MM:SS, got '" + text + "'");
    return double(seconds);
}

}  // namespace vitrine::session
