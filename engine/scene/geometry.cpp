#include "scene/geometry.h"

#include <algorithm>
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

// Appends a copy of vertex `v` (with its skin and morph data); returns the new index.
static uint32_t duplicate_vertex(Primitive& prim, uint32_t v) {
    prim.vertices.push_back(prim.vertices[v]);
    if (!prim.joints.empty()) { prim.joints.push_back(prim.joints[v]); prim.weights.push_back(prim.weights[v]); }
    for (MorphTarget& t : prim.targets) {
        if (!t.position.empty()) t.position.push_back(t.position[v]);
        if (!t.normal.empty()) t.normal.push_back(t.normal[v]);
        if (!t.tangent.empty()) t.tangent.push_back(t.tangent[v]);
    }
    return uint32_t(prim.vertices.size() - 1);
}

void generate_tangents(Primitive& prim, int uv_set) {
    // As MikkTSpace does: a tangent per triangle corner, projected into the plane of the
    // vertex normal and weighted by the corner's angle, averaged over the corners that
    // share a vertex *and* a handedness. A vertex whose corners disagree on handedness
    // (a mirrored UV seam) is split so each side keeps its own frame.
    size_t corners = prim.indices.size() / 3 * 3;
    std::vector<glm::vec3> corner_t(corners, glm::vec3(0));
    std::vector<float> corner_sign(corners, 1.0f);
    std::vector<bool> corner_valid(corners, false);
    for (size_t t = 0; t < corners; t += 3) {
        uint32_t i[3] = {prim.indices[t], prim.indices[t + 1], prim.indices[t + 2]};
        const Vertex* v[3] = {&prim.vertices[i[0]], &prim.vertices[i[1]], &prim.vertices[i[2]]};
        auto uv = [&](int k) { return uv_set ? v[k]->uv1 : v[k]->uv0; };
        glm::vec3 e1 = v[1]->position - v[0]->position, e2 = v[2]->position - v[0]->position;
        glm::vec2 d1 = uv(1) - uv(0), d2 = uv(2) - uv(0);
        float det = d1.x * d2.y - d2.x * d1.y;
        if (std::fabs(det) < 1e-20f) continue;
        glm::vec3 sdir = (e1 * d2.y - e2 * d1.y) / det;  // dP/du
        glm::vec3 tdir = (e2 * d1.x - e1 * d2.x) / det;  // dP/dv
        if (!std::isfinite(sdir.x + sdir.y + sdir.z + tdir.x + tdir.y + tdir.z)) continue;
        for (int k = 0; k < 3; ++k) {
            glm::vec3 n = v[k]->normal;
            glm::vec3 tp = sdir - n * glm::dot(n, sdir);
            float len = glm::length(tp);
            if (!(len > 1e-20f)) continue;
            glm::vec3 a = v[(k + 1) % 3]->position - v[k]->position, b = v[(k + 2) % 3]->position - v[k]->position;
            float la = glm::length(a), lb = glm::length(b);
            float angle = (la > 0 && lb > 0) ? std::acos(std::clamp(glm::dot(a, b) / (la * lb), -1.0f, 1.0f)) : 0.0f;
            corner_t[t + size_t(k)] = tp / len * angle;
            // glTF: V runs down the image while the normal map's green axis points up, so
            // cross(N, T) * w must follow -dP/dv.
            corner_sign[t + size_t(k)] = glm::dot(glm::cross(n, tp), tdir) > 0.0f ? -1.0f : 1.0f;
            corner_valid[t + size_t(k)] = true;
        }
    }
    // Split vertices whose valid corners disagree on handedness: the -1 corners move to a copy.
    size_t original = prim.vertices.size();
    std::vector<int> has(original, 0);  // bit 0: a +1 corner, bit 1: a -1 corner
    for (size_t c = 0; c < corners; ++c)
        if (corner_valid[c]) has[prim.indices[c]] |= corner_sign[c] > 0 ? 1 : 2;
    std::vector<uint32_t> mirror(original, UINT32_MAX);
    for (size_t c = 0; c < corners; ++c) {
        uint32_t v = prim.indices[c];
        if (v >= original || has[v] != 3 || !corner_valid[c] || corner_sign[c] > 0) continue;
        if (mirror[v] == UINT32_MAX) mirror[v] = duplicate_vertex(prim, v);
        prim.indices[c] = mirror[v];
    }
    size_t n = prim.vertices.size();
    std::vector<glm::vec3> sum(n, glm::vec3(0));
    std::vector<float> sign(n, 1.0f);
    for (size_t c = 0; c < corners; ++c) {
        if (!corner_valid[c]) continue;
        sum[prim.indices[c]] += corner_t[c];
        sign[prim.indices[c]] = corner_sign[c];
    }
    for (size_t i = 0; i < n; ++i) {
        glm::vec3 nrm = prim.vertices[i].normal;
        glm::vec3 t = sum[i] - nrm * glm::dot(nrm, sum[i]);
        float len = glm::length(t);
        if (len < 1e-12f || !std::isfinite(len)) {
            // No UV gradient: any vector perpendicular to the normal.
            glm::vec3 axis = std::fabs(nrm.x) < 0.9f ? glm::vec3(1, 0, 0) : glm::vec3(0, 1, 0);
            t = glm::normalize(glm::cross(axis, nrm));
        } else {
            t /= len;
        }
        prim.vertices[i].tangent = glm::vec4(t, sign[i]);
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
