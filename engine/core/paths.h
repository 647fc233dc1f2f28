// Files referenced by user content (model URIs, textures) must stay inside an asset
// root, so a model cannot read ../../etc/passwd.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"

namespace vitrine {

// Resolves `relative` (a decoded URI path) against `root`. Fails when the result is
// absolute, leaves `root` (after normalising "..", and following symlinks that exist),
// or is empty.
Result<std::filesystem::path> resolve_inside(const std::filesystem::path& root,
                                             const std::string& relative);

// Reads a whole file, refusing files larger than max_bytes (no unbounded allocation).
Result<std::vector<uint8_t>> read_file(const std::filesystem::path& path,
                                       uint64_t max_bytes = uint64_t(4) << 30);

// Percent-decodes a URI path ("a%20b.png" -> "a b.png"); fails on malformed escapes.
Result<std::string> decode_uri(const std::string& uri);

}  // namespace vitrine
