#include "edit/scene_text.h"

#include <cmath>
#include <cstdlib>

namespace vitrine::edit {

std::string text_of(const TextNode* n) { return n && n->is_scalar() ? n->value : std::string(); }

namespace {

bool find_in(const TextNode* list, const TextNode* parent, const std::string& name, NodePlace& out) {
    if (!list || !list->is_seq()) return false;
    for (size_t i = 0; i < list->items.size(); ++i) {
        const TextNode& item = list->items[i];
        if (!item.is_map()) continue;
        if (text_of(item.get("name")) == name) {
            out = {&item, list, i, parent};
            return true;
        }
        if (find_in(item.get("children"), &item, name, out)) return true;
    }
    return false;
}

}  // namespace

NodePlace find_node(const TextNode& root, const std::string& name) {
    NodePlace out;
    if (root.is_map()) find_in(root.get("nodes"), nullptr, name, out);
    return out;
}

int find_item(const TextNode* list, const std::string& key, const std::string& value) {
    if (!list || !list->is_seq()) return -1;
    for (size_t i = 0; i < list->items.size(); ++i)
        if (list->items[i].is_map() && text_of(list->items[i].get(key)) == value) return int(i);
    return -1;
}

const TextNode* timeline_of(const TextNode& root, const std::string& name) {
    const TextNode* list = root.is_map() ? root.get("timelines") : nullptr;
    int i = find_item(list, "name", name);
    return i < 0 ? nullptr : &list->items[size_t(i)];
}

const TextNode* track_of(const TextNode& timeline, const std::string& target) {
    const TextNode* list = timeline.get("tracks");
    int i = find_item(list, "target", target);
    return i < 0 ? nullptr : &list->items[size_t(i)];
}

int key_at(const TextNode& track, double t) {
    const TextNode* keys = track.get("keys");
    if (!keys || !keys->is_seq()) return -1;
    for (size_t i = 0; i < keys->items.size(); ++i) {
        const TextNode& k = keys->items[i];
        if (!k.is_map()) continue;
        std::string s = text_of(k.get("t"));
        if (s.empty()) continue;
        if (std::fabs(std::strtod(s.c_str(), nullptr) - t) < 1e-6) return int(i);
    }
    return -1;
}

}  // namespace vitrine::edit
