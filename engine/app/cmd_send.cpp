// `vitrine send [--wait MS] HOST:PORT /ADDRESS [ARGS...]`: one OSC message, e.g. to a
// running show, and the reply it gets (for /vitrine/status) as one line on stdout.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/args.h"
#include "app/commands.h"
#include "app/usage.h"
#include "core/log.h"
#include "show/osc.h"

namespace vitrine::app {

namespace {

// Addresses a show answers; `send` waits for their reply unless --wait says otherwise.
bool replies(const std::string& address) { return address == "/vitrine/status"; }

// One argument of the printed line: as it is, or in double quotes (with \" and \\) when
// it is empty or holds a space, a quote, a backslash or a control character.
std::string quoted(const std::string& arg) {
    bool plain = !arg.empty();
    for (unsigned char c : arg) plain = plain && c > ' ' && c != '"' && c != '\\' && c != 0x7f;
    if (plain) return arg;
    std::string out = "\"";
    for (char c : arg) {
        if (c == '"' || c == '\\') out += '\\';
        out += c == '\n' ? ' ' : c;  // one line, whatever the reply holds
    }
    return out + "\"";
}

}  // namespace

int cmd_send(int argc, char** argv) {
    // Options come before /ADDRESS: everything after it is sent as it is.
    std::string target, address;
    int wait_ms = -1;  // -1: by the address
    int i = 2;
    for (; i < argc && address.empty(); ++i) {
        const std::string a = argv[i];
        if (a == "--wait") {
            if (i + 1 >= argc) {
                usage_error("send", "option --wait needs a value");
                return kUsage;
            }
            const std::string v = argv[++i];
            char* end = nullptr;
            long ms = std::strtol(v.c_str(), &end, 10);
            if (v.empty() || !end || *end || ms < 0 || ms > 600000) {
                log::error("--wait expects milliseconds, 0 to 600000, got '" + v + "'");
                return kBadInput;
            }
            wait_ms = int(ms);
        } else if (a.rfind("--", 0) == 0 && a.size() > 2) {
            usage_error("send", "unknown option " + a);
            return kUsage;
        } else if (target.empty()) {
            target = a;
        } else {
            address = a;
        }
    }
    if (address.empty()) {
        usage_error("send");
        return kUsage;
    }
    if (wait_ms < 0) wait_ms = replies(address) ? 1000 : 0;
    std::vector<std::string> args(argv + i, argv + argc);
    auto r = show::osc_request(target, address, args, wait_ms);
    if (!r) {
        log::error(r.error().message);
        return exit_code(r.error().kind);
    }
    if (wait_ms == 0) return kOk;
    if (!r->has_value()) {
        log::error("osc: no reply from " + target + " to " + address + " within " + std::to_string(wait_ms) +
                   " ms (is the show running, with OSC on that port?)");
        return kBadInput;
    }
    const show::OscMessage& reply = **r;
    std::string line = reply.address;
    for (const std::string& arg : reply.args) line += " " + quoted(arg);
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
    return kOk;
}

}  // namespace vitrine::app
