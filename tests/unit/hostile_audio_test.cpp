// Hostile input, the sound files' family: WAV, FLAC and OGG Vorbis cut at many points
// (refused when opened, or read only as far as they go: never a hang or a crash), a WAV
// whose header claims 4 GB it does not hold, 7-bit samples, and sound files that are
// FIFOs, folders or devices.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <string>
#include <variant>
#include <vector>

#include "audio/sound_file.h"
#include "hostile.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using namespace vitrine;
using audio::SoundFile;
using test::TempDir;

namespace {

bool mentions(const Error& e, const std::string& what) { return e.message.find(what) != std::string::npos; }

// One second of a 440 Hz tone at 16 kHz through libsndfile: WAV, FLAC or OGG Vorbis.
bool write_tone(const fs::path& path, int format) {
    SF_INFO info{};
    info.samplerate = 16000;
    info.channels = 1;
    info.format = format;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    if (!f) return false;
    std::vector<float> tone(16000);
    for (size_t i = 0; i < tone.size(); ++i) tone[i] = 0.5f * std::sin(float(i) * 440.0f * 6.2831853f / 16000.0f);
    sf_writef_float(f, tone.data(), sf_count_t(tone.size()));
    sf_close(f);
    return true;
}

// A PCM WAV of `bits` per sample whose data chunk claims `claim` bytes and holds `holds`.
std::vector<uint8_t> wav(uint32_t claim, uint32_t holds, uint16_t bits = 16) {
    std::vector<uint8_t> out;
    auto u16 = [&](uint32_t v) { out.insert(out.end(), {uint8_t(v), uint8_t(v >> 8)}); };
    auto u32 = [&](uint32_t v) { u16(v & 0xFFFF), u16(v >> 16); };
    auto tag = [&](const char* t) { out.insert(out.end(), t, t + 4); };
    const uint16_t block = uint16_t((bits + 7) / 8);
    tag("RIFF"), u32(4 + 24 + 8 + holds), tag("WAVE");
    tag("fmt "), u32(16), u16(1), u16(1), u32(8000), u32(8000u * block), u16(block), u16(bits);
    tag("data"), u32(claim);
    for (uint32_t i = 0; i < holds; ++i) out.push_back(uint8_t(i * 7));
    return out;
}

// Opens and reads everything: the error, or the frames read (never more than claimed).
std::variant<Error, uint64_t> read_all(const fs::path& path) {
    auto f = SoundFile::open(path);
    if (!f) return f.error();
    std::vector<float> buf(4096 * 2);
    uint64_t total = 0;
    for (;;) {
        auto got = f->read(buf.data(), 4096);
        if (!got) return got.error();
        total += *got;
        if (*got < 4096) break;
        if (total > f->info().frames) return fail("read past the frames the header claims");
    }
    return total;
}

}  // namespace

TEST(HostileAudio, FilesCutAnywhereAreRefusedOrReadOnlyAsFarAsTheyGo) {
    test::Watchdog dog(120);
    TempDir dir("vitrine_hostile_audio");
    struct Kind {
        const char* ext;
        int format;
    };
    auto start = std::chrono::steady_clock::now();
    for (const Kind& k : {Kind{"wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16}, Kind{"flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16},
                          Kind{"ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS}}) {
        fs::path whole = dir.path / (std::string("whole.") + k.ext);
        if (!write_tone(whole, k.format)) {
            ADD_FAILURE() << "libsndfile cannot write " << k.ext;
            continue;
        }
        auto all = read_all(whole);
        ASSERT_TRUE(std::holds_alternative<uint64_t>(all)) << std::get<Error>(all).message;
        EXPECT_EQ(std::get<uint64_t>(all), 16000u);
        std::vector<uint8_t> bytes = test::read_bytes(whole);
        size_t refused = 0;
        for (size_t cut : test::cut_points(bytes.size(), 48, 60)) {
            fs::path p = dir.path / (std::string("cut.") + k.ext);
            test::write_bytes(p, bytes.data(), cut);
            auto r = read_all(p);
            if (auto* e = std::get_if<Error>(&r)) {
                ++refused;
                EXPECT_TRUE(mentions(*e, p.string() + ": ")) << e->message;
                EXPECT_EQ(e->message.find('\n'), std::string::npos) << e->message;
            } else {
                EXPECT_LT(std::get<uint64_t>(r), 16000u) << k.ext << " cut at " << cut << " read whole";
            }
            // A WAV cut past its header says so (libsndfile would shorten it silently).
            if (std::string(k.ext) == "wav" && cut > 100) {
                ASSERT_TRUE(std::holds_alternative<Error>(r)) << "cut at " << cut;
                EXPECT_TRUE(mentions(std::get<Error>(r), "truncated")) << std::get<Error>(r).message;
            }
        }
        EXPECT_GT(refused, 0u) << k.ext;
    }
    EXPECT_LT(test::seconds_since(start), 60.0);
}

TEST(HostileAudio, AWavClaimingDataItDoesNotHoldIsRefused) {
    TempDir dir("vitrine_hostile_audio");
    for (uint32_t claim : {0xF0000000u, 0xFFFFFFF0u, 0xFFFFFFFEu, 100000u}) {
        std::vector<uint8_t> bytes = wav(claim, 2000);
        fs::path p = dir.path / "lies.wav";
        test::write_bytes(p, bytes.data(), bytes.size());
        auto f = SoundFile::open(p);
        ASSERT_FALSE(f) << claim;
        EXPECT_TRUE(mentions(f.error(), "lies.wav: truncated: its data chunk claims " + std::to_string(claim) + " bytes"))
            << f.error().message;
    }
    // 0xFFFFFFFF (and 0) mean "unknown" in a WAV written as a stream: the file's length counts.
    std::vector<uint8_t> bytes = wav(0xFFFFFFFFu, 2000);
    fs::path p = dir.path / "stream.wav";
    test::write_bytes(p, bytes.data(), bytes.size());
    auto f = SoundFile::open(p);
    ASSERT_TRUE(f) << f.error().message;
    EXPECT_EQ(f->info().frames, 1000u);
}

TEST(HostileAudio, SevenBitSamplesAreRefused) {
    TempDir dir("vitrine_hostile_audio");
    for (uint16_t bits : {1, 4, 7}) {
        std::vector<uint8_t> bytes = wav(2000, 2000, bits);
        fs::path p = dir.path / "odd.wav";
        test::write_bytes(p, bytes.data(), bytes.size());
        auto f = SoundFile::open(p);
        ASSERT_FALSE(f) << bits;
        EXPECT_TRUE(mentions(f.error(), "odd.wav: " + std::to_string(bits) + "-bit samples")) << f.error().message;
    }
    for (uint16_t bits : {8, 16, 24}) {  // whole bytes are read as before
        std::vector<uint8_t> bytes = wav(2400, 2400, bits);
        fs::path p = dir.path / "fine.wav";
        test::write_bytes(p, bytes.data(), bytes.size());
        EXPECT_TRUE(SoundFile::open(p)) << bits;
    }
}

TEST(HostileAudio, SoundFilesThatAreNotRegularAreRefusedAtOnce) {
    test::Watchdog dog(20);
    TempDir dir("vitrine_hostile_audio");
    fs::path fifo = test::make_fifo(dir.path / "bell.wav");
    fs::create_directories(dir.path / "folder.wav");
    for (const auto& [path, why] : std::vector<std::pair<fs::path, std::string>>{
             {fifo, "not a regular file (a named pipe)"}, {dir.path / "folder.wav", "(a folder)"},
             {"/dev/zero", "(a character device)"}, {dir.path / "none.wav", "no such audio file"}}) {
        auto start = std::chrono::steady_clock::now();
        auto f = SoundFile::open(path);
        ASSERT_FALSE(f) << path;
        EXPECT_TRUE(mentions(f.error(), why)) << f.error().message;
        EXPECT_LT(test::seconds_since(start), 2.0);
    }
}
