// PNG through libpng, row by row: 1/2/4/8/16-bit grey, grey + alpha, RGB, RGBA and
// palette images come out as RGB8 (RGBA8 when the file has alpha or a transparent
// colour; 16-bit samples rounded, not truncated). Interlaced files cannot be read a row
// at a time: those up to kMaxInterlacedPixels are decoded whole, larger ones refused.
#include <png.h>

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstring>

#include "core/log.h"
#include "core/paths.h"
#include "zoom/source.h"

namespace vitrine::zoom {
namespace {

constexpr uint64_t kMaxInterlacedPixels = uint64_t(64) << 20;

void on_error(png_structp png, png_const_charp message) {
    auto* text = static_cast<std::string*>(png_get_error_ptr(png));
    *text = message ? message : "unknown libpng error";
    png_longjmp(png, 1);
}
void on_warning(png_structp, png_const_charp) {}

class PngSource final : public Source {
public:
    ~PngSource() override {
        if (png_) png_destroy_read_struct(&png_, &png_info_, nullptr);
        if (file_) std::fclose(file_);
    }

    explicit PngSource(bool allow_truncated) : allow_truncated_(allow_truncated) {}

    Result<void> open(const std::string& path) {
        info_.path = path;
        info_.format = "PNG";
        auto file = fopen_regular(path);  // a regular file only: never a FIFO or a device
        if (!file) return file.error();
        file_ = *file;
        png_ = png_create_read_struct(PNG_LIBPNG_VER_STRING, &message_, on_error, on_warning);
        if (!png_) return fail(path + ": libpng could not start");
        png_info_ = png_create_info_struct(png_);
        if (!png_info_) return fail(path + ": libpng could not start");
        uint32_t width = 0, height = 0;
        if (!header(&width, &height)) return fail(path + ": " + message_);
        std::string bad = check_source_size(path, width, height);
        if (!bad.empty()) return fail(bad);
        info_.width = width;
        info_.height = height;
        if (interlaced_) {
            if (uint64_t(width) * height > kMaxInterlacedPixels)
                return fail(path + ": an interlaced PNG this large cannot be read row by row "
                                   "(save it without interlacing, e.g. vips copy in.png out.png)");
            whole_.resize(size_t(width) * height * info_.channels);
            if (!read_whole()) {
                if (!allow_truncated_) return fail(path + ": " + why(0));
                cut_short(0);
            }
        }
        return {};
    }

    Result<void> read_rows(uint8_t* rows, size_t stride, uint32_t count) override {
        VITRINE_CHECK(next_row_ + count <= info_.height);
        size_t row_bytes = size_t(info_.width) * info_.channels;
        if (interlaced_) {
            for (uint32_t i = 0; i < count; ++i)
                std::memcpy(rows + stride * i, whole_.data() + row_bytes * (next_row_ + i), row_bytes);
        } else if (broken_) {  // --allow-truncated: libpng stopped; the rest is black
            for (uint32_t i = 0; i < count; ++i) std::memset(rows + stride * i, 0, row_bytes);
        } else if (uint32_t done = 0; !scan(rows, stride, count, &done)) {
            if (!allow_truncated_) return fail(info_.path + ": " + why(next_row_ + done));
            cut_short(next_row_ + done);
            for (uint32_t i = done; i < count; ++i) std::memset(rows + stride * i, 0, row_bytes);
        }
        next_row_ += count;
        return {};
    }

private:
    bool header(uint32_t* width, uint32_t* height) {
        if (setjmp(png_jmpbuf(png_))) return false;
        png_init_io(png_, file_);
        png_set_user_limits(png_, kMaxSourceSide, kMaxSourceSide);
        png_read_info(png_, png_info_);
        png_uint_32 w = 0, h = 0;
        int depth = 0, colour = 0, interlace = 0;
        png_get_IHDR(png_, png_info_, &w, &h, &depth, &colour, &interlace, nullptr, nullptr);
        bool alpha = (colour & PNG_COLOR_MASK_ALPHA) || png_get_valid(png_, png_info_, PNG_INFO_tRNS);
        png_set_expand(png_);  // palette to RGB, grey < 8 bit to 8, tRNS to alpha
        if (depth == 16) png_set_scale_16(png_);
        if (!(colour & PNG_COLOR_MASK_COLOR)) png_set_gray_to_rgb(png_);
        interlaced_ = interlace != PNG_INTERLACE_NONE;
        if (interlaced_) passes_ = png_set_interlace_handling(png_);
        png_read_update_info(png_, png_info_);
        info_.channels = alpha ? 4 : 3;
        VITRINE_CHECK(png_get_rowbytes(png_, png_info_) == size_t(w) * info_.channels);
        png_charp name = nullptr;
        png_bytep profile = nullptr;
        png_uint_32 size = 0;
        int method = 0;
        if (png_get_iCCP(png_, png_info_, &name, &method, &profile, &size) && profile && size)
            info_.icc.assign(profile, profile + size);
        *width = w;
        *height = h;
        return true;
    }

    // `done`: the rows read before an error.
    bool scan(uint8_t* rows, size_t stride, uint32_t count, uint32_t* done) {
        if (setjmp(png_jmpbuf(png_))) return false;
        for (uint32_t i = 0; i < count; ++i, ++*done) png_read_row(png_, rows + stride * i, nullptr);
        return true;
    }

    // libpng's message; when the file ended there, a file cut short and what to do about it.
    std::string why(uint32_t row) const {
        std::string at = " (row " + std::to_string(row) + ")";
        if (!file_ || !std::feof(file_)) return message_ + at;
        return "truncated: the data ends at row " + std::to_string(row) + " of " + std::to_string(info_.height) +
               " (libpng: " + message_ + "); build it anyway, the rest black, with --allow-truncated";
    }

    void cut_short(uint32_t row) {
        broken_ = true;
        log::warn(info_.path + ": " + message_ + " at row " + std::to_string(row) + " of " + std::to_string(info_.height) +
                  "; built anyway (--allow-truncated): the rest is black");
    }

    bool read_whole() {
        if (setjmp(png_jmpbuf(png_))) return false;
        size_t row_bytes = size_t(info_.width) * info_.channels;
        for (int pass = 0; pass < passes_; ++pass)
            for (uint32_t y = 0; y < info_.height; ++y) png_read_row(png_, whole_.data() + row_bytes * y, nullptr);
        return true;
    }

    png_structp png_ = nullptr;
    png_infop png_info_ = nullptr;
    std::FILE* file_ = nullptr;
    std::string message_;
    bool interlaced_ = false;
    bool allow_truncated_ = false, broken_ = false;
    int passes_ = 1;
    std::vector<uint8_t> whole_;
    uint32_t next_row_ = 0;
};

}  // namespace

Result<std::unique_ptr<Source>> open_png_source(const std::string& path, bool allow_truncated) {
    auto source = std::make_unique<PngSource>(allow_truncated);
    if (auto r = source->open(path); !r) return r.error();
    return std::unique_ptr<Source>(std::move(source));
}

}  // namespace vitrine::zoom
