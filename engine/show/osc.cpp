#include "show/osc.h"

#include <arpa/inet.h>
#include <lo/lo.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>

#include "core/log.h"

namespace vitrine::show {

// A sender of the last poll(): where reply() sends to.
struct OscServer::Peer {
    sockaddr_in address{};
};

namespace {

// The largest UDP payload; a datagram longer than this buffer is reported as truncated.
constexpr size_t kMaxDatagram = 65536;
// The kernel buffer for bursts: a show controller may fire hundreds of cues in one frame.
constexpr int kReceiveBuffer = 4 * 1024 * 1024;
// A flood must not stall the frame loop: at most this many datagrams per poll().
constexpr int kMaxDatagramsPerPoll = 1 << 16;
// The argument types we turn into text; blobs, timetags, MIDI, nil, ... are refused.
constexpr const char* kAcceptedTypes = "ifdhsSTF";

std::string errno_text(int error) { return std::strerror(error); }

std::string endpoint_text(const sockaddr_in& address) {
    char ip[INET_ADDRSTRLEN] = "?";
    inet_ntop(AF_INET, &address.sin_addr, ip, sizeof ip);
    return std::string(ip) + ":" + std::to_string(ntohs(address.sin_port));
}

// IPv4 only: a dotted address or "localhost".
std::optional<in_addr> parse_ipv4(const std::string& host) {
    in_addr address{};
    const std::string text = host == "localhost" ? "127.0.0.1" : host;
    if (inet_pton(AF_INET, text.c_str(), &address) != 1) return std::nullopt;
    return address;
}

bool is_loopback(in_addr address) { return (ntohl(address.s_addr) >> 24) == 127; }

double now_seconds() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

sockaddr_in make_address(in_addr ip, uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr = ip;
    address.sin_port = htons(port);
    return address;
}

// A text that is entirely a finite number (no spaces, no trailing characters) goes out
// as float32 so that OSC receivers expecting numbers get numbers.
std::optional<float> as_number(const std::string& text) {
    float value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
    return value;
}

// Serialises one message; empty on allocation failure.
std::vector<char> serialise(const std::string& address, const std::vector<std::string>& args) {
    lo_message message = lo_message_new();
    if (!message) return {};
    bool ok = true;
    for (const std::string& arg : args) {
        auto number = as_number(arg);
        int status = number ? lo_message_add_float(message, *number) : lo_message_add_string(message, arg.c_str());
        ok = ok && status == 0;
    }
    std::vector<char> bytes;
    if (ok) {
        bytes.resize(lo_message_length(message, address.c_str()));
        lo_message_serialise(message, address.c_str(), bytes.data(), nullptr);
    }
    lo_message_free(message);
    return bytes;
}

// Length of the NUL-terminated, 4-byte padded OSC string at data[offset], or 0 when it
// is not terminated within the datagram (or its padding runs past it).
size_t osc_string_size(const char* data, size_t size, size_t offset) {
    if (offset >= size) return 0;
    const void* nul = std::memchr(data + offset, '\0', size - offset);
    if (!nul) return 0;
    size_t length = static_cast<const char*>(nul) - (data + offset);
    size_t padded = (length / 4 + 1) * 4;
    return offset + padded <= size ? padded : 0;
}

// Our own checks before liblo sees the bytes: the address and the type tags must be
// terminated inside the datagram, and only types we accept may appear (liblo 0.31 reads
// a blob's size word without checking that four bytes remain).
bool precheck(const char* data, size_t size) {
    size_t address_size = osc_string_size(data, size, 0);
    if (address_size == 0 || data[0] != '/') return false;  // also refuses "#bundle"
    size_t types_size = osc_string_size(data, size, address_size);
    if (types_size == 0 || data[address_size] != ',') return false;
    const char* types = data + address_size + 1;
    return std::strspn(types, kAcceptedTypes) == std::strlen(types);
}

template <typename T>
T read_arg(const lo_arg* arg) {
    T value;
    std::memcpy(&value, arg, sizeof value);  // lo_arg data is only 4-byte aligned
    return value;
}

std::string format(const char* pattern, auto value) {
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

std::optional<std::string> arg_text(char type, const lo_arg* arg) {
    if (type == LO_TRUE) return "1";
    if (type == LO_FALSE) return "0";
    if (!arg) return std::nullopt;
    switch (type) {
        case LO_INT32: return format("%d", read_arg<int32_t>(arg));
        case LO_INT64: return format("%lld", static_cast<long long>(read_arg<int64_t>(arg)));
        case LO_FLOAT: return format("%g", static_cast<double>(read_arg<float>(arg)));
        case LO_DOUBLE: return format("%g", read_arg<double>(arg));
        case LO_STRING:
        case LO_SYMBOL: return std::string(reinterpret_cast<const char*>(arg));
        default: return std::nullopt;
    }
}

// A valid OSC message into `out` (sender not set); false when malformed.
bool parse_message(char* data, size_t size, OscMessage& out) {
    if (!precheck(data, size)) return false;
    int error = 0;
    lo_message message = lo_message_deserialise(data, size, &error);
    if (!message) return false;
    out.address = data;  // checked to be terminated inside the datagram
    out.args.clear();
    const char* types = lo_message_get_types(message);
    int argc = lo_message_get_argc(message);
    lo_arg** argv = argc > 0 ? lo_message_get_argv(message) : nullptr;
    bool ok = true;
    for (int i = 0; ok && i < argc; ++i) {
        auto text = arg_text(types[i], argv[i]);
        if (text) out.args.push_back(std::move(*text));
        ok = text.has_value();
    }
    lo_message_free(message);
    return ok;
}

// Parses "host:port" (IPv4 or localhost, port 1..65535).
std::optional<sockaddr_in> parse_host_port(const std::string& host_port) {
    size_t colon = host_port.rfind(':');
    if (colon == std::string::npos || colon == 0) return std::nullopt;
    auto ip = parse_ipv4(host_port.substr(0, colon));
    const char* first = host_port.data() + colon + 1;
    const char* last = host_port.data() + host_port.size();
    unsigned port = 0;
    auto [ptr, error] = std::from_chars(first, last, port);
    if (!ip || first == last || error != std::errc() || ptr != last || port == 0 || port > 65535) return std::nullopt;
    return make_address(*ip, static_cast<uint16_t>(port));
}

// Bigger bursts than the default buffer: SO_RCVBUFFORCE passes net.core.rmem_max when
// we may (CAP_NET_ADMIN); otherwise SO_RCVBUF gets as much as the system allows.
void raise_receive_buffer(int socket) {
    int size = kReceiveBuffer;
    if (setsockopt(socket, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
}

}  // namespace

Result<std::unique_ptr<OscServer>> OscServer::open(const OscOptions& options) {
    const std::string where = options.host + ":" + std::to_string(options.port);
    auto ip = parse_ipv4(options.host);
    if (!ip) return fail("osc: cannot bind " + where + ": '" + options.host + "' is not an IPv4 address");
    if (!is_loopback(*ip) && options.secret.empty())
        return fail(ErrorKind::Usage, "osc: binding " + where +
                                          " needs a shared secret (--osc-secret); without one only 127.0.0.1 is allowed");

    std::unique_ptr<OscServer> server(new OscServer());
    server->socket_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (server->socket_ < 0) return fail(ErrorKind::Io, "osc: cannot bind " + where + ": " + errno_text(errno));
    raise_receive_buffer(server->socket_);
    sockaddr_in address = make_address(*ip, options.port);
    if (::bind(server->socket_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        return fail(ErrorKind::Io, "osc: cannot bind " + where + ": " + errno_text(errno));
    socklen_t length = sizeof address;
    if (getsockname(server->socket_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        return fail(ErrorKind::Io, "osc: cannot bind " + where + ": " + errno_text(errno));
    server->port_ = ntohs(address.sin_port);
    server->secret_ = options.secret;
    return server;
}

OscServer::~OscServer() {
    if (socket_ >= 0) ::close(socket_);
}

void OscServer::poll(std::vector<OscMessage>& out) {
    peers_.clear();  // handles from the previous poll() are no longer valid
    alignas(8) char buffer[kMaxDatagram];
    for (int count = 0; count < kMaxDatagramsPerPoll; ++count) {
        sockaddr_in from{};
        socklen_t from_length = sizeof from;
        // MSG_TRUNC: the real length comes back, so an oversized datagram is noticed.
        ssize_t size = recvfrom(socket_, buffer, sizeof buffer, MSG_TRUNC, reinterpret_cast<sockaddr*>(&from), &from_length);
        if (size < 0) {
            if (errno == EINTR || errno == ECONNREFUSED) continue;  // a stale ICMP error: keep reading
            break;                                                  // EAGAIN: nothing more waiting
        }
        OscMessage message;
        if (static_cast<size_t>(size) > sizeof buffer || !parse_message(buffer, size, message)) {
            ++malformed_;
            continue;
        }
        if (!secret_.empty()) {
            if (message.args.empty() || message.args.front() != secret_) {
                ++rejected_;
                double now = now_seconds();
                if (now - last_reject_log_ >= 1.0) {
                    last_reject_log_ = now;
                    log::warn("osc: rejected a message from " + endpoint_text(from) + " without the shared secret");
                }
                continue;
            }
            message.args.erase(message.args.begin());
        }
        // Consecutive messages usually come from the same controller: share its handle.
        if (peers_.empty() || std::memcmp(&peers_.back()->address, &from, sizeof from) != 0) {
            peers_.push_back(std::make_unique<Peer>());
            peers_.back()->address = from;
        }
        message.sender = peers_.size();  // 1-based, so 0 never names a sender
        ++received_;
        out.push_back(std::move(message));
    }
}

void OscServer::reply(uint64_t sender, const std::string& address, const std::vector<std::string>& args) {
    if (sender == 0 || sender > peers_.size()) {
        log::warn("osc: cannot reply to " + address + ": the sender is not from the last poll");
        return;
    }
    const sockaddr_in& to = peers_[sender - 1]->address;
    std::vector<char> bytes = serialise(address, args);
    if (bytes.empty() ||
        sendto(socket_, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to) < 0)
        log::warn("osc: cannot reply to " + endpoint_text(to) + ": " + errno_text(bytes.empty() ? ENOMEM : errno));
}

Result<void> osc_send(const std::string& host_port, const std::string& address, const std::vector<std::string>& args) {
    auto to = parse_host_port(host_port);
    if (!to) return fail("osc: '" + host_port + "' is not HOST:PORT");
    if (address.empty() || address[0] != '/') return fail("osc: '" + address + "' is not an OSC address (starts with /)");
    const std::string prefix = "osc: cannot send to " + host_port + ": ";
    std::vector<char> bytes = serialise(address, args);
    if (bytes.empty()) return fail(ErrorKind::Io, prefix + errno_text(ENOMEM));
    int socket = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (socket < 0) return fail(ErrorKind::Io, prefix + errno_text(errno));
    ssize_t sent = sendto(socket, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&*to), sizeof *to);
    int error = errno;
    ::close(socket);
    if (sent < 0) return fail(ErrorKind::Io, prefix + errno_text(error));
    return {};
}

Result<std::optional<OscMessage>> osc_request(const std::string& host_port, const std::string& address,
                                              const std::vector<std::string>& args, int wait_ms) {
    auto to = parse_host_port(host_port);
    if (!to) return fail("osc: '" + host_port + "' is not HOST:PORT");
    if (address.empty() || address[0] != '/') return fail("osc: '" + address + "' is not an OSC address (starts with /)");
    const std::string prefix = "osc: cannot send to " + host_port + ": ";
    std::vector<char> bytes = serialise(address, args);
    if (bytes.empty()) return fail(ErrorKind::Io, prefix + errno_text(ENOMEM));
    struct Socket {
        int fd;
        ~Socket() {
            if (fd >= 0) ::close(fd);
        }
    } socket{::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
    if (socket.fd < 0) return fail(ErrorKind::Io, prefix + errno_text(errno));
    // Bound to a free port, so the reply has somewhere to come back to, and connected, so
    // only the target's datagrams arrive and a closed port reports ECONNREFUSED.
    sockaddr_in local = make_address(in_addr{htonl(INADDR_ANY)}, 0);
    if (::bind(socket.fd, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0 ||
        ::connect(socket.fd, reinterpret_cast<const sockaddr*>(&*to), sizeof *to) != 0 ||
        ::send(socket.fd, bytes.data(), bytes.size(), 0) < 0)
        return fail(ErrorKind::Io, prefix + errno_text(errno));
    if (wait_ms <= 0) return std::optional<OscMessage>();

    const double deadline = now_seconds() + wait_ms / 1000.0;
    std::vector<char> buffer(kMaxDatagram);
    for (;;) {
        const double left = deadline - now_seconds();
        if (left <= 0) return std::optional<OscMessage>();
        pollfd p{socket.fd, POLLIN, 0};
        int ready = ::poll(&p, 1, static_cast<int>(std::ceil(left * 1000.0)));
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) return fail(ErrorKind::Io, "osc: no reply from " + host_port + ": " + errno_text(errno));
        if (ready == 0) continue;  // the deadline is checked above
        ssize_t size = ::recv(socket.fd, buffer.data(), buffer.size(), MSG_TRUNC);
        if (size < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (size < 0 && errno == ECONNREFUSED)
            return fail(ErrorKind::Io, "osc: no reply from " + host_port +
                                           ": connection refused (nothing listens on that port: is the show running?)");
        if (size < 0) return fail(ErrorKind::Io, "osc: no reply from " + host_port + ": " + errno_text(errno));
        OscMessage reply;
        if (static_cast<size_t>(size) <= buffer.size() && parse_message(buffer.data(), size, reply))
            return std::optional<OscMessage>(std::move(reply));
    }
}

}  // namespace vitrine::show
