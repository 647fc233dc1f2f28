// One audio file opened with libsndfile (WAV, FLAC, OGG Vorbis, Opus, AIFF, ...), checked
// before anything is allocated from what its header claims, read as float frames: mono
// stays mono, stereo stays stereo, more channels are mixed down to mono.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "audio/probe.h"
#include "core/result.h"

struct sf_private_tag;

namespace vitrine::audio {

class SoundFile {
public:
    // Limits on what a header may claim; past them the file is refused, not read.
    static constexpr uint32_t kMinRate = 8000, kMaxRate = 384000, kMaxChannels = 8;
    static constexpr uint64_t kMaxFrames = uint64_t(1) << 32;

    static Result<SoundFile> open(const std::filesystem::path& path);

    const Probe& info() const { return info_; }
    uint32_t out_channels() const { return info_.channels == 2 ? 2 : 1; }
    const std::filesystem::path& path() const { return path_; }

    // Reads up to `frames` frames (out_channels() floats each) into `out`; returns how many
    // were read (fewer at the end of the file). A decoding error is a failure.
    Result<uint64_t> read(float* out, uint64_t frames);
    // Moves to `frame` (0 .. info().frames).
    Result<void> seek(uint64_t frame);

private:
    struct Close { void operator()(sf_private_tag* file) const; };
    std::unique_ptr<sf_private_tag, Close> file_;
    std::filesystem::path path_;
    Probe info_;
    std::unique_ptr<float[]> scratch_;  // interleaved source frames for the mix-down
    uint64_t scratch_frames_ = 0;
};

}  // namespace vitrine::audio
