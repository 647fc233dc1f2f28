// `vitrine send HOST:PORT ADDRESS [ARGS...]`: one OSC message, e.g. to a running show.
#include <string>
#include <vector>

#include "app/args.h"
#include "app/commands.h"
#include "core/log.h"
#include "show/osc.h"

namespace vitrine::app {

int cmd_send(int argc, char** argv) {
    if (argc < 4) {
        log::error("usage: vitrine send HOST:PORT /ADDRESS [ARGS...]   e.g. vitrine send 127.0.0.1:9000 /vitrine/go");
        return kUsage;
    }
    std::vector<std::string> args(argv + 4, argv + argc);
    if (auto r = show::osc_send(argv[2], argv[3], args); !r) {
        log::error(r.error().message);
        return exit_code(r.error().kind);
    }
    return kOk;
}

}  // namespace vitrine::app
