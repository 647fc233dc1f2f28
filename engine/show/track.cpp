#include "show/track.h"

#include <algorithm>
#include <cmath>

namespace vitrine::show {

glm::quat euler_degrees(const glm::vec3& d) {
    glm::vec3 r = glm::radians(d);
    glm::quat qx = glm::angleAxis(r.x, glm::vec3(1, 0, 0));
    glm::quat qy = glm::angleAxis(r.y, glm::vec3(0, 1, 0));
    glm::quat qz = glm::angleAxis(r.z, glm::vec3(0, 0, 1));
    return glm::normalize(qz * qy * qx);
}

namespace {

void put_quat(const glm::quat& q, float* out) {
    out[0] = q.x, out[1] = q.y, out[2] = q.z, out[3] = q.w;
}
glm::quat get_quat(const float* v) { return glm::quat(v[3], v[0], v[1], v[2]); }

// Normalized slerp along the shorter arc (glTF's rule for rotation keys).
glm::quat nslerp(glm::quat a, glm::quat b, float s) {
    if (glm::dot(a, b) < 0) b = -b;
    return glm::normalize(glm::slerp(a, b, s));
}

}  // namespace

BoundTrack bind_track(const Track& track, const Property& property) {
    BoundTrack b;
    b.property = property;
    b.interp = track.interp;
    if (track.zoom) {
        b.zoom = true;
        b.moves = track.moves;
        b.width = 4;
        return b;
    }
    bool rotation = property.kind == PropertyKind::Rotation;
    b.euler = rotation && track.interp == Interp::CubicSpline;
    b.width = rotation && !b.euler ? 4 : property.size;
    for (const Key& k : track.keys) {
        b.times.push_back(k.t);
        auto push = [&](const std::vector<float>& v) {
            std::vector<float> value(size_t(property.size), 0.0f);
            std::copy_n(v.begin(), std::min(v.size(), value.size()), value.begin());
            if (rotation && !b.euler) {
                float q[4];
                put_quat(euler_degrees({value[0], value[1], value[2]}), q);
                b.values.insert(b.values.end(), q, q + 4);
            } else {
                b.values.insert(b.values.end(), value.begin(), value.end());
            }
        };
        if (track.interp == Interp::CubicSpline) {
            push(k.in);
            push(k.value);
            push(k.out);
        } else {
            push(k.value);
        }
    }
    // Consecutive quaternion keys on the same hemisphere, so STEP and slerp agree on sign.
    if (rotation && !b.euler)
        for (size_t i = 1; i < b.times.size(); ++i) {
            float* q = &b.values[i * 4];
            const float* p = &b.values[(i - 1) * 4];
            if (q[0] * p[0] + q[1] * p[1] + q[2] * p[2] + q[3] * p[3] < 0)
                for (int c = 0; c < 4; ++c) q[c] = -q[c];
        }
    return b;
}

void sample_track(const BoundTrack& tr, double t, float* out) {
    const size_t n = tr.times.size();
    const int w = tr.width;
    const bool cubic = tr.interp == Interp::CubicSpline;
    auto value = [&](size_t k) { return &tr.values[(cubic ? k * 3 + 1 : k) * size_t(w)]; };
    float euler[3];
    float* dst = tr.euler ? euler : out;
    if (n == 0 || tr.zoom) return;  // zoom tracks: Show::values_at (sample_zoom)
    size_t hi = size_t(std::upper_bound(tr.times.begin(), tr.times.end(), t) - tr.times.begin());
    if (hi == 0 || hi == n) {
        std::copy_n(value(hi == 0 ? 0 : n - 1), w, dst);
    } else {
        size_t lo = hi - 1;
        double td = tr.times[hi] - tr.times[lo];
        float s = float((t - tr.times[lo]) / td);
        switch (tr.interp) {
            case Interp::Step: std::copy_n(value(lo), w, dst); break;
            case Interp::Linear:
                if (tr.property.kind == PropertyKind::Rotation)
                    put_quat(nslerp(get_quat(value(lo)), get_quat(value(hi)), s), dst);
                else
                    for (int c = 0; c < w; ++c) dst[c] = value(lo)[c] + (value(hi)[c] - value(lo)[c]) * s;
                break;
            case Interp::CubicSpline: {
                // Hermite with tangents scaled by the key interval (spec Appendix C).
                const float* p0 = value(lo);
                const float* p1 = value(hi);
                const float* b0 = &tr.values[(lo * 3 + 2) * size_t(w)];  // out-tangent of lo
                const float* a1 = &tr.values[(hi * 3 + 0) * size_t(w)];  // in-tangent of hi
                float s2 = s * s, s3 = s2 * s, dt = float(td);
                float h00 = 2 * s3 - 3 * s2 + 1, h10 = s3 - 2 * s2 + s, h01 = -2 * s3 + 3 * s2, h11 = s3 - s2;
                for (int c = 0; c < w; ++c) dst[c] = h00 * p0[c] + h10 * dt * b0[c] + h01 * p1[c] + h11 * dt * a1[c];
                break;
            }
        }
    }
    if (tr.euler) put_quat(euler_degrees({euler[0], euler[1], euler[2]}), out);
}

void mix_values(PropertyKind kind, const float* a, const float* b, float s, int size, float* out) {
    if (kind == PropertyKind::Rotation) {
        put_quat(nslerp(get_quat(a), get_quat(b), s), out);
        return;
    }
    if (kind == PropertyKind::Visible) {  // switches at the end of its fade
        std::copy_n(s < 1 ? a : b, size, out);
        return;
    }
    for (int c = 0; c < size; ++c) out[c] = a[c] + (b[c] - a[c]) * s;
}

}  // namespace vitrine::show
