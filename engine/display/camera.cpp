#include "display/camera.h"

#include <glm/gtc/matrix_transform.hpp>

namespace vitrine::display {

render::View orbit_view(const scene::Orbit& orbit, const Bounds& b, const render::Rect& viewport) {
    scene::Framing f = scene::frame_orbit(orbit, b.min, b.max, b.empty, float(viewport.width) / float(viewport.height));
    render::View v;
    v.viewport = viewport;
    v.eye = f.eye;
    v.view = f.view;
    v.proj = f.proj;
    return v;
}

render::View gltf_camera_view(const scene::Model& model, const scene::Pose& pose, int camera, const Bounds& b,
                              const render::Rect& viewport) {
    render::View v;
    v.viewport = viewport;
    float aspect = float(viewport.width) / float(viewport.height);
    float radius = b.empty ? 1.0f : 0.5f * glm::length(b.max - b.min);
    const scene::Camera& cam = model.cameras[size_t(camera)];
    glm::mat4 world(1);
    for (size_t n = 0; n < model.nodes.size(); ++n)
        if (model.nodes[n].camera == camera) {
            world = pose.world[n];
            break;
        }
    // Cameras ignore node scale: rebuild the frame from normalised axes.
    glm::vec3 eye(world[3]);
    glm::vec3 fwd = -glm::normalize(glm::vec3(world[2])), up = glm::normalize(glm::vec3(world[1]));
    v.eye = eye;
    v.view = glm::lookAt(eye, eye + fwd, up);
    float zfar = cam.zfar > 0 ? cam.zfar : glm::length(eye - b.centre()) + radius * 4.0f;
    if (cam.perspective) {
        v.proj = scene::perspective(cam.yfov, aspect, cam.znear, zfar);
    } else {
        v.proj = glm::orthoRH_ZO(-cam.xmag, cam.xmag, -cam.ymag, cam.ymag, cam.znear, zfar);
        v.proj[1][1] *= -1.0f;
    }
    return v;
}

}  // namespace vitrine::display
