// Lenticular panels: the quilt (N views in a grid of tiles), the views' eyes and sheared
// projections, the `_qs{columns}x{rows}a{aspect}` naming convention, and the interleave
// that maps a quilt to the panel's sub-pixels as HoloPlayCore's published shader does.
// CPU only: the reference the GPU pass is tested against.
//
// Quilt order: view 0 (the leftmost eye) is the bottom-left tile; views run left to
// right, then upward. Tiles are width/columns x height/rows pixels (integer division),
// packed from the image's bottom-left corner: any remainder is a strip along the top
// and the right edge that belongs to no view. A quilt is device-independent: view 0 is
// always the leftmost eye, whatever the panel's invView (only the interleave applies it).
//
// Interleave (one native pixel x, y — y from the top — of a W x H panel, channel c):
//   1. flips act on the native image: x' = flipImageX ? W-1-x : x, y' = flipImageY ? H-1-y : y;
//   2. the shader's texture coordinate of that pixel's centre, v from the BOTTOM as in GL:
//        u = (x' + 0.5) / W,   v = 1 - (y' + 0.5) / H;
//   3. sub-pixel i = c (flipSubp: i = 2 - c, a BGR panel);
//   4. z = (u + i*subp + v*tilt) * pitch - center, wrapped to [0, 1); invView: z = wrap(-z);
//   5. fractional view f = z * N in [0, N); the sub-pixel shows views floor(f) and
//      floor(f)+1 (mod N: past the last view the cycle returns to view 0, as the
//      published shader does with a repeating sampler) blended by frac(f), in linear light;
//   6. each view is sampled bilinearly at (u, v) of its tile (v from the tile's bottom;
//      the tile fills the panel, no aspect correction), clamped inside the tile.
// with the calibration's values turned into the shader's (interleave_params):
//   pitch = pitch * screenW / DPI * cos(atan(1 / slope)), tilt = screenH / (screenW * slope),
//   subp = 1 / (3 * screenW), center as is.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/image.h"
#include "room/display_file.h"
#include "room/projection.h"

namespace vitrine::room {

// Tile of view `index` in the quilt, in pixels (y from the top of the quilt image).
struct TileRect {
    int64_t x = 0, y = 0, width = 0, height = 0;
};
TileRect quilt_tile(const QuiltLayout& quilt, int64_t index);

// The view `index` of lkg.views: eyes on a horizontal baseline (along basis right)
// through the centre eye focal_centre + back * focal_plane, evenly spaced so that
// parallax is linear in the view index: view i is offset along right by
// (i/(N-1) - 0.5) * 2 * focal_plane * tan(viewCone/2) * depthiness (N = 1: 0; view 0
// leftmost; the outermost eyes see the focal centre at +-viewCone/2). Its frustum is
// off_axis() of the focal-plane rectangle (centre focal_centre, height `size`, width
// size * aspect, in the basis): sheared, never toed in. Near = focal_plane / 10,
// far = focal_plane * 10 (the depth a lenticular panel can show lies well inside).
// The calibration's invView is not applied here (see the quilt order above).
struct QuiltCamera {
    glm::dvec3 focal_centre{0};  // centre of the zero-parallax rectangle
    glm::dmat3 basis{1};         // columns: right, up, back (toward the viewer)
};
// The shape every view is rendered with: the panel's (screenW / screenH), as Looking
// Glass quilts are ("quilt aspect"); tiles may hold it in non-square pixels.
double panel_aspect(const Lenticular& lkg);
Frustum quilt_view(const Lenticular& lkg, const QuiltCamera& camera, double aspect, int64_t index);

// `name_qs8x6a0.75.png` -> columns 8, rows 6, aspect 0.75 (columns first). Aspect
// absent (`_qs8x6`) -> nullopt in `aspect`. Only the file name (after the last '/') is
// read; the last `_qs` followed by valid settings counts. Valid: columns and rows
// 1..1000, aspect a positive decimal (digits[.digits]) up to 100, and the settings end
// the name or are followed by a character that is not a letter or digit. Returns
// nullopt when the name carries no valid quilt settings.
struct QuiltName {
    int64_t columns = 0, rows = 0;
    std::optional<double> aspect;
};
std::optional<QuiltName> parse_quilt_name(const std::string& filename);
// Writes `_qs{c}x{r}a{aspect}` before the extension (the file name's last '.'; at the
// end when it has none); settings the name already carries are replaced. The aspect
// has at most 4 decimals, trailing zeros dropped (0.75, 1.7778, 1); aspect <= 0 is left out.
std::string quilt_file_name(const std::string& filename, const QuiltLayout& quilt, double aspect);

// Calibration turned into the shader's values (formulas above). Slope and DPI must be
// non-zero (the display file's validation).
struct InterleaveParams {
    double pitch = 0, tilt = 0, center = 0, subp = 0;
    bool inv_view = false, flip_x = false, flip_y = false, flip_subp = false;
    int64_t width = 0, height = 0;  // native panel pixels
};
InterleaveParams interleave_params(const Calibration& calibration);
// Which view (fractional, [0, views)) sub-pixel `channel` (0 r, 1 g, 2 b) of native
// pixel (x, y from the top) shows: steps 1-5 above.
double subpixel_view(const InterleaveParams& p, int64_t views, int64_t x, int64_t y, int channel);
// The native panel image (params.width x height, 8-bit sRGB RGBA, alpha 255) from a
// quilt (8-bit sRGB RGBA of layout.width x height; otherwise an empty image): steps
// 1-6, each channel decoded to linear light, sampled, blended, encoded (rounded to the
// nearest 8-bit value). views is clamped to 1..columns*rows. Rows run on several threads.
Image8 interleave(const Image8& quilt, const QuiltLayout& layout, int64_t views, const InterleaveParams& params);

// Split a quilt into its views (each tile-sized) and assemble views into a quilt of
// layout.width x height. Pixels outside the views' tiles are 0 in an assembled quilt,
// so split -> assemble is byte-identical whenever they were 0 (or absent) before; a
// view of another size is cut or padded with 0 at its tile's top-left. split_quilt
// returns nothing when the image is not layout-sized.
std::vector<Image8> split_quilt(const Image8& quilt, const QuiltLayout& layout, int64_t views);
Image8 assemble_quilt(const std::vector<Image8>& views, const QuiltLayout& layout);

}  // namespace vitrine::room
