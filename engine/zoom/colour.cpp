#include "zoom/colour.h"

#include <lcms2.h>

namespace vitrine::zoom {
namespace {

struct Profile {
    cmsHPROFILE h = nullptr;
    explicit Profile(const std::vector<uint8_t>& icc)
        : h(icc.empty() ? nullptr : cmsOpenProfileFromMem(icc.data(), cmsUInt32Number(icc.size()))) {}
    explicit Profile(cmsHPROFILE p) : h(p) {}
    ~Profile() {
        if (h) cmsCloseProfile(h);
    }
};

std::string description_of(cmsHPROFILE h) {
    char text[256] = {};
    if (!cmsGetProfileInfoASCII(h, cmsInfoDescription, "en", "US", text, sizeof text)) return "unnamed ICC profile";
    return text;
}

}  // namespace

std::string icc_description(const std::vector<uint8_t>& icc) {
    Profile p(icc);
    return p.h ? description_of(p.h) : std::string();
}

bool icc_is_srgb(const std::vector<uint8_t>& icc) {
    return icc_description(icc).find("sRGB") != std::string::npos;
}

bool icc_is_rgb(const std::vector<uint8_t>& icc) {
    Profile p(icc);
    return p.h && cmsGetColorSpace(p.h) == cmsSigRgbData;
}

Result<std::unique_ptr<ColourTransform>> ColourTransform::to_srgb(const std::vector<uint8_t>& icc, uint32_t channels,
                                                                  const std::string& what) {
    Profile in(icc);
    if (!in.h) return fail(what + ": its embedded ICC profile cannot be read (lcms2)");
    Profile srgb(cmsCreate_sRGBProfile());
    std::unique_ptr<ColourTransform> t(new ColourTransform);
    t->channels_ = channels;
    t->description_ = description_of(in.h);
    cmsColorSpaceSignature space = cmsGetColorSpace(in.h);
    if (space == cmsSigGrayData) {
        // Grey pixels arrive expanded to RGB (r = g = b): a table of the 256 greys.
        cmsHTRANSFORM g = cmsCreateTransform(in.h, TYPE_GRAY_8, srgb.h, TYPE_RGB_8, INTENT_PERCEPTUAL, 0);
        if (!g) return fail(what + ": lcms2 cannot convert its grey ICC profile '" + t->description_ + "' to sRGB");
        uint8_t greys[256];
        for (int i = 0; i < 256; ++i) greys[i] = uint8_t(i);
        t->grey_lut_.resize(256 * 3);
        cmsDoTransform(g, greys, t->grey_lut_.data(), 256);
        cmsDeleteTransform(g);
        return t;
    }
    if (space != cmsSigRgbData)
        return fail(what + ": its ICC profile '" + t->description_ + "' is not an RGB or grey profile");
    // NOCACHE: the one-pixel cache is what makes a transform unsafe across threads.
    cmsUInt32Number flags = cmsFLAGS_NOCACHE | (channels == 4 ? cmsFLAGS_COPY_ALPHA : 0);
    t->transform_ = cmsCreateTransform(in.h, channels == 4 ? TYPE_RGBA_8 : TYPE_RGB_8, srgb.h,
                                       channels == 4 ? TYPE_RGBA_8 : TYPE_RGB_8, INTENT_PERCEPTUAL, flags);
    if (!t->transform_) return fail(what + ": lcms2 cannot convert its ICC profile '" + t->description_ + "' to sRGB");
    return t;
}

ColourTransform::~ColourTransform() {
    if (transform_) cmsDeleteTransform(static_cast<cmsHTRANSFORM>(transform_));
}

void ColourTransform::convert(uint8_t* pixels, size_t count) const {
    if (transform_) {
        cmsDoTransform(static_cast<cmsHTRANSFORM>(transform_), pixels, pixels, cmsUInt32Number(count));
        return;
    }
    for (size_t i = 0; i < count; ++i, pixels += channels_) {
        const uint8_t* e = grey_lut_.data() + 3 * size_t(pixels[0]);
        pixels[0] = e[0], pixels[1] = e[1], pixels[2] = e[2];
    }
}

}  // namespace vitrine::zoom
