// The public corpus in ../shared/corpus: every model loads (or is refused with a
// clear reason), every malformed file is refused or loads with warnings, and
// fuzzed variants of real files never crash, hang or over-allocate.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "core/paths.h"
#include "scene/gltf_import.h"

namespace fs = std::filesystem;
using namespace vitrine::scene;

namespace {

fs::path corpus() {
    const char* c = std::getenv("VITRINE_CORPUS");
    if (!c || !fs::is_directory(fs::path(c) / "gltf")) return {};
    return fs::path(c) / "gltf";
}

std::vector<fs::path> models_under(const fs::path& dir) {
    std::vector<fs::path> out;
    for (auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file() && (e.path().extension() == ".gltf" || e.path().extension() == ".glb")) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

#define REQUIRE_CORPUS()                                                          \
    if (corpus().empty()) GTEST_SKIP() << "skipped: ../shared/corpus is not present"

TEST(Corpus, EveryModelLoads) {
    REQUIRE_CORPUS();
    int loaded = 0;
    for (const fs::path& p : models_under(corpus())) {
        if (p.string().find("/_invalid/") != std::string::npos) continue;
        auto m = import_gltf(p);
        if (m.ok()) {
            ++loaded;
            size_t tris = 0;
            for (auto& mesh : m->meshes)
                for (auto& prim : mesh.primitives) tris += prim.indices.size() / 3;
            EXPECT_GT(tris, 0u) << p;
            continue;
        }
        ADD_FAILURE() << p << ": " << m.error().message;
    }
    EXPECT_GE(loaded, 47);  // every model file in the corpus
}

TEST(Corpus, DracoMatchesPlainGeometry) {
    REQUIRE_CORPUS();
    auto plain = import_gltf(corpus() / "Duck/glTF/Duck.gltf");
    auto draco = import_gltf(corpus() / "Duck/glTF-Draco/Duck.gltf");
    ASSERT_TRUE(plain.ok() && draco.ok()) << (plain.ok() ? draco.error().message : plain.error().message);
    const auto& a = plain->meshes[0].primitives[0];
    const auto& b = draco->meshes[0].primitives[0];
    EXPECT_EQ(a.indices.size(), b.indices.size());
    for (int k = 0; k < 3; ++k) {
        EXPECT_NEAR(a.min[k], b.min[k], 0.5f);  // Draco quantizes positions (11-14 bits)
        EXPECT_NEAR(a.max[k], b.max[k], 0.5f);
    }
    auto venus = import_gltf(corpus() / "Venus/venus.gltf");
    ASSERT_TRUE(venus.ok()) << venus.error().message;
}

TEST(Corpus, MalformedFilesAreRefusedCleanly) {
    REQUIRE_CORPUS();
    int refused = 0;
    for (const fs::path& p : models_under(corpus() / "_invalid")) {
        auto m = import_gltf(p);
        if (!m.ok()) {
            ++refused;
            EXPECT_NE(m.error().message.find(p.filename().string()), std::string::npos) << m.error().message;
            EXPECT_EQ(m.error().message.find('\n'), std::string::npos) << "error must be one line: " << m.error().message;
        }
    }
    EXPECT_GE(refused, 10);
}

TEST(Corpus, FuzzedFilesNeverCrash) {
    REQUIRE_CORPUS();
    std::mt19937 rng(20261122);
    fs::path dir = fs::temp_directory_path() / "vitrine_fuzz";
    fs::create_directories(dir);
    const char* sources[] = {"Box/glTF-Binary/Box.glb", "BoxTextured/glTF-Binary/BoxTextured.glb", "Box/glTF/Box.gltf",
                             "Fox/glTF-Binary/Fox.glb", "TextureCoordinateTest/glTF-Binary/TextureCoordinateTest.glb",
                             "Box/glTF-Draco/Box.gltf", "Duck/glTF-Draco/Duck.gltf", "Duck/glTF-Quantized/Duck.gltf",
                             "BoxMeshopt/BoxMeshopt.glb", "BoxMeshopt/BoxMeshopt.gltf"};
    int variants = 0, refused = 0;
    auto start = std::chrono::steady_clock::now();
    for (const char* s : sources) {
        fs::path src = corpus() / s;
        auto bytes = vitrine::read_file(src);
        ASSERT_TRUE(bytes.ok());
        // The .gltf's sibling files must be next to the fuzzed copy.
        for (auto& e : fs::directory_iterator(src.parent_path()))
            if (e.path().extension() != ".gltf" && e.path().extension() != ".glb")
                fs::copy_file(e.path(), dir / e.path().filename(), fs::copy_options::overwrite_existing);
        for (int k = 0; k < 250; ++k) {
            std::vector<uint8_t> v = bytes.value();
            switch (k % 3) {
                case 0: v.resize(rng() % v.size()); break;                           // truncate
                case 1: for (int f = 0; f < 8; ++f) v[rng() % v.size()] ^= uint8_t(1 << (rng() % 8)); break;  // flip bits
                case 2: for (int f = 0; f < 4; ++f) v[rng() % v.size()] = uint8_t('0' + rng() % 10); break;   // digits: counts, indices
            }
            fs::path f = dir / (std::string("fuzz") + src.extension().string());
            std::ofstream(f, std::ios::binary).write(reinterpret_cast<const char*>(v.data()), std::streamsize(v.size()));
            auto m = import_gltf(f);
            ++variants;
            if (!m.ok()) {
                ++refused;
                EXPECT_FALSE(m.error().message.empty());
            }
        }
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 120.0) << "fuzzed loads must not hang";
    std::printf("fuzz: %d variants, %d refused, %.2f s\n", variants, refused, seconds);
    EXPECT_GT(refused, variants / 4);
}
