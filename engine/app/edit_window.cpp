#include "app/args.h"
#include "app/commands.h"
#include "core/log.h"
#include "edit/document.h"
namespace vitrine::app {
int cmd_edit_window(edit::Document&, const Args&) {
    log::error("edit: the window is not built yet; use --script");
    return kBadInput;
}
}  // namespace vitrine::app
