// The scene-file loader (parse, resolve, validate, property paths, scripted inputs):
// every class of problem with its exact message and place, the documented example,
// asset confinement on a real folder tree, and random damage that must never crash.
#include <gtest/gtest.h>

#include "mutate.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

#include <unistd.h>

#include "show/inputs.h"
#include "show/load.h"
#include "show/property.h"

namespace fs = std::filesystem;

namespace vitrine::show {
namespace {

// docs/scene-file.md's example, completed so that every reference resolves: the docs
// leave out the `tour` timeline and the `closed` state that it names.
const char* kExample = R"(vitrine: 1
search: [../assets]
seed: 7

assets:
  bronze: {gltf: relics/bronze/relic.gltf}
  hall: {hdr: environments/hall.hdr}

environment: {source: studio, rotation: 0, intensity: 1}
look: {tonemap: khr-pbr-neutral, exposure: 0, background: sky}
camera: cam

nodes:
  - name: room
    children:
      - name: vase
        model: bronze
        animation: Turntable
        translation: [0, 0.9, 0]
        rotation: [0, 45, 0]
        scale: 1
        visible: true
  - name: key
    light: {type: spot, color: [1, 0.95, 0.9], intensity: 40, range: 0, inner_cone: 20, outer_cone: 35}
    translation: [2, 3, 2]
    rotation: [-45, 45, 0]
  - name: cam
    camera: {fov: 40, znear: 0.05, zfar: 0, orbit: {yaw: 0, pitch: 10, distance: 3, target: [0, 1, 0]}}
  - name: detail_cam
    camera: {gltf_camera: {node: vase, index: 0}}

timelines:
  - name: attract
    duration: 40
    loop: true
    labels: {start: 0, close_up: 12}
    tracks:
      - target: cam.orbit
        interpolation: LINEAR
        keys:
          - {t: 0, value: [0, 10, 3, 0, 1, 0]}
          - {t: 40, value: [360, 10, 3, 0, 1, 0]}
      - target: vase.rotation
        interpolation: CUBICSPLINE
        keys:
          - {t: 0, value: [0, 0, 0], in: [0, 0, 0], out: [0, 9, 0]}
          - {t: 40, value: [0, 360, 0], in: [0, 9, 0], out: [0, 0, 0]}
  - name: tour
    duration: 30
    labels: {close_up: 12}
    tracks:
      - target: vase.material.Bronze.base_color
        keys:
          - {t: 0, value: [1, 1, 1, 1]}
          - {t: 30, value: [0.5, 0.5, 0.5, 1]}
      - target: vase.visible
        keys:
          - {t: 0, value: 1}

cues:
  - id: "1"
    name: narration starts
    at: {timeline: tour, t: 2.5}
    prewait: 0.5
    actions:
      - {play: tour}
      - {stop: attract}
      - {pause: attract}
      - {jump: tour, label: close_up}
      - {set: look.exposure, value: 0.5, fade: 2}
      - {goto: tour}
      - {camera: detail_cam}
      - {osc: /lights/scene, to: "127.0.0.1:7000", args: [3, warm]}
  - id: "2"
    at: 12.0
  - id: "3"
    on: {touch: vase}
  - id: 3.1
    on: {osc: /custom/address}
  - id: "4"

start: attract
idle_timeout: 120
states:
  - name: attract
    timeline: attract
    camera: cam
    transitions:
      - {touch: any, to: tour}
      - {touch: vase, to: tour}
  - name: tour
    timeline: tour
    idle: 60
    transitions:
      - {end: true, to: attract}
      - {osc: /vitrine/custom/home, to: attract}
      - {time_of_day: "18:30", to: closed}
      - {idle: 30, to: attract}
  - name: closed
    idle: none
    transitions:
      - {time_of_day: "09:00:30", to: attract}

hooks: hooks/demo.lua
)";

// What the example's glTF asset would load as: two materials, one animation, one camera.
const Models& example_models() {
    static scene::Model bronze = [] {
        scene::Model m;
        m.source = "relic.gltf";
        m.materials.resize(2);
        m.materials[0].name = "Bronze";
        m.materials[1].name = "Stone";
        m.animations.resize(1);
        m.animations[0].name = "Turntable";
        m.cameras.resize(1);
        return m;
    }();
    static Models models = {{"bronze", &bronze}};
    return models;
}

// Parse and validate; every problem as "file:line:column: message", one per line.
std::string problems_of(const std::string& text, SceneFile* out = nullptr) {
    std::vector<Problem> problems;
    SceneFile scene = parse_scene("t.scene.yaml", text, problems);
    validate_scene(scene, example_models(), problems);
    std::string all;
    for (const Problem& p : problems) all += (all.empty() ? "" : "\n") + p.str();
    if (out) *out = std::move(scene);
    return all;
}

std::string inputs_problems(const std::string& text, std::vector<Input>* out = nullptr) {
    std::vector<Problem> problems;
    std::vector<Input> inputs = parse_inputs("in.yaml", text, problems);
    std::string all;
    for (const Problem& p : problems) all += (all.empty() ? "" : "\n") + p.str();
    if (out) *out = std::move(inputs);
    return all;
}

// A small valid scene for property tests: a model instance, a light, two cameras.
const char* kSmall = R"(assets:
  bronze: {gltf: relic.gltf}
nodes:
  - name: vase
    model: bronze
  - name: key
    light: {type: point}
  - name: cam
    camera: {fov: 40}
  - name: orbiter
    camera: {orbit: {distance: 2}}
)";

// ---- the example --------------------------------------------------------------------

TEST(SceneFile, DocumentedExampleLoadsWithoutProblems) {
    SceneFile s;
    EXPECT_EQ(problems_of(kExample, &s), "");
    EXPECT_EQ(s.path, fs::path("t.scene.yaml"));
    EXPECT_EQ(s.search, std::vector<std::string>{"../assets"});
    EXPECT_EQ(s.seed, 7u);
    ASSERT_EQ(s.assets.size(), 2u);
    EXPECT_EQ(s.assets[0].name, "bronze");
    EXPECT_EQ(s.assets[0].kind, AssetKind::Gltf);
    EXPECT_EQ(s.assets[0].path, "relics/bronze/relic.gltf");
    EXPECT_EQ(s.assets[1].kind, AssetKind::Hdr);
    EXPECT_EQ(s.camera, "cam");
    EXPECT_FALSE(s.look.solid_background);
    EXPECT_EQ(s.hooks, "hooks/demo.lua");
    EXPECT_EQ(s.hooks_loc.str(), "t.scene.yaml:104:8");

    // Nodes: depth first, parents first.
    ASSERT_EQ(s.nodes.size(), 5u);
    EXPECT_EQ(s.nodes[0].name, "room");
    EXPECT_EQ(s.nodes[0].parent, -1);
    EXPECT_EQ(s.nodes[1].name, "vase");
    EXPECT_EQ(s.nodes[1].parent, 0);
    EXPECT_EQ(s.nodes[2].name, "key");
    EXPECT_EQ(s.nodes[2].parent, -1);
    const Node& vase = s.nodes[1];
    EXPECT_EQ(vase.model, "bronze");
    EXPECT_EQ(vase.animation, "Turntable");
    EXPECT_EQ(vase.translation, glm::vec3(0, 0.9f, 0));
    EXPECT_EQ(vase.rotation, glm::vec3(0, 45, 0));
    EXPECT_EQ(vase.scale, glm::vec3(1));
    EXPECT_EQ(vase.loc.str(), "t.scene.yaml:16:9");
    EXPECT_EQ(vase.locs.at("translation", {}).str(), "t.scene.yaml:19:22");
    ASSERT_TRUE(s.nodes[2].light);
    EXPECT_EQ(s.nodes[2].light->type, LightKind::Spot);
    EXPECT_EQ(s.nodes[2].light->color, glm::vec3(1, 0.95f, 0.9f));
    EXPECT_EQ(s.nodes[2].light->outer_cone, 35);
    ASSERT_TRUE(s.nodes[3].camera && s.nodes[3].camera->orbit);
    EXPECT_EQ(s.nodes[3].camera->orbit->pitch, 10);
    EXPECT_EQ(s.nodes[3].camera->orbit->target, glm::vec3(0, 1, 0));
    ASSERT_TRUE(s.nodes[4].camera);
    EXPECT_EQ(s.nodes[4].camera->gltf_node, "vase");
    EXPECT_EQ(s.nodes[4].camera->gltf_index, 0);

    // Timelines and keys.
    ASSERT_EQ(s.timelines.size(), 2u);
    const Timeline& attract = s.timelines[0];
    EXPECT_EQ(attract.duration, 40);
    EXPECT_TRUE(attract.loop);
    EXPECT_EQ(attract.labels.at("close_up"), 12);
    ASSERT_EQ(attract.tracks.size(), 2u);
    EXPECT_EQ(attract.tracks[0].target, "cam.orbit");
    EXPECT_EQ(attract.tracks[0].interp, Interp::Linear);
    EXPECT_EQ(attract.tracks[0].keys[1].value, (std::vector<float>{360, 10, 3, 0, 1, 0}));
    EXPECT_EQ(attract.tracks[1].interp, Interp::CubicSpline);
    EXPECT_EQ(attract.tracks[1].keys[0].out, (std::vector<float>{0, 9, 0}));
    EXPECT_EQ(s.timelines[1].tracks[1].interp, Interp::Step);  // visible defaults to STEP
    EXPECT_EQ(s.timelines[1].tracks[1].keys[0].value, std::vector<float>{1});

    // Cues and their triggers.
    ASSERT_EQ(s.cues.size(), 5u);
    EXPECT_EQ(s.cues[0].trigger, TriggerKind::Time);
    EXPECT_EQ(s.cues[0].timeline, "tour");
    EXPECT_EQ(s.cues[0].at, 2.5);
    EXPECT_EQ(s.cues[0].prewait, 0.5);
    ASSERT_EQ(s.cues[0].actions.size(), 8u);
    EXPECT_EQ(s.cues[0].actions[3].kind, ActionKind::Jump);
    EXPECT_EQ(s.cues[0].actions[3].label, "close_up");
    EXPECT_EQ(s.cues[0].actions[4].kind, ActionKind::Set);
    EXPECT_EQ(s.cues[0].actions[4].value, std::vector<float>{0.5f});
    EXPECT_EQ(s.cues[0].actions[4].fade, 2);
    EXPECT_EQ(s.cues[0].actions[7].kind, ActionKind::Osc);
    EXPECT_EQ(s.cues[0].actions[7].osc_to, "127.0.0.1:7000");
    EXPECT_EQ(s.cues[0].actions[7].osc_args, (std::vector<std::string>{"3", "warm"}));
    EXPECT_EQ(s.cues[1].trigger, TriggerKind::Time);
    EXPECT_EQ(s.cues[1].timeline, "");
    EXPECT_EQ(s.cues[1].at, 12);
    EXPECT_EQ(s.cues[2].trigger, TriggerKind::Touch);
    EXPECT_EQ(s.cues[2].node, "vase");
    EXPECT_EQ(s.cues[3].id, "3.1");
    EXPECT_EQ(s.cues[3].trigger, TriggerKind::Osc);
    EXPECT_EQ(s.cues[3].osc, "/custom/address");
    EXPECT_EQ(s.cues[4].trigger, TriggerKind::Go);

    // States: `idle: 60` adds an idle transition to the start state.
    EXPECT_EQ(s.start, "attract");
    EXPECT_EQ(s.idle_timeout, 120);
    ASSERT_EQ(s.states.size(), 3u);
    EXPECT_EQ(s.states[0].camera, "cam");
    EXPECT_EQ(s.states[0].transitions[0].kind, TransitionKind::Touch);
    EXPECT_EQ(s.states[0].transitions[0].node, "any");
    const State& tour = s.states[1];
    ASSERT_EQ(tour.transitions.size(), 5u);
    EXPECT_EQ(tour.transitions[0].kind, TransitionKind::End);
    EXPECT_EQ(tour.transitions[1].osc, "/vitrine/custom/home");
    EXPECT_EQ(tour.transitions[2].kind, TransitionKind::TimeOfDay);
    EXPECT_EQ(tour.transitions[2].time_of_day, 18 * 3600 + 30 * 60);
    EXPECT_EQ(tour.transitions[2].to, "closed");
    EXPECT_EQ(tour.transitions[3].after, 30);
    EXPECT_EQ(tour.transitions[4].kind, TransitionKind::Idle);
    EXPECT_EQ(tour.transitions[4].after, 60);
    EXPECT_EQ(tour.transitions[4].to, "attract");
    EXPECT_TRUE(tour.idle_default);
    EXPECT_FALSE(s.states[2].idle_default);
    EXPECT_EQ(s.states[2].transitions[0].time_of_day, 9 * 3600 + 30);
}

TEST(SceneFile, LookupsFindByName) {
    SceneFile s;
    ASSERT_EQ(problems_of(kExample, &s), "");
    EXPECT_EQ(s.node_index("cam"), 3);
    EXPECT_EQ(s.node_index("nope"), -1);
    ASSERT_NE(s.asset("hall"), nullptr);
    EXPECT_EQ(s.asset("hall")->path, "environments/hall.hdr");
    EXPECT_EQ(s.asset("nope"), nullptr);
    ASSERT_NE(s.timeline("tour"), nullptr);
    EXPECT_EQ(s.timeline("tour")->duration, 30);
    EXPECT_EQ(s.state_index("closed"), 2);
    EXPECT_EQ(s.state_index("nope"), -1);
}

TEST(SceneFile, LocationsPrintAsFileLineColumn) {
    EXPECT_EQ((Loc{"a.yaml", 3, 7}).str(), "a.yaml:3:7");
    EXPECT_EQ((Loc{"a.yaml", 0, 0}).str(), "a.yaml");
    Problem p;  // named, not a temporary: GCC 12 warns (wrongly) -Wmaybe-uninitialized on the latter
    p.loc = Loc{"a.yaml", 1, 2};
    p.message = "oops";
    EXPECT_EQ(p.str(), "a.yaml:1:2: oops");
}

// ---- syntax and kinds ----------------------------------------------------------------

TEST(SceneFile, YamlSyntaxErrorIsOneProblemAtItsPlace) {
    EXPECT_EQ(problems_of("nodes:\n  - name: [vase\n"), "t.scene.yaml:3:1: YAML syntax error: end of sequence flow not found");
    EXPECT_EQ(problems_of("look: {exposure: 1\nnodes: []\n"), "t.scene.yaml:2:6: YAML syntax error: end of map flow not found");
}

TEST(SceneFile, UnknownKeysNameTheirPlaceAndANearMiss) {
    EXPECT_EQ(problems_of("nodes:\n  - name: vase\n    trasnlation: [0, 1, 0]\n"),
              "t.scene.yaml:3:5: unknown key 'trasnlation' in node 'vase' (did you mean 'translation'?)");
    EXPECT_EQ(problems_of("nodes:\n  - name: vase\n    colour_temperature: 3000\n"),
              "t.scene.yaml:3:5: unknown key 'colour_temperature' in node 'vase'");
    EXPECT_EQ(problems_of("node: []\n"), "t.scene.yaml:1:1: unknown key 'node' at top level (did you mean 'nodes'?)");
    // A near miss is at most a third of the word's letters away (transposed letters count 2).
    EXPECT_EQ(problems_of("nodse: []\n"), "t.scene.yaml:1:1: unknown key 'nodse' at top level");
}

TEST(SceneFile, UnknownKeysSayWhereTheyAre) {
    struct Case {
        const char* yaml;
        const char* problem;
    };
    const Case cases[] = {
        {"timelines: [{name: tl, duration: 1, lop: true}]", "1:37: unknown key 'lop' in timeline 'tl' (did you mean 'loop'?)"},
        {"nodes: [{name: n}]\ntimelines: [{name: tl, duration: 1, tracks: [{target: n.scale, key: []}]}]",
         "2:64: unknown key 'key' in track (did you mean 'keys'?)"},
        {"nodes: [{name: n}]\ntimelines: [{name: tl, duration: 1, tracks: [{target: n.scale, keys: [{t: 0, value: [1,1,1], valu: 1}]}]}]",
         "2:94: unknown key 'valu' in key (did you mean 'value'?)"},
        {"cues: [{id: 1, nam: x}]", "1:16: unknown key 'nam' in cue '1' (did you mean 'name'?)"},
        {"cues: [{id: 1, actions: [{pla: x}]}]", "1:27: unknown key 'pla' in action (did you mean 'play'?)"},
        {"states: [{name: s, timelime: x}]", "1:20: unknown key 'timelime' in state 's' (did you mean 'timeline'?)"},
        {"states: [{name: s, transitions: [{end: true, too: s}]}]", "1:46: unknown key 'too' in transition (did you mean 'to'?)"},
        {"nodes: [{name: n, light: {intensty: 2}}]", "1:27: unknown key 'intensty' in light (did you mean 'intensity'?)"},
        {"nodes: [{name: n, camera: {foV: 2}}]", "1:28: unknown key 'foV' in camera (did you mean 'fov'?)"},
        {"nodes: [{name: n, camera: {orbit: {yawn: 2}}}]", "1:36: unknown key 'yawn' in orbit (did you mean 'yaw'?)"},
        {"environment: {rotaton: 2}", "1:15: unknown key 'rotaton' in environment (did you mean 'rotation'?)"},
        {"look: {exposre: 2}", "1:8: unknown key 'exposre' in look (did you mean 'exposure'?)"},
        {"assets:\n  a: {gltf: x.gltf, hd: y}", "2:21: unknown key 'hd' in asset 'a' (did you mean 'hdr'?)"},
    };
    for (const Case& c : cases) EXPECT_EQ(problems_of(c.yaml), std::string("t.scene.yaml:") + c.problem) << c.yaml;
}

TEST(SceneFile, WrongKindsSayWhatWasExpectedAndWhatCame) {
    EXPECT_EQ(problems_of("timelines:\n  - name: tl\n    duration: [1]\n"),
              "t.scene.yaml:3:15: 'duration' must be a number, got a sequence");
    EXPECT_EQ(problems_of("timelines:\n  - name: tl\n    duration: \"40\"\n"),
              "t.scene.yaml:3:15: 'duration' must be a number, got a string");
    EXPECT_EQ(problems_of("timelines:\n  - name: tl\n    duration:\n"),
              "t.scene.yaml:3:5: 'duration' must be a number, got null");
    EXPECT_EQ(problems_of("nodes:\n  - name: {a: 1}\n"), "t.scene.yaml:2:11: 'name' must be a string, got a mapping");
    EXPECT_EQ(problems_of("nodes:\n  - name: n\n    visible: 1\n"), "t.scene.yaml:3:14: 'visible' must be a boolean, got a number");
    EXPECT_EQ(problems_of("nodes:\n  - name: n\n    translation: 1\n"),
              "t.scene.yaml:3:18: 'translation' must be a list of 3 numbers, got a number");
    EXPECT_EQ(problems_of("nodes:\n  - name: n\n    translation: [1, x, 3]\n"),
              "t.scene.yaml:3:22: 'translation' must be a list of numbers, got a string");
    EXPECT_EQ(problems_of("nodes:\n  - name: n\n    translation: [1, 2]\n"),
              "t.scene.yaml:3:18: 'translation' takes 3 numbers, got 2");
    EXPECT_EQ(problems_of("nodes:\n  - 5\n"), "t.scene.yaml:2:5: a node must be a mapping, got a number");
    EXPECT_EQ(problems_of("nodes: {name: x}\n"), "t.scene.yaml:1:8: 'nodes' must be a sequence, got a mapping");
    EXPECT_EQ(problems_of("- a\n- b\n"), "t.scene.yaml:1:1: the scene file must be a mapping, got a sequence");
    EXPECT_EQ(problems_of("look: {background: white}\n"),
              "t.scene.yaml:1:20: 'background' must be sky or a list of 3 numbers, got a string 'white'");
    EXPECT_EQ(problems_of("look: {tonemap: ACES}\n"),
              "t.scene.yaml:1:17: 'tonemap' must be one of khr-pbr-neutral, aces, none, got 'ACES' (did you mean 'aces'?)");
}

TEST(SceneFile, NumbersMustBeFinite) {
    EXPECT_EQ(problems_of("look: {exposure: .inf}\n"), "t.scene.yaml:1:18: 'exposure' must be a finite number, got '.inf'");
    EXPECT_EQ(problems_of("look: {exposure: .NaN}\n"), "t.scene.yaml:1:18: 'exposure' must be a finite number, got '.NaN'");
    EXPECT_EQ(problems_of("look: {exposure: 1e999}\n"), "t.scene.yaml:1:18: 'exposure' must be a finite number, got '1e999'");
    EXPECT_EQ(problems_of("look: {exposure: 1e300}\n"), "t.scene.yaml:1:18: 'exposure' is out of range: '1e300'");
    EXPECT_EQ(problems_of("seed: 18446744073709551616\n"),
              "t.scene.yaml:1:7: 'seed' must be a whole number from 0 to 18446744073709551615, got '18446744073709551616'");
    SceneFile s;
    EXPECT_EQ(problems_of("seed: 18446744073709551615\nlook: {exposure: -1.5e-1}\n", &s), "");
    EXPECT_EQ(s.seed, UINT64_MAX);
    EXPECT_FLOAT_EQ(s.look.exposure, -0.15f);
}

TEST(SceneFile, MissingKeysAreNamed) {
    EXPECT_EQ(problems_of("timelines:\n  - name: tl\n    loop: true\n"), "t.scene.yaml:2:5: timeline needs 'duration'");
    EXPECT_EQ(problems_of("nodes:\n  - visible: true\n"), "t.scene.yaml:2:5: node needs 'name'");
    EXPECT_EQ(problems_of("cues:\n  - name: x\n"), "t.scene.yaml:2:5: cue needs 'id'");
    EXPECT_EQ(problems_of("states: [{name: s, transitions: [{end: true}]}]\n"), "t.scene.yaml:1:34: transition needs 'to'");
    EXPECT_EQ(problems_of("cues: [{id: 1, actions: [{label: x}]}]\n"),
              "t.scene.yaml:1:26: action needs one of play, stop, pause, jump, set, goto, osc, camera");
}

TEST(SceneFile, RepeatedKeysAreReported) {
    EXPECT_EQ(problems_of("nodes:\n  - name: a\n    name: b\n"), "t.scene.yaml:3:5: 'name' is given twice (first at t.scene.yaml:2:5)");
}

// ---- validation ------------------------------------------------------------------------

TEST(SceneFile, KeyTimesMustIncrease) {
    EXPECT_EQ(problems_of(R"(nodes: [{name: vase}]
timelines:
  - name: tl
    duration: 10
    tracks:
      - target: vase.scale
        keys:
          - {t: 3, value: [1, 1, 1]}
          - {t: 2, value: [1, 1, 1]}
)"),
              "t.scene.yaml:9:17: key times must increase: t 2 follows t 3");
}

TEST(SceneFile, KeysLabelsAndCueTimesStayInsideTheTimeline) {
    EXPECT_EQ(problems_of(R"(nodes: [{name: vase}]
timelines:
  - name: tl
    duration: 40
    labels: {late: 41}
    tracks:
      - target: vase.scale
        keys:
          - {t: 0, value: [1, 1, 1]}
          - {t: 45, value: [1, 1, 1]}
cues:
  - {id: 1, at: {timeline: tl, t: 50}}
)"),
              "t.scene.yaml:5:20: label 'late' at 41 is past the timeline's duration 40\n"
              "t.scene.yaml:10:17: key at t 45 is past the timeline's duration 40\n"
              "t.scene.yaml:12:35: cue time 50 is past the duration 40 of timeline 'tl'");
    EXPECT_EQ(problems_of("timelines: [{name: tl, duration: 0}]\n"),
              "t.scene.yaml:1:34: 'duration' must be at least 1/240 s (one frame at 240 fps), got 0");
}

// Durations that repeat must be at least one frame at 240 fps: a show looping faster
// than any output draws is a mistake (and at a nanosecond, a hang).
TEST(SceneFile, RepeatingDurationsShorterThanAFrameAreRefused) {
    EXPECT_EQ(problems_of("timelines: [{name: tl, duration: 0.000000001, loop: true}]\n"),
              "t.scene.yaml:1:34: 'duration' must be at least 1/240 s (one frame at 240 fps), got 1e-09");
    EXPECT_EQ(problems_of("idle_timeout: 0.001\n"),
              "t.scene.yaml:1:15: 'idle_timeout' must be at least 1/240 s (one frame at 240 fps), got 0.001");
    EXPECT_EQ(problems_of("states:\n  - {name: a, transitions: [{idle: 0.000000001, to: a}]}\n"),
              "t.scene.yaml:2:36: 'idle' must be at least 1/240 s (one frame at 240 fps), got 1e-09");
    EXPECT_EQ(problems_of("states:\n  - {name: a, idle: 0.000000001}\n"),
              "t.scene.yaml:2:21: 'idle' must be at least 1/240 s (one frame at 240 fps), got 1e-09");
    EXPECT_EQ(problems_of("timelines: [{name: tl, duration: 0.0041667}]\nidle_timeout: 0.0041667\n"), "");
}

TEST(SceneFile, DanglingReferencesSuggestTheNearName) {
    EXPECT_EQ(problems_of(R"(assets:
  bronze: {gltf: relic.gltf}
nodes:
  - {name: vase, model: bronz}
  - {name: cam, camera: {fov: 40}}
  - {name: lamp, light: {}}
camera: lamp
timelines:
  - {name: tour, duration: 10, labels: {close_up: 2}}
cues:
  - id: 1
    on: {touch: vse}
    actions:
      - {play: tor}
      - {jump: tour, label: closeup}
      - {goto: atract}
      - {camera: cm}
states:
  - {name: attract, transitions: [{touch: any, to: attract}]}
)"),
              "t.scene.yaml:4:25: unknown asset 'bronz' (did you mean 'bronze'?)\n"
              "t.scene.yaml:7:9: node 'lamp' is not a camera\n"
              "t.scene.yaml:12:17: unknown node 'vse' (did you mean 'vase'?)\n"
              "t.scene.yaml:14:16: unknown timeline 'tor' (did you mean 'tour'?)\n"
              "t.scene.yaml:15:29: unknown label 'closeup' in timeline 'tour' (did you mean 'close_up'?)\n"
              "t.scene.yaml:16:16: unknown state 'atract' (did you mean 'attract'?)\n"
              "t.scene.yaml:17:18: unknown camera node 'cm' (did you mean 'cam'?)");
}

TEST(SceneFile, StatesNameTheirTimelineAndTheStartState) {
    EXPECT_EQ(problems_of("timelines: [{name: tour, duration: 1}]\nstart: nope\nstates: [{name: a, timeline: tuor}]\n"),
              "t.scene.yaml:2:8: unknown state 'nope'\n"
              "t.scene.yaml:3:30: unknown timeline 'tuor'");
}

TEST(SceneFile, ColoursAndScalesTakeTheirShapes) {
    SceneFile s;
    EXPECT_EQ(problems_of("look: {background: [1, 0.5, 0]}\nnodes: [{name: n, scale: [1, 2, 3]}, {name: m, scale: 2}]\n", &s),
              "");
    EXPECT_TRUE(s.look.solid_background);
    EXPECT_EQ(s.look.background, glm::vec3(1, 0.5f, 0));
    EXPECT_EQ(s.nodes[0].scale, glm::vec3(1, 2, 3));
    EXPECT_EQ(s.nodes[1].scale, glm::vec3(2));
    EXPECT_EQ(problems_of("look: {background: [1, 2, 0]}\n"),
              "t.scene.yaml:1:20: 'background' colour values must be between 0 and 1");
}

TEST(SceneFile, DuplicatesPointAtTheFirstDefinition) {
    EXPECT_EQ(problems_of(R"(assets:
  a: {gltf: x.gltf}
  a: {gltf: y.gltf}
nodes:
  - name: vase
  - name: vase
timelines:
  - {name: tl, duration: 1}
  - {name: tl, duration: 1}
cues:
  - {id: 2}
  - {id: 2}
states:
  - {name: s}
  - {name: s}
)"),
              "t.scene.yaml:3:3: asset 'a' is defined twice (first at t.scene.yaml:2:3)\n"
              "t.scene.yaml:6:11: node 'vase' is defined twice (first at t.scene.yaml:5:11)\n"
              "t.scene.yaml:9:12: timeline 'tl' is defined twice (first at t.scene.yaml:8:12)\n"
              "t.scene.yaml:15:12: state 's' is defined twice (first at t.scene.yaml:14:12)\n"
              "t.scene.yaml:12:10: cue '2' is defined twice (first at t.scene.yaml:11:10)");
}

TEST(SceneFile, UnreachableStatesAreReported) {
    const char* text = R"(states:
  - {name: attract, transitions: [{touch: any, to: tour}]}
  - {name: tour, idle: 5}
  - {name: closed}
  - {name: night}
cues:
  - {id: 1, actions: [{goto: night}]}
)";
    EXPECT_EQ(problems_of(text), "t.scene.yaml:4:12: state 'closed' cannot be reached from the start state 'attract'");
    EXPECT_EQ(problems_of(std::string(text) + "hooks: h.lua\n"),
              "t.scene.yaml:4:12: state 'closed' cannot be reached from the start state 'attract'"
              " (a hook's show.go_to is not seen by check)");
}

TEST(SceneFile, TrackValuesHaveThePropertysSize) {
    EXPECT_EQ(problems_of(R"(nodes: [{name: vase}]
timelines:
  - name: tl
    duration: 10
    tracks:
      - target: vase.translation
        keys:
          - {t: 0, value: [1, 2]}
cues:
  - {id: 1, actions: [{set: look.exposure, value: [1, 2]}]}
)"),
              "t.scene.yaml:8:27: 'vase.translation' takes 3 numbers, got 2\n"
              "t.scene.yaml:10:51: 'look.exposure' takes 1 number, got 2");
}

TEST(SceneFile, VisibilityOnlySteps) {
    EXPECT_EQ(problems_of(R"(nodes: [{name: vase}]
timelines:
  - name: tl
    duration: 10
    tracks:
      - target: vase.visible
        interpolation: LINEAR
        keys: [{t: 0, value: 0}]
)"),
              "t.scene.yaml:7:24: 'vase.visible' can only use STEP interpolation");
}

TEST(SceneFile, CubicSplineKeysNeedTangentsOfTheValuesSize) {
    EXPECT_EQ(problems_of(R"(nodes: [{name: vase}]
timelines:
  - name: tl
    duration: 10
    tracks:
      - target: vase.scale
        interpolation: CUBICSPLINE
        keys:
          - {t: 0, value: [1, 1, 1], in: [0, 0, 0]}
          - {t: 1, value: [1, 1, 1], in: [0, 0, 0], out: [0, 0]}
      - target: vase.scale
        keys:
          - {t: 0, value: [1, 1, 1], out: [0, 0, 0]}
)"),
              "t.scene.yaml:9:13: CUBICSPLINE key needs 'out'\n"
              "t.scene.yaml:10:58: 'out' of 'vase.scale' takes 3 numbers, got 2\n"
              "t.scene.yaml:13:43: 'out' is only for CUBICSPLINE keys");
}

TEST(SceneFile, PropertyPathErrorsComeFromBindProperty) {
    std::string text = std::string(kSmall) + R"(timelines:
  - name: tl
    duration: 10
    tracks:
      - {target: vase.rotaton, keys: [{t: 0, value: 0}]}
      - {target: key.fov, keys: [{t: 0, value: 0}]}
      - {target: vase.material.Glaze.base_color, keys: [{t: 0, value: 0}]}
      - {target: vse.rotation, keys: [{t: 0, value: 0}]}
)";
    EXPECT_EQ(problems_of(text),
              "t.scene.yaml:16:18: unknown property 'rotaton' of node 'vase' (did you mean 'rotation'?)\n"
              "t.scene.yaml:17:18: node 'key' is not a camera: 'fov' needs one\n"
              "t.scene.yaml:18:18: node 'vase' has no material 'Glaze' (model 'bronze' has: Bronze, Stone)\n"
              "t.scene.yaml:19:18: unknown node 'vse' in 'vse.rotation' (did you mean 'vase'?)");
}

TEST(SceneFile, BindPropertyCoversEveryPath) {
    std::vector<Problem> problems;
    SceneFile s = parse_scene("t.scene.yaml", std::string(kSmall) + "  - {name: spinner, model: bronze, animation: 0}\n",
                              problems);
    ASSERT_TRUE(problems.empty()) << problems[0].str();
    struct Case {
        const char* path;
        PropertyKind kind;
        int node, material, size;
    };
    const Case good[] = {
        {"vase.translation", PropertyKind::Translation, 0, -1, 3}, {"vase.rotation", PropertyKind::Rotation, 0, -1, 3},
        {"vase.scale", PropertyKind::Scale, 0, -1, 3},             {"vase.visible", PropertyKind::Visible, 0, -1, 1},
        {"cam.fov", PropertyKind::Fov, 2, -1, 1},                  {"orbiter.orbit", PropertyKind::Orbit, 3, -1, 6},
        {"key.color", PropertyKind::LightColor, 1, -1, 3},         {"key.intensity", PropertyKind::LightIntensity, 1, -1, 1},
        {"vase.material.Stone.base_color", PropertyKind::BaseColor, 0, 1, 4},
        {"vase.material.0.emissive", PropertyKind::Emissive, 0, 0, 3},
        {"spinner.animation_time", PropertyKind::AnimationTime, 4, -1, 1},
        {"environment.rotation", PropertyKind::EnvRotation, -1, -1, 1},
        {"environment.intensity", PropertyKind::EnvIntensity, -1, -1, 1},
        {"look.exposure", PropertyKind::Exposure, -1, -1, 1},
    };
    for (const Case& c : good) {
        Result<Property> p = bind_property(s, example_models(), c.path);
        ASSERT_TRUE(p.ok()) << c.path << ": " << p.error().message;
        EXPECT_EQ(p->kind, c.kind) << c.path;
        EXPECT_EQ(p->node, c.node) << c.path;
        EXPECT_EQ(p->material, c.material) << c.path;
        EXPECT_EQ(p->size, c.size) << c.path;
    }
    const std::pair<const char*, const char*> bad[] = {
        {"cam.orbit", "camera 'cam' has no orbit: 'orbit' needs one"},
        {"vase.color", "node 'vase' is not a light: 'color' needs one"},
        {"key.material.0.emissive", "node 'key' is not a model instance: 'material' needs one"},
        {"vase.animation_time", "node 'vase' plays no animation: 'animation_time' needs one"},
        {"vase.material.2.emissive", "node 'vase' has no material '2' (model 'bronze' has: Bronze, Stone)"},
        {"vase.material.Stone.basecolor",
         "unknown material property 'basecolor' in 'vase.material.Stone.basecolor' (did you mean 'base_color'?)"},
        {"vase.material.Stone", "'vase.material.Stone' needs a material and base_color or emissive, e.g. "
                                "'vase.material.0.base_color'"},
        {"look.exposur", "unknown property 'exposur' of look (did you mean 'exposure'?)"},
        {"environment.rotaton", "unknown property 'rotaton' of environment (did you mean 'rotation'?)"},
        {"vase", "property path 'vase' needs a property after the node, e.g. 'vase.rotation'"},
        {"", "empty property path"},
    };
    for (const auto& [path, message] : bad) {
        Result<Property> p = bind_property(s, example_models(), path);
        ASSERT_FALSE(p.ok()) << path;
        EXPECT_EQ(p.error().message, message);
    }
}

TEST(SceneFile, MaterialNamesMayHoldDots) {
    scene::Model m;
    m.materials.resize(1);
    m.materials[0].name = "Material.001";
    Models models = {{"bronze", &m}};
    std::vector<Problem> problems;
    SceneFile s = parse_scene("t.scene.yaml", kSmall, problems);
    Result<Property> p = bind_property(s, models, "vase.material.Material.001.base_color");
    ASSERT_TRUE(p.ok()) << p.error().message;
    EXPECT_EQ(p->material, 0);
}

// Places keep the byte offset of the value (the editor writes a change back there).
TEST(SceneFile, PlacesKeepTheValuesByteOffset) {
    const std::string text = "vitrine: 1\nassets:\n  vase: {gltf: relics/bronze/relic.gltf}\nnodes:\n  - {name: v, model: vase}\n";
    std::vector<Problem> problems;
    SceneFile s = parse_scene("t.scene.yaml", text, problems);
    ASSERT_EQ(s.assets.size(), 1u);
    Loc at = s.assets[0].locs.at("gltf", {});
    EXPECT_EQ(at.line, 3);
    ASSERT_LT(at.offset, text.size());
    EXPECT_EQ(text.substr(at.offset, 24), "relics/bronze/relic.gltf");
    Loc node = s.nodes[0].locs.at("model", {});
    EXPECT_EQ(text.substr(node.offset, 4), "vase");
}

TEST(SceneFile, NearestFindsCloseWordsOnly) {
    EXPECT_EQ(yaml::nearest("trasnlation", {"rotation", "translation"}), "translation");
    EXPECT_EQ(yaml::nearest("vse", {"vase", "cam"}), "vase");
    EXPECT_EQ(yaml::nearest("xyz", {"vase", "cam"}), "");
    EXPECT_EQ(yaml::nearest("ab", {"abc"}), "abc");   // threshold max(1, 2/3) = 1
    EXPECT_EQ(yaml::nearest("ab", {"xyz"}), "");
    EXPECT_EQ(yaml::nearest("abcdef", {"abcxyz"}), "");  // 3 edits > 6/3
    EXPECT_EQ(yaml::nearest("anything", {}), "");
}

TEST(SceneFile, CueIdsAreHierarchicalNumbers) {
    EXPECT_EQ(problems_of("cues:\n  - {id: 3.x}\n  - {id: 3.1}\n  - {id: \"10.2.5\"}\n  - {id: 1..2}\n"),
              "t.scene.yaml:2:10: cue id '3.x' is not a number like 3 or 3.1\n"
              "t.scene.yaml:5:10: cue id '1..2' is not a number like 3 or 3.1");
}

TEST(SceneFile, TimeOfDayIsHoursAndMinutes) {
    const char* text = "states:\n  - name: s\n    transitions:\n      - {time_of_day: \"%s\", to: s}\n";
    for (const char* good : {"18:30", "9:05", "23:59:59", "00:00"}) {
        char buf[200];
        std::snprintf(buf, sizeof buf, text, good);
        EXPECT_EQ(problems_of(buf), "") << good;
    }
    for (const char* bad : {"24:00", "18:60", "18", "18:3", "18:30:", "x", "18:30:00:00"}) {
        char buf[200];
        std::snprintf(buf, sizeof buf, text, bad);
        EXPECT_EQ(problems_of(buf), std::string("t.scene.yaml:4:23: 'time_of_day' must be \"HH:MM\" or \"HH:MM:SS\", got '") +
                                        bad + "'")
            << bad;
    }
}

TEST(SceneFile, CuesAndActionsAreCheckedForShape) {
    EXPECT_EQ(problems_of("cues:\n  - {id: 1, at: 3, on: {touch: any}}\n"),
              "t.scene.yaml:2:20: a cue fires either 'at' a time or 'on' an input, not both");
    EXPECT_EQ(problems_of("timelines: [{name: a, duration: 1}, {name: b, duration: 1}]\ncues:\n  - {id: 1, actions: [{play: a, stop: b}]}\n"),
              "t.scene.yaml:3:33: action takes only one of play, stop, pause, jump, set, goto, osc, camera, got 'play' and 'stop'");
    EXPECT_EQ(problems_of("cues:\n  - {id: 1, actions: [{osc: /x, to: localhost}]}\n"),
              "t.scene.yaml:2:37: 'to' must be host:port, got 'localhost'");
    EXPECT_EQ(problems_of("cues:\n  - {id: 1, on: {osc: x}}\n"),
              "t.scene.yaml:2:23: 'osc' must be an OSC address like /a/b, got 'x'");
    EXPECT_EQ(problems_of("cues:\n  - {id: 1, on: {}}\n"), "t.scene.yaml:2:17: 'on' needs one of touch, osc");
    EXPECT_EQ(problems_of("cues:\n  - {id: 1, prewait: -1}\n"), "t.scene.yaml:2:22: 'prewait' must not be negative, got -1");
}

TEST(SceneFile, NodesAndCamerasAreCheckedAgainstTheModel) {
    EXPECT_EQ(problems_of(R"(assets:
  bronze: {gltf: relic.gltf}
  hall: {hdr: hall.hdr}
environment: {source: bronze}
nodes:
  - {name: look}
  - {name: a.b}
  - {name: vase, model: bronze, animation: Spin}
  - {name: lamp, model: hall}
  - {name: free, animation: 0}
  - {name: wide, camera: {fov: 180}}
  - {name: c2, camera: {gltf_camera: {node: vase, index: 1}}}
  - {name: c3, camera: {gltf_camera: {node: wide}}}
)"),
              "t.scene.yaml:6:12: node name 'look' is reserved\n"
              "t.scene.yaml:7:12: node name 'a.b' must not contain '.'\n"
              "t.scene.yaml:4:23: asset 'bronze' is not an hdr\n"
              "t.scene.yaml:8:44: model 'bronze' has no animation 'Spin' (it has: Turntable)\n"
              "t.scene.yaml:9:25: asset 'hall' is not a glTF model\n"
              "t.scene.yaml:10:29: 'animation' needs a 'model'\n"
              "t.scene.yaml:11:32: 'fov' must be between 0 and 180 degrees, got 180\n"
              "t.scene.yaml:12:58: model 'bronze' has no camera 1 (it has 1)\n"
              "t.scene.yaml:13:45: node 'wide' is not a model instance: 'gltf_camera' needs one");
}

// ---- robustness ------------------------------------------------------------------------

TEST(SceneFile, OddDocumentsGiveProblemsNotCrashes) {
    EXPECT_EQ(problems_of(""), "t.scene.yaml:1:1: the scene file is empty");
    EXPECT_EQ(problems_of("42\n"), "t.scene.yaml:1:1: the scene file must be a mapping, got a number");
    EXPECT_EQ(problems_of("nodes: []\n---\nnodes: []\n"), "t.scene.yaml:2:1: a second YAML document: the file must hold one");
    EXPECT_EQ(problems_of("nodes: []\n---\n"), "");
    // yaml-cpp reads a stray comma as endless empty documents: it must end as one problem.
    EXPECT_EQ(problems_of(",vitrine: 1\n"), "t.scene.yaml:1:1: YAML syntax error: unexpected ','");
    EXPECT_EQ(problems_of("- a\n,\n"), "t.scene.yaml:2:1: YAML syntax error: unexpected ','");
    EXPECT_EQ(inputs_problems(","), "in.yaml:1:1: YAML syntax error: unexpected ','");
    // An alias cycle: children that contain themselves.
    std::string cycle = problems_of("nodes:\n  - &n {name: a, children: [*n]}\n");
    EXPECT_NE(cycle.find("nodes nest more than 64 levels deep"), std::string::npos) << cycle;
    // Deep nesting stops before the YAML parser (which recurses), with its place.
    std::string deep = problems_of("nodes: " + std::string(5000, '[') + std::string(5000, ']') + "\n");
    EXPECT_NE(deep.find("t.scene.yaml:1:262: YAML nested deeper than 256 levels"), std::string::npos) << deep.substr(0, 200);
    // A billion laughs over nodes stops at the node limit.
    std::string bomb = "nodes:\n  - &l0 {name: r, children: [{name: x}, {name: x}, {name: x}, {name: x}]}\n";
    for (int i = 1; i < 12; ++i)
        bomb += "  - &l" + std::to_string(i) + " {name: r, children: [*l" + std::to_string(i - 1) + ", *l" +
                std::to_string(i - 1) + ", *l" + std::to_string(i - 1) + ", *l" + std::to_string(i - 1) + "]}\n";
    std::string result = problems_of(bomb);
    EXPECT_NE(result.find("more than 10000 nodes"), std::string::npos);
    // Keys that are not names, tags, and wrong kinds at every level.
    EXPECT_EQ(problems_of("? [a]\n: 1\n"), "t.scene.yaml:1:3: a key must be a name, got a sequence");
    EXPECT_NE(problems_of("timelines: [{name: t, duration: 1, tracks: [{target: 5, keys: 7}]}]").size(), 0u);
    EXPECT_NE(problems_of("cues: [{id: [1], at: {timeline: [x], t: {}}, actions: [[], 3, {set: 1, value: {}}]}]").size(), 0u);
    EXPECT_NE(problems_of("states: [{name: s, idle: [], transitions: [{idle: -1, to: s}, {end: false, to: s}, 3]}]").size(), 0u);
}

TEST(SceneFile, AliasesCannotMultiplyWithoutBound) {
    // 500 cues share one list of 500 actions: a small file, a quarter million values.
    std::string text = "timelines: [{name: x, duration: 1}]\nlist: &a [";
    for (int i = 0; i < 500; ++i) text += "{stop: x}, ";
    text += "]\ncues:\n";
    for (int i = 0; i < 500; ++i) text += "  - {id: " + std::to_string(i + 1) + ", actions: *a}\n";
    std::string problems = problems_of(text);
    EXPECT_NE(problems.find("values (aliases repeated too often?); reading stops here"), std::string::npos);
    EXPECT_LT(std::count(problems.begin(), problems.end(), '\n'), 3);
}

// Deterministic random damage to the example: every result is problems, never a crash.
TEST(SceneFile, RandomMutationsNeverCrash) {
    std::mt19937 rng(20240607);
    for (int round = 0; round < 2000; ++round) {
        std::string text = test::mutate_yaml(kExample, rng);
        std::vector<Problem> problems;
        EXPECT_NO_THROW({
            SceneFile s = parse_scene("t.scene.yaml", text, problems);
            validate_scene(s, example_models(), problems);
            for (const Track& tr : s.timelines.empty() ? std::vector<Track>{} : s.timelines[0].tracks)
                (void)bind_property(s, example_models(), tr.target);
        }) << text;
        for (const Problem& p : problems) EXPECT_FALSE(p.message.empty());
    }
}

// ---- resolve_assets ----------------------------------------------------------------------

class ResolveAssets : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() / ("vitrine_resolve_" + std::to_string(::getpid()));
        fs::remove_all(root_);
        fs::create_directories(root_ / "show/scenes/relics");
        fs::create_directories(root_ / "show/assets/env");
        fs::create_directories(root_ / "show/scenes/hooks");
        touch(root_ / "show/scenes/relics/vase.gltf");
        touch(root_ / "show/assets/env/hall.hdr");
        touch(root_ / "show/assets/relics/bowl.gltf");
        touch(root_ / "show/scenes/hooks/demo.lua");
        touch(root_ / "secret.txt");
        fs::create_directory_symlink(root_, root_ / "show/scenes/up");
        scene_ = (root_ / "show/scenes/x.scene.yaml").string();
    }
    void TearDown() override { fs::remove_all(root_); }

    static void touch(const fs::path& p) {
        fs::create_directories(p.parent_path());
        std::ofstream(p) << "x";
    }

    std::string resolve(const std::string& text, SceneFile& s, fs::path* hooks = nullptr) {
        std::vector<Problem> problems;
        s = parse_scene(scene_, text, problems);
        fs::path h = resolve_assets(s, problems);
        if (hooks) *hooks = h;
        std::string all;
        for (const Problem& p : problems) {
            std::string line = p.str();
            if (line.rfind(scene_, 0) == 0) line = "x" + line.substr(scene_.size());  // stable across machines
            all += (all.empty() ? "" : "\n") + line;
        }
        return all;
    }

    fs::path root_;
    std::string scene_;
};

TEST_F(ResolveAssets, FindsFilesInTheSceneFolderThenTheSearchRoots) {
    SceneFile s;
    fs::path hooks;
    EXPECT_EQ(resolve(R"(search: [../assets]
assets:
  vase: {gltf: relics/vase.gltf}
  hall: {hdr: env/hall.hdr}
  bowl: {gltf: relics/bowl.gltf}
hooks: hooks/demo.lua
)",
                      s, &hooks),
              "");
    ASSERT_EQ(s.assets.size(), 3u);
    EXPECT_EQ(s.assets[0].resolved, fs::canonical(root_ / "show/scenes/relics/vase.gltf"));
    EXPECT_EQ(s.assets[1].resolved, fs::canonical(root_ / "show/assets/env/hall.hdr"));
    EXPECT_EQ(s.assets[2].resolved, fs::canonical(root_ / "show/assets/relics/bowl.gltf"));
    EXPECT_EQ(hooks, fs::canonical(root_ / "show/scenes/hooks/demo.lua"));
}

TEST_F(ResolveAssets, RefusesEscapesAndSaysWhereItLooked) {
    SceneFile s;
    fs::path hooks = "unchanged";
    std::string folder = fs::path(scene_).parent_path().generic_string() + "/";
    EXPECT_EQ(resolve(R"(search: [../assets]
assets:
  a: {gltf: ../../secret.txt}
  b: {gltf: up/secret.txt}
  c: {gltf: /etc/passwd}
  d: {gltf: relics/missing.gltf}
hooks: hooks/nope.lua
)",
                      s, &hooks),
              "x:3:13: asset path '../../secret.txt' leaves the scene's folder and its search roots\n"
              "x:4:13: asset path 'up/secret.txt' leaves the scene's folder and its search roots\n"
              "x:5:13: asset path '/etc/passwd' is absolute: write it relative to the scene's folder or a search root\n"
              "x:6:13: asset file 'relics/missing.gltf' not found (looked in " + folder + ", ../assets/)\n"
              "x:7:8: hooks file 'hooks/nope.lua' not found (looked in " + folder + ", ../assets/)");
    for (const Asset& a : s.assets) EXPECT_TRUE(a.resolved.empty()) << a.name;
    EXPECT_TRUE(hooks.empty());
}

// ---- parse_inputs ------------------------------------------------------------------------

TEST(SceneInputs, ReadsEveryKindInOrder) {
    std::vector<Input> in;
    EXPECT_EQ(inputs_problems(R"(inputs:
  - { t: 3.0, touch: vase }
  - { t: 3.5, touch: [0.5, 0.4] }
  - { t: 5.0, osc: /vitrine/state, args: [tour, 2.50, "x y"] }
  - { t: 6.0, go: true }
)",
                              &in),
              "");
    ASSERT_EQ(in.size(), 4u);
    EXPECT_EQ(in[0].kind, InputKind::TouchNode);
    EXPECT_EQ(in[0].node, "vase");
    EXPECT_EQ(in[0].t, 3.0);
    EXPECT_EQ(in[0].loc.str(), "in.yaml:2:5");
    EXPECT_EQ(in[1].kind, InputKind::TouchAt);
    EXPECT_FLOAT_EQ(in[1].x, 0.5f);
    EXPECT_FLOAT_EQ(in[1].y, 0.4f);
    EXPECT_EQ(in[2].kind, InputKind::Osc);
    EXPECT_EQ(in[2].address, "/vitrine/state");
    EXPECT_EQ(in[2].args, (std::vector<std::string>{"tour", "2.5", "x y"}));
    EXPECT_EQ(in[3].kind, InputKind::Osc);
    EXPECT_EQ(in[3].address, "/vitrine/go");
    EXPECT_EQ(inputs_problems(""), "");
}

TEST(SceneInputs, ReportsEveryMistake) {
    std::vector<Input> in;
    EXPECT_EQ(inputs_problems(R"(inputs:
  - { t: 3.0, touch: vase }
  - { t: 2.0, touch: vase }
  - { t: 4.0, tuch: vase }
  - { touch: vase }
  - { t: 5.0, touch: [2, 0] }
  - { t: 5.0, go: true, osc: /x }
  - { t: 5.0, touch: vase, args: [1] }
  - { t: .inf, go: true }
extra: 1
)",
                              &in),
              "in.yaml:10:1: unknown key 'extra' at top level\n"
              "in.yaml:3:10: inputs must be in time order: t 2 follows t 3\n"
              "in.yaml:4:15: unknown key 'tuch' in input (did you mean 'touch'?)\n"
              "in.yaml:5:5: input needs 't'\n"
              "in.yaml:6:22: 'touch' point must lie in 0..1, got [2, 0]\n"
              "in.yaml:7:25: input takes only one of touch, osc, go, got 'go' and 'osc'\n"
              "in.yaml:8:28: 'args' goes with 'osc' only\n"
              "in.yaml:9:10: 't' must be a finite number, got '.inf'");
    ASSERT_EQ(in.size(), 1u);
    EXPECT_EQ(inputs_problems("- 1\n"), "in.yaml:1:1: the inputs file must be a mapping, got a sequence");
    EXPECT_EQ(inputs_problems("inputs: [\n"), "in.yaml:2:1: YAML syntax error: end of sequence flow not found");
}

}  // namespace
}  // namespace vitrine::show
