#include "core/outputs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <utility>

namespace vitrine::outputs {
namespace fs = std::filesystem;

namespace {

struct Input {
    dev_t device;
    ino_t inode;
    bool folder;
    std::string shown;  // as the run named it, for messages
};

struct Policy {
    std::mutex mutex;
    std::vector<Input> inputs;
    bool force = false;
};

Policy& policy() {
    static Policy p;
    return p;
}

const Input* find_input(const Policy& p, const struct stat& st) {
    for (const Input& in : p.inputs)
        if (in.device == st.st_dev && in.inode == st.st_ino) return &in;
    return nullptr;
}

// The protected folder `path` lies in (its nearest ancestor that is one), or null.
const Input* enclosing_input(const Policy& p, const fs::path& path) {
    std::error_code ec;
    fs::path folder = fs::absolute(path, ec).parent_path();
    if (ec) return nullptr;
    for (;;) {
        struct stat st {};
        if (::stat(folder.c_str(), &st) == 0)
            if (const Input* in = find_input(p, st); in && in->folder) return in;
        if (!folder.has_relative_path()) return nullptr;
        folder = folder.parent_path();
    }
}

std::string first_bytes(const fs::path& path, size_t n) {
    // O_NONBLOCK: the path is a regular file here (checked by the caller), but it may be
    // swapped for a pipe meanwhile; reading a pipe that nobody writes would block.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return {};
    std::string bytes(n, '\0');
    ssize_t got = ::read(fd, bytes.data(), n);
    ::close(fd);
    bytes.resize(got > 0 ? size_t(got) : 0);
    return bytes;
}

bool starts(const std::string& s, const char* prefix, size_t n, size_t at = 0) {
    return s.size() >= at + n && std::memcmp(s.data() + at, prefix, n) == 0;
}

}  // namespace

const char* kind_name(Kind kind) {
    switch (kind) {
        case Kind::Png: return "a PNG image";
        case Kind::Wav: return "a WAV file";
        case Kind::Tiff: return "a TIFF pyramid";
        case Kind::DeepZoom: return "a Deep Zoom descriptor";
        case Kind::Json: return "a JSON file";
        case Kind::SystemdUnit: return "a systemd unit";
    }
    return "a file";
}

void protect(const fs::path& input) {
    struct stat st {};
    if (input.empty() || ::stat(input.c_str(), &st) != 0) return;
    Policy& p = policy();
    std::lock_guard lock(p.mutex);
    if (find_input(p, st)) return;
    p.inputs.push_back({st.st_dev, st.st_ino, S_ISDIR(st.st_mode), input.string()});
}

void set_force(bool force) {
    Policy& p = policy();
    std::lock_guard lock(p.mutex);
    p.force = force;
}

bool force() {
    Policy& p = policy();
    std::lock_guard lock(p.mutex);
    return p.force;
}

void reset() {
    Policy& p = policy();
    std::lock_guard lock(p.mutex);
    p.inputs.clear();
    p.force = false;
}

bool holds(const fs::path& path, Kind kind) {
    std::string b = first_bytes(path, 1024);
    switch (kind) {
        case Kind::Png: return starts(b, "\x89PNG\r\n\x1a\n", 8);
        case Kind::Wav:
            return (starts(b, "RIFF", 4) || starts(b, "RF64", 4) || starts(b, "BW64", 4)) && starts(b, "WAVE", 4, 8);
        case Kind::Tiff:
            return starts(b, "II*\0", 4) || starts(b, "MM\0*", 4) || starts(b, "II+\0", 4) || starts(b, "MM\0+", 4);
        case Kind::DeepZoom: return b.find("<Image") != std::string::npos && b.find("deepzoom") != std::string::npos;
        case Kind::Json: {
            size_t i = b.find_first_not_of(" \t\r\n");
            return i != std::string::npos && b[i] == '{';
        }
        case Kind::SystemdUnit: return b.find("\n[Unit]\n") != std::string::npos || starts(b, "[Unit]\n", 7);
    }
    return false;
}

bool is_input(const fs::path& path) {
    Policy& p = policy();
    std::lock_guard lock(p.mutex);
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && find_input(p, st)) return true;
    return enclosing_input(p, path) != nullptr;
}

Result<void> check(const fs::path& out, Kind kind) {
    const std::string name = out.string();
    if (name.empty()) return fail("refusing to write " + std::string(kind_name(kind)) + " to an empty path; give --out a file name");
    Policy& p = policy();
    std::lock_guard lock(p.mutex);
    struct stat st {};
    bool exists = ::stat(out.c_str(), &st) == 0;
    if (exists) {
        if (const Input* in = find_input(p, st)) {
            std::string same = in->shown == name ? "" : " (the same file as " + in->shown + ")";
            return fail(name + ": is one of this run's inputs" + same + "; refusing to write " + kind_name(kind) +
                        " over it — choose another --out");
        }
        if (S_ISDIR(st.st_mode))
            return fail(name + ": is a folder; refusing to replace it with " + std::string(kind_name(kind)) +
                        " — give --out a file name");
    }
    if (const Input* in = enclosing_input(p, out))
        return fail(name + ": is inside " + in->shown + ", a folder this run reads; refusing to write there — choose another --out");
    if (exists && !p.force) {
        if (!S_ISREG(st.st_mode))
            return fail(name + ": exists and is not a regular file; refusing to replace it (--force replaces it)");
        if (st.st_size > 0 && !holds(out, kind))
            return fail(name + ": exists and is not " + std::string(kind_name(kind)) +
                        "; refusing to replace it — choose another --out, or add --force to replace it");
    }
    return {};
}

fs::path temporary_beside(const fs::path& path) {
    static std::atomic<unsigned> counter{0};
    fs::path name = path.filename();
    return path.parent_path() / (name.string() + ".partial-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
}

Result<OutputFile> OutputFile::create(const fs::path& path, Kind kind) {
    if (auto ok = check(path, kind); !ok) return ok.error();
    OutputFile f;
    f.path_ = path;
    f.kind_ = kind;
    for (int attempt = 0; attempt < 100; ++attempt) {
        f.temp_ = temporary_beside(path);
        int fd = ::open(f.temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno == EEXIST) continue;
        if (fd < 0)
            return fail(ErrorKind::Io, path.string() + ": cannot write " + kind_name(kind) + " (" + std::strerror(errno) +
                                           "; is the folder there and writable?)");
        f.stream_ = ::fdopen(fd, "wb");
        if (!f.stream_) {
            ::close(fd);
            ::unlink(f.temp_.c_str());
            return fail(ErrorKind::Io, path.string() + ": cannot write " + kind_name(kind));
        }
        f.done_ = false;
        return f;
    }
    return fail(ErrorKind::Io, path.string() + ": cannot find a free temporary name beside it");
}

OutputFile::OutputFile(OutputFile&& o) noexcept { *this = std::move(o); }

OutputFile& OutputFile::operator=(OutputFile&& o) noexcept {
    if (this != &o) {
        discard();
        path_ = std::move(o.path_);
        temp_ = std::move(o.temp_);
        kind_ = o.kind_;
        stream_ = std::exchange(o.stream_, nullptr);
        done_ = std::exchange(o.done_, true);
    }
    return *this;
}

OutputFile::~OutputFile() { discard(); }

void OutputFile::close_stream() {
    if (stream_) std::fclose(stream_);
    stream_ = nullptr;
}

void OutputFile::discard() {
    close_stream();
    if (!done_) ::unlink(temp_.c_str());
    done_ = true;
}

Result<void> OutputFile::commit() {
    if (done_) return fail(ErrorKind::Io, path_.string() + ": written twice (internal error)");
    bool ok = true;
    if (stream_) {
        ok = std::fflush(stream_) == 0 && !std::ferror(stream_);
        ok = std::fclose(stream_) == 0 && ok;
        stream_ = nullptr;
    }
    if (!ok) {
        discard();
        return fail(ErrorKind::Io, path_.string() + ": cannot write " + kind_name(kind_) + " (disk full?)");
    }
    // The path may have changed while we wrote (another program, an input given twice).
    if (auto again = check(path_, kind_); !again) {
        discard();
        return again.error();
    }
    if (::rename(temp_.c_str(), path_.c_str()) != 0) {
        std::string why = std::strerror(errno);
        discard();
        return fail(ErrorKind::Io, path_.string() + ": cannot move the finished file into place (" + why + ")");
    }
    done_ = true;
    return {};
}

}  // namespace vitrine::outputs
