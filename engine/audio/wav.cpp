#include "audio/wav.h"

#include "core/outputs.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <system_error>

namespace vitrine::audio {

namespace {

void put16(std::vector<uint8_t>& out, uint32_t v) {
    out.push_back(uint8_t(v));
    out.push_back(uint8_t(v >> 8));
}
void put32(std::vector<uint8_t>& out, uint32_t v) {
    put16(out, v & 0xFFFF);
    put16(out, v >> 16);
}
void tag(std::vector<uint8_t>& out, const char* four) { out.insert(out.end(), four, four + 4); }

}  // namespace

Result<void> write_wav(const std::filesystem::path& path, const std::vector<float>& interleaved, Layout layout,
                       uint32_t rate, WavSamples samples) {
    return write_wav(path, interleaved, uint32_t(channel_count(layout)), channel_mask(layout), rate, samples);
}

Result<void> write_wav(const std::filesystem::path& path, const std::vector<float>& interleaved, uint32_t channels,
                       uint32_t mask, uint32_t rate, WavSamples samples) {
    if (channels < 1 || channels > 8) return fail(path.string() + ": " + std::to_string(channels) + " channels; 1..8 are written");
    const uint32_t bytes_per_sample = samples == WavSamples::Float32 ? 4 : 2;
    if (interleaved.size() % channels != 0)
        return fail(path.string() + ": " + std::to_string(interleaved.size()) + " samples are not whole " +
                    std::to_string(channels) + "-channel frames");
    const uint64_t data_bytes = uint64_t(interleaved.size()) * bytes_per_sample;
    if (data_bytes > 0xFFFFFFFFull - 80)
        return fail(path.string() + ": the mix is past WAV's 4 GiB limit; render a shorter span");

    std::vector<uint8_t> header;
    tag(header, "RIFF");
    put32(header, uint32_t(4 + 8 + 40 + 8 + data_bytes));
    tag(header, "WAVE");
    tag(header, "fmt ");
    put32(header, 40);
    put16(header, 0xFFFE);  // WAVE_FORMAT_EXTENSIBLE
    put16(header, channels);
    put32(header, rate);
    put32(header, rate * channels * bytes_per_sample);
    put16(header, channels * bytes_per_sample);
    put16(header, bytes_per_sample * 8);
    put16(header, 22);                        // extension size
    put16(header, bytes_per_sample * 8);      // valid bits
    put32(header, mask);
    // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: {0000000X-0000-0010-8000-00aa00389b71}
    put32(header, samples == WavSamples::Float32 ? 3 : 1);
    const uint8_t guid_tail[12] = {0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71};
    header.insert(header.end(), guid_tail, guid_tail + 12);
    tag(header, "data");
    put32(header, uint32_t(data_bytes));

    auto out = outputs::OutputFile::create(path, outputs::Kind::Wav);
    if (!out) return out.error();
    std::FILE* file = out->stream();
    bool ok = std::fwrite(header.data(), 1, header.size(), file) == header.size();
    std::vector<uint8_t> block;
    const size_t per_block = 65536;
    for (size_t at = 0; ok && at < interleaved.size(); at += per_block) {
        const size_t n = std::min(per_block, interleaved.size() - at);
        block.resize(n * bytes_per_sample);
        for (size_t i = 0; i < n; ++i) {
            const float v = interleaved[at + i];
            if (samples == WavSamples::Float32) {
                uint32_t bits;
                std::memcpy(&bits, &v, 4);
                for (int b = 0; b < 4; ++b) block[i * 4 + size_t(b)] = uint8_t(bits >> (8 * b));
            } else {
                const float c = std::isfinite(v) ? std::clamp(v, -1.0f, 1.0f) : 0.0f;
                const auto s = int16_t(std::lround(c * 32767.0f));
                block[i * 2] = uint8_t(uint16_t(s));
                block[i * 2 + 1] = uint8_t(uint16_t(s) >> 8);
            }
        }
        ok = std::fwrite(block.data(), 1, block.size(), file) == block.size();
    }
    if (!ok) return fail(ErrorKind::Io, path.string() + ": writing failed (disk full?)");  // `out` removes its temporary
    return out->commit();
}

}  // namespace vitrine::audio
