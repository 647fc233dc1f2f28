#include "zoom/procedural.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <complex>
#include <numbers>

#include "zoom/readers.h"

// Every pattern is a constant plus a sum of SEPARABLE terms, alpha * X(x) * Y(y), with
// complex alpha, X and Y (a sinusoid in any direction is Re(alpha e^{iax} e^{iby})). The
// box filter is linear and its weights separable, so a coarser level's pixel is
// c + sum alpha * mean_x(X) * mean_y(Y), with each 1-D mean in closed form:
// - an interior pixel of level k is the plain mean over its 2^k source pixels
//   (geometric series for e^{iax}, counting for lines and checker cells);
// - the last pixel of an axis averages the children that exist (two, or one at an odd
//   size), so its weights are not uniform: it follows that recursion over the levels,
//   O(level) once per tile.
// No value is ever clamped (the amplitudes keep every pattern inside [0, 255]), so the
// means stay exact: each level is the 2 x 2 mean of the one above before rounding.

namespace vitrine::zoom {
namespace {

using Complex = std::complex<double>;

// One factor of a term along one axis, as a function of the source pixel index i.
struct Factor {
    enum Kind { One, Wave, Lines, Checker } kind = One;
    double omega = 0;                      // Wave: e^{i omega i}
    int64_t period = 0, offset = 0, width = 0;  // Lines: 1 where (i mod period) in [offset, offset+width)
    int64_t cell = 0;                      // Checker: (-1)^floor(i / cell)

    // Mean over pixels [a, a + n).
    Complex mean(int64_t a, int64_t n) const {
        switch (kind) {
            case One: return 1.0;
            case Wave: {
                // sum_{i=a}^{a+n-1} e^{iwi} = e^{iw(a+(n-1)/2)} sin(wn/2) / sin(w/2)
                double s = std::sin(omega * 0.5);
                double ratio = n == 1 ? 1.0 : std::sin(omega * 0.5 * double(n)) / (s * double(n));
                double phase = omega * (double(a) + 0.5 * double(n - 1));
                return {ratio * std::cos(phase), ratio * std::sin(phase)};  // ratio may be < 0: not std::polar
            }
            case Lines: return double(lines_below(a + n) - lines_below(a)) / double(n);
            case Checker: return double(signs_below(a + n) - signs_below(a)) / double(n);
        }
        return 0.0;
    }
    int64_t lines_below(int64_t n) const {  // count of line pixels in [0, n)
        return n / period * width + std::clamp<int64_t>(n % period - offset, 0, width);
    }
    int64_t signs_below(int64_t n) const {  // sum of the signs over [0, n)
        int64_t q = n / cell, r = n % cell;
        return q % 2 ? cell - r : r;
    }
};

struct Term {
    Factor x, y;
    Complex alpha[3];
};

struct Pattern {
    const char* name;
    double base[3];
    std::vector<Term> terms;
};

Pattern make_pattern() {
    Pattern p{"pattern", {145, 145, 145}, {}};
    // 11 waves, wavelengths 11.3 * 3.1^m px (11 px to 900 000 px), directions a golden
    // angle apart, each strongest in one channel, phases per channel from a fixed
    // formula. The amplitudes per channel add up to <= 88.5 and the lines darken by <= 55:
    // values stay in [1.5, 233.5], never clamped.
    for (int m = 0; m < 11; ++m) {
        double lambda = 11.3 * std::pow(3.1, m);
        double theta = 0.37 + m * 2.39996322972865332;
        double k = 2 * std::numbers::pi / lambda;
        Term t;
        t.x = {Factor::Wave, k * std::cos(theta)};
        t.y = {Factor::Wave, k * std::sin(theta)};
        for (int c = 0; c < 3; ++c) {
            double amplitude = c == m % 3 ? 16.0 : 3.5;
            t.alpha[c] = std::polar(amplitude, 1.1 * m + 2.3 * c);
        }
        for (Factor* f : {&t.x, &t.y})
            if (std::abs(f->omega) < 1e-300) *f = {};
        p.terms.push_back(t);
    }
    // Dark grid lines: coverage L = lx + ly - lx ly per spacing, weighted; darkness 55 at most.
    struct Grid { int64_t period, width; double weight; };
    for (Grid g : {Grid{256, 1, 0.3}, Grid{4096, 8, 0.35}, Grid{65536, 96, 0.35}}) {
        Factor lines{Factor::Lines, 0, g.period, 37, g.width};
        double d = 55.0 * g.weight;
        p.terms.push_back({lines, {}, {-d, -d, -d}});
        p.terms.push_back({{}, lines, {-d, -d, -d}});
        p.terms.push_back({lines, lines, {d, d, d}});
    }
    return p;
}

Pattern make_checker() {
    // (1 - sx sy) / 2 * 255: black where the signs agree (the top-left cell).
    Factor signs{Factor::Checker};
    signs.cell = 64;
    return Pattern{"checker", {127.5, 127.5, 127.5}, {{signs, signs, {-127.5, -127.5, -127.5}}}};
}

const Pattern* find_pattern(const std::string& name) {
    static const Pattern patterns[] = {make_pattern(), make_checker()};
    for (const Pattern& p : patterns)
        if (name == p.name) return &p;
    return nullptr;
}

// One axis of one level: its size at every level, to find the last pixel's weights.
class Axis {
public:
    Axis(const std::vector<LevelSize>& levels, bool vertical) {
        for (const LevelSize& l : levels) sizes_.push_back(vertical ? l.height : l.width);
    }
    uint32_t size(uint32_t level) const { return sizes_[level]; }

    // The level's 1-D mean of `f` at pixels [first, first + count).
    void means(const Factor& f, uint32_t level, uint32_t first, uint32_t count, Complex* out) const {
        uint32_t last = sizes_[level] - 1;
        int64_t n = int64_t(1) << level;
        uint32_t inner = first >= last ? 0 : std::min(count, last - first);  // pixels before the last
        if (f.kind == Factor::Wave && inner > 0) {
            // Interior means of a wave step by a constant factor e^{i omega n}; restarted
            // from the closed form every 32 pixels so rounding cannot drift.
            Complex step = std::polar(1.0, f.omega * double(n));
            for (uint32_t i = 0; i < inner; ++i)
                out[i] = i % 32 == 0 ? f.mean(int64_t(first + i) * n, n) : out[i - 1] * step;
        } else {
            for (uint32_t i = 0; i < inner; ++i) out[i] = f.mean(int64_t(first + i) * n, n);
        }
        for (uint32_t i = inner; i < count; ++i) out[i] = last_mean(f, level);
    }

private:
    Complex last_mean(const Factor& f, uint32_t level) const {
        if (level == 0) return f.mean(sizes_[0] - 1, 1);
        uint32_t above = sizes_[level - 1];
        Complex own = last_mean(f, level - 1);
        if (above % 2) return own;  // one child: the last pixel above
        int64_t n = int64_t(1) << (level - 1);
        return 0.5 * (f.mean(int64_t(above - 2) * n, n) + own);
    }
    std::vector<uint32_t> sizes_;
};

// Values of a rectangle of one level, channel-major: out[c][y * w + x]. Terms that
// vary along one axis only (a grid's lines across or down) are added as a row or a
// column; the rest per pixel, skipping rows where the term is zero (a line's rows).
void evaluate(const Pattern& p, const Axis& ax, const Axis& ay, uint32_t level, PixelRect r,
              std::vector<double>* out) {
    const size_t w = r.width, h = r.height;
    std::vector<Complex> xs(w), ys(h);
    std::vector<double> xr(w), xi(w), across[3], down[3];
    for (int c = 0; c < 3; ++c) {
        across[c].assign(w, 0.0);
        down[c].assign(h, p.base[c]);
        out[c].resize(w * h);
    }
    std::vector<const Term*> both;
    for (const Term& t : p.terms) {
        if (t.y.kind == Factor::One) {
            ax.means(t.x, level, r.x, r.width, xs.data());
            for (int c = 0; c < 3; ++c)
                for (size_t i = 0; i < w; ++i) across[c][i] += (t.alpha[c] * xs[i]).real();
        } else if (t.x.kind == Factor::One) {
            ay.means(t.y, level, r.y, r.height, ys.data());
            for (int c = 0; c < 3; ++c)
                for (size_t j = 0; j < h; ++j) down[c][j] += (t.alpha[c] * ys[j]).real();
        } else {
            both.push_back(&t);
        }
    }
    for (int c = 0; c < 3; ++c)
        for (size_t j = 0; j < h; ++j) {
            double* row = out[c].data() + j * w;
            for (size_t i = 0; i < w; ++i) row[i] = down[c][j] + across[c][i];
        }
    for (const Term* t : both) {
        ax.means(t->x, level, r.x, r.width, xs.data());
        ay.means(t->y, level, r.y, r.height, ys.data());
        for (size_t i = 0; i < w; ++i) xr[i] = xs[i].real(), xi[i] = xs[i].imag();
        for (size_t j = 0; j < h; ++j) {
            if (ys[j] == 0.0) continue;
            for (int c = 0; c < 3; ++c) {
                Complex b = t->alpha[c] * ys[j];
                const double br = b.real(), bi = b.imag();
                double* row = out[c].data() + j * w;
                for (size_t i = 0; i < w; ++i) row[i] += br * xr[i] - bi * xi[i];
            }
        }
    }
}

// Rounded to the nearest code value (the values never leave [0, 255]; clamped anyway).
uint8_t to_code(double v) { return uint8_t(std::clamp(v + 0.5, 0.0, 255.0)); }

class ProceduralPyramid final : public Pyramid {
public:
    ProceduralPyramid(PyramidInfo info, const Pattern* pattern)
        : info_(std::move(info)), pattern_(pattern), ax_(info_.levels, false), ay_(info_.levels, true) {}
    const PyramidInfo& info() const override { return info_; }
    Result<Image8> read_tile(uint32_t level, uint32_t col, uint32_t row) const override {
        if (level >= info_.levels.size() || col >= columns(level) || row >= rows(level))
            return fail(info_.path + ": no tile " + std::to_string(col) + "_" + std::to_string(row) +
                        " at level " + std::to_string(level));
        PixelRect r = tile_pixels(level, col, row);
        thread_local std::vector<double> values[3];  // reused: no page faults per tile
        evaluate(*pattern_, ax_, ay_, level, r, values);
        Image8 image{r.width, r.height, std::vector<uint8_t>(size_t(r.width) * r.height * 4)};
        for (size_t i = 0, n = size_t(r.width) * r.height; i < n; ++i) {
            for (int c = 0; c < 3; ++c) image.rgba[i * 4 + c] = to_code(values[c][i]);
            image.rgba[i * 4 + 3] = 255;
        }
        return image;
    }

private:
    PyramidInfo info_;
    const Pattern* pattern_;
    Axis ax_, ay_;
};

bool parse_u32(std::string_view s, uint32_t* v) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
    return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

}  // namespace

bool is_procedural(const std::string& path) { return path.rfind("procedural:", 0) == 0; }

double procedural_value(const std::string& name, uint32_t width, uint32_t height, uint32_t level,
                        uint32_t x, uint32_t y, int channel) {
    const Pattern* p = find_pattern(name);
    VITRINE_CHECK(p && channel >= 0 && channel < 3);
    auto levels = halving_levels(width, height);
    VITRINE_CHECK(level < levels.size() && x < levels[level].width && y < levels[level].height);
    std::vector<double> values[3];
    evaluate(*p, Axis(levels, false), Axis(levels, true), level, {x, y, 1, 1}, values);
    return values[channel][0];
}

std::array<uint8_t, 3> procedural_pixel(const std::string& name, uint32_t width, uint32_t height,
                                        uint32_t level, uint32_t x, uint32_t y) {
    std::array<uint8_t, 3> rgb;
    for (int c = 0; c < 3; ++c) rgb[c] = to_code(procedural_value(name, width, height, level, x, y, c));
    return rgb;
}

Result<std::unique_ptr<Pyramid>> open_procedural(const std::string& spec) {
    const std::string usage = " (procedural:pattern|checker:WIDTHxHEIGHT[:MM_PER_PIXEL])";
    std::vector<std::string> parts;
    for (size_t start = 0;;) {
        size_t colon = spec.find(':', start);
        parts.push_back(spec.substr(start, colon - start));
        if (colon == std::string::npos) break;
        start = colon + 1;
    }
    if (parts.size() < 3 || parts.size() > 4 || parts[0] != "procedural")
        return fail(spec + ": not a procedural pyramid" + usage);
    const Pattern* pattern = find_pattern(parts[1]);
    if (!pattern) return fail(spec + ": unknown pattern '" + parts[1] + "'" + usage);
    size_t x = parts[2].find('x');
    uint32_t w = 0, h = 0;
    if (x == std::string::npos || !parse_u32(std::string_view(parts[2]).substr(0, x), &w) ||
        !parse_u32(std::string_view(parts[2]).substr(x + 1), &h))
        return fail(spec + ": size '" + parts[2] + "' is not WIDTHxHEIGHT" + usage);
    if (!w || !h || w > kMaxProceduralSide || h > kMaxProceduralSide)
        return fail(spec + ": size must be 1 to 1000000 a side");
    PyramidInfo info;
    info.path = spec;
    info.format = PyramidFormat::Procedural;
    info.width = w;
    info.height = h;
    info.tile_width = info.tile_height = 256;
    info.overlap = 0;
    info.levels = halving_levels(w, h);
    info.tile_format = "procedural";
    if (parts.size() == 4) {
        const std::string& mm = parts[3];
        double v = 0;
        auto [end, ec] = std::from_chars(mm.data(), mm.data() + mm.size(), v);
        if (ec != std::errc() || end != mm.data() + mm.size() || !std::isfinite(v) || v <= 0)
            return fail(spec + ": millimetres per pixel '" + mm + "' is not a positive number");
        info.mm_per_pixel = v;
    }
    return std::unique_ptr<Pyramid>(new ProceduralPyramid(std::move(info), pattern));
}

}  // namespace vitrine::zoom
