// Room acoustics by name: the EFX reverb presets a zone can ask for ("hall", "gallery", ...).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <AL/efx-presets.h>

namespace vitrine::audio {

// Names and the OpenAL Soft preset (efx-presets.h) each one uses:
//   generic GENERIC, small_room ROOM, living_room LIVINGROOM, stone_room STONEROOM,
//   gallery HALLWAY (long hard walls), hall CONCERTHALL, auditorium AUDITORIUM,
//   chapel CHAPEL, arena ARENA, factory FACTORY_HALL, cave CAVE, sewer SEWERPIPE,
//   underwater UNDERWATER, outdoors OUTDOORS_ROLLINGPLAINS.
std::optional<EFXEAXREVERBPROPERTIES> reverb_preset(const std::string& name);
std::vector<std::string> reverb_preset_names();

}  // namespace vitrine::audio
