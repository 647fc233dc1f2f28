#include "room/projection.h"

namespace vitrine::room {

namespace {
struct Axes {
    glm::dvec3 right, up, normal;
};
Axes axes(const glm::dvec3& pa, const glm::dvec3& pb, const glm::dvec3& pc) {
    Axes a;
    a.right = glm::normalize(pb - pa);
    // Square to `right` (a no-op for a true rectangle): the view stays a rotation even
    // when measured corners are slightly off.
    glm::dvec3 up = pc - pa;
    a.up = glm::normalize(up - a.right * glm::dot(up, a.right));
    a.normal = glm::normalize(glm::cross(a.right, a.up));
    return a;
}
}  // namespace

double eye_distance(const glm::dvec3& pa, const glm::dvec3& pb, const glm::dvec3& pc, const glm::dvec3& eye) {
    return glm::dot(eye - pa, axes(pa, pb, pc).normal);
}

Frustum off_axis(const glm::dvec3& pa, const glm::dvec3& pb, const glm::dvec3& pc, const glm::dvec3& eye, double n,
                 double f) {
    Axes s = axes(pa, pb, pc);
    glm::dvec3 va = pa - eye, vb = pb - eye, vc = pc - eye;
    double d = -glm::dot(va, s.normal);  // eye to the screen plane
    double l = glm::dot(s.right, va) * n / d, r = glm::dot(s.right, vb) * n / d;
    double b = glm::dot(s.up, va) * n / d, t = glm::dot(s.up, vc) * n / d;

    Frustum out;
    out.eye = eye;
    // Rows of the rotation are the screen's axes; then the eye moves to the origin.
    glm::dmat4 rot(1);
    for (int c = 0; c < 3; ++c) {
        rot[c][0] = s.right[c];
        rot[c][1] = s.up[c];
        rot[c][2] = s.normal[c];
    }
    glm::dmat4 move(1);
    move[3] = glm::dvec4(-eye, 1);
    out.view = rot * move;

    // glFrustum with depth 0..1 (right-handed, looking down -Z), then y flipped for Vulkan.
    glm::dmat4 p(0);
    p[0][0] = 2 * n / (r - l);
    p[1][1] = 2 * n / (t - b);
    p[2][0] = (r + l) / (r - l);
    p[2][1] = (t + b) / (t - b);
    p[2][2] = f / (n - f);
    p[2][3] = -1;
    p[3][2] = -(f * n) / (f - n);
    for (int c = 0; c < 4; ++c) p[c][1] = -p[c][1];
    out.proj = p;
    return out;
}

glm::dmat4 crop(const glm::dmat4& proj, double full_w, double full_h, double x, double y, double w, double h) {
    double sx = w / full_w, sy = h / full_h;
    double cx = -1 + 2 * (x + w / 2) / full_w, cy = -1 + 2 * (y + h / 2) / full_h;
    glm::dmat4 s(1);
    s[0][0] = 1 / sx;
    s[1][1] = 1 / sy;
    s[3][0] = -cx / sx;
    s[3][1] = -cy / sy;
    return s * proj;
}

}  // namespace vitrine::room
