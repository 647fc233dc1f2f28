#include "session/protect.h"

#include "core/outputs.h"

namespace vitrine::session {

namespace fs = std::filesystem;

void protect_scene(const show::LoadedScene& scene) {
    outputs::protect(scene.file.path);
    for (const fs::path& f : scene.files) outputs::protect(f);
    for (const show::Asset& a : scene.file.assets)
        if (!a.resolved.empty()) protect_pyramid(a.resolved.string());
}

void protect_model(const scene::Model& model) {
    for (const std::string& f : model.files) outputs::protect(f);
}

void protect_display(const room::DisplayFile& display) {
    outputs::protect(display.file);
    for (const room::Screen& s : display.screens)
        if (!s.planar) outputs::protect(s.mesh.file);
}

void protect_pyramid(const std::string& spec) {
    if (spec.rfind("procedural:", 0) == 0) return;
    fs::path p = spec;
    outputs::protect(p);  // a folder (IIIF, Zoomify) protects everything inside it
    if (p.extension() == ".dzi") {
        outputs::protect(p.parent_path() / (p.stem().string() + "_files"));
        outputs::protect(p.parent_path() / (p.stem().string() + ".vitrine.json"));
    }
}

}  // namespace vitrine::session
