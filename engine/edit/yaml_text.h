// Changes to a YAML file's text that touch only what they change: a value replaced in
// its span, an entry or item inserted next to its siblings in their style (block lines at
// their indentation, or inside the brackets of a flow collection), an entry or item
// removed with its lines. Every function returns the new text; the tree must be the
// text's (yaml::text_tree), and is stale afterwards.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "yaml/text_tree.h"

namespace vitrine::edit {

using yaml::TextNode;

// Values as they are written: numbers in their shortest exact form ("0.2", "-0.75", "12"),
// lists in brackets ("[0.2, 0, 0]"), strings plain where YAML reads them back as the
// same string, else double-quoted.
std::string number(double v);
std::string number(float v);
std::string numbers(const std::vector<float>& v);  // one: "0.2"; more: "[0.2, 0, 0]"
std::string scalar(const std::string& s);

// An entry of a new mapping: key and its value as flow text.
using Entries = std::vector<std::pair<std::string, std::string>>;
// The same mapping in flow style: "{name: x, model: y}".
std::string flow_map(const Entries& entries);

std::string replace(const std::string& text, const TextNode& value, const std::string& with);

// `map`'s value under `key` set to `value` (flow text): replaced when present, else a
// new entry: above the first entry written as an indented block (a node's children, a
// timeline's tracks), else after the last one.
std::string set_entry(const std::string& text, const TextNode& map, const std::string& key, const std::string& value);
std::string insert_entry(const std::string& text, const TextNode& map, const std::string& key, const std::string& value);
// A new entry whose value is a mapping of `entries`: in block style under a block map.
std::string insert_map_entry(const std::string& text, const TextNode& map, const std::string& key,
                             const Entries& entries);
// What becomes of the comments in the lines a removal takes: kept in place (a delete:
// every comment survives), or gone with them (a move: they went with the copy).
enum class Comments { Keep, Drop };

// Fails (returns false) where the entry is the first of a list item written on the
// dash's line, which cannot go without its item.
bool remove_entry(std::string& text, const TextNode& map, const std::string& key, Comments comments = Comments::Keep);

// A new item at `index` (size(): at the end): a mapping of `entries`, written like its
// neighbour (block or flow; an empty flow list gets a flow item).
std::string insert_map_item(const std::string& text, const TextNode& seq, size_t index, const Entries& entries);
// An item's own text, to copy or move it: a flow item as written; a block item's lines
// from its dash to the end of its last line, shifted so the dash is at column 0.
// `attached`: with the comment lines right above a block item (they describe it).
struct ItemText {
    std::string text;
    bool block = false;
};
ItemText item_text(const std::string& text, const TextNode& seq, size_t index, bool attached = false);
// `item` inserted at `index` of `seq` (size(): at the end), shifted to the list's dash
// column. A block item goes only into a block list (false otherwise: `text` unchanged).
bool insert_item(std::string& text, const TextNode& seq, size_t index, const ItemText& item);
// A new entry `key` of `map` holding a list of the one `item` (block under a block map).
bool insert_list_entry(std::string& text, const TextNode& map, const std::string& key, const ItemText& item);
// Comments::Drop also takes the comment lines attached above a block item.
std::string remove_item(const std::string& text, const TextNode& seq, size_t index, Comments comments = Comments::Keep);

// Where an item starts: a block item at its dash, a flow item at its first character.
size_t item_start(const std::string& text, const TextNode& seq, size_t index);

}  // namespace vitrine::edit
