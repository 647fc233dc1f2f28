// The metrics page: what a live session has done, in Prometheus' text exposition format,
// on http://127.0.0.1:PORT/metrics (`vitrine kiosk` with the site's `metrics: {port: P}`
// or --metrics-port, `vitrine run --metrics-port`). libmicrohttpd serves it from its own
// thread; the frame loop only hands over a Snapshot after each frame (a copy under a
// mutex), and the text is written when someone asks. Loopback only: the page is for a
// scraper on the same machine (or a tunnel to it), never for the gallery's network.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/result.h"

struct MHD_Daemon;

namespace vitrine::display {
class Rig;
}

namespace vitrine::session {

class Session;

// Counts that only grow. A kiosk adds those of the sessions it closed (a schedule change,
// SIGHUP) to the running one's, so a scraper never sees them go back.
struct MetricCounters {
    uint64_t frames_shown = 0, frames_dropped = 0;
    uint64_t device_losses = 0;
    uint64_t reloads_good = 0, reloads_bad = 0;
    uint64_t touches = 0;
    MetricCounters& operator+=(const MetricCounters& o);
};

// One frame's view of the session: plain data, copied to the page after each frame.
struct Snapshot {
    double uptime = 0;                    // seconds since the command started
    MetricCounters counters;
    double frame_p50 = 0, frame_p99 = 0;  // seconds between presents, over the last 1024 frames
    std::string audio_status = "off";     // Session::audio_status(): off, ok, silent, degraded
    std::string state;                    // the show's state ("closed": a kiosk's black hours); "": none
    double show_time = 0;                 // seconds
    uint64_t gpu_used = 0, gpu_held = 0;  // device memory in use and held in blocks, bytes
    int64_t rss = -1;                     // resident memory, bytes; -1: unknown (the page reads it itself)
    std::optional<bool> open;             // a kiosk: whether the schedule says open; none: `run`
};

// Everything the session knows (its counters since it opened, frame times, sound, state,
// show time, its rig's device memory). `uptime` is the caller's.
Snapshot snapshot_of(Session& session, double uptime);
// A rig's device memory (Allocator: used, held in blocks), into `s`.
void read_gpu_memory(Snapshot& s, display::Rig& rig);

// The page's text for `s` (HELP and TYPE lines, counters ending in _total, label values
// escaped). No open line without `open`; no RSS line while it is unknown.
std::string metrics_text(const Snapshot& s);
// A label value as the text format writes it: backslash, double quote and newline escaped.
std::string escape_label(const std::string& value);

class MetricsPage {
public:
    // Listens on 127.0.0.1:port (0: any free port; port() says which). A port in use or
    // not ours to bind is an error naming it.
    static Result<std::unique_ptr<MetricsPage>> open(uint16_t port);
    ~MetricsPage();
    MetricsPage(const MetricsPage&) = delete;
    MetricsPage& operator=(const MetricsPage&) = delete;

    uint16_t port() const { return port_; }
    // The frame loop, after each frame: a copy under the mutex, nothing more.
    void publish(const Snapshot& s);
    // The page now (the server thread calls it; tests may too). RSS is read here, on
    // request, so frames never pay for a read of /proc.
    std::string text() const;

private:
    MetricsPage() = default;

    MHD_Daemon* daemon_ = nullptr;
    uint16_t port_ = 0;
    mutable std::mutex mutex_;
    Snapshot last_;
};

// The commands' one way to open the page: logs "metrics on http://127.0.0.1:P/metrics",
// or one error line and null (a metrics page never takes the show down). No port: null.
std::unique_ptr<MetricsPage> open_metrics(std::optional<uint16_t> port);

}  // namespace vitrine::session
