#include "zoom/describe.h"

#include <cstdio>
#include <sstream>

namespace vitrine::zoom {

namespace {

std::string fmt(const char* f, double a, double b = 0) {
    char buf[128];
    std::snprintf(buf, sizeof buf, f, a, b);
    return buf;
}

std::string pixels(double n) {
    if (n >= 1e9) return fmt("%.2f Gpixels", n / 1e9);
    if (n >= 1e6) return fmt("%.1f Mpixels", n / 1e6);
    return fmt("%.0f pixels", n);
}

std::string length(double mm) {
    if (mm >= 1000) return fmt("%.3g m", mm / 1000);
    return fmt("%.3g mm", mm);
}

}  // namespace

std::string describe(const PyramidInfo& info) {
    std::ostringstream o;
    o << "pyramid:     " << info.path << "\n";
    o << "format:      " << format_name(info.format) << "\n";
    o << "size:        " << info.width << " x " << info.height << " (" << pixels(double(info.width) * info.height) << ")\n";
    o << "levels:      " << info.levels.size();
    if (!info.levels.empty()) {
        const LevelSize& a = info.levels.front();
        const LevelSize& b = info.levels.back();
        o << ": " << a.width << " x " << a.height << " down to " << b.width << " x " << b.height;
    }
    o << "\n";
    o << "tiles:       " << info.tile_width << " x " << info.tile_height << " px, overlap " << info.overlap << ", "
      << (info.tile_format.empty() ? "unknown" : info.tile_format) << "\n";
    o << "scale:       ";
    if (info.mm_per_pixel > 0)
        o << fmt("%.6g", info.mm_per_pixel) << " mm per pixel (" << fmt("%.4g", 25.4 / info.mm_per_pixel)
          << " ppi): " << length(info.width * info.mm_per_pixel) << " x " << length(info.height * info.mm_per_pixel)
          << "\n";
    else
        o << "unknown\n";
    o << "colour:      " << info.colour << "\n";
    return o.str();
}

}  // namespace vitrine::zoom
