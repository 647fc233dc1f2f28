#include "core/paths.h"

#include <fstream>

namespace vitrine {

namespace fs = std::filesystem;

Result<fs::path> resolve_inside(const fs::path& root, const std::string& relative) {
    if (relative.empty()) return fail("empty path");
    fs::path rel(relative);
    if (rel.is_absolute() || relative.find(':') != std::string::npos)
        return fail("path '" + relative + "' is absolute; only paths inside the model's folder are allowed");
    std::error_code ec;
    fs::path base = fs::weakly_canonical(fs::absolute(root), ec);
    if (ec) return fail("cannot resolve folder '" + root.string() + "'");
    fs::path full = fs::weakly_canonical(base / rel, ec);
    if (ec) return fail("cannot resolve path '" + relative + "'");
    auto [b, f] = std::mismatch(base.begin(), base.end(), full.begin(), full.end());
    if (b != base.end())
        return fail("path '" + relative + "' reaches outside the model's folder");
    return full;
}

Result<std::vector<uint8_t>> read_file(const fs::path& path, uint64_t max_bytes) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return fail(path.string() + ": file not found");
    uint64_t size = fs::file_size(path, ec);
    if (ec) return fail(path.string() + ": cannot read size");
    if (size > max_bytes) return fail(path.string() + ": file is larger than " + std::to_string(max_bytes) + " bytes");
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(path.string() + ": cannot open");
    std::vector<uint8_t> bytes(size);
    if (size && !in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(size)))
        return fail(path.string() + ": read failed");
    return bytes;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

Result<std::string> decode_uri(const std::string& uri) {
    std::string out;
    out.reserve(uri.size());
    for (size_t i = 0; i < uri.size(); ++i) {
        if (uri[i] != '%') {
            out += uri[i];
            continue;
        }
        if (i + 2 >= uri.size()) return fail("malformed percent escape in URI '" + uri + "'");
        int hi = hex_value(uri[i + 1]), lo = hex_value(uri[i + 2]);
        if (hi < 0 || lo < 0) return fail("malformed percent escape in URI '" + uri + "'");
        char c = char(hi * 16 + lo);
        if (c == '\0') return fail("URI '" + uri + "' contains a NUL byte");
        out += c;
        i += 2;
    }
    return out;
}

}  // namespace vitrine
