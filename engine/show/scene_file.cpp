#include "show/scene_file.h"

#include "audio/reverb.h"

#include <algorithm>

namespace vitrine::show {

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

std::vector<std::string> SceneFile::audio_groups() const {
    std::vector<std::string> out;
    for (const auto& [name, gain] : audio.groups) out.push_back(name);
    for (const Node& n : nodes)
        if (n.sound) out.push_back(n.sound->group);
    if (!audio.duck_group.empty()) out.push_back(audio.duck_group);
    if (!audio.duck_under.empty()) out.push_back(audio.duck_under);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    if (!out.empty() && out.front().empty()) out.erase(out.begin());
    return out;
}

const std::vector<std::string>& reverb_presets() {
    // The audio engine's presets (audio/reverb.h), and "none".
    static const std::vector<std::string> presets = [] {
        std::vector<std::string> names = {"none"};
        for (const std::string& n : audio::reverb_preset_names()) names.push_back(n);
        return names;
    }();
    return presets;
}

int SceneFile::state_index(const std::string& name) const {
    for (size_t i = 0; i < states.size(); ++i)
        if (states[i].name == name) return int(i);
    return -1;
}

}  // namespace vitrine::show
