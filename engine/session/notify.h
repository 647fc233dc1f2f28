// systemd's notify protocol (sd_notify(3)), for `vitrine kiosk` under a Type=notify unit
// with WatchdogSec=: one datagram per message to the socket in $NOTIFY_SOCKET (a path,
// or an abstract name written with a leading '@'). Without $NOTIFY_SOCKET (not under
// systemd) every call does nothing. Our own few lines instead of libsystemd: the
// protocol is a stable, documented datagram of "KEY=VALUE" lines.
#pragma once
#include <string>

namespace vitrine::session {

class Notifier {
public:
    Notifier();  // reads $NOTIFY_SOCKET and $WATCHDOG_USEC
    ~Notifier();
    Notifier(const Notifier&) = delete;
    Notifier& operator=(const Notifier&) = delete;

    bool active() const { return fd_ >= 0; }
    // The watchdog interval systemd asked for (WatchdogSec), seconds; 0: none.
    double watchdog_seconds() const { return watchdog_; }
    void ready();                          // READY=1 (after the first frame is presented)
    // WATCHDOG=1, sent at most every watchdog/4 s: call it from the frame loop only when a
    // frame completed, so a loop that is stuck stops the pings and systemd restarts it.
    void alive(double now_seconds);
    void status(const std::string& line);  // STATUS=... (systemctl status shows it)
    void stopping();                       // STOPPING=1

private:
    void send(const std::string& message);
    int fd_ = -1;
    std::string address_;
    double watchdog_ = 0, last_ping_ = -1e300;
};

}  // namespace vitrine::session
