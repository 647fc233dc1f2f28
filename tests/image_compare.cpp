// image-compare: compares a rendered PNG with a golden PNG under explicit
// tolerances (Filament renderdiff style): a pixel fails when any channel differs
// by more than --max-diff (0..255); the image fails when more than
// --max-failing-fraction of its pixels fail. On failure writes NAME.diff.png
// (failing pixels red, over a dimmed golden) next to the actual image.
//
// Region checks (--expect X,Y,W,H,R,G,B,TOL, repeatable) assert that the mean
// colour of a rectangle is within TOL of R,G,B: what a person would look at in a
// self-testing model, independent of any golden.
//
// Against a reference render from another renderer, --min-psnr DB and --min-ssim S
// apply the 3D Commerce certification style of check (PSNR over RGB; SSIM on luma
// in 8x8 windows) instead of the per-pixel golden rule.
//
// --mask M.png limits PSNR to M's bright pixels, one pixel in from their edge (a wall's outline); --max-psnr DB
// asserts that two pictures differ (a visitor preview from the wrong place).
// --seam X (repeatable) checks that columns X-1 and X of ACTUAL continue each other:
// their mean step is at most twice the steps beside them (and at least 6/255 is allowed).
// --unturn Q,FX,FY undoes an LED region's orientation (render::View) on ACTUAL (after --crop).
//
// usage: image-compare ACTUAL.png [GOLDEN.png] [--max-diff N] [--max-failing-fraction F] [--expect ...]
//                      [--min-psnr DB] [--max-psnr DB] [--mask M.png] [--min-ssim S] [--crop X,Y,W,H] [--seam X]
//                      [--unturn Q,FLIP_X,FLIP_Y]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/image.h"

using vitrine::Image8;

// Over every pixel, or only where `mask` (same size) is bright (red > 127).
static double psnr(const Image8& a, const Image8& b, const Image8* mask = nullptr) {
    double se = 0;
    size_t n = 0;
    for (size_t p = 0; p < size_t(a.width) * a.height; ++p) {
        if (mask && mask->rgba[p * 4] <= 127) continue;
        ++n;
        for (int c = 0; c < 3; ++c) {
            double d = double(a.rgba[p * 4 + size_t(c)]) - double(b.rgba[p * 4 + size_t(c)]);
            se += d * d;
        }
    }
    if (n == 0) return 0;
    double mse = se / double(n * 3);
    return mse <= 0 ? 99.0 : 10.0 * std::log10(255.0 * 255.0 / mse);
}

// Mean SSIM of luma over non-overlapping 8x8 windows (Wang et al. 2004 constants).
static double ssim(const Image8& a, const Image8& b) {
    auto luma = [](const Image8& im, size_t p) {
        return 0.299 * im.rgba[p * 4] + 0.587 * im.rgba[p * 4 + 1] + 0.114 * im.rgba[p * 4 + 2];
    };
    const double c1 = (0.01 * 255) * (0.01 * 255), c2 = (0.03 * 255) * (0.03 * 255);
    double total = 0;
    int windows = 0;
    for (uint32_t y = 0; y + 8 <= a.height; y += 8)
        for (uint32_t x = 0; x + 8 <= a.width; x += 8) {
            double ma = 0, mb = 0, va = 0, vb = 0, cov = 0;
            for (uint32_t j = 0; j < 8; ++j)
                for (uint32_t i = 0; i < 8; ++i) {
                    size_t p = size_t(y + j) * a.width + (x + i);
                    ma += luma(a, p);
                    mb += luma(b, p);
                }
            ma /= 64;
            mb /= 64;
            for (uint32_t j = 0; j < 8; ++j)
                for (uint32_t i = 0; i < 8; ++i) {
                    size_t p = size_t(y + j) * a.width + (x + i);
                    double da = luma(a, p) - ma, db = luma(b, p) - mb;
                    va += da * da;
                    vb += db * db;
                    cov += da * db;
                }
            va /= 63;
            vb /= 63;
            cov /= 63;
            total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
            ++windows;
        }
    return windows ? total / windows : 1.0;
}

int main(int argc, char** argv) {
    std::string actual_path, golden_path;
    int max_diff = 5;
    double max_fraction = 0.001;
    std::vector<std::string> expects;
    double min_psnr = -1, min_ssim = -1, max_psnr = -1;
    std::string mask_path;
    std::vector<int> seams;
    std::string unturn;  // Q,FLIP_X,FLIP_Y
    double uniform = -1;  // > 0: no column or row's RMS error above this x the median's (+ 0.5): no seams
    std::string crop;  // X,Y,W,H: compare only this rectangle of ACTUAL (a cell of a sheet)
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--max-diff" && i + 1 < argc) max_diff = std::atoi(argv[++i]);
        else if (a == "--max-failing-fraction" && i + 1 < argc) max_fraction = std::atof(argv[++i]);
        else if (a == "--expect" && i + 1 < argc) expects.push_back(argv[++i]);
        else if (a == "--min-psnr" && i + 1 < argc) min_psnr = std::atof(argv[++i]);
        else if (a == "--min-ssim" && i + 1 < argc) min_ssim = std::atof(argv[++i]);
        else if (a == "--crop" && i + 1 < argc) crop = argv[++i];
        else if (a == "--max-psnr" && i + 1 < argc) max_psnr = std::atof(argv[++i]);
        else if (a == "--mask" && i + 1 < argc) mask_path = argv[++i];
        else if (a == "--seam" && i + 1 < argc) seams.push_back(std::atoi(argv[++i]));
        else if (a == "--unturn" && i + 1 < argc) unturn = argv[++i];
        else if (a == "--uniform-error" && i + 1 < argc) uniform = std::atof(argv[++i]);
        else if (actual_path.empty()) actual_path = a;
        else if (golden_path.empty()) golden_path = a;
        else { std::fprintf(stderr, "image-compare: unexpected argument %s\n", a.c_str()); return 2; }
    }
    if (actual_path.empty()) { std::fprintf(stderr, "usage: image-compare ACTUAL.png [GOLDEN.png] [options]\n"); return 2; }
    auto actual = vitrine::read_png(actual_path);
    if (!actual) { std::fprintf(stderr, "image-compare: %s\n", actual.error().message.c_str()); return 1; }
    if (!crop.empty()) {
        unsigned x, y, w, h;
        if (std::sscanf(crop.c_str(), "%u,%u,%u,%u", &x, &y, &w, &h) != 4 || w == 0 || h == 0 || x + w > actual->width ||
            y + h > actual->height) {
            std::fprintf(stderr, "image-compare: bad --crop '%s'\n", crop.c_str());
            return 2;
        }
        Image8 cell{w, h, std::vector<uint8_t>(size_t(w) * h * 4)};
        for (unsigned j = 0; j < h; ++j)
            std::memcpy(&cell.rgba[size_t(j) * w * 4], &actual->rgba[(size_t(y + j) * actual->width + x) * 4], size_t(w) * 4);
        actual.value() = std::move(cell);
    }
    if (!unturn.empty()) {
        // ACTUAL (or its --crop) shows a picture flipped, then turned clockwise by Q quarter
        // turns (an LED region mapped turned): take the picture back out of it.
        int q, fx, fy;
        if (std::sscanf(unturn.c_str(), "%d,%d,%d", &q, &fx, &fy) != 3 || q < 0 || q > 3) {
            std::fprintf(stderr, "image-compare: bad --unturn '%s' (Q,FLIP_X,FLIP_Y)\n", unturn.c_str());
            return 2;
        }
        uint32_t pw = q % 2 ? actual->height : actual->width, ph = q % 2 ? actual->width : actual->height;
        Image8 picture{pw, ph, std::vector<uint8_t>(size_t(pw) * ph * 4)};
        for (uint32_t j = 0; j < ph; ++j)
            for (uint32_t i = 0; i < pw; ++i) {
                uint32_t a = fx ? pw - 1 - i : i, b = fy ? ph - 1 - j : j, x = a, y = b;
                if (q == 1) x = ph - 1 - b, y = a;
                if (q == 2) x = pw - 1 - a, y = ph - 1 - b;
                if (q == 3) x = b, y = pw - 1 - a;
                std::memcpy(&picture.rgba[(size_t(j) * pw + i) * 4], &actual->rgba[(size_t(y) * actual->width + x) * 4], 4);
            }
        actual.value() = std::move(picture);
    }
    bool ok = true;

    // Mean absolute step between columns a and b (RGB).
    auto step = [&](uint32_t a, uint32_t b) {
        double sum = 0;
        for (uint32_t y = 0; y < actual->height; ++y)
            for (int c = 0; c < 3; ++c)
                sum += std::fabs(double(actual->rgba[(size_t(y) * actual->width + a) * 4 + size_t(c)]) -
                                 double(actual->rgba[(size_t(y) * actual->width + b) * 4 + size_t(c)]));
        return sum / (actual->height * 3.0);
    };
    for (int x : seams) {
        if (x < 2 || uint32_t(x) + 1 >= actual->width) { std::fprintf(stderr, "image-compare: bad --seam %d\n", x); return 2; }
        double across = step(uint32_t(x - 1), uint32_t(x));
        double beside = std::max(step(uint32_t(x - 2), uint32_t(x - 1)), step(uint32_t(x), uint32_t(x + 1)));
        bool pass = across <= std::max(6.0, 2 * beside);
        std::printf("seam at column %d: mean step %.2f across, %.2f beside %s\n", x, across, beside, pass ? "ok" : "FAILED");
        ok = ok && pass;
    }

    for (const std::string& e : expects) {
        int x, y, w, h, r, g, b, tol;
        if (std::sscanf(e.c_str(), "%d,%d,%d,%d,%d,%d,%d,%d", &x, &y, &w, &h, &r, &g, &b, &tol) != 8 || x < 0 || y < 0 ||
            w <= 0 || h <= 0 || uint32_t(x + w) > actual->width || uint32_t(y + h) > actual->height) {
            std::fprintf(stderr, "image-compare: bad --expect '%s'\n", e.c_str());
            return 2;
        }
        double sum[3] = {0, 0, 0};
        for (int j = y; j < y + h; ++j)
            for (int i = x; i < x + w; ++i)
                for (int c = 0; c < 3; ++c) sum[c] += actual->rgba[(size_t(j) * actual->width + size_t(i)) * 4 + size_t(c)];
        double n = double(w) * h, mean[3] = {sum[0] / n, sum[1] / n, sum[2] / n};
        bool pass = std::fabs(mean[0] - r) <= tol && std::fabs(mean[1] - g) <= tol && std::fabs(mean[2] - b) <= tol;
        std::printf("region %s: mean %.0f,%.0f,%.0f %s\n", e.c_str(), mean[0], mean[1], mean[2], pass ? "ok" : "FAILED");
        ok = ok && pass;
    }

    if (!golden_path.empty()) {
        auto golden = vitrine::read_png(golden_path);
        if (!golden) {
            std::fprintf(stderr, "image-compare: no golden (%s); bless it with tools/bless-goldens.sh\n", golden.error().message.c_str());
            return 1;
        }
        if (golden->width != actual->width || golden->height != actual->height) {
            std::fprintf(stderr, "image-compare: size %ux%u differs from golden %ux%u\n", actual->width, actual->height,
                         golden->width, golden->height);
            return 1;
        }
        if (min_psnr >= 0 || min_ssim >= 0 || max_psnr >= 0) {
            Image8 mask;
            if (!mask_path.empty()) {
                auto m = vitrine::read_png(mask_path);
                if (!m || m->width != actual->width || m->height != actual->height) {
                    std::fprintf(stderr, "image-compare: --mask %s is missing or not %ux%u\n", mask_path.c_str(), actual->width, actual->height);
                    return 2;
                }
                // Inside the outline: pixels whose 3x3 neighbourhood is all bright (edges mix both sides).
                mask = *m;
                for (uint32_t y = 0; y < m->height; ++y)
                    for (uint32_t x = 0; x < m->width; ++x) {
                        bool inside = x > 0 && y > 0 && x + 1 < m->width && y + 1 < m->height;
                        for (int dy = -1; inside && dy <= 1; ++dy)
                            for (int dx = -1; inside && dx <= 1; ++dx)
                                inside = m->rgba[(size_t(y + dy) * m->width + (x + dx)) * 4] > 127;
                        mask.rgba[(size_t(y) * m->width + x) * 4] = inside ? 255 : 0;
                    }
            }
            double p = psnr(actual.value(), golden.value(), mask_path.empty() ? nullptr : &mask);
            double q = mask_path.empty() ? ssim(actual.value(), golden.value()) : 1.0;
            bool pass = p >= min_psnr && q >= min_ssim && (max_psnr < 0 || p <= max_psnr);
            if (uniform > 0) {
                // RMS error (8-bit units) of every column and every row: a seam at a tile or
                // page border is a line worse than the lines around it.
                auto profile = [&](bool columns) {
                    uint32_t n = columns ? actual->width : actual->height, m = columns ? actual->height : actual->width;
                    std::vector<double> rms(n);
                    for (uint32_t i = 0; i < n; ++i) {
                        double sum = 0;
                        for (uint32_t j = 0; j < m; ++j) {
                            size_t px = columns ? size_t(j) * actual->width + i : size_t(i) * actual->width + j;
                            for (int c = 0; c < 3; ++c) {
                                double d = double(actual->rgba[px * 4 + size_t(c)]) - double(golden->rgba[px * 4 + size_t(c)]);
                                sum += d * d;
                            }
                        }
                        rms[i] = std::sqrt(sum / (m * 3.0));
                    }
                    return rms;
                };
                for (bool columns : {true, false}) {
                    std::vector<double> rms = profile(columns), sorted = rms;
                    std::sort(sorted.begin(), sorted.end());
                    double median = sorted[sorted.size() / 2];
                    size_t worst = size_t(std::max_element(rms.begin(), rms.end()) - rms.begin());
                    bool even = rms[worst] <= uniform * median + 0.5;
                    std::printf("%s: worst RMS error %.2f at %zu, median %.2f (limit %.1fx + 0.5) %s\n",
                                columns ? "columns" : "rows", rms[worst], worst, median, uniform, even ? "ok" : "FAILED");
                    pass = pass && even;
                }
            }
            if (max_psnr >= 0) {
                std::printf("reference %s: PSNR %.2f dB%s (must be at most %.1f: the pictures differ) %s\n", golden_path.c_str(), p,
                            mask_path.empty() ? "" : " inside the mask", max_psnr, pass ? "ok" : "FAILED");
                return ok && pass ? 0 : 1;
            }
            std::printf("reference %s: PSNR %.2f dB (min %.1f), SSIM %.4f (min %.2f) %s\n", golden_path.c_str(), p, min_psnr, q,
                        min_ssim, pass ? "ok" : "FAILED");
            return ok && pass ? 0 : 1;
        }
        size_t failing = 0, pixels = size_t(actual->width) * actual->height;
        int worst = 0;
        Image8 diff = golden.value();
        for (size_t p = 0; p < pixels; ++p) {
            int d = 0;
            for (int c = 0; c < 3; ++c) d = std::max(d, std::abs(int(actual->rgba[p * 4 + size_t(c)]) - int(golden->rgba[p * 4 + size_t(c)])));
            worst = std::max(worst, d);
            bool fail = d > max_diff;
            failing += fail;
            for (int c = 0; c < 3; ++c) diff.rgba[p * 4 + size_t(c)] = fail ? (c == 0 ? 255 : 0) : uint8_t(diff.rgba[p * 4 + size_t(c)] / 4);
            diff.rgba[p * 4 + 3] = 255;
        }
        double fraction = double(failing) / double(pixels);
        bool pass = fraction <= max_fraction;
        std::printf("golden %s: %zu of %zu pixels differ by more than %d/255 (%.4f%%, limit %.4f%%), worst %d %s\n",
                    golden_path.c_str(), failing, pixels, max_diff, fraction * 100, max_fraction * 100, worst, pass ? "ok" : "FAILED");
        if (!pass) {
            std::string diff_path = actual_path.substr(0, actual_path.size() - 4) + (crop.empty() ? "" : ".cell") + ".diff.png";
            if (vitrine::write_png(diff_path, diff)) std::printf("wrote %s\n", diff_path.c_str());
        }
        ok = ok && pass;
    }
    return ok ? 0 : 1;
}
