// One function per subcommand; each returns an Exit code.
#pragma once
#include <memory>
#include <string>

namespace vitrine::edit {
class Document;
}

namespace vitrine::app {

class Args;

int cmd_info(int argc, char** argv);
int cmd_render(int argc, char** argv);
int cmd_view(int argc, char** argv);
int cmd_bench(int argc, char** argv);
// Scenes (scenes/*.scene.yaml).
bool is_scene_file(const std::string& path);
int cmd_render_scene(int argc, char** argv);
// Displays (*.display.yaml): LED walls, lenticular panels, the visitor preview.
int cmd_render_display(int argc, char** argv);
int bench_display(int argc, char** argv);
int cmd_run(int argc, char** argv);
int cmd_kiosk(int argc, char** argv);  // an installation: SITE.site.yaml
int cmd_check(int argc, char** argv);
int cmd_edit(int argc, char** argv);
int cmd_edit_window(std::unique_ptr<edit::Document> doc, const Args& args);  // edit_window.cpp  // the curator's editor (engine/edit), headless with --script
int cmd_send(int argc, char** argv);
int bench_show(const std::string& scene);
int bench_session(int argc, char** argv);  // a Session's frame time against the bare loop, in a window
int bench_edit(int argc, char** argv);  // the editor's frame, panels and saves against their goals (bench_edit.cpp)
int cmd_info_scene(const std::string& path);
// Tile pyramids (engine/zoom): build, info, render a region, view, bench.
int cmd_pyramid(int argc, char** argv);  // vitrine pyramid build ...
int cmd_info_pyramid(const std::string& path);
int cmd_render_pyramid(int argc, char** argv);
int cmd_view_pyramid(int argc, char** argv);
int bench_pyramid(int argc, char** argv);
// Spatial audio (engine/audio): 64 looping sources through the loopback device.
int bench_audio(int argc, char** argv);

}  // namespace vitrine::app
