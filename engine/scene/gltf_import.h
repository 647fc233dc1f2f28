// glTF 2.0 import (.gltf with external files, .glb, data: URIs, Draco) into plain
// scene::Model data. Every index, range and float is validated here: a malformed
// file gives an Error naming the file and the problem, never a crash, and never
// an allocation larger than the file's own buffers justify. External files must
// lie inside the model's folder.
#pragma once
#include <filesystem>

#include "core/result.h"
#include "scene/model.h"

namespace vitrine::scene {

struct ImportOptions {
    bool decode_images = true;   // false: sizes only (vitrine info is faster)
    uint64_t max_file_bytes = uint64_t(2) << 30;
};

Result<Model> import_gltf(const std::filesystem::path& path, const ImportOptions& options = {});

// Extensions the importer and renderer honour.
bool is_supported_extension(const std::string& name);

}  // namespace vitrine::scene
