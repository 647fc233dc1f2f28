// Hostile input, the loaders' family: text nested too deep for a recursive parser, text
// that is not UTF-8, files that are not regular (a FIFO, a folder, /dev/zero, a socket),
// every decoder fed its file cut at many points (HDR, PNG, JPEG), and glTF files that
// are not glTF, nest 100 000 deep or claim images of 100 000 x 100 000 pixels. Each case
// must be refused with one line naming the file and the problem, quickly.
#include <gtest/gtest.h>
#include <turbojpeg.h>

#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include <stb/stb_image.h>

#include "core/image.h"
#include "core/paths.h"
#include "core/text_checks.h"
#include "hostile.h"
#include "scene/gltf_import.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using namespace vitrine;
using test::TempDir;

namespace {

bool mentions(const Error& e, const std::string& what) { return e.message.find(what) != std::string::npos; }

std::string nested(int depth, char open = '[', char close = ']') {
    return std::string(size_t(depth), open) + std::string(size_t(depth), close);
}

// A Radiance HDR of w x h with run-length scanlines (runs and dumps both used).
std::vector<uint8_t> make_hdr(uint32_t w, uint32_t h) {
    std::string head = "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y " + std::to_string(h) + " +X " + std::to_string(w) + "\n";
    std::vector<uint8_t> out(head.begin(), head.end());
    if (w < 8) {  // too narrow for run-length encoding: flat pixels
        for (uint32_t i = 0; i < w * h; ++i) out.insert(out.end(), {uint8_t(i * 5), uint8_t(i * 3), uint8_t(i), 130});
        return out;
    }
    for (uint32_t y = 0; y < h; ++y) {
        out.insert(out.end(), {2, 2, uint8_t(w >> 8), uint8_t(w & 255)});
        for (int c = 0; c < 4; ++c) {
            std::vector<uint8_t> v(w);
            for (uint32_t x = 0; x < w; ++x)
                v[x] = c == 3 ? uint8_t(128 + (y % 3)) : x < w / 2 ? uint8_t((x * 7 + y * 3 + uint32_t(c) * 50) & 255) : uint8_t(90 + c);
            uint32_t x = 0;
            while (x < w / 2) {  // dumps of up to 128
                uint32_t n = std::min<uint32_t>(128, w / 2 - x);
                out.push_back(uint8_t(n));
                out.insert(out.end(), v.begin() + x, v.begin() + x + n);
                x += n;
            }
            while (x < w) {  // runs of up to 127
                uint32_t n = std::min<uint32_t>(127, w - x);
                out.push_back(uint8_t(128 + n));
                out.push_back(v[x]);
                x += n;
            }
        }
    }
    return out;
}

std::vector<uint8_t> make_jpeg(int w, int h, int flags = 0) {
    std::vector<uint8_t> rgb(size_t(w) * h * 3);
    for (size_t i = 0; i < rgb.size(); ++i) rgb[i] = uint8_t((i * 37 + i / 97) & 255);
    tjhandle t = tjInitCompress();
    unsigned char* buf = nullptr;
    unsigned long size = 0;
    tjCompress2(t, rgb.data(), w, 0, h, TJPF_RGB, &buf, &size, TJSAMP_420, 90, flags);
    std::vector<uint8_t> out(buf, buf + size);
    tjFree(buf);
    tjDestroy(t);
    return out;
}

Image8 pattern(uint32_t w, uint32_t h) {
    Image8 img;
    img.width = w;
    img.height = h;
    img.rgba.resize(size_t(w) * h * 4);
    for (size_t i = 0; i < img.rgba.size(); ++i) img.rgba[i] = uint8_t((i * 13 + i / 211) & 255);
    return img;
}

}  // namespace

// ---- text: nesting and encoding ----

TEST(HostileText, JsonNestedTooDeepIsFoundBeforeParsing) {
    EXPECT_FALSE(json_too_deep(nested(kMaxNesting)));
    auto at = json_too_deep(nested(kMaxNesting + 1));
    ASSERT_TRUE(at);
    EXPECT_EQ(at->line, 1u);
    EXPECT_EQ(at->column, size_t(kMaxNesting + 1));
    EXPECT_TRUE(json_too_deep(nested(100000)));
    EXPECT_TRUE(json_too_deep(nested(100000, '{', '}')));
    EXPECT_TRUE(json_too_deep("{\"a\":\n" + nested(300)));  // unbalanced, on line 2
    EXPECT_EQ(json_too_deep("{\"a\":\n" + nested(300))->line, 2u);
    // Brackets in strings, escaped quotes included, do not nest.
    EXPECT_FALSE(json_too_deep("{\"s\": \"" + std::string(1000, '[') + "\\\"" + std::string(1000, '{') + "\"}"));
    auto r = check_json_nesting(nested(1000), "x.json");
    ASSERT_FALSE(r);
    EXPECT_TRUE(mentions(r.error(), "x.json: nested deeper than 256 levels"));
}

TEST(HostileText, YamlNestedTooDeepIsFoundBeforeParsing) {
    EXPECT_FALSE(yaml_too_deep("a: 1\nb: [1, 2, {c: 3}]\n"));
    EXPECT_TRUE(yaml_too_deep("a: " + nested(100000)));                 // flow sequences
    EXPECT_TRUE(yaml_too_deep("a: " + nested(100000, '{', '}')));       // flow mappings
    std::string dashes;
    for (int i = 0; i < 100000; ++i) dashes += "- ";
    EXPECT_TRUE(yaml_too_deep(dashes + "x\n"));                         // block sequences on one line
    std::string block;
    for (int i = 0; i < 300; ++i) block += std::string(size_t(i), ' ') + "k:\n";
    EXPECT_TRUE(yaml_too_deep(block));                                  // block mappings by indentation
    std::string list_of_pairs = "a: ";
    for (int i = 0; i < 200; ++i) list_of_pairs += "[x: ";
    EXPECT_TRUE(yaml_too_deep(list_of_pairs));                          // [a: b] is two levels a bracket
    // Quoted scalars, comments and block scalars do not nest.
    EXPECT_FALSE(yaml_too_deep("a: \"" + std::string(1000, '[') + "\"\nb: '" + std::string(1000, '{') + "'\n"));
    EXPECT_FALSE(yaml_too_deep("a: 1  # " + std::string(1000, '[') + "\n"));
    std::string lua = "code: |\n";
    for (int i = 0; i < 400; ++i) lua += std::string(size_t(2 + i), ' ') + "[[ - - x\n";
    EXPECT_FALSE(yaml_too_deep(lua + "next: 1\n"));
    EXPECT_FALSE(yaml_too_deep("text: it's [not a list\nmore: fine\n"));
}

TEST(HostileText, EveryShippedSceneAndDisplayFileIsShallow) {
    for (const char* dir : {"scenes", "scenes/displays", "tests/scenes", "tests/displays"}) {
        fs::path folder = fs::path(VITRINE_SOURCE_DIR) / dir;
        if (!fs::is_directory(folder)) continue;
        for (const auto& e : fs::directory_iterator(folder)) {
            if (e.path().extension() != ".yaml") continue;
            auto bytes = test::read_bytes(e.path());
            std::string text(bytes.begin(), bytes.end());
            EXPECT_FALSE(yaml_too_deep(text, 16)) << e.path();
            EXPECT_FALSE(check_utf8(text)) << e.path();
        }
    }
}

TEST(HostileText, NotUtf8IsPlacedAndNamed) {
    EXPECT_FALSE(check_utf8("plain ascii\nand \xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x8F\x9B\n"));
    EXPECT_FALSE(check_utf8("\xEF\xBB\xBFwith a UTF-8 mark"));
    auto latin1 = check_utf8("name: vase\ntitle: caf\xE9 \n");
    ASSERT_TRUE(latin1);
    EXPECT_EQ(latin1->at.line, 2u);
    EXPECT_EQ(latin1->at.column, 11u);
    EXPECT_NE(latin1->message.find("0xE9 is not UTF-8"), std::string::npos);
    auto le = check_utf8(std::string("\xFF\xFEn\0a\0", 6));
    ASSERT_TRUE(le);
    EXPECT_NE(le->message.find("UTF-16 (little-endian"), std::string::npos);
    auto be = check_utf8(std::string("\xFE\xFF\0n", 4));
    ASSERT_TRUE(be);
    EXPECT_NE(be->message.find("UTF-16 (big-endian"), std::string::npos);
    EXPECT_NE(check_utf8(std::string("\xFF\xFE\0\0", 4))->message.find("UTF-32"), std::string::npos);
    auto nul = check_utf8(std::string("a: b\nc: d\0e\n", 12));
    ASSERT_TRUE(nul);
    EXPECT_EQ(nul->at.line, 2u);
    EXPECT_NE(nul->message.find("NUL byte"), std::string::npos);
    for (const char* bad : {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\x80", "\xC3", "\xE2\x82"})
        EXPECT_TRUE(check_utf8(std::string("ok ") + bad)) << "bytes " << bad;
}

// ---- files that are not regular files ----

TEST(HostileFiles, OnlyRegularFilesAreOpenedAndNothingBlocks) {
    test::Watchdog dog(20);
    TempDir dir("vitrine_hostile_files");
    fs::path fifo = test::make_fifo(dir.path / "tile.jpg");
    int sock = test::make_socket(dir.path / "socket.gltf");
    fs::create_directories(dir.path / "folder.hdr");
    fs::path good = dir.write("good.txt", "12345");
    uint64_t size = 0;
    auto fd = open_regular(good, &size);
    ASSERT_TRUE(fd) << fd.error().message;
    EXPECT_EQ(size, 5u);
    ::close(*fd);
    struct Case {
        fs::path path;
        const char* why;
    };
    for (const Case& c : {Case{fifo, "not a regular file (a named pipe)"}, Case{dir.path / "socket.gltf", "(a socket)"},
                          Case{dir.path / "folder.hdr", "(a folder)"}, Case{"/dev/zero", "(a character device)"},
                          Case{dir.path / "missing.png", "file not found"}}) {
        auto start = std::chrono::steady_clock::now();
        auto r = read_file(c.path);
        ASSERT_FALSE(r) << c.path;
        EXPECT_TRUE(mentions(r.error(), c.path.string() + ": ")) << r.error().message;
        EXPECT_TRUE(mentions(r.error(), c.why)) << r.error().message;
        EXPECT_FALSE(fopen_regular(c.path)) << c.path;
        // Every loader on top refuses the same way, at once.
        EXPECT_FALSE(read_hdr(c.path));
        EXPECT_FALSE(read_png(c.path));
        auto model = scene::import_gltf(c.path);
        ASSERT_FALSE(model);
        EXPECT_TRUE(mentions(model.error(), c.why)) << model.error().message;
        EXPECT_LT(test::seconds_since(start), 2.0) << c.path;
    }
    ::close(sock);
}

// ---- decoders cut short ----

TEST(HostileDecoders, HdrEqualsStbOnWholeFiles) {
    std::vector<std::vector<uint8_t>> files = {make_hdr(64, 16), make_hdr(7, 5) /* flat: narrower than 8 */};
    fs::path env = fs::path(VITRINE_SOURCE_DIR) / "../shared/corpus/gltf/_environments/neutral-studio.hdr";
    if (fs::exists(env)) files.push_back(test::read_bytes(env));
    for (const auto& bytes : files) {
        auto ours = decode_hdr(bytes.data(), bytes.size(), "x.hdr");
        ASSERT_TRUE(ours) << ours.error().message;
        int w = 0, h = 0, comp = 0;
        float* theirs = stbi_loadf_from_memory(bytes.data(), int(bytes.size()), &w, &h, &comp, 4);
        ASSERT_TRUE(theirs);
        ASSERT_EQ(ours->width, uint32_t(w));
        ASSERT_EQ(ours->height, uint32_t(h));
        size_t differ = 0;
        for (size_t i = 0; i < ours->rgba.size(); ++i) {
            float t = theirs[i];
            if (!(t >= 0.0f && t < 65504.0f)) t = i % 4 == 3 ? 1.0f : 0.0f;
            differ += ours->rgba[i] != t;
        }
        stbi_image_free(theirs);
        EXPECT_EQ(differ, 0u);
    }
}

TEST(HostileDecoders, HdrCutAnywhereIsRefusedAtOnce) {
    test::Watchdog dog(60);
    std::vector<uint8_t> hdr = make_hdr(300, 40);
    auto start = std::chrono::steady_clock::now();
    for (size_t cut : test::cut_points(hdr.size(), 64, 400)) {
        auto r = decode_hdr(hdr.data(), cut, "cut.hdr");
        ASSERT_FALSE(r) << "cut at " << cut;
        EXPECT_TRUE(mentions(r.error(), "cut.hdr: ")) << r.error().message;
        if (cut > 60) {
            EXPECT_TRUE(mentions(r.error(), "truncated HDR image")) << cut << ": " << r.error().message;
        }
    }
    EXPECT_LT(test::seconds_since(start), 5.0);
    // A run of 0 pixels (the byte stb 2.27 loops on) and a run past the row.
    std::vector<uint8_t> zero = make_hdr(16, 2);
    size_t data = std::string("#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 2 +X 16\n").size() + 4;
    zero[data] = 0;
    EXPECT_TRUE(mentions(decode_hdr(zero.data(), zero.size(), "z.hdr").error(), "corrupt HDR image"));
    zero[data] = 128 + 100;
    EXPECT_TRUE(mentions(decode_hdr(zero.data(), zero.size(), "z.hdr").error(), "corrupt HDR image"));
    std::string huge = "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 100000 +X 100000\n";
    EXPECT_TRUE(mentions(decode_hdr(reinterpret_cast<const uint8_t*>(huge.data()), huge.size(), "h.hdr").error(),
                         "100000x100000"));
}

TEST(HostileDecoders, PngAndJpegTexturesCutAnywhereAreRefusedAtOnce) {
    test::Watchdog dog(60);
    TempDir dir("vitrine_hostile_decoders");
    ASSERT_TRUE(write_png(dir.path / "t.png", pattern(200, 120)));
    std::vector<std::pair<std::string, std::vector<uint8_t>>> files = {
        {"t.png", test::read_bytes(dir.path / "t.png")},
        {"t.jpg", make_jpeg(200, 120)},
        {"progressive.jpg", make_jpeg(200, 120, TJFLAG_PROGRESSIVE)},
    };
    auto start = std::chrono::steady_clock::now();
    for (const auto& [name, bytes] : files) {
        ASSERT_TRUE(decode_image(bytes.data(), bytes.size(), name)) << name;
        for (size_t cut : test::cut_points(bytes.size())) {
            if (name == "t.png" && cut >= bytes.size() - 12) continue;  // only IEND lost: the pixels are whole
            auto r = decode_image(bytes.data(), cut, name);
            ASSERT_FALSE(r) << name << " cut at " << cut << " of " << bytes.size();
            EXPECT_TRUE(mentions(r.error(), name + ": ")) << r.error().message;
        }
    }
    EXPECT_LT(test::seconds_since(start), 10.0);
}

// ---- glTF ----

TEST(HostileGltf, JsonNestedTooDeepIsRefusedNotACrash) {
    test::Watchdog dog(30);
    TempDir dir("vitrine_hostile_gltf");
    std::string deep = "{\"asset\":{\"version\":\"2.0\"},\"extras\":" + nested(100000) + "}";
    for (std::string name : {"deep.gltf", "deep_objects.gltf"}) {
        fs::path p = dir.write(name, name == "deep.gltf" ? deep
                                                         : "{\"asset\":{\"version\":\"2.0\"},\"extras\":" +
                                                               nested(100000, '{', '}') + "}");
        auto m = scene::import_gltf(p);
        ASSERT_FALSE(m);
        EXPECT_TRUE(mentions(m.error(), p.string() + ": nested deeper than 256 levels")) << m.error().message;
    }
    // A .glb's JSON chunk, too.
    std::string json = deep;
    while (json.size() % 4) json += ' ';
    std::string glb = "glTF";
    auto u32 = [&](uint32_t v) { glb.append(reinterpret_cast<const char*>(&v), 4); };
    u32(2);
    u32(uint32_t(12 + 8 + json.size()));
    u32(uint32_t(json.size()));
    u32(0x4E4F534Au);
    glb += json;
    fs::path p = dir.write("deep.glb", glb);
    auto m = scene::import_gltf(p);
    ASSERT_FALSE(m);
    EXPECT_TRUE(mentions(m.error(), "deep.glb: nested deeper than 256 levels")) << m.error().message;
}

TEST(HostileGltf, FilesThatAreNotGltfAreNamedAsSuch) {
    TempDir dir("vitrine_hostile_gltf");
    std::string wav = "RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00";
    wav += std::string(32, '\0');
    for (const auto& [name, bytes] : std::vector<std::pair<std::string, std::string>>{
             {"sound.wav", wav}, {"passwd", "root:x:0:0:root:/root:/bin/bash\n"}, {"text.gltf", "hello, not json at all"},
             {"array.gltf", "[1, 2, 3]                "}}) {
        fs::path p = dir.write(name, bytes);
        auto m = scene::import_gltf(p);
        ASSERT_FALSE(m) << name;
        EXPECT_TRUE(mentions(m.error(), p.string() + ": not a glTF file")) << m.error().message;
        EXPECT_FALSE(mentions(m.error(), "json.exception")) << m.error().message;
    }
}

TEST(HostileGltf, AnImageClaimingHugeSizesIsRefusedBeforeDecoding) {
    test::Watchdog dog(30);
    TempDir dir("vitrine_hostile_gltf");
    // A PNG header claiming 100 000 x 100 000 (and a few bytes of nothing).
    std::string png = "\x89PNG\r\n\x1a\n";
    png += std::string("\0\0\0\x0dIHDR", 8);
    auto be32 = [&](uint32_t v) {
        for (int s = 24; s >= 0; s -= 8) png += char((v >> s) & 255);
    };
    be32(100000);
    be32(100000);
    png += std::string("\x08\x06\0\0\0", 5) + std::string(64, '\0');
    dir.write("huge.png", png);
    // A JPEG whose frame header claims 60 000 x 60 000.
    std::vector<uint8_t> jpeg = make_jpeg(16, 16);
    for (size_t i = 2; i + 9 < jpeg.size(); ++i)
        if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {
            jpeg[i + 5] = jpeg[i + 7] = uint8_t(60000 >> 8);
            jpeg[i + 6] = jpeg[i + 8] = uint8_t(60000 & 255);
            break;
        }
    test::write_bytes(dir.path / "huge.jpg", jpeg.data(), jpeg.size());
    for (std::string image : {"huge.png", "huge.jpg"}) {
        std::string gltf = R"({"asset":{"version":"2.0"},"images":[{"uri":")" + image +
                           R"("}],"textures":[{"source":0}],"materials":[{"pbrMetallicRoughness":{"baseColorTexture":{"index":0}}}]})";
        fs::path p = dir.write("m_" + image + ".gltf", gltf);
        for (bool decode : {true, false}) {
            scene::ImportOptions o;
            o.decode_images = decode;
            auto start = std::chrono::steady_clock::now();
            auto m = scene::import_gltf(p, o);
            ASSERT_FALSE(m) << image;
            EXPECT_TRUE(mentions(m.error(), "image 0 ('" + image + "') claims")) << m.error().message;
            EXPECT_TRUE(mentions(m.error(), "16384")) << m.error().message;
            EXPECT_LT(test::seconds_since(start), 2.0);
        }
    }
}

TEST(HostileGltf, NulBytesInUrisAreRefused) {
    TempDir dir("vitrine_hostile_gltf");
    dir.write("a.bin", std::string(12, '\0'));
    fs::path p = dir.write("nul.gltf", R"({"asset":{"version":"2.0"},"buffers":[{"uri":"a.bin\u0000.txt","byteLength":12}]})");
    auto m = scene::import_gltf(p);
    ASSERT_FALSE(m);
    EXPECT_TRUE(mentions(m.error(), "NUL byte")) << m.error().message;
}
