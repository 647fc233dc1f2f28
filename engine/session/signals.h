// The signals an installation answers (the kiosk and its soak): SIGTERM and SIGINT stop
// it (systemd's stop, Ctrl-C), SIGHUP reads its site file again (systemctl reload). The
// handlers only set flags; the frame loop reads them.
#pragma once

namespace vitrine::session {

void handle_kiosk_signals();
int stop_signal();     // the stopping signal that arrived, or 0
bool take_hangup();    // whether a SIGHUP arrived since the last call

}  // namespace vitrine::session
