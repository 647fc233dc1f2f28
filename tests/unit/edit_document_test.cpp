// The editor's document (edit/document.h) on copies of the shipped demo: a scripted
// sequence of 50 edits whose saved file re-parses to exactly the edited values and
// differs from the original only in the lines of those values (every comment kept);
// 200 seeded random edits undone to the original bytes and redone to the edited ones;
// the command language's refusals (unknown verbs, argument counts, quotes, lists), a
// failing command that leaves the text alone, saves refused with problems and forced,
// SCENE~, and a file changed behind the document's back.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "edit/command.h"
#include "edit/document.h"
#include "yaml/text_tree.h"
#include "show/load.h"
#include "show/loader.h"
#include "temp_dir.h"

namespace fs = std::filesystem;

namespace vitrine::edit {
namespace {

const fs::path kSource = VITRINE_SOURCE_DIR;

using test::read_text;

void write_text(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) out.push_back(line);
    return out;
}

// A copy of scenes/ (hooks and displays too) with assets/ beside it as a link, so the
// demo's `search: [../assets]` resolves; the repository is never written.
fs::path demo_copy(const test::TempDir& dir) {
    fs::copy(kSource / "scenes", dir.path / "scenes", fs::copy_options::recursive);
    fs::create_directory_symlink(kSource / "assets", dir.path / "assets");
    return dir.path / "scenes" / "demo.scene.yaml";
}

std::unique_ptr<Document> open_doc(const fs::path& p) {
    auto doc = Document::open(p);
    EXPECT_TRUE(doc) << doc.error().message;
    return doc ? std::move(*doc) : nullptr;
}

// The lines of `a` that are not in a longest common subsequence with `b` (removed),
// and those of `b` not in it (added).
struct LineDiff {
    std::vector<std::string> removed, added;
    size_t common = 0;
};

LineDiff diff_lines(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    const size_t n = a.size(), m = b.size();
    std::vector<std::vector<uint32_t>> lcs(n + 1, std::vector<uint32_t>(m + 1, 0));
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    LineDiff d;
    size_t i = 0, j = 0;
    while (i < n && j < m) {
        if (a[i] == b[j]) {
            ++d.common, ++i, ++j;
        } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
            d.removed.push_back(a[i++]);
        } else {
            d.added.push_back(b[j++]);
        }
    }
    while (i < n) d.removed.push_back(a[i++]);
    while (j < m) d.added.push_back(b[j++]);
    return d;
}

const show::Node& node(const show::SceneFile& s, const std::string& name) {
    int i = s.node_index(name);
    EXPECT_GE(i, 0) << "no node " << name;
    static const show::Node none;
    return i < 0 ? none : s.nodes[size_t(i)];
}

const show::Track* track(const show::SceneFile& s, const std::string& timeline, const std::string& target) {
    const show::Timeline* tl = s.timeline(timeline);
    if (!tl) return nullptr;
    for (const show::Track& t : tl->tracks)
        if (t.target == target) return &t;
    return nullptr;
}

const show::Cue* cue(const show::SceneFile& s, const std::string& id) {
    for (const show::Cue& c : s.cues)
        if (c.id == id) return &c;
    return nullptr;
}

std::vector<double> key_times(const show::Track* t) {
    std::vector<double> out;
    if (t)
        for (const show::Key& k : t->keys) out.push_back(k.t);
    return out;
}

glm::vec3 v3(float x, float y, float z) { return {x, y, z}; }

// ---- 2. fifty scripted edits on the demo ------------------------------------------------

TEST(EditScripted, FiftyEditsOnTheDemo) {
    test::TempDir dir("edit_scripted");
    const fs::path path = demo_copy(dir);
    const std::string original = read_text(path);
    ASSERT_EQ(original, read_text(kSource / "scenes" / "demo.scene.yaml"));
    auto doc = open_doc(path);
    ASSERT_TRUE(doc);
    ASSERT_TRUE(doc->problems().empty()) << doc->problems()[0].str();
    const show::SceneFile before = doc->scene();

    const std::vector<std::string> edits = {
        "move vase -0.2 0 0",                                   // 1
        "move bowl 0 0.1 0",                                    // 2: a node written as a flow mapping
        "turn jar 0 10 0",                                      // 3
        "move sweep 0.5 0 0",                                   // 4
        "turn sweep 5 0 0",                                     // 5
        "set look.exposure 0.3",                                // 6
        "set environment.intensity 0.8",                        // 7
        "set environment.rotation 15",                          // 8
        "set idle_timeout 90",                                  // 9
        "set seed 11",                                          // 10
        "set vase.scale 1.2",                                   // 11: a new key of a block mapping
        "set bowl.visible false",                               // 12: a new key of a flow mapping
        "set sweep.intensity 14",                               // 13
        "set gallery_cam.fov 38",                               // 14
        "set tone.gain 0.5",                                    // 15
        "set sweep.light.inner_cone 12",                        // 16
        "key add attract sweep.translation 7.5 [0, 1.5, 1.2]",  // 17: between two keys
        "key add tour sweep.translation 20 [0.55, 1.6, 1.0]",   // 18: after the last
        "key add attract sweep.translation 15 [1, 1.6, 1.2]",   // 19: onto a key: its value
        "key move tour sweep.translation 8 9",                  // 20: in place
        "key move attract sweep.translation 7.5 20",            // 21: past another key
        "key delete tour detail_cam.orbit 14",                  // 22
        "key add tour detail_cam.orbit 12 [0, 20, 0.9, 0, 0.22, 0]",  // 23: CUBICSPLINE: tangents
        "cue set 1 prewait 0.5",                                // 24
        "cue set 2 name the jar, in blue",                      // 25
        "cue set 3 prewait 1.5",                                // 26
        "cue set 10 name touch on the jar",                     // 27
        "cue add 4 \"closing words\"",                          // 28
        "cue set 4 prewait 2",                                  // 29
        "cue add 5",                                            // 30
        "cue delete 5",                                         // 31
        "cue set 11 prewait 0.25",                              // 32
        "node add light fill",                                  // 33
        "move fill 0 0.5 0",                                    // 34
        "node add model bronze2 bronze under gallery",          // 35
        "move bronze2 0.3 0 -0.4",                              // 36
        "node rename bronze2 second_vase",                      // 37
        "node duplicate bowl bowl_copy",                        // 38
        "move bowl_copy 0 0 0.5",                               // 39
        "node add group shelf",                                 // 40
        "node add camera side_cam",                             // 41
        "node delete side_cam",                                 // 42
        "node duplicate sweep sweep2",                          // 43
        "set sweep2.color [0.9, 0.9, 1]",                       // 44
        "node rename sweep2 rim",                               // 45
        "node delete shelf",                                    // 46
        "key delete attract sweep.translation 30",              // 47
        "node delete bell_ring",                                // 48: the vase's only child
        "set detail_cam.fov 32",                                // 49
        "node rename narrator voice",                           // 50: referenced by cues
    };
    ASSERT_EQ(edits.size(), 50u);
    for (size_t i = 0; i < edits.size(); ++i) {
        std::string text = doc->text();
        size_t depth = doc->undo_depth();
        auto r = doc->apply(edits[i]);
        ASSERT_TRUE(r) << "edit " << i + 1 << " '" << edits[i] << "': " << r.error().message;
        EXPECT_NE(doc->text(), text) << "edit " << i + 1 << " changed nothing";
        EXPECT_EQ(doc->undo_depth(), depth + 1) << "edit " << i + 1;
        EXPECT_TRUE(doc->problems().empty())
            << "after edit " << i + 1 << " '" << edits[i] << "': " << doc->problems()[0].str() << "\n" << doc->text();
    }
    EXPECT_TRUE(doc->unsaved());
    auto saved = doc->save();
    ASSERT_TRUE(saved) << saved.error().message;
    EXPECT_FALSE(doc->unsaved());
    const std::string text = read_text(path);
    EXPECT_EQ(text, doc->text());
    EXPECT_EQ(read_text(fs::path(path.string() + "~")), original) << "SCENE~ holds the previous version";
    EXPECT_EQ(read_text(kSource / "scenes" / "demo.scene.yaml"), original) << "the repository's demo is untouched";

    // The saved file: no problems, parsed or loaded.
    std::vector<show::Problem> problems;
    show::SceneFile s = show::parse_scene(path, text, problems);
    EXPECT_TRUE(problems.empty()) << problems[0].str();
    std::vector<show::Problem> load_problems;
    auto loaded = show::load_scene(path, load_problems);
    EXPECT_TRUE(loaded);
    EXPECT_TRUE(load_problems.empty()) << load_problems[0].str();

    // Each edit's effect, exactly (floats: the sum the editor made, written shortest and read back).
    EXPECT_EQ(node(s, "vase").translation, v3(-0.55f + -0.2f, 0, 0));          // 1
    EXPECT_EQ(node(s, "bowl").translation, v3(0.55f, 0.1f, 0));                 // 2
    EXPECT_EQ(node(s, "bowl").rotation, v3(0, 80, 0));
    EXPECT_EQ(node(s, "jar").rotation, v3(0, 50, 0));                           // 3
    EXPECT_EQ(node(s, "sweep").translation, v3(-1 + 0.5f, 1.5f, 1.2f));         // 4
    EXPECT_EQ(node(s, "sweep").rotation, v3(-40, 0, 0));                        // 5
    EXPECT_FLOAT_EQ(s.look.exposure, 0.3f);                                     // 6
    EXPECT_EQ(s.look.tonemap, "khr-pbr-neutral");
    EXPECT_FLOAT_EQ(s.environment.intensity, 0.8f);                             // 7
    EXPECT_FLOAT_EQ(s.environment.rotation, 15);                                // 8
    EXPECT_EQ(s.idle_timeout, 90);                                              // 9
    EXPECT_EQ(s.seed, 11u);                                                     // 10
    EXPECT_EQ(node(s, "vase").scale, v3(1.2f, 1.2f, 1.2f));                     // 11
    EXPECT_FALSE(node(s, "bowl").visible);                                      // 12
    ASSERT_TRUE(node(s, "sweep").light);
    EXPECT_FLOAT_EQ(node(s, "sweep").light->intensity, 14);                     // 13
    EXPECT_FLOAT_EQ(node(s, "sweep").light->inner_cone, 12);                    // 16
    EXPECT_FLOAT_EQ(node(s, "sweep").light->outer_cone, 24);
    ASSERT_TRUE(node(s, "gallery_cam").camera);
    EXPECT_FLOAT_EQ(node(s, "gallery_cam").camera->fov, 38);                    // 14
    EXPECT_FLOAT_EQ(node(s, "gallery_cam").camera->orbit->distance, 2.3f);
    ASSERT_TRUE(node(s, "tone").sound);
    EXPECT_FLOAT_EQ(node(s, "tone").sound->gain, 0.5f);                         // 15
    EXPECT_TRUE(node(s, "tone").sound->in_head);
    // 17, 19, 21, 47: attract's sweep keys at 0, 15 (new value), 20 (the moved 7.5); 30 gone.
    const show::Track* a_sweep = track(s, "attract", "sweep.translation");
    ASSERT_TRUE(a_sweep);
    EXPECT_EQ(key_times(a_sweep), (std::vector<double>{0, 15, 20}));
    EXPECT_EQ(a_sweep->keys[0].value, (std::vector<float>{-1, 1.5f, 1.2f}));
    EXPECT_EQ(a_sweep->keys[1].value, (std::vector<float>{1, 1.6f, 1.2f}));
    EXPECT_EQ(a_sweep->keys[2].value, (std::vector<float>{0, 1.5f, 1.2f}));
    // 18, 20: tour's STEP sweep keys at 0, 9 (moved from 8), 16, 20 (new).
    const show::Track* t_sweep = track(s, "tour", "sweep.translation");
    ASSERT_TRUE(t_sweep);
    EXPECT_EQ(t_sweep->interp, show::Interp::Step);
    EXPECT_EQ(key_times(t_sweep), (std::vector<double>{0, 9, 16, 20}));
    EXPECT_EQ(t_sweep->keys[1].value, (std::vector<float>{0, 1.5f, 1}));
    EXPECT_EQ(t_sweep->keys[3].value, (std::vector<float>{0.55f, 1.6f, 1}));
    // 22, 23: detail_cam's orbit without 14, with 12 (zero tangents: CUBICSPLINE).
    const show::Track* orbit = track(s, "tour", "detail_cam.orbit");
    ASSERT_TRUE(orbit);
    EXPECT_EQ(key_times(orbit), (std::vector<double>{0, 6, 8, 12, 16, 24}));
    EXPECT_EQ(orbit->keys[3].value, (std::vector<float>{0, 20, 0.9f, 0, 0.22f, 0}));
    EXPECT_EQ(orbit->keys[3].in, std::vector<float>(6, 0.0f));
    EXPECT_EQ(orbit->keys[3].out, std::vector<float>(6, 0.0f));
    EXPECT_EQ(orbit->keys[4].value, (std::vector<float>{20, 30, 0.9f, 0.55f, 0.15f, 0}));
    // Cues 24..32.
    std::vector<std::string> ids;
    for (const show::Cue& c : s.cues) ids.push_back(c.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"1", "2", "3", "10", "11", "4"}));
    ASSERT_TRUE(cue(s, "1") && cue(s, "2") && cue(s, "3") && cue(s, "10") && cue(s, "11") && cue(s, "4"));
    EXPECT_EQ(cue(s, "1")->prewait, 0.5);                                       // 24
    EXPECT_EQ(cue(s, "1")->name, "the bronze vase");
    EXPECT_EQ(cue(s, "2")->name, "the jar, in blue");                            // 25
    EXPECT_EQ(cue(s, "2")->prewait, 0);
    EXPECT_EQ(cue(s, "3")->prewait, 1.5);                                       // 26
    EXPECT_EQ(cue(s, "10")->name, "touch on the jar");                           // 27
    EXPECT_EQ(cue(s, "4")->name, "closing words");                               // 28
    EXPECT_TRUE(cue(s, "4")->actions.empty());
    EXPECT_EQ(cue(s, "4")->prewait, 2);                                         // 29
    EXPECT_EQ(cue(s, "5"), nullptr);                                            // 30, 31
    EXPECT_EQ(cue(s, "11")->prewait, 0.25);                                     // 32
    // Nodes 33..48, 50.
    ASSERT_TRUE(node(s, "fill").light);                                         // 33
    EXPECT_EQ(node(s, "fill").light->type, show::LightKind::Point);
    EXPECT_EQ(node(s, "fill").parent, -1);
    EXPECT_EQ(node(s, "fill").translation, v3(0, 2.5f, 1));                     // 34
    EXPECT_EQ(s.node_index("bronze2"), -1);                                     // 37
    EXPECT_EQ(node(s, "second_vase").model, "bronze");                          // 35
    EXPECT_EQ(node(s, "second_vase").parent, s.node_index("gallery"));
    EXPECT_EQ(node(s, "second_vase").translation, v3(0.3f, 0, -0.4f));          // 36
    EXPECT_EQ(node(s, "bowl_copy").model, "jade");                               // 38
    EXPECT_EQ(node(s, "bowl_copy").animation, "Turntable");
    EXPECT_EQ(node(s, "bowl_copy").parent, s.node_index("gallery"));
    EXPECT_EQ(s.node_index("bowl_copy"), s.node_index("bowl") + 1) << "a copy goes right after its original";
    EXPECT_FALSE(node(s, "bowl_copy").visible);
    EXPECT_EQ(node(s, "bowl_copy").rotation, v3(0, 80, 0));
    EXPECT_EQ(node(s, "bowl_copy").translation, v3(0.55f, 0.1f, 0.5f));         // 39
    EXPECT_EQ(s.node_index("shelf"), -1);                                       // 40, 46
    EXPECT_EQ(s.node_index("side_cam"), -1);                                    // 41, 42
    EXPECT_EQ(s.node_index("sweep2"), -1);                                      // 43, 45
    ASSERT_TRUE(node(s, "rim").light);
    EXPECT_EQ(s.node_index("rim"), s.node_index("sweep") + 1);
    EXPECT_EQ(node(s, "rim").light->color, v3(0.9f, 0.9f, 1));                  // 44
    EXPECT_EQ(node(s, "sweep").light->color, v3(1, 0.92f, 0.8f)) << "the original keeps its colour";
    EXPECT_FLOAT_EQ(node(s, "rim").light->intensity, 14) << "a copy of the edited sweep";
    EXPECT_EQ(node(s, "rim").translation, node(s, "sweep").translation);
    EXPECT_EQ(node(s, "rim").rotation, node(s, "sweep").rotation);
    EXPECT_EQ(s.node_index("bell_ring"), -1);                                   // 48
    for (const show::Node& n : s.nodes) EXPECT_NE(n.parent, s.node_index("vase")) << n.name << " under the vase";
    EXPECT_FLOAT_EQ(node(s, "detail_cam").camera->fov, 32);                     // 49
    EXPECT_EQ(s.node_index("narrator"), -1);                                    // 50
    EXPECT_EQ(node(s, "voice").parent, s.node_index("jar"));
    ASSERT_TRUE(node(s, "voice").sound);
    EXPECT_EQ(node(s, "voice").sound->audio, "narration");
    ASSERT_EQ(cue(s, "1")->actions.size(), 2u);
    EXPECT_EQ(cue(s, "1")->actions[1].target, "voice") << "play_sound follows the rename";
    ASSERT_EQ(cue(s, "10")->actions.size(), 3u);
    EXPECT_EQ(cue(s, "10")->actions[1].target, "voice");
    EXPECT_EQ(cue(s, "10")->actions[2].target, "voice");
    EXPECT_EQ(cue(s, "10")->actions[2].seek_to, 8);
    EXPECT_EQ(cue(s, "11")->actions[2].target, "voice");
    // What was not edited is as it was.
    EXPECT_EQ(s.nodes.size(), before.nodes.size() - 2 + 5);  // -bell_ring -narrator +fill +second_vase +bowl_copy +rim +voice
    EXPECT_EQ(node(s, "jar").translation, v3(0, 0, 0));
    EXPECT_EQ(node(s, "gallery_cam").camera->orbit->yaw, -25);
    EXPECT_EQ(s.camera, "gallery_cam");
    EXPECT_EQ(s.start, "attract");
    EXPECT_EQ(s.states.size(), 2u);
    EXPECT_EQ(s.assets.size(), before.assets.size());
    EXPECT_EQ(s.audio.duck_gain, before.audio.duck_gain);
    EXPECT_EQ(s.timeline("attract")->duration, 30);
    EXPECT_EQ(track(s, "attract", "gallery_cam.orbit")->keys.size(), 3u);

    // Every comment of the original is still there: whole comment lines as they were
    // (multiset), trailing comments at the end of some line.
    std::vector<std::string> orig_lines = lines_of(original), new_lines = lines_of(text);
    std::map<std::string, int> new_count;
    for (const std::string& l : new_lines) ++new_count[l];
    int comment_lines = 0, trailing = 0;
    for (const std::string& l : orig_lines) {
        size_t first = l.find_first_not_of(' ');
        if (first != std::string::npos && l[first] == '#') {
            ++comment_lines;
            EXPECT_GT(new_count[l]--, 0) << "comment line lost: " << l;
        } else if (size_t hash = l.find(" #"); hash != std::string::npos) {
            ++trailing;
            std::string comment = l.substr(l.find('#', hash));
            bool found = std::any_of(new_lines.begin(), new_lines.end(), [&](const std::string& n) {
                return n.size() >= comment.size() && n.compare(n.size() - comment.size(), comment.size(), comment) == 0;
            });
            EXPECT_TRUE(found) << "trailing comment lost: " << comment;
        }
    }
    EXPECT_EQ(comment_lines, 11);
    EXPECT_EQ(trailing, 3);

    // The line diff: the original lines removed or changed are exactly those of the
    // values edited (and of the key, cue lines and node deleted); every other line is
    // byte-identical; the lines added are the changed lines' new text and the inserted blocks.
    LineDiff d = diff_lines(orig_lines, new_lines);
    std::vector<std::string> expected_removed = {
        "        translation: [-0.55, 0, 0]",                                                       // 1
        "      - {name: bowl, model: jade, animation: Turntable, translation: [0.55, 0, 0], rotation: [0, 80, 0]}",  // 2, 12
        "        rotation: [0, 40, 0]",                                                             // 3
        "    translation: [-1, 1.5, 1.2]",                                                          // 4
        "    rotation: [-45, 0, 0]",                                                                // 5
        "look: {tonemap: khr-pbr-neutral, exposure: 0, background: sky}",                           // 6
        "environment: {source: studio, rotation: 0, intensity: 0.9}",                               // 7, 8
        "idle_timeout: 120",                                                                        // 9
        "seed: 7",                                                                                  // 10
        "    light: {type: spot, color: [1, 0.92, 0.8], intensity: 12, inner_cone: 10, outer_cone: 24}",  // 13, 16
        "    camera: {fov: 35, orbit: {yaw: -25, pitch: 14, distance: 2.3, target: [0, 0.22, 0]}}",       // 14
        "    sound: {audio: room_tone, group: music, loop: true, play: true, in_head: true, gain: 0.6}",   // 15
        "          - {t: 15, value: [1, 1.5, 1.2]}",                                                // 19
        "          - {t: 8, value: [0, 1.5, 1.0]}",                                                 // 20
        "          - {t: 14, value: [-10, 24, 0.85, 0, 0.22, 0], in: [0, 0, 0, 0, 0, 0], out: [0, 0, 0, 0, 0, 0]}",  // 22
        "    name: the porcelain jar",                                                              // 25
        "    name: touch on the jar goes to it",                                                    // 27
        "          - {t: 30, value: [-1, 1.5, 1.2]}",                                               // 47
        "        children:",                                                                        // 48
        "          - name: bell_ring",
        "            sound: {audio: bell, group: effects, play: true, loop: true, reverb: 0.4, distance: {model: inverse, ref: 1, max: 30}}",
        "            translation: [0, 0.3, 0]",
        "    camera: {fov: 30, orbit: {yaw: 20, pitch: 12, distance: 0.95, target: [-0.55, 0.28, 0]}}",  // 49
        "          - name: narrator",                                                               // 50
        "      - {play_sound: narrator}",
        "      - {play_sound: narrator}",
        "      - {play_sound: narrator}",
        "      - {seek_sound: narrator, to: 8}     # the jar's paragraph",
        "      - {seek_sound: narrator, to: 16}    # the bowl's paragraph",
    };
    const size_t deleted_only = 6;  // keys 14 and 30, the vase's children: and bell_ring's three lines
    const size_t inserted = 20;     // 11, 18, 21, 23, 24, 26, 28 (3), 29, 32, 33 (3), 35, 38, 43 (4)
    std::vector<std::string> removed = d.removed;
    std::sort(removed.begin(), removed.end());
    std::sort(expected_removed.begin(), expected_removed.end());
    EXPECT_EQ(removed, expected_removed);
    EXPECT_EQ(d.common, orig_lines.size() - expected_removed.size()) << "every other line byte-identical";
    EXPECT_EQ(d.added.size(), expected_removed.size() - deleted_only + inserted);
    // The added lines: each has a value the edits wrote or a name they gave.
    const std::vector<std::string> marks = {
        "-0.75", "0.1", "rotation: [0, 50, 0]", "-0.5, 1.5, 1.2", "-40", "exposure: 0.3", "intensity: 0.8",
        "idle_timeout: 90", "seed: 11", "scale: 1.2", "intensity: 14", "fov: 38", "gain: 0.5", "t: 20", "t: 15",
        "t: 9", "t: 12", "prewait", "the jar, in blue", "touch on the jar", "\"4\"", "closing words", "actions: []",
        "fill", "type: point", "[0, 2.5, 1]", "second_vase", "bowl_copy", "rim", "fov: 32", "voice"};
    for (const std::string& l : d.added) {
        bool marked = std::any_of(marks.begin(), marks.end(), [&](const std::string& m) { return l.find(m) != std::string::npos; });
        EXPECT_TRUE(marked) << "an added line the edits did not write: " << l;
    }
}

// ---- 3. two hundred random edits, undone and redone -------------------------------------

TEST(EditUndo, TwoHundredRandomEditsUndoneAndRedone) {
    test::TempDir dir("edit_undo");
    const fs::path path = demo_copy(dir);
    const std::string original = read_text(path);
    auto doc = open_doc(path);
    ASSERT_TRUE(doc);
    std::mt19937 rng(20240611);
    auto pick = [&](size_t n) { return size_t(std::uniform_int_distribution<size_t>(0, n - 1)(rng)); };
    auto between = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    auto fixed = [](double v) {
        std::ostringstream s;
        s << v;
        return s.str();
    };
    std::vector<std::string> added_nodes;
    struct AddedKey {
        std::string timeline, target;
        double t;
    };
    std::vector<AddedKey> added_keys;
    int counter = 0;
    std::map<std::string, int> done;
    for (int step = 0; step < 200; ++step) {
        const show::SceneFile& s = doc->scene();
        std::string command;
        while (command.empty()) {
            switch (pick(9)) {
            case 0:
            case 1: {
                const show::Node& n = s.nodes[pick(s.nodes.size())];
                command = "move " + n.name + " " + fixed(between(-4, 4) * 0.05) + " " + fixed(between(-4, 4) * 0.05) +
                          " " + fixed(between(-4, 4) * 0.05);
                break;
            }
            case 2: {
                const show::Node& n = s.nodes[pick(s.nodes.size())];
                command = "turn " + n.name + " " + fixed(between(-15, 15)) + " " + fixed(between(-15, 15)) + " " +
                          fixed(between(-15, 15));
                break;
            }
            case 3:
                command = "set look.exposure " + fixed(between(-8, 8) * 0.25);
                break;
            case 4: {  // a key at a new time on an existing track
                const show::Timeline& tl = s.timelines[pick(s.timelines.size())];
                const show::Track& tr = tl.tracks[pick(tl.tracks.size())];
                if (tr.zoom || tr.keys.empty()) break;
                double t = between(1, int(tl.duration * 4) - 1) * 0.25;
                bool taken = std::any_of(tr.keys.begin(), tr.keys.end(),
                                         [&](const show::Key& k) { return std::fabs(k.t - t) < 1e-6; });
                if (taken) break;
                std::string value = "[";
                for (size_t i = 0; i < tr.keys[0].value.size(); ++i)
                    value += (i ? ", " : "") + fixed(between(-20, 20) * 0.1);
                value += "]";
                command = "key add " + tl.name + " " + tr.target + " " + fixed(t) + " " + value;
                added_keys.push_back({tl.name, tr.target, t});
                break;
            }
            case 5: {  // a key this test added
                if (added_keys.empty()) break;
                size_t k = pick(added_keys.size());
                command = "key delete " + added_keys[k].timeline + " " + added_keys[k].target + " " +
                          fixed(added_keys[k].t);
                added_keys.erase(added_keys.begin() + long(k));
                break;
            }
            case 6:
                command = "cue set " + s.cues[pick(s.cues.size())].id + " prewait " + fixed(between(0, 12) * 0.25);
                break;
            case 7: {
                static const char* kinds[] = {"light", "group", "camera"};
                std::string name = "added" + std::to_string(++counter);
                command = std::string("node add ") + kinds[pick(3)] + " " + name;
                added_nodes.push_back(name);
                break;
            }
            case 8: {
                if (added_nodes.empty()) break;
                size_t k = pick(added_nodes.size());
                if (pick(2) == 0) {
                    command = "node delete " + added_nodes[k];
                    added_nodes.erase(added_nodes.begin() + long(k));
                } else {
                    std::string name = "renamed" + std::to_string(++counter);
                    command = "node rename " + added_nodes[k] + " " + name;
                    added_nodes[k] = name;
                }
                break;
            }
            }
        }
        auto r = doc->apply(command);
        ASSERT_TRUE(r) << "step " << step << " '" << command << "': " << r.error().message;
        ++done[command.substr(0, command.find(' ', command.find(' ') + 1))];
    }
    EXPECT_GE(done.size(), 8u) << "every kind of edit was drawn";
    const std::string edited = doc->text();
    ASSERT_NE(edited, original);
    const size_t depth = doc->undo_depth();
    EXPECT_GE(depth, 180u) << "nearly every edit changed the text";
    EXPECT_LE(depth, 200u);

    size_t undone = 0;
    while (doc->undo()) ++undone;
    EXPECT_EQ(undone, depth);
    EXPECT_EQ(doc->text(), original) << "undo all: the original bytes";
    EXPECT_FALSE(doc->unsaved());
    EXPECT_TRUE(doc->problems().empty());
    EXPECT_EQ(doc->redo_depth(), depth);
    EXPECT_FALSE(doc->apply("undo")) << "nothing to undo";

    size_t redone = 0;
    while (doc->redo()) ++redone;
    EXPECT_EQ(redone, depth);
    EXPECT_EQ(doc->text(), edited) << "redo all: the edited bytes";
    EXPECT_FALSE(doc->apply("redo")) << "nothing to redo";
    // The commands undo and redo do the same.
    ASSERT_TRUE(doc->apply("undo"));
    ASSERT_TRUE(doc->apply("redo"));
    EXPECT_EQ(doc->text(), edited);
    EXPECT_EQ(read_text(path), original) << "nothing saved";
}

// ---- 4. the command language ----------------------------------------------------------------

TEST(EditCommand, UnknownVerbSaysDidYouMean) {
    auto c = parse_command("mov vase 1 0 0");
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().kind, ErrorKind::Usage);
    EXPECT_EQ(c.error().message, "unknown command 'mov' (did you mean 'move'?)");
    auto n = parse_command("node frobnicate vase");
    ASSERT_FALSE(n);
    EXPECT_NE(n.error().message.find("unknown command 'node frobnicate'"), std::string::npos) << n.error().message;
    EXPECT_NE(n.error().message.find("'node add'"), std::string::npos) << n.error().message;
    EXPECT_NE(n.error().message.find("'node rename'"), std::string::npos) << n.error().message;
    auto far = parse_command("xyzzy");
    ASSERT_FALSE(far);
    EXPECT_EQ(far.error().message, "unknown command 'xyzzy'") << "no suggestion for a word near none";
}

TEST(EditCommand, WrongArgumentCount) {
    auto c = parse_command("move vase 1 2");
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().kind, ErrorKind::Usage);
    EXPECT_EQ(c.error().message, "'move' takes NODE DX DY DZ, got 3 words");
    auto u = parse_command("undo now");
    ASSERT_FALSE(u);
    EXPECT_EQ(u.error().message, "'undo' takes nothing, got 1 word");
    auto k = parse_command("key delete attract sweep.translation");
    ASSERT_FALSE(k);
    EXPECT_EQ(k.error().message, "'key delete' takes TIMELINE TARGET TIME, got 2 words");
    auto many = parse_command("node rename a b c");
    ASSERT_FALSE(many);
    EXPECT_NE(many.error().message.find("got 3 words"), std::string::npos);
    // A cue's name may be unquoted words.
    auto name = parse_command("cue set 2 name the jar, in blue");
    ASSERT_TRUE(name) << name.error().message;
    EXPECT_EQ(name->args, (std::vector<std::string>{"2", "name", "the jar, in blue"}));
}

TEST(EditCommand, QuotesAndComments) {
    auto open = parse_command("cue add 4 \"closing words");
    ASSERT_FALSE(open);
    EXPECT_EQ(open.error().kind, ErrorKind::Usage);
    EXPECT_EQ(open.error().message, "an unclosed quote");
    auto bracket = parse_command("set vase.translation [1, 2");
    ASSERT_FALSE(bracket);
    EXPECT_EQ(bracket.error().message, "an unclosed '['");
    auto quoted = parse_command("cue add 4 \"say \\\"hi\\\" # not a comment\"");
    ASSERT_TRUE(quoted) << quoted.error().message;
    EXPECT_EQ(quoted->args, (std::vector<std::string>{"4", "say \"hi\" # not a comment"}));
    auto comment = parse_command("move vase 1 0 0   # nudge it");
    ASSERT_TRUE(comment) << comment.error().message;
    EXPECT_EQ(comment->verb, "move");
    EXPECT_EQ(comment->args, (std::vector<std::string>{"vase", "1", "0", "0"}));
    auto blank = parse_command("   # only a comment");
    ASSERT_TRUE(blank);
    EXPECT_EQ(blank->verb, "");
    EXPECT_TRUE(blank->args.empty());
}

TEST(EditCommand, BracketedLists) {
    auto c = parse_command("set vase.translation [0.1, 0.2,  0.3]");
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->args, (std::vector<std::string>{"vase.translation", "[0.1, 0.2,  0.3]"}));
    std::vector<float> v;
    EXPECT_TRUE(parse_numbers(c->args[1], v));
    EXPECT_EQ(v, (std::vector<float>{0.1f, 0.2f, 0.3f}));
    auto words = parse_command("key add attract sweep.translation 3 [a, b]");
    ASSERT_TRUE(words) << words.error().message;
    ASSERT_EQ(words->args.size(), 4u);
    EXPECT_EQ(words->args[3], "[a, b]");
    EXPECT_FALSE(parse_numbers("[a, b]", v));
    EXPECT_FALSE(parse_numbers("[1, , 2]", v));
    EXPECT_FALSE(parse_numbers("[]", v));
    EXPECT_TRUE(parse_numbers("2.5", v));
    EXPECT_EQ(v, (std::vector<float>{2.5f}));

    test::TempDir dir("edit_lists");
    auto doc = open_doc(demo_copy(dir));
    ASSERT_TRUE(doc);
    ASSERT_TRUE(doc->apply("set vase.translation [0.1, 0.2,  0.3]"));
    EXPECT_EQ(node(doc->scene(), "vase").translation, v3(0.1f, 0.2f, 0.3f));
    EXPECT_NE(doc->text().find("        translation: [0.1, 0.2, 0.3]\n"), std::string::npos);
    const std::string text = doc->text();
    auto bad = doc->apply("key add attract sweep.translation 3 [a, b]");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("[a, b]"), std::string::npos) << bad.error().message;
    EXPECT_EQ(doc->text(), text);
}

TEST(EditCommand, FailingCommandLeavesTheTextUnchanged) {
    test::TempDir dir("edit_failing");
    auto doc = open_doc(demo_copy(dir));
    ASSERT_TRUE(doc);
    ASSERT_TRUE(doc->apply("move vase 0.1 0 0"));
    const std::string text = doc->text();
    const size_t depth = doc->undo_depth();
    const uint64_t version = doc->version();
    const std::vector<std::pair<std::string, std::string>> failing = {
        {"move vasee 1 0 0", "no node 'vasee' (did you mean 'vase'?)"},
        {"move vase 1 x 0", "'move' takes 3 numbers (metres), got 'x'"},
        {"mov vase 1 0 0", "did you mean 'move'"},
        {"move vase 1 0", "got 3 words"},
        {"key delete attract sweep.translation 3", "has no key at '3'"},
        {"key move tour sweep.translation 0 8", "has a key at '8' already"},
        {"key add attrakt sweep.translation 3 [0, 0, 0]", "no timeline 'attrakt' (did you mean 'attract'?)"},
        {"node rename bowl jar", "a node 'jar' exists"},
        {"node rename bowl a.b", "has no '.'"},
        {"node add model urn bronz", "no a glTF asset 'bronz' (did you mean 'bronze'?)"},
        {"node add statue urn", "node kinds are"},
        {"node duplicate bowl vase", "a node 'vase' exists"},
        {"cue set 99 prewait 1", "no cue '99'"},
        {"cue set 1 prewait -1", "seconds >= 0"},
        {"cue set 1 colour red", "a cue's fields to set are"},
        {"cue add 1", "a cue '1' exists"},
        {"set vase.frobnicate 1", "node 'vase' has no property 'frobnicate'"},
        {"set look", "takes PATH VALUE"},
        {"set nowhere 1", "is not a property path"},
        {"cue add 4 \"unclosed", "an unclosed quote"},
        {"track interpolation attract sweep.translation SMOOTH", "STEP, LINEAR or CUBICSPLINE"},
    };
    for (const auto& [line, why] : failing) {
        auto r = doc->apply(line);
        ASSERT_FALSE(r) << line;
        EXPECT_NE(r.error().message.find(why), std::string::npos) << line << ": " << r.error().message;
        EXPECT_EQ(r.error().message.find('\n'), std::string::npos) << "one line: " << r.error().message;
        EXPECT_EQ(doc->text(), text) << line;
        EXPECT_EQ(doc->undo_depth(), depth) << line;
        EXPECT_EQ(doc->version(), version) << line;
    }
    EXPECT_TRUE(doc->problems().empty());
}

TEST(EditCommand, SaveWithProblemsRefusedUnlessForced) {
    test::TempDir dir("edit_save_problems");
    const fs::path path = demo_copy(dir);
    const fs::path backup = path.string() + "~";
    const std::string original = read_text(path);
    auto doc = open_doc(path);
    ASSERT_TRUE(doc);
    ASSERT_TRUE(doc->apply("set camera nowhere_cam"));
    ASSERT_FALSE(doc->problems().empty()) << "a camera that no node is";
    EXPECT_NE(doc->problems()[0].str().find("nowhere_cam"), std::string::npos) << doc->problems()[0].str();
    auto refused = doc->apply("save");
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("not saved"), std::string::npos) << refused.error().message;
    EXPECT_NE(refused.error().message.find("'save force'"), std::string::npos) << refused.error().message;
    EXPECT_EQ(read_text(path), original) << "refused: the file as it was";
    EXPECT_FALSE(fs::exists(backup)) << "refused: no SCENE~ either";
    EXPECT_TRUE(doc->unsaved());
    EXPECT_FALSE(doc->apply("save now")) << "'save' takes 'force' or nothing";
    EXPECT_FALSE(doc->save());
    ASSERT_TRUE(doc->apply("save force"));
    EXPECT_EQ(read_text(path), doc->text());
    EXPECT_NE(read_text(path).find("camera: nowhere_cam\n"), std::string::npos);
    EXPECT_EQ(read_text(backup), original);
    EXPECT_FALSE(doc->unsaved());
    EXPECT_FALSE(doc->changed_on_disk());
    // No temporary file left beside it.
    for (const auto& e : fs::directory_iterator(path.parent_path()))
        EXPECT_EQ(e.path().filename().string().find(".partial"), std::string::npos) << e.path();
}

TEST(EditCommand, SaveKeepsThePreviousVersion) {
    test::TempDir dir("edit_backup");
    const fs::path path = demo_copy(dir);
    const fs::path backup = path.string() + "~";
    const std::string original = read_text(path);
    auto doc = open_doc(path);
    ASSERT_TRUE(doc);
    ASSERT_TRUE(doc->apply("set seed 8"));
    ASSERT_TRUE(doc->apply("save"));
    const std::string first = read_text(path);
    EXPECT_NE(first.find("\nseed: 8\n"), std::string::npos);
    EXPECT_EQ(read_text(backup), original);
    ASSERT_TRUE(doc->apply("set seed 9"));
    ASSERT_TRUE(doc->save());
    EXPECT_NE(read_text(path).find("\nseed: 9\n"), std::string::npos);
    EXPECT_EQ(read_text(backup), first) << "SCENE~ is the version before the last save";
    // save as: another file becomes the document's; the first stays as it was.
    const fs::path other = path.parent_path() / "other.scene.yaml";
    ASSERT_TRUE(doc->apply("set seed 10"));
    ASSERT_TRUE(doc->save_as(other));
    EXPECT_EQ(doc->path(), other);
    EXPECT_NE(read_text(other).find("\nseed: 10\n"), std::string::npos);
    EXPECT_FALSE(fs::exists(other.string() + "~")) << "nothing was there to keep";
    EXPECT_NE(read_text(path).find("\nseed: 9\n"), std::string::npos);
    EXPECT_TRUE(doc->problems().empty()) << "paths are relative to the new file, in the same folder";
}

// `save as FILE [force]` is a command of its own (verbs(): "save as", FILE [force]).
TEST(EditCommand, SaveAsIsItsOwnVerb) {
    auto c = parse_command("save as out.scene.yaml");
    auto forced = parse_command("save as out.scene.yaml force");
    auto bare = parse_command("save as");
    ASSERT_TRUE(c) << c.error().message;
    ASSERT_EQ(c->verb, "save as");
    EXPECT_EQ(c->args, (std::vector<std::string>{"out.scene.yaml"}));
    ASSERT_TRUE(forced) << forced.error().message;
    EXPECT_EQ(forced->verb, "save as");
    EXPECT_EQ(forced->args, (std::vector<std::string>{"out.scene.yaml", "force"}));
    ASSERT_FALSE(bare);
    EXPECT_EQ(bare.error().message, "'save as' takes FILE [force], got 0 words");

    test::TempDir dir("edit_save_as");
    const fs::path path = demo_copy(dir);
    const std::string original = read_text(path);
    auto doc = open_doc(path);
    ASSERT_TRUE(doc);
    const fs::path other = path.parent_path() / "other.scene.yaml";
    ASSERT_TRUE(doc->apply("set seed 10"));
    auto r = doc->apply("save as " + other.string());
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(doc->path(), other);
    EXPECT_EQ(read_text(other), doc->text());
    EXPECT_EQ(read_text(path), original);
}

TEST(EditCommand, ChangedOnDiskAndReload) {
    test::TempDir dir("edit_reload");
    const fs::path path = demo_copy(dir);
    const std::string original = read_text(path);
    auto doc = open_doc(path);
    ASSERT_TRUE(doc);
    EXPECT_FALSE(doc->changed_on_disk());
    ASSERT_TRUE(doc->apply("set seed 8"));
    EXPECT_FALSE(doc->changed_on_disk()) << "an edit in the document is not a change on disk";
    // A text editor rewrites the file.
    std::string theirs = original;
    theirs.replace(theirs.find("idle_timeout: 120"), 17, "idle_timeout: 45");
    write_text(path, theirs);
    EXPECT_TRUE(doc->changed_on_disk());
    ASSERT_TRUE(doc->reload());
    EXPECT_EQ(doc->text(), theirs);
    EXPECT_EQ(doc->scene().idle_timeout, 45);
    EXPECT_EQ(doc->scene().seed, 7u) << "the file's text replaces the edit";
    EXPECT_FALSE(doc->changed_on_disk());
    EXPECT_FALSE(doc->unsaved());
    EXPECT_TRUE(doc->problems().empty());
    // The reload is undoable: back to the edited text (unsaved now).
    ASSERT_TRUE(doc->undo());
    EXPECT_EQ(doc->scene().seed, 8u);
    EXPECT_EQ(doc->scene().idle_timeout, 120);
    EXPECT_TRUE(doc->unsaved());
    ASSERT_TRUE(doc->redo());
    EXPECT_EQ(doc->text(), theirs);
    // A file rewritten with broken YAML is not taken.
    write_text(path, "nodes: [\n");
    EXPECT_TRUE(doc->changed_on_disk());
    auto broken = doc->reload();
    EXPECT_FALSE(broken);
    EXPECT_EQ(doc->text(), theirs);
    // Saving over a file another program changed is refused (its change would be
    // lost); forced, it is saved, and SCENE~ is what was on disk.
    ASSERT_TRUE(doc->apply("move vase 0 0.5 0"));
    auto refused = doc->save();
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("changed on disk"), std::string::npos) << refused.error().message;
    EXPECT_EQ(read_text(path), "nodes: [\n");
    ASSERT_TRUE(doc->save(true));
    EXPECT_EQ(read_text(path), doc->text());
    EXPECT_EQ(read_text(path.string() + "~"), "nodes: [\n");
}

TEST(EditCommand, QuotingKeptOnRewrite) {
    test::TempDir dir("edit_quotes");
    const fs::path path = dir.write("quotes.scene.yaml",
                                    "vitrine: 1\n"
                                    "camera: 'cam'\n"
                                    "nodes:\n"
                                    "  - name: 'cam'   # single-quoted\n"
                                    "    camera: {fov: 40}\n"
                                    "cues:\n"
                                    "  - id: '1'\n"
                                    "    name: 'the first'\n"
                                    "  - id: \"2\"\n"
                                    "    name: \"the second\"\n");
    auto doc = open_doc(path);
    ASSERT_TRUE(doc);
    ASSERT_TRUE(doc->problems().empty()) << doc->problems()[0].str();
    ASSERT_TRUE(doc->apply("cue set 1 name it's here"));
    ASSERT_TRUE(doc->apply("cue set 2 name \"say \\\"hi\\\"\""));
    ASSERT_TRUE(doc->apply("node rename cam view"));
    ASSERT_TRUE(doc->apply("cue set 2 id 3"));
    EXPECT_EQ(doc->text(),
              "vitrine: 1\n"
              "camera: 'view'\n"
              "nodes:\n"
              "  - name: 'view'   # single-quoted\n"
              "    camera: {fov: 40}\n"
              "cues:\n"
              "  - id: '1'\n"
              "    name: 'it''s here'\n"
              "  - id: \"3\"\n"
              "    name: \"say \\\"hi\\\"\"\n");
    EXPECT_TRUE(doc->problems().empty()) << doc->problems()[0].str();
    ASSERT_EQ(doc->scene().cues.size(), 2u);
    EXPECT_EQ(doc->scene().cues[0].name, "it's here");
    EXPECT_EQ(doc->scene().cues[1].name, "say \"hi\"");
    EXPECT_EQ(doc->scene().cues[1].id, "3");
    EXPECT_EQ(doc->scene().camera, "view");
}

}  // namespace
}  // namespace vitrine::edit

namespace vitrine::edit {
namespace {

// The review's cases: the last item of a list deleted and a new one added there; a save
// through a symbolic link keeps the link and the mode; labels and cue ids that need
// quoting; a seed kept exact.
TEST(EditDocument, EmptiedListsTakeItemsAgainAndSavesKeepLinksAndModes) {
    test::TempDir dir("edit_review");
    const fs::path real = dir.write("real/one.scene.yaml",
                                    "vitrine: 1\n"
                                    "nodes:\n"
                                    "  # the only light\n"
                                    "  - name: lamp\n"
                                    "    light: {type: point, intensity: 5}\n"
                                    "timelines:\n"
                                    "  - name: t\n"
                                    "    duration: 10\n"
                                    "    tracks:\n"
                                    "      - target: lamp.intensity\n"
                                    "        keys:\n"
                                    "          - {t: 0, value: 1}\n"
                                    "states: [{name: s, timeline: t}]\n");
    ::chmod(real.c_str(), 0640);
    const fs::path link = dir.path / "linked.scene.yaml";
    fs::create_symlink(real, link);
    auto opened = Document::open(link);
    ASSERT_TRUE(opened) << opened.error().message;
    Document& doc = **opened;
    ASSERT_TRUE(doc.apply("key delete t lamp.intensity 0")) << "the last key takes its track";
    EXPECT_NE(doc.text().find("    tracks: []\n"), std::string::npos) << doc.text();
    ASSERT_TRUE(doc.apply("key add t lamp.intensity 2 7")) << "and a key can come back";
    EXPECT_NE(doc.text().find("    tracks:\n      - target: lamp.intensity\n"), std::string::npos) << doc.text();
    ASSERT_TRUE(doc.apply("label set t \"#intro\" 1"));
    ASSERT_TRUE(doc.apply("label set t \"a, b\" 2"));
    ASSERT_TRUE(doc.apply("set seed 123456789"));
    EXPECT_EQ(doc.scene().seed, 123456789u);
    const show::Timeline* t = doc.scene().timeline("t");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->labels.count("#intro"), 1u);
    EXPECT_EQ(t->labels.count("a, b"), 1u);
    ASSERT_TRUE(doc.apply("cue add \"x y\" first cue"));
    EXPECT_EQ(doc.scene().cues.back().id, "x y");
    ASSERT_TRUE(doc.apply("cue delete \"x y\""));
    ASSERT_TRUE(doc.apply("node delete lamp"));
    EXPECT_NE(doc.text().find("nodes: []\n  # the only light\n"), std::string::npos) << "its comment stays:\n" << doc.text();
    ASSERT_TRUE(doc.apply("node add group room")) << "a node list emptied takes a node again";
    EXPECT_EQ(doc.scene().nodes.size(), 1u);
    EXPECT_NE(doc.text().find("nodes:\n  - name: room\n"), std::string::npos) << doc.text();
    ASSERT_TRUE(doc.apply("undo"));
    ASSERT_TRUE(doc.apply("undo"));
    auto saved = doc.save();
    ASSERT_TRUE(saved) << saved.error().message;
    EXPECT_TRUE(fs::is_symlink(link)) << "the link stays a link";
    EXPECT_EQ(read_text(real), doc.text());
    struct stat st {};
    ASSERT_EQ(::stat(real.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0640u);
}

}  // namespace
}  // namespace vitrine::edit

namespace vitrine::edit {
namespace {

// Never a crash, never unreadable text: 3000 seeded commands made of every verb with
// words drawn from names that exist and that do not, numbers good and bad, lists,
// quotes and paths. A refused command leaves the text as it was; whatever was done,
// the text stays one the editor can read; undoing everything gives the original bytes.
TEST(EditFuzz, RandomCommandsNeverBreakTheText) {
    test::TempDir dir("edit_fuzz");
    const fs::path path = demo_copy(dir);
    const std::string original = read_text(path);
    auto doc = open_doc(path);
    ASSERT_TRUE(doc);
    std::mt19937 rng(1234);
    const std::vector<std::string> words = {
        "vase", "jar", "bowl", "gallery", "sweep", "gallery_cam", "detail_cam", "tone", "narrator", "bell_ring",
        "nosuch", "", "root", "under", "at", "force", "attract", "tour", "gallery_cam.orbit", "sweep.translation",
        "vase.translation", "vase.rotation", "vase.scale", "look.exposure", "environment.intensity", "audio.music",
        "sweep.light.outer_cone", "vase.material.0.emissive", "1", "2", "3", "10", "3.1", "0", "-1", "1e9", "nan",
        "inf", "[1, 2, 3]", "[0, 0]", "[1,2,3,4,5,6]", "[a, b]", "[]", "\"a b\"", "\"#x\"", "\"a: b\"", "model",
        "light", "camera", "group", "image", "sound", "bronze", "jade", "bell", "STEP", "LINEAR", "CUBICSPLINE",
        "prewait", "name", "id", "duration", "loop", "true", "false", "floor", "onto", "vase.name", "x.y.z", "..",
        "\u00e9t\u00e9", "\xe9\x9d\x92\xe9\x93\x9c", "-0.0001", "999999999999"};
    std::vector<std::string> verbs_all;
    for (const Verb& v : verbs())
        if (std::string(v.name) != "save" && std::string(v.name) != "save as" && std::string(v.name) != "undo" &&
            std::string(v.name) != "redo")
            verbs_all.push_back(v.name);
    size_t done = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string line = verbs_all[rng() % verbs_all.size()];
        int n = int(rng() % 6);
        for (int k = 0; k < n; ++k) line += " " + words[rng() % words.size()];
        const std::string before = doc->text();
        auto r = doc->apply(line);
        if (!r) {
            ASSERT_EQ(doc->text(), before) << "a refused command changed the text: " << line;
        } else {
            ++done;
        }
        std::string why;
        ASSERT_TRUE(yaml::text_tree(doc->text(), &why)) << line << ": " << why;
    }
    std::printf("fuzz: %zu of 3000 commands done, %zu problems at the end\n", done, doc->problems().size());
    EXPECT_GT(done, 50u) << "the words should make some commands work";
    while (doc->undo()) {
    }
    EXPECT_EQ(doc->text(), original);
}

}  // namespace
}  // namespace vitrine::edit

namespace vitrine::edit {
namespace {

// What a save may not write over: a file the show reads (a model, the hooks), even
// forced; an existing file that is not YAML, unless forced.
TEST(EditDocument, SaveAsNeverOverwritesAnInput) {
    test::TempDir dir("edit_save_inputs");
    const fs::path path = demo_copy(dir);
    auto doc = open_doc(path);
    ASSERT_TRUE(doc);
    const fs::path hooks = path.parent_path() / "hooks" / "demo.lua";
    const std::string lua = read_text(hooks);
    for (bool force : {false, true}) {
        auto r = doc->save_as(hooks, force);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().message, hooks.string() + ": refusing to save the scene over one of the files it reads; choose another file");
    }
    EXPECT_EQ(read_text(hooks), lua);
    const fs::path png = dir.write("picture.png", "not really a png");
    auto r = doc->save_as(png);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("exists and is not a YAML file"), std::string::npos) << r.error().message;
    EXPECT_EQ(read_text(png), "not really a png");
    EXPECT_EQ(doc->path(), path) << "a refused save as keeps the document's file";
}

// Undo holds whole texts: past its byte budget the oldest go, so a kiosk edited over
// OSC for months does not grow; what is held still undoes exactly.
TEST(EditDocument, UndoMemoryIsBounded) {
    test::TempDir dir("edit_undo_bound");
    const fs::path path = demo_copy(dir);
    auto doc = open_doc(path);
    ASSERT_TRUE(doc);
    const size_t text = doc->text().size();
    doc->set_undo_bytes(20 * text);
    std::vector<std::string> texts{doc->text()};
    for (int i = 1; i <= 60; ++i) {
        ASSERT_TRUE(doc->apply("set look.exposure " + std::to_string(i)));
        texts.push_back(doc->text());
    }
    EXPECT_LE(doc->undo_depth(), 21u);
    EXPECT_GE(doc->undo_depth(), 18u);
    size_t steps = 0;
    while (doc->undo()) ++steps;
    EXPECT_EQ(doc->text(), texts[texts.size() - 1 - steps]) << "each undo went back exactly one edit";
    while (doc->redo()) {
    }
    EXPECT_EQ(doc->text(), texts.back());
}

}  // namespace
}  // namespace vitrine::edit
