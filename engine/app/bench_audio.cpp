// `vitrine bench --audio`: the audio engine's numbers through the loopback device at
// 48 kHz stereo — 64 looping sources around the listener, rendered in 0.1 s steps with an
// update before each (as an offline render does): times real time with panning and with
// HRTF, and CPU seconds per second of show audio.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <vector>

#include <unistd.h>

#include "app/args.h"
#include "app/commands.h"
#include "app/usage.h"
#include "audio/engine.h"
#include "audio/wav.h"
#include "core/log.h"

namespace vitrine::app {

namespace fs = std::filesystem;

namespace {

double cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

struct Measured {
    double realtime = 0, cpu_per_second = 0;
};

Result<Measured> measure(audio::Layout layout, const fs::path& file, int sources, double seconds) {
    auto opened = audio::Engine::open_loopback(layout, 48000);
    if (!opened) return opened.error();
    audio::Engine& engine = **opened;
    std::vector<audio::Voice> voices(static_cast<size_t>(sources));
    for (int i = 0; i < sources; ++i) {
        audio::Voice& v = voices[size_t(i)];
        const float angle = float(i) * 6.2831853f / float(sources);
        v.id = uint32_t(i);
        v.file = file.string();
        v.loop = v.playing = true;
        v.position = {3 * std::sin(angle), 0.3f * float(i % 3), -3 * std::cos(angle)};
        v.reverb_send = 0;
    }
    const uint32_t step = 4800;
    const int steps = int(std::lround(seconds * 10));
    std::vector<float> out(step * 2);
    const auto wall = std::chrono::steady_clock::now();
    const double cpu = cpu_seconds();
    for (int s = 0; s < steps; ++s) {
        for (auto& v : voices) v.offset = s * 0.1;
        engine.update({}, voices, {});
        if (auto rendered = engine.render(out.data(), step); !rendered) return rendered.error();
    }
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
    const double audio_seconds = steps * 0.1;
    return Measured{audio_seconds / elapsed, (cpu_seconds() - cpu) / audio_seconds};
}

}  // namespace

int bench_audio(int argc, char** argv) {
    auto args = Args::parse(argc, argv, 2, {"--seconds", "--sources"}, {"--audio", "--quiet"});
    if (!args) { usage_error("bench audio", args.error().message); return kUsage; }
    auto seconds = args->seconds("--seconds", 20);
    auto sources = args->integer("--sources", 64);
    if (!seconds || !sources || *seconds <= 0 || *sources < 1 || *sources > 200) {
        usage_error("bench audio", "bench --audio: --seconds S (> 0) and --sources N (1..200)");
        return kUsage;
    }
    // One second of white noise (fixed seed), mono, shared by every source.
    std::vector<float> noise(48000);
    uint32_t x = 12345;
    for (float& v : noise) {
        x = x * 1664525u + 1013904223u;
        v = float(x >> 8) / float(1u << 24) - 0.5f;
    }
    const fs::path file = fs::temp_directory_path() / ("vitrine-bench-audio-" + std::to_string(::getpid()) + ".wav");
    if (auto written = audio::write_wav(file, noise, 1, 0x4, 48000); !written) {
        log::error(written.error().message);
        return kBadInput;
    }
    std::printf("audio: %d looping sources, loopback 48 kHz stereo, %.1f s of show audio in 0.1 s steps\n", *sources,
                *seconds);
    int status = kOk;
    for (auto [layout, name] : {std::pair{audio::Layout::Stereo, "panning"}, std::pair{audio::Layout::Hrtf, "HRTF"}}) {
        auto m = measure(layout, file, *sources, *seconds);
        if (!m) {
            log::error(m.error().message);
            status = kGpuFailure;
            continue;
        }
        std::printf("  %-8s %8.1fx real time, %.4f CPU s per second of show audio\n", name, m->realtime,
                    m->cpu_per_second);
    }
    std::error_code ec;
    fs::remove(file, ec);
    return status;
}

}  // namespace vitrine::app
