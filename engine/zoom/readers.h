// The readers behind open_pyramid (pyramid.cpp), one per format; internal to the zoom
// module. Each reads only its header / index at open time and validates every size it
// reads before allocating anything; tiles are read on demand (Pyramid::read_tile),
// thread-safely, and only from inside the pyramid's own folder or container.
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "zoom/pyramid.h"

namespace vitrine::zoom {

// NAME.dzi next to NAME_files/.
Result<std::unique_ptr<Pyramid>> open_dzi(const std::string& path);
// NAME.zip holding NAME.dzi + NAME_files/ (vips dzsave --container zip).
Result<std::unique_ptr<Pyramid>> open_dzi_zip(const std::string& path);
// A folder holding info.json, or the info.json itself.
Result<std::unique_ptr<Pyramid>> open_iiif(const std::string& path);
// A folder holding ImageProperties.xml, or the ImageProperties.xml itself.
Result<std::unique_ptr<Pyramid>> open_zoomify(const std::string& path);
// A tiled pyramidal TIFF or BigTIFF.
Result<std::unique_ptr<Pyramid>> open_tiff(const std::string& path);
// "procedural:NAME:WxH[:MM]" (procedural.h).
Result<std::unique_ptr<Pyramid>> open_procedural(const std::string& spec);

// Limits every reader enforces on what a file claims, before allocating.
constexpr uint64_t kMaxPyramidSide = 1u << 24;            // 16 777 216 px a side
constexpr uint64_t kMaxPyramidPixels = uint64_t(1) << 40;  // ~1.1 Tpx in all
constexpr uint32_t kMaxTileSide = 16384;

// The physical scale and colour a sidecar JSON gives ({"mm_per_pixel": X, "colour": "..."}):
// `NAME.vitrine.json` next to a .dzi / .zip, `vitrine.json` next to an info.json. Absent
// file: nothing changes. A malformed one is an error naming it.
Result<void> read_sidecar(const std::filesystem::path& sidecar, PyramidInfo* info);
// The same from the sidecar's bytes (e.g. read from a zip); `what` names it.
Result<void> parse_sidecar(const std::string& text, const std::string& what, PyramidInfo* info);

// Just enough XML for pyramid headers (Deep Zoom .dzi, Zoomify ImageProperties.xml):
// elements with their attributes (either quote, the five standard entities), text
// ignored, prolog / comments / DOCTYPE skipped. Strict about the structure: an unclosed
// tag, attribute or element (a truncated file), mismatched end tags, duplicate
// attributes or a second root are errors naming `what`.
struct XmlElement {
    std::string name;
    std::vector<std::pair<std::string, std::string>> attributes;
    int parent = -1;  // index into the list; -1 for the root
    const std::string* attribute(const std::string& key) const;
};
Result<std::vector<XmlElement>> parse_xml(const std::string& text, const std::string& what);
// An attribute as a whole number in [min, max]; errors name `what`, the element and the attribute.
Result<uint64_t> xml_number(const XmlElement& element, const std::string& key, uint64_t min, uint64_t max,
                            const std::string& what);
// Checks a full-resolution size against kMaxPyramidSide / kMaxPyramidPixels.
Result<void> check_pyramid_size(uint64_t width, uint64_t height, const std::string& what);

}  // namespace vitrine::zoom
