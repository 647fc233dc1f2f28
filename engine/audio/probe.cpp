#include "audio/probe.h"

#include "audio/sound_file.h"

namespace vitrine::audio {

Result<Probe> probe(const std::filesystem::path& path) {
    auto file = SoundFile::open(path);
    if (!file) return file.error();
    return file->info();
}

}  // namespace vitrine::audio
