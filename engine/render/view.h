// One View: where the eye is, how it projects, and which rectangle of a canvas it
// fills. Every output (window, file, LED screens, lenticular views) renders through this.
#pragma once
#include <cstdint>

#include <glm/glm.hpp>

namespace vitrine::render {

// Pixels on a canvas; y from the top.
struct Rect {
    int32_t x = 0, y = 0;
    uint32_t width = 0, height = 0;
};

struct View {
    glm::mat4 view{1};
    glm::mat4 proj{1};  // Vulkan clip space (y down, depth 0..1)
    glm::vec3 eye{0};
    Rect viewport;      // where on the canvas this view's picture goes
    // How the picture lands in its rectangle (LED processors map panels turned and
    // mirrored): flipped first, then turned clockwise by quarter turns. The picture (and
    // the projection) is viewport-sized, or height x width for an odd number of turns.
    uint8_t quarter_turns = 0;  // 0..3
    bool flip_x = false, flip_y = false;
    // Pixels drawn beyond each edge of the picture and cropped away, so effects that read
    // neighbours (refraction's blurred copy of the scene) see real content at a seam or a
    // tile's edge instead of the edge repeated. The projection is widened to match.
    uint32_t overscan = 0;
    bool turned() const { return quarter_turns & 1; }
    uint32_t picture_width() const { return turned() ? viewport.height : viewport.width; }
    uint32_t picture_height() const { return turned() ? viewport.width : viewport.height; }
    // What the scene is drawn into: the picture and its overscan.
    uint32_t target_width() const { return picture_width() + 2 * overscan; }
    uint32_t target_height() const { return picture_height() + 2 * overscan; }
    // The tone map pass's code for it: quarter turns | flip_x << 2 | flip_y << 3.
    int orientation_code() const { return (quarter_turns & 3) | (flip_x ? 4 : 0) | (flip_y ? 8 : 0); }
};

enum class ToneMap { None, PbrNeutral, Aces };

struct Look {
    ToneMap tonemap = ToneMap::PbrNeutral;
    float exposure_ev = 0;           // stops; multiplier 2^ev before tone mapping
    bool solid_background = false;   // false: the environment is the background
    glm::vec3 background{0};         // display-referred sRGB 0..1, written as is
    float env_intensity = 1;
    float env_rotation = 0;          // radians about +Y
    float sky_blur = 0;              // background mip level (0 = sharp)
};

}  // namespace vitrine::render
