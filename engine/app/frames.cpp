#include "app/frames.h"
#include "core/outputs.h"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <csignal>
#include <cstdio>

#include "core/paths.h"

namespace vitrine::app {

// "%05d"-style frame numbers in --out: one integer conversion, "%%" for a percent sign.
Result<std::string> frame_path(const std::string& pattern, long index, bool* numbered) {
    std::string out;
    int conversions = 0;
    for (size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] != '%') {
            out += pattern[i];
            continue;
        }
        if (i + 1 < pattern.size() && pattern[i + 1] == '%') {
            out += '%';
            ++i;
            continue;
        }
        size_t j = i + 1;
        bool zero = j < pattern.size() && pattern[j] == '0';
        if (zero) ++j;
        int width = 0;
        while (j < pattern.size() && isdigit(static_cast<unsigned char>(pattern[j])) && width < 100)
            width = width * 10 + (pattern[j++] - '0');
        if (j >= pattern.size() || pattern[j] != 'd' || width > 20)
            return fail("--out '" + pattern + "': only a frame number like %05d may follow '%' (use %% for a percent sign)");
        char buf[32];
        std::snprintf(buf, sizeof buf, zero ? "%0*ld" : "%*ld", width, index);
        out += buf;
        ++conversions;
        i = j;
    }
    if (conversions > 1) return fail("--out '" + pattern + "' has more than one frame number");
    *numbered = conversions == 1;
    return out;
}

namespace {
std::atomic<int> g_stop_signal{0};
void on_stop_signal(int signal) { g_stop_signal = signal; }
}  // namespace

void stop_on_signals() {
    struct sigaction action = {};
    action.sa_handler = on_stop_signal;
    action.sa_flags = SA_RESETHAND;  // a second Ctrl-C kills at once
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

int stop_requested() { return g_stop_signal.load(); }

Error stopped(long frames_done) {
    int s = stop_requested();
    std::string name = s == SIGTERM ? "SIGTERM" : s == SIGINT ? "SIGINT" : "a signal";
    return fail(ErrorKind::Interrupted, "stopped by " + name + " after " + std::to_string(frames_done) + " frame" +
                                            (frames_done == 1 ? "" : "s") + " (every finished frame is kept)");
}

Result<void> check_outputs(const std::string& pattern, long count, outputs::Kind kind) {
    if (pattern.empty()) return fail("--out: an empty path; give it a file name");
    for (long i = 0; i < count; ++i) {
        bool numbered = false;
        auto path = frame_path(pattern, i, &numbered);
        if (!path) return path.error();
        if (auto ok = outputs::check(*path, kind); !ok) return ok;
        if (!numbered) break;
    }
    return {};
}

void progress(long done, long total, std::chrono::steady_clock::time_point start) {
    if (total < 2) return;
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double eta = done > 0 ? elapsed / double(done) * double(total - done) : 0;
    if (!isatty(STDERR_FILENO)) {  // a log: a line every 30 s
        static double last = 0;
        if (elapsed - last < 30 || done == total) return;
        last = elapsed;
        std::fprintf(stderr, "vitrine: %ld/%ld frames, about %.0f s left\n", done, total, eta);
        return;
    }
    int bar = int(30 * done / total);
    std::fprintf(stderr, "\r[%.*s%*s] %ld/%ld frames, %.0f s left   ", bar, "##############################",
                 30 - bar, "", done, total, eta);
    if (done == total) std::fputc('\n', stderr);
    std::fflush(stderr);
}

Result<std::vector<show::Input>> read_inputs(const std::string& path) {
    auto bytes = read_file(path, 16u << 20);
    if (!bytes) return bytes.error();
    outputs::protect(path);
    std::vector<show::Problem> problems;
    auto inputs = show::parse_inputs(path, std::string(bytes->begin(), bytes->end()), problems);
    if (!problems.empty()) {
        for (size_t i = 0; i + 1 < problems.size(); ++i) std::fprintf(stderr, "%s\n", problems[i].str().c_str());
        return fail(problems.back().str());
    }
    return inputs;
}


}  // namespace vitrine::app
