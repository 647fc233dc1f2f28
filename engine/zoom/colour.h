// Colour for pyramids: what an embedded ICC profile is called, and converting pixels
// from it to sRGB (lcms2, perceptual intent) for tiles that browsers show as sRGB
// (JPEG / PNG tiles of Deep Zoom and IIIF). A pyramidal TIFF carries the profile instead.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"

namespace vitrine::zoom {

// The profile's description ("Adobe RGB (1998)", "sRGB IEC61966-2.1"); empty when lcms2
// cannot read it.
std::string icc_description(const std::vector<uint8_t>& icc);
// Profiles that need no conversion for sRGB tiles (their description names sRGB).
bool icc_is_srgb(const std::vector<uint8_t>& icc);
// An RGB profile (one a TIFF of RGB samples can carry as it is).
bool icc_is_rgb(const std::vector<uint8_t>& icc);

class ColourTransform {
public:
    // From `icc` (an RGB or grey profile) to sRGB, for 8-bit pixels of `channels` (3: RGB,
    // 4: RGBA, alpha kept). `what` names the image in errors.
    static Result<std::unique_ptr<ColourTransform>> to_srgb(const std::vector<uint8_t>& icc, uint32_t channels,
                                                            const std::string& what);
    ~ColourTransform();
    ColourTransform(const ColourTransform&) = delete;
    ColourTransform& operator=(const ColourTransform&) = delete;
    // In place; safe to call from several threads at once.
    void convert(uint8_t* pixels, size_t count) const;
    const std::string& description() const { return description_; }

private:
    ColourTransform() = default;
    void* transform_ = nullptr;        // cmsHTRANSFORM (RGB profiles)
    std::vector<uint8_t> grey_lut_;    // grey profiles: 256 RGB triplets
    uint32_t channels_ = 3;
    std::string description_;
};

}  // namespace vitrine::zoom
