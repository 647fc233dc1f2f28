#include "session/signals.h"

#include <atomic>
#include <csignal>

namespace vitrine::session {

namespace {

std::atomic<int> g_stop{0};
std::atomic<bool> g_hangup{false};
void on_stop(int signal) { g_stop = signal; }
void on_hangup(int) { g_hangup = true; }

}  // namespace

void handle_kiosk_signals() {
    struct sigaction stop = {};
    stop.sa_handler = on_stop;
    sigemptyset(&stop.sa_mask);
    sigaction(SIGTERM, &stop, nullptr);
    stop.sa_flags = SA_RESETHAND;  // a second Ctrl-C ends it at once
    sigaction(SIGINT, &stop, nullptr);
    struct sigaction hup = {};
    hup.sa_handler = on_hangup;
    sigemptyset(&hup.sa_mask);
    sigaction(SIGHUP, &hup, nullptr);
}

int stop_signal() { return g_stop.load(); }
bool take_hangup() { return g_hangup.exchange(false); }

}  // namespace vitrine::session
