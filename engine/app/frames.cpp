#include "app/frames.h"

#include <unistd.h>

#include <cctype>
#include <cstdio>

#include "core/paths.h"

namespace vitrine::app {

// "%05d"-style frame numbers in --out: one integer conversion, "%%" for a percent sign.
Result<std::string> frame_path(const std::string& pattern, long index, bool* numbered) {
    std::string out;
    int conversions = 0;
    for (size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] != '%') {
            out += pattern[i];
            continue;
        }
        if (i + 1 < pattern.size() && pattern[i + 1] == '%') {
            out += '%';
            ++i;
            continue;
        }
        size_t j = i + 1;
        bool zero = j < pattern.size() && pattern[j] == '0';
        if (zero) ++j;
        int width = 0;
        while (j < pattern.size() && isdigit(static_cast<unsigned char>(pattern[j])) && width < 100)
            width = width * 10 + (pattern[j++] - '0');
        if (j >= pattern.size() || pattern[j] != 'd' || width > 20)
            return fail("--out '" + pattern + "': only a frame number like %05d may follow '%' (use %% for a percent sign)");
        char buf[32];
        std::snprintf(buf, sizeof buf, zero ? "%0*ld" : "%*ld", width, index);
        out += buf;
        ++conversions;
        i = j;
    }
    if (conversions > 1) return fail("--out '" + pattern + "' has more than one frame number");
    *numbered = conversions == 1;
    return out;
}

void progress(long done, long total, std::chrono::steady_clock::time_point start) {
    if (!isatty(STDERR_FILENO) || total < 2) return;
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double eta = done > 0 ? elapsed / double(done) * double(total - done) : 0;
    int bar = int(30 * done / total);
    std::fprintf(stderr, "\r[%.*s%*s] %ld/%ld frames, %.0f s left   ", bar, "##############################",
                 30 - bar, "", done, total, eta);
    if (done == total) std::fputc('\n', stderr);
    std::fflush(stderr);
}

Result<std::vector<show::Input>> read_inputs(const std::string& path) {
    auto bytes = read_file(path, 16u << 20);
    if (!bytes) return bytes.error();
    std::vector<show::Problem> problems;
    auto inputs = show::parse_inputs(path, std::string(bytes->begin(), bytes->end()), problems);
    if (!problems.empty()) {
        for (size_t i = 0; i + 1 < problems.size(); ++i) std::fprintf(stderr, "%s\n", problems[i].str().c_str());
        return fail(problems.back().str());
    }
    return inputs;
}


}  // namespace vitrine::app
