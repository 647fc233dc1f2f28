// The audio engine on OpenAL Soft's loopback device (no sound card): panning, HRTF,
// layouts, distance models, reverb, streaming through an underrun, moving sources, bad
// files, WAV output, determinism and memory over many devices and voices.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "audio/engine.h"
#include "audio/layout.h"
#include "audio/probe.h"
#include "audio/wav.h"

namespace fs = std::filesystem;
using namespace vitrine;
using namespace vitrine::audio;

namespace {

constexpr uint32_t kRate = 48000;

fs::path temp_dir() {
    static const fs::path dir = [] {
        fs::path d = fs::temp_directory_path() / ("vitrine_audio_test_" + std::to_string(getpid()));
        fs::remove_all(d);
        fs::create_directories(d);
        return d;
    }();
    return dir;
}

struct CleanUp : ::testing::Environment {
    void TearDown() override { fs::remove_all(temp_dir()); }
};
const auto* const kCleanUp = ::testing::AddGlobalTestEnvironment(new CleanUp);

// White noise from a fixed-seed generator, the same on every machine.
std::vector<float> noise(size_t frames, uint32_t seed = 1) {
    std::vector<float> out(frames);
    uint32_t x = seed * 2654435761u + 1;
    for (float& v : out) {
        x = x * 1664525u + 1013904223u;
        v = float(x >> 8) / float(1u << 24) - 0.5f;
    }
    return out;
}

std::vector<float> sine(size_t frames, double hz) {
    std::vector<float> out(frames);
    for (size_t i = 0; i < frames; ++i) out[i] = float(0.5 * std::sin(2 * M_PI * hz * double(i) / kRate));
    return out;
}

fs::path write_mono(const std::string& name, const std::vector<float>& samples, uint32_t rate = kRate) {
    const fs::path path = temp_dir() / name;
    auto written = write_wav(path, samples, 1, 0x4, rate);  // mono: front centre
    EXPECT_TRUE(written.ok()) << (written.ok() ? "" : written.error().message);
    return path;
}

const fs::path& noise_file() {
    static const fs::path path = write_mono("noise.wav", noise(kRate * 2));
    return path;
}

std::unique_ptr<Engine> loopback(Layout layout, uint32_t rate = kRate) {
    auto engine = Engine::open_loopback(layout, rate);
    EXPECT_TRUE(engine.ok()) << (engine.ok() ? "" : engine.error().message);
    return engine.ok() ? std::move(*engine) : nullptr;
}

Voice looping_noise(glm::vec3 position) {
    Voice v;
    v.id = 1;
    v.file = noise_file().string();
    v.loop = true;
    v.playing = true;
    v.position = position;
    return v;
}

// Renders `seconds` of one voice (updated every 0.1 s) and returns the interleaved mix.
std::vector<float> render(Engine& engine, std::vector<Voice> voices, double seconds, const Mix& mix = {},
                          const Listener& listener = {}) {
    const int channels = channel_count(engine.layout());
    const uint32_t step = engine.rate() / 10;
    const uint32_t steps = uint32_t(std::lround(seconds * 10));
    std::vector<float> out(size_t(step) * steps * size_t(channels));
    for (uint32_t i = 0; i < steps; ++i) {
        for (Voice& v : voices) v.offset = double(i) * 0.1;
        engine.update(listener, voices, mix);
        EXPECT_TRUE(engine.render(out.data() + size_t(i) * step * size_t(channels), step).ok());
    }
    return out;
}

// RMS of one channel from frame `from` on.
double rms(const std::vector<float>& mix, int channels, int channel, size_t from = 4800, size_t to = SIZE_MAX) {
    double sum = 0;
    size_t n = 0;
    const size_t frames = std::min(to, mix.size() / size_t(channels));
    for (size_t f = from; f < frames; ++f, ++n) sum += double(mix[f * size_t(channels) + size_t(channel)]) *
                                                       mix[f * size_t(channels) + size_t(channel)];
    return n ? std::sqrt(sum / double(n)) : 0.0;
}

double db(double ratio) { return 20 * std::log10(ratio); }

long resident_bytes() {
    long pages = 0, resident = 0;
    std::ifstream statm("/proc/self/statm");
    statm >> pages >> resident;
    return resident * sysconf(_SC_PAGESIZE);
}

// 90 degrees left, 30 degrees right, straight ahead; 2 m away.
const glm::vec3 kLeft{-2, 0, 0}, kRight30{2 * 0.5f, 0, -2 * 0.8660254f}, kAhead{0, 0, -2};

}  // namespace

TEST(AudioLayout, NamesCountsMasksAndTheRefusedSixOne) {
    EXPECT_EQ(*parse_layout("stereo"), Layout::Stereo);
    EXPECT_EQ(*parse_layout("hrtf"), Layout::Hrtf);
    EXPECT_EQ(*parse_layout("quad"), Layout::Quad);
    EXPECT_EQ(*parse_layout("5.1"), Layout::Surround51);
    EXPECT_EQ(*parse_layout("7.1"), Layout::Surround71);
    auto six = parse_layout("6.1");
    ASSERT_FALSE(six.ok());
    EXPECT_NE(six.error().message.find("front-left"), std::string::npos) << six.error().message;
    EXPECT_FALSE(parse_layout("mono").ok());
    EXPECT_EQ(channel_count(Layout::Hrtf), 2);
    EXPECT_EQ(channel_count(Layout::Surround71), 8);
    EXPECT_EQ(channel_mask(Layout::Stereo), 0x3u);
    EXPECT_EQ(channel_mask(Layout::Quad), 0x33u);
    EXPECT_EQ(channel_mask(Layout::Surround51), 0x60Fu);
    EXPECT_EQ(channel_mask(Layout::Surround71), 0x63Fu);
}

TEST(AudioPanning, LeftRightAndCentreInStereo) {
    auto engine = loopback(Layout::Stereo);
    ASSERT_TRUE(engine);
    auto left = render(*engine, {looping_noise(kLeft)}, 0.6);
    EXPECT_GT(rms(left, 2, 0), 0.01);
    EXPECT_LT(rms(left, 2, 1), 1e-4 * rms(left, 2, 0));

    engine = loopback(Layout::Stereo);
    auto right = render(*engine, {looping_noise(kRight30)}, 0.6);
    const double difference = db(rms(right, 2, 1) / rms(right, 2, 0));
    EXPECT_GE(difference, 11.0);
    EXPECT_LE(difference, 14.0);

    engine = loopback(Layout::Stereo);
    auto centre = render(*engine, {looping_noise(kAhead)}, 0.6);
    EXPECT_LT(std::abs(db(rms(centre, 2, 1) / rms(centre, 2, 0))), 0.1);
}

TEST(AudioHrtf, EnabledAt48kHzWithLevelAndTimeDifferences) {
    auto engine = loopback(Layout::Hrtf);
    ASSERT_TRUE(engine);
    EXPECT_EQ(engine->hrtf_status().rfind("enabled", 0), 0u) << engine->hrtf_status();
    auto mix = render(*engine, {looping_noise(kLeft)}, 0.6);
    EXPECT_GT(rms(mix, 2, 0) / rms(mix, 2, 1), 4.0);
    // The right ear hears the left source later: the lag that best aligns R with L.
    int best = 0;
    double best_sum = -1e30;
    for (int lag = -60; lag <= 60; ++lag) {
        double sum = 0;
        for (size_t f = 9600; f + 100 < mix.size() / 2; ++f) sum += double(mix[f * 2]) * mix[(f + size_t(lag)) * 2 + 1];
        if (sum > best_sum) best_sum = sum, best = lag;
    }
    EXPECT_GE(best, 25);
    EXPECT_LE(best, 40);
}

TEST(AudioHrtf, OtherRatesAndLayoutsFallBackToPanningWithAReason) {
    auto engine = loopback(Layout::Hrtf, 96000);
    ASSERT_TRUE(engine);
    EXPECT_EQ(engine->hrtf_status().rfind("disabled: ", 0), 0u) << engine->hrtf_status();
    EXPECT_NE(engine->hrtf_status().find("96000"), std::string::npos) << engine->hrtf_status();
    auto mix = render(*engine, {looping_noise(kLeft)}, 0.3);  // still sound, panned
    EXPECT_GT(rms(mix, 2, 0), 0.01);
    EXPECT_NE(hrtf_refusal(Layout::Surround51, 48000).find("5.1"), std::string::npos);
    EXPECT_EQ(hrtf_refusal(Layout::Stereo, 44100), "");
    EXPECT_EQ(loopback(Layout::Stereo)->hrtf_status().rfind("disabled: ", 0), 0u);
}

TEST(AudioLayouts, QuadFiveOneSevenOneForALeftSource) {
    auto quad = loopback(Layout::Quad);
    auto q = render(*quad, {looping_noise(kLeft)}, 0.6);  // FL FR BL BR
    EXPECT_LT(std::abs(db(rms(q, 4, 0) / rms(q, 4, 2))), 0.5);
    EXPECT_LT(rms(q, 4, 1), 1e-3 * rms(q, 4, 0));
    EXPECT_LT(rms(q, 4, 3), 1e-3 * rms(q, 4, 0));

    auto five = loopback(Layout::Surround51);
    auto s = render(*five, {looping_noise(kLeft)}, 0.6);  // FL FR FC LFE SL SR
    EXPECT_GT(rms(s, 6, 4), rms(s, 6, 0));
    EXPECT_GT(rms(s, 6, 0), rms(s, 6, 5));

    auto seven = loopback(Layout::Surround71);
    auto e = render(*seven, {looping_noise(kLeft)}, 0.6);  // FL FR FC LFE BL BR SL SR
    for (int c = 0; c < 8; ++c)
        if (c != 6) {
            EXPECT_GT(rms(e, 8, 6), rms(e, 8, c)) << c;
        }
}

TEST(AudioDistance, InverseAndLinearClamped) {
    auto level = [](Voice v, float distance) {
        v.position = {0, 0, -distance};
        auto engine = loopback(Layout::Stereo);
        auto mix = render(*engine, {v}, 0.5);
        return rms(mix, 2, 0);
    };
    Voice v = looping_noise({});
    const double d2 = level(v, 2), d4 = level(v, 4), d8 = level(v, 8);
    EXPECT_NEAR(db(d4 / d2), -6.02, 0.1);
    EXPECT_NEAR(db(d8 / d4), -6.02, 0.1);

    v.model = DistanceModel::LinearClamped;
    v.ref_distance = 1;
    v.max_distance = 10;
    const double linear = level(v, 8);
    v.model = DistanceModel::None;
    EXPECT_NEAR(linear / level(v, 8), 0.222, 0.005);
}

TEST(AudioReverb, TailWithASendAndNoneWithout) {
    const fs::path burst = write_mono("burst.wav", noise(kRate / 10, 7));
    auto tail = [&](float send) {
        Voice v;
        v.id = 3;
        v.file = burst.string();
        v.playing = true;
        v.position = kAhead;
        v.reverb_send = send;
        Mix mix;
        mix.reverb = "hall";
        auto engine = loopback(Layout::Stereo);
        auto out = render(*engine, {v}, 0.8, mix);
        return rms(out, 2, 0, kRate * 3 / 10);  // from 0.2 s after the burst ended
    };
    EXPECT_GT(tail(1.0f), 1e-3);
    EXPECT_LT(tail(0.0f), 1e-7);
}

TEST(AudioStream, PlaysAgainWithTheRightContentAfterAnUnderrun) {
    const std::vector<float> content = noise(kRate * 6, 11);
    const fs::path file = write_mono("long.wav", content);
    Voice v;
    v.id = 4;
    v.file = file.string();
    v.stream = true;
    v.playing = true;
    v.relative = true;  // in the head: both channels carry the file
    auto engine = loopback(Layout::Stereo);
    const uint32_t step = kRate / 10;
    std::vector<float> out(step * 2);
    bool silent_during_underrun = false;
    double correlation_after = 0;
    for (int i = 0; i < 50; ++i) {
        if (i == 5) engine->skip_stream_refills(20);  // 2 s without refills: the 1 s ring runs dry
        v.offset = i * 0.1;
        engine->update({}, std::span(&v, 1), {});
        ASSERT_TRUE(engine->render(out.data(), step).ok());
        if (i == 22 && rms(out, 2, 0, 0) == 0.0) silent_during_underrun = true;
        if (i == 30) {  // after the restart: the output is the file at the show's offset
            double xy = 0, xx = 0, yy = 0;
            for (uint32_t f = 0; f < step; ++f) {
                const double x = out[f * 2], y = content[size_t(i) * step + f];
                xy += x * y, xx += x * x, yy += y * y;
            }
            correlation_after = xy / std::sqrt(xx * yy + 1e-30);
        }
    }
    EXPECT_TRUE(silent_during_underrun);
    EXPECT_GT(correlation_after, 0.99);
}

// Normalized correlation of the left channel with `content` from frame `from` on.
static double correlation(const std::vector<float>& stereo, const std::vector<float>& content, size_t from) {
    double xy = 0, xx = 0, yy = 0;
    for (size_t f = 0; f < stereo.size() / 2 && from + f < content.size(); ++f) {
        const double x = stereo[f * 2], y = content[from + f];
        xy += x * y, xx += x * x, yy += y * y;
    }
    return xy / std::sqrt(xx * yy + 1e-30);
}

TEST(AudioClip, StartsExactlyAtItsOffsetAndFollowsAJump) {
    const std::vector<float> content = noise(kRate * 2, 5);
    const fs::path file = write_mono("offsets.wav", content);
    Voice v;
    v.id = 9;
    v.file = file.string();
    v.playing = true;
    v.relative = true;
    auto engine = loopback(Layout::Stereo);
    std::vector<float> out(4800 * 2);
    v.offset = 0.5;  // a voice that starts half a second into its clip
    engine->update({}, std::span(&v, 1), {});
    ASSERT_TRUE(engine->render(out.data(), 4800).ok());
    EXPECT_GT(correlation(out, content, kRate / 2), 0.999);
    v.offset = 0.62;  // 20 ms from where it plays (0.6): left alone
    engine->update({}, std::span(&v, 1), {});
    ASSERT_TRUE(engine->render(out.data(), 4800).ok());
    EXPECT_GT(correlation(out, content, kRate * 6 / 10), 0.999);
    v.offset = 1.3;  // a jump: re-seeked
    engine->update({}, std::span(&v, 1), {});
    ASSERT_TRUE(engine->render(out.data(), 4800).ok());
    EXPECT_GT(correlation(out, content, kRate * 13 / 10), 0.999);
}

TEST(AudioMotion, ASourceMovingAcrossMovesAcrossTheStereoField) {
    auto engine = loopback(Layout::Stereo);
    Voice v = looping_noise({-4, 0, -1});
    const uint32_t step = kRate / 100;
    std::vector<float> out(step * 2);
    std::vector<double> balance;  // dB right over left per 0.25 s
    std::vector<float> quarter;
    for (int i = 0; i < 100; ++i) {
        v.position.x = -4 + 8 * float(i) / 99;
        v.offset = i * 0.01;
        engine->update({}, std::span(&v, 1), {});
        ASSERT_TRUE(engine->render(out.data(), step).ok());
        quarter.insert(quarter.end(), out.begin(), out.end());
        if ((i + 1) % 25 == 0) {
            balance.push_back(db((rms(quarter, 2, 1, 0) + 1e-9) / (rms(quarter, 2, 0, 0) + 1e-9)));
            quarter.clear();
        }
    }
    ASSERT_EQ(balance.size(), 4u);
    EXPECT_LT(balance[0], -6);
    EXPECT_GT(balance[3], 6);
    EXPECT_LT(balance[0], balance[1]);
    EXPECT_LT(balance[1], balance[2]);
    EXPECT_LT(balance[2], balance[3]);
}

TEST(AudioMix, MusicDucksUnderNarration) {
    const fs::path music = write_mono("music.wav", sine(kRate, 440));
    Voice m;
    m.id = 1;
    m.file = music.string();
    m.loop = true;
    m.playing = true;
    m.relative = true;
    m.group = "music";
    Voice n = m;
    n.id = 2;
    n.group = "narration";
    Mix mix;
    mix.groups["narration"] = 0;  // silent narration, so only the music is measured
    auto alone = loopback(Layout::Stereo);
    auto a = render(*alone, {m}, 0.5, mix);
    auto ducked = loopback(Layout::Stereo);
    auto d = render(*ducked, {m, n}, 0.5, mix);
    EXPECT_NEAR(rms(d, 2, 0) / rms(a, 2, 0), 0.3, 0.01);
}

TEST(AudioFiles, ProbeReadsAGoodFile) {
    auto p = probe(noise_file());
    ASSERT_TRUE(p.ok()) << p.error().message;
    EXPECT_EQ(p->rate, kRate);
    EXPECT_EQ(p->channels, 1u);
    EXPECT_EQ(p->frames, uint64_t(kRate) * 2);
    EXPECT_EQ(p->format, "WAV float");  // WAVE_FORMAT_EXTENSIBLE
}

namespace {

std::string pcm_wav_header(uint32_t data_bytes, uint32_t riff_bytes) {
    std::string h = "RIFF";
    auto put = [&](uint64_t v, int n) {
        for (int i = 0; i < n; ++i) h.push_back(char(v >> (8 * i)));
    };
    put(riff_bytes, 4);
    h += "WAVEfmt ";
    put(16, 4), put(1, 2), put(1, 2), put(kRate, 4), put(kRate * 2, 4), put(2, 2), put(16, 2);
    h += "data";
    put(data_bytes, 4);
    return h;
}

fs::path write_bytes(const std::string& name, const std::string& bytes) {
    const fs::path path = temp_dir() / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

}  // namespace

TEST(AudioFiles, BadFilesWarnOnceStaySilentAndNeverCrash) {
    std::vector<fs::path> bad;
    bad.push_back(write_bytes("truncated.wav", pcm_wav_header(96000, 96036) + std::string(200, '\x11')));
    bad.push_back(write_bytes("wrong_header.wav", "RIFX\x10\x00\x00\x00WAVEjunkjunkjunkjunk" + std::string(100, '\x22')));
    bad.push_back(write_bytes("huge.wav", pcm_wav_header(0x7FFFFFF0u, 0x7FFFFFFCu) + std::string(64, '\x33')));
    {   // RF64 whose ds64 chunk claims 2^40 frames of 16-bit mono
        std::string h = "RF64\xff\xff\xff\xffWAVEds64";
        auto put = [&](uint64_t v, int n) {
            for (int i = 0; i < n; ++i) h.push_back(char(v >> (8 * i)));
        };
        put(28, 4), put((uint64_t(1) << 41) + 36, 8), put(uint64_t(1) << 41, 8), put(uint64_t(1) << 40, 8), put(0, 4);
        h += "fmt ";
        put(16, 4), put(1, 2), put(1, 2), put(kRate, 4), put(kRate * 2, 4), put(2, 2), put(16, 2);
        h += "data";
        put(0xFFFFFFFFu, 4);
        bad.push_back(write_bytes("absurd.wav", h + std::string(64, '\x44')));
    }
    bad.push_back(temp_dir() / "missing.wav");
    for (const fs::path& path : bad) {
        auto p = probe(path);
        EXPECT_FALSE(p.ok()) << path;
        if (!p.ok()) {
            EXPECT_EQ(p.error().message.rfind(path.string() + ": ", 0), 0u) << p.error().message;
        }
    }
    for (bool stream : {false, true}) {
        auto engine = loopback(Layout::Stereo);
        std::vector<Voice> voices;
        for (size_t i = 0; i < bad.size(); ++i) {
            Voice v;
            v.id = uint32_t(i);
            v.file = bad[i].string();
            v.stream = stream;
            v.loop = true;
            v.playing = true;
            voices.push_back(v);
        }
        ::testing::internal::CaptureStderr();
        auto out = render(*engine, voices, 0.5);
        const std::string log = ::testing::internal::GetCapturedStderr();
        EXPECT_EQ(rms(out, 2, 0, 0), 0.0);
        EXPECT_EQ(rms(out, 2, 1, 0), 0.0);
        for (const fs::path& path : bad) {
            size_t count = 0;
            for (size_t at = log.find(path.string()); at != std::string::npos; at = log.find(path.string(), at + 1))
                ++count;
            EXPECT_EQ(count, 1u) << path << "\n" << log;
        }
    }
}

TEST(AudioWav, ExtensibleWithTheLayoutsChannelMask) {
    auto engine = loopback(Layout::Surround51);
    auto mix = render(*engine, {looping_noise(kLeft)}, 0.2);
    for (WavSamples samples : {WavSamples::Float32, WavSamples::Int16}) {
        const fs::path path = temp_dir() / "mix51.wav";
        ASSERT_TRUE(write_wav(path, mix, Layout::Surround51, kRate, samples).ok());
        EXPECT_FALSE(fs::exists(temp_dir() / "mix51.wav.partial"));
        std::ifstream in(path, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), {});
        ASSERT_GE(bytes.size(), 68u);
        uint16_t tag = 0;
        uint32_t mask = 0;
        std::memcpy(&tag, bytes.data() + 20, 2);
        std::memcpy(&mask, bytes.data() + 40, 4);
        EXPECT_EQ(tag, 0xFFFE);
        EXPECT_EQ(mask, 0x60Fu);
        auto p = probe(path);
        ASSERT_TRUE(p.ok()) << p.error().message;
        EXPECT_EQ(p->channels, 6u);
        EXPECT_EQ(p->frames, mix.size() / 6);
        EXPECT_EQ(bytes.size(), 68 + mix.size() * (samples == WavSamples::Float32 ? 4 : 2));
    }
}

TEST(AudioOffline, RenderingTwiceGivesTheSameBits) {
    const fs::path music = write_mono("det_music.wav", sine(kRate * 3, 330));
    auto run = [&] {
        auto engine = loopback(Layout::Surround51);
        std::vector<Voice> voices(3);
        voices[0] = looping_noise(kLeft);
        voices[0].reverb_send = 0.5f;
        voices[1].id = 2, voices[1].file = music.string(), voices[1].stream = true, voices[1].playing = true;
        voices[1].group = "music", voices[1].position = kRight30;
        voices[2] = looping_noise({3, 0, 1}), voices[2].id = 3, voices[2].pitch = 1.3f;
        Mix mix;
        mix.reverb = "cave";
        std::vector<float> all;
        std::vector<float> out(4800 * 6);
        for (int i = 0; i < 20; ++i) {
            for (Voice& v : voices) v.offset = i * 0.1;
            voices[2].position.x = 3 - 0.3f * float(i);
            engine->update({}, voices, mix);
            EXPECT_TRUE(engine->render(out.data(), 4800).ok());
            all.insert(all.end(), out.begin(), out.end());
        }
        return all;
    };
    const auto a = run(), b = run();
    ASSERT_EQ(a.size(), b.size());
    EXPECT_GT(rms(a, 6, 0), 0.01);
    EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0);
}

TEST(AudioDevice, NoDeviceOrALostOneGoesOnSilentlyAndRebuilds) {
    ::testing::internal::CaptureStderr();
    auto none = Engine::open_device(Layout::Stereo, "vitrine test: no such device");
    const std::string log = ::testing::internal::GetCapturedStderr();
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE((*none)->healthy());
    EXPECT_NE(log.find("silently"), std::string::npos) << log;
    Voice v = looping_noise(kLeft);
    (*none)->update({}, std::span(&v, 1), {});
    float sample[2];
    EXPECT_FALSE((*none)->render(sample, 1).ok());  // not a loopback engine

    auto engine = loopback(Layout::Stereo);
    ::testing::internal::CaptureStderr();
    engine->simulate_disconnect();
    (void)::testing::internal::GetCapturedStderr();
    EXPECT_FALSE(engine->healthy());
    auto silent = render(*engine, {v}, 0.3);
    EXPECT_EQ(rms(silent, 2, 0, 0), 0.0);
    ASSERT_TRUE(engine->reopen().ok());
    EXPECT_TRUE(engine->healthy());
    auto back = render(*engine, {v}, 0.3);
    EXPECT_GT(rms(back, 2, 0), 0.01);
}

TEST(AudioMemory, NineHundredDeviceCyclesGrowResidentMemoryByLessThanOneMegabyte) {
    Voice v = looping_noise(kLeft);
    std::vector<float> out(64 * 2);
    long before = 0;
    for (int i = 0; i < 900; ++i) {
        if (i == 50) before = resident_bytes();
        auto engine = loopback(Layout::Stereo);
        ASSERT_TRUE(engine);
        engine->update({}, std::span(&v, 1), {});
        ASSERT_TRUE(engine->render(out.data(), 64).ok());
    }
    EXPECT_LT(resident_bytes() - before, 1 << 20);
}

TEST(AudioMemory, ThirtyMinutesOfSourceChurnGrowResidentMemoryByLessThanOneMegabyte) {
    std::vector<fs::path> clips;
    for (uint32_t i = 0; i < 5; ++i) clips.push_back(write_mono("clip" + std::to_string(i) + ".wav", noise(kRate / 4, 20 + i)));
    const fs::path music = write_mono("churn_music.wav", sine(kRate * 2, 220));
    auto engine = loopback(Layout::Stereo);
    std::vector<float> out(32 * 2);
    long before = 0;
    const int updates = 30 * 60 * 10;  // 30 minutes at 10 updates per second of show time
    for (int i = 0; i < updates; ++i) {
        if (i == 2000) before = resident_bytes();
        std::vector<Voice> voices;
        for (uint32_t k = 0; k < 12; ++k) {
            // Voice k plays for 3 + k % 4 updates out of every 7 + k, from a file that changes.
            const int period = 7 + int(k), phase = (i + int(k) * 3) % period;
            if (phase >= 3 + int(k % 4)) continue;
            Voice v;
            v.id = k;
            v.stream = k == 11;
            v.file = (v.stream ? music : clips[size_t(i / period + int(k)) % clips.size()]).string();
            v.playing = true;
            v.loop = k % 2 == 0;
            v.offset = phase * 0.1;
            v.position = {float(k) - 6, 0, -2};
            voices.push_back(v);
        }
        engine->update({}, voices, {});
        ASSERT_TRUE(engine->render(out.data(), 32).ok());
    }
    EXPECT_LE(engine->cached_clips(), clips.size());
    EXPECT_LT(resident_bytes() - before, 1 << 20);
}
