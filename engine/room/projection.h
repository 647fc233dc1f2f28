// Kooima's generalized perspective projection: the one routine that turns a physical
// rectangle (a wall screen, a lenticular panel's focal plane, a window) and an eye into
// a view and an off-axis projection. Double precision; Vulkan clip space (x right,
// y DOWN — the row at the top of the picture is the upper edge pc..pc+(pb-pa) —, depth
// 0..1, near plane at 0).
#pragma once
#include <glm/glm.hpp>

namespace vitrine::room {

struct Frustum {
    glm::dmat4 view{1};  // world -> eye space (the screen's axes; the eye at the origin)
    glm::dmat4 proj{1};  // eye space -> clip
    glm::dvec3 eye{0};
};

// pa lower-left, pb lower-right, pc upper-left corner; the eye must be in front of the
// screen (on the side its normal (pb-pa) x (pc-pa) points to). The up axis is squared to
// pb-pa, so slightly skewed measured corners still give a rotation as the view.
Frustum off_axis(const glm::dvec3& pa, const glm::dvec3& pb, const glm::dvec3& pc, const glm::dvec3& eye, double near,
                 double far);

// Signed distance of the eye in front of the screen plane (<= 0: on or behind it).
double eye_distance(const glm::dvec3& pa, const glm::dvec3& pb, const glm::dvec3& pc, const glm::dvec3& eye);

// Narrows a projection that fills a `full_w` x `full_h` picture to the sub-rectangle
// (x, y from the top, w, h in pixels) of it: the returned matrix maps exactly that
// part onto the whole clip square (tiles, overscan with negative x/y or larger sizes).
glm::dmat4 crop(const glm::dmat4& proj, double full_w, double full_h, double x, double y, double w, double h);

}  // namespace vitrine::room
