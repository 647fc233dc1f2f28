// The edits: each computes the new text from the document's text, its tree (where
// things are) and its parsed scene (what values are now). Nothing here changes the
// document; Document::run records the result.
#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

#include <glm/gtc/matrix_transform.hpp>

#include "edit/document.h"
#include "edit/scene_text.h"
#include "edit/yaml_text.h"
#include "show/show.h"
#include "yaml/wording.h"

namespace vitrine::edit {

using yaml::wording::did_you_mean;
using yaml::wording::q;

namespace {

yaml::TextNode tree_of(const std::string& text) {
    auto t = yaml::text_tree(text);
    return t ? std::move(*t) : yaml::TextNode{};
}

// A command in several steps reads its own text again between them; a place it cannot
// find again means a step wrote what it did not expect: the command is refused.
Error lost(const std::string& what) {
    return fail("the edit could not find " + what + " again in the text it was making; nothing was changed");
}

const yaml::TextNode* keys_in(const yaml::TextNode& root, const std::string& timeline, const std::string& target) {
    const yaml::TextNode* tl = timeline_of(root, timeline);
    const yaml::TextNode* track = tl ? track_of(*tl, target) : nullptr;
    const yaml::TextNode* keys = track ? track->get("keys") : nullptr;
    return keys && keys->is_seq() ? keys : nullptr;
}

std::vector<std::string> node_names(const show::SceneFile& scene) {
    std::vector<std::string> out;
    for (const show::Node& n : scene.nodes) out.push_back(n.name);
    return out;
}

Error no_node(const show::SceneFile& scene, const std::string& name) {
    return fail("no node " + q(name) + did_you_mean(name, node_names(scene)));
}

Error no_timeline(const show::SceneFile& scene, const std::string& name) {
    std::vector<std::string> names;
    for (const show::Timeline& t : scene.timelines) names.push_back(t.name);
    return fail("no timeline " + q(name) + did_you_mean(name, names));
}

Error no_cue(const show::SceneFile& scene, const std::string& id) {
    std::vector<std::string> ids;
    for (const show::Cue& c : scene.cues) ids.push_back(c.id);
    return fail("no cue " + q(id) + did_you_mean(id, ids));
}

// A value as written in the file: numbers (one, or a [list]), true/false, or a word.
std::string value_text(const std::string& arg) {
    double one;
    if (parse_number(arg, one)) return number(one);  // a single number keeps double precision (a seed)
    std::vector<float> v;
    if (parse_numbers(arg, v)) return numbers(v);
    if (arg == "true" || arg == "false") return arg;
    return scalar(arg);
}

// A scalar rewritten with a new value in the quoting the file used for it.
std::string rewritten(const yaml::TextNode& old, const std::string& value) {
    if (old.style == '\'') {
        std::string out = "'";
        for (char c : value) out += c == '\'' ? std::string("''") : std::string(1, c);
        return out + "'";
    }
    if (old.style == '"') {
        std::string quoted = scalar(value);
        return quoted.front() == '"' ? quoted : "\"" + quoted + "\"";
    }
    return scalar(value);
}

// `keys` (a path of mapping keys) below `map` set to `value`, making the mappings on
// the way that are missing (as flow mappings).
Result<std::string> set_in(const std::string& text, const yaml::TextNode& map, const std::vector<std::string>& keys,
                           const std::string& value, const std::string& shown) {
    if (!map.is_map() && map.kind != yaml::TextNode::Kind::Null)
        return fail(q(shown) + ": the file writes something other than a mapping there");
    if (keys.size() == 1) return set_entry(text, map, keys[0], value);
    const yaml::TextNode* child = map.is_map() ? map.get(keys[0]) : nullptr;
    if (child && (child->is_map() || child->kind == yaml::TextNode::Kind::Null))
        return set_in(text, *child, {keys.begin() + 1, keys.end()}, value, shown);
    if (child) return fail(q(shown) + ": " + q(keys[0]) + " is not a mapping in the file");
    std::string nested = value;
    for (size_t k = keys.size() - 1; k >= 1; --k) nested = "{" + keys[k] + ": " + nested + "}";
    if (map.kind == yaml::TextNode::Kind::Null) return replace(text, map, "{" + keys[0] + ": " + nested + "}");
    return insert_entry(text, map, keys[0], nested);
}

std::vector<std::string> split(const std::string& path) {
    std::vector<std::string> out;
    size_t i = 0;
    while (true) {
        size_t dot = path.find('.', i);
        out.push_back(path.substr(i, dot == std::string::npos ? std::string::npos : dot - i));
        if (dot == std::string::npos) break;
        i = dot + 1;
    }
    return out;
}

// The node's own keys, and the property paths' short names with the section they live in.
const std::set<std::string> kNodeKeys = {"translation", "rotation", "scale", "visible", "model", "animation"};
const std::set<std::string> kSections = {"light", "camera", "image", "hotspot", "sound", "zone", "texture"};
const std::map<std::string, std::string> kShortPaths = {
    {"fov", "camera"},   {"color", "light"},   {"intensity", "light"}, {"gain", "sound"},
    {"pitch", "sound"},  {"region", "image"},  {"size", "image"},      {"opacity", "image"},
};
const std::set<std::string> kTopKeys = {"camera", "start", "idle_timeout", "seed", "hooks", "display"};

bool is_descendant(const show::SceneFile& scene, int node, int of) {
    for (int p = node; p >= 0; p = scene.nodes[size_t(p)].parent)
        if (p == of) return true;
    return false;
}

struct Span {
    size_t start, end;
    std::string with;
};

std::string apply_spans(std::string text, std::vector<Span> spans) {
    std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.start > b.start; });
    for (const Span& s : spans) text.replace(s.start, s.end - s.start, s.with);
    return text;
}

// Every place in the file that names node `from` (references by name and property paths
// that start with it), rewritten to `to`.
void references(const yaml::TextNode& root, const std::string& from, const std::string& to, std::vector<Span>& out) {
    auto exact = [&](const yaml::TextNode* n) {
        if (n && n->is_scalar() && n->value == from) out.push_back({n->start, n->end, rewritten(*n, to)});
    };
    auto path = [&](const yaml::TextNode* n) {
        if (!n || !n->is_scalar()) return;
        if (n->value == from) out.push_back({n->start, n->end, rewritten(*n, to)});
        else if (n->value.rfind(from + ".", 0) == 0)
            out.push_back({n->start, n->end, rewritten(*n, to + n->value.substr(from.size()))});
    };
    auto each = [](const yaml::TextNode* list, auto&& f) {
        if (list && list->is_seq())
            for (const yaml::TextNode& item : list->items)
                if (item.is_map()) f(item);
    };
    if (!root.is_map()) return;
    exact(root.get("camera"));
    std::function<void(const yaml::TextNode&)> node = [&](const yaml::TextNode& n) {
        if (const yaml::TextNode* cam = n.get("camera"); cam && cam->is_map())
            if (const yaml::TextNode* g = cam->get("gltf_camera"); g && g->is_map()) exact(g->get("node"));
        each(n.get("children"), node);
    };
    each(root.get("nodes"), node);
    each(root.get("timelines"), [&](const yaml::TextNode& tl) {
        each(tl.get("tracks"), [&](const yaml::TextNode& track) { path(track.get("target")); });
    });
    each(root.get("cues"), [&](const yaml::TextNode& cue) {
        if (const yaml::TextNode* on = cue.get("on"); on && on->is_map()) exact(on->get("touch"));
        each(cue.get("actions"), [&](const yaml::TextNode& a) {
            path(a.get("set"));
            for (const char* k : {"zoom_to", "play_sound", "stop_sound", "seek_sound", "camera"}) exact(a.get(k));
        });
    });
    each(root.get("states"), [&](const yaml::TextNode& st) {
        exact(st.get("camera"));
        each(st.get("transitions"), [&](const yaml::TextNode& tr) { exact(tr.get("touch")); });
    });
}

// Removes item `index` of `list`, `owner`'s value under `key`. The last item of a
// `children:` list takes the key with it; the last of another block list leaves the key
// with `[]` (its lines go, their comment lines stay unless the item moved).
std::string remove_from(const std::string& text, const yaml::TextNode& list, size_t index,
                        const yaml::TextNode* owner, const std::string& key, Comments comments = Comments::Keep) {
    if (list.items.size() > 1) return remove_item(text, list, index, comments);
    std::string out = text;
    if (owner && key == "children" && remove_entry(out, *owner, key, comments)) return out;
    int k = owner ? owner->index_of(key) : -1;
    if (list.flow || k < 0) return replace(text, list, "[]");
    // Just after the key's ':' (before the item's lines, so the removal does not move it).
    size_t colon = owner->entries[size_t(k)].first.end;
    while (colon < text.size() && text[colon] != ':') ++colon;
    out = remove_item(text, list, index, comments);
    out.insert(colon + 1, " []");
    return out;
}

}  // namespace

Result<std::string> Document::set(const std::string& path, const std::string& arg) const {
    const std::string value = value_text(arg);
    std::vector<std::string> parts = split(path);
    for (const std::string& p : parts)
        if (p.empty()) return fail("property path " + q(path) + " has an empty part");
    const yaml::TextNode& root = tree_;
    if (parts[0] == "environment" || parts[0] == "look") {
        if (parts.size() != 2) return fail(q(path) + ": write " + parts[0] + ".KEY");
        return set_in(text_, root, parts, value, path);
    }
    if (parts[0] == "audio") {
        if (parts.size() == 2 && parts[1] != "reverb" && parts[1] != "listener")
            return set_in(text_, root, {"audio", "groups", parts[1]}, value, path);  // a group's gain
        return set_in(text_, root, parts, value, path);
    }
    if (parts.size() == 1) {
        if (kTopKeys.count(parts[0])) return set_entry(text_, root, parts[0], value);
        return fail(q(path) + " is not a property path: write NODE.PROPERTY (e.g. vase.translation), " +
                    "environment.KEY, look.KEY, audio.GROUP, or one of camera, start, idle_timeout, seed");
    }
    NodePlace place = find_node(root, parts[0]);
    if (!place.map) return no_node(scene_, parts[0]);
    const yaml::TextNode& node = *place.map;
    const std::string& field = parts[1];
    if (parts.size() == 2 && kNodeKeys.count(field)) return set_entry(text_, node, field, value);
    if (parts.size() == 2 && field == "name") return node_rename(parts[0], arg);
    if (parts.size() == 2 && field == "orbit") {
        std::vector<float> v;
        if (!parse_numbers(arg, v) || v.size() != 6)
            return fail(q(path) + " takes 6 numbers: yaw, pitch, distance, target x, y, z");
        std::string text = text_;
        const char* keys[] = {"yaw", "pitch", "distance"};
        for (int k = 0; k < 4; ++k) {
            yaml::TextNode t = tree_of(text);
            const yaml::TextNode* m = find_node(t, parts[0]).map;
            if (!m) return lost("node " + q(parts[0]));
            auto r = k < 3 ? set_in(text, *m, {"camera", "orbit", keys[k]}, number(v[size_t(k)]), path)
                           : set_in(text, *m, {"camera", "orbit", "target"}, numbers({v[3], v[4], v[5]}), path);
            if (!r) return r;
            text = *r;
        }
        return text;
    }
    if (parts.size() == 2 && kShortPaths.count(field))
        return set_in(text_, node, {kShortPaths.at(field), field}, value, path);
    if (parts.size() >= 3 && kSections.count(field))
        return set_in(text_, node, {parts.begin() + 1, parts.end()}, value, path);
    if (field == "material" || field == "animation_time")
        return fail(q(path) + " is changed by tracks and cues only: the scene file has no such value to edit");
    std::vector<std::string> known(kNodeKeys.begin(), kNodeKeys.end());
    for (const auto& [k, s] : kShortPaths) known.push_back(k);
    known.push_back("orbit");
    return fail("node " + q(parts[0]) + " has no property " + q(field) + did_you_mean(field, known) +
                "; sections (light, camera, image, sound, zone, hotspot) take NODE.SECTION.KEY");
}

Result<std::string> Document::move(const Command& c, bool turn) const {
    int i = scene_.node_index(c.args[0]);
    NodePlace place = find_node(tree_, c.args[0]);
    if (i < 0 || !place.map) return no_node(scene_, c.args[0]);
    glm::vec3 d;
    for (int k = 0; k < 3; ++k) {
        double v;
        if (!parse_number(c.args[size_t(k) + 1], v))
            return fail(q(c.verb) + " takes 3 numbers (" + (turn ? "degrees" : "metres") + "), got " + q(c.args[size_t(k) + 1]));
        d[k] = float(v);
    }
    const show::Node& n = scene_.nodes[size_t(i)];
    glm::vec3 now = (turn ? n.rotation : n.translation) + d;
    return set_entry(text_, *place.map, turn ? "rotation" : "translation", numbers({now.x, now.y, now.z}));
}

Result<std::string> Document::zup(const std::string& name) const {
    int i = scene_.node_index(name);
    NodePlace place = find_node(tree_, name);
    if (i < 0 || !place.map) return no_node(scene_, name);
    glm::vec3 r = scene_.nodes[size_t(i)].rotation;
    r.x -= 90;  // +Z up becomes +Y up
    return set_entry(text_, *place.map, "rotation", numbers({r.x, r.y, r.z}));
}

Result<std::string> Document::snap(const Command& c) const {
    const std::string& name = c.args[0];
    bool floor = c.args.size() == 2 && c.args[1] == "floor";
    bool onto = c.args.size() == 3 && c.args[1] == "onto";
    if (!floor && !onto) return fail("write 'snap NODE floor' or 'snap NODE onto OTHER'");
    int i = scene_.node_index(name);
    NodePlace place = find_node(tree_, name);
    if (i < 0 || !place.map) return no_node(scene_, name);
    if (!loaded_ || !problems_.empty())
        return fail("snapping measures the show as it plays: fix its problems first (" +
                    (problems_.empty() ? std::string("it has not loaded") : problems_[0].str()) + ")");
    const show::SceneFile& file = loaded_->file;
    int node = file.node_index(name);
    int other = onto ? file.node_index(c.args[2]) : -1;
    if (onto && other < 0) return no_node(scene_, c.args[2]);
    if (onto && (is_descendant(file, other, node) || is_descendant(file, node, other)))
        return fail("cannot snap " + q(name) + " onto " + q(c.args[2]) + ": one holds the other");
    auto show = show::Show::create(*loaded_);
    show->advance(time_);
    show::Frame frame;
    show->evaluate(frame);
    auto bounds = [&](int of, glm::vec3& lo, glm::vec3& hi) {
        bool any = false;
        for (const show::FrameModel& m : frame.models) {
            if (m.empty || !is_descendant(file, m.node, of)) continue;
            lo = any ? glm::min(lo, m.min) : m.min;
            hi = any ? glm::max(hi, m.max) : m.max;
            any = true;
        }
        return any;
    };
    glm::vec3 lo, hi, olo, ohi;
    if (!bounds(node, lo, hi)) return fail(q(name) + " has no model to measure (snap moves a model or a group of them)");
    glm::vec3 delta{0, -lo.y, 0};
    if (onto) {
        if (!bounds(other, olo, ohi)) return fail(q(c.args[2]) + " has no model to stand on");
        delta = {(olo.x + ohi.x) / 2 - (lo.x + hi.x) / 2, ohi.y - lo.y, (olo.z + ohi.z) / 2 - (lo.z + hi.z) / 2};
    }
    // The move in the world, turned into the parent's frame.
    int parent = file.nodes[size_t(node)].parent;
    glm::mat3 to_local = parent >= 0 ? glm::inverse(glm::mat3(frame.world[size_t(parent)])) : glm::mat3(1);
    glm::vec3 t = scene_.nodes[size_t(i)].translation + to_local * delta;
    for (int k = 0; k < 3; ++k)
        if (std::fabs(t[k]) < 1e-6f) t[k] = 0;
    return set_entry(text_, *place.map, "translation", numbers({t.x, t.y, t.z}));
}

Result<std::string> Document::node_add(const Command& c) const {
    const auto& a = c.args;
    const std::string& kind = a[0];
    const std::string& name = a[1];
    std::string asset, parent, at;
    size_t k = 2;
    if (k < a.size() && a[k] != "under" && a[k] != "at") asset = a[k++];
    if (k + 3 < a.size() && a[k] == "at") {
        std::vector<float> p(3);
        for (int i = 0; i < 3; ++i) {
            double v;
            if (!parse_number(a[k + 1 + size_t(i)], v)) return fail("'at' takes X Y Z in metres, got " + q(a[k + 1 + size_t(i)]));
            p[size_t(i)] = float(v);
        }
        at = numbers(p);
        k += 4;
    }
    if (k < a.size()) {
        if (a[k] != "under" || k + 2 != a.size()) return fail("write 'node add KIND NAME [ASSET] [at X Y Z] [under PARENT]'");
        parent = a[k + 1];
    }
    if (scene_.node_index(name) >= 0) return fail("a node " + q(name) + " exists: names are unique");
    if (name.find('.') != std::string::npos || name.empty()) return fail("a node's name has no '.': " + q(name));
    auto need_asset = [&](show::AssetKind want, const char* what) -> Result<void> {
        const show::Asset* found = scene_.asset(asset);
        std::vector<std::string> names;
        for (const show::Asset& s : scene_.assets)
            if (s.kind == want) names.push_back(s.name);
        if (asset.empty()) return fail("'node add " + kind + "' needs " + what + " asset: " + yaml::wording::join(names));
        if (!found || found->kind != want)
            return fail("no " + std::string(what) + " asset " + q(asset) + did_you_mean(asset, names));
        return {};
    };
    Entries e = {{"name", scalar(name)}};
    if (kind == "model") {
        if (auto r = need_asset(show::AssetKind::Gltf, "a glTF"); !r) return r.error();
        e.push_back({"model", scalar(asset)});
        e.push_back({"translation", "[0, 0, 0]"});
    } else if (kind == "image") {
        if (auto r = need_asset(show::AssetKind::Pyramid, "a pyramid"); !r) return r.error();
        e.push_back({"image", "{pyramid: " + scalar(asset) + "}"});
        e.push_back({"translation", "[0, 1.5, 0]"});
    } else if (kind == "sound") {
        if (auto r = need_asset(show::AssetKind::Audio, "an audio"); !r) return r.error();
        e.push_back({"sound", "{audio: " + scalar(asset) + "}"});
        e.push_back({"translation", "[0, 1.5, 0]"});
    } else if (kind == "light" || kind == "camera" || kind == "group") {
        if (!asset.empty()) return fail("'node add " + kind + "' takes no asset, got " + q(asset));
        if (kind == "light") {
            e.push_back({"light", "{type: point, color: [1, 1, 1], intensity: 10}"});
            e.push_back({"translation", "[0, 2, 1]"});
        } else if (kind == "camera") {
            e.push_back({"camera", "{fov: 40}"});
            e.push_back({"translation", "[0, 1.5, 3]"});
        } else {
            e.push_back({"translation", "[0, 0, 0]"});
        }
    } else {
        return fail("node kinds are model, light, camera, group, image, sound; got " + q(kind));
    }
    if (!at.empty())
        for (auto& [key, value] : e)
            if (key == "translation") value = at;
    const yaml::TextNode* owner = &tree_;
    const yaml::TextNode* list = tree_.get("nodes");
    if (!parent.empty()) {
        NodePlace p = find_node(tree_, parent);
        if (!p.map) return no_node(scene_, parent);
        owner = p.map;
        list = p.map->get("children");
    }
    // Written like its siblings: block lines under block ones, a flow mapping among flow ones.
    bool block = list && list->is_seq() && !list->items.empty() ? !(list->items.back().is_map() && list->items.back().flow)
                                                                 : !owner->flow;
    ItemText item;
    if (block) {
        item.block = true;
        for (size_t i = 0; i < e.size(); ++i) item.text += (i ? "\n  " : "- ") + e[i].first + ": " + e[i].second;
    } else {
        item.text = flow_map(e);
    }
    std::string out = text_;
    bool ok = list && (list->is_seq() || list->kind == yaml::TextNode::Kind::Null)
                  ? (list->is_seq() ? insert_item(out, *list, list->items.size(), item)
                                    : (out = replace(out, *list, "[" + flow_map(e) + "]"), true))
                  : insert_list_entry(out, *owner, parent.empty() ? "nodes" : "children", item);
    if (!ok) return fail("cannot place a new node there in the file's style; add it in a text editor");
    return out;
}

Result<std::string> Document::node_delete(const std::string& name) const {
    NodePlace place = find_node(tree_, name);
    if (!place.map) return no_node(scene_, name);
    return remove_from(text_, *place.list, place.index, place.parent ? place.parent : &tree_,
                       place.parent ? "children" : "nodes");
}

Result<std::string> Document::node_rename(const std::string& name, const std::string& to) const {
    NodePlace place = find_node(tree_, name);
    if (!place.map) return no_node(scene_, name);
    if (to == name) return text_;
    if (scene_.node_index(to) >= 0) return fail("a node " + q(to) + " exists: names are unique");
    if (to.empty() || to.find('.') != std::string::npos) return fail("a node's name has no '.': " + q(to));
    std::vector<Span> spans;
    const yaml::TextNode* n = place.map->get("name");
    spans.push_back({n->start, n->end, rewritten(*n, to)});
    references(tree_, name, to, spans);
    return apply_spans(text_, spans);
}

Result<std::string> Document::node_duplicate(const std::string& name, const std::string& to) const {
    NodePlace place = find_node(tree_, name);
    if (!place.map) return no_node(scene_, name);
    if (scene_.node_index(to) >= 0) return fail("a node " + q(to) + " exists: names are unique");
    if (to.empty() || to.find('.') != std::string::npos) return fail("a node's name has no '.': " + q(to));
    std::string out = text_;
    if (!insert_item(out, *place.list, place.index + 1, item_text(text_, *place.list, place.index)))
        return fail("cannot copy " + q(name) + " in this list's style");
    // The copy and its children are renamed: NAME -> NEW, a child C -> C_NEW.
    yaml::TextNode t = tree_of(out);
    NodePlace original = find_node(t, name);
    if (!original.list || original.index + 1 >= original.list->items.size() ||
        !original.list->items[original.index + 1].is_map())
        return lost("the copy of " + q(name));
    const yaml::TextNode& copy = original.list->items[original.index + 1];
    std::vector<Span> spans;
    std::function<void(const yaml::TextNode&, bool)> rename = [&](const yaml::TextNode& m, bool top) {
        if (const yaml::TextNode* n = m.get("name"); n && n->is_scalar())
            spans.push_back({n->start, n->end, rewritten(*n, top ? to : n->value + "_" + to)});
        if (const yaml::TextNode* kids = m.get("children"); kids && kids->is_seq())
            for (const yaml::TextNode& k : kids->items)
                if (k.is_map()) rename(k, false);
    };
    rename(copy, true);
    return apply_spans(out, spans);
}

Result<std::string> Document::node_parent(const std::string& name, const std::string& parent) const {
    NodePlace place = find_node(tree_, name);
    int i = scene_.node_index(name);
    if (!place.map || i < 0) return no_node(scene_, name);
    bool root = parent == "root";
    if (!root) {
        int p = scene_.node_index(parent);
        if (p < 0) return no_node(scene_, parent);
        if (is_descendant(scene_, p, i)) return fail("cannot put " + q(name) + " under " + q(parent) + ": it holds it");
    }
    ItemText item = item_text(text_, *place.list, place.index, true);
    std::string out = remove_from(text_, *place.list, place.index, place.parent ? place.parent : &tree_,
                                  place.parent ? "children" : "nodes", Comments::Drop);
    yaml::TextNode t = tree_of(out);
    const yaml::TextNode* owner = root ? &t : find_node(t, parent).map;
    if (!owner || !owner->is_map()) return lost(root ? std::string("the node list") : "node " + q(parent));
    const yaml::TextNode* list = owner->get(root ? "nodes" : "children");
    bool ok = list && list->is_seq() ? insert_item(out, *list, list->items.size(), item)
                                     : insert_list_entry(out, *owner, root ? "nodes" : "children", item);
    if (!ok) return fail("cannot move " + q(name) + " there: its lines cannot go inside a one-line (flow) mapping");
    return out;
}

namespace {

double time_arg(const std::string& s, const char* what) {
    double v;
    return parse_number(s, v) ? v : (void(what), NAN);
}

}  // namespace

Result<std::string> Document::key_add(const Command& c) const {
    const auto& a = c.args;
    const yaml::TextNode* tl = timeline_of(tree_, a[0]);
    if (!tl) return no_timeline(scene_, a[0]);
    double t = time_arg(a[2], "time");
    if (!std::isfinite(t) || t < 0) return fail("a key's time is seconds >= 0, got " + q(a[2]));
    std::vector<float> v;
    if (!parse_numbers(a[3], v)) return fail("a key's value is numbers (one, or a [list]), got " + q(a[3]));
    const yaml::TextNode* track = track_of(*tl, a[1]);
    Entries e = {{"t", number(t)}, {"value", numbers(v)}};
    if (!track) {
        // A new track at the end of the timeline's.
        const yaml::TextNode* tracks = tl->get("tracks");
        std::string keys = "[" + flow_map(e) + "]";
        ItemText item;
        bool block = !(tracks && tracks->is_seq() && !tracks->items.empty() && tracks->items.back().flow) && !tl->flow;
        if (block) item = {"- target: " + scalar(a[1]) + "\n  keys:\n    - " + flow_map(e), true};
        else item = {"{target: " + scalar(a[1]) + ", keys: " + keys + "}", false};
        std::string out = text_;
        bool ok = tracks && tracks->is_seq() ? insert_item(out, *tracks, tracks->items.size(), item)
                                             : insert_list_entry(out, *tl, "tracks", item);
        if (!ok) return fail("cannot add a track to timeline " + q(a[0]) + " in its style");
        return out;
    }
    const yaml::TextNode* keys = track->get("keys");
    if (!keys || !keys->is_seq()) return fail("track " + q(a[1]) + " of " + q(a[0]) + " has no keys (a zoom_to track?)");
    if (int k = key_at(*track, t); k >= 0) return set_entry(text_, keys->items[size_t(k)], "value", numbers(v));
    if (text_of(track->get("interpolation")) == "CUBICSPLINE") {
        std::vector<float> zero(v.size(), 0.0f);
        e.push_back({"in", numbers(zero)});
        e.push_back({"out", numbers(zero)});
    }
    size_t at = 0;
    while (at < keys->items.size() && std::strtod(text_of(keys->items[at].get("t")).c_str(), nullptr) < t) ++at;
    return insert_map_item(text_, *keys, at, e);
}

Result<std::string> Document::key_move(const Command& c) const {
    const auto& a = c.args;
    const yaml::TextNode* tl = timeline_of(tree_, a[0]);
    if (!tl) return no_timeline(scene_, a[0]);
    const yaml::TextNode* track = track_of(*tl, a[1]);
    if (!track) return fail("timeline " + q(a[0]) + " has no track " + q(a[1]));
    double t = time_arg(a[2], "time"), to = time_arg(a[3], "time");
    if (!std::isfinite(to) || to < 0) return fail("a key's time is seconds >= 0, got " + q(a[3]));
    int k = key_at(*track, t);
    if (k < 0) return fail("track " + q(a[1]) + " of " + q(a[0]) + " has no key at " + q(a[2]));
    if (key_at(*track, to) >= 0 && key_at(*track, to) != k) return fail("track " + q(a[1]) + " has a key at " + q(a[3]) + " already");
    const yaml::TextNode& keys = *track->get("keys");
    const yaml::TextNode& key = keys.items[size_t(k)];
    // Where the key belongs among the others at its new time.
    size_t at = 0;
    for (size_t j = 0; j < keys.items.size(); ++j)
        if (int(j) != k && std::strtod(text_of(keys.items[j].get("t")).c_str(), nullptr) < to) ++at;
    size_t now = size_t(k);
    if (at == now) return set_entry(text_, key, "t", number(to));
    Entries e;
    for (const auto& [name, value] : key.entries)
        e.push_back({name.value, name.value == "t" ? number(to) : text_.substr(value.start, value.end - value.start)});
    std::string out = remove_item(text_, keys, now);
    yaml::TextNode tree = tree_of(out);
    const yaml::TextNode* moved = keys_in(tree, a[0], a[1]);
    if (!moved) return lost("the keys of " + q(a[1]));
    return insert_map_item(out, *moved, at, e);
}

Result<std::string> Document::key_delete(const Command& c) const {
    const auto& a = c.args;
    const yaml::TextNode* tl = timeline_of(tree_, a[0]);
    if (!tl) return no_timeline(scene_, a[0]);
    const yaml::TextNode* track = track_of(*tl, a[1]);
    if (!track) return fail("timeline " + q(a[0]) + " has no track " + q(a[1]));
    double t = time_arg(a[2], "time");
    int k = key_at(*track, t);
    if (k < 0) return fail("track " + q(a[1]) + " of " + q(a[0]) + " has no key at " + q(a[2]));
    const yaml::TextNode& keys = *track->get("keys");
    if (keys.items.size() > 1) return remove_item(text_, keys, size_t(k));
    // The last key: the track goes with it.
    const yaml::TextNode& tracks = *tl->get("tracks");
    return remove_from(text_, tracks, size_t(find_item(&tracks, "target", a[1])), tl, "tracks");
}

Result<std::string> Document::track_interpolation(const Command& c) const {
    const auto& a = c.args;
    const yaml::TextNode* tl = timeline_of(tree_, a[0]);
    if (!tl) return no_timeline(scene_, a[0]);
    const yaml::TextNode* track = track_of(*tl, a[1]);
    if (!track) return fail("timeline " + q(a[0]) + " has no track " + q(a[1]));
    const std::string& kind = a[2];
    if (kind != "STEP" && kind != "LINEAR" && kind != "CUBICSPLINE")
        return fail("interpolation is STEP, LINEAR or CUBICSPLINE, got " + q(kind));
    std::string out = set_entry(text_, *track, "interpolation", kind);
    // CUBICSPLINE keys carry tangents (zero: smooth stops); the others carry none.
    bool cubic = kind == "CUBICSPLINE";
    // Key k of the track in `text` as it is now (null when it cannot be found).
    auto key_of = [&](const yaml::TextNode& t, size_t k) -> const yaml::TextNode* {
        const yaml::TextNode* keys = keys_in(t, a[0], a[1]);
        return keys && k < keys->items.size() && keys->items[k].is_map() ? &keys->items[k] : nullptr;
    };
    for (size_t k = 0;; ++k) {
        yaml::TextNode t = tree_of(out);
        const yaml::TextNode* keys = keys_in(t, a[0], a[1]);
        if (!keys || k >= keys->items.size()) break;
        const yaml::TextNode* key = key_of(t, k);
        if (!key) return lost("key " + std::to_string(k + 1) + " of " + q(a[1]));
        if (cubic) {
            size_t n = 1;
            if (const yaml::TextNode* v = key->get("value"); v && v->is_seq()) n = v->items.size();
            std::string zero = numbers(std::vector<float>(n, 0.0f));
            if (!key->get("in")) out = insert_entry(out, *key, "in", zero);
            t = tree_of(out);
            const yaml::TextNode* again = key_of(t, k);
            if (!again) return lost("key " + std::to_string(k + 1) + " of " + q(a[1]));
            if (!again->get("out")) out = insert_entry(out, *again, "out", zero);
        } else {
            for (const char* tangent : {"in", "out"}) {
                t = tree_of(out);
                const yaml::TextNode* again = key_of(t, k);
                if (!again) return lost("key " + std::to_string(k + 1) + " of " + q(a[1]));
                if (again->get(tangent) && !remove_entry(out, *again, tangent))
                    return fail("cannot remove the tangents of key " + std::to_string(k + 1) + " in place");
            }
        }
    }
    return out;
}

Result<std::string> Document::timeline_set(const Command& c) const {
    const auto& a = c.args;
    const yaml::TextNode* tl = timeline_of(tree_, a[0]);
    if (!tl) return no_timeline(scene_, a[0]);
    if (a[1] == "loop") {
        if (a[2] != "true" && a[2] != "false") return fail("a timeline's loop is true or false, got " + q(a[2]));
        return set_entry(text_, *tl, "loop", a[2]);
    }
    if (a[1] == "duration") {
        double v;
        if (!parse_number(a[2], v) || v <= 0) return fail("a timeline's duration is seconds > 0, got " + q(a[2]));
        return set_entry(text_, *tl, "duration", number(v));
    }
    return fail("a timeline's fields to set are duration and loop; got " + q(a[1]) + did_you_mean(a[1], {"duration", "loop"}));
}

Result<std::string> Document::label_set(const Command& c) const {
    const auto& a = c.args;
    const yaml::TextNode* tl = timeline_of(tree_, a[0]);
    if (!tl) return no_timeline(scene_, a[0]);
    double v;
    if (!parse_number(a[2], v) || v < 0) return fail("a label's time is seconds >= 0, got " + q(a[2]));
    const yaml::TextNode* labels = tl->get("labels");
    const std::string key = scalar(a[1]);  // a label named "#intro" or "a, b" is written quoted
    if (!labels) return set_entry(text_, *tl, "labels", "{" + key + ": " + number(v) + "}");
    if (!labels->is_map() && labels->kind != yaml::TextNode::Kind::Null)
        return fail("timeline " + q(a[0]) + "'s labels are not a mapping in the file");
    if (const yaml::TextNode* at = labels->is_map() ? labels->get(a[1]) : nullptr) return replace(text_, *at, number(v));
    if (labels->kind == yaml::TextNode::Kind::Null) return replace(text_, *labels, "{" + key + ": " + number(v) + "}");
    return insert_entry(text_, *labels, key, number(v));
}

Result<std::string> Document::label_delete(const Command& c) const {
    const auto& a = c.args;
    const yaml::TextNode* tl = timeline_of(tree_, a[0]);
    if (!tl) return no_timeline(scene_, a[0]);
    const yaml::TextNode* labels = tl->get("labels");
    if (!labels || !labels->is_map() || !labels->get(a[1])) return fail("timeline " + q(a[0]) + " has no label " + q(a[1]));
    std::string out = text_;
    if (labels->entries.size() == 1) {
        if (!remove_entry(out, *tl, "labels")) return fail("cannot remove the labels of " + q(a[0]) + " in place");
        return out;
    }
    if (!remove_entry(out, *labels, a[1])) return fail("cannot remove label " + q(a[1]) + " in place");
    return out;
}

Result<std::string> Document::cue_add(const Command& c) const {
    const std::string& id = c.args[0];
    for (const show::Cue& cue : scene_.cues)
        if (cue.id == id) return fail("a cue " + q(id) + " exists");
    std::string quoted = scalar(id);  // ids are strings: written quoted, as the docs write them
    if (quoted.front() != '"') quoted = "\"" + quoted + "\"";
    Entries e = {{"id", quoted}};
    if (c.args.size() > 1) e.push_back({"name", scalar(c.args[1])});
    e.push_back({"actions", "[]"});
    const yaml::TextNode* cues = tree_.get("cues");
    std::string out = text_;
    if (cues && cues->is_seq()) return insert_map_item(out, *cues, cues->items.size(), e);
    ItemText item;
    item.block = !tree_.flow;
    if (item.block)
        for (size_t i = 0; i < e.size(); ++i) item.text += (i ? "\n  " : "- ") + e[i].first + ": " + e[i].second;
    else
        item.text = flow_map(e);
    if (cues && cues->kind == yaml::TextNode::Kind::Null) return replace(out, *cues, "[" + flow_map(e) + "]");
    if (!insert_list_entry(out, tree_, "cues", item)) return fail("cannot add a cues list to this file");
    return out;
}

Result<std::string> Document::cue_set(const Command& c) const {
    const auto& a = c.args;
    const yaml::TextNode* cues = tree_.get("cues");
    int i = find_item(cues, "id", a[0]);
    if (i < 0) return no_cue(scene_, a[0]);
    const yaml::TextNode& cue = cues->items[size_t(i)];
    const std::string& field = a[1];
    if (field == "id") {
        for (const show::Cue& other : scene_.cues)
            if (other.id == a[2]) return fail("a cue " + q(a[2]) + " exists");
        return replace(text_, *cue.get("id"), rewritten(*cue.get("id"), a[2]));
    }
    if (field == "name") {
        if (const yaml::TextNode* n = cue.get("name")) return replace(text_, *n, rewritten(*n, a[2]));
        return insert_entry(text_, cue, "name", scalar(a[2]));
    }
    if (field == "prewait" || field == "at") {
        double v;
        if (!parse_number(a[2], v) || v < 0) return fail("cue " + field + " is seconds >= 0, got " + q(a[2]));
        const yaml::TextNode* at = cue.get("at");
        if (field == "at" && at && at->is_map()) return set_entry(text_, *at, "t", number(v));
        return set_entry(text_, cue, field, number(v));
    }
    return fail("a cue's fields to set are id, name, prewait, at; got " + q(field) +
                did_you_mean(field, {"id", "name", "prewait", "at"}));
}

Result<std::string> Document::cue_delete(const std::string& id) const {
    const yaml::TextNode* cues = tree_.get("cues");
    int i = find_item(cues, "id", id);
    if (i < 0) return no_cue(scene_, id);
    return remove_from(text_, *cues, size_t(i), &tree_, "cues");
}

}  // namespace vitrine::edit
