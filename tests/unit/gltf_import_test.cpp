#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "gltf_builder.h"
#include "scene/gltf_import.h"
#include "scene/pose.h"

using namespace vitrine::scene;

namespace {

// One triangle: positions, indices, mesh, node, scene. `extra_prim` adds attributes;
// `extra_body` adds top-level objects.
std::filesystem::path triangle(const std::string& name, std::vector<float> pos, std::vector<uint16_t> idx,
                               const std::string& nodes = "[{\"mesh\":0}]", const std::string& extra_prim = "",
                               const std::string& extra_body = "", GltfBuilder* pre = nullptr) {
    GltfBuilder b = pre ? *pre : GltfBuilder{};
    int p = b.accessor(b.view(pos), kFloat, pos.size() / 3, "VEC3");
    int i = b.accessor(b.view(idx), kUShort, idx.size(), "SCALAR");
    std::string body = "\"scene\":0,\"scenes\":[{\"nodes\":[0]}],\"nodes\":" + nodes +
                       ",\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":" + std::to_string(p) + extra_prim +
                       "},\"indices\":" + std::to_string(i) + "}]}]" + extra_body;
    return b.write(name, body);
}

const std::vector<float> kTri = {0, 0, 0, 1, 0, 0, 0, 1, 0};

bool mentions(const vitrine::Error& e, const std::string& what) {
    return e.message.find(what) != std::string::npos;
}

}  // namespace

TEST(Import, TriangleLoadsWithFlatNormals) {
    auto m = import_gltf(triangle("ok", kTri, {0, 1, 2}));
    ASSERT_TRUE(m.ok()) << m.error().message;
    const Primitive& p = m->meshes[0].primitives[0];
    EXPECT_EQ(p.indices.size(), 3u);
    for (const Vertex& v : p.vertices) EXPECT_NEAR(v.normal.z, 1.0f, 1e-6f);
    Pose pose = evaluate_pose(m.value(), -1, 0);
    EXPECT_FLOAT_EQ(pose.max.x, 1.0f);
}

TEST(Import, IndexOutOfRangeIsRefused) {
    auto m = import_gltf(triangle("index_range", kTri, {0, 1, 7}));
    ASSERT_FALSE(m.ok());
    EXPECT_TRUE(mentions(m.error(), "index_range.gltf"));
    EXPECT_TRUE(mentions(m.error(), "out of range"));
}

TEST(Import, NonFinitePositionsAreRefused) {
    auto m = import_gltf(triangle("nan", {0, 0, 0, std::numeric_limits<float>::quiet_NaN(), 0, 0, 0, 1, 0}, {0, 1, 2}));
    ASSERT_FALSE(m.ok());
    EXPECT_TRUE(mentions(m.error(), "NaN"));
    auto inf = import_gltf(triangle("inf", {0, 0, 0, std::numeric_limits<float>::infinity(), 0, 0, 0, 1, 0}, {0, 1, 2}));
    EXPECT_FALSE(inf.ok());
}

TEST(Import, NodeCyclesAndSharedChildrenAreRefused) {
    auto cycle = import_gltf(triangle("cycle", kTri, {0, 1, 2}, "[{\"mesh\":0,\"children\":[1]},{\"children\":[2]},{\"children\":[1]}]"));
    ASSERT_FALSE(cycle.ok());
    auto self = import_gltf(triangle("self", kTri, {0, 1, 2}, "[{\"mesh\":0,\"children\":[0]}]"));
    ASSERT_FALSE(self.ok());
    EXPECT_TRUE(mentions(self.error(), "cycle"));
    auto missing = import_gltf(triangle("missing_child", kTri, {0, 1, 2}, "[{\"mesh\":0,\"children\":[9]}]"));
    EXPECT_FALSE(missing.ok());
}

TEST(Import, BufferUriMayNotLeaveTheFolder) {
    GltfBuilder b;
    b.accessor(b.view(kTri), kFloat, 3, "VEC3");
    for (const char* uri : {"../../etc/passwd", "/etc/passwd", "..%2F..%2Fetc%2Fpasswd"}) {
        auto m = import_gltf(b.write("escape", "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0}}]}]", uri));
        ASSERT_FALSE(m.ok()) << uri;
        EXPECT_TRUE(mentions(m.error(), "escape.gltf")) << m.error().message;
    }
}

TEST(Import, ImageUriMayNotLeaveTheFolder) {
    auto m = import_gltf(triangle("image_escape", kTri, {0, 1, 2}, "[{\"mesh\":0}]", "",
                                  ",\"images\":[{\"uri\":\"../../../../etc/passwd\"}]"));
    ASSERT_FALSE(m.ok());
    EXPECT_TRUE(mentions(m.error(), "outside"));
}

TEST(Import, AccessorPastItsViewIsRefused) {
    GltfBuilder b;
    int p = b.accessor(b.view(kTri), kFloat, 4, "VEC3");  // claims 4 vertices, has 3
    auto m = import_gltf(b.write("short_view", "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":" + std::to_string(p) + "}}]}]"));
    ASSERT_FALSE(m.ok());
    EXPECT_TRUE(mentions(m.error(), "past the end"));
}

TEST(Import, HugeCountIsRefusedWithoutAllocating) {
    GltfBuilder b;
    int p = b.accessor(b.view(kTri), kFloat, size_t(1) << 40, "VEC3");
    auto m = import_gltf(b.write("huge", "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":" + std::to_string(p) + "}}]}]"));
    EXPECT_FALSE(m.ok());
}

TEST(Import, LargeCountWithoutDataIsRefusedBeforeAllocating) {
    // 2^27 MAT4 elements would be 137 GB of doubles: refused by range, not by bad_alloc.
    GltfBuilder b;
    int p = b.accessor(b.view(kTri), kFloat, size_t(1) << 27, "MAT4");
    auto m = import_gltf(b.write("large_count", "\"skins\":[{\"joints\":[0],\"inverseBindMatrices\":" + std::to_string(p) +
                                                "}],\"nodes\":[{}]"));
    ASSERT_FALSE(m.ok());
    EXPECT_TRUE(mentions(m.error(), "past the end"));
    GltfBuilder z;  // no bufferView at all: zeros, but not 2^27 of them
    z.view(kTri);   // the buffer itself is not empty
    int q = z.accessor(-1, kFloat, size_t(1) << 27, "VEC3");
    auto n = import_gltf(z.write("large_zeros", "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":" + std::to_string(q) + "}}]}]"));
    ASSERT_FALSE(n.ok());
    EXPECT_TRUE(mentions(n.error(), "no bufferView")) << n.error().message;
}

TEST(Import, SparseAccessorOverridesValues) {
    GltfBuilder b;
    std::vector<uint16_t> which = {1};
    std::vector<float> value = {5, 6, 7};
    int iv = b.view(which), vv = b.view(value);
    std::string sparse = ",\"sparse\":{\"count\":1,\"indices\":{\"bufferView\":" + std::to_string(iv) +
                         ",\"componentType\":5123},\"values\":{\"bufferView\":" + std::to_string(vv) + "}}";
    int p = b.accessor(b.view(kTri), kFloat, 3, "VEC3", sparse);
    auto m = import_gltf(b.write("sparse", "\"scene\":0,\"scenes\":[{\"nodes\":[0]}],\"nodes\":[{\"mesh\":0}],"
                                           "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":" + std::to_string(p) + "}}]}]"));
    ASSERT_TRUE(m.ok()) << m.error().message;
    const auto& v = m->meshes[0].primitives[0].vertices;
    EXPECT_EQ(v[1].position, glm::vec3(5, 6, 7));
    EXPECT_EQ(v[2].position, glm::vec3(0, 1, 0));
}

TEST(Import, NormalizedAndQuantizedAttributes) {
    GltfBuilder b;
    std::vector<int16_t> qpos = {0, 0, 0, 32767, 0, 0, 0, 32767, 0};
    std::vector<uint8_t> colors = {255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 51, 255};
    int p = b.accessor(b.view(qpos), kShort, 3, "VEC3", ",\"normalized\":true");
    int c = b.accessor(b.view(colors), kUByte, 3, "VEC4", ",\"normalized\":true");
    auto m = import_gltf(b.write("quantized", "\"extensionsUsed\":[\"KHR_mesh_quantization\"],\"extensionsRequired\":[\"KHR_mesh_quantization\"],"
                                              "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":" + std::to_string(p) +
                                              ",\"COLOR_0\":" + std::to_string(c) + "}}]}]"));
    ASSERT_TRUE(m.ok()) << m.error().message;
    const auto& v = m->meshes[0].primitives[0].vertices;
    EXPECT_FLOAT_EQ(v[1].position.x, 1.0f);
    EXPECT_NEAR(v[2].color.b, 0.2f, 1e-6f);
}

TEST(Import, TriangleStripBecomesAList) {
    auto path = [] {
        GltfBuilder b;
        std::vector<float> pos = {0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0};
        int p = b.accessor(b.view(pos), kFloat, 4, "VEC3");
        return b.write("strip", "\"meshes\":[{\"primitives\":[{\"mode\":5,\"attributes\":{\"POSITION\":" + std::to_string(p) + "}}]}]");
    }();
    auto m = import_gltf(path);
    ASSERT_TRUE(m.ok()) << m.error().message;
    EXPECT_EQ(m->meshes[0].primitives[0].indices.size(), 6u);
    EXPECT_EQ(m->meshes[0].primitives[0].vertices.size(), 6u);  // flat normals unweld
}

TEST(Import, UnsupportedRequiredExtensionIsNamed) {
    auto m = import_gltf(triangle("required", kTri, {0, 1, 2}, "[{\"mesh\":0}]", "",
                                  ",\"extensionsUsed\":[\"EXT_future_thing\"],\"extensionsRequired\":[\"EXT_future_thing\"]"));
    ASSERT_FALSE(m.ok());
    EXPECT_TRUE(mentions(m.error(), "EXT_future_thing"));
}

TEST(Import, MaterialExtensionsAreRead) {
    std::string mats =
        ",\"materials\":[{\"emissiveFactor\":[1,0.5,0],\"extensions\":{\"KHR_materials_emissive_strength\":{\"emissiveStrength\":4}},"
        "\"pbrMetallicRoughness\":{\"baseColorTexture\":{\"index\":0,\"extensions\":{\"KHR_texture_transform\":"
        "{\"offset\":[0.5,0],\"rotation\":0.25,\"scale\":[2,2],\"texCoord\":1}}}}}],"
        "\"textures\":[{\"source\":0}],\"images\":[{\"uri\":\"missing.png\"}]";
    auto m = import_gltf(triangle("materials", kTri, {0, 1, 2}, "[{\"mesh\":0}]", "", mats));
    ASSERT_TRUE(m.ok()) << m.error().message;
    const Material& mat = m->materials[0];
    EXPECT_FLOAT_EQ(mat.emissive_strength, 4.0f);
    EXPECT_EQ(mat.base_color_tex.tex_coord, 1);
    EXPECT_FLOAT_EQ(mat.base_color_tex.transform.offset.x, 0.5f);
    EXPECT_FLOAT_EQ(mat.base_color_tex.transform.rotation, 0.25f);
    EXPECT_FALSE(m->warnings.empty());  // the missing image is a warning, not an error
}

TEST(Import, GarbageIsRefusedWithTheFileName) {
    auto dir = std::filesystem::temp_directory_path() / "vitrine_import_tests";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "garbage.gltf") << "{ this is not json";
    auto m = import_gltf(dir / "garbage.gltf");
    ASSERT_FALSE(m.ok());
    EXPECT_TRUE(mentions(m.error(), "garbage.gltf"));
    EXPECT_FALSE(import_gltf(dir / "does_not_exist.glb").ok());
}
