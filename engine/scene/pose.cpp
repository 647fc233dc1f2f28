#include "scene/pose.h"

#include <algorithm>
#include <cmath>

#include <glm/gtc/matrix_transform.hpp>
#include <glm/gtc/quaternion.hpp>

namespace vitrine::scene {

glm::mat4 Node::local() const {
    if (has_matrix) return matrix;
    return glm::translate(glm::mat4(1), translation) * glm::mat4_cast(rotation) * glm::scale(glm::mat4(1), scale);
}

glm::mat3 TextureTransform::matrix() const {
    float c = std::cos(rotation), s = std::sin(rotation);
    // Column-major: translation * rotation * scale, as KHR_texture_transform specifies.
    glm::mat3 t(1, 0, 0, 0, 1, 0, offset.x, offset.y, 1);
    glm::mat3 r(c, -s, 0, s, c, 0, 0, 0, 1);
    glm::mat3 sc(scale.x, 0, 0, 0, scale.y, 0, 0, 0, 1);
    return t * r * sc;
}

// Writes `comps` floats to `out`; zeros when the sampler is malformed.
static void sample_into(const AnimSampler& smp, size_t comps, float t, float* out) {
    std::fill(out, out + comps, 0.0f);
    const auto& in = smp.input;
    size_t keys = in.size();
    bool cubic = smp.interpolation == Interpolation::CubicSpline;
    auto value = [&](size_t key, size_t c) {  // cubic: [in-tangent, value, out-tangent]
        return cubic ? smp.output[(key * 3 + 1) * comps + c] : smp.output[key * comps + c];
    };
    if (keys == 0 || smp.output.size() < keys * comps * (cubic ? 3 : 1)) return;
    if (t <= in.front() || keys == 1) {
        for (size_t c = 0; c < comps; ++c) out[c] = value(0, c);
        return;
    }
    if (t >= in.back()) {
        for (size_t c = 0; c < comps; ++c) out[c] = value(keys - 1, c);
        return;
    }
    size_t k = size_t(std::upper_bound(in.begin(), in.end(), t) - in.begin()) - 1;
    float t0 = in[k], t1 = in[k + 1], dt = t1 - t0;
    float u = (t - t0) / dt;
    for (size_t c = 0; c < comps; ++c) {
        switch (smp.interpolation) {
            case Interpolation::Step: out[c] = value(k, c); break;
            case Interpolation::Linear: out[c] = value(k, c) * (1 - u) + value(k + 1, c) * u; break;
            case Interpolation::CubicSpline: {
                float p0 = value(k, c), p1 = value(k + 1, c);
                float m0 = dt * smp.output[(k * 3 + 2) * comps + c];      // out-tangent of k
                float m1 = dt * smp.output[((k + 1) * 3 + 0) * comps + c];  // in-tangent of k+1
                float u2 = u * u, u3 = u2 * u;
                out[c] = (2 * u3 - 3 * u2 + 1) * p0 + (u3 - 2 * u2 + u) * m0 + (-2 * u3 + 3 * u2) * p1 + (u3 - u2) * m1;
                break;
            }
        }
    }
}

std::vector<float> sample(const AnimSampler& smp, size_t comps, float t) {
    std::vector<float> out(comps, 0.0f);
    sample_into(smp, comps, t, out.data());
    return out;
}

namespace {

// The part of a node an animation can change, so that a frame need not copy
// every Node (names, child lists) to animate it.
struct NodeState {
    glm::vec3 translation{0};
    glm::quat rotation{1, 0, 0, 0};
    glm::vec3 scale{1};
    bool has_matrix = false;
    std::vector<float> weights;  // animated morph weights; empty: not animated
};

}  // namespace

// Fills `state` (one per node) from the model's nodes and applies `anim` at time t.
static void apply_animation(const Model& model, const Animation& anim, float t, std::vector<NodeState>& state) {
    state.resize(model.nodes.size());
    for (size_t i = 0; i < model.nodes.size(); ++i) {
        const Node& n = model.nodes[i];
        state[i].translation = n.translation;
        state[i].rotation = n.rotation;
        state[i].scale = n.scale;
        state[i].has_matrix = n.has_matrix;
        state[i].weights.clear();  // keeps its capacity for the next frame
    }
    for (const AnimChannel& ch : anim.channels) {
        const AnimSampler& smp = anim.samplers[size_t(ch.sampler)];
        const Node& node = model.nodes[size_t(ch.node)];
        NodeState& st = state[size_t(ch.node)];
        if (ch.path == AnimPath::Weights) {
            size_t count = node.mesh >= 0 ? model.meshes[size_t(node.mesh)].weights.size() : 0;
            if (count == 0 && node.mesh >= 0 && !model.meshes[size_t(node.mesh)].primitives.empty())
                count = model.meshes[size_t(node.mesh)].primitives[0].targets.size();
            if (count == 0) continue;
            st.weights.resize(count);
            sample_into(smp, count, t, st.weights.data());
            continue;
        }
        size_t comps = ch.path == AnimPath::Rotation ? 4 : 3;
        float v[4];
        sample_into(smp, comps, t, v);
        st.has_matrix = false;
        if (ch.path == AnimPath::Translation) st.translation = {v[0], v[1], v[2]};
        else if (ch.path == AnimPath::Scale) st.scale = {v[0], v[1], v[2]};
        else {
            glm::quat q(v[3], v[0], v[1], v[2]);
            float len = glm::length(q);
            st.rotation = len > 0 ? q / len : glm::quat(1, 0, 0, 0);
        }
    }
}

// Writes the deformed vertices into `out`, reusing its memory.
static void deform(const Model& model, const std::vector<glm::mat4>& world, int node_index, const Primitive& prim,
                   const std::vector<float>& weights, std::vector<Vertex>& out) {
    const Node& node = model.nodes[size_t(node_index)];
    out.assign(prim.vertices.begin(), prim.vertices.end());
    for (size_t t = 0; t < prim.targets.size() && t < weights.size(); ++t) {
        float w = weights[t];
        if (w == 0) continue;
        const MorphTarget& mt = prim.targets[t];
        for (size_t i = 0; i < out.size(); ++i) {
            if (!mt.position.empty()) out[i].position += w * mt.position[i];
            if (!mt.normal.empty()) out[i].normal += w * mt.normal[i];
            if (!mt.tangent.empty()) out[i].tangent += glm::vec4(w * mt.tangent[i], 0);
        }
    }
    glm::mat4 node_world = world[size_t(node_index)];
    if (node.skin >= 0 && !prim.joints.empty()) {
        const Skin& skin = model.skins[size_t(node.skin)];
        thread_local std::vector<glm::mat4> joint;
        joint.resize(skin.joints.size());
        for (size_t j = 0; j < skin.joints.size(); ++j) joint[j] = world[size_t(skin.joints[j])] * skin.inverse_bind[j];
        for (size_t i = 0; i < out.size(); ++i) {
            glm::mat4 m(0);
            for (int k = 0; k < 4; ++k) {
                uint16_t j = prim.joints[i][k];
                if (j < joint.size()) m += prim.weights[i][k] * joint[j];
            }
            if (m == glm::mat4(0)) m = node_world;
            out[i].position = glm::vec3(m * glm::vec4(out[i].position, 1));
            glm::mat3 nm = glm::transpose(glm::inverse(glm::mat3(m)));
            out[i].normal = glm::normalize(nm * out[i].normal);
            out[i].tangent = glm::vec4(glm::normalize(glm::mat3(m) * glm::vec3(out[i].tangent)), out[i].tangent.w);
        }
    } else {
        glm::mat3 nm = glm::transpose(glm::inverse(glm::mat3(node_world)));
        for (auto& v : out) {
            v.position = glm::vec3(node_world * glm::vec4(v.position, 1));
            float len = glm::length(v.normal);
            v.normal = len > 0 ? glm::normalize(nm * v.normal) : glm::vec3(0, 0, 1);
            glm::vec3 tn = glm::mat3(node_world) * glm::vec3(v.tangent);
            if (glm::length(tn) > 0) v.tangent = glm::vec4(glm::normalize(tn), v.tangent.w);
        }
    }
}

Pose evaluate_pose(const Model& model, int animation, float time) {
    Pose pose;
    evaluate_pose(model, animation, time, pose);
    return pose;
}

void evaluate_pose(const Model& model, int animation, float time, Pose& pose) {
    const size_t count = model.nodes.size();
    // Scratch kept between calls: a show's steady state allocates nothing here.
    thread_local std::vector<NodeState> state;  // empty: no animation, the nodes as stored
    thread_local std::vector<bool> done;
    thread_local std::vector<int> stack, order;
    state.clear();
    if (animation >= 0 && size_t(animation) < model.animations.size()) {
        const Animation& anim = model.animations[size_t(animation)];
        apply_animation(model, anim, std::clamp(time, 0.0f, anim.duration), state);
    }
    auto local = [&](int n) -> glm::mat4 {
        const Node& node = model.nodes[size_t(n)];
        if (state.empty()) return node.local();
        const NodeState& s = state[size_t(n)];
        if (s.has_matrix) return node.matrix;
        return glm::translate(glm::mat4(1), s.translation) * glm::mat4_cast(s.rotation) * glm::scale(glm::mat4(1), s.scale);
    };

    pose.world.assign(count, glm::mat4(1));
    pose.min = pose.max = glm::vec3(0);
    pose.empty = true;
    done.assign(count, false);  // world matrix known
    // Depth-first from the roots; the importer guarantees a forest.
    stack.assign(model.roots.rbegin(), model.roots.rend());
    order.clear();
    while (!stack.empty()) {
        int n = stack.back();
        stack.pop_back();
        const Node& node = model.nodes[size_t(n)];
        glm::mat4 parent = node.parent >= 0 ? pose.world[size_t(node.parent)] : glm::mat4(1);
        pose.world[size_t(n)] = parent * local(n);
        done[size_t(n)] = true;
        order.push_back(n);
        for (auto it = node.children.rbegin(); it != node.children.rend(); ++it) stack.push_back(*it);
    }
    // Joints may live outside the scene's roots; give them their own chains. Walk up
    // to the first ancestor already known (or past the top) and come back down, so
    // each node's local matrix is evaluated once.
    for (size_t n = 0; n < count; ++n) {
        if (done[n]) continue;
        stack.clear();
        int p = int(n);
        while (p >= 0 && !done[size_t(p)] && stack.size() <= count) {  // the bound stops a (malformed) cycle
            stack.push_back(p);
            p = model.nodes[size_t(p)].parent;
        }
        glm::mat4 m = p >= 0 && done[size_t(p)] ? pose.world[size_t(p)] : glm::mat4(1);
        for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
            m = m * local(*it);
            pose.world[size_t(*it)] = m;
            done[size_t(*it)] = true;
        }
    }

    auto grow = [&](const glm::vec3& p) {
        if (pose.empty) { pose.min = pose.max = p; pose.empty = false; }
        else { pose.min = glm::min(pose.min, p); pose.max = glm::max(pose.max, p); }
    };
    // A rigid primitive's world bounds: the 8 corners of its object-space box,
    // transformed. Exact for translation, scale and axis-aligned rotation; never
    // smaller than the transformed vertices' bounds otherwise.
    auto grow_box = [&](const glm::mat4& m, const glm::vec3& lo, const glm::vec3& hi) {
        for (int c = 0; c < 8; ++c) {
            glm::vec3 corner((c & 1) ? hi.x : lo.x, (c & 2) ? hi.y : lo.y, (c & 4) ? hi.z : lo.z);
            grow(glm::vec3(m * glm::vec4(corner, 1)));
        }
    };
    size_t used = 0;  // items are reused in place: their deformed vertices keep their memory
    for (int n : order) {
        const Node& node = model.nodes[size_t(n)];
        if (node.mesh < 0) continue;
        const Mesh& mesh = model.meshes[size_t(node.mesh)];
        const std::vector<float>* animated = state.empty() ? nullptr : &state[size_t(n)].weights;
        const std::vector<float>& weights = animated && !animated->empty() ? *animated
                                            : !node.weights.empty()     ? node.weights
                                                                        : mesh.weights;
        bool any_weight = std::any_of(weights.begin(), weights.end(), [](float w) { return w != 0; });
        for (size_t p = 0; p < mesh.primitives.size(); ++p) {
            const Primitive& prim = mesh.primitives[p];
            if (used == pose.items.size()) pose.items.emplace_back();
            DrawItem& item = pose.items[used++];
            item.node = n;
            item.mesh = node.mesh;
            item.primitive = int(p);
            item.world = pose.world[size_t(n)];
            bool skinned = node.skin >= 0 && !prim.joints.empty();
            if (skinned || (any_weight && !prim.targets.empty())) {
                deform(model, pose.world, n, prim, weights, item.deformed);
                item.world = glm::mat4(1);
                for (const Vertex& v : item.deformed) grow(v.position);
                continue;
            }
            item.deformed.clear();
            if (prim.min != prim.max) {
                // The box, also once the vertices live on the GPU only (scene/gpu_data.h).
                grow_box(item.world, prim.min, prim.max);
            } else {
                // A point, or bounds never filled in (a primitive built by hand rather than
                // imported): the vertices themselves, exactly (none: nothing to bound).
                for (const Vertex& v : prim.vertices) grow(glm::vec3(item.world * glm::vec4(v.position, 1)));
            }
        }
    }
    pose.items.resize(used);
}

}  // namespace vitrine::scene
