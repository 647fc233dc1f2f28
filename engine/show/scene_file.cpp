#include "show/scene_file.h"

namespace vitrine::show {

std::string Loc::str() const {
    // An unknown position still names the file, so a message always says which scene.
    if (line <= 0) return file;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string Problem::str() const { return loc.str() + ": " + message; }

int SceneFile::node_index(const std::string& name) const {
    for (size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].name == name) return int(i);
    return -1;
}

const Asset* SceneFile::asset(const std::string& name) const {
    for (const Asset& a : assets)
        if (a.name == name) return &a;
    return nullptr;
}

const Timeline* SceneFile::timeline(const std::string& name) const {
    for (const Timeline& t : timelines)
        if (t.name == name) return &t;
    return nullptr;
}

int SceneFile::state_index(const std::string& name) const {
    for (size_t i = 0; i < states.size(); ++i)
        if (states[i].name == name) return int(i);
    return -1;
}

}  // namespace vitrine::show
