// The show's control port: OSC 1.0 over UDP (messages parsed with liblo's low-level
// deserialiser on our own socket, so every datagram is accounted for). Addresses:
//   /vitrine/go  /vitrine/cue <id>  /vitrine/state <name>  /vitrine/stop  /vitrine/pause
//   /vitrine/seek <seconds>  /vitrine/volume <0..1>  /vitrine/status
// and any other address (passed on: scenes may use OSC addresses as triggers).
// Bound to 127.0.0.1 by default. Binding any other address requires a shared secret:
// then the first argument of every message must be that string, and messages without
// it are rejected (counted and logged, at most one log line per second). Datagrams that
// are not valid OSC messages (or are bundles) are counted and dropped.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace vitrine::show {

struct OscOptions {
    std::string host = "127.0.0.1";  // address to bind
    uint16_t port = 9000;            // 0 = any free port (tests)
    std::string secret;              // required when host is not a loopback address
};

// One received message with its arguments as text (numbers printed with %g; int, float,
// double, string and symbol arguments are accepted; others make the message malformed).
struct OscMessage {
    std::string address;
    std::vector<std::string> args;  // the secret, when one is required, already removed
    uint64_t sender = 0;            // handle for reply(): valid until the next poll()
};

class OscServer {
public:
    // Fails (ErrorKind::Usage) when binding a non-loopback address without a secret,
    // and (Io) when the socket cannot be bound: "osc: cannot bind 127.0.0.1:9000: ...".
    static Result<std::unique_ptr<OscServer>> open(const OscOptions& options);
    ~OscServer();

    uint16_t port() const { return port_; }
    // Non-blocking: every datagram waiting, in arrival order, appended to `out`.
    void poll(std::vector<OscMessage>& out);
    // Sends a message back to the sender of a message from the last poll().
    void reply(uint64_t sender, const std::string& address, const std::vector<std::string>& args);

    uint64_t received() const { return received_; }    // valid messages accepted
    uint64_t malformed() const { return malformed_; }  // not OSC (or a bundle)
    uint64_t rejected() const { return rejected_; }    // wrong or missing secret

private:
    OscServer() = default;
    int socket_ = -1;
    uint16_t port_ = 0;
    std::string secret_;
    uint64_t received_ = 0, malformed_ = 0, rejected_ = 0;
    double last_reject_log_ = -1e9;
    struct Peer;
    std::vector<std::unique_ptr<Peer>> peers_;  // senders of the last poll()
};

// Sends one message (arguments that parse fully as numbers go as float32, else string).
// For cue actions and tests. "host:port".
Result<void> osc_send(const std::string& host_port, const std::string& address, const std::vector<std::string>& args);

// A request: sends one message as osc_send does, but from a socket bound to a free port
// and connected to host:port, then waits up to `wait_ms` for the first valid OSC message
// back from there (datagrams that are not OSC are skipped). Without a reply in time (or
// with wait_ms <= 0: no wait at all) the value is empty. A refused port (ICMP: nothing
// listens there) is an error: "osc: no reply from HOST:PORT: connection refused ...".
// The reply's arguments are text, as OscServer::poll gives them; its sender is 0.
Result<std::optional<OscMessage>> osc_request(const std::string& host_port, const std::string& address,
                                              const std::vector<std::string>& args, int wait_ms);

}  // namespace vitrine::show
