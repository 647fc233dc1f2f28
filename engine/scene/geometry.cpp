#include "scene/geometry.h"

#include <cmath>

namespace vitrine::scene {

std::vector<uint32_t> strip_to_list(const std::vector<uint32_t>& s) {
    std::vector<uint32_t> out;
    for (size_t i = 2; i < s.size(); ++i) {
        // Keep winding consistent: every odd triangle swaps its first two vertices.
        if (i % 2 == 0) out.insert(out.end(), {s[i - 2], s[i - 1], s[i]});
        else out.insert(out.end(), {s[i - 1], s[i - 2], s[i]});
    }
    return out;
}

std::vector<uint32_t> fan_to_list(const std::vector<uint32_t>& f) {
    std::vector<uint32_t> out;
    for (size_t i = 2; i < f.size(); ++i) out.insert(out.end(), {f[i - 1], f[i], f[0]});
    return out;
}

void make_flat_normals(Primitive& prim) {
    std::vector<Vertex> verts;
    verts.reserve(prim.indices.size());
    std::vector<glm::u16vec4> joints;
    std::vector<glm::vec4> weights;
    std::vector<MorphTarget> targets(prim.targets.size());
    for (size_t t = 0; t < prim.indices.size(); t += 3) {
        glm::vec3 a = prim.vertices[prim.indices[t]].position, b = prim.vertices[prim.indices[t + 1]].position,
                  c = prim.vertices[prim.indices[t + 2]].position;
        glm::vec3 n = glm::cross(b - a, c - a);
        float len = glm::length(n);
        n = len > 0 ? n / len : glm::vec3(0, 0, 1);
        for (int k = 0; k < 3; ++k) {
            uint32_t src = prim.indices[t + size_t(k)];
            Vertex v = prim.vertices[src];
            v.normal = n;
            verts.push_back(v);
            if (!prim.joints.empty()) { joints.push_back(prim.joints[src]); weights.push_back(prim.weights[src]); }
            for (size_t m = 0; m < targets.size(); ++m) {
                if (!prim.targets[m].position.empty()) targets[m].position.push_back(prim.targets[m].position[src]);
                if (!prim.targets[m].tangent.empty()) targets[m].tangent.push_back(prim.targets[m].tangent[src]);
            }
        }
    }
    prim.vertices = std::move(verts);
    prim.joints = std::move(joints);
    prim.weights = std::move(weights);
    prim.targets = std::move(targets);
    for (uint32_t i = 0; i < prim.indices.size(); ++i) prim.indices[i] = i;
}

void generate_tangents(Primitive& prim, int uv_set) {
    size_t n = prim.vertices.size();
    std::vector<glm::vec3> tan(n, glm::vec3(0)), bit(n, glm::vec3(0));
    for (size_t t = 0; t + 2 < prim.indices.size(); t += 3) {
        uint32_t i0 = prim.indices[t], i1 = prim.indices[t + 1], i2 = prim.indices[t + 2];
        const Vertex &v0 = prim.vertices[i0], &v1 = prim.vertices[i1], &v2 = prim.vertices[i2];
        glm::vec2 w0 = uv_set ? v0.uv1 : v0.uv0, w1 = uv_set ? v1.uv1 : v1.uv0, w2 = uv_set ? v2.uv1 : v2.uv0;
        glm::vec3 e1 = v1.position - v0.position, e2 = v2.position - v0.position;
        glm::vec2 d1 = w1 - w0, d2 = w2 - w0;
        float det = d1.x * d2.y - d2.x * d1.y;
        if (std::fabs(det) < 1e-20f) continue;
        float r = 1.0f / det;
        glm::vec3 sdir = (e1 * d2.y - e2 * d1.y) * r;
        glm::vec3 tdir = (e2 * d1.x - e1 * d2.x) * r;
        // Weight by the triangle's angle-independent area in position space.
        float area = glm::length(glm::cross(e1, e2));
        if (!std::isfinite(area) || area <= 0) continue;
        sdir = glm::normalize(sdir) * area;
        tdir = glm::normalize(tdir) * area;
        if (!std::isfinite(sdir.x + sdir.y + sdir.z + tdir.x + tdir.y + tdir.z)) continue;
        for (uint32_t i : {i0, i1, i2}) { tan[i] += sdir; bit[i] += tdir; }
    }
    for (size_t i = 0; i < n; ++i) {
        glm::vec3 nrm = prim.vertices[i].normal;
        glm::vec3 t = tan[i] - nrm * glm::dot(nrm, tan[i]);
        float len = glm::length(t);
        if (len < 1e-12f || !std::isfinite(len)) {
            // No UV gradient: any vector perpendicular to the normal.
            glm::vec3 axis = std::fabs(nrm.x) < 0.9f ? glm::vec3(1, 0, 0) : glm::vec3(0, 1, 0);
            t = glm::normalize(glm::cross(axis, nrm));
        } else {
            t /= len;
        }
        // glTF texture space has V pointing down the image while the normal map's green
        // axis points up, so the bitangent cross(N, T) * w must follow -dP/dv.
        float w = glm::dot(glm::cross(nrm, t), bit[i]) > 0.0f ? -1.0f : 1.0f;
        prim.vertices[i].tangent = glm::vec4(t, w);
    }
}

void compute_bounds(Primitive& prim) {
    if (prim.vertices.empty()) return;
    prim.min = prim.max = prim.vertices[0].position;
    for (const Vertex& v : prim.vertices) {
        prim.min = glm::min(prim.min, v.position);
        prim.max = glm::max(prim.max, v.position);
    }
}

}  // namespace vitrine::scene
