#include "session/notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace vitrine::session {

Notifier::Notifier() {
    const char* socket_path = std::getenv("NOTIFY_SOCKET");
    if (!socket_path || !*socket_path || std::strlen(socket_path) >= sizeof(sockaddr_un::sun_path)) return;
    if (socket_path[0] != '/' && socket_path[0] != '@') return;
    address_ = socket_path;
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (const char* usec = std::getenv("WATCHDOG_USEC")) {
        const char* pid = std::getenv("WATCHDOG_PID");  // when set, for this process only
        if (!pid || std::atol(pid) == long(::getpid())) watchdog_ = std::strtod(usec, nullptr) / 1e6;
    }
}

Notifier::~Notifier() {
    if (fd_ >= 0) ::close(fd_);
}

void Notifier::send(const std::string& message) {
    if (fd_ < 0) return;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, address_.data(), address_.size());
    if (addr.sun_path[0] == '@') addr.sun_path[0] = '\0';  // an abstract socket
    socklen_t len = socklen_t(offsetof(sockaddr_un, sun_path) + address_.size());
    (void)::sendto(fd_, message.data(), message.size(), MSG_NOSIGNAL | MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&addr), len);
}

void Notifier::ready() { send("READY=1"); }

void Notifier::alive(double now) {
    double every = watchdog_ > 0 ? watchdog_ / 4 : 1.0;
    if (now - last_ping_ < every) return;
    last_ping_ = now;
    send("WATCHDOG=1");
}

void Notifier::status(const std::string& line) { send("STATUS=" + line); }

void Notifier::stopping() { send("STOPPING=1"); }

}  // namespace vitrine::session
