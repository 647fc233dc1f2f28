// Property paths (see property.h) bound to what they change, and the "did you mean"
// helper every loader message uses.
#include "show/property.h"

#include <algorithm>

#include "yaml/wording.h"

namespace vitrine::show {

using yaml::wording::q;

namespace {


const std::vector<std::string> kNodeProperties = {"translation", "rotation", "scale",     "visible",
                                                  "fov",         "orbit",    "color",     "intensity",
                                                  "material",    "animation_time", "region",  "size",
                                                  "opacity",     "gain",     "pitch"};

Property make(PropertyKind kind, int node, int size) {
    Property p;
    p.kind = kind;
    p.node = node;
    p.size = size;
    return p;
}

// "node 'key' is not a camera: 'fov' needs one"
Error needs(const Node& n, const char* what, const std::string& property) {
    return fail("node " + q(n.name) + " is not " + what + ": " + q(property) + " needs one");
}

bool all_digits(const std::string& s) {
    return !s.empty() && s.size() <= 9 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// N.material.M.channel: M may itself hold dots (Blender names materials "Material.001").
Result<Property> bind_material(const SceneFile& scene, const Models& models, int node, const std::string& path,
                               const std::string& rest) {
    const Node& n = scene.nodes[size_t(node)];
    if (n.model.empty()) return needs(n, "a model instance", "material");
    size_t last = rest.rfind('.');
    if (rest == "material" || last == std::string("material").size())
        return fail(q(path) + " needs a material and base_color or emissive, e.g. " +
                    q(n.name + ".material.0.base_color"));
    std::string material = rest.substr(9, last - 9);
    std::string channel = rest.substr(last + 1);
    if (channel != "base_color" && channel != "emissive")
        return fail("unknown material property " + q(channel) + " in " + q(path) +
                    yaml::wording::did_you_mean(channel, {"base_color", "emissive"}));
    auto it = models.find(n.model);
    if (it == models.end() || !it->second)
        return fail("model " + q(n.model) + " of node " + q(n.name) + " is not loaded");
    int index = material_index(*it->second, material);
    if (index < 0)
        return fail("node " + q(n.name) + " has no material " + q(material) + " (model " + q(n.model) +
                    " has: " + material_names(*it->second) + ")");
    Property p = make(channel == "base_color" ? PropertyKind::BaseColor : PropertyKind::Emissive, node,
                      channel == "base_color" ? 4 : 3);
    p.material = index;
    return p;
}

}  // namespace

int material_index(const scene::Model& model, const std::string& material) {
    for (size_t i = 0; i < model.materials.size(); ++i)
        if (model.materials[i].name == material) return int(i);
    if (all_digits(material) && std::stoul(material) < model.materials.size()) return int(std::stoul(material));
    return -1;
}

std::string material_names(const scene::Model& model) {
    std::vector<std::string> names;
    for (size_t i = 0; i < model.materials.size(); ++i)
        names.push_back(model.materials[i].name.empty() ? std::to_string(i) : model.materials[i].name);
    return names.empty() ? "none" : yaml::wording::join(names);
}

namespace {

Result<Property> bind_scene_wide(const std::string& head, const std::string& rest) {
    if (head == "environment") {
        if (rest == "rotation") return make(PropertyKind::EnvRotation, -1, 1);
        if (rest == "intensity") return make(PropertyKind::EnvIntensity, -1, 1);
        return fail("unknown property " + q(rest) + " of environment" +
                    yaml::wording::did_you_mean(rest, {"rotation", "intensity"}));
    }
    if (rest == "exposure") return make(PropertyKind::Exposure, -1, 1);
    return fail("unknown property " + q(rest) + " of look" + yaml::wording::did_you_mean(rest, {"exposure"}));
}

}  // namespace


Result<Property> bind_property(const SceneFile& scene, const Models& models, const std::string& path) {
    size_t dot = path.find('.');
    if (path.empty()) return fail("empty property path");
    if (dot == std::string::npos || dot + 1 == path.size())
        return fail("property path " + q(path) + " needs a property after the node, e.g. " +
                    q(path.substr(0, dot) + ".rotation"));
    std::string head = path.substr(0, dot), rest = path.substr(dot + 1);
    if (head == "environment" || head == "look") return bind_scene_wide(head, rest);
    if (head == "audio") {
        std::vector<std::string> groups = scene.audio_groups();
        auto it = std::find(groups.begin(), groups.end(), rest);
        if (it == groups.end())
            return fail("unknown audio group " + q(rest) + " in " + q(path) + yaml::wording::did_you_mean(rest, groups) +
                        (groups.empty() ? " (the scene names no group)" : ""));
        Property p = make(PropertyKind::GroupGain, -1, 1);
        p.group = int(it - groups.begin());
        return p;
    }

    int node = head.empty() ? -1 : scene.node_index(head);
    if (node < 0) {
        std::vector<std::string> names;
        for (const Node& n : scene.nodes) names.push_back(n.name);
        return fail("unknown node " + q(head) + " in " + q(path) + yaml::wording::did_you_mean(head, names));
    }
    const Node& n = scene.nodes[size_t(node)];
    if (rest == "translation") return make(PropertyKind::Translation, node, 3);
    if (rest == "rotation") return make(PropertyKind::Rotation, node, 3);
    if (rest == "scale") return make(PropertyKind::Scale, node, 3);
    if (rest == "visible") return make(PropertyKind::Visible, node, 1);
    if (rest == "fov") {
        if (!n.camera) return needs(n, "a camera", rest);
        return make(PropertyKind::Fov, node, 1);
    }
    if (rest == "orbit") {
        if (!n.camera) return needs(n, "a camera", rest);
        if (!n.camera->orbit) return fail("camera " + q(n.name) + " has no orbit: 'orbit' needs one");
        return make(PropertyKind::Orbit, node, 6);
    }
    if (rest == "color" || rest == "intensity") {
        if (!n.light) return needs(n, "a light", rest);
        if (rest == "color") return make(PropertyKind::LightColor, node, 3);
        return make(PropertyKind::LightIntensity, node, 1);
    }
    if (rest == "animation_time") {
        if (n.model.empty()) return needs(n, "a model instance", rest);
        if (n.animation.empty()) return fail("node " + q(n.name) + " plays no animation: 'animation_time' needs one");
        return make(PropertyKind::AnimationTime, node, 1);
    }
    if (rest == "region" || rest == "size" || rest == "opacity") {
        if (!n.image) return needs(n, "an image", rest);
        if (rest == "region") return make(PropertyKind::Region, node, 4);
        if (rest == "size") return make(PropertyKind::ImageSize, node, 2);
        return make(PropertyKind::Opacity, node, 1);
    }
    if (rest == "gain" || rest == "pitch") {
        if (!n.sound) return needs(n, "a sound", rest);
        return make(rest == "gain" ? PropertyKind::SoundGain : PropertyKind::SoundPitch, node, 1);
    }
    if (rest == "material" || rest.rfind("material.", 0) == 0) return bind_material(scene, models, node, path, rest);
    return fail("unknown property " + q(rest) + " of node " + q(n.name) + yaml::wording::did_you_mean(rest, kNodeProperties));
}

}  // namespace vitrine::show
