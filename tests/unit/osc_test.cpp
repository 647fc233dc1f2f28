#include "show/osc.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <lo/lo.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace vitrine;
using namespace vitrine::show;

namespace {

std::unique_ptr<OscServer> open_server(const std::string& host = "127.0.0.1", const std::string& secret = "") {
    auto server = OscServer::open({.host = host, .port = 0, .secret = secret});
    EXPECT_TRUE(server.ok()) << (server.ok() ? "" : server.error().message);
    return server.ok() ? std::move(server.value()) : nullptr;
}

std::string target(const OscServer& server) { return "127.0.0.1:" + std::to_string(server.port()); }

// Polls until `count` messages arrived or the deadline passed.
std::vector<OscMessage> poll_for(OscServer& server, size_t count, std::chrono::milliseconds deadline = std::chrono::seconds(5)) {
    std::vector<OscMessage> out;
    auto end = std::chrono::steady_clock::now() + deadline;
    while (out.size() < count && std::chrono::steady_clock::now() < end) {
        server.poll(out);
        if (out.size() < count) usleep(1000);
    }
    return out;
}

// A raw client socket on 127.0.0.1, for sending arbitrary bytes and receiving replies.
struct Client {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ~Client() { close(fd); }

    void send(const OscServer& server, const void* data, size_t size) const {
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        to.sin_port = htons(server.port());
        ASSERT_EQ(sendto(fd, data, size, 0, reinterpret_cast<sockaddr*>(&to), sizeof to), static_cast<ssize_t>(size));
    }
    void send(const OscServer& server, const std::vector<char>& bytes) const { send(server, bytes.data(), bytes.size()); }

    // One datagram, or empty after two seconds.
    std::vector<char> receive() const {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 2000) != 1) return {};
        std::vector<char> bytes(65536);
        ssize_t size = recv(fd, bytes.data(), bytes.size(), 0);
        bytes.resize(size > 0 ? size : 0);
        return bytes;
    }
};

// A message built with liblo, for the raw client.
std::vector<char> message_bytes(const char* address, const std::vector<std::string>& strings) {
    lo_message message = lo_message_new();
    for (const auto& s : strings) lo_message_add_string(message, s.c_str());
    std::vector<char> bytes(lo_message_length(message, address));
    lo_message_serialise(message, address, bytes.data(), nullptr);
    lo_message_free(message);
    return bytes;
}

}  // namespace

TEST(Osc, ReceivesAThousandMessagesInOrder) {
    auto server = open_server();
    ASSERT_TRUE(server);
    std::vector<OscMessage> out;
    for (int i = 1; i <= 1000; ++i) {
        const char* address = i % 2 ? "/vitrine/cue" : "/vitrine/go";
        ASSERT_TRUE(osc_send(target(*server), address, {std::to_string(i)}).ok());
        // Drain every 100 so the test holds where net.core.rmem_max keeps the buffer small.
        if (i % 100 == 0) server->poll(out);
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (out.size() < 1000 && std::chrono::steady_clock::now() < deadline) {
        server->poll(out);
        usleep(1000);
    }
    ASSERT_EQ(out.size(), 1000u);
    for (int i = 1; i <= 1000; ++i) {
        const OscMessage& m = out[i - 1];
        EXPECT_EQ(m.address, i % 2 ? "/vitrine/cue" : "/vitrine/go");
        ASSERT_EQ(m.args.size(), 1u);
        EXPECT_EQ(m.args[0], std::to_string(i));  // sent as float32, printed with %g
        EXPECT_NE(m.sender, 0u);
    }
    EXPECT_EQ(server->received(), 1000u);
    EXPECT_EQ(server->malformed(), 0u);
}

TEST(Osc, ArgumentTypesBecomeText) {
    auto server = open_server();
    ASSERT_TRUE(server);
    lo_message message = lo_message_new();
    lo_message_add_int32(message, -7);
    lo_message_add_float(message, 0.25f);
    lo_message_add_double(message, 1e10);
    lo_message_add_int64(message, 123456789012345LL);
    lo_message_add_string(message, "hall");
    lo_message_add_symbol(message, "sym");
    lo_message_add_true(message);
    lo_message_add_false(message);
    std::vector<char> bytes(lo_message_length(message, "/vitrine/any"));
    lo_message_serialise(message, "/vitrine/any", bytes.data(), nullptr);
    lo_message_free(message);
    Client client;
    client.send(*server, bytes);
    auto out = poll_for(*server, 1);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].address, "/vitrine/any");
    EXPECT_EQ(out[0].args, (std::vector<std::string>{"-7", "0.25", "1e+10", "123456789012345", "hall", "sym", "1", "0"}));
}

TEST(Osc, RepliesToTheSender) {
    auto server = open_server();
    ASSERT_TRUE(server);
    Client client;
    client.send(*server, message_bytes("/vitrine/status", {}));
    auto out = poll_for(*server, 1);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].address, "/vitrine/status");
    EXPECT_TRUE(out[0].args.empty());
    server->reply(out[0].sender, "/vitrine/status", {"attract", "12.5", "3.1"});

    std::vector<char> bytes = client.receive();
    ASSERT_FALSE(bytes.empty());
    int error = 0;
    lo_message reply = lo_message_deserialise(bytes.data(), bytes.size(), &error);
    ASSERT_NE(reply, nullptr) << error;
    EXPECT_STREQ(lo_get_path(bytes.data(), bytes.size()), "/vitrine/status");
    ASSERT_EQ(lo_message_get_argc(reply), 3);
    EXPECT_STREQ(lo_message_get_types(reply), "sff");
    lo_arg** argv = lo_message_get_argv(reply);
    // lo_arg pointers are only 4-byte aligned: copy the floats out.
    float numbers[2];
    std::memcpy(&numbers[0], argv[1], sizeof(float));
    std::memcpy(&numbers[1], argv[2], sizeof(float));
    EXPECT_STREQ(reinterpret_cast<const char*>(argv[0]), "attract");
    EXPECT_FLOAT_EQ(numbers[0], 12.5f);
    EXPECT_FLOAT_EQ(numbers[1], 3.1f);
    lo_message_free(reply);
}

TEST(Osc, NonLoopbackNeedsASecret) {
    auto refused = OscServer::open({.host = "0.0.0.0", .port = 0});
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().kind, ErrorKind::Usage);
    EXPECT_NE(refused.error().message.find("shared secret"), std::string::npos) << refused.error().message;

    auto server = open_server("0.0.0.0", "s3cret");
    ASSERT_TRUE(server);
    Client client;
    client.send(*server, message_bytes("/vitrine/go", {}));
    client.send(*server, message_bytes("/vitrine/cue", {"wrong", "4"}));
    client.send(*server, message_bytes("/vitrine/cue", {"s3cret", "4"}));
    auto out = poll_for(*server, 1);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].address, "/vitrine/cue");
    EXPECT_EQ(out[0].args, std::vector<std::string>{"4"});
    EXPECT_EQ(server->rejected(), 2u);
    EXPECT_EQ(server->received(), 1u);
}

TEST(Osc, RejectsAMessageWithoutTheSecret) {
    auto server = open_server("0.0.0.0", "s3cret");
    ASSERT_TRUE(server);
    Client client;
    client.send(*server, message_bytes("/vitrine/go", {}));
    std::vector<OscMessage> out;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (server->rejected() == 0 && std::chrono::steady_clock::now() < deadline) {
        server->poll(out);
        usleep(1000);
    }
    EXPECT_EQ(server->rejected(), 1u);
    EXPECT_TRUE(out.empty());
}

TEST(Osc, LoopbackNamesNeedNoSecret) {
    EXPECT_TRUE(OscServer::open({.host = "localhost", .port = 0}).ok());
    EXPECT_TRUE(OscServer::open({.host = "127.0.0.2", .port = 0}).ok());
    auto bad = OscServer::open({.host = "not-an-address", .port = 0});
    EXPECT_FALSE(bad.ok());
}

TEST(Osc, BindFailureNamesTheAddress) {
    auto first = open_server();
    ASSERT_TRUE(first);
    auto second = OscServer::open({.host = "127.0.0.1", .port = first->port()});
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().kind, ErrorKind::Io);
    EXPECT_EQ(second.error().message.rfind("osc: cannot bind 127.0.0.1:" + std::to_string(first->port()) + ": ", 0), 0u)
        << second.error().message;
}

TEST(Osc, SurvivesRandomDatagrams) {
    auto server = open_server();
    ASSERT_TRUE(server);
    Client client;
    std::mt19937 random(20240611);
    const std::vector<char> valid = message_bytes("/vitrine/cue", {"7", "hall"});
    const size_t types_at = 16;  // "/vitrine/cue\0\0\0\0" then ",ss"
    ASSERT_EQ(valid[types_at], ',');
    const std::string bundle_head("#bundle\0\0\0\0\0\0\0\0\1", 16);

    uint64_t sent_valid = 0;
    std::vector<OscMessage> out;
    for (int i = 0; i < 10000; ++i) {
        std::vector<char> bytes;
        switch (i % 5) {
            case 0: {  // noise, 0..600 bytes
                bytes.resize(random() % 601);
                for (char& c : bytes) c = static_cast<char>(random());
                break;
            }
            case 1:  // a truncation
                bytes.assign(valid.begin(), valid.begin() + random() % valid.size());
                break;
            case 2: {  // bit flips
                bytes = valid;
                for (int flips = 1 + random() % 4; flips > 0; --flips) bytes[random() % bytes.size()] ^= 1 << (random() % 8);
                break;
            }
            case 3: {  // a bad (or unsupported) type tag
                bytes = valid;
                const char tags[] = "bcmtNIr[]x\0 ";
                bytes[types_at + 1 + random() % 2] = tags[random() % (sizeof tags - 1)];
                break;
            }
            case 4: {  // a bundle holding a valid message, or noise after "#bundle"
                bytes.assign(bundle_head.begin(), bundle_head.end());
                uint32_t size = htonl(static_cast<uint32_t>(valid.size()));
                bytes.insert(bytes.end(), reinterpret_cast<char*>(&size), reinterpret_cast<char*>(&size) + 4);
                bytes.insert(bytes.end(), valid.begin(), valid.end());
                if (random() % 2) bytes.resize(random() % bytes.size());
                break;
            }
        }
        client.send(*server, bytes);
        if (i % 50 == 49) server->poll(out);
    }
    server->poll(out);
    // Messages that happen to be valid (a harmless bit flip) are fine; all others are counted.
    sent_valid = out.size();
    EXPECT_GT(server->malformed(), 9000u);

    client.send(*server, message_bytes("/vitrine/state", {"attract"}));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (server->received() + server->malformed() < 10001 && std::chrono::steady_clock::now() < deadline) {
        server->poll(out);
        usleep(1000);
    }
    EXPECT_EQ(server->received() + server->malformed(), 10001u);
    ASSERT_GT(out.size(), sent_valid);
    EXPECT_EQ(out.back().address, "/vitrine/state");
    EXPECT_EQ(out.back().args, std::vector<std::string>{"attract"});
}

TEST(Osc, LargestDatagramsArrive) {
    auto server = open_server();
    ASSERT_TRUE(server);
    Client client;
    std::vector<char> big = message_bytes("/vitrine/cue", {std::string(65000, 'x')});
    client.send(*server, big);
    std::vector<OscMessage> out;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (server->received() + server->malformed() == 0 && std::chrono::steady_clock::now() < deadline) {
        server->poll(out);
        usleep(1000);
    }
    // 65 KB fits a UDP datagram on loopback and in our buffer: it arrives whole.
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].args[0].size(), 65000u);
}

TEST(Osc, SendRefusesABadTarget) {
    for (const char* bad : {"", "9000", "localhost", "127.0.0.1:", ":9000", "127.0.0.1:0", "127.0.0.1:70000",
                            "127.0.0.1:90x", "host name:9000", "example.invalid:9000"}) {
        auto sent = osc_send(bad, "/vitrine/go", {});
        ASSERT_FALSE(sent.ok()) << bad;
        EXPECT_EQ(sent.error().kind, ErrorKind::BadInput) << bad;
        EXPECT_EQ(sent.error().message, std::string("osc: '") + bad + "' is not HOST:PORT");
    }
    EXPECT_EQ(osc_send("127.0.0.1:9", "vitrine/go", {}).error().kind, ErrorKind::BadInput);
}
