// `vitrine info PYRAMID`: what a tile pyramid is (reads only its header).
#include <cstdio>

#include "app/args.h"
#include "app/commands.h"
#include "core/log.h"
#include "zoom/describe.h"
#include "zoom/pyramid.h"

namespace vitrine::app {

int cmd_info_pyramid(const std::string& path) {
    auto pyramid = zoom::open_pyramid(path);
    if (!pyramid) {
        log::error(pyramid.error().message);
        return exit_code(pyramid.error().kind);
    }
    std::fputs(zoom::describe(pyramid.value()->info()).c_str(), stdout);
    return kOk;
}

}  // namespace vitrine::app
