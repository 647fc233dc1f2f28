// Writing a rendered mix as a WAV file: WAVE_FORMAT_EXTENSIBLE with the layout's channel
// mask (so players put 5.1 and 7.1 on the right speakers), 16-bit or float samples.
#pragma once
#include <cstdint>
#include <filesystem>
#include <vector>

#include "audio/layout.h"
#include "core/result.h"

namespace vitrine::audio {

enum class WavSamples { Float32, Int16 };  // Int16: clipped to [-1, 1], rounded

// `interleaved` holds channel_count(layout) floats per frame. Written under a temporary
// name and renamed (core/outputs.h), so a reader never sees half a file. Files past 4 GiB are refused (RIFF's limit).
Result<void> write_wav(const std::filesystem::path& path, const std::vector<float>& interleaved, Layout layout,
                       uint32_t rate, WavSamples samples = WavSamples::Float32);
// Any channel count (1..8) and mask, e.g. a mono test signal: 1 channel, mask 0x4 (FC).
Result<void> write_wav(const std::filesystem::path& path, const std::vector<float>& interleaved, uint32_t channels,
                       uint32_t mask, uint32_t rate, WavSamples samples = WavSamples::Float32);

}  // namespace vitrine::audio
