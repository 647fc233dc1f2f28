#include "audio/layout.h"

namespace vitrine::audio {

Result<Layout> parse_layout(const std::string& name) {
    if (name == "stereo") return Layout::Stereo;
    if (name == "hrtf") return Layout::Hrtf;
    if (name == "quad") return Layout::Quad;
    if (name == "5.1") return Layout::Surround51;
    if (name == "7.1") return Layout::Surround71;
    if (name == "6.1")
        return fail(ErrorKind::Usage, "audio layout 6.1 is not supported: OpenAL Soft 1.19 leaves its "
                                      "front-left channel silent; use 5.1 or 7.1");
    return fail(ErrorKind::Usage, "audio layout '" + name + "' is unknown; use stereo, hrtf, quad, 5.1 or 7.1");
}

std::string layout_name(Layout layout) {
    switch (layout) {
        case Layout::Stereo: return "stereo";
        case Layout::Hrtf: return "hrtf";
        case Layout::Quad: return "quad";
        case Layout::Surround51: return "5.1";
        case Layout::Surround71: return "7.1";
    }
    return "stereo";
}

int channel_count(Layout layout) {
    switch (layout) {
        case Layout::Stereo: case Layout::Hrtf: return 2;
        case Layout::Quad: return 4;
        case Layout::Surround51: return 6;
        case Layout::Surround71: return 8;
    }
    return 2;
}

uint32_t channel_mask(Layout layout) {
    constexpr uint32_t FL = 0x1, FR = 0x2, FC = 0x4, LFE = 0x8, BL = 0x10, BR = 0x20, SL = 0x200, SR = 0x400;
    switch (layout) {
        case Layout::Stereo: case Layout::Hrtf: return FL | FR;
        case Layout::Quad: return FL | FR | BL | BR;
        case Layout::Surround51: return FL | FR | FC | LFE | SL | SR;
        case Layout::Surround71: return FL | FR | FC | LFE | BL | BR | SL | SR;
    }
    return FL | FR;
}

std::string hrtf_refusal(Layout speakers, uint32_t rate) {
    if (speakers != Layout::Stereo && speakers != Layout::Hrtf)
        return "HRTF is for headphones; the output is " + layout_name(speakers) + ", panned to its speakers";
    if (rate != 44100 && rate != 48000)
        return "HRTF needs 44100 or 48000 Hz, the output runs at " + std::to_string(rate) + " Hz; panned in stereo";
    return "";
}

}  // namespace vitrine::audio
