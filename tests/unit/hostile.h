// Helpers for the hostile-input tests (hostile_*_test.cpp): a watchdog that ends the
// test process when a loader hangs (each discovered test runs in its own process, so a
// hang fails instead of blocking ctest), cut points for truncation families, and files
// that are not regular (a FIFO, a socket).
#pragma once
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace vitrine::test {

// Ends the process (SIGALRM) after `seconds`: a loader that waits forever fails the test.
struct Watchdog {
    explicit Watchdog(unsigned seconds) {
        std::signal(SIGALRM, SIG_DFL);
        ::alarm(seconds);
    }
    ~Watchdog() { ::alarm(0); }
};

// Where to cut a file of `size` bytes: every byte of the first `head` (headers), then
// `spread` points evenly through the rest, and the last bytes.
inline std::vector<size_t> cut_points(size_t size, size_t head = 64, size_t spread = 100) {
    std::vector<size_t> cuts;
    for (size_t i = 0; i < head && i < size; ++i) cuts.push_back(i);
    for (size_t k = 1; k <= spread && size > head; ++k) cuts.push_back(head + (size - head) * k / (spread + 1));
    for (size_t back : {size_t(1), size_t(2), size_t(3)})
        if (size > back + head) cuts.push_back(size - back);
    return cuts;
}

inline std::vector<uint8_t> read_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

inline void write_bytes(const std::filesystem::path& p, const uint8_t* data, size_t size) {
    std::ofstream(p, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data), std::streamsize(size));
}

// A named pipe nobody writes to: opening it for reading the usual way blocks forever.
inline std::filesystem::path make_fifo(const std::filesystem::path& p) {
    std::filesystem::remove(p);
    ::mkfifo(p.c_str(), 0600);
    return p;
}

// A listening Unix socket at `p` (closed when the returned descriptor is).
inline int make_socket(const std::filesystem::path& p) {
    std::filesystem::remove(p);
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, p.c_str(), sizeof a.sun_path - 1);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd, 1);
    return fd;
}

inline double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace vitrine::test
