// The display file (`*.display.yaml`, format in docs/display-file.md): the physical
// picture a show is drawn for — a canvas of pixels, the screens in the room (metres,
// +Y up) that show regions of it, the viewer's sweet spot, where a lone model stands,
// or a lenticular panel with its calibration and quilt. Plain data; no Vulkan.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "yaml/place.h"

namespace vitrine::room {

using yaml::Loc;
using yaml::Problem;

// Pixels on the canvas; y from the top.
struct Region {
    int64_t x = 0, y = 0, width = 0, height = 0;
};

// A screen's picture may be mapped onto its region turned and mirrored (LED
// processors map panels rotated). Applied in this order to the screen's own picture
// (width x height of the screen's natural orientation): flip_x, flip_y, then `rotate`
// degrees clockwise as seen on the canvas.
struct Orientation {
    int rotate = 0;  // 0, 90, 180, 270
    bool flip_x = false, flip_y = false;
};

// The physical surface of a curved screen: triangles in metres (room frame, node
// transforms applied) with TEXCOORD_0 in 0..1 across the screen's region (u right,
// v down, as glTF).
struct ScreenMesh {
    std::filesystem::path file;
    std::vector<glm::dvec3> positions;
    std::vector<glm::dvec2> uvs;
    std::vector<uint32_t> indices;  // triangle list
};

struct Screen {
    std::string name;
    Loc loc;
    // Planar: lower-left, lower-right, upper-left corners (metres).
    bool planar = true;
    glm::dvec3 pa{0}, pb{0}, pc{0};
    ScreenMesh mesh;  // when !planar
    Region region;
    Orientation orientation;
};

struct Viewer {
    glm::dvec3 eye{0, 1.6, 6.0};
    bool tracked = false;     // `tracked: osc`: the eye moves with /vitrine/eye x y z
    double near = 0.05, far = 200;
    double ipd = 0;           // metres; 0 = mono (stereo pairs later)
};

// Where a model given on the command line stands (not used for scenes).
struct Stage {
    bool given = false;
    glm::dvec3 center{0};
    double size = 1;          // its largest dimension, metres
};

// Looking Glass calibration, the fields of the device's visual.json.
struct Calibration {
    double pitch = 0, slope = 0, center = 0, view_cone = 40;  // viewCone in degrees
    bool inv_view = false;
    double dpi = 0;
    int64_t screen_w = 0, screen_h = 0;
    bool flip_image_x = false, flip_image_y = false;
    bool flip_subp = false;
};

struct QuiltLayout {
    int64_t columns = 8, rows = 6, width = 4096, height = 4096;
};

struct Lenticular {
    Calibration calibration;
    QuiltLayout quilt;
    int64_t views = 48;       // at most columns * rows
    double focal_plane = 2;   // distance from the eye line to the zero-parallax plane (scene units)
    double depthiness = 1;    // scales the baseline
    double size = 1;          // height of the focal-plane rectangle (scene units)
};

struct DisplayFile {
    std::filesystem::path file;
    int64_t canvas_width = 0, canvas_height = 0;
    Viewer viewer;
    std::vector<Screen> screens;         // empty when lenticular
    std::optional<Lenticular> lenticular;
    Stage stage;
};

// Parses, loads mesh screens and a calibration path, and validates. Every problem is
// reported (sorted in reading order), each naming the screen and the field; the
// result is only meaningful when `problems` stayed empty.
DisplayFile load_display(const std::filesystem::path& file, std::vector<Problem>& problems);
// The same from text (mesh and calibration paths relative to `file`'s folder).
DisplayFile parse_display(const std::filesystem::path& file, const std::string& text, std::vector<Problem>& problems);

}  // namespace vitrine::room
