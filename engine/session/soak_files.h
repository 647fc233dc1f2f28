// A soak's own copy of a show's files, so its faults can break and mend them while the
// originals stay untouched: every file the show reads (and the folders of its pyramids)
// is placed under `scratch` at the same path relative to the folder that holds them all,
// hard-linked where the file system allows (a fault replaces a file by renaming a new
// one over its name, never writing into it) and copied otherwise.
#pragma once
#include <filesystem>
#include <vector>

#include "core/result.h"

namespace vitrine::session {

struct Mirror {
    std::filesystem::path from;  // the folder that holds every original
    std::filesystem::path to;    // its copy under the scratch folder
    // Where an original (under `from`) is in the copy.
    std::filesystem::path map(const std::filesystem::path& original) const;
};

Result<Mirror> mirror_files(const std::vector<std::filesystem::path>& files, const std::filesystem::path& scratch);

// Replaces `file` by `bytes` the way an editor or a copy tool would (a new file renamed
// over the name), so a hard link's original never changes.
Result<void> replace_file(const std::filesystem::path& file, const std::string& bytes);

}  // namespace vitrine::session
