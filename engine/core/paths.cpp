#include "core/paths.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vitrine {

namespace fs = std::filesystem;

Result<fs::path> resolve_inside(const fs::path& root, const std::string& relative) {
    if (relative.empty()) return fail("empty path");
    if (relative.find('\0') != std::string::npos) return fail("path contains a NUL byte");
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

namespace {

const char* kind_of_file(mode_t mode) {
    if (S_ISDIR(mode)) return "a folder";
    if (S_ISFIFO(mode)) return "a named pipe";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    return "not a plain file";
}

}  // namespace

Result<int> open_regular(const fs::path& path, uint64_t* size) {
    const std::string name = path.string();
    if (name.empty()) return fail("empty file name");
    int fd = ::open(name.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int e = errno;
        struct stat st {};
        if (e == ENXIO && ::stat(name.c_str(), &st) == 0)  // a socket cannot be opened at all
            return fail(name + ": not a regular file (" + kind_of_file(st.st_mode) + ")");
        if (e == ENOENT || e == ENOTDIR) return fail(ErrorKind::Io, name + ": file not found");
        return fail(ErrorKind::Io, name + ": cannot open (" + std::strerror(e) + ")");
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        int e = errno;
        ::close(fd);
        return fail(ErrorKind::Io, name + ": cannot read its type (" + std::strerror(e) + ")");
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        return fail(name + ": not a regular file (" + kind_of_file(st.st_mode) + ")");
    }
    int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    if (size) *size = uint64_t(st.st_size);
    return fd;
}

Result<std::FILE*> fopen_regular(const fs::path& path) {
    auto fd = open_regular(path);
    if (!fd) return fd.error();
    std::FILE* f = ::fdopen(*fd, "rb");
    if (!f) {
        int e = errno;
        ::close(*fd);
        return fail(ErrorKind::Io, path.string() + ": cannot open (" + std::strerror(e) + ")");
    }
    return f;
}

Result<std::vector<uint8_t>> read_file(const fs::path& path, uint64_t max_bytes) {
    uint64_t size = 0;
    auto fd = open_regular(path, &size);
    if (!fd) return fd.error();
    struct Close {
        int fd;
        ~Close() { ::close(fd); }
    } guard{*fd};
    if (size > max_bytes) return fail(path.string() + ": file is larger than " + std::to_string(max_bytes) + " bytes");
    std::vector<uint8_t> bytes(size);
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::read(*fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail(ErrorKind::Io, path.string() + ": read failed (" + std::strerror(errno) + ")");
        if (n == 0) break;  // shrank meanwhile: what is there
        done += size_t(n);
    }
    bytes.resize(done);
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
