#include "scene/info.h"

#include <cstdio>
#include <sstream>

#include "scene/pose.h"

namespace vitrine::scene {

static std::string fmt(const char* f, double a, double b, double c) {
    char buf[128];
    std::snprintf(buf, sizeof buf, f, a, b, c);
    return buf;
}

std::string describe(const Model& m) {
    std::ostringstream o;
    size_t tris = 0, verts = 0, prims = 0;
    for (const Mesh& mesh : m.meshes)
        for (const Primitive& p : mesh.primitives) {
            tris += p.indices.size() / 3;
            verts += p.vertices.size();
            ++prims;
        }
    Pose pose = evaluate_pose(m, -1, 0);
    size_t drawn_tris = 0;
    for (const DrawItem& it : pose.items) drawn_tris += m.meshes[size_t(it.mesh)].primitives[size_t(it.primitive)].indices.size() / 3;
    o << "model:       " << m.source << "\n";
    o << "triangles:   " << tris << " in " << prims << " primitives (" << drawn_tris << " drawn by the scene)\n";
    o << "vertices:    " << verts << "\n";
    o << "nodes:       " << m.nodes.size() << " (" << m.roots.size() << " roots)\n";
    o << "meshes:      " << m.meshes.size() << "\n";
    o << "materials:   " << m.materials.size() << "\n";
    for (size_t i = 0; i < m.materials.size(); ++i) {
        const Material& mat = m.materials[i];
        o << "  [" << i << "] " << (mat.name.empty() ? "(unnamed)" : mat.name) << ": "
          << (mat.alpha_mode == AlphaMode::Blend ? "BLEND" : mat.alpha_mode == AlphaMode::Mask ? "MASK" : "OPAQUE")
          << (mat.double_sided ? ", double-sided" : "") << (mat.unlit ? ", unlit" : "") << "\n";
    }
    o << "textures:    " << m.textures.size() << "\n";
    o << "images:      " << m.images.size() << "\n";
    for (size_t i = 0; i < m.images.size(); ++i) {
        const ModelImage& img = m.images[i];
        o << "  [" << i << "] " << img.name << ": ";
        if (img.pixels.width) o << img.pixels.width << "x" << img.pixels.height;
        else o << "not decodable";
        o << (img.srgb ? " sRGB" : "") << (img.linear ? " linear" : "") << "\n";
    }
    o << "cameras:     " << m.cameras.size() << "\n";
    o << "lights:      " << m.lights.size() << "\n";
    o << "skins:       " << m.skins.size() << "\n";
    auto list = [](const std::vector<std::string>& v) {
        std::string s;
        for (auto& e : v) s += (s.empty() ? "" : ", ") + e;
        return s.empty() ? std::string("none") : s;
    };
    o << "extensions used:     " << list(m.extensions_used) << "\n";
    o << "extensions required: " << list(m.extensions_required) << "\n";
    o << "not supported:       " << list(m.unsupported_extensions) << "\n";
    if (pose.empty) {
        o << "bounds:      empty\n";
    } else {
        glm::vec3 size = pose.max - pose.min;
        o << "bounds min:  " << fmt("%.4f %.4f %.4f m", pose.min.x, pose.min.y, pose.min.z) << "\n";
        o << "bounds max:  " << fmt("%.4f %.4f %.4f m", pose.max.x, pose.max.y, pose.max.z) << "\n";
        o << "size:        " << fmt("%.4f x %.4f x %.4f m", size.x, size.y, size.z) << "\n";
    }
    o << "animations:  " << m.animations.size() << "\n";
    for (const Animation& a : m.animations)
        o << "  " << a.name << ": " << fmt("%.3f s", a.duration, 0, 0) << ", " << a.channels.size() << " channels\n";
    o << "problems:    " << m.warnings.size() << "\n";
    for (const std::string& w : m.warnings) o << "  warning: " << w << "\n";
    return o.str();
}

}  // namespace vitrine::scene
