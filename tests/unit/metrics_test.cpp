// The metrics page (session/metrics.h): Prometheus' text format over HTTP on loopback,
// fetched here with a plain TCP socket so the test needs no HTTP client.
#include "session/metrics.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>

using namespace vitrine;
using namespace vitrine::session;

namespace {

struct Reply {
    int status = 0;  // 0: no answer
    std::string head, body;
};

int connect_to(const char* host, uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    timeval five{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &five, sizeof five);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    inet_pton(AF_INET, host, &a.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// One HTTP/1.1 request with "Connection: close"; the reply read to its end.
Reply request(uint16_t port, const std::string& method, const std::string& path) {
    Reply r;
    int fd = connect_to("127.0.0.1", port);
    if (fd < 0) return r;
    std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) != ssize_t(req.size())) {
        ::close(fd);
        return r;
    }
    std::string all;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) all.append(buf, size_t(n));
    ::close(fd);
    size_t end = all.find("\r\n\r\n");
    if (all.rfind("HTTP/1.", 0) != 0 || end == std::string::npos) return r;
    r.status = std::stoi(all.substr(9, 3));
    r.head = all.substr(0, end);
    r.body = all.substr(end + 4);
    return r;
}

// The page parsed: samples by "name{labels}", HELP and TYPE by family, and each
// sample's family seen with its HELP and TYPE before it.
struct Page {
    std::map<std::string, std::string> samples;
    std::map<std::string, std::string> help, type;
    std::vector<std::string> problems;
};

Page parse(const std::string& text) {
    Page p;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("# HELP ", 0) == 0) {
            std::string rest = line.substr(7);
            p.help[rest.substr(0, rest.find(' '))] = rest.substr(rest.find(' ') + 1);
        } else if (line.rfind("# TYPE ", 0) == 0) {
            std::string rest = line.substr(7);
            p.type[rest.substr(0, rest.find(' '))] = rest.substr(rest.find(' ') + 1);
        } else if (!line.empty()) {
            size_t space = line.rfind(' ');
            std::string key = line.substr(0, space);
            std::string family = key.substr(0, key.find('{'));
            if (!p.help.count(family) || !p.type.count(family)) p.problems.push_back("no HELP/TYPE before " + line);
            p.samples[key] = line.substr(space + 1);
        }
    }
    return p;
}

std::unique_ptr<MetricsPage> open_page(uint16_t port = 0) {
    auto page = MetricsPage::open(port);
    EXPECT_TRUE(page.ok()) << (page.ok() ? "" : page.error().message);
    return page.ok() ? std::move(page.value()) : nullptr;
}

Snapshot example() {
    Snapshot s;
    s.uptime = 12.5;
    s.counters = {.frames_shown = 750, .frames_dropped = 3, .device_losses = 1, .reloads_good = 4, .reloads_bad = 2,
                  .touches = 9};
    s.frame_p50 = 0.016;
    s.frame_p99 = 0.0335;
    s.audio_status = "silent";
    s.state = "intro";
    s.show_time = 61.25;
    s.gpu_used = 1000000;
    s.gpu_held = 67108864;
    s.open = true;
    return s;
}

}  // namespace

TEST(Metrics, ServesThePublishedSnapshot) {
    auto page = open_page();
    ASSERT_TRUE(page);
    EXPECT_NE(page->port(), 0);
    page->publish(example());
    Reply r = request(page->port(), "GET", "/metrics");
    ASSERT_EQ(r.status, 200) << r.head;
    EXPECT_NE(r.head.find("Content-Type: text/plain; version=0.0.4"), std::string::npos) << r.head;
    Page p = parse(r.body);
    EXPECT_TRUE(p.problems.empty()) << p.problems.front();
    const std::map<std::string, std::string> want = {
        {"vitrine_uptime_seconds", "12.5"},
        {"vitrine_frames_shown_total", "750"},
        {"vitrine_frames_dropped_total", "3"},
        {"vitrine_frame_time_seconds{quantile=\"0.5\"}", "0.016"},
        {"vitrine_frame_time_seconds{quantile=\"0.99\"}", "0.0335"},
        {"vitrine_device_losses_total", "1"},
        {"vitrine_reloads_total{result=\"good\"}", "4"},
        {"vitrine_reloads_total{result=\"bad\"}", "2"},
        {"vitrine_audio_healthy", "0"},
        {"vitrine_audio_status{status=\"silent\"}", "1"},
        {"vitrine_touches_total", "9"},
        {"vitrine_state{state=\"intro\"}", "1"},
        {"vitrine_show_time_seconds", "61.25"},
        {"vitrine_gpu_memory_used_bytes", "1000000"},
        {"vitrine_gpu_memory_held_bytes", "67108864"},
        {"vitrine_open", "1"},
    };
    for (const auto& [key, value] : want) {
        ASSERT_TRUE(p.samples.count(key)) << key << " missing from\n" << r.body;
        EXPECT_EQ(p.samples[key], value) << key;
    }
    // RSS is read by the page itself, when asked.
    ASSERT_TRUE(p.samples.count("vitrine_resident_memory_bytes")) << r.body;
    EXPECT_GT(std::stoll(p.samples["vitrine_resident_memory_bytes"]), 0);
    EXPECT_EQ(p.samples.size(), want.size() + 1) << r.body;
    // Counters, and only counters, end in _total; every family is vitrine_*.
    for (const auto& [family, type] : p.type) {
        EXPECT_EQ(family.rfind("vitrine_", 0), 0u) << family;
        bool total = family.size() > 6 && family.compare(family.size() - 6, 6, "_total") == 0;
        EXPECT_EQ(type == "counter", total) << family << " is a " << type;
        EXPECT_TRUE(type == "counter" || type == "gauge") << family;
        EXPECT_FALSE(p.help[family].empty()) << family;
    }
}

TEST(Metrics, BeforeAnyFrameAndForRun) {
    // Nothing published yet: zeros, an empty state; `run` (no `open`): no open line.
    Page p = parse(metrics_text(Snapshot{}));
    EXPECT_TRUE(p.problems.empty());
    EXPECT_EQ(p.samples["vitrine_frames_shown_total"], "0");
    EXPECT_EQ(p.samples["vitrine_audio_healthy"], "1");  // off by choice is healthy
    EXPECT_EQ(p.samples["vitrine_audio_status{status=\"off\"}"], "1");
    EXPECT_EQ(p.samples["vitrine_state{state=\"\"}"], "1");  // a show without states, too
    EXPECT_FALSE(p.type.count("vitrine_open"));
    EXPECT_FALSE(p.type.count("vitrine_resident_memory_bytes"));  // unknown until the page reads it
    Snapshot closed;
    closed.state = "closed";
    closed.open = false;
    p = parse(metrics_text(closed));
    EXPECT_EQ(p.samples["vitrine_state{state=\"closed\"}"], "1");
    EXPECT_EQ(p.samples["vitrine_open"], "0");
}

TEST(Metrics, LabelValuesAreEscaped) {
    EXPECT_EQ(escape_label("plain"), "plain");
    EXPECT_EQ(escape_label("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
    EXPECT_EQ(escape_label("é \t}"), "é \t}");  // nothing else changes
    Snapshot s;
    s.state = "say \"hi\"\\\nnow";
    std::string text = metrics_text(s);
    EXPECT_NE(text.find("vitrine_state{state=\"say \\\"hi\\\"\\\\\\nnow\"} 1\n"), std::string::npos) << text;
    // Still one line per sample: the newline never reaches the page raw.
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        EXPECT_TRUE(line[0] == '#' || line.rfind("vitrine_", 0) == 0) << line;
}

TEST(Metrics, OtherPathsAndMethods) {
    auto page = open_page();
    ASSERT_TRUE(page);
    for (const char* path : {"/", "/metrics/", "/metricsx", "/favicon.ico"}) EXPECT_EQ(request(page->port(), "GET", path).status, 404) << path;
    EXPECT_EQ(request(page->port(), "GET", "/metrics?name=x").status, 200);  // a query is not another page
    EXPECT_EQ(request(page->port(), "HEAD", "/metrics").status, 200);
    for (const char* method : {"POST", "PUT", "DELETE"}) {
        Reply r = request(page->port(), method, "/metrics");
        EXPECT_EQ(r.status, 405) << method;
        EXPECT_NE(r.head.find("Allow: GET, HEAD"), std::string::npos) << r.head;
    }
}

TEST(Metrics, LoopbackOnly) {
    auto page = open_page();
    ASSERT_TRUE(page);
    // Bound to 127.0.0.1 itself, not to every address: another loopback address is refused.
    int fd = connect_to("127.0.0.2", page->port());
    EXPECT_LT(fd, 0) << "the page answers on 127.0.0.2";
    if (fd >= 0) ::close(fd);
}

TEST(Metrics, APortTakenIsAnErrorNamingIt) {
    auto first = open_page();
    ASSERT_TRUE(first);
    uint16_t port = first->port();
    auto second = MetricsPage::open(port);
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().message,
              "metrics: cannot listen on 127.0.0.1:" + std::to_string(port) + ": the port is taken (another program listens there)");
    EXPECT_EQ(open_metrics(port), nullptr);  // the commands' way: one error line, no page, no exception
    // Closed, the port is free again (the nightly restart binds it anew).
    first.reset();
    auto again = open_page(port);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->port(), port);
    EXPECT_EQ(request(port, "GET", "/metrics").status, 200);
}

TEST(Metrics, PublishWhileServingIsSafe) {
    auto page = open_page();
    ASSERT_TRUE(page);
    // The frame loop publishes as fast as it can while the page is fetched over and over;
    // every page is one whole snapshot (its counts agree with each other and its state).
    std::atomic<bool> stop{false};
    std::atomic<uint64_t> published{0};
    std::thread loop([&] {
        for (uint64_t i = 1; !stop; ++i) {
            Snapshot s;
            s.counters.frames_shown = s.counters.touches = i;
            s.state = "state-" + std::to_string(i) + std::string(i % 7, 'x');  // strings of changing length
            page->publish(s);
            published = i;
        }
    });
    int pages = 0;
    for (; pages < 200; ++pages) {
        Reply r = request(page->port(), "GET", "/metrics");
        ASSERT_EQ(r.status, 200);
        Page p = parse(r.body);
        const std::string frames = p.samples["vitrine_frames_shown_total"];
        EXPECT_EQ(p.samples["vitrine_touches_total"], frames);
        if (frames != "0") {
            uint64_t i = std::stoull(frames);
            std::string state = "state-" + frames + std::string(i % 7, 'x');
            EXPECT_EQ(p.samples["vitrine_state{state=\"" + state + "\"}"], "1") << r.body;
        }
    }
    stop = true;
    loop.join();
    EXPECT_GT(published.load(), 0u);
}

TEST(Metrics, PublishIsCheap) {
    auto page = open_page();
    ASSERT_TRUE(page);
    Snapshot s = example();
    constexpr int kTimes = 100000;
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < kTimes; ++i) {
        s.counters.frames_shown = uint64_t(i);
        page->publish(s);
    }
    double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count() / kTimes;
    std::printf("publish: %.0f ns\n", ns);
    EXPECT_LT(ns, 20000);  // a frame's budget is 16 ms; generous for a loaded machine
}
