// Files referenced by user content (model URIs, textures) must stay inside an asset
// root, so a model cannot read ../../etc/passwd.
#pragma once
#include <cstdint>
#include <cstdio>
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

// Opens a file the user named, for reading. Only a regular file is read: a named pipe
// (FIFO), a terminal or a socket would block forever, a device such as /dev/zero never
// ends, a folder is no file. The open itself never blocks (O_NONBLOCK) and the type is
// checked on the opened descriptor (fstat), so nothing can be swapped in between.
// Errors: "PATH: file not found", "PATH: not a regular file (a named pipe)", ...
// Returns a descriptor (O_CLOEXEC, blocking again) that the caller closes; `size` gets
// the file's size.
Result<int> open_regular(const std::filesystem::path& path, uint64_t* size = nullptr);
// The same as a stdio stream for reading ("rb"); the caller fcloses it.
Result<std::FILE*> fopen_regular(const std::filesystem::path& path);

// Reads a whole regular file (open_regular), refusing files larger than max_bytes (no
// unbounded allocation); a read stops at max_bytes even if the file grows meanwhile.
Result<std::vector<uint8_t>> read_file(const std::filesystem::path& path,
                                       uint64_t max_bytes = uint64_t(4) << 30);

// Percent-decodes a URI path ("a%20b.png" -> "a b.png"); fails on malformed escapes.
Result<std::string> decode_uri(const std::string& uri);

}  // namespace vitrine
