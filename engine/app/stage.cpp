#include "app/stage.h"
#include "session/protect.h"
#include "core/outputs.h"

#include <cmath>
#include <cstdlib>

#include <algorithm>

#include <glm/gtc/matrix_transform.hpp>

#include "core/log.h"
#include "render/environment.h"
#include "scene/gltf_import.h"

namespace vitrine::app {

namespace fs = std::filesystem;

const std::vector<std::string> kStageFlags = {"--yaw", "--pitch", "--distance", "--fov", "--env", "--env-rotation",
                                              "--tonemap", "--exposure", "--camera", "--time", "--background",
                                              "--env-intensity", "--animation", "--gap"};

static constexpr float kDeg = 3.14159265358979f / 180.0f;

fs::path corpus_dir() {
    if (const char* env = std::getenv("VITRINE_CORPUS")) return env;
    std::error_code ec;
    std::vector<fs::path> starts = {fs::current_path(ec), fs::read_symlink("/proc/self/exe", ec).parent_path()};
    for (fs::path p : starts) {
        for (int depth = 0; depth < 8 && !p.empty(); ++depth) {
            if (fs::is_directory(p / "shared" / "corpus" / "gltf", ec)) return p / "shared" / "corpus";
            if (p == p.parent_path()) break;
            p = p.parent_path();
        }
    }
    return {};
}

Result<ImageF> load_environment(const std::string& spec) {
    if (spec == "neutral") {
        fs::path c = corpus_dir();
        fs::path hdr = c.empty() ? fs::path() : c / "gltf" / "_environments" / "neutral-studio.hdr";
        std::error_code ec;
        if (!hdr.empty() && fs::is_regular_file(hdr, ec)) return read_hdr(hdr);
        log::info("neutral-studio.hdr not found; using the built-in procedural studio");
        return render::procedural_studio();
    }
    if (spec == "studio") return render::procedural_studio();
    return read_hdr(spec);
}

static Result<glm::vec3> parse_colour(const std::string& s) {
    float r, g, b;
    char extra;
    if (std::sscanf(s.c_str(), "%f,%f,%f%c", &r, &g, &b, &extra) != 3)
        return fail("--background expects R,G,B (0..1 or 0..255), got '" + s + "'");
    glm::vec3 c(r, g, b);
    if (r > 1 || g > 1 || b > 1) c /= 255.0f;
    return glm::clamp(c, glm::vec3(0), glm::vec3(1));
}

static Result<scene::Orbit> parse_orbit(const Args& args) {
    scene::Orbit o;
    auto yaw = args.number("--yaw", 0), pitch = args.number("--pitch", 0), fov = args.number("--fov", 45);
    for (auto* r : {&yaw, &pitch, &fov})
        if (!r->ok()) return r->error();
    if (fov.value() <= 1 || fov.value() >= 179) return fail("--fov must be between 1 and 179 degrees");
    o.yaw = yaw.value() * kDeg;
    o.pitch = std::clamp(pitch.value(), -89.9f, 89.9f) * kDeg;
    o.yfov = fov.value() * kDeg;
    std::string dist = args.get("--distance", "auto");
    if (dist == "auto") {
        o.distance = -1;  // fitted per viewport in stage_view
    } else {
        auto d = args.number("--distance", 1);
        if (!d || d.value() <= 0) return fail("--distance expects 'auto' or metres > 0, got '" + dist + "'");
        o.distance = d.value();
    }
    return o;
}

static Result<render::Look> parse_look(const Args& args) {
    render::Look look;
    auto ev = args.number("--exposure", 0), rot = args.number("--env-rotation", 0), intensity = args.number("--env-intensity", 1);
    for (auto* r : {&ev, &rot, &intensity})
        if (!r->ok()) return r->error();
    std::string tm = args.get("--tonemap", "khr-pbr-neutral");
    if (tm == "khr-pbr-neutral") look.tonemap = render::ToneMap::PbrNeutral;
    else if (tm == "aces") look.tonemap = render::ToneMap::Aces;
    else if (tm == "none") look.tonemap = render::ToneMap::None;
    else return fail("--tonemap expects khr-pbr-neutral, aces or none, got '" + tm + "'");
    look.exposure_ev = ev.value();
    look.env_rotation = rot.value() * kDeg;
    look.env_intensity = intensity.value();
    if (args.has("--background")) {
        auto c = parse_colour(args.get("--background", ""));
        if (!c) return c.error();
        look.solid_background = true;
        look.background = c.value();
    }
    return look;
}

Result<Stage> make_stage(const std::vector<std::string>& model_paths, const Args& args) {
    Stage st;
    auto time = args.number("--time", 0);
    auto camera = args.integer("--camera", -1), anim = args.integer("--animation", 0);
    if (!time) return time.error();
    if (!camera) return camera.error();
    if (!anim) return anim.error();
    auto orbit = parse_orbit(args);
    if (!orbit) return orbit.error();
    auto look = parse_look(args);
    if (!look) return look.error();
    st.orbit = orbit.value();
    st.look = look.value();
    st.time = time.value();
    st.env_spec = args.get("--env", "neutral");
    if (st.env_spec != "neutral" && st.env_spec != "studio") outputs::protect(st.env_spec);

    // Each file once: the same file given twice is one model placed twice.
    std::vector<std::filesystem::path> loaded;
    for (const std::string& path : model_paths) {
        std::error_code ec;
        std::filesystem::path key = std::filesystem::weakly_canonical(path, ec);
        if (ec) key = path;
        size_t index = std::find(loaded.begin(), loaded.end(), key) - loaded.begin();
        if (index == loaded.size()) {
            auto model = scene::import_gltf(path);
            if (!model) return model.error();
            for (const auto& w : model->warnings) log::warn(model->source + ": " + w);
            int a = -1;
            if (!model->animations.empty()) {
                if (anim.value() < 0 || anim.value() >= int(model->animations.size()))
                    return fail(path + ": --animation " + std::to_string(anim.value()) + " does not exist (it has " +
                                std::to_string(model->animations.size()) + ")");
                a = anim.value();
            }
            session::protect_model(*model);
            st.models.push_back(std::make_unique<scene::Model>(std::move(model.value())));
            st.animations.push_back(a);
            loaded.push_back(key);
        }
        st.placed.push_back({index, glm::mat4(1)});
    }
    const scene::Model& first = *st.models.front();
    if (camera.value() >= int(first.cameras.size()))
        return fail(model_paths.front() + ": has " + std::to_string(first.cameras.size()) + " cameras; --camera " +
                    std::to_string(camera.value()) + " does not exist");
    st.camera = camera.value();
    pose_stage(st, st.time);

    // A line-up: side by side on X in file order, true size, base on y = 0, a fixed gap.
    if (st.placed.size() > 1) {
        float widest = 0;
        for (const scene::Pose& p : st.poses)
            if (!p.empty) widest = std::max(widest, p.max.x - p.min.x);
        auto gap = args.number("--gap", 0.1f * widest);
        if (!gap || gap.value() < 0) return fail("--gap expects metres >= 0, got '" + args.get("--gap", "") + "'");
        float cursor = 0;
        for (Stage::Placed& pl : st.placed) {
            const scene::Pose& p = st.poses[pl.model];
            if (p.empty) continue;
            glm::vec3 move(cursor - p.min.x, -p.min.y, -0.5f * (p.min.z + p.max.z));
            pl.transform = glm::translate(glm::mat4(1), move);
            cursor += (p.max.x - p.min.x) + gap.value();
        }
    } else if (args.has("--gap")) {
        return fail("--gap places several models side by side; give two or more models");
    }
    return st;
}

void pose_stage(Stage& st, float t) {
    st.time = t;
    st.poses.resize(st.models.size());
    for (size_t m = 0; m < st.models.size(); ++m) scene::evaluate_pose(*st.models[m], st.animations[m], t, st.poses[m]);
}

display::Bounds stage_bounds(const Stage& st) {
    display::Bounds b;
    for (const Stage::Placed& pl : st.placed) {
        const scene::Pose& p = st.poses[pl.model];
        if (p.empty) continue;
        for (int c = 0; c < 8; ++c) {
            glm::vec3 corner((c & 1) ? p.max.x : p.min.x, (c & 2) ? p.max.y : p.min.y, (c & 4) ? p.max.z : p.min.z);
            glm::vec3 w = glm::vec3(pl.transform * glm::vec4(corner, 1));
            if (b.empty) {
                b.min = b.max = w;
                b.empty = false;
            } else {
                b.min = glm::min(b.min, w);
                b.max = glm::max(b.max, w);
            }
        }
    }
    return b;
}

void stage_instances(const Stage& st, const std::vector<render::ModelId>& ids, std::vector<render::Instance>& out) {
    out.clear();
    for (const Stage::Placed& pl : st.placed) out.push_back({ids[pl.model], &st.poses[pl.model], pl.transform});
}

render::View stage_view(const Stage& st, const render::Rect& viewport, float yaw_offset) {
    display::Bounds b = stage_bounds(st);
    if (st.camera >= 0) return display::gltf_camera_view(*st.models.front(), st.poses.front(), st.camera, b, viewport);
    scene::Orbit o = st.orbit;
    o.yaw += yaw_offset;
    o.target += b.centre();
    return display::orbit_view(o, b, viewport);
}

}  // namespace vitrine::app
