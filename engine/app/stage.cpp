#include "app/stage.h"

#include <cmath>
#include <cstdlib>

#include <glm/gtc/matrix_transform.hpp>

#include "core/log.h"
#include "render/environment.h"
#include "scene/gltf_import.h"

namespace vitrine::app {

namespace fs = std::filesystem;

const std::vector<std::string> kStageFlags = {"--yaw", "--pitch", "--distance", "--fov", "--env", "--env-rotation",
                                              "--tonemap", "--exposure", "--camera", "--time", "--background",
                                              "--env-intensity", "--animation"};

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

Result<Stage> make_stage(const std::string& model_path, const Args& args) {
    Stage st;
    auto model = scene::import_gltf(model_path);
    if (!model) return model.error();
    st.model = std::move(model.value());
    for (const auto& w : st.model.warnings) log::warn(st.model.source + ": " + w);

    auto yaw = args.number("--yaw", 0), pitch = args.number("--pitch", 0), fov = args.number("--fov", 45);
    auto time = args.number("--time", 0), ev = args.number("--exposure", 0), rot = args.number("--env-rotation", 0);
    auto intensity = args.number("--env-intensity", 1);
    auto camera = args.integer("--camera", -1), anim = args.integer("--animation", 0);
    for (auto* r : {&yaw, &pitch, &fov, &time, &ev, &rot, &intensity})
        if (!r->ok()) return r->error();
    if (!camera) return camera.error();
    if (!anim) return anim.error();
    if (fov.value() <= 1 || fov.value() >= 179) return fail("--fov must be between 1 and 179 degrees");
    if (camera.value() >= int(st.model.cameras.size()))
        return fail(model_path + ": has " + std::to_string(st.model.cameras.size()) + " cameras; --camera " +
                    std::to_string(camera.value()) + " does not exist");
    st.camera = camera.value();
    st.time = time.value();
    if (!st.model.animations.empty()) {
        if (anim.value() < 0 || anim.value() >= int(st.model.animations.size()))
            return fail(model_path + ": --animation " + std::to_string(anim.value()) + " does not exist");
        st.animation = anim.value();
    }
    st.pose = scene::evaluate_pose(st.model, st.animation, st.time);

    st.orbit.yaw = yaw.value() * kDeg;
    st.orbit.pitch = std::clamp(pitch.value(), -89.9f, 89.9f) * kDeg;
    st.orbit.yfov = fov.value() * kDeg;
    st.orbit.target = st.pose.empty ? glm::vec3(0) : (st.pose.min + st.pose.max) * 0.5f;
    std::string dist = args.get("--distance", "auto");
    if (dist == "auto") {
        st.orbit.distance = -1;  // resolved per aspect in stage_view
    } else {
        auto d = args.number("--distance", 1);
        if (!d || d.value() <= 0) return fail("--distance expects 'auto' or metres > 0, got '" + dist + "'");
        st.orbit.distance = d.value();
    }

    std::string tm = args.get("--tonemap", "khr-pbr-neutral");
    if (tm == "khr-pbr-neutral") st.look.tonemap = render::ToneMap::PbrNeutral;
    else if (tm == "aces") st.look.tonemap = render::ToneMap::Aces;
    else if (tm == "none") st.look.tonemap = render::ToneMap::None;
    else return fail("--tonemap expects khr-pbr-neutral, aces or none, got '" + tm + "'");
    st.look.exposure_ev = ev.value();
    st.look.env_rotation = rot.value() * kDeg;
    st.look.env_intensity = intensity.value();
    if (args.has("--background")) {
        auto c = parse_colour(args.get("--background", ""));
        if (!c) return c.error();
        st.look.solid_background = true;
        st.look.background = c.value();
    }
    st.env_spec = args.get("--env", "neutral");
    return st;
}

render::View stage_view(const Stage& st, uint32_t width, uint32_t height) {
    render::View v;
    float aspect = float(width) / float(height);
    float radius = st.pose.empty ? 1.0f : 0.5f * glm::length(st.pose.max - st.pose.min);
    if (st.camera >= 0) {
        const scene::Camera& cam = st.model.cameras[size_t(st.camera)];
        glm::mat4 world(1);
        for (size_t n = 0; n < st.model.nodes.size(); ++n)
            if (st.model.nodes[n].camera == st.camera) { world = st.pose.world[n]; break; }
        // Cameras ignore node scale: rebuild the frame from normalised axes.
        glm::vec3 eye(world[3]);
        glm::vec3 fwd = -glm::normalize(glm::vec3(world[2])), up = glm::normalize(glm::vec3(world[1]));
        v.eye = eye;
        v.view = glm::lookAt(eye, eye + fwd, up);
        float zfar = cam.zfar > 0 ? cam.zfar : glm::length(eye - (st.pose.min + st.pose.max) * 0.5f) + radius * 4.0f;
        if (cam.perspective) {
            v.proj = scene::perspective(cam.yfov, aspect, cam.znear, zfar);
        } else {
            v.proj = glm::orthoRH_ZO(-cam.xmag, cam.xmag, -cam.ymag, cam.ymag, cam.znear, zfar);
            v.proj[1][1] *= -1.0f;
        }
        return v;
    }
    scene::Orbit o = st.orbit;
    if (o.distance < 0) o.distance = st.pose.empty ? 2.0f : scene::auto_distance(st.pose.min, st.pose.max, o.yfov, aspect);
    float zn, zf;
    scene::clip_planes(o.distance, radius, &zn, &zf);
    v.eye = o.eye();
    v.view = o.view();
    v.proj = scene::perspective(o.yfov, aspect, zn, zf);
    return v;
}

}  // namespace vitrine::app
