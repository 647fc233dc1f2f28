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
