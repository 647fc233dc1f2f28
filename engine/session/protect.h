// The files a run reads are protected from what it writes (core/outputs.h): every loader
// of the app registers what it read here, before the first output is written.
#pragma once
#include <filesystem>
#include <string>

#include "room/display_file.h"
#include "scene/model.h"
#include "show/loader.h"

namespace vitrine::session {

void protect_scene(const show::LoadedScene& scene);    // the scene, its hooks and every asset
void protect_model(const scene::Model& model);         // the .gltf/.glb, buffers, images
void protect_display(const room::DisplayFile& display);  // the display file and its screen meshes
// A pyramid's files: a .dzi with its NAME_files folder, a zip, a TIFF, a IIIF or Zoomify
// folder (nothing inside may be written); procedural specs read nothing.
void protect_pyramid(const std::string& spec);

}  // namespace vitrine::session
