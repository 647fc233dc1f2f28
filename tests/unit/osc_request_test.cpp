// show::osc_request (what `vitrine send` uses): a message out from a bound socket, the
// first OSC reply back, against a local UDP echo, a silent port, a closed port and the
// show's own OscServer answering /vitrine/status.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "show/osc.h"

using namespace vitrine;
using namespace vitrine::show;

namespace {

// A UDP socket on 127.0.0.1 and a free port; the port stays taken while it lives.
struct Udp {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    uint16_t port = 0;
    Udp() {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
        socklen_t length = sizeof a;
        getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length);
        port = ntohs(a.sin_port);
    }
    ~Udp() { close(fd); }
    std::string target() const { return "127.0.0.1:" + std::to_string(port); }
};

// Answers `count` datagrams: first `before` (if not empty), then the datagram itself.
void echo(const Udp& udp, int count, std::vector<char> before = {}) {
    for (int i = 0; i < count; ++i) {
        pollfd p{udp.fd, POLLIN, 0};
        if (poll(&p, 1, 5000) != 1) return;
        std::vector<char> bytes(65536);
        sockaddr_in from{};
        socklen_t length = sizeof from;
        ssize_t size = recvfrom(udp.fd, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&from), &length);
        if (size < 0) return;
        if (!before.empty())
            sendto(udp.fd, before.data(), before.size(), 0, reinterpret_cast<sockaddr*>(&from), length);
        sendto(udp.fd, bytes.data(), size_t(size), 0, reinterpret_cast<sockaddr*>(&from), length);
    }
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST(OscRequest, PrintsWhatAnEchoSendsBack) {
    Udp udp;
    std::thread responder(echo, std::cref(udp), 1, std::vector<char>());
    auto reply = osc_request(udp.target(), "/vitrine/status", {"attract", "12.5", "audio ok", ""}, 2000);
    responder.join();
    ASSERT_TRUE(reply.ok()) << reply.error().message;
    ASSERT_TRUE(reply->has_value());
    const OscMessage& m = **reply;
    EXPECT_EQ(m.address, "/vitrine/status");
    EXPECT_EQ(m.args, (std::vector<std::string>{"attract", "12.5", "audio ok", ""}));
    EXPECT_EQ(m.sender, 0u);
}

TEST(OscRequest, SkipsDatagramsThatAreNotOsc) {
    Udp udp;
    std::thread responder(echo, std::cref(udp), 1, std::vector<char>{'n', 'o', 'i', 's', 'e'});
    auto reply = osc_request(udp.target(), "/vitrine/status", {}, 2000);
    responder.join();
    ASSERT_TRUE(reply.ok()) << reply.error().message;
    ASSERT_TRUE(reply->has_value());
    EXPECT_EQ((*reply)->address, "/vitrine/status");
}

TEST(OscRequest, NoWaitReturnsAtOnce) {
    Udp udp;  // listens, never answers
    auto t0 = std::chrono::steady_clock::now();
    auto reply = osc_request(udp.target(), "/vitrine/go", {}, 0);
    ASSERT_TRUE(reply.ok()) << reply.error().message;
    EXPECT_FALSE(reply->has_value());
    EXPECT_LT(seconds_since(t0), 0.1);
    // The message went out all the same.
    pollfd p{udp.fd, POLLIN, 0};
    EXPECT_EQ(poll(&p, 1, 1000), 1);
}

TEST(OscRequest, ASilentPortGivesNothingAfterTheWait) {
    Udp udp;
    auto t0 = std::chrono::steady_clock::now();
    auto reply = osc_request(udp.target(), "/vitrine/status", {}, 200);
    double took = seconds_since(t0);
    ASSERT_TRUE(reply.ok()) << reply.error().message;
    EXPECT_FALSE(reply->has_value());
    EXPECT_GE(took, 0.19);
    EXPECT_LT(took, 2.0);
}

TEST(OscRequest, AClosedPortIsRefusedNamingIt) {
    std::string target;
    {
        Udp udp;  // a port that was free a moment ago, closed again
        target = udp.target();
    }
    auto reply = osc_request(target, "/vitrine/status", {}, 2000);
    ASSERT_FALSE(reply.ok());
    EXPECT_EQ(reply.error().kind, ErrorKind::Io);
    EXPECT_NE(reply.error().message.find(target), std::string::npos) << reply.error().message;
    EXPECT_NE(reply.error().message.find("connection refused"), std::string::npos) << reply.error().message;
}

TEST(OscRequest, RefusesABadTargetOrAddress) {
    auto bad = osc_request("127.0.0.1", "/vitrine/status", {}, 100);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().message, "osc: '127.0.0.1' is not HOST:PORT");
    auto no_slash = osc_request("127.0.0.1:9", "vitrine/status", {}, 100);
    ASSERT_FALSE(no_slash.ok());
    EXPECT_EQ(no_slash.error().kind, ErrorKind::BadInput);
}

TEST(OscRequest, TheShowsServerAnswersStatus) {
    auto server = OscServer::open({.host = "127.0.0.1", .port = 0, .secret = ""});
    ASSERT_TRUE(server.ok()) << server.error().message;
    OscServer& s = *server.value();
    std::atomic<bool> done{false};
    std::thread show([&] {  // what `vitrine run` does with /vitrine/status
        std::vector<OscMessage> in;
        while (!done) {
            in.clear();
            s.poll(in);
            for (const OscMessage& m : in)
                if (m.address == "/vitrine/status") s.reply(m.sender, "/vitrine/status", {"tour", "3.250", "", "audio off"});
            usleep(1000);
        }
    });
    auto reply = osc_request("127.0.0.1:" + std::to_string(s.port()), "/vitrine/status", {}, 2000);
    done = true;
    show.join();
    ASSERT_TRUE(reply.ok()) << reply.error().message;
    ASSERT_TRUE(reply->has_value());
    EXPECT_EQ((*reply)->address, "/vitrine/status");
    EXPECT_EQ((*reply)->args, (std::vector<std::string>{"tour", "3.25", "", "audio off"}));
}
