// JPEG through libjpeg's scanline API: rows are decoded as they are asked for, so only
// libjpeg's own buffers (an iMCU row; a progressive file's coefficients) are held.
#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstring>

// jpeglib.h needs size_t and FILE declared first.
#include <jpeglib.h>
#include <jerror.h>

#include "core/paths.h"
#include "core/log.h"
#include "zoom/source.h"

namespace vitrine::zoom {
namespace {

struct JpegError {
    jpeg_error_mgr mgr;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX] = {};
    bool warned = false;
    bool allow_truncated = false;
    bool truncated = false;  // the data ended before the image did
    std::string path;
};

[[noreturn]] void on_error(j_common_ptr cinfo) {
    auto* e = reinterpret_cast<JpegError*>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, e->message);
    std::longjmp(e->jump, 1);
}

// A truncated file is only a warning to libjpeg (it fills the rest with grey): the end
// of the file before the end of the image (JWRN_JPEG_EOF), or an end marker in the
// middle of the data (JWRN_HIT_MARKER: a JPEG whose header claims more rows than it
// holds). Here it is an error, so a cut-off download never becomes a pyramid that
// looks complete, unless --allow-truncated asked for it.
void on_message(j_common_ptr cinfo, int level) {
    auto* e = reinterpret_cast<JpegError*>(cinfo->err);
    if (level >= 0) return;  // trace messages
    const int code = cinfo->err->msg_code;
    if (code == JWRN_JPEG_EOF || code == JWRN_HIT_MARKER) {
        if (!e->allow_truncated) {
            e->truncated = true;
            on_error(cinfo);
        }
        if (!e->truncated) {
            char text[JMSG_LENGTH_MAX];
            (*cinfo->err->format_message)(cinfo, text);
            log::warn(e->path + ": truncated (" + text + "); built anyway (--allow-truncated): the missing rows are grey");
        }
        e->truncated = true;
        e->warned = true;
        return;
    }
    if (!e->warned) {
        char text[JMSG_LENGTH_MAX];
        (*cinfo->err->format_message)(cinfo, text);
        log::warn(std::string("JPEG data: ") + text);
        e->warned = true;
    }
}

class JpegSource final : public Source {
public:
    ~JpegSource() override {
        if (created_) jpeg_destroy_decompress(&cinfo_);
        if (file_) std::fclose(file_);
    }

    // Two steps so that nothing with a destructor lives across setjmp.
    explicit JpegSource(bool allow_truncated) { error_.allow_truncated = allow_truncated; }

    Result<void> open(const std::string& path) {
        info_.path = path;
        info_.format = "JPEG";
        error_.path = path;
        auto file = fopen_regular(path);  // a regular file only: never a FIFO or a device
        if (!file) return file.error();
        file_ = *file;
        cinfo_.err = jpeg_std_error(&error_.mgr);
        error_.mgr.error_exit = on_error;
        error_.mgr.emit_message = on_message;
        jpeg_create_decompress(&cinfo_);
        created_ = true;
        if (!header()) return fail(path + ": " + why());
        if (cinfo_.jpeg_color_space == JCS_CMYK || cinfo_.jpeg_color_space == JCS_YCCK)
            return fail(path + ": a CMYK JPEG (convert it to RGB first, e.g. with vips icc_transform)");
        std::string bad = check_source_size(path, cinfo_.image_width, cinfo_.image_height);
        if (!bad.empty()) return fail(bad);
        info_.width = cinfo_.image_width;
        info_.height = cinfo_.image_height;
        info_.channels = 3;
        if (!start(&info_.icc)) return fail(path + ": " + why());
        return {};
    }

    Result<void> read_rows(uint8_t* rows, size_t stride, uint32_t count) override {
        VITRINE_CHECK(cinfo_.output_scanline + count <= cinfo_.output_height);
        if (!scan(rows, stride, count))
            return fail(info_.path + ": " + why() + " (row " + std::to_string(cinfo_.output_scanline) + ")");
        return {};
    }

private:
    // libjpeg's message; for a file cut short, what to do about it.
    std::string why() const {
        if (!error_.truncated) return error_.message;
        return std::string("truncated: ") + error_.message +
               "; the image data ends before its last row (build it anyway, the rest grey, with --allow-truncated)";
    }

    bool header() {
        if (setjmp(error_.jump)) return false;
        jpeg_stdio_src(&cinfo_, file_);
        jpeg_save_markers(&cinfo_, JPEG_APP0 + 2, 0xFFFF);  // ICC profile chunks
        jpeg_read_header(&cinfo_, TRUE);
        return true;
    }

    bool start(std::vector<uint8_t>* icc) {
        if (setjmp(error_.jump)) return false;
        JOCTET* profile = nullptr;
        unsigned size = 0;
        if (jpeg_read_icc_profile(&cinfo_, &profile, &size) && profile) {
            icc->assign(profile, profile + size);
            std::free(profile);
        }
        cinfo_.out_color_space = JCS_EXT_RGB;  // grey is expanded by libjpeg-turbo
        jpeg_start_decompress(&cinfo_);
        return true;
    }

    bool scan(uint8_t* rows, size_t stride, uint32_t count) {
        if (setjmp(error_.jump)) return false;
        uint32_t done = 0;
        JSAMPROW pointers[16];
        while (done < count) {
            uint32_t n = std::min<uint32_t>(count - done, 16);
            for (uint32_t i = 0; i < n; ++i) pointers[i] = rows + stride * (done + i);
            done += jpeg_read_scanlines(&cinfo_, pointers, n);
        }
        if (cinfo_.output_scanline == cinfo_.output_height) jpeg_finish_decompress(&cinfo_);
        return true;
    }

    jpeg_decompress_struct cinfo_ = {};
    JpegError error_;
    std::FILE* file_ = nullptr;
    bool created_ = false;
};

}  // namespace

Result<std::unique_ptr<Source>> open_jpeg_source(const std::string& path, bool allow_truncated) {
    auto source = std::make_unique<JpegSource>(allow_truncated);
    if (auto r = source->open(path); !r) return r.error();
    return std::unique_ptr<Source>(std::move(source));
}

}  // namespace vitrine::zoom
