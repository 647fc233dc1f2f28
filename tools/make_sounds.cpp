// make-sounds: writes the demo exhibition's synthesised sounds as 16-bit PCM mono WAV at
// 48 kHz, computed here from fixed seeds with nothing but the C++ standard library:
//   ambience.wav  gallery room tone, 20 s, seamlessly loopable: soft filtered noise, a low
//                 warm drone and a few distant chimes, about -30 dBFS RMS
//   bell.wav      a bronze temple bell struck 0.5 s in (modal synthesis: inharmonic
//                 decaying partials, each a slowly beating pair, and a short strike
//                 transient), 6 s, faded to silence at the end so that a looping source
//                 rings every 6 s without a click; peak -3 dBFS
//
// usage: make-sounds OUT_DIR
//
// The output depends on nothing but this file: the bytes are the same on every IEEE 754
// machine. Only +, -, *, / and sqrt are used on doubles (correctly rounded everywhere);
// sine and exp are our own polynomials, not the C library's, and tools/CMakeLists.txt
// builds this file with -ffp-contract=off so that no compiler fuses a multiply-add.
// The noise is our own xorshift generator (std:: distributions differ between library
// versions). tests/assets_reproducible.sh checks the committed files.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

constexpr int kRate = 48000;
constexpr double kPi = 3.14159265358979323846;
constexpr double kLn2 = 0.69314718055994530942;

// Round to the nearest integer, halves away from zero; exact for |x| < 2^52.
double round_half_away(double x) {
    return double(int64_t(x < 0 ? x - 0.5 : x + 0.5));
}

// sin(x) for any x: reduce to [-pi/2, pi/2], then the Taylor series to x^19 (error < 1e-12).
double sine(double x) {
    double r = x - round_half_away(x / (2 * kPi)) * (2 * kPi);  // [-pi, pi]
    if (r > kPi / 2) r = kPi - r;
    if (r < -kPi / 2) r = -kPi - r;
    double r2 = r * r, term = r, sum = r;
    for (int n = 1; n <= 9; ++n) {
        term = -term * r2 / double((2 * n) * (2 * n + 1));
        sum += term;
    }
    return sum;
}

// e^x: x = k ln2 + r with |r| <= ln2/2, the Taylor series for e^r, times 2^k (exact).
double expo(double x) {
    if (x < -700) return 0;
    double k = round_half_away(x / kLn2), r = x - k * kLn2, term = 1, sum = 1;
    for (int n = 1; n <= 16; ++n) {
        term = term * r / double(n);
        sum += term;
    }
    for (int i = 0; i < int(k); ++i) sum *= 2;
    for (int i = 0; i > int(k); --i) sum *= 0.5;
    return sum;
}

// A fixed-seed xorshift64* generator: uniform noise in [-1, 1).
struct Noise {
    uint64_t state;
    double next() {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        uint64_t v = state * 2685821657736338717ull;
        return double(int64_t(v >> 11) - (int64_t(1) << 52)) / double(int64_t(1) << 52);
    }
};

// One-pole low-pass: y += a (x - y), a from the cut-off in hertz.
struct LowPass {
    double a, y = 0;
    explicit LowPass(double hz) : a(1 - expo(-2 * kPi * hz / kRate)) {}
    double operator()(double x) { return y += a * (x - y); }
};

double rms(const std::vector<double>& s) {
    double sum = 0;
    for (double v : s) sum += v * v;
    return std::sqrt(sum / double(s.size()));
}
double peak(const std::vector<double>& s) {
    double p = 0;
    for (double v : s) p = v > p ? v : (-v > p ? -v : p);
    return p;
}

// 10^(db/20) without the C library: e^(db ln10 / 20).
double db_to_gain(double db) { return expo(db * 2.30258509299404568402 / 20); }

// Gallery room tone: 20 s whose end flows into its start. Every component is periodic in
// the file's length: the drone and its swells have whole numbers of cycles in 20 s, the
// noise is filtered circularly (a first pass over the same noise warms the filters up so
// that the first sample follows the last one), and chime tails wrap to the start.
std::vector<double> ambience() {
    const int n = 20 * kRate;
    std::vector<double> out(size_t(n), 0.0);

    // Soft noise: pink-ish (Paul Kellet's economy filter), darkened above ~1.2 kHz and
    // with the rumble below ~30 Hz taken out.
    Noise rng{0x5EED0A3B1E55ull};
    std::vector<double> white(static_cast<size_t>(n));
    for (double& w : white) w = rng.next();
    double b0 = 0, b1 = 0, b2 = 0;
    LowPass dark(1200), dark2(2400), rumble(30);
    for (int pass = 0; pass < 2; ++pass)
        for (int i = 0; i < n; ++i) {
            double w = white[size_t(i)];
            b0 = 0.99765 * b0 + w * 0.0990460;
            b1 = 0.96300 * b1 + w * 0.2965164;
            b2 = 0.57000 * b2 + w * 1.0526913;
            double pink = b0 + b1 + b2 + w * 0.1848;
            double soft = dark2(dark(pink));
            double v = soft - rumble(soft);
            if (pass == 1) out[size_t(i)] = 0.05 * v;
        }

    // The drone: A1, A2 (with a slowly beating twin), E3 and C#4, each a whole number of
    // cycles in 20 s (frequencies are multiples of 0.05 Hz), swelling once or twice per loop.
    struct Tone { double hz, amp, swell_cycles, swell_phase; };
    const Tone drone[] = {{55.0, 1.0, 1, 0.0}, {110.0, 0.55, 1, 1.3}, {110.1, 0.45, 2, 2.1},
                          {165.0, 0.22, 1, 4.0}, {277.5, 0.06, 2, 0.7}};
    for (int i = 0; i < n; ++i) {
        double t = double(i) / kRate, v = 0;
        for (const Tone& tone : drone) {
            double swell = 0.75 + 0.25 * sine(2 * kPi * tone.swell_cycles * t / 20 + tone.swell_phase);
            v += tone.amp * swell * sine(2 * kPi * tone.hz * t);
        }
        out[size_t(i)] += 0.06 * v;
    }

    // Distant chimes: a free bar's partials (1, 2.76, 5.40), soft onset, long decay.
    struct Chime { double at, hz, amp; };
    const Chime chimes[] = {{2.7, 1318.5, 1.0}, {9.1, 987.8, 0.8}, {13.4, 1174.7, 0.7}, {17.8, 1568.0, 0.6}};
    const double ratio[] = {1.0, 2.76, 5.40}, part_amp[] = {1.0, 0.25, 0.06}, part_tau[] = {1.6, 0.7, 0.3};
    const int chime_len = 8 * kRate;
    for (const Chime& c : chimes) {
        int start = int(c.at * kRate);
        for (int j = 0; j < chime_len; ++j) {
            double t = double(j) / kRate, onset = t < 0.01 ? t / 0.01 : 1, v = 0;
            for (int p = 0; p < 3; ++p)
                v += part_amp[p] * expo(-t / part_tau[p]) * sine(2 * kPi * c.hz * ratio[p] * t);
            out[size_t((start + j) % n)] += 0.03 * c.amp * onset * v;
        }
    }

    // About -30 dBFS RMS.
    double gain = db_to_gain(-30) / rms(out);
    for (double& v : out) v *= gain;
    return out;
}

// A bronze temple bell struck at 0.5 s: partials at the ratios of a bell's modes (hum,
// prime, tierce, quint, nominal and above), each a pair split by a fraction of a hertz
// (real bells are not perfectly round, so their modes beat), decaying the faster the
// higher they are; a short noise burst for the strike. The last 1.5 s fade to silence.
std::vector<double> bell() {
    const int n = 6 * kRate, strike = kRate / 2;
    const double f0 = 196.0;  // the prime: G3
    struct Mode { double ratio, amp, tau, split; };
    const Mode modes[] = {{0.5, 0.55, 1.30, 0.21}, {1.0, 1.00, 1.05, 0.33}, {1.19, 0.55, 0.85, 0.41},
                          {1.56, 0.30, 0.70, 0.37}, {2.0, 0.75, 0.60, 0.52}, {2.51, 0.30, 0.42, 0.61},
                          {2.66, 0.28, 0.38, 0.47}, {3.01, 0.22, 0.30, 0.73}, {4.1, 0.16, 0.18, 0.9}};
    std::vector<double> out(size_t(n), 0.0);
    Noise rng{0xB0E11B0E11ull};
    LowPass thud(2500), thud2(2500);
    for (int i = strike; i < n; ++i) {
        double t = double(i - strike) / kRate, v = 0;
        for (const Mode& m : modes) {
            double hz = f0 * m.ratio;
            double pair = 0.6 * sine(2 * kPi * hz * t) + 0.4 * sine(2 * kPi * (hz + m.split) * t + 0.5);
            v += m.amp * expo(-t / m.tau) * pair;
        }
        double onset = t < 0.0015 ? t / 0.0015 : 1;  // 1.5 ms: a strike, not a click
        double hit = t < 0.05 ? thud2(thud(rng.next())) * expo(-t / 0.006) : 0;
        out[size_t(i)] = onset * (v + 1.6 * hit);
    }
    const int fade = 3 * kRate / 2;
    for (int i = n - fade; i < n; ++i) {
        double x = double(n - 1 - i) / double(fade - 1);  // 1 -> 0
        out[size_t(i)] *= 0.5 - 0.5 * sine(kPi * x + kPi / 2);  // raised cosine: 0.5 - 0.5 cos(pi x)
    }
    double gain = db_to_gain(-3) / peak(out);
    for (double& v : out) v *= gain;
    return out;
}

// 16-bit PCM mono WAV, the 44-byte canonical header written byte by byte (little-endian).
bool write_wav(const std::filesystem::path& path, const std::vector<double>& samples) {
    std::string bytes;
    auto u32 = [&](uint32_t v) { for (int b = 0; b < 4; ++b) bytes += char((v >> (8 * b)) & 0xFF); };
    auto u16 = [&](uint16_t v) { for (int b = 0; b < 2; ++b) bytes += char((v >> (8 * b)) & 0xFF); };
    const uint32_t data_size = uint32_t(samples.size() * 2);
    bytes += "RIFF";
    u32(36 + data_size);
    bytes += "WAVEfmt ";
    u32(16);
    u16(1);                 // PCM
    u16(1);                 // mono
    u32(kRate);
    u32(kRate * 2);         // bytes per second
    u16(2);                 // block align
    u16(16);                // bits per sample
    bytes += "data";
    u32(data_size);
    for (double s : samples) {
        double v = round_half_away(s * 32767);
        v = v > 32767 ? 32767 : (v < -32768 ? -32768 : v);
        u16(uint16_t(int16_t(v)));
    }
    std::ofstream f(path, std::ios::binary);
    f.write(bytes.data(), std::streamsize(bytes.size()));
    f.close();
    return bool(f);
}

double dbfs(double x) {
    // 20 log10(x) for the report, by bisection on db_to_gain (no C library).
    if (x <= 0) return -999;
    double lo = -200, hi = 20;
    for (int i = 0; i < 60; ++i) {
        double mid = (lo + hi) / 2;
        (db_to_gain(mid) < x ? lo : hi) = mid;
    }
    return lo;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2 || argv[1][0] == '-') {
        std::fprintf(stderr, "usage: make-sounds OUT_DIR\n");
        return 2;
    }
    const std::filesystem::path out = argv[1];
    std::error_code ec;
    std::filesystem::create_directories(out, ec);
    if (ec) {
        std::fprintf(stderr, "make-sounds: error: %s: cannot create the folder (%s)\n", out.string().c_str(),
                     ec.message().c_str());
        return 1;
    }
    struct Sound { const char* name; std::vector<double> samples; };
    Sound sounds[] = {{"ambience.wav", ambience()}, {"bell.wav", bell()}};
    for (const Sound& s : sounds) {
        std::filesystem::path path = out / s.name;
        if (!write_wav(path, s.samples)) {
            std::fprintf(stderr, "make-sounds: error: %s: cannot write the file\n", path.string().c_str());
            return 1;
        }
        std::printf("make-sounds: wrote %s (%.2f s, RMS %.1f dBFS, peak %.1f dBFS)\n", path.string().c_str(),
                    double(s.samples.size()) / kRate, dbfs(rms(s.samples)), dbfs(peak(s.samples)));
    }
    return 0;
}
