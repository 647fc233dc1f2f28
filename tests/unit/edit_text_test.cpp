// The editor's text layer: yaml::text_tree's spans over every shipped scene and every
// example of docs/scene-file.md (plain scalars span their own text, quoted ones their
// quotes, collections their children), a no-edit open and save that gives the same bytes
// back, and edit/yaml_text's changes on small literal YAML texts, byte for byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "edit/document.h"
#include "edit/yaml_text.h"
#include "temp_dir.h"
#include "yaml/text_tree.h"

namespace fs = std::filesystem;

namespace vitrine::edit {
namespace {

using yaml::TextNode;

const fs::path kSource = VITRINE_SOURCE_DIR;

using test::read_text;

std::vector<fs::path> shipped_scenes() {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(kSource / "scenes")) {
        std::string name = e.path().filename().string();
        if (name.size() > 11 && name.substr(name.size() - 11) == ".scene.yaml") out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Every ```yaml block of docs/scene-file.md, without the fence's own indentation.
std::vector<std::string> doc_examples() {
    std::istringstream in(read_text(kSource / "docs" / "scene-file.md"));
    std::vector<std::string> out;
    std::string line, block;
    bool inside = false;
    size_t indent = 0;
    while (std::getline(in, line)) {
        size_t first = line.find_first_not_of(' ');
        std::string trimmed = first == std::string::npos ? "" : line.substr(first);
        if (!inside && trimmed == "```yaml") {
            inside = true;
            indent = first;
            block.clear();
        } else if (inside && trimmed == "```") {
            inside = false;
            out.push_back(block);
        } else if (inside) {
            size_t cut = std::min(indent, line.find_first_not_of(' ') == std::string::npos ? line.size()
                                                                                            : line.find_first_not_of(' '));
            block += line.substr(cut) + "\n";
        }
    }
    return out;
}

// A copy of scenes/ with assets/ beside it (a link), so `search: [../assets]` resolves.
fs::path copy_scenes(const test::TempDir& dir) {
    fs::copy(kSource / "scenes", dir.path / "scenes", fs::copy_options::recursive);
    fs::create_directory_symlink(kSource / "assets", dir.path / "assets");
    return dir.path / "scenes";
}

// Every span of `n` (and below) is as text_tree promises over `text`.
void check_spans(const std::string& text, const TextNode& n, const std::string& where, int& scalars) {
    ASSERT_LE(n.start, n.end) << where;
    ASSERT_LE(n.end, text.size()) << where;
    std::string span = text.substr(n.start, n.end - n.start);
    EXPECT_EQ(n.column, yaml::column_of(text, n.start)) << where;
    switch (n.kind) {
    case TextNode::Kind::Scalar:
        ++scalars;
        if (n.style == 0) {
            EXPECT_EQ(span, n.value) << where << ": a plain scalar's span is its value";
        } else if (n.style == '\'' || n.style == '"') {
            ASSERT_GE(span.size(), 2u) << where;
            EXPECT_EQ(span.front(), n.style) << where << ": " << span;
            EXPECT_EQ(span.back(), n.style) << where << ": " << span;
        } else {
            EXPECT_TRUE(n.style == '|' || n.style == '>') << where;
            EXPECT_EQ(span.front(), n.style) << where;
        }
        break;
    case TextNode::Kind::Null:
        EXPECT_TRUE(span.empty() || span == "~" || span == "null" || span == "Null" || span == "NULL")
            << where << ": a null's span is empty or its word, got '" << span << "'";
        break;
    case TextNode::Kind::Map:
    case TextNode::Kind::Seq: {
        if (n.flow) {
            EXPECT_EQ(span.front(), n.is_map() ? '{' : '[') << where;
            EXPECT_EQ(span.back(), n.is_map() ? '}' : ']') << where;
        }
        auto inside = [&](const TextNode& child, const std::string& what) {
            EXPECT_GE(child.start, n.start) << what << " starts before its parent's span";
            EXPECT_LE(child.end, n.end) << what << " ends after its parent's span";
        };
        size_t previous_end = n.start;
        for (size_t i = 0; i < n.entries.size(); ++i) {
            const auto& [k, v] = n.entries[i];
            std::string w = where + "/" + (k.is_scalar() ? k.value : "#" + std::to_string(i));
            inside(k, w + " (key)");
            inside(v, w);
            EXPECT_GE(k.start, previous_end) << w << ": entries in file order";
            EXPECT_LE(k.end, v.start) << w << ": a key before its value";
            previous_end = v.end;
            check_spans(text, k, w + " (key)", scalars);
            check_spans(text, v, w, scalars);
        }
        for (size_t i = 0; i < n.items.size(); ++i) {
            std::string w = where + "[" + std::to_string(i) + "]";
            inside(n.items[i], w);
            EXPECT_GE(n.items[i].start, previous_end) << w << ": items in file order";
            previous_end = n.items[i].end;
            check_spans(text, n.items[i], w, scalars);
        }
        break;
    }
    case TextNode::Kind::Alias:
        break;
    }
}

TEST(EditTextTree, EveryShippedSceneHasExactSpans) {
    auto scenes = shipped_scenes();
    ASSERT_GE(scenes.size(), 3u);
    for (const fs::path& p : scenes) {
        SCOPED_TRACE(p.filename().string());
        std::string text = read_text(p);
        std::string why;
        auto tree = yaml::text_tree(text, &why);
        ASSERT_TRUE(tree) << why;
        ASSERT_TRUE(tree->is_map());
        EXPECT_FALSE(tree->flow);
        int scalars = 0;
        check_spans(text, *tree, p.filename().string(), scalars);
        EXPECT_GT(scalars, 20);
        // The root holds every top-level key, from the first to the last value.
        EXPECT_NE(tree->get("nodes"), nullptr);
        ASSERT_FALSE(tree->entries.empty());
        EXPECT_EQ(tree->start, tree->entries.front().first.start);
        EXPECT_EQ(tree->end, tree->entries.back().second.end);
    }
}

TEST(EditTextTree, EveryDocExampleHasExactSpans) {
    auto examples = doc_examples();
    ASSERT_GE(examples.size(), 4u) << "docs/scene-file.md has its ```yaml examples";
    for (size_t i = 0; i < examples.size(); ++i) {
        SCOPED_TRACE("docs/scene-file.md example " + std::to_string(i + 1));
        std::string why;
        auto tree = yaml::text_tree(examples[i], &why);
        ASSERT_TRUE(tree) << why;
        int scalars = 0;
        check_spans(examples[i], *tree, "example" + std::to_string(i + 1), scalars);
        EXPECT_GT(scalars, 3);
    }
}

TEST(EditTextTree, SpansOfEachKind) {
    const std::string text =
        "a: plain words   # a comment\n"
        "b: 'it''s'\n"
        "c: \"say \\\"hi\\\"\"\n"
        "d:\n"
        "e: ~\n"
        "f: [1, two, {g: 3}]\n"
        "h:\n"
        "  - x\n"
        "  - y: 1\n"
        "    z: 2\n";
    auto tree = yaml::text_tree(text);
    ASSERT_TRUE(tree);
    auto span = [&](const TextNode* n) { return text.substr(n->start, n->end - n->start); };
    EXPECT_EQ(span(tree->get("a")), "plain words");
    EXPECT_EQ(tree->get("b")->value, "it's");
    EXPECT_EQ(span(tree->get("b")), "'it''s'");
    EXPECT_EQ(tree->get("b")->style, '\'');
    EXPECT_EQ(tree->get("c")->value, "say \"hi\"");
    EXPECT_EQ(span(tree->get("c")), "\"say \\\"hi\\\"\"");
    const TextNode* d = tree->get("d");
    EXPECT_EQ(d->kind, TextNode::Kind::Null);
    EXPECT_EQ(d->start, d->end);
    EXPECT_EQ(d->start, text.find("d:") + 2) << "an empty null sits just after its key's ':'";
    EXPECT_EQ(span(tree->get("e")), "~");
    const TextNode* f = tree->get("f");
    EXPECT_TRUE(f->is_seq() && f->flow);
    EXPECT_EQ(span(f), "[1, two, {g: 3}]");
    ASSERT_EQ(f->items.size(), 3u);
    EXPECT_TRUE(f->items[2].is_map() && f->items[2].flow);
    EXPECT_EQ(span(&f->items[2]), "{g: 3}");
    const TextNode* h = tree->get("h");
    EXPECT_TRUE(h->is_seq() && !h->flow);
    ASSERT_EQ(h->items.size(), 2u);
    EXPECT_EQ(span(&h->items[0]), "x");
    EXPECT_EQ(span(&h->items[1]), "y: 1\n    z: 2");
    EXPECT_EQ(h->items[1].column, 4);
}

TEST(EditTextTree, RefusesWhatCannotBeEditedInPlace) {
    std::string why;
    EXPECT_FALSE(yaml::text_tree("a: one\n  two\n", &why)) << "a plain scalar folded over two lines";
    EXPECT_EQ(why, "1:4: a value written over several lines cannot be edited in place");
    why.clear();
    EXPECT_FALSE(yaml::text_tree("a: {b: 1\nc: 2\n", &why));
    EXPECT_EQ(why.rfind("1:", 0), 0u) << "LINE:COLUMN first: " << why;
    why.clear();
    EXPECT_FALSE(yaml::text_tree("a: [1, 2\n", &why)) << "an unclosed bracket";
    EXPECT_FALSE(why.empty());
}

// Document::open names the file and the line of what it cannot edit in place, as every
// other error does ("FILE:line N: ...").
TEST(EditTextTree, OpenRefusalNamesTheLine) {
    test::TempDir dir("edit_open_refused");
    fs::path folded = dir.write("folded.scene.yaml", "vitrine: 1\nseed: 1\nstart: one\n  two\n");
    auto a = Document::open(folded);
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().message.rfind(folded.string() + ":3:", 0), 0u) << a.error().message;
    EXPECT_NE(a.error().message.find("a value written over several lines cannot be edited in place"), std::string::npos);
    fs::path unclosed = dir.write("unclosed.scene.yaml", "vitrine: 1\nseed: 1\nsearch: [1, 2\n");
    auto b = Document::open(unclosed);
    ASSERT_FALSE(b) << "an unclosed bracket";
    EXPECT_EQ(b.error().message.rfind(unclosed.string() + ":", 0), 0u) << b.error().message;
    EXPECT_EQ(b.error().message.rfind(unclosed.string() + ":3:", 0), 0u) << "the line of the bracket: " << b.error().message;
}

// ---- round trip: open, save with no edit, the same bytes --------------------------------

TEST(EditRoundTrip, ShippedScenesSaveByteIdentical) {
    test::TempDir dir("edit_round_trip");
    fs::path scenes = copy_scenes(dir);
    auto originals = shipped_scenes();
    ASSERT_GE(originals.size(), 3u);
    for (const fs::path& original : originals) {
        fs::path p = scenes / original.filename();
        SCOPED_TRACE(p.filename().string());
        const std::string before = read_text(p);
        ASSERT_EQ(before, read_text(original));
        auto doc = Document::open(p);
        ASSERT_TRUE(doc) << doc.error().message;
        Document& d = **doc;
        EXPECT_EQ(d.text(), before);
        EXPECT_FALSE(d.unsaved());
        EXPECT_TRUE(d.problems().empty()) << d.problems()[0].str();
        EXPECT_NE(d.loaded(), nullptr) << "a shipped scene loads, assets and all";
        auto saved = d.save();
        ASSERT_TRUE(saved) << saved.error().message;
        EXPECT_EQ(read_text(p), before) << "saved with no edit: byte-identical";
        fs::path backup = p;
        backup += "~";
        EXPECT_EQ(read_text(backup), before);
        EXPECT_FALSE(d.changed_on_disk());
    }
}

TEST(EditRoundTrip, DocExamplesSaveByteIdentical) {
    test::TempDir dir("edit_round_trip_docs");
    auto examples = doc_examples();
    ASSERT_GE(examples.size(), 4u);
    for (size_t i = 0; i < examples.size(); ++i) {
        SCOPED_TRACE("docs/scene-file.md example " + std::to_string(i + 1));
        fs::path p = dir.write("example" + std::to_string(i + 1) + ".scene.yaml", examples[i]);
        auto doc = Document::open(p);
        ASSERT_TRUE(doc) << doc.error().message;
        Document& d = **doc;
        EXPECT_EQ(d.text(), examples[i]);
        // The examples name assets that are not here: saving them takes force.
        auto saved = d.save(true);
        ASSERT_TRUE(saved) << saved.error().message;
        EXPECT_EQ(read_text(p), examples[i]);
    }
}

// ---- yaml_text on small texts -------------------------------------------------------------

TextNode tree(const std::string& text) {
    std::string why;
    auto t = yaml::text_tree(text, &why);
    EXPECT_TRUE(t) << why << "\n" << text;
    return t ? *t : TextNode{};
}

TEST(EditYamlText, NumbersAndScalarsAsWritten) {
    EXPECT_EQ(number(0.2), "0.2");
    EXPECT_EQ(number(-0.75f), "-0.75");
    EXPECT_EQ(number(12.0), "12");
    EXPECT_EQ(number(-0.0), "0");
    EXPECT_EQ(numbers({0.2f, 0, 0}), "[0.2, 0, 0]");
    EXPECT_EQ(numbers({3.5f}), "3.5");
    EXPECT_EQ(scalar("vase"), "vase");
    EXPECT_EQ(scalar("the bronze vase"), "the bronze vase");
    EXPECT_EQ(scalar("12"), "\"12\"") << "a number-like string stays a string";
    EXPECT_EQ(scalar("yes"), "\"yes\"");
    EXPECT_EQ(scalar("a, b"), "\"a, b\"");
    EXPECT_EQ(scalar("a: b"), "\"a: b\"");
    EXPECT_EQ(scalar("say \"hi\""), "\"say \\\"hi\\\"\"");
    EXPECT_EQ(scalar(""), "\"\"");
    EXPECT_EQ(scalar("-x"), "\"-x\"");
}

TEST(EditYamlText, InsertIntoEmptyFlowMap) {
    const std::string text = "look: {}\nseed: 1\n";
    TextNode t = tree(text);
    const TextNode* look = t.get("look");
    ASSERT_TRUE(look && look->is_map() && look->flow && look->entries.empty());
    std::string out = insert_entry(text, *look, "exposure", "0.5");
    EXPECT_EQ(out, "look: {exposure: 0.5}\nseed: 1\n");
    // And a second one after it.
    TextNode t2 = tree(out);
    EXPECT_EQ(insert_entry(out, *t2.get("look"), "tonemap", "aces"), "look: {exposure: 0.5, tonemap: aces}\nseed: 1\n");
    // set_entry on the flow map replaces a present value in place.
    EXPECT_EQ(set_entry(out, *t2.get("look"), "exposure", "-1"), "look: {exposure: -1}\nseed: 1\n");
}

TEST(EditYamlText, InsertIntoBlockMapAfterTrailingComment) {
    const std::string text =
        "node:\n"
        "  name: vase      # the bronze one\n"
        "  model: bronze   # see assets\n"
        "other: 1\n";
    TextNode t = tree(text);
    std::string out = insert_entry(text, *t.get("node"), "scale", "2");
    EXPECT_EQ(out,
              "node:\n"
              "  name: vase      # the bronze one\n"
              "  model: bronze   # see assets\n"
              "  scale: 2\n"
              "other: 1\n");
    TextNode back = tree(out);
    EXPECT_EQ(back.get("node")->get("scale")->value, "2");
    EXPECT_EQ(back.get("node")->get("model")->value, "bronze");
    // A block mapping value, in block style under the block map.
    std::string nested = insert_map_entry(text, *t.get("node"), "light", {{"type", "spot"}, {"intensity", "4"}});
    EXPECT_EQ(nested,
              "node:\n"
              "  name: vase      # the bronze one\n"
              "  model: bronze   # see assets\n"
              "  light:\n"
              "    type: spot\n"
              "    intensity: 4\n"
              "other: 1\n");
}

TEST(EditYamlText, InsertIntoBlockMapAtTheEndOfTheText) {
    const std::string text = "a: 1  # one\nb: 2  # two";  // no final newline
    TextNode t = tree(text);
    EXPECT_EQ(insert_entry(text, t, "c", "3"), "a: 1  # one\nb: 2  # two\nc: 3");
}

TEST(EditYamlText, RemoveTheOnlyItemOfAFlowList) {
    const std::string text = "search: [../assets]\nseed: 1\n";
    TextNode t = tree(text);
    EXPECT_EQ(remove_item(text, *t.get("search"), 0), "search: []\nseed: 1\n");
    const std::string three = "l: [1, 2, 3]\n";
    TextNode t3 = tree(three);
    EXPECT_EQ(remove_item(three, *t3.get("l"), 0), "l: [2, 3]\n");
    EXPECT_EQ(remove_item(three, *t3.get("l"), 1), "l: [1, 3]\n");
    EXPECT_EQ(remove_item(three, *t3.get("l"), 2), "l: [1, 2]\n");
}

TEST(EditYamlText, FlowListInsertions) {
    const std::string empty = "l: []\n";
    TextNode t = tree(empty);
    EXPECT_EQ(insert_map_item(empty, *t.get("l"), 0, {{"t", "0"}, {"value", "1"}}), "l: [{t: 0, value: 1}]\n");
    const std::string two = "l: [{t: 0}, {t: 2}]\n";
    TextNode t2 = tree(two);
    EXPECT_EQ(insert_map_item(two, *t2.get("l"), 1, {{"t", "1"}}), "l: [{t: 0}, {t: 1}, {t: 2}]\n");
    EXPECT_EQ(insert_map_item(two, *t2.get("l"), 2, {{"t", "3"}}), "l: [{t: 0}, {t: 2}, {t: 3}]\n");
    std::string item = two;
    EXPECT_TRUE(insert_item(item, *t2.get("l"), 0, ItemText{"{t: -1}", false}));
    EXPECT_EQ(item, "l: [{t: -1}, {t: 0}, {t: 2}]\n");
    std::string block = two;
    EXPECT_FALSE(insert_item(block, *t2.get("l"), 0, ItemText{"- t: 5", true})) << "block lines never go in brackets";
    EXPECT_EQ(block, two);
}

TEST(EditYamlText, InsertBlockItemBeforeAnItemWithAComment) {
    const std::string text =
        "keys:\n"
        "  - {t: 0, value: 1}\n"
        "  # the peak\n"
        "  - {t: 8, value: 3}\n";
    TextNode t = tree(text);
    std::string out = insert_map_item(text, *t.get("keys"), 1, {{"t", "4"}, {"value", "2"}});
    TextNode back = tree(out);
    ASSERT_EQ(back.get("keys")->items.size(), 3u);
    EXPECT_EQ(back.get("keys")->items[1].get("t")->value, "4");
    EXPECT_NE(out.find("  - {t: 4, value: 2}\n"), std::string::npos) << out;
    // The comment above an item describes it (item_text's `attached`, remove_item's
    // Comments::Drop): an item inserted before it goes above its comment.
    EXPECT_EQ(out, "keys:\n"
                   "  - {t: 0, value: 1}\n"
                   "  - {t: 4, value: 2}\n"
                   "  # the peak\n"
                   "  - {t: 8, value: 3}\n");
}

TEST(EditYamlText, InsertBlockMapItemInTheSiblingsStyle) {
    const std::string text =
        "nodes:\n"
        "  - name: a\n"
        "    model: m\n"
        "  # b is next\n"
        "  - name: b\n";
    TextNode t = tree(text);
    // At the end: after the last item's lines, at the dash column, content aligned.
    EXPECT_EQ(insert_map_item(text, *t.get("nodes"), 2, {{"name", "c"}, {"model", "m"}}),
              text + "  - name: c\n    model: m\n");
    // The item text of a block item, shifted to column 0, and inserted again.
    ItemText a = item_text(text, *t.get("nodes"), 0);
    EXPECT_TRUE(a.block);
    EXPECT_EQ(a.text, "- name: a\n  model: m");
    ItemText b = item_text(text, *t.get("nodes"), 1, true);
    EXPECT_EQ(b.text, "# b is next\n- name: b") << "attached: with the comment above it";
    std::string out = text;
    ASSERT_TRUE(insert_item(out, *t.get("nodes"), 2, a));
    EXPECT_EQ(out, text + "  - name: a\n    model: m\n");
}

TEST(EditYamlText, RemoveEntryKeepsCommentLinesByDefault) {
    const std::string text =
        "node:\n"
        "  name: vase\n"
        "  light:\n"
        "    # warm, from the left\n"
        "    type: spot   # a cone\n"
        "    intensity: 4\n"
        "  scale: 1\n";
    TextNode t = tree(text);
    std::string kept = text;
    ASSERT_TRUE(remove_entry(kept, *t.get("node"), "light"));
    EXPECT_EQ(kept,
              "node:\n"
              "  name: vase\n"
              "    # warm, from the left\n"
              "  scale: 1\n");
    std::string dropped = text;
    ASSERT_TRUE(remove_entry(dropped, *t.get("node"), "light", Comments::Drop));
    EXPECT_EQ(dropped, "node:\n  name: vase\n  scale: 1\n");
    // A key that is not there: nothing to do.
    std::string same = text;
    EXPECT_TRUE(remove_entry(same, *t.get("node"), "nowhere"));
    EXPECT_EQ(same, text);
}

TEST(EditYamlText, RemoveEntryOfFlowMapAndOnTheDashLine) {
    const std::string flow = "n: {a: 1, b: 2, c: 3}\n";
    TextNode t = tree(flow);
    for (auto [key, want] : std::vector<std::pair<std::string, std::string>>{
             {"a", "n: {b: 2, c: 3}\n"}, {"b", "n: {a: 1, c: 3}\n"}, {"c", "n: {a: 1, b: 2}\n"}}) {
        std::string out = flow;
        ASSERT_TRUE(remove_entry(out, *t.get("n"), key));
        EXPECT_EQ(out, want) << key;
    }
    const std::string dash = "l:\n  - name: a\n    x: 1\n";
    TextNode td = tree(dash);
    std::string out = dash;
    EXPECT_FALSE(remove_entry(out, td.get("l")->items[0], "name")) << "the first entry on the dash's line stays";
    EXPECT_EQ(out, dash);
    ASSERT_TRUE(remove_entry(out, td.get("l")->items[0], "x"));
    EXPECT_EQ(out, "l:\n  - name: a\n");
}

TEST(EditYamlText, RemoveBlockItemKeepsOrDropsItsComment) {
    const std::string text =
        "l:\n"
        "  - a\n"
        "  # about b\n"
        "  - b\n"
        "  - c\n";
    TextNode t = tree(text);
    EXPECT_EQ(remove_item(text, *t.get("l"), 1), "l:\n  - a\n  # about b\n  - c\n");
    EXPECT_EQ(remove_item(text, *t.get("l"), 1, Comments::Drop), "l:\n  - a\n  - c\n");
    EXPECT_EQ(remove_item(text, *t.get("l"), 2), "l:\n  - a\n  # about b\n  - b\n");
}

TEST(EditYamlText, NullValueReplaced) {
    const std::string text = "camera:\nseed: 1\n";
    TextNode t = tree(text);
    const TextNode* cam = t.get("camera");
    ASSERT_EQ(cam->kind, TextNode::Kind::Null);
    EXPECT_EQ(replace(text, *cam, "cam"), "camera: cam\nseed: 1\n");
    EXPECT_EQ(set_entry(text, t, "camera", "cam"), "camera: cam\nseed: 1\n");
    // A written null is replaced, word and all.
    const std::string tilde = "camera: ~   # none yet\n";
    TextNode t2 = tree(tilde);
    EXPECT_EQ(set_entry(tilde, t2, "camera", "cam"), "camera: cam   # none yet\n");
    const std::string word = "camera: null\n";
    TextNode t3 = tree(word);
    EXPECT_EQ(set_entry(word, t3, "camera", "cam"), "camera: cam\n");
    // A mapping where there was a null: a flow mapping in its place.
    const std::string look = "look:\nseed: 1\n";
    TextNode t4 = tree(look);
    EXPECT_EQ(insert_entry(look, *t4.get("look"), "exposure", "1"), "look: {exposure: 1}\nseed: 1\n");
}

TEST(EditYamlText, QuotedValuesRewritten) {
    const std::string text =
        "cues:\n"
        "  - id: \"1\"\n"
        "    name: 'the vase''s cue'   # single\n"
        "  - id: '2'\n"
        "    name: \"the jar\"\n";
    TextNode t = tree(text);
    const TextNode& c1 = t.get("cues")->items[0];
    const TextNode& c2 = t.get("cues")->items[1];
    EXPECT_EQ(c1.get("name")->value, "the vase's cue");
    EXPECT_EQ(replace(text, *c1.get("name"), "'it''s new'"),
              "cues:\n"
              "  - id: \"1\"\n"
              "    name: 'it''s new'   # single\n"
              "  - id: '2'\n"
              "    name: \"the jar\"\n");
    EXPECT_EQ(replace(text, *c2.get("name"), "\"a \\\"new\\\" jar\""),
              "cues:\n"
              "  - id: \"1\"\n"
              "    name: 'the vase''s cue'   # single\n"
              "  - id: '2'\n"
              "    name: \"a \\\"new\\\" jar\"\n");
    EXPECT_EQ(replace(text, *c2.get("id"), "'20'"),
              "cues:\n"
              "  - id: \"1\"\n"
              "    name: 'the vase''s cue'   # single\n"
              "  - id: '20'\n"
              "    name: \"the jar\"\n");
    // What yaml-cpp reads back is the new value.
    TextNode back = tree(replace(text, *c2.get("name"), "\"a \\\"new\\\" jar\""));
    EXPECT_EQ(back.get("cues")->items[1].get("name")->value, "a \"new\" jar");
}

}  // namespace
}  // namespace vitrine::edit

namespace vitrine::edit {
namespace {

// Hostile files the editor is asked to open: one line naming the file and the place,
// never a crash (yaml-cpp recurses once per nesting level: 100 000 '[' would overflow it).
TEST(EditTextTree, RefusesDeepNestingAndNonUtf8) {
    test::TempDir dir("edit_hostile");
    std::string deep = "a: " + std::string(100000, '[') + "\n";
    fs::path nested = dir.write("deep.scene.yaml", deep);
    auto a = Document::open(nested);
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().message.rfind(nested.string() + ":1:", 0), 0u) << a.error().message;
    EXPECT_NE(a.error().message.find("nested deeper than"), std::string::npos) << a.error().message;
    fs::path binary = dir.write("bin.scene.yaml", std::string("vitrine: 1\nseed: \xff\xfe\n", 21));
    auto b = Document::open(binary);
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error().message.rfind(binary.string() + ":2:", 0), 0u) << b.error().message;
}

}  // namespace
}  // namespace vitrine::edit
