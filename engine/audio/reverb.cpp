#include "audio/reverb.h"

#include <utility>

namespace vitrine::audio {

namespace {

const std::pair<const char*, EFXEAXREVERBPROPERTIES> kPresets[] = {
    {"generic", EFX_REVERB_PRESET_GENERIC},
    {"small_room", EFX_REVERB_PRESET_ROOM},
    {"living_room", EFX_REVERB_PRESET_LIVINGROOM},
    {"stone_room", EFX_REVERB_PRESET_STONEROOM},
    {"gallery", EFX_REVERB_PRESET_HALLWAY},
    {"hall", EFX_REVERB_PRESET_CONCERTHALL},
    {"auditorium", EFX_REVERB_PRESET_AUDITORIUM},
    {"chapel", EFX_REVERB_PRESET_CHAPEL},
    {"arena", EFX_REVERB_PRESET_ARENA},
    {"factory", EFX_REVERB_PRESET_FACTORY_HALL},
    {"cave", EFX_REVERB_PRESET_CAVE},
    {"sewer", EFX_REVERB_PRESET_SEWERPIPE},
    {"underwater", EFX_REVERB_PRESET_UNDERWATER},
    {"outdoors", EFX_REVERB_PRESET_OUTDOORS_ROLLINGPLAINS},
};

}  // namespace

std::optional<EFXEAXREVERBPROPERTIES> reverb_preset(const std::string& name) {
    for (const auto& [key, preset] : kPresets)
        if (name == key) return preset;
    return std::nullopt;
}

std::vector<std::string> reverb_preset_names() {
    std::vector<std::string> names;
    for (const auto& preset : kPresets) names.emplace_back(preset.first);
    return names;
}

}  // namespace vitrine::audio
