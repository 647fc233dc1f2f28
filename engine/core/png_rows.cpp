#include "core/png_rows.h"

#include <fcntl.h>
#include <unistd.h>

#include "core/outputs.h"

#include <png.h>

#include <cerrno>
#include <csetjmp>
#include <cstring>
#include <string>
#include <system_error>

namespace vitrine {

// libpng reports errors by calling error_fn, which must not return: it records the
// message and longjmps back to the setjmp in the helper that made the call. The
// helpers below are plain C-style functions holding no C++ objects with destructors.
constexpr size_t kMessageSize = 256;

struct PngRows::State {
    FILE* file = nullptr;
    png_structp png = nullptr;
    png_infop info = nullptr;
    char message[kMessageSize] = {};  // libpng's last error
    bool failed = false;
    std::string error;  // the first failure, repeated by every later call
};

static void on_png_error(png_structp png, png_const_charp message) {
    auto* buffer = static_cast<char*>(png_get_error_ptr(png));  // State::message
    std::snprintf(buffer, kMessageSize, "%s", message ? message : "libpng error");
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp, png_const_charp) {}  // nothing a caller could act on

static bool start_png(png_structp png, png_infop info, FILE* file, uint32_t width, uint32_t height) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_init_io(png, file);
    png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    // As write_png (core/image.cpp): zlib level 1 and the Up filter, for speed.
    png_set_compression_level(png, 1);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
    png_write_info(png, info);
    return true;
}

static bool write_png_rows(png_structp png, const uint8_t* rgba, uint32_t rows, size_t stride) {
    if (setjmp(png_jmpbuf(png))) return false;
    for (uint32_t y = 0; y < rows; ++y) png_write_row(png, rgba + size_t(y) * stride);
    return true;
}

static bool end_png(png_structp png, png_infop info) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_write_end(png, info);
    return true;
}

// Releases libpng and the file; removes the partial file when asked.
static void release(png_structp& png, png_infop& info, FILE*& file, const std::filesystem::path& partial, bool remove) {
    if (png) png_destroy_write_struct(&png, info ? &info : nullptr);
    png = nullptr;
    info = nullptr;
    if (file) std::fclose(file);
    file = nullptr;
    if (remove) {
        std::error_code ec;
        std::filesystem::remove(partial, ec);
    }
}

Result<std::unique_ptr<PngRows>> PngRows::create(const std::filesystem::path& path, uint32_t width, uint32_t height) {
    std::string name = path.string();
    if (width == 0 || height == 0)
        return fail(name + ": cannot write a PNG of " + std::to_string(width) + "x" + std::to_string(height) +
                    " pixels");
    if (auto ok = outputs::check(path, outputs::Kind::Png); !ok) return ok.error();
    std::unique_ptr<PngRows> out(new PngRows());
    out->path_ = path;
    out->partial_ = outputs::temporary_beside(path);
    out->width_ = width;
    out->height_ = height;
    out->state_ = std::make_unique<State>();
    State& s = *out->state_;

    int fd = ::open(out->partial_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);  // never over anything
    s.file = fd >= 0 ? ::fdopen(fd, "wb") : nullptr;
    if (!s.file) {
        if (fd >= 0) ::close(fd), std::filesystem::remove(out->partial_);
        std::string why = std::strerror(errno);
        return fail(ErrorKind::Io, name + ": cannot create " + out->partial_.string() + " (" + why + ")");
    }
    s.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, s.message, on_png_error, on_png_warning);
    if (s.png) s.info = png_create_info_struct(s.png);
    if (!s.png || !s.info) {
        release(s.png, s.info, s.file, out->partial_, true);
        return fail(ErrorKind::Io, name + ": cannot start a PNG (out of memory)");
    }
    if (!start_png(s.png, s.info, s.file, width, height)) {
        std::string why = s.message;
        release(s.png, s.info, s.file, out->partial_, true);
        return fail(ErrorKind::Io, name + ": cannot write PNG header (" + why + ")");
    }
    return out;
}

PngRows::~PngRows() {
    if (state_) release(state_->png, state_->info, state_->file, partial_, !finished_);
}

Result<void> PngRows::write(const uint8_t* rgba, uint32_t rows) {
    State& s = *state_;
    std::string name = path_.string();
    if (s.failed) return fail(ErrorKind::Io, s.error);
    if (finished_) return fail(name + ": rows written after finish()");
    if (rows > height_ - written_)
        return fail(name + ": " + std::to_string(rows) + " rows given after " + std::to_string(written_) + " of " +
                    std::to_string(height_) + "; too many");
    if (rows == 0) return {};
    if (!write_png_rows(s.png, rgba, rows, size_t(width_) * 4)) {
        s.failed = true;
        s.error = name + ": cannot write PNG rows (" + std::string(s.message) + "; disk full?)";
        release(s.png, s.info, s.file, partial_, true);
        return fail(ErrorKind::Io, s.error);
    }
    written_ += rows;
    return {};
}

Result<void> PngRows::finish() {
    State& s = *state_;
    std::string name = path_.string();
    if (s.failed) return fail(ErrorKind::Io, s.error);
    if (finished_) return fail(name + ": finish() called twice");
    if (written_ != height_)
        return fail(name + ": finish() after " + std::to_string(written_) + " of " + std::to_string(height_) + " rows");
    bool ok = end_png(s.png, s.info);
    std::string why = ok ? "" : std::string(s.message) + "; ";
    png_destroy_write_struct(&s.png, &s.info);
    s.png = nullptr;
    s.info = nullptr;
    // fclose flushes stdio's buffer: a full disk may only show here.
    int flushed = std::fflush(s.file);
    int closed = std::fclose(s.file);
    s.file = nullptr;
    if (!ok || flushed != 0 || closed != 0) {
        s.failed = true;
        s.error = name + ": cannot write PNG (" + why + "disk full?)";
        release(s.png, s.info, s.file, partial_, true);
        return fail(ErrorKind::Io, s.error);
    }
    std::error_code ec;
    if (auto again = outputs::check(path_, outputs::Kind::Png); !again) {  // it may have changed meanwhile
        s.failed = true;
        s.error = again.error().message;
        release(s.png, s.info, s.file, partial_, true);
        return fail(s.error);
    }
    std::filesystem::rename(partial_, path_, ec);
    if (ec) {
        s.failed = true;
        s.error = name + ": cannot rename " + partial_.string() + " into place (" + ec.message() + ")";
        release(s.png, s.info, s.file, partial_, true);
        return fail(ErrorKind::Io, s.error);
    }
    finished_ = true;
    return {};
}

}  // namespace vitrine
