// What an audio file is, without decoding it: rate, channels, length, container/codec.
// `vitrine check` validates a scene's sounds with this. Bounded: the header only.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>

#include "core/result.h"

namespace vitrine::audio {

struct Probe {
    uint32_t rate = 0, channels = 0;  // Hz; 1..8
    uint64_t frames = 0;              // sample frames (seconds = frames / rate)
    std::string format;               // e.g. "WAV 16-bit", "FLAC 24-bit", "OGG Vorbis", "OGG Opus"
};

// Opens the file with libsndfile and checks what it claims: rate 8000..384000 Hz,
// 1..8 channels, at most 2^32 frames (about a day at 48 kHz) and, for uncompressed PCM,
// no more frames than the file's bytes can hold. Errors: "PATH: problem".
Result<Probe> probe(const std::filesystem::path& path);

}  // namespace vitrine::audio
