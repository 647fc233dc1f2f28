// Tile pyramids as material textures on glTF models (`texture:` on a model node):
// parsing (one mapping or a list), every validation problem at its line, and what
// Show::evaluate puts in FrameModel::textures (materials resolved from names, -1 for
// every material, the whole image by default). CPU only: tiny glTF files written here,
// procedural pyramids.
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "mutate.h"
#include "temp_dir.h"
#include "show/loader.h"
#include "show/show.h"

namespace fs = std::filesystem;
using namespace vitrine::show;

namespace {

struct TempDir : vitrine::test::TempDir {
    TempDir() : vitrine::test::TempDir("vitrine_show_texture") { models(); }

    // cylinder.gltf: mesh "tube", two triangles with TEXCOORD_0, materials "paper" (0) and
    // "rod" (1). slab.gltf: mesh "slab", one triangle without TEXCOORD_0, material "stone".
    void models() const {
        const float data[] = {0, 0, 0, 1, 0, 0, 0, 1, 0,  // POSITION
                              0, 1, 1, 1, 0, 0};          // TEXCOORD_0
        std::string bin(sizeof data, '\0');
        std::memcpy(bin.data(), data, sizeof data);
        write("tri.bin", bin);
        const std::string common =
            R"("asset":{"version":"2.0"},"scene":0,"scenes":[{"nodes":[0]}],"nodes":[{"mesh":0}],)"
            R"("buffers":[{"uri":"tri.bin","byteLength":60}],)"
            R"("bufferViews":[{"buffer":0,"byteOffset":0,"byteLength":36},{"buffer":0,"byteOffset":36,"byteLength":24}],)"
            R"("accessors":[{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]},)"
            R"({"bufferView":1,"componentType":5126,"count":3,"type":"VEC2"}],)";
        write("cylinder.gltf", "{" + common +
                                   R"("materials":[{"name":"paper"},{"name":"rod"}],)"
                                   R"("meshes":[{"name":"tube","primitives":[)"
                                   R"({"attributes":{"POSITION":0,"TEXCOORD_0":1},"material":0},)"
                                   R"({"attributes":{"POSITION":0,"TEXCOORD_0":1},"material":1}]}]})");
        write("slab.gltf", "{" + common +
                               R"("materials":[{"name":"stone"}],)"
                               R"("meshes":[{"name":"slab","primitives":[{"attributes":{"POSITION":0},"material":0}]}]})");
    }
};

const char* kAssets = R"(assets:
  cylinder: {gltf: cylinder.gltf}
  slab: {gltf: slab.gltf}
  scroll: {pyramid: "procedural:pattern:100000x20000"}
  band: {pyramid: "procedural:pattern:4000x500:0.1"}
nodes:
)";

std::vector<Problem> problems_of(const TempDir& dir, const std::string& nodes) {
    std::vector<Problem> problems;
    load_scene(dir.write("p.scene.yaml", std::string(kAssets) + nodes), problems);
    return problems;
}

std::string all(const std::vector<Problem>& problems) {
    std::string out;
    for (const Problem& p : problems) out += "\n  " + p.str();
    return out;
}

const FrameModel& model_of(const Frame& f, const LoadedScene& s, const std::string& name) {
    int node = s.file.node_index(name);
    for (const FrameModel& fm : f.models)
        if (fm.node == node) return fm;
    ADD_FAILURE() << "no model node " << name;
    return f.models.at(0);
}

}  // namespace

TEST(ShowTexture, ParsesOneMappingOrAList) {
    std::vector<Problem> problems;
    SceneFile s = parse_scene("t.scene.yaml", std::string(kAssets) + R"(  - name: scroll_model
    model: cylinder
    texture: {pyramid: scroll, material: paper, region: [0, 0, 100000, 20000]}
  - name: vase
    model: cylinder
    texture:
      - {pyramid: band, material: 1}
      - pyramid: scroll
        material: paper
  - name: whole
    model: cylinder
    texture: {pyramid: scroll}
  - name: bare
    model: cylinder
)",
                              problems);
    ASSERT_TRUE(problems.empty()) << all(problems);
    ASSERT_EQ(s.nodes.size(), 4u);
    const Node& a = s.nodes[0];
    ASSERT_EQ(a.textures.size(), 1u);
    EXPECT_EQ(a.textures[0].pyramid, "scroll");
    EXPECT_EQ(a.textures[0].material, "paper");
    EXPECT_TRUE(a.textures[0].has_region);
    EXPECT_EQ(a.textures[0].region, glm::dvec4(0, 0, 100000, 20000));
    EXPECT_EQ(a.locs.at("texture", a.loc).line, 9);
    EXPECT_EQ(a.textures[0].locs.at("material", a.textures[0].loc).str(), "t.scene.yaml:9:42");
    const Node& b = s.nodes[1];
    ASSERT_EQ(b.textures.size(), 2u);
    EXPECT_EQ(b.textures[0].pyramid, "band");
    EXPECT_EQ(b.textures[0].material, "1");  // an index, as text (like `animation`)
    EXPECT_FALSE(b.textures[0].has_region);
    EXPECT_EQ(b.textures[0].loc.line, 13);
    EXPECT_EQ(b.textures[1].pyramid, "scroll");
    EXPECT_EQ(b.textures[1].material, "paper");
    EXPECT_EQ(b.textures[1].locs.at("material", b.textures[1].loc).line, 15);
    ASSERT_EQ(s.nodes[2].textures.size(), 1u);
    EXPECT_TRUE(s.nodes[2].textures[0].material.empty());
    EXPECT_TRUE(s.nodes[3].textures.empty());
}

TEST(ShowTexture, EveryProblemAtItsLine) {
    TempDir dir;
    // The node list starts at line 7 of p.scene.yaml: a case's third line is line 9.
    struct Case {
        std::string nodes, expected;
    };
    const std::string head = "  - name: m\n    model: cylinder\n";
    const std::vector<Case> cases = {
        {head + "    texture: {pyramid: scrol}\n", "9:24: unknown asset 'scrol' (did you mean 'scroll'?)"},
        {head + "    texture: {pyramid: slab}\n", "9:24: asset 'slab' is not a pyramid"},
        {"  - name: m\n    translation: [0, 1, 0]\n    texture: {pyramid: scroll}\n", "9:14: 'texture' needs a 'model'"},
        {"  - name: m\n    light: {type: point}\n    texture: {pyramid: scroll}\n", "9:14: 'texture' needs a 'model'"},
        {head + "    texture: {pyramid: scroll, material: papr}\n",
         "9:42: model 'cylinder' has no material 'papr' (it has: paper, rod)"},
        {head + "    texture: {pyramid: scroll, material: 2}\n",
         "9:42: model 'cylinder' has no material '2' (it has: paper, rod)"},
        {head + "    texture: {pyramid: scroll, region: [0, 0, 0, 100]}\n",
         "9:40: 'region' width and height must be more than 0, got 0 x 100"},
        {head + "    texture: {pyramid: scroll, region: [0, 0, 100, -5]}\n",
         "9:40: 'region' width and height must be more than 0, got 100 x -5"},
        {head + "    texture: {pyramid: scroll, regoin: [0, 0, 1, 1]}\n",
         "9:32: unknown key 'regoin' in texture (did you mean 'region'?)"},
        {head + "    texture: {pyramd: scroll}\n", "9:15: unknown key 'pyramd' in texture (did you mean 'pyramid'?)"},
        {head + "    texture: {material: paper}\n", "9:14: texture needs 'pyramid'"},
        {head + "    texture: scroll\n", "9:14: 'texture' must be a mapping or a list of mappings, got a string"},
        {head + "    texture: []\n", "9:14: 'texture' must not be empty"},
        {head + "    texture: [scroll]\n", "9:15: a texture must be a mapping, got a string"},
        {head + "    texture: {pyramid: scroll, material: \"\"}\n",
         "9:42: 'material' must not be empty (leave it out for every material)"},
        {head + "    texture:\n      - {pyramid: scroll, material: paper}\n      - {pyramid: band, material: 0}\n",
         "11:35: material '0' is textured twice (first at " + (dir.path / "p.scene.yaml").string() + ":10:9)"},
        {head + "    texture:\n      - {pyramid: scroll, material: rod}\n      - {pyramid: band}\n",
         "11:9: a texture without 'material' is for every material: it cannot share node 'm' with another (at " +
             (dir.path / "p.scene.yaml").string() + ":10:9)"},
        {head + "    texture:\n      - {pyramid: scroll}\n      - {pyramid: band, material: rod}\n",
         "11:35: material 'rod' is already textured by the texture for every material (at " +
             (dir.path / "p.scene.yaml").string() + ":10:9)"},
        {"  - name: m\n    model: slab\n    texture: {pyramid: scroll, material: stone}\n",
         "9:42: material 'stone' of model 'slab' is drawn without TEXCOORD_0 (mesh 'slab'): a pyramid texture needs "
         "texture coordinates"},
        {"  - name: m\n    model: slab\n    texture: {pyramid: scroll}\n",
         "9:14: model 'slab' is drawn without TEXCOORD_0 (mesh 'slab'): a pyramid texture needs texture coordinates"},
    };
    const std::string prefix = (dir.path / "p.scene.yaml").string() + ":";
    for (const Case& c : cases) {
        std::vector<Problem> problems = problems_of(dir, c.nodes);
        ASSERT_EQ(problems.size(), 1u) << c.nodes << all(problems);
        EXPECT_EQ(problems[0].str(), prefix + c.expected) << c.nodes;
    }
    // Each material once, by name and by index alike, and a texture on every material: no problem.
    EXPECT_TRUE(problems_of(dir, head + "    texture: [{pyramid: scroll, material: paper}, {pyramid: band, material: 1}]\n")
                    .empty());
    EXPECT_TRUE(problems_of(dir, head + "    texture: {pyramid: band}\n").empty());
}

TEST(ShowTexture, FrameCarriesResolvedTextures) {
    TempDir dir;
    std::vector<Problem> problems;
    auto scene = load_scene(dir.write("t.scene.yaml", std::string(kAssets) + R"(  - name: scroll_model
    model: cylinder
    texture: {pyramid: scroll, material: paper, region: [0, 0, 100000, 20000.5]}
  - name: vase
    model: cylinder
    texture:
      - {pyramid: band, material: 1, region: [-10, 20, 300, 40]}
      - {pyramid: scroll, material: paper}
  - name: whole
    model: cylinder
    texture: {pyramid: band}
  - name: bare
    model: cylinder
)"),
                            problems);
    ASSERT_TRUE(scene) << all(problems);
    auto show = Show::create(*scene);
    Frame frame;
    show->evaluate(frame);
    const vitrine::zoom::Pyramid* scroll = scene->pyramids.at("scroll").get();
    const vitrine::zoom::Pyramid* band = scene->pyramids.at("band").get();

    const FrameModel& a = model_of(frame, *scene, "scroll_model");
    ASSERT_EQ(a.textures.size(), 1u);
    EXPECT_EQ(a.textures[0].material, 0);  // "paper"
    EXPECT_EQ(a.textures[0].pyramid, scroll);
    EXPECT_EQ(a.textures[0].region, glm::dvec4(0, 0, 100000, 20000.5));  // exactly, in double

    const FrameModel& b = model_of(frame, *scene, "vase");
    ASSERT_EQ(b.textures.size(), 2u);  // in file order
    EXPECT_EQ(b.textures[0].material, 1);
    EXPECT_EQ(b.textures[0].pyramid, band);
    EXPECT_EQ(b.textures[0].region, glm::dvec4(-10, 20, 300, 40));
    EXPECT_EQ(b.textures[1].material, 0);
    EXPECT_EQ(b.textures[1].pyramid, scroll);
    EXPECT_EQ(b.textures[1].region, glm::dvec4(0, 0, 100000, 20000));  // the whole image

    const FrameModel& c = model_of(frame, *scene, "whole");
    ASSERT_EQ(c.textures.size(), 1u);
    EXPECT_EQ(c.textures[0].material, -1);  // every material
    EXPECT_EQ(c.textures[0].pyramid, band);
    EXPECT_EQ(c.textures[0].region, glm::dvec4(0, 0, 4000, 500));

    EXPECT_TRUE(model_of(frame, *scene, "bare").textures.empty());

    // Every frame carries them, in the same memory.
    const FrameTexture* before = b.textures.data();
    show->advance(1.5);
    show->evaluate(frame);
    const FrameModel& again = model_of(frame, *scene, "vase");
    ASSERT_EQ(again.textures.size(), 2u);
    EXPECT_EQ(again.textures.data(), before);
    EXPECT_EQ(again.textures[0].region, glm::dvec4(-10, 20, 300, 40));
}

TEST(ShowTexture, DamagedTexturesNeverCrash) {
    TempDir dir;
    const std::string text = std::string(kAssets) + R"(  - name: vase
    model: cylinder
    texture:
      - {pyramid: band, material: 1, region: [-10, 20, 300, 40]}
      - {pyramid: scroll, material: paper}
  - name: whole
    model: cylinder
    texture: {pyramid: band}
)";
    std::mt19937 rng(7);
    int loaded = 0;
    for (int i = 0; i < 150; ++i) {
        std::vector<Problem> problems;
        auto scene = load_scene(dir.write("m.scene.yaml", vitrine::test::mutate_yaml(text, rng)), problems);
        EXPECT_EQ(scene == nullptr, !problems.empty());
        for (const Problem& p : problems) EXPECT_FALSE(p.message.empty());
        if (!scene) continue;
        ++loaded;
        auto show = Show::create(*scene);
        Frame frame;
        show->evaluate(frame);
        for (const FrameModel& fm : frame.models)
            for (const FrameTexture& t : fm.textures) {
                EXPECT_NE(t.pyramid, nullptr);
                EXPECT_LT(t.material, int(fm.model->materials.size()));
            }
    }
    EXPECT_GT(loaded, 0);    // some damage is harmless (a comment, a repeated space) and still evaluates
    EXPECT_LT(loaded, 150);  // the damage is real: most versions have problems
}
