// Output layouts: how many speakers, in which order, and the WAV channel mask for them.
#pragma once
#include <cstdint>
#include <string>

#include "core/result.h"

namespace vitrine::audio {

// Speaker orders are OpenAL Soft's loopback orders, which are also WAV's:
// Stereo/Hrtf FL FR; Quad FL FR BL BR; 5.1 FL FR FC LFE SL SR; 7.1 FL FR FC LFE BL BR SL SR.
enum class Layout { Stereo, Hrtf, Quad, Surround51, Surround71 };

// "stereo" | "hrtf" | "quad" | "5.1" | "7.1". "6.1" is refused: in OpenAL Soft 1.19 its
// front-left channel is silent.
Result<Layout> parse_layout(const std::string& name);
std::string layout_name(Layout layout);
int channel_count(Layout layout);
uint32_t channel_mask(Layout layout);  // dwChannelMask of WAVE_FORMAT_EXTENSIBLE

// Why HRTF cannot be used for this output, or "" when it can: HRTF is for headphones
// (two channels) at 44.1 or 48 kHz only.
std::string hrtf_refusal(Layout speakers, uint32_t rate);

}  // namespace vitrine::audio
