// validate_scene: what needs more than one key to judge. Each check reports at the
// value that is wrong (the reference, the key's time, the state's name) and goes on.
#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>

#include "show/image.h"
#include "show/load.h"
#include "show/property.h"
#include "yaml/wording.h"
#include "zoom/pyramid.h"

namespace vitrine::show {
namespace {

using yaml::wording::num;
using yaml::wording::q;

bool all_digits(const std::string& s) {
    return !s.empty() && s.size() <= 9 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "3", "3.1", "10.2.5": hierarchical numbers, as QLab numbers cues.
bool is_cue_number(const std::string& id) {
    if (id.empty() || id.front() == '.' || id.back() == '.') return false;
    for (size_t i = 0; i < id.size(); ++i) {
        bool digit = id[i] >= '0' && id[i] <= '9';
        if (!digit && !(id[i] == '.' && id[i - 1] != '.')) return false;
    }
    return true;
}

// Names that are not the node's own, or a position in a list when it has none.
std::vector<std::string> names_or_indices(const std::vector<std::string>& names) {
    std::vector<std::string> out;
    for (size_t i = 0; i < names.size(); ++i) out.push_back(names[i].empty() ? std::to_string(i) : names[i]);
    return out;
}

class Validator {
public:
    Validator(const SceneFile& s, const Models& models, const Pyramids& pyramids, std::vector<Problem>& out)
        : s_(s), models_(models), pyramids_(pyramids), out_(out) {}

    void run() {
        names();
        environment();
        audio();
        for (const Node& n : s_.nodes) node(n);
        camera_ref(s_.camera, s_.locs.at("camera", s_.loc));
        for (const Timeline& t : s_.timelines) timeline(t);
        cues();
        states();
    }

private:
    const SceneFile& s_;
    const Models& models_;
    const Pyramids& pyramids_;
    std::vector<Problem>& out_;

    void error(const Loc& at, std::string message) { out_.push_back({at, std::move(message)}); }

    std::vector<std::string> node_names(bool cameras_only = false) const {
        std::vector<std::string> names;
        for (const Node& n : s_.nodes)
            if (!n.name.empty() && (!cameras_only || n.camera)) names.push_back(n.name);
        return names;
    }

    const scene::Model* model_of(const Node& n) const {
        auto it = models_.find(n.model);
        return it == models_.end() ? nullptr : it->second;
    }

    // "x 'name' is defined twice (first at f:3:9)" for every repeat.
    template <typename T, typename NameOf>
    void unique(const std::vector<T>& items, const std::string& what, const char* key, NameOf name_of) {
        std::map<std::string, Loc> first;
        for (const T& item : items) {
            const std::string& name = name_of(item);
            if (name.empty()) continue;
            Loc at = item.locs.at(key, item.loc);
            auto [it, fresh] = first.emplace(name, at);
            if (!fresh) error(at, what + " " + q(name) + " is defined twice (first at " + it->second.str() + ")");
        }
    }

    // ---- references ----------------------------------------------------------------
    bool node_ref(const std::string& name, const Loc& at, bool any_ok) {
        if ((any_ok && name == "any") || (!name.empty() && s_.node_index(name) >= 0)) return true;
        std::vector<std::string> candidates = node_names();
        if (any_ok) candidates.push_back("any");
        error(at, "unknown node " + q(name) + yaml::wording::did_you_mean(name, candidates));
        return false;
    }

    const Timeline* timeline_ref(const std::string& name, const Loc& at) {
        if (const Timeline* t = s_.timeline(name)) return t;
        std::vector<std::string> names;
        for (const Timeline& t : s_.timelines) names.push_back(t.name);
        error(at, "unknown timeline " + q(name) + yaml::wording::did_you_mean(name, names));
        return nullptr;
    }

    bool state_ref(const std::string& name, const Loc& at) {
        if (s_.state_index(name) >= 0) return true;
        std::vector<std::string> names;
        for (const State& st : s_.states) names.push_back(st.name);
        error(at, "unknown state " + q(name) + yaml::wording::did_you_mean(name, names));
        return false;
    }

    void camera_ref(const std::string& name, const Loc& at) {
        if (name.empty()) return;
        int i = s_.node_index(name);
        if (i < 0)
            error(at, "unknown camera node " + q(name) + yaml::wording::did_you_mean(name, node_names(true)));
        else if (!s_.nodes[size_t(i)].camera)
            error(at, "node " + q(name) + " is not a camera");
    }

    // bind_property, unless the node's model failed to load (already reported by the
    // loader: its materials are unknown, not wrong).
    std::optional<Property> bind(const std::string& path, const Loc& at) {
        int node = s_.node_index(path.substr(0, path.find('.')));
        if (node >= 0 && path.find(".material") != std::string::npos) {
            const Node& n = s_.nodes[size_t(node)];
            if (!n.model.empty() && !model_of(n)) return std::nullopt;
        }
        Result<Property> p = bind_property(s_, models_, path);
        if (p.ok()) return p.value();
        error(at, p.error().message);
        return std::nullopt;
    }

    // ---- checks --------------------------------------------------------------------
    void names() {
        for (const Node& n : s_.nodes) {
            Loc at = n.locs.at("name", n.loc);
            if (n.name == "environment" || n.name == "look" || n.name == "any" || n.name == "audio")
                error(at, "node name " + q(n.name) + " is reserved");
            else if (n.name.find('.') != std::string::npos)
                error(at, "node name " + q(n.name) + " must not contain '.'");
        }
        unique(s_.nodes, "node", "name", [](const Node& n) -> const std::string& { return n.name; });
        unique(s_.timelines, "timeline", "name", [](const Timeline& t) -> const std::string& { return t.name; });
        unique(s_.states, "state", "name", [](const State& st) -> const std::string& { return st.name; });
        unique(s_.cues, "cue", "id", [](const Cue& c) -> const std::string& { return c.id; });
    }

    void environment() {
        const EnvironmentDesc& e = s_.environment;
        if (e.source == "studio") return;
        Loc at = e.locs.at("source", e.loc);
        const Asset* a = s_.asset(e.source);
        if (!a) return error(at, "unknown asset " + q(e.source) + asset_hint(e.source));
        if (a->kind != AssetKind::Hdr) error(at, "asset " + q(e.source) + " is not an hdr");
    }

    std::string asset_hint(const std::string& name) const {
        std::vector<std::string> names;
        for (const Asset& a : s_.assets) names.push_back(a.name);
        return yaml::wording::did_you_mean(name, names);
    }

    void node(const Node& n) {
        const scene::Model* model = nullptr;
        if (!n.model.empty()) {
            Loc at = n.locs.at("model", n.loc);
            const Asset* a = s_.asset(n.model);
            if (!a) error(at, "unknown asset " + q(n.model) + asset_hint(n.model));
            else if (a->kind != AssetKind::Gltf) error(at, "asset " + q(n.model) + " is not a glTF model");
            else model = model_of(n);
        }
        if (!n.animation.empty()) {
            Loc at = n.locs.at("animation", n.loc);
            if (n.model.empty()) error(at, "'animation' needs a 'model'");
            else if (model) animation(n, *model, at);
        }
        if (!n.textures.empty()) textures(n, model);
        if (n.light && n.light->type == LightKind::Spot) {
            const LightDesc& l = *n.light;
            if (!(l.inner_cone >= 0 && l.inner_cone < l.outer_cone && l.outer_cone <= 90))
                error(l.locs.at("outer_cone", l.loc), "a spot light needs 0 <= inner_cone < outer_cone <= 90, got " +
                                                          num(l.inner_cone) + " and " + num(l.outer_cone));
        }
        if (n.camera) camera(*n.camera);
        if (n.image) image(n);
        if (n.hotspot) hotspot(n);
        if (n.sound) sound(*n.sound);
        if (n.zone) zone(*n.zone);
    }

    // ---- sound -------------------------------------------------------------------------
    void audio() {
        const AudioDesc& a = s_.audio;
        for (const auto& [group, gain] : a.groups)
            if (!(gain >= 0))
                error(a.locs.at("groups." + group, a.loc), "group " + q(group) + " gain must not be negative, got " + num(gain));
        if (!(a.duck_gain >= 0 && a.duck_gain <= 1))
            error(a.locs.at("duck.gain", a.loc), "'gain' of duck must be between 0 and 1, got " + num(a.duck_gain));
        if (!a.duck_group.empty() && a.duck_group == a.duck_under)
            error(a.locs.at("duck.under", a.loc), "group " + q(a.duck_group) + " cannot duck under itself");
    }

    // "'pitch' must be ..., got x" at the key's value, unless `ok`.
    void check(bool ok, const Locs& locs, const Loc& fallback, const std::string& key, const std::string& rule,
               float value) {
        if (!ok) error(locs.at(key, fallback), q(key.substr(key.rfind('.') + 1)) + " must be " + rule + ", got " + num(value));
    }

    void sound(const SoundDesc& d) {
        if (!d.audio.empty()) {
            Loc at = d.locs.at("audio", d.loc);
            const Asset* a = s_.asset(d.audio);
            if (!a) error(at, "unknown asset " + q(d.audio) + asset_hint(d.audio));
            else if (a->kind != AssetKind::Audio) error(at, "asset " + q(d.audio) + " is not an audio file");
        }
        check(d.gain >= 0, d.locs, d.loc, "gain", "0 or more", d.gain);
        check(d.pitch > 0 && d.pitch <= 4, d.locs, d.loc, "pitch", "more than 0 and at most 4", d.pitch);
        check(d.ref > 0, d.locs, d.loc, "distance.ref", "more than 0", d.ref);
        if (d.ref > 0) check(d.max >= d.ref, d.locs, d.loc, "distance.max", "at least 'ref' (" + num(d.ref) + ")", d.max);
        check(d.rolloff >= 0, d.locs, d.loc, "distance.rolloff", "0 or more", d.rolloff);
        check(d.cone_inner >= 0 && d.cone_inner <= 360, d.locs, d.loc, "cone.inner", "between 0 and 360 degrees",
              d.cone_inner);
        check(d.cone_outer >= 0 && d.cone_outer <= 360, d.locs, d.loc, "cone.outer", "between 0 and 360 degrees",
              d.cone_outer);
        bool angles = d.cone_inner >= 0 && d.cone_inner <= 360 && d.cone_outer >= 0 && d.cone_outer <= 360;
        if (angles && d.cone_inner > d.cone_outer)
            error(d.locs.at("cone.inner", d.loc),
                  "cone 'inner' " + num(d.cone_inner) + " must not be more than 'outer' " + num(d.cone_outer));
        check(d.cone_outer_gain >= 0 && d.cone_outer_gain <= 1, d.locs, d.loc, "cone.outer_gain", "between 0 and 1",
              d.cone_outer_gain);
        check(d.reverb >= 0 && d.reverb <= 1, d.locs, d.loc, "reverb", "between 0 and 1", d.reverb);
    }

    void zone(const ZoneDesc& z) {
        if (!(z.size.x > 0 && z.size.y > 0 && z.size.z > 0))
            error(z.locs.at("size", z.loc), "zone 'size' must be more than 0, got " + num(z.size.x) + " x " +
                                                num(z.size.y) + " x " + num(z.size.z));
    }

    // The sound node a play_sound, stop_sound or seek_sound names.
    void sound_ref(const std::string& name, const Loc& at, const char* action) {
        if (!node_ref(name, at, false)) return;
        if (!s_.nodes[size_t(s_.node_index(name))].sound)
            error(at, std::string(action) + " needs a sound node: " + q(name) + " is not one");
    }

    // A key or set value of a sound's gain or pitch, or a group's gain.
    void sound_value(const Property& p, const std::vector<float>& v, const Loc& at) {
        if (v.size() != 1) return;
        if ((p.kind == PropertyKind::SoundGain || p.kind == PropertyKind::GroupGain) && !(v[0] >= 0))
            error(at, "gain must not be negative, got " + num(v[0]));
        if (p.kind == PropertyKind::SoundPitch && !(v[0] > 0 && v[0] <= 4))
            error(at, "pitch must be more than 0 and at most 4, got " + num(v[0]));
    }

    // ---- images, hotspots, zoom moves, pyramid textures -------------------------------
    void pyramid_ref(const std::string& name, const Loc& at) {
        const Asset* a = s_.asset(name);
        if (!a) error(at, "unknown asset " + q(name) + asset_hint(name));
        else if (a->kind != AssetKind::Pyramid) error(at, "asset " + q(name) + " is not a pyramid");
    }

    // The first mesh with a primitive drawn with `material` (-1: any primitive) that has no
    // TEXCOORD_0, as a name for messages; empty when there is none.
    static std::string mesh_without_uv0(const scene::Model& model, int material) {
        for (size_t m = 0; m < model.meshes.size(); ++m)
            for (const scene::Primitive& p : model.meshes[m].primitives)
                if ((material < 0 || p.material == material) && !p.has_uv0)
                    return model.meshes[m].name.empty() ? std::to_string(m) : model.meshes[m].name;
        return {};
    }

    // `texture:` pyramids as base colour textures: each material at most once, and one
    // without `material` (every material) alone. Materials are judged when the model loaded.
    void textures(const Node& n, const scene::Model* model) {
        if (n.model.empty()) error(n.locs.at("texture", n.loc), "'texture' needs a 'model'");
        const TextureDesc* every = nullptr;     // the texture without `material`
        const TextureDesc* earliest = nullptr;  // the first one judged
        std::map<int, const TextureDesc*> by_material;
        for (const TextureDesc& t : n.textures) {
            if (!t.pyramid.empty()) pyramid_ref(t.pyramid, t.locs.at("pyramid", t.loc));
            if (t.has_region && !(t.region.z > 0 && t.region.w > 0))
                error(t.locs.at("region", t.loc), "'region' width and height must be more than 0, got " +
                                                      num(t.region.z) + " x " + num(t.region.w));
            Loc at = t.locs.at("material", t.loc);
            int index = -1;
            if (!t.material.empty()) {
                if (!model) continue;  // its model is missing or did not load: reported there
                index = material_index(*model, t.material);
                if (index < 0) {
                    error(at, "model " + q(n.model) + " has no material " + q(t.material) + " (it has: " +
                                  material_names(*model) + ")");
                    continue;
                }
            }
            auto same = by_material.find(index);
            if (index < 0 && earliest) {
                error(at, "a texture without 'material' is for every material: it cannot share node " + q(n.name) +
                              " with another (at " + earliest->loc.str() + ")");
                continue;
            }
            if (every) {
                error(at, "material " + q(t.material) + " is already textured by the texture for every material (at " +
                              every->loc.str() + ")");
                continue;
            }
            if (same != by_material.end()) {
                error(at, "material " + q(t.material) + " is textured twice (first at " + same->second->loc.str() + ")");
                continue;
            }
            if (!earliest) earliest = &t;
            if (index < 0) every = &t;
            else by_material[index] = &t;
            if (!model) continue;
            std::string mesh = mesh_without_uv0(*model, index);
            if (mesh.empty()) continue;
            std::string what = index < 0 ? "model " + q(n.model) : "material " + q(t.material) + " of model " + q(n.model);
            error(at, what + " is drawn without TEXCOORD_0 (mesh " + q(mesh) +
                          "): a pyramid texture needs texture coordinates");
        }
    }

    // ---- images, hotspots, zoom moves ------------------------------------------------
    // The opened pyramid of an image node (null: not an image, or its asset is missing or
    // did not open — reported elsewhere).
    const zoom::PyramidInfo* pyramid_of(const Node& n) const {
        if (!n.image) return nullptr;
        auto it = pyramids_.find(n.image->pyramid);
        return it == pyramids_.end() ? nullptr : it->second;
    }

    // The frame's size as the file sets it (metres); none when it depends on a pyramid
    // that did not open.
    std::optional<glm::vec2> frame_size(const Node& n) const {
        if (!n.image) return std::nullopt;
        if (n.image->has_size) {
            if (!(n.image->size.x > 0 && n.image->size.y > 0)) return std::nullopt;
            return n.image->size;
        }
        if (const zoom::PyramidInfo* info = pyramid_of(n)) return default_image_size(*info);
        return std::nullopt;
    }

    static std::string aspect_text(double a) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.4g", a);
        return buf;
    }

    // A region shown on `n`'s frame: positive, with the frame's aspect (pixels stay square).
    void region(const Node& n, const glm::dvec4& r, const Loc& at, const std::string& what) {
        if (!(r.z > 0 && r.w > 0))
            return error(at, what + " width and height must be more than 0, got " + num(r.z) + " x " + num(r.w));
        std::optional<glm::vec2> size = frame_size(n);
        if (!size) return;
        double frame = double(size->x) / double(size->y);
        if (region_fits_aspect(r, frame)) return;
        error(at, what + " " + num(r.z) + " x " + num(r.w) + " has aspect " + aspect_text(r.z / r.w) +
                      " but the frame of " + q(n.name) + " has aspect " + aspect_text(frame) + " (" + num(size->x) +
                      " x " + num(size->y) + " m): pixels would not be square (e.g. make it " + num(r.z) + " x " +
                      num(r.z / frame) + ")");
    }

    void image(const Node& n) {
        const ImageDesc& d = *n.image;
        Loc at = n.locs.at("image", n.loc);
        if (!n.model.empty() || n.light || n.camera || n.hotspot) {
            const char* other = !n.model.empty() ? "model" : n.light ? "light" : n.camera ? "camera" : "hotspot";
            error(at, "node " + q(n.name) + " is an image: it cannot also be a " + other);
        }
        if (!d.pyramid.empty()) {
            Loc pat = d.locs.at("pyramid", d.loc);
            pyramid_ref(d.pyramid, pat);
        }
        if (d.has_size && !(d.size.x > 0 && d.size.y > 0))
            error(d.locs.at("size", d.loc), "'size' must be more than 0, got " + num(d.size.x) + " x " + num(d.size.y));
        if (d.has_region) region(n, d.region, d.locs.at("region", d.loc), "'region'");
        if (!(d.opacity >= 0 && d.opacity <= 1))
            error(d.locs.at("opacity", d.loc), "'opacity' must be between 0 and 1, got " + num(d.opacity));
    }

    void hotspot(const Node& n) {
        const HotspotDesc& h = *n.hotspot;
        Loc at = n.locs.at("hotspot", n.loc);
        const Node* parent = n.parent >= 0 ? &s_.nodes[size_t(n.parent)] : nullptr;
        if (!parent || !parent->image) {
            error(at, "hotspot " + q(n.name) + " must be a child of an image node" +
                          (parent ? " (its parent " + q(parent->name) + " is not one)" : std::string(" (it has no parent)")));
        } else if (const zoom::PyramidInfo* info = pyramid_of(*parent)) {
            if (!(h.pixel.x >= 0 && h.pixel.y >= 0 && h.pixel.x <= info->width && h.pixel.y <= info->height))
                error(h.locs.at("pixel", h.loc), "hotspot pixel [" + num(h.pixel.x) + ", " + num(h.pixel.y) +
                                                     "] is outside image " + q(parent->image->pyramid) + " (" +
                                                     std::to_string(info->width) + " x " +
                                                     std::to_string(info->height) + " pixels)");
        }
        if (!(h.radius > 0)) error(h.locs.at("radius", h.loc), "'radius' must be more than 0, got " + num(h.radius));
    }

    // The image node a zoom_to names; null (reported) when it is not one.
    const Node* zoom_node(const std::string& name, const Loc& at) {
        if (!node_ref(name, at, false)) return nullptr;
        const Node& n = s_.nodes[size_t(s_.node_index(name))];
        if (n.image) return &n;
        error(at, "zoom_to needs an image node: " + q(name) + " is not one");
        return nullptr;
    }

    void zoom_move(const Node& n, const ZoomMove& m) {
        if (m.has_region) region(n, m.region, m.locs.at("region", m.loc), "'region'");
        if (m.has_magnification) {
            const zoom::PyramidInfo* info = pyramid_of(n);
            if (info && !(info->mm_per_pixel > 0))
                error(m.locs.at("magnification", m.loc),
                      "'magnification' needs the pyramid's scale, and asset " + q(n.image->pyramid) +
                          " does not give its mm per pixel: use 'region' instead");
        }
    }

    void zoom_track(const Timeline& t, const Track& tr, bool timed) {
        const Node* n = tr.target.empty() ? nullptr : zoom_node(tr.target, tr.locs.at("target", tr.loc));
        double end = 0;
        for (size_t i = 0; i < tr.moves.size(); ++i) {
            const ZoomMove& m = tr.moves[i];
            Loc at = m.locs.at("at", m.loc);
            if (i > 0 && m.at < end - 1e-9)
                error(at, "move at " + num(m.at) + " starts before the move before it ends (at " + num(end) + ")");
            else if (timed && m.at + m.duration > t.duration + 1e-9)
                error(m.locs.at(m.duration > 0 ? "duration" : "at", m.loc),
                      "move at " + num(m.at) + (m.duration > 0 ? " for " + num(m.duration) + " s" : std::string()) +
                          " ends past the timeline's duration " + num(t.duration));
            end = std::max(end, m.at + m.duration);
            if (n) zoom_move(*n, m);
        }
    }

    void animation(const Node& n, const scene::Model& model, const Loc& at) {
        std::vector<std::string> names;
        for (const scene::Animation& a : model.animations) {
            if (a.name == n.animation) return;
            names.push_back(a.name);
        }
        if (all_digits(n.animation) && std::stoul(n.animation) < model.animations.size()) return;
        std::string has = names.empty() ? "none" : yaml::wording::join(names_or_indices(names));
        error(at, "model " + q(n.model) + " has no animation " + q(n.animation) + " (it has: " + has + ")");
    }

    void camera(const CameraDesc& c) {
        if (!(c.fov > 0 && c.fov < 180))
            error(c.locs.at("fov", c.loc), "'fov' must be between 0 and 180 degrees, got " + num(c.fov));
        if (!(c.znear > 0)) error(c.locs.at("znear", c.loc), "'znear' must be more than 0, got " + num(c.znear));
        if (c.zfar != 0 && !(c.zfar > c.znear))
            error(c.locs.at("zfar", c.loc), "'zfar' must be 0 (infinite) or more than 'znear', got " + num(c.zfar));
        if (c.orbit && !(c.orbit->distance > 0))
            error(c.orbit->locs.at("distance", c.orbit->loc),
                  "'distance' must be more than 0, got " + num(c.orbit->distance));
        if (c.gltf_node.empty()) return;
        Loc at = c.locs.at("gltf_camera.node", c.loc);
        if (!node_ref(c.gltf_node, at, false)) return;
        const Node& target = s_.nodes[size_t(s_.node_index(c.gltf_node))];
        if (target.model.empty())
            return error(at, "node " + q(target.name) + " is not a model instance: 'gltf_camera' needs one");
        const scene::Model* model = model_of(target);
        if (model && (c.gltf_index < 0 || size_t(c.gltf_index) >= model->cameras.size()))
            error(c.locs.at("gltf_camera.index", at), "model " + q(target.model) + " has no camera " +
                                                          std::to_string(c.gltf_index) + " (it has " +
                                                          std::to_string(model->cameras.size()) + ")");
    }

    // "'vase.translation' takes 3 numbers, got 2"
    void value_size(const std::string& path, const Property& p, const std::vector<float>& v, const Loc& at,
                    const std::string& part = "") {
        if (v.size() == size_t(p.size)) return;
        error(at, part + q(path) + " takes " + yaml::wording::numbers(size_t(p.size)) + ", got " + std::to_string(v.size()));
    }

    // A key or set value of an image's `region` or `size`.
    void region_value(const Property& p, const std::vector<float>& v, const Loc& at) {
        if (p.kind == PropertyKind::ImageSize && v.size() == 2 && !(v[0] > 0 && v[1] > 0))
            return error(at, "size must be more than 0, got " + num(v[0]) + " x " + num(v[1]));
        if (p.kind != PropertyKind::Region || v.size() != 4) return;
        region(s_.nodes[size_t(p.node)], glm::dvec4(v[0], v[1], v[2], v[3]), at, "region");
    }

    void timeline(const Timeline& t) {
        bool timed = t.duration > 0;  // parse reports a duration that is not
        for (const auto& [label, at] : t.labels) {
            Loc where = t.locs.at("labels." + label, t.loc);
            if (at < 0) error(where, "label " + q(label) + " at " + num(at) + " is before the timeline's start");
            else if (timed && at > t.duration)
                error(where, "label " + q(label) + " at " + num(at) + " is past the timeline's duration " +
                                 num(t.duration));
        }
        for (const Track& tr : t.tracks) track(t, tr, timed);
    }

    void track(const Timeline& t, const Track& tr, bool timed) {
        if (tr.zoom) return zoom_track(t, tr, timed);
        std::optional<Property> p;
        if (!tr.target.empty()) p = bind(tr.target, tr.locs.at("target", tr.loc));
        if (p && p->kind == PropertyKind::Visible && tr.interp != Interp::Step)
            error(tr.locs.at("interpolation", tr.loc), q(tr.target) + " can only use STEP interpolation");
        for (size_t i = 0; i < tr.keys.size(); ++i) {
            const Key& k = tr.keys[i];
            Loc at = k.locs.at("t", k.loc);
            if (i > 0 && !(k.t > tr.keys[i - 1].t))
                error(at, "key times must increase: t " + num(k.t) + " follows t " + num(tr.keys[i - 1].t));
            if (k.t < 0) error(at, "key at t " + num(k.t) + " is before the timeline's start");
            else if (timed && k.t > t.duration)
                error(at, "key at t " + num(k.t) + " is past the timeline's duration " + num(t.duration));
            if (p) value_size(tr.target, *p, k.value, k.locs.at("value", k.loc));
            if (p) region_value(*p, k.value, k.locs.at("value", k.loc));
            if (p) sound_value(*p, k.value, k.locs.at("value", k.loc));
            for (const char* side : {"in", "out"}) {
                const std::vector<float>& tangent = side[0] == 'i' ? k.in : k.out;
                bool present = k.locs.by_key.count(side) > 0;
                if (tr.interp == Interp::CubicSpline && !present)
                    error(k.loc, std::string("CUBICSPLINE key needs ") + q(side));
                else if (tr.interp != Interp::CubicSpline && present)
                    error(k.locs.at(side, k.loc), q(side) + " is only for CUBICSPLINE keys");
                else if (present && p)
                    value_size(tr.target, *p, tangent, k.locs.at(side, k.loc), q(side) + " of ");
            }
        }
    }

    void cues() {
        for (const Cue& c : s_.cues) {
            if (!is_cue_number(c.id))
                error(c.locs.at("id", c.loc), "cue id " + q(c.id) + " is not a number like 3 or 3.1");
            if (c.trigger == TriggerKind::Time && !c.timeline.empty()) {
                Loc at = c.locs.at("at.t", c.loc);
                if (const Timeline* t = timeline_ref(c.timeline, c.locs.at("at.timeline", c.loc))) {
                    if (c.at < 0) error(at, "cue time " + num(c.at) + " is before the start of timeline " + q(t->name));
                    else if (t->duration > 0 && c.at > t->duration)
                        error(at, "cue time " + num(c.at) + " is past the duration " + num(t->duration) +
                                      " of timeline " + q(t->name));
                }
            }
            if (c.trigger == TriggerKind::Touch) node_ref(c.node, c.locs.at("on.touch", c.loc), true);
            for (const Action& a : c.actions) action(a);
        }
    }

    void action(const Action& a) {
        auto at = [&](const char* key) { return a.locs.at(key, a.loc); };
        switch (a.kind) {
            case ActionKind::Play: timeline_ref(a.timeline, at("play")); break;
            case ActionKind::Stop: timeline_ref(a.timeline, at("stop")); break;
            case ActionKind::Pause: timeline_ref(a.timeline, at("pause")); break;
            case ActionKind::Jump:
                if (const Timeline* t = timeline_ref(a.timeline, at("jump")); t && !t->labels.count(a.label)) {
                    std::vector<std::string> labels;
                    for (const auto& [name, time] : t->labels) labels.push_back(name);
                    error(at("label"), "unknown label " + q(a.label) + " in timeline " + q(t->name) +
                                           yaml::wording::did_you_mean(a.label, labels));
                }
                break;
            case ActionKind::Set:
                if (auto p = bind(a.target, at("set"))) {
                    value_size(a.target, *p, a.value, at("value"));
                    region_value(*p, a.value, at("value"));
                    sound_value(*p, a.value, at("value"));
                }
                break;
            case ActionKind::ZoomTo:
                if (const Node* n = zoom_node(a.target, at("zoom_to"))) zoom_move(*n, a.zoom);
                break;
            case ActionKind::Goto: state_ref(a.state, at("goto")); break;
            case ActionKind::Camera: camera_ref(a.camera, at("camera")); break;
            case ActionKind::PlaySound: sound_ref(a.target, at("play_sound"), "play_sound"); break;
            case ActionKind::StopSound: sound_ref(a.target, at("stop_sound"), "stop_sound"); break;
            case ActionKind::SeekSound: sound_ref(a.target, at("seek_sound"), "seek_sound"); break;
            case ActionKind::Osc: break;
        }
    }

    void states() {
        if (!s_.start.empty()) state_ref(s_.start, s_.locs.at("start", s_.loc));
        std::string start = s_.start.empty() && !s_.states.empty() ? s_.states[0].name : s_.start;
        for (const State& st : s_.states) {
            if (!st.timeline.empty()) timeline_ref(st.timeline, st.locs.at("timeline", st.loc));
            camera_ref(st.camera, st.locs.at("camera", st.loc));
            for (const Transition& t : st.transitions) {
                // Going back to the start state: `start` itself is checked above.
                if (t.to != start) state_ref(t.to, t.locs.at("to", t.loc));
                if (t.kind == TransitionKind::Touch) node_ref(t.node, t.locs.at("touch", t.loc), true);
            }
        }
        reachable(start);
    }

    // From the start state along transitions; a cue's goto can fire in any state, so its
    // target counts as reached. The default idle timeout only leads back to the start.
    void reachable(const std::string& start) {
        int first = s_.state_index(start);
        if (first < 0) return;
        std::vector<bool> seen(s_.states.size(), false);
        std::vector<int> frontier = {first};
        for (const Cue& c : s_.cues)
            for (const Action& a : c.actions)
                if (a.kind == ActionKind::Goto && s_.state_index(a.state) >= 0) frontier.push_back(s_.state_index(a.state));
        while (!frontier.empty()) {
            int i = frontier.back();
            frontier.pop_back();
            if (seen[size_t(i)]) continue;
            seen[size_t(i)] = true;
            for (const Transition& t : s_.states[size_t(i)].transitions)
                if (int next = s_.state_index(t.to); next >= 0 && !seen[size_t(next)]) frontier.push_back(next);
        }
        for (size_t i = 0; i < s_.states.size(); ++i) {
            const State& st = s_.states[i];
            if (seen[i] || s_.state_index(st.name) != int(i)) continue;  // a repeat is reported as one
            std::string why = "state " + q(st.name) + " cannot be reached from the start state " + q(start);
            if (!s_.hooks.empty()) why += " (a hook's show.go_to is not seen by check)";
            error(st.locs.at("name", st.loc), why);
        }
    }
};

}  // namespace

void validate_scene(const SceneFile& scene, const Models& models, std::vector<Problem>& problems,
                    const Pyramids& pyramids) {
    Validator(scene, models, pyramids, problems).run();
}

}  // namespace vitrine::show
