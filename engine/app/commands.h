// One function per subcommand; each returns an Exit code.
#pragma once

namespace vitrine::app {

int cmd_info(int argc, char** argv);
int cmd_render(int argc, char** argv);
int cmd_view(int argc, char** argv);
int cmd_bench(int argc, char** argv);

}  // namespace vitrine::app
