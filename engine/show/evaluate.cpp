// The scene at show time t: the file's values, then each playing timeline and each
// set in the order they started, then world matrices, poses, lights and the camera.
#include <algorithm>
#include <cmath>

#include <glm/gtc/matrix_transform.hpp>

#include "show/image.h"
#include "show/show.h"
#include "show/values.h"

namespace vitrine::show {

namespace {

scene::MaterialOverride& factors(std::vector<scene::MaterialOverride>& list, int material, const scene::Model* model) {
    for (scene::MaterialOverride& f : list)
        if (f.material == material) return f;
    scene::MaterialOverride f;
    f.material = material;
    if (model && material >= 0 && size_t(material) < model->materials.size()) {
        f.base_color = model->materials[size_t(material)].base_color;
        f.emissive = model->materials[size_t(material)].emissive;
    }
    list.push_back(f);
    return list.back();
}

// World bounds of a box under a matrix (the 8 corners).
void transform_box(const glm::mat4& m, const glm::vec3& lo, const glm::vec3& hi, glm::vec3& out_lo, glm::vec3& out_hi) {
    out_lo = glm::vec3(INFINITY), out_hi = glm::vec3(-INFINITY);
    for (int c = 0; c < 8; ++c) {
        glm::vec3 p((c & 1) ? hi.x : lo.x, (c & 2) ? hi.y : lo.y, (c & 4) ? hi.z : lo.z);
        glm::vec3 w(m * glm::vec4(p, 1));
        out_lo = glm::min(out_lo, w), out_hi = glm::max(out_hi, w);
    }
}

// Camera frames ignore scale: rebuilt from normalised axes.
glm::mat4 unscaled(const glm::mat4& m) {
    glm::mat4 r(1);
    r[0] = glm::vec4(glm::normalize(glm::vec3(m[0])), 0);
    r[1] = glm::vec4(glm::normalize(glm::vec3(m[1])), 0);
    r[2] = glm::vec4(glm::normalize(glm::vec3(m[2])), 0);
    r[3] = m[3];
    return r;
}

scene::Orbit orbit_of(const std::array<float, 6>& o, float yfov) {
    scene::Orbit orbit;
    orbit.yaw = glm::radians(o[0]);
    orbit.pitch = glm::radians(o[1]);
    orbit.distance = o[2];
    orbit.target = {o[3], o[4], o[5]};
    orbit.yfov = yfov;
    return orbit;
}

}  // namespace

void Show::apply(Values& v, const Property& p, const float* x) const {
    size_t n = size_t(std::max(0, p.node));
    switch (p.kind) {
        case PropertyKind::Translation: v.translation[n] = {x[0], x[1], x[2]}; break;
        case PropertyKind::Rotation: v.rotation[n] = glm::quat(x[3], x[0], x[1], x[2]); break;
        case PropertyKind::Scale: v.scale[n] = {x[0], x[1], x[2]}; break;
        case PropertyKind::Visible: v.visible[n] = x[0]; break;
        case PropertyKind::Fov: v.fov[n] = x[0]; break;
        case PropertyKind::Orbit: std::copy_n(x, 6, v.orbit[n].begin()); break;
        case PropertyKind::LightColor: v.color[n] = {x[0], x[1], x[2]}; break;
        case PropertyKind::LightIntensity: v.intensity[n] = x[0]; break;
        case PropertyKind::BaseColor: {
            scene::MaterialOverride& f = factors(v.materials[n], p.material, models_.at(file_.nodes[n].model));
            f.has_base_color = true;
            f.base_color = {x[0], x[1], x[2], x[3]};
            break;
        }
        case PropertyKind::Emissive: {
            scene::MaterialOverride& f = factors(v.materials[n], p.material, models_.at(file_.nodes[n].model));
            f.has_emissive = true;
            f.emissive = {x[0], x[1], x[2]};
            break;
        }
        case PropertyKind::AnimationTime:
            v.animation_time[n] = x[0];
            v.animation_set[n] = 1;
            break;
        case PropertyKind::Region: v.region[n] = glm::dvec4(x[0], x[1], x[2], x[3]); break;
        case PropertyKind::ImageSize: v.size[n] = {x[0], x[1]}; break;
        case PropertyKind::Opacity: v.opacity[n] = x[0]; break;
        case PropertyKind::EnvRotation: v.env_rotation = x[0]; break;
        case PropertyKind::EnvIntensity: v.env_intensity = x[0]; break;
        case PropertyKind::Exposure: v.exposure = x[0]; break;
        case PropertyKind::SoundGain: v.gain[n] = x[0]; break;
        case PropertyKind::SoundPitch: v.pitch[n] = x[0]; break;
        case PropertyKind::GroupGain:
            if (p.group >= 0 && size_t(p.group) < v.group_gain.size()) v.group_gain[size_t(p.group)] = x[0];
            break;
    }
}

void Show::read(const Values& v, const Property& p, float* out) const {
    size_t n = size_t(std::max(0, p.node));
    auto put3 = [&](const glm::vec3& a) { out[0] = a.x, out[1] = a.y, out[2] = a.z; };
    switch (p.kind) {
        case PropertyKind::Translation: put3(v.translation[n]); break;
        case PropertyKind::Rotation: {
            const glm::quat& q = v.rotation[n];
            out[0] = q.x, out[1] = q.y, out[2] = q.z, out[3] = q.w;
            break;
        }
        case PropertyKind::Scale: put3(v.scale[n]); break;
        case PropertyKind::Visible: out[0] = v.visible[n]; break;
        case PropertyKind::Fov: out[0] = v.fov[n]; break;
        case PropertyKind::Orbit: std::copy_n(v.orbit[n].begin(), 6, out); break;
        case PropertyKind::LightColor: put3(v.color[n]); break;
        case PropertyKind::LightIntensity: out[0] = v.intensity[n]; break;
        case PropertyKind::BaseColor:
        case PropertyKind::Emissive: {
            std::vector<scene::MaterialOverride> copy = v.materials[n];
            scene::MaterialOverride& f = factors(copy, p.material, models_.at(file_.nodes[n].model));
            if (p.kind == PropertyKind::BaseColor)
                out[0] = f.base_color.r, out[1] = f.base_color.g, out[2] = f.base_color.b, out[3] = f.base_color.a;
            else
                put3(f.emissive);
            break;
        }
        case PropertyKind::AnimationTime: out[0] = v.animation_time[n]; break;
        case PropertyKind::Region: {
            glm::dvec4 r = region_now(v, n);
            out[0] = float(r.x), out[1] = float(r.y), out[2] = float(r.z), out[3] = float(r.w);
            break;
        }
        case PropertyKind::ImageSize: out[0] = v.size[n].x, out[1] = v.size[n].y; break;
        case PropertyKind::Opacity: out[0] = v.opacity[n]; break;
        case PropertyKind::EnvRotation: out[0] = v.env_rotation; break;
        case PropertyKind::EnvIntensity: out[0] = v.env_intensity; break;
        case PropertyKind::Exposure: out[0] = v.exposure; break;
        case PropertyKind::SoundGain: out[0] = v.gain[n]; break;
        case PropertyKind::SoundPitch: out[0] = v.pitch[n]; break;
        case PropertyKind::GroupGain:
            out[0] = p.group >= 0 && size_t(p.group) < v.group_gain.size() ? v.group_gain[size_t(p.group)] : 1.0f;
            break;
    }
}

void Show::values_at(double t, Values& v) const {
    v = *base_;
    // Layers in the order they started: timelines and sets interleaved.
    size_t ti = 0, si = 0;
    float buf[8];
    std::vector<const Playing*>& timelines = layer_scratch_;
    timelines.clear();
    for (const Playing& p : playing_) timelines.push_back(&p);
    std::sort(timelines.begin(), timelines.end(), [](const Playing* a, const Playing* b) { return a->order < b->order; });
    while (ti < timelines.size() || si < sets_.size()) {
        bool timeline_next = si == sets_.size() || (ti < timelines.size() && timelines[ti]->order < sets_[si].order);
        if (timeline_next) {
            const Playing& p = *timelines[ti++];
            const Timeline& tl = file_.timelines[size_t(p.timeline)];
            double local = std::max(0.0, local_time(p, t));
            local = tl.loop ? std::fmod(local, tl.duration) : std::min(local, tl.duration);
            for (const BoundTrack& track : tracks_[size_t(p.timeline)]) {
                if (track.zoom) {  // in double, from the region the layers below give
                    size_t n = size_t(track.property.node);
                    v.region[n] = sample_zoom(track.moves, local, region_now(v, n), v.size[n], mm_per_pixel(int(n)));
                    continue;
                }
                sample_track(track, local, buf);
                apply(v, track.property, buf);
            }
        } else {
            const SetLayer& s = sets_[si++];
            if (s.property.kind == PropertyKind::Region) {  // a magnification move
                double u = s.fade > 0 ? std::clamp((t - s.start) / s.fade, 0.0, 1.0) : 1.0;
                v.region[size_t(s.property.node)] = zoom_between(s.region_from, s.region_to, u);
                continue;
            }
            float f = s.fade > 0 ? float(std::clamp((t - s.start) / s.fade, 0.0, 1.0)) : 1.0f;
            mix_values(s.property.kind, s.from.data(), s.to.data(), f, width(s.property), buf);
            apply(v, s.property, buf);
        }
    }
}

void Show::evaluate(Frame& frame) const {
    Values& v = *scratch_;  // reused: a steady show allocates nothing per frame here
    values_at(now_, v);
    frame.time = now_;
    frame.state = state();
    size_t n = file_.nodes.size();
    frame.world.resize(n);
    frame.visible.resize(n);
    for (size_t i = 0; i < n; ++i) {
        glm::mat4 local = glm::translate(glm::mat4(1), v.translation[i]) * glm::mat4_cast(v.rotation[i]) *
                          glm::scale(glm::mat4(1), v.scale[i]);
        int parent = file_.nodes[i].parent;
        bool shown = true;
        if (file_.nodes[i].hotspot && parent >= 0 && file_.nodes[size_t(parent)].image) {
            // On its pixel of the parent's frame, at whatever zoom; hidden while the pixel is
            // outside the region shown.
            size_t p = size_t(parent);
            glm::dvec4 r = region_now(v, p);
            glm::dvec2 px = file_.nodes[i].hotspot->pixel;
            local = glm::translate(glm::mat4(1), glm::vec3(image_local(v.size[p], r, px))) * local;
            shown = px.x >= r.x && px.x <= r.x + r.z && px.y >= r.y && px.y <= r.y + r.w;
        }
        frame.world[i] = parent >= 0 ? frame.world[size_t(parent)] * local : local;
        frame.visible[i] = shown && v.visible[i] != 0 && (parent < 0 || frame.visible[size_t(parent)]);
    }

    frame.models.resize(model_nodes_.size());
    frame.empty = true;
    for (size_t m = 0; m < model_nodes_.size(); ++m) {
        size_t i = size_t(model_nodes_[m]);
        const Node& node = file_.nodes[i];
        FrameModel& fm = frame.models[m];
        fm.node = int(i);
        fm.asset = node.model;
        fm.model = models_.at(node.model);
        fm.animation = -1;
        if (!node.animation.empty()) {
            for (size_t a = 0; a < fm.model->animations.size(); ++a)
                if (fm.model->animations[a].name == node.animation) fm.animation = int(a);
            if (fm.animation < 0 && std::all_of(node.animation.begin(), node.animation.end(), ::isdigit))
                fm.animation = std::atoi(node.animation.c_str());
            if (fm.animation >= int(fm.model->animations.size())) fm.animation = -1;
        }
        float duration = fm.animation >= 0 ? fm.model->animations[size_t(fm.animation)].duration : 0;
        fm.animation_time = v.animation_set[i] ? v.animation_time[i]
                            : duration > 0    ? float(std::fmod(now_, double(duration)))
                                              : 0.0f;
        fm.world = frame.world[i];
        fm.visible = frame.visible[i];
        fm.materials = v.materials[i];
        fm.textures.assign(textures_[i].begin(), textures_[i].end());
        scene::evaluate_pose(*fm.model, fm.animation, fm.animation_time, fm.pose);
        fm.empty = fm.pose.empty;
        if (!fm.empty) transform_box(fm.world, fm.pose.min, fm.pose.max, fm.min, fm.max);
        if (fm.visible && !fm.empty) {
            frame.min = frame.empty ? fm.min : glm::min(frame.min, fm.min);
            frame.max = frame.empty ? fm.max : glm::max(frame.max, fm.max);
            frame.empty = false;
        }
    }

    frame.images.resize(image_nodes_.size());
    for (size_t k = 0; k < image_nodes_.size(); ++k) {
        size_t i = size_t(image_nodes_[k]);
        FrameImage& fi = frame.images[k];
        fi.node = int(i);
        fi.asset = file_.nodes[i].image->pyramid;
        fi.pyramid = pyramids_[i];
        fi.world = frame.world[i];
        fi.size = v.size[i];
        fi.region = region_now(v, i);
        fi.opacity = v.opacity[i];
        fi.visible = frame.visible[i] != 0;
        if (!fi.visible) continue;
        glm::vec3 lo, hi;  // the frame's corners count in the bounds (the automatic framing)
        transform_box(fi.world, glm::vec3(-fi.size.x / 2, -fi.size.y / 2, 0), glm::vec3(fi.size.x / 2, fi.size.y / 2, 0),
                      lo, hi);
        frame.min = frame.empty ? lo : glm::min(frame.min, lo);
        frame.max = frame.empty ? hi : glm::max(frame.max, hi);
        frame.empty = false;
    }
    frame.hotspots.clear();
    for (int i : hotspot_nodes_) {
        const Node& node = file_.nodes[size_t(i)];
        auto image = std::find(image_nodes_.begin(), image_nodes_.end(), node.parent);
        if (image == image_nodes_.end()) continue;  // validated at load: always under an image
        FrameHotspot h;
        h.node = i;
        h.image = int(image - image_nodes_.begin());
        h.pixel = node.hotspot->pixel;
        h.radius = node.hotspot->radius;
        h.visible = frame.visible[size_t(i)] != 0;
        frame.hotspots.push_back(h);
    }

    frame.lights.clear();
    for (int i : light_nodes_) {
        if (!frame.visible[size_t(i)]) continue;
        const LightDesc& d = *file_.nodes[size_t(i)].light;
        FrameLight fl;
        fl.node = i;
        fl.light.name = file_.nodes[size_t(i)].name;
        fl.light.type = d.type == LightKind::Directional ? scene::LightType::Directional
                        : d.type == LightKind::Spot     ? scene::LightType::Spot
                                                         : scene::LightType::Point;
        fl.light.color = v.color[size_t(i)];
        fl.light.intensity = v.intensity[size_t(i)];
        fl.light.range = d.range;
        fl.light.inner_cone = glm::radians(d.inner_cone);
        fl.light.outer_cone = glm::radians(d.outer_cone);
        fl.world = frame.world[size_t(i)];
        frame.lights.push_back(fl);
    }

    FrameCamera& cam = frame.camera;
    cam = FrameCamera{};
    if (camera_ >= 0 && file_.nodes[size_t(camera_)].camera) {
        const CameraDesc& d = *file_.nodes[size_t(camera_)].camera;
        cam.node = camera_;
        cam.yfov = glm::radians(v.fov[size_t(camera_)]);
        cam.znear = d.znear;
        cam.zfar = d.zfar;
        if (!d.gltf_node.empty()) {
            int owner = file_.node_index(d.gltf_node);
            for (const FrameModel& fm : frame.models)
                if (fm.node == owner && d.gltf_index >= 0 && size_t(d.gltf_index) < fm.model->cameras.size()) {
                    const scene::Camera& c = fm.model->cameras[size_t(d.gltf_index)];
                    for (size_t k = 0; k < fm.model->nodes.size(); ++k)
                        if (fm.model->nodes[k].camera == d.gltf_index && k < fm.pose.world.size()) {
                            cam.world = unscaled(fm.world * fm.pose.world[k]);
                            break;
                        }
                    cam.yfov = c.yfov;
                    cam.znear = c.znear;
                    cam.zfar = c.zfar;
                }
        } else if (d.orbit) {
            cam.orbit = true;
            cam.world = glm::inverse(orbit_of(v.orbit[size_t(camera_)], cam.yfov).view());
        } else {
            cam.world = unscaled(frame.world[size_t(camera_)]);
        }
    } else {
        // No camera: an orbit framing every visible relic, from slightly above.
        cam.orbit = cam.auto_fit = true;
        cam.fit.yaw = 0;
        cam.fit.pitch = glm::radians(10.0f);
        cam.fit.yfov = cam.yfov;
        cam.fit.target = frame.empty ? glm::vec3(0) : (frame.min + frame.max) * 0.5f;
    }

    frame.env_rotation = v.env_rotation;
    frame.env_intensity = v.env_intensity;
    frame.exposure = v.exposure;
    sounds(v, frame);
}

void Show::sounds(const Values& v, Frame& frame) const {
    frame.sounds.resize(sound_nodes_.size());
    for (size_t k = 0; k < sound_nodes_.size(); ++k) {
        size_t i = size_t(sound_nodes_[k]);
        const SoundDesc& d = *file_.nodes[i].sound;
        FrameSound& fs = frame.sounds[k];
        fs.node = int(i);
        fs.asset = d.audio;
        fs.file = sound_file_[i];
        fs.world = frame.world[i];
        fs.group = d.group;
        // Tracks may overshoot (CUBICSPLINE): keep what the audio engine is given valid.
        fs.gain = std::max(0.0f, v.gain[i]);
        fs.pitch = std::clamp(v.pitch[i], 1.0f / 64, 4.0f);
        fs.loop = d.loop, fs.stream = d.stream, fs.in_head = d.in_head;
        fs.distance_model = int(d.distance);
        fs.ref_distance = d.ref, fs.max_distance = d.max, fs.rolloff = d.rolloff;
        fs.cone_inner = d.cone_inner, fs.cone_outer = d.cone_outer, fs.cone_outer_gain = d.cone_outer_gain;
        fs.reverb = d.reverb;
        const SoundPlay& s = sound_play_[i];
        // Seconds into the file: a sound at pitch p plays p seconds of file a second (exact
        // for a constant pitch; a pitch track moves it at the pitch in force now).
        fs.offset = s.playing ? s.offset + (now_ - s.since) * double(fs.pitch) : s.offset;
        // A sound that is not looping ends with its file (its length is known from the probe).
        fs.playing = s.playing && (d.loop || sound_length_[i] < 0 || fs.offset < sound_length_[i]);
        fs.visible = frame.visible[i] != 0;
    }
    frame.zones.resize(zone_nodes_.size());
    for (size_t k = 0; k < zone_nodes_.size(); ++k) {
        size_t i = size_t(zone_nodes_[k]);
        FrameZone& z = frame.zones[k];
        z.node = int(i);
        z.reverb = file_.nodes[i].zone->reverb;
        z.world = frame.world[i];
        z.size = file_.nodes[i].zone->size;
    }
    frame.reverb = file_.audio.reverb;
    // The same names as last frame (the usual case): values only, no allocation.
    bool same = frame.groups.size() == groups_.size() &&
                std::equal(groups_.begin(), groups_.end(), frame.groups.begin(),
                           [](const std::string& name, const auto& entry) { return name == entry.first; });
    if (!same) frame.groups.clear();
    for (size_t g = 0; g < groups_.size(); ++g) frame.groups[groups_[g]] = std::max(0.0f, v.group_gain[g]);
    frame.duck_group = file_.audio.duck_group;
    frame.duck_under = file_.audio.duck_under;
    frame.duck_gain = file_.audio.duck_gain;
    frame.listener_viewer = file_.audio.listener_viewer;
    frame.volume = volume_;
}

CameraMatrices camera_view(const Frame& frame, float aspect) {
    const FrameCamera& cam = frame.camera;
    float radius = frame.empty ? 1.0f : 0.5f * glm::length(frame.max - frame.min);
    glm::vec3 centre = frame.empty ? glm::vec3(0) : (frame.min + frame.max) * 0.5f;
    CameraMatrices m;
    if (cam.auto_fit) {
        scene::Orbit o = cam.fit;
        o.distance = -1;  // fit
        scene::Framing f = scene::frame_orbit(o, frame.min, frame.max, frame.empty, aspect);
        m.eye = f.eye;
        m.view = f.view;
        m.proj = f.proj;
        return m;
    }
    m.eye = glm::vec3(cam.world[3]);
    glm::vec3 fwd = -glm::vec3(cam.world[2]), up = glm::vec3(cam.world[1]);
    m.view = glm::lookAt(m.eye, m.eye + fwd, up);
    float znear = cam.znear > 0 ? cam.znear : 0.05f;
    float zfar = cam.zfar > 0 ? cam.zfar : glm::length(m.eye - centre) + radius * 4.0f;
    if (zfar <= znear) zfar = znear * 1000.0f;
    m.proj = scene::perspective(cam.yfov, aspect, znear, zfar);
    return m;
}

int pick(const Frame& frame, float aspect, float x, float y) {
    CameraMatrices m = camera_view(frame, aspect);
    glm::mat4 inv = glm::inverse(m.proj * m.view);
    glm::vec2 ndc(2 * x - 1, 2 * y - 1);  // Vulkan clip space: y down, like the picture
    glm::vec4 a = inv * glm::vec4(ndc, 0, 1), b = inv * glm::vec4(ndc, 1, 1);
    glm::vec3 origin = glm::vec3(a) / a.w, dir = glm::normalize(glm::vec3(b) / b.w - origin);
    return pick_ray(frame, origin, dir);
}

int pick_ray(const Frame& frame, const glm::vec3& origin, const glm::vec3& dir) {
    int best = -1;
    float best_t = INFINITY;
    for (const FrameModel& fm : frame.models) {
        if (!fm.visible || fm.empty) continue;
        // Slab test against the world bounds.
        float t0 = 0, t1 = INFINITY;
        for (int k = 0; k < 3; ++k) {
            float inv_d = 1.0f / dir[k];
            float ta = (fm.min[k] - origin[k]) * inv_d, tb = (fm.max[k] - origin[k]) * inv_d;
            if (ta > tb) std::swap(ta, tb);
            t0 = std::max(t0, ta), t1 = std::min(t1, tb);
        }
        if (t0 <= t1 && t0 < best_t) best_t = t0, best = fm.node;
    }
    // Image frames: the hotspot nearest the point touched, within its radius, else the image.
    for (size_t k = 0; k < frame.images.size(); ++k) {
        const FrameImage& fi = frame.images[k];
        if (!fi.visible || !(fi.opacity > 0)) continue;
        auto hit = hit_image(fi, glm::dvec3(origin), glm::dvec3(dir));
        if (!hit || !(hit->t < double(best_t))) continue;
        int node = fi.node;
        double nearest = INFINITY;
        for (const FrameHotspot& h : frame.hotspots) {
            if (h.image != int(k) || !h.visible) continue;
            double d = glm::length(glm::dvec2(hit->local) - glm::dvec2(image_local(fi.size, fi.region, h.pixel)));
            if (d <= double(h.radius) && d < nearest) nearest = d, node = h.node;
        }
        best_t = float(hit->t);
        best = node;
    }
    return best;
}

}  // namespace vitrine::show

namespace vitrine::show {

std::string zone_reverb(const Frame& frame, glm::vec3 listener) {
    // The last zone in file order wins: a zone written after (or inside) another is the inner one.
    for (auto it = frame.zones.rbegin(); it != frame.zones.rend(); ++it) {
        glm::vec4 local = glm::inverse(it->world) * glm::vec4(listener, 1);
        glm::vec3 half = it->size * 0.5f;
        if (std::abs(local.x) <= half.x && std::abs(local.y) <= half.y && std::abs(local.z) <= half.z)
            return it->reverb;
    }
    return frame.reverb.empty() ? std::string("none") : frame.reverb;
}

}  // namespace vitrine::show
