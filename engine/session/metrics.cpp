#include "session/metrics.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>

#include "core/log.h"
#include "display/rig.h"
#include "gpu/live_objects.h"
#include "session/session.h"

namespace vitrine::session {

MetricCounters& MetricCounters::operator+=(const MetricCounters& o) {
    frames_shown += o.frames_shown, frames_dropped += o.frames_dropped;
    device_losses += o.device_losses;
    reloads_good += o.reloads_good, reloads_bad += o.reloads_bad;
    touches += o.touches;
    return *this;
}

void read_gpu_memory(Snapshot& s, display::Rig& rig) {
    gpu::Allocator& a = rig.ctx().allocator();
    s.gpu_used = a.bytes_used();
    s.gpu_held = a.bytes_in_blocks();
}

Snapshot snapshot_of(Session& session, double uptime) {
    Snapshot s;
    s.uptime = uptime;
    const Health& h = session.health();
    s.counters = {h.frames_shown, h.frames_dropped, h.device_losses, h.reloads_good, h.reloads_failed, h.touches};
    s.frame_p50 = h.frame_times.percentile(0.5);
    s.frame_p99 = h.frame_times.percentile(0.99);
    s.audio_status = session.audio_status();
    s.state = session.show().state();
    s.show_time = session.show().now();
    if (session.stage().rig) read_gpu_memory(s, *session.stage().rig);
    return s;
}

std::string escape_label(const std::string& value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

namespace {

// Shortest text that reads back as the same double ("0.016", "12", "1e-05").
std::string number(double v) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

// One metric family: its HELP and TYPE lines, then its samples.
struct Writer {
    std::string out;
    void family(const char* name, const char* type, const char* help) {
        out += "# HELP ";
        out += name;
        out += ' ';
        out += help;
        out += "\n# TYPE ";
        out += name;
        out += ' ';
        out += type;
        out += '\n';
    }
    void sample(const char* name, const std::string& value, const std::string& labels = "") {
        out += name;
        if (!labels.empty()) out += "{" + labels + "}";
        out += ' ';
        out += value;
        out += '\n';
    }
    void gauge(const char* name, const char* help, const std::string& value) {
        family(name, "gauge", help);
        sample(name, value);
    }
    void counter(const char* name, const char* help, uint64_t value) {
        family(name, "counter", help);
        sample(name, std::to_string(value));
    }
};

std::string label(const char* key, const std::string& value) { return std::string(key) + "=\"" + escape_label(value) + "\""; }

}  // namespace

std::string metrics_text(const Snapshot& s) {
    Writer w;
    const MetricCounters& c = s.counters;
    w.gauge("vitrine_uptime_seconds", "Seconds since the command started.", number(s.uptime));
    w.counter("vitrine_frames_shown_total", "Frames presented on the output.", c.frames_shown);
    w.counter("vitrine_frames_dropped_total", "Frames drawn but not presented (a lost device, a swapchain being remade).",
              c.frames_dropped);
    w.family("vitrine_frame_time_seconds", "gauge", "Seconds between presents over the last 1024 frames, by quantile.");
    w.sample("vitrine_frame_time_seconds", number(s.frame_p50), label("quantile", "0.5"));
    w.sample("vitrine_frame_time_seconds", number(s.frame_p99), label("quantile", "0.99"));
    w.counter("vitrine_device_losses_total", "Lost GPU devices (each one rebuilt).", c.device_losses);
    w.family("vitrine_reloads_total", "counter", "Hot reloads of the scene: good (now running) or bad (refused; the show went on).");
    w.sample("vitrine_reloads_total", std::to_string(c.reloads_good), label("result", "good"));
    w.sample("vitrine_reloads_total", std::to_string(c.reloads_bad), label("result", "bad"));
    // "off" (no sound asked for) is healthy: only a lost device or undecodable files are not.
    bool healthy = s.audio_status == "ok" || s.audio_status == "off";
    w.gauge("vitrine_audio_healthy", "1 while the sound is as asked for (ok, or off by choice); 0: silent or degraded.",
            healthy ? "1" : "0");
    w.family("vitrine_audio_status", "gauge", "The sound's status word (off, ok, silent, degraded), as a label.");
    w.sample("vitrine_audio_status", "1", label("status", s.audio_status));
    w.counter("vitrine_touches_total", "Touches and clicks, from any source.", c.touches);
    // Always one sample, so a query finds the family; "" for a show without states.
    w.family("vitrine_state", "gauge", "The show's state, as a label (closed: a kiosk's black hours; waiting: for a display).");
    w.sample("vitrine_state", "1", label("state", s.state));
    w.gauge("vitrine_show_time_seconds", "The show's clock.", number(s.show_time));
    w.gauge("vitrine_gpu_memory_used_bytes", "Device memory in use by buffers and images.", std::to_string(s.gpu_used));
    w.gauge("vitrine_gpu_memory_held_bytes", "Device memory held in blocks from the driver.", std::to_string(s.gpu_held));
    if (s.rss >= 0) w.gauge("vitrine_resident_memory_bytes", "The process's resident memory.", std::to_string(s.rss));
    if (s.open) w.gauge("vitrine_open", "1 while the site's schedule says open; 0 outside hours.", *s.open ? "1" : "0");
    return w.out;
}

namespace {

// libmicrohttpd calls this on its own thread for every request (once per request here:
// the answer is queued on the first call, so a body, if any, is never read).
MHD_Result answer(void* cls, MHD_Connection* connection, const char* url, const char* method, const char*, const char*,
                  size_t*, void**) {
    const auto* page = static_cast<const MetricsPage*>(cls);
    std::string_view m(method);
    unsigned status = MHD_HTTP_OK;
    std::string body;
    const char* type = "text/plain; charset=utf-8";
    if (std::string_view(url) != "/metrics") {
        status = MHD_HTTP_NOT_FOUND;
        body = "not found: the page is /metrics\n";
    } else if (m != MHD_HTTP_METHOD_GET && m != MHD_HTTP_METHOD_HEAD) {
        status = MHD_HTTP_METHOD_NOT_ALLOWED;
        body = "only GET\n";
    } else {
        body = page->text();
        type = "text/plain; version=0.0.4; charset=utf-8";
    }
    MHD_Response* response = MHD_create_response_from_buffer(body.size(), body.data(), MHD_RESPMEM_MUST_COPY);
    if (!response) return MHD_NO;
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED) MHD_add_response_header(response, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    MHD_Result queued = MHD_queue_response(connection, status, response);
    MHD_destroy_response(response);
    return queued;
}

}  // namespace

Result<std::unique_ptr<MetricsPage>> MetricsPage::open(uint16_t port) {
    const std::string where = "127.0.0.1:" + std::to_string(port);
    auto failed = [&](const std::string& why) { return fail(ErrorKind::Io, "metrics: cannot listen on " + where + ": " + why); };
    // Our own socket, so a port in use is told as such (libmicrohttpd only says it failed),
    // closed on exec (the nightly restart execs the kiosk again, which binds it anew).
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return failed(std::strerror(errno));
    int one = 1;  // a restart may bind while the last run's connections linger in TIME_WAIT
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(fd, 16) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        int e = errno;
        ::close(fd);
        return failed(e == EADDRINUSE ? "the port is taken (another program listens there)" : std::strerror(e));
    }
    std::unique_ptr<MetricsPage> page(new MetricsPage());
    page->port_ = ntohs(address.sin_port);
    // One polling thread; a few connections at a time, none held open longer than 10 s:
    // a stuck scraper can cost the kiosk nothing but its own page.
    page->daemon_ = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD, 0, nullptr, nullptr, &answer, page.get(),
                                     MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_CONNECTION_LIMIT, 16u,
                                     MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
    // (Not closed here on failure: libmicrohttpd may have closed it already, and a second
    // close could hit a descriptor another thread just opened; one leaked socket is harmless.)
    if (!page->daemon_) return failed("libmicrohttpd did not start");
    return page;
}

MetricsPage::~MetricsPage() {
    if (daemon_) MHD_stop_daemon(daemon_);  // joins its thread and closes the socket
}

void MetricsPage::publish(const Snapshot& s) {
    std::lock_guard lock(mutex_);
    last_ = s;
}

std::string MetricsPage::text() const {
    Snapshot s;
    {
        std::lock_guard lock(mutex_);
        s = last_;
    }
    if (int64_t kb = gpu::resident().rss_kb; kb >= 0) s.rss = kb * 1024;
    return metrics_text(s);
}

std::unique_ptr<MetricsPage> open_metrics(std::optional<uint16_t> port) {
    if (!port) return nullptr;
    auto page = MetricsPage::open(*port);
    if (!page) {
        log::error(page.error().message + "; going on without the metrics page");
        return nullptr;
    }
    log::info("metrics on http://127.0.0.1:" + std::to_string((*page)->port()) + "/metrics");
    return std::move(*page);
}

}  // namespace vitrine::session
