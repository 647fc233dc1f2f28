#include "room/preview.h"

#include <algorithm>
#include <string>
#include <utility>

#include "scene/geometry.h"

namespace vitrine::room {

namespace {

// A point of the screen's own picture (s right, t down, 0..1; t = 0 is the upper edge
// pc..pd) -> where it lands in the screen's region (0..1, v down): flip_x, flip_y,
// then `rotate` degrees clockwise as seen on the canvas.
glm::dvec2 oriented(const Orientation& o, glm::dvec2 p) {
    if (o.flip_x) p.x = 1 - p.x;
    if (o.flip_y) p.y = 1 - p.y;
    switch ((o.rotate % 360 + 360) % 360) {
        case 90: return {1 - p.y, p.x};   // the top edge becomes the right edge
        case 180: return {1 - p.x, 1 - p.y};
        case 270: return {p.y, 1 - p.x};  // the top edge becomes the left edge
        default: return p;
    }
}

// Texture coordinates on the whole canvas (glTF: (0,0) top-left, v down). Divided by the
// display's canvas size, so a canvas image scaled down to fit a texture still maps.
glm::vec2 canvas_uv(const Screen& screen, glm::dvec2 picture, double canvas_w, double canvas_h) {
    glm::dvec2 r = oriented(screen.orientation, picture);
    const Region& g = screen.region;
    return glm::vec2((double(g.x) + r.x * double(g.width)) / canvas_w,
                     (double(g.y) + r.y * double(g.height)) / canvas_h);
}

scene::Vertex vertex(const glm::dvec3& position, const glm::dvec3& normal, glm::vec2 uv) {
    scene::Vertex v;
    v.position = glm::vec3(position);
    v.normal = glm::vec3(normal);
    v.uv0 = uv;
    return v;  // tangent stays at its default: no normal map (as import leaves it)
}

// Planar: pa, pb, pd = pb + (pc - pa), pc; counter-clockwise (glTF front) seen from the eye.
scene::Primitive planar_quad(const Screen& s, const glm::dvec3& eye, double cw, double ch) {
    glm::dvec3 pd = s.pb + (s.pc - s.pa);
    glm::dvec3 n = glm::normalize(glm::cross(s.pb - s.pa, s.pc - s.pa));
    bool facing = glm::dot(n, eye - (s.pb + s.pc) * 0.5) >= 0;
    if (!facing) n = -n;
    scene::Primitive p;
    p.vertices = {vertex(s.pa, n, canvas_uv(s, {0, 1}, cw, ch)), vertex(s.pb, n, canvas_uv(s, {1, 1}, cw, ch)),
                  vertex(pd, n, canvas_uv(s, {1, 0}, cw, ch)), vertex(s.pc, n, canvas_uv(s, {0, 0}, cw, ch))};
    // (pb - pa) x (pd - pa) is the screen normal: 0,1,2 is counter-clockwise around it.
    p.indices = facing ? std::vector<uint32_t>{0, 1, 2, 0, 2, 3} : std::vector<uint32_t>{0, 2, 1, 0, 3, 2};
    return p;
}

// Mesh: its triangles, each wound to face the eye; vertex normals are the area-weighted
// sum of those faces. Mesh UVs are the screen's picture, mapped as planar ones are.
scene::Primitive mesh_surface(const Screen& s, const glm::dvec3& eye, double cw, double ch) {
    const ScreenMesh& m = s.mesh;
    scene::Primitive p;
    std::vector<glm::dvec3> normals(m.positions.size(), glm::dvec3(0));
    for (size_t i = 0; i < m.positions.size(); ++i) {
        glm::dvec2 uv = i < m.uvs.size() ? m.uvs[i] : glm::dvec2(0);
        p.vertices.push_back(vertex(m.positions[i], glm::dvec3(0, 0, 1), canvas_uv(s, uv, cw, ch)));
    }
    for (size_t t = 0; t + 2 < m.indices.size(); t += 3) {
        uint32_t a = m.indices[t], b = m.indices[t + 1], c = m.indices[t + 2];
        if (a >= m.positions.size() || b >= m.positions.size() || c >= m.positions.size()) continue;
        glm::dvec3 n = glm::cross(m.positions[b] - m.positions[a], m.positions[c] - m.positions[a]);
        glm::dvec3 centre = (m.positions[a] + m.positions[b] + m.positions[c]) / 3.0;
        if (glm::dot(n, eye - centre) < 0) std::swap(b, c), n = -n;
        p.indices.insert(p.indices.end(), {a, b, c});
        normals[a] += n, normals[b] += n, normals[c] += n;
    }
    for (size_t i = 0; i < normals.size(); ++i) {
        glm::dvec3 n = glm::length(normals[i]) > 0 ? normals[i] : eye - m.positions[i];  // unused vertex
        if (glm::length(n) > 0) p.vertices[i].normal = glm::vec3(glm::normalize(n));
    }
    return p;
}

// Adds a mesh of one primitive and a root node showing it.
void add_root(scene::Model& m, const std::string& name, scene::Primitive prim) {
    scene::compute_bounds(prim);
    scene::Mesh mesh;
    mesh.name = name;
    mesh.primitives.push_back(std::move(prim));
    m.meshes.push_back(std::move(mesh));
    scene::Node node;
    node.name = name;
    node.mesh = int(m.meshes.size()) - 1;
    m.nodes.push_back(std::move(node));
    m.roots.push_back(int(m.nodes.size()) - 1);
}

}  // namespace

scene::Model visitor_room(const DisplayFile& display, Image8 canvas) {
    scene::Model m;
    m.source = display.file.filename().string();
    if (!display.file.empty()) m.files.push_back(display.file.string());
    const glm::dvec3 eye = display.viewer.eye;
    double cw = double(std::max<int64_t>(display.canvas_width, 1));
    double ch = double(std::max<int64_t>(display.canvas_height, 1));

    // Every corner or vertex of a screen: the floor lies under their centroid and below them all.
    glm::dvec3 sum(0);
    size_t count = 0;
    double lowest = 0;
    auto note = [&](const glm::dvec3& p) { sum += p, ++count, lowest = std::min(lowest, p.y); };

    // Lenticular panels have no screens: the preview is of walls, so only the floor.
    if (!display.screens.empty()) {
        scene::ModelImage image;
        image.name = "canvas";
        image.pixels = std::move(canvas);
        image.srgb = true;
        m.images.push_back(std::move(image));
        scene::Texture texture;
        texture.image = 0;
        texture.sampler.mag = texture.sampler.min = texture.sampler.mip = scene::Filter::Linear;
        texture.sampler.mipmaps = true;
        texture.sampler.wrap_s = texture.sampler.wrap_t = scene::Wrap::Clamp;
        m.textures.push_back(texture);
        scene::Material screen;  // the LEDs' pixels as they are: unlit, front faces only
        screen.name = "screen";
        screen.unlit = true;
        screen.metallic = 0;
        screen.roughness = 1;
        screen.double_sided = false;
        screen.base_color_tex.texture = 0;
        m.materials.push_back(screen);
        m.extensions_used.push_back("KHR_materials_unlit");
    }
    for (const Screen& s : display.screens) {
        scene::Primitive prim;
        if (s.planar) {
            prim = planar_quad(s, eye, cw, ch);
            for (const glm::dvec3& p : {s.pa, s.pb, s.pc, s.pb + (s.pc - s.pa)}) note(p);
        } else {
            prim = mesh_surface(s, eye, cw, ch);
            for (const glm::dvec3& p : s.mesh.positions) note(p);
            if (!s.mesh.file.empty()) m.files.push_back(s.mesh.file.string());
        }
        prim.material = 0;
        add_root(m, s.name, std::move(prim));
    }

    // The floor: 40 m square, dark, lit by room lights, faintly glowing so it shows at all.
    scene::Material floor;
    floor.name = "floor";
    floor.base_color = glm::vec4(0.05f, 0.05f, 0.05f, 1);
    floor.metallic = 0;
    floor.roughness = 0.9f;
    floor.emissive = glm::vec3(0.01f);
    m.materials.push_back(floor);
    glm::dvec3 c = count ? sum / double(count) : glm::dvec3(0);
    double y = lowest - 0.001, h = 20;
    scene::Primitive prim;
    const glm::dvec3 up(0, 1, 0);
    prim.vertices = {vertex({c.x - h, y, c.z - h}, up, {0, 0}), vertex({c.x - h, y, c.z + h}, up, {0, 1}),
                     vertex({c.x + h, y, c.z + h}, up, {1, 1}), vertex({c.x + h, y, c.z - h}, up, {1, 0})};
    prim.indices = {0, 1, 2, 0, 2, 3};  // counter-clockwise seen from above
    prim.material = int(m.materials.size()) - 1;
    add_root(m, "floor", std::move(prim));
    return m;
}

}  // namespace vitrine::room
