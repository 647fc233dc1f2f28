// Where the parts of a scene file are in its text tree: a node's mapping (and the list
// that holds it), a timeline, a track, a key, a cue. All null/false when absent.
#pragma once
#include <string>

#include "yaml/text_tree.h"

namespace vitrine::edit {

using yaml::TextNode;

struct NodePlace {
    const TextNode* map = nullptr;     // the node's mapping
    const TextNode* list = nullptr;    // `nodes:` or its parent's `children:`
    size_t index = 0;                  // in `list`
    const TextNode* parent = nullptr;  // the parent node's mapping; null at the root
};

// A scalar's text value ("" when `n` is null or not a scalar).
std::string text_of(const TextNode* n);

NodePlace find_node(const TextNode& root, const std::string& name);
// The item of `list` whose `key` is `value` (e.g. a timeline by name, a cue by id), or -1.
int find_item(const TextNode* list, const std::string& key, const std::string& value);
const TextNode* timeline_of(const TextNode& root, const std::string& name);
const TextNode* track_of(const TextNode& timeline, const std::string& target);
// The key of `track` at time `t` (within 1e-6 s), or -1.
int key_at(const TextNode& track, double t);

}  // namespace vitrine::edit
