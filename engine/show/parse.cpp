// parse_scene: the YAML of docs/scene-file.md into a SceneFile, as written. Every key
// and value is checked for its kind here; what needs more than one key to judge
// (references, key order, property paths) is validate.cpp's.
#include <algorithm>
#include <optional>

#include "show/load.h"
#include "yaml/reader.h"

namespace vitrine::show {
namespace {

using namespace yaml;
using yaml::wording::q;

const std::vector<std::string> kTopKeys = {"vitrine", "search", "seed",   "assets",       "environment",
                                           "look",    "camera", "nodes",  "timelines",    "cues",
                                           "start",   "states", "hooks",  "idle_timeout", "display",
                                           "audio"};
const std::vector<std::string> kAssetKinds = {"gltf", "hdr", "audio", "pyramid"};
const std::vector<std::string> kNodeKeys = {"name",  "children", "model",   "animation", "translation",
                                            "rotation", "scale", "visible", "light",     "camera",
                                            "image",    "hotspot", "texture",   "sound",     "zone"};
const std::vector<std::string> kTonemaps = {"khr-pbr-neutral", "aces", "none"};
const std::vector<std::string> kLightTypes = {"directional", "point", "spot"};
const std::vector<std::string> kInterps = {"STEP", "LINEAR", "CUBICSPLINE"};
// The action kinds messages list (the image-only zoom_to and the sound-only *_sound are
// accepted but not offered, unless the action uses one).
const std::vector<std::string> kActionKinds = {"play", "stop", "pause", "jump", "set", "goto", "osc", "camera"};
const std::vector<std::string> kAllActionKinds = {"play", "stop",       "pause",      "jump",      "set",
                                                  "goto", "osc",        "camera",     "zoom_to",   "play_sound",
                                                  "stop_sound", "seek_sound"};
const std::vector<std::string> kSoundKeys = {"audio", "group", "gain", "pitch", "loop", "stream",
                                             "play",  "distance", "cone", "reverb", "in_head"};
const std::vector<std::string> kDistanceModels = {"inverse", "linear", "none"};
const std::vector<std::string> kListeners = {"camera", "viewer"};
const std::vector<std::string> kMoveKeys = {"at", "duration", "region", "centre", "magnification"};
const std::vector<std::string> kTriggers = {"touch", "idle", "end", "osc", "time_of_day"};

// Deeper trees are surely a mistake, and a limit keeps an alias cycle (`&a [*a]`) finite.
constexpr int kMaxNodeDepth = 64;
constexpr size_t kMaxNodes = 10000;

// "a, b or c" for "needs one of".
std::string choices_text(const std::vector<std::string>& choices) { return yaml::wording::join(choices); }

// Extra keys each action kind takes besides its own.
std::vector<std::string> action_keys(const std::string& kind) {
    if (kind == "jump") return {kind, "label"};
    if (kind == "set") return {kind, "value", "fade"};
    if (kind == "osc") return {kind, "to", "args"};
    if (kind == "zoom_to") return {kind, "duration", "region", "centre", "magnification"};
    if (kind == "seek_sound") return {kind, "to"};
    return {kind};
}


// "host:port" with a port from 1 to 65535.
bool is_host_port(const std::string& s) {
    size_t colon = s.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == s.size() || s.size() - colon > 6) return false;
    for (size_t i = colon + 1; i < s.size(); ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    int port = std::stoi(s.substr(colon + 1));
    return port >= 1 && port <= 65535;
}

class Parser {
public:
    Parser(Reader& r, SceneFile& s) : r_(r), s_(s) {}
    void file(const YAML::Node& root);

private:
    Reader& r_;
    SceneFile& s_;
    std::vector<std::pair<size_t, size_t>> idle_to_start_;  // (state, transition): `to` is the start state
    bool too_many_nodes_ = false;

    int choice(const Map& m, const char* key, const std::vector<std::string>& choices);
    bool name(const Map& m, const std::string& what, std::string& out);
    void search(const Field& f);
    void assets(const Field& f);
    void environment(const Field& f);
    void look(const Field& f);
    void audio(const Field& f);
    std::optional<SoundDesc> sound(const Field& f);
    std::optional<ZoneDesc> zone(const Field& f);
    bool sub_map(const Field& f, const std::vector<std::string>& keys, Locs& locs, Map& out);
    void node_list(const Field& f, int parent, int depth);
    void node(const Item& item, int parent, int depth);
    std::optional<LightDesc> light(const Field& f);
    std::optional<CameraDesc> camera(const Field& f);
    std::optional<OrbitDesc> orbit(const Field& f);
    std::optional<ImageDesc> image(const Field& f);
    std::optional<HotspotDesc> hotspot(const Field& f);
    void textures(const Field& f, Node& n);
    std::optional<TextureDesc> texture(const YAML::Node& value, const Loc& at, const std::string& subject);
    bool zoom_move(const Map& m, ZoomMove& z);
    void timeline(const Item& item);
    std::optional<Track> track(const Item& item);
    std::optional<Key> key(const Item& item);
    void cue(const Item& item);
    void cue_at(const Field& f, Cue& c);
    void cue_on(const Field& f, Cue& c);
    std::optional<Action> action(const Item& item);
    void state(const Item& item);
    std::optional<Transition> transition(const Item& item);
    // Durations that can repeat (a timeline's, an idle timeout) are at least one frame
    // at 240 fps: shorter ones would make the show loop faster than any output draws.
    bool at_least_a_frame(const Loc& at, const char* key, double seconds) {
        if (seconds >= kShortestDuration) return true;
        r_.error(at, std::string("'") + key + "' must be at least 1/240 s (one frame at 240 fps), got " +
                         yaml::wording::num(seconds));
        return false;
    }
};

// The index of the value among `choices`; -1 when absent or not one of them (reported
// with a near miss, also across letter case: "linear" suggests "LINEAR").
int Parser::choice(const Map& m, const char* key, const std::vector<std::string>& choices) {
    std::string s;
    if (!read(r_, m, key, s)) return -1;
    for (size_t i = 0; i < choices.size(); ++i)
        if (choices[i] == s) return int(i);
    std::string hint = yaml::wording::did_you_mean(s, choices);
    if (hint.empty()) {
        auto lower = [](std::string t) {
            for (char& c : t) c = char(std::tolower(static_cast<unsigned char>(c)));
            return t;
        };
        for (const std::string& c : choices)
            if (lower(c) == lower(s)) hint = " (did you mean " + q(c) + "?)";
    }
    r_.error(m.get(key)->loc, q(key) + " must be one of " + choices_text(choices) + ", got " + q(s) + hint);
    return -1;
}

// A required, non-empty `name`.
bool Parser::name(const Map& m, const std::string& what, std::string& out) {
    if (!need(r_, m, "name", what) || !read(r_, m, "name", out)) return false;
    if (!out.empty()) return true;
    r_.error(m.get("name")->loc, what + " name must not be empty");
    return false;
}

void Parser::file(const YAML::Node& root) {
    s_.loc = r_.start();
    if (root.IsNull()) {
        r_.error(r_.start(), "the scene file is empty");
        return;
    }
    Map m;
    if (!open_map(r_, root, r_.start(), "the scene file", m)) return;
    m.allow(r_, kTopKeys, "at top level");
    m.record(s_.locs);
    s_.loc = m.loc;

    double version;
    if (read(r_, m, "vitrine", version) && version != 1)
        r_.error(m.get("vitrine")->loc, "format version " + yaml::wording::num(version) + " is not known: only 1 exists");
    if (const Field* f = m.get("search")) search(*f);
    if (const Field* f = m.get("seed")) as_uint(r_, f->value, f->loc, f->subject(), UINT64_MAX, s_.seed);
    if (const Field* f = m.get("assets")) assets(*f);
    if (const Field* f = m.get("environment")) environment(*f);
    if (const Field* f = m.get("look")) look(*f);
    if (const Field* f = m.get("audio")) audio(*f);
    read(r_, m, "camera", s_.camera);
    if (const Field* f = m.get("nodes")) node_list(*f, -1, 0);
    if (const Field* f = m.get("timelines"))
        for (const Item& item : open_seq(r_, f->value, f->loc, f->subject())) timeline(item);
    if (const Field* f = m.get("cues"))
        for (const Item& item : open_seq(r_, f->value, f->loc, f->subject())) cue(item);
    read(r_, m, "start", s_.start);
    double idle;
    if (read(r_, m, "idle_timeout", idle) && at_least_a_frame(m.get("idle_timeout")->loc, "idle_timeout", idle))
        s_.idle_timeout = idle;
    if (const Field* f = m.get("states"))
        for (const Item& item : open_seq(r_, f->value, f->loc, f->subject())) state(item);
    if (read(r_, m, "hooks", s_.hooks)) s_.hooks_loc = m.get("hooks")->loc;
    if (read(r_, m, "display", s_.display)) s_.display_loc = m.get("display")->loc;

    // A state's `idle: N` goes back to the start state, known only now.
    std::string start = s_.start.empty() && !s_.states.empty() ? s_.states[0].name : s_.start;
    for (auto [st, tr] : idle_to_start_) s_.states[st].transitions[tr].to = start;
}

void Parser::search(const Field& f) {
    if (f.value.IsScalar()) {  // one root need not be a list
        std::string root;
        if (as_string(r_, f.value, f.loc, f.subject(), root)) s_.search.push_back(root), s_.search_locs.push_back(f.loc);
        return;
    }
    for (const Item& item : open_seq(r_, f.value, f.loc, f.subject())) {
        std::string root;
        if (as_string(r_, item.node, item.loc, "a search root", root))
            s_.search.push_back(root), s_.search_locs.push_back(item.loc);
    }
}

void Parser::assets(const Field& f) {
    Map all;
    if (!open_map(r_, f.value, f.loc, f.subject(), all, "asset")) return;
    for (const Field& entry : all.fields) {
        Asset a;
        a.name = entry.key;
        std::string what = "asset " + q(a.name);
        Map m;
        if (!open_map(r_, entry.value, entry.loc, what, m)) continue;
        m.allow(r_, kAssetKinds, "in " + what);
        a.loc = m.loc;
        m.record(a.locs);
        std::vector<const Field*> kinds = present(m, kAssetKinds);
        if (kinds.empty()) {
            if (!m.misspelt(kAssetKinds)) r_.error(m.loc, what + " needs one of " + choices_text(kAssetKinds));
            continue;
        }
        if (kinds.size() > 1) {
            r_.error(kinds[1]->key_loc, what + " takes only one of " + choices_text(kAssetKinds) + ", got " +
                                            q(kinds[0]->key) + " and " + q(kinds[1]->key));
            continue;
        }
        const Field& kind = *kinds[0];
        a.kind = kind.key == "gltf" ? AssetKind::Gltf
                 : kind.key == "hdr" ? AssetKind::Hdr
                 : kind.key == "audio" ? AssetKind::Audio
                                       : AssetKind::Pyramid;
        if (!as_string(r_, kind.value, kind.loc, kind.subject(), a.path)) continue;
        s_.assets.push_back(std::move(a));
    }
}

void Parser::environment(const Field& f) {
    Map m;
    if (!open_map(r_, f.value, f.loc, f.subject(), m)) return;
    m.allow(r_, {"source", "rotation", "intensity"}, "in environment");
    EnvironmentDesc& e = s_.environment;
    e.loc = m.loc;
    m.record(e.locs);
    read(r_, m, "source", e.source);
    read(r_, m, "rotation", e.rotation);
    read(r_, m, "intensity", e.intensity);
}

void Parser::look(const Field& f) {
    Map m;
    if (!open_map(r_, f.value, f.loc, f.subject(), m)) return;
    m.allow(r_, {"tonemap", "exposure", "background"}, "in look");
    LookDesc& l = s_.look;
    l.loc = m.loc;
    m.record(l.locs);
    int tonemap = choice(m, "tonemap", kTonemaps);
    if (tonemap >= 0) l.tonemap = kTonemaps[size_t(tonemap)];
    read(r_, m, "exposure", l.exposure);
    if (const Field* bg = m.get("background")) {
        if (bg->value.IsScalar() && bg->value.Scalar() == "sky") {
            l.solid_background = false;
        } else if (bg->value.IsSequence()) {
            glm::vec3 c;
            if (as_vec3(r_, bg->value, bg->loc, bg->subject(), c)) {
                if (glm::any(glm::lessThan(c, glm::vec3(0))) || glm::any(glm::greaterThan(c, glm::vec3(1))))
                    r_.error(bg->loc, "'background' colour values must be between 0 and 1");
                l.solid_background = true;
                l.background = c;
            }
        } else {
            r_.error(bg->loc, "'background' must be sky or a list of 3 numbers, got " + kind_of(bg->value) +
                                  (bg->value.IsScalar() ? " " + q(bg->value.Scalar()) : ""));
        }
    }
}

// ---- sound ---------------------------------------------------------------------------

// A mapping nested in another without a struct of its own (`distance:` in a sound): its
// keys' places are recorded in the outer `locs` as "distance.ref".
bool Parser::sub_map(const Field& f, const std::vector<std::string>& keys, Locs& locs, Map& out) {
    if (!open_map(r_, f.value, f.loc, f.subject(), out)) return false;
    out.allow(r_, keys, "in " + f.key);
    for (const Field& sub : out.fields) locs.by_key[f.key + "." + sub.key] = sub.loc;
    return true;
}

void Parser::audio(const Field& f) {
    Map m;
    if (!open_map(r_, f.value, f.loc, f.subject(), m)) return;
    m.allow(r_, {"reverb", "groups", "duck", "listener"}, "in audio");
    AudioDesc& a = s_.audio;
    a.loc = m.loc;
    m.record(a.locs);
    int reverb = choice(m, "reverb", reverb_presets());
    if (reverb >= 0) a.reverb = reverb_presets()[size_t(reverb)];
    if (const Field* g = m.get("groups")) {
        Map groups;
        if (open_map(r_, g->value, g->loc, g->subject(), groups, "group"))
            for (const Field& group : groups.fields) {
                float gain;
                if (!as_float(r_, group.value, group.loc, "group " + q(group.key), gain)) continue;
                a.groups[group.key] = gain;
                a.locs.by_key["groups." + group.key] = group.loc;
            }
    }
    if (const Field* d = m.get("duck")) {
        Map dm;
        if (sub_map(*d, {"group", "under", "gain"}, a.locs, dm)) {
            std::string group, under;
            bool ok = need(r_, dm, "group", "'duck'") && read(r_, dm, "group", group);
            ok = need(r_, dm, "under", "'duck'") && read(r_, dm, "under", under) && ok;
            read(r_, dm, "gain", a.duck_gain);
            if (ok) a.duck_group = group, a.duck_under = under;
        }
    }
    int listener = choice(m, "listener", kListeners);
    if (listener >= 0) a.listener_viewer = listener == 1;
}

std::optional<SoundDesc> Parser::sound(const Field& f) {
    Map m;
    if (!open_map(r_, f.value, f.loc, f.subject(), m)) return std::nullopt;
    m.allow(r_, kSoundKeys, "in sound");
    SoundDesc d;
    d.loc = m.loc;
    m.record(d.locs);
    if (need(r_, m, "audio", "sound")) read(r_, m, "audio", d.audio);
    if (read(r_, m, "group", d.group) && d.group.empty()) {
        r_.error(m.get("group")->loc, "'group' must not be empty (leave it out for effects)");
        d.group = "effects";
    }
    read(r_, m, "gain", d.gain);
    read(r_, m, "pitch", d.pitch);
    read(r_, m, "loop", d.loop);
    read(r_, m, "stream", d.stream);
    read(r_, m, "play", d.play);
    read(r_, m, "reverb", d.reverb);
    read(r_, m, "in_head", d.in_head);
    if (const Field* dist = m.get("distance")) {
        Map dm;
        if (sub_map(*dist, {"model", "ref", "max", "rolloff"}, d.locs, dm)) {
            int model = choice(dm, "model", kDistanceModels);
            if (model >= 0) d.distance = DistanceModel(model);
            read(r_, dm, "ref", d.ref);
            read(r_, dm, "max", d.max);
            read(r_, dm, "rolloff", d.rolloff);
        }
    }
    if (const Field* cone = m.get("cone")) {
        Map cm;
        if (sub_map(*cone, {"inner", "outer", "outer_gain"}, d.locs, cm)) {
            read(r_, cm, "inner", d.cone_inner);
            read(r_, cm, "outer", d.cone_outer);
            read(r_, cm, "outer_gain", d.cone_outer_gain);
        }
    }
    return d;
}

std::optional<ZoneDesc> Parser::zone(const Field& f) {
    Map m;
    if (!open_map(r_, f.value, f.loc, f.subject(), m)) return std::nullopt;
    m.allow(r_, {"reverb", "size"}, "in zone");
    ZoneDesc z;
    z.loc = m.loc;
    m.record(z.locs);
    bool ok = true;
    if (need(r_, m, "reverb", "zone")) {
        int reverb = choice(m, "reverb", reverb_presets());
        if (reverb >= 0) z.reverb = reverb_presets()[size_t(reverb)];
        ok = reverb >= 0;
    } else {
        ok = false;
    }
    ok = need(r_, m, "size", "zone") && read(r_, m, "size", z.size) && ok;
    if (!ok) return std::nullopt;
    return z;
}

// ---- nodes -------------------------------------------------------------------------

void Parser::node_list(const Field& f, int parent, int depth) {
    for (const Item& item : open_seq(r_, f.value, f.loc, f.subject())) node(item, parent, depth);
}

// Depth first, the node before its children, so parents come before children.
void Parser::node(const Item& item, int parent, int depth) {
    if (s_.nodes.size() >= kMaxNodes) {
        if (!too_many_nodes_) r_.error(item.loc, "more than " + std::to_string(kMaxNodes) + " nodes");
        too_many_nodes_ = true;
        return;
    }
    Map m;
    if (!open_map(r_, item.node, item.loc, "a node", m)) return;
    Node n;
    n.parent = parent;
    n.loc = m.loc;
    bool named = name(m, "node", n.name);
    m.allow(r_, kNodeKeys, named ? "in node " + q(n.name) : "in node");
    m.record(n.locs);
    read(r_, m, "model", n.model);
    read(r_, m, "animation", n.animation);  // a name, or an index written as a number
    read(r_, m, "translation", n.translation);
    read(r_, m, "rotation", n.rotation);
    if (const Field* f = m.get("scale")) {
        float uniform;
        if (f->value.IsScalar()) {
            if (as_float(r_, f->value, f->loc, f->subject(), uniform, "a number or a list of 3 numbers"))
                n.scale = glm::vec3(uniform);
        } else {
            as_vec3(r_, f->value, f->loc, f->subject(), n.scale);
        }
    }
    read(r_, m, "visible", n.visible);
    if (const Field* f = m.get("light")) n.light = light(*f);
    if (const Field* f = m.get("camera")) n.camera = camera(*f);
    if (const Field* f = m.get("image")) n.image = image(*f);
    if (const Field* f = m.get("hotspot")) n.hotspot = hotspot(*f);
    if (const Field* f = m.get("texture")) textures(*f, n);
    if (const Field* f = m.get("sound")) n.sound = sound(*f);
    if (const Field* f = m.get("zone")) n.zone = zone(*f);

    int index = int(s_.nodes.size());
    s_.nodes.push_back(std::move(n));
    if (const Field* f = m.get("children")) {
        if (depth + 1 >= kMaxNodeDepth)
            r_.error(f->loc, "nodes nest more than " + std::to_string(kMaxNodeDepth) + " levels deep");
        else
            node_list(*f, index, depth + 1);
    }
}

std::optional<LightDesc> Parser::light(const Field& f) {
    Map m;
    if (!open_map(r_, f.value, f.loc, f.subject(), m)) return std::nullopt;
    m.allow(r_, {"type", "color", "intensity", "range", "inner_cone", "outer_cone"}, "in light");
    LightDesc l;
    l.loc = m.loc;
    m.record(l.locs);
    int type = choice(m, "type", kLightTypes);
    if (type >= 0) l.type = LightKind(type);
    read(r_, m, "color", l.color);
    read(r_, m, "intensity", l.intensity);
    read(r_, m, "range", l.range);
    read(r_, m, "inner_cone", l.inner_cone);
    read(r_, m, "outer_cone", l.outer_cone);
    return l;
}

std::optional<OrbitDesc> Parser::orbit(const Field& f) {
    Map m;
    if (!open_map(r_, f.value, f.loc, f.subject(), m)) return std::nullopt;
    m.allow(r_, {"yaw", "pitch", "distance", "target"}, "in orbit");
    OrbitDesc o;
    o.loc = m.loc;
    m.record(o.locs);
    read(r_, m, "yaw", o.yaw);
    read(r_, m, "pitch", o.pitch);
    read(r_, m, "distance", o.distance);
    read(r_, m, "target", o.target);
    return o;
}

std::optional<CameraDesc> Parser::camera(const Field& f) {
    Map m;
    if (!open_map(r_, f.value, f.loc, f.subject(), m)) return std::nullopt;
    m.allow(r_, {"fov", "znear", "zfar", "orbit", "gltf_camera"}, "in camera");
    CameraDesc c;
    c.loc = m.loc;
    m.record(c.locs);
    read(r_, m, "fov", c.fov);
    read(r_, m, "znear", c.znear);
    read(r_, m, "zfar", c.zfar);
    if (const Field* o = m.get("orbit")) c.orbit = orbit(*o);
    if (const Field* g = m.get("gltf_camera")) {
        if (m.has("orbit"))
            r_.error(g->key_loc, "camera takes only one of orbit, gltf_camera, got 'orbit' and 'gltf_camera'");
        Map gm;
        if (open_map(r_, g->value, g->loc, g->subject(), gm)) {
            gm.allow(r_, {"node", "index"}, "in gltf_camera");
            // Nested keys without a struct of their own are recorded as "gltf_camera.node".
            for (const Field& sub : gm.fields) c.locs.by_key["gltf_camera." + sub.key] = sub.loc;
            if (need(r_, gm, "node", "'gltf_camera'")) read(r_, gm, "node", c.gltf_node);
            c.gltf_index = 0;
            if (const Field* i = gm.get("index")) {
                uint64_t index = 0;
                if (as_uint(r_, i->value, i->loc, i->subject(), 1'000'000, index)) c.gltf_index = int(index);
            }
        }
    }
    return c;
}

std::optional<ImageDesc> Parser::image(const Field& f) {
    Map m;
    if (!open_map(r_, f.value, f.loc, f.subject(), m)) return std::nullopt;
    m.allow(r_, {"pyramid", "size", "region", "opacity"}, "in image");
    ImageDesc d;
    d.loc = m.loc;
    m.record(d.locs);
    if (need(r_, m, "pyramid", "image")) read(r_, m, "pyramid", d.pyramid);
    if (const Field* s = m.get("size")) {
        std::vector<float> v;
        if (as_fixed(r_, s->value, s->loc, s->subject(), 2, v)) {
            d.has_size = true;
            d.size = {v[0], v[1]};
        }
    }
    if (const Field* g = m.get("region")) d.has_region = as_doubles(r_, g->value, g->loc, g->subject(), 4, &d.region.x);
    read(r_, m, "opacity", d.opacity);
    return d;
}

std::optional<HotspotDesc> Parser::hotspot(const Field& f) {
    Map m;
    if (!open_map(r_, f.value, f.loc, f.subject(), m)) return std::nullopt;
    m.allow(r_, {"pixel", "radius"}, "in hotspot");
    HotspotDesc h;
    h.loc = m.loc;
    m.record(h.locs);
    if (need(r_, m, "pixel", "hotspot")) {
        const Field* p = m.get("pixel");
        if (!as_doubles(r_, p->value, p->loc, p->subject(), 2, &h.pixel.x)) return std::nullopt;
    }
    read(r_, m, "radius", h.radius);
    return h;
}

// `texture:` one mapping, or a list of them (one per material).
void Parser::textures(const Field& f, Node& n) {
    if (!f.value.IsSequence()) {
        if (f.value.IsScalar())
            return r_.error(f.loc, "'texture' must be a mapping or a list of mappings, got " + kind_of(f.value));
        if (auto t = texture(f.value, f.loc, f.subject())) n.textures.push_back(std::move(*t));
        return;
    }
    std::vector<Item> items = open_seq(r_, f.value, f.loc, f.subject());
    if (items.empty()) r_.error(f.loc, "'texture' must not be empty");
    for (const Item& item : items)
        if (auto t = texture(item.node, item.loc, "a texture")) n.textures.push_back(std::move(*t));
}

std::optional<TextureDesc> Parser::texture(const YAML::Node& value, const Loc& at, const std::string& subject) {
    Map m;
    if (!open_map(r_, value, at, subject, m)) return std::nullopt;
    m.allow(r_, {"pyramid", "material", "region"}, "in texture");
    TextureDesc d;
    d.loc = m.loc;
    m.record(d.locs);
    if (need(r_, m, "pyramid", "texture")) read(r_, m, "pyramid", d.pyramid);
    if (read(r_, m, "material", d.material) && d.material.empty())  // a name, or an index written as a number
        r_.error(m.get("material")->loc, "'material' must not be empty (leave it out for every material)");
    if (const Field* g = m.get("region")) d.has_region = as_doubles(r_, g->value, g->loc, g->subject(), 4, &d.region.x);
    return d;
}

// The keys a magnification move shares in a track and in a cue action (`at` is the
// track's: read there). False when the move is unusable.
bool Parser::zoom_move(const Map& m, ZoomMove& z) {
    z.loc = m.loc;
    m.record(z.locs);
    bool ok = true;
    if (m.has("duration")) ok = read_nonneg(r_, m, "duration", z.duration);
    if (const Field* f = m.get("region")) {
        z.has_region = as_doubles(r_, f->value, f->loc, f->subject(), 4, &z.region.x);
        ok = z.has_region && ok;
        if (const Field* other = m.has("centre") ? m.get("centre") : m.get("magnification")) {
            r_.error(other->key_loc, "a zoom_to move takes either 'region' or 'centre' and 'magnification', got " +
                                         q("region") + " and " + q(other->key));
            return false;
        }
    }
    if (const Field* f = m.get("centre")) {
        z.has_centre = as_doubles(r_, f->value, f->loc, f->subject(), 2, &z.centre.x);
        ok = z.has_centre && ok;
    }
    if (const Field* f = m.get("magnification")) {
        if (as_number(r_, f->value, f->loc, f->subject(), z.magnification)) {
            if (z.magnification > 0) z.has_magnification = true;
            else r_.error(f->loc, "'magnification' must be more than 0, got " + yaml::wording::num(z.magnification));
        }
        ok = z.has_magnification && ok;
    }
    if (!m.has("region") && !m.has("centre") && !m.has("magnification")) {
        if (!m.misspelt({"region", "centre", "magnification"}))
            r_.error(m.loc, "a zoom_to move needs 'region', or 'centre' and/or 'magnification'");
        return false;
    }
    return ok;
}

// ---- timelines ---------------------------------------------------------------------

void Parser::timeline(const Item& item) {
    Map m;
    if (!open_map(r_, item.node, item.loc, "a timeline", m)) return;
    Timeline t;
    t.loc = m.loc;
    bool named = name(m, "timeline", t.name);
    m.allow(r_, {"name", "duration", "loop", "labels", "tracks"}, named ? "in timeline " + q(t.name) : "in timeline");
    m.record(t.locs);
    if (need(r_, m, "duration", "timeline") && read(r_, m, "duration", t.duration))
        at_least_a_frame(m.get("duration")->loc, "duration", t.duration);
    read(r_, m, "loop", t.loop);
    if (const Field* f = m.get("labels")) {
        Map labels;
        if (open_map(r_, f->value, f->loc, f->subject(), labels, "label"))
            for (const Field& l : labels.fields) {
                double at;
                if (!as_number(r_, l.value, l.loc, "label " + q(l.key), at)) continue;
                t.labels[l.key] = at;
                t.locs.by_key["labels." + l.key] = l.loc;  // where each label's time is
            }
    }
    if (const Field* f = m.get("tracks"))
        for (const Item& ti : open_seq(r_, f->value, f->loc, f->subject()))
            if (auto tr = track(ti)) t.tracks.push_back(std::move(*tr));
    if (named) s_.timelines.push_back(std::move(t));
}

std::optional<Track> Parser::track(const Item& item) {
    Map m;
    if (!open_map(r_, item.node, item.loc, "a track", m)) return std::nullopt;
    m.allow(r_, {"target", "interpolation", "keys", "zoom_to"}, "in track");
    Track t;
    t.loc = m.loc;
    m.record(t.locs);
    if (need(r_, m, "target", "track")) read(r_, m, "target", t.target);
    if (const Field* z = m.get("zoom_to")) {  // a magnification tour of an image node
        t.zoom = true;
        if (const Field* k = m.get("keys"))
            r_.error(k->key_loc, "a track takes either 'keys' or 'zoom_to', not both");
        if (const Field* i = m.get("interpolation"))
            r_.error(i->key_loc, "'interpolation' is not for zoom_to: its moves zoom in log scale");
        std::vector<Item> items = open_seq(r_, z->value, z->loc, z->subject());
        if (items.empty() && (z->value.IsNull() || z->value.IsSequence())) r_.error(z->loc, "'zoom_to' must not be empty");
        for (const Item& item : items) {
            Map mm;
            if (!open_map(r_, item.node, item.loc, "a zoom_to move", mm)) continue;
            mm.allow(r_, kMoveKeys, "in zoom_to move");
            ZoomMove move;
            bool timed = need(r_, mm, "at", "zoom_to move") && read_nonneg(r_, mm, "at", move.at);
            if (zoom_move(mm, move) && timed) t.moves.push_back(std::move(move));
        }
        return t;
    }
    int interp = choice(m, "interpolation", kInterps);
    if (interp >= 0) t.interp = Interp(interp);
    // Visibility only steps, so that is its default (LINEAR would be refused).
    const std::string visible = ".visible";
    if (!m.has("interpolation") && t.target.size() > visible.size() &&
        t.target.compare(t.target.size() - visible.size(), visible.size(), visible) == 0)
        t.interp = Interp::Step;
    if (need(r_, m, "keys", "track")) {
        const Field* f = m.get("keys");
        std::vector<Item> items = open_seq(r_, f->value, f->loc, f->subject());
        if (items.empty() && (f->value.IsNull() || f->value.IsSequence()))
            r_.error(f->loc, "'keys' must not be empty");
        for (const Item& ki : items)
            if (auto k = key(ki)) t.keys.push_back(std::move(*k));
    }
    return t;
}

std::optional<Key> Parser::key(const Item& item) {
    Map m;
    if (!open_map(r_, item.node, item.loc, "a key", m)) return std::nullopt;
    m.allow(r_, {"t", "value", "in", "out"}, "in key");
    Key k;
    k.loc = m.loc;
    m.record(k.locs);
    bool ok = need(r_, m, "t", "key") && read(r_, m, "t", k.t);
    ok = need(r_, m, "value", "key") && ok;
    for (const char* name : {"value", "in", "out"}) {
        const Field* f = m.get(name);
        std::vector<float>& out = name[0] == 'v' ? k.value : name[0] == 'i' ? k.in : k.out;
        if (f) ok = as_floats(r_, f->value, f->loc, f->subject(), true, out) && ok;
    }
    if (!ok) return std::nullopt;  // a key without a time or value would only mislead validation
    return k;
}

// ---- cues --------------------------------------------------------------------------

void Parser::cue(const Item& item) {
    Map m;
    if (!open_map(r_, item.node, item.loc, "a cue", m)) return;
    Cue c;
    c.loc = m.loc;
    bool has_id = need(r_, m, "id", "cue") && read(r_, m, "id", c.id);  // a plain 3.1 keeps its text
    m.allow(r_, {"id", "name", "at", "on", "prewait", "actions"}, has_id ? "in cue " + q(c.id) : "in cue");
    m.record(c.locs);
    read(r_, m, "name", c.name);
    read_nonneg(r_, m, "prewait", c.prewait);
    const Field* at = m.get("at");
    const Field* on = m.get("on");
    if (at && on)
        r_.error(on->key_loc, "a cue fires either 'at' a time or 'on' an input, not both");
    else if (at)
        cue_at(*at, c);
    else if (on)
        cue_on(*on, c);
    if (const Field* f = m.get("actions"))
        for (const Item& ai : open_seq(r_, f->value, f->loc, f->subject()))
            if (auto a = action(ai)) c.actions.push_back(std::move(*a));
    if (has_id) s_.cues.push_back(std::move(c));
}

void Parser::cue_at(const Field& f, Cue& c) {
    if (f.value.IsScalar()) {  // show time
        double t;
        if (!as_number(r_, f.value, f.loc, f.subject(), t, "a number or a mapping")) return;
        if (t < 0) return r_.error(f.loc, "'at' must not be negative, got " + yaml::wording::num(t));
        c.trigger = TriggerKind::Time;
        c.at = t;
        return;
    }
    if (!f.value.IsMap()) return r_.error(f.loc, "'at' must be a number or a mapping, got " + kind_of(f.value));
    Map m;
    if (!open_map(r_, f.value, f.loc, f.subject(), m)) return;
    m.allow(r_, {"timeline", "t"}, "in 'at'");
    for (const Field& sub : m.fields) c.locs.by_key["at." + sub.key] = sub.loc;
    bool ok = need(r_, m, "timeline", "'at'") && read(r_, m, "timeline", c.timeline);
    ok = need(r_, m, "t", "'at'") && read(r_, m, "t", c.at) && ok;
    if (ok) c.trigger = TriggerKind::Time;
}

void Parser::cue_on(const Field& f, Cue& c) {
    Map m;
    if (!open_map(r_, f.value, f.loc, f.subject(), m)) return;
    m.allow(r_, {"touch", "osc"}, "in 'on'");
    for (const Field& sub : m.fields) c.locs.by_key["on." + sub.key] = sub.loc;
    if (m.fields.empty()) return r_.error(m.loc, "'on' needs one of touch, osc");
    if (m.fields.size() > 1)
        return r_.error(m.fields[1].key_loc, "'on' takes only one of touch, osc, got 'touch' and 'osc'");
    if (read(r_, m, "touch", c.node)) c.trigger = TriggerKind::Touch;
    if (read_address(r_, m, "osc", c.osc)) c.trigger = TriggerKind::Osc;
}

std::optional<Action> Parser::action(const Item& item) {
    Map m;
    if (!open_map(r_, item.node, item.loc, "an action", m)) return std::nullopt;
    std::vector<const Field*> kinds = present(m, kAllActionKinds);
    if (kinds.empty()) {
        std::vector<std::string> any = kAllActionKinds;
        for (const char* extra : {"label", "value", "fade", "to", "args", "duration", "region", "centre", "magnification"})
            any.push_back(extra);
        size_t before = m.fields.size();
        m.allow(r_, any, "in action");
        if (m.fields.size() == before)  // no misspelt kind to point at
            r_.error(m.loc, "action needs one of " + choices_text(kActionKinds));
        return std::nullopt;
    }
    if (kinds.size() > 1) {
        auto offered = [](const std::string& k) {
            return std::find(kActionKinds.begin(), kActionKinds.end(), k) != kActionKinds.end();
        };
        bool zoom = !offered(kinds[0]->key) || !offered(kinds[1]->key);
        r_.error(kinds[1]->key_loc, "action takes only one of " + choices_text(zoom ? kAllActionKinds : kActionKinds) +
                                        ", got " + q(kinds[0]->key) + " and " + q(kinds[1]->key));
        return std::nullopt;
    }
    const std::string kind = kinds[0]->key;
    m.allow(r_, action_keys(kind), "in action");
    Action a;
    a.loc = m.loc;
    m.record(a.locs);
    const Field& main = *m.get(kind);
    bool ok = true;
    if (kind == "play" || kind == "stop" || kind == "pause" || kind == "jump") {
        a.kind = kind == "play" ? ActionKind::Play : kind == "stop" ? ActionKind::Stop
                 : kind == "pause" ? ActionKind::Pause : ActionKind::Jump;
        ok = as_string(r_, main.value, main.loc, main.subject(), a.timeline);
        if (kind == "jump") ok = need(r_, m, "label", "jump") && read(r_, m, "label", a.label) && ok;
    } else if (kind == "set") {
        a.kind = ActionKind::Set;
        ok = as_string(r_, main.value, main.loc, main.subject(), a.target);
        if (need(r_, m, "value", "set")) {
            const Field* v = m.get("value");
            ok = as_floats(r_, v->value, v->loc, v->subject(), true, a.value) && ok;
        } else {
            ok = false;
        }
        if (m.has("fade")) ok = read_nonneg(r_, m, "fade", a.fade) && ok;
    } else if (kind == "goto") {
        a.kind = ActionKind::Goto;
        ok = as_string(r_, main.value, main.loc, main.subject(), a.state);
    } else if (kind == "camera") {
        a.kind = ActionKind::Camera;
        ok = as_string(r_, main.value, main.loc, main.subject(), a.camera);
    } else if (kind == "play_sound" || kind == "stop_sound" || kind == "seek_sound") {
        a.kind = kind == "play_sound" ? ActionKind::PlaySound : kind == "stop_sound" ? ActionKind::StopSound
                                                                                     : ActionKind::SeekSound;
        ok = as_string(r_, main.value, main.loc, main.subject(), a.target);
        if (kind == "seek_sound") ok = need(r_, m, "to", "seek_sound") && read_nonneg(r_, m, "to", a.seek_to) && ok;
    } else if (kind == "zoom_to") {
        a.kind = ActionKind::ZoomTo;
        ok = as_string(r_, main.value, main.loc, main.subject(), a.target);
        ok = zoom_move(m, a.zoom) && ok;
        a.zoom.locs = a.locs;
    } else {  // osc
        a.kind = ActionKind::Osc;
        ok = read_address(r_, m, "osc", a.osc_address);
        if (need(r_, m, "to", "osc") && read(r_, m, "to", a.osc_to)) {
            if (!is_host_port(a.osc_to)) {
                r_.error(m.get("to")->loc, "'to' must be host:port, got " + q(a.osc_to));
                ok = false;
            }
        } else {
            ok = false;
        }
        if (const Field* args = m.get("args"))
            for (const Item& arg : open_seq(r_, args->value, args->loc, args->subject())) {
                if (arg.node.IsScalar()) {
                    a.osc_args.push_back(arg.node.Scalar());
                } else {
                    r_.error(arg.loc, "'args' must be a list of numbers and strings, got " + kind_of(arg.node));
                    ok = false;
                }
            }
    }
    if (!ok) return std::nullopt;
    return a;
}

// ---- states ------------------------------------------------------------------------

void Parser::state(const Item& item) {
    Map m;
    if (!open_map(r_, item.node, item.loc, "a state", m)) return;
    State st;
    st.loc = m.loc;
    bool named = name(m, "state", st.name);
    m.allow(r_, {"name", "timeline", "camera", "idle", "transitions"}, named ? "in state " + q(st.name) : "in state");
    m.record(st.locs);
    read(r_, m, "timeline", st.timeline);
    read(r_, m, "camera", st.camera);
    if (const Field* f = m.get("transitions"))
        for (const Item& ti : open_seq(r_, f->value, f->loc, f->subject()))
            if (auto t = transition(ti)) st.transitions.push_back(std::move(*t));
    if (const Field* f = m.get("idle")) {
        double after;
        if (f->value.IsScalar() && f->value.Scalar() == "none") {
            st.idle_default = false;
        } else if (as_number(r_, f->value, f->loc, f->subject(), after, "a number of seconds or none")) {
            if (at_least_a_frame(f->loc, "idle", after)) {
                Transition t;
                t.kind = TransitionKind::Idle;
                t.after = after;
                t.loc = f->loc;
                t.locs.by_key["idle"] = t.locs.by_key["to"] = f->loc;
                if (named) idle_to_start_.push_back({s_.states.size(), st.transitions.size()});
                st.transitions.push_back(std::move(t));
            }
        }
    }
    if (named) s_.states.push_back(std::move(st));
}

std::optional<Transition> Parser::transition(const Item& item) {
    Map m;
    if (!open_map(r_, item.node, item.loc, "a transition", m)) return std::nullopt;
    std::vector<std::string> keys = kTriggers;
    keys.push_back("to");
    m.allow(r_, keys, "in transition");
    Transition t;
    t.loc = m.loc;
    m.record(t.locs);
    std::vector<const Field*> kinds = present(m, kTriggers);
    if (kinds.empty()) {
        if (!m.misspelt(kTriggers)) r_.error(m.loc, "transition needs one of " + choices_text(kTriggers));
        return std::nullopt;
    }
    if (kinds.size() > 1) {
        r_.error(kinds[1]->key_loc, "transition takes only one of " + choices_text(kTriggers) + ", got " +
                                        q(kinds[0]->key) + " and " + q(kinds[1]->key));
        return std::nullopt;
    }
    bool ok = need(r_, m, "to", "transition") && read(r_, m, "to", t.to);
    const Field& f = *kinds[0];
    if (f.key == "touch") {
        t.kind = TransitionKind::Touch;
        ok = as_string(r_, f.value, f.loc, f.subject(), t.node) && ok;
    } else if (f.key == "idle") {
        t.kind = TransitionKind::Idle;
        bool read_ok = as_number(r_, f.value, f.loc, f.subject(), t.after);
        read_ok = read_ok && at_least_a_frame(f.loc, "idle", t.after);
        ok = read_ok && ok;
    } else if (f.key == "end") {
        t.kind = TransitionKind::End;
        bool end = false;
        if (as_bool(r_, f.value, f.loc, f.subject(), end) && !end) {
            r_.error(f.loc, "'end' can only be true");
            ok = false;
        }
        ok = end && ok;
    } else if (f.key == "osc") {
        t.kind = TransitionKind::Osc;
        ok = read_address(r_, m, "osc", t.osc) && ok;
    } else {
        t.kind = TransitionKind::TimeOfDay;
        std::string text;
        if (as_string(r_, f.value, f.loc, f.subject(), text)) {
            t.time_of_day = parse_time_of_day(text);
            if (t.time_of_day < 0) {
                r_.error(f.loc, "'time_of_day' must be \"HH:MM\" or \"HH:MM:SS\", got " + q(text));
                ok = false;
            }
        } else {
            ok = false;
        }
    }
    if (!ok) return std::nullopt;
    return t;
}

}  // namespace

SceneFile parse_scene(const std::filesystem::path& file, const std::string& text, std::vector<Problem>& problems) {
    SceneFile scene;
    scene.path = file;
    Reader r(file.string(), problems);
    YAML::Node root;
    if (!load(r, text, root)) return scene;
    try {
        Parser(r, scene).file(root);
    } catch (const std::exception& e) {  // yaml-cpp misbehaving must not take the show down
        r.error(r.start(), std::string("cannot read the scene: ") + e.what());
    }
    return scene;
}

int parse_time_of_day(const std::string& s) {
    int parts[3] = {0, 0, 0};
    int count = 0;
    size_t i = 0;
    while (count < 3) {
        size_t start = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
        size_t len = i - start;
        if (len < 1 || len > 2 || (count > 0 && len != 2)) return -1;
        parts[count++] = std::stoi(s.substr(start, len));
        if (i == s.size()) break;
        if (s[i] != ':') return -1;
        ++i;
    }
    if (i != s.size() || count < 2) return -1;
    if (parts[0] > 23 || parts[1] > 59 || parts[2] > 59) return -1;
    return parts[0] * 3600 + parts[1] * 60 + parts[2];
}

}  // namespace vitrine::show
