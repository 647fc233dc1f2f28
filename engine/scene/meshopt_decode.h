// EXT_meshopt_compression, decoded by us with Debian's libmeshoptimizer before
// tinygltf parses the file: every compressed bufferView is decoded (ranges
// checked against its source buffer) into one new buffer, and the view is pointed
// at it, so the rest of the importer sees plain glTF.
#pragma once
#include <cstdint>
#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace vitrine::scene {

// `glb_bin` is the GLB's BIN chunk (null for .gltf); `root` the model's folder.
// Returns true when the JSON was changed.
Result<bool> decode_meshopt(nlohmann::json& gltf, const std::vector<uint8_t>* glb_bin, const std::filesystem::path& root);

// Standard base64 (RFC 4648); fails on characters outside the alphabet.
Result<std::vector<uint8_t>> base64_decode(const std::string& text);
std::string base64_encode(const std::vector<uint8_t>& bytes);

}  // namespace vitrine::scene
