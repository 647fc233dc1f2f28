#include <cstdio>

#include "app/args.h"
#include "app/commands.h"
#include "app/usage.h"
#include "core/log.h"
#include "scene/gltf_import.h"
#include "scene/info.h"

namespace vitrine::app {

int cmd_info(int argc, char** argv) {
    auto args = Args::parse(argc, argv, 2, {}, {});
    if (!args || args->words().size() != 1) {
        usage_error("info", args ? "" : args.error().message);
        return kUsage;
    }
    scene::ImportOptions opt;
    opt.decode_images = false;  // sizes come from the image headers
    auto model = scene::import_gltf(args->words()[0], opt);
    if (!model) {
        log::error(model.error().message);
        return kBadInput;
    }
    std::fputs(scene::describe(model.value()).c_str(), stdout);
    return kOk;
}

}  // namespace vitrine::app
