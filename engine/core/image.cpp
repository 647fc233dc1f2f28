#include "core/image.h"

#include <png.h>
#include <stb_image.h>

#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <memory>

#include "core/paths.h"

namespace vitrine {

namespace {

// stb_image decodes a JPEG cut short without a word (the missing blocks grey). Its
// entropy-coded data cannot hold the end marker FF D9 (an FF there is stuffed FF 00), so
// a JPEG is whole only when FF D9 follows its first scan's start (FF DA).
bool jpeg_cut_short(const uint8_t* bytes, size_t size) {
    if (size < 3 || bytes[0] != 0xFF || bytes[1] != 0xD8 || bytes[2] != 0xFF) return false;
    size_t i = 2;  // marker segments up to the first scan (their payloads may hold a thumbnail's markers)
    while (i + 3 < size && bytes[i] == 0xFF && bytes[i + 1] != 0xDA) {
        if (bytes[i + 1] == 0xFF) {  // fill bytes
            ++i;
            continue;
        }
        i += 2 + (size_t(bytes[i + 2]) << 8 | bytes[i + 3]);
    }
    if (i + 1 >= size || bytes[i] != 0xFF) return i + 1 >= size;  // ends in the header; odd layouts: stb decides
    for (; i + 1 < size; ++i)
        if (bytes[i] == 0xFF && bytes[i + 1] == 0xD9) return false;
    return true;
}

}  // namespace

Result<Image8> decode_image(const uint8_t* bytes, size_t size, const std::string& what) {
    if (size > size_t(INT32_MAX)) return fail(what + ": image is too large");
    if (jpeg_cut_short(bytes, size)) return fail(what + ": truncated JPEG (the data ends before its end marker)");
    int w = 0, h = 0, comp = 0;
    if (!stbi_info_from_memory(bytes, int(size), &w, &h, &comp))
        return fail(what + ": not a decodable image (" + std::string(stbi_failure_reason()) + ")");
    if (w <= 0 || h <= 0 || uint32_t(w) > kMaxImageSide || uint32_t(h) > kMaxImageSide)
        return fail(what + ": image is " + std::to_string(w) + "x" + std::to_string(h) +
                    ", larger than " + std::to_string(kMaxImageSide) + " pixels on a side");
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
        stbi_load_from_memory(bytes, int(size), &w, &h, &comp, 4), stbi_image_free);
    if (!pixels) return fail(what + ": image decode failed (" + std::string(stbi_failure_reason()) + ")");
    Image8 img;
    img.width = uint32_t(w);
    img.height = uint32_t(h);
    img.rgba.assign(pixels.get(), pixels.get() + size_t(w) * size_t(h) * 4);
    return img;
}

bool image_size(const uint8_t* bytes, size_t size, uint32_t* width, uint32_t* height) {
    // PNG's IHDR directly: stb refuses sides past 2^24 without saying how large.
    if (size >= 24 && std::memcmp(bytes, "\x89PNG\r\n\x1a\n", 8) == 0 && std::memcmp(bytes + 12, "IHDR", 4) == 0) {
        auto be32 = [](const uint8_t* p) { return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3]; };
        *width = be32(bytes + 16);
        *height = be32(bytes + 20);
        return true;
    }
    int w = 0, h = 0, comp = 0;
    if (size > size_t(INT32_MAX) || !stbi_info_from_memory(bytes, int(size), &w, &h, &comp)) return false;
    *width = uint32_t(w);
    *height = uint32_t(h);
    return true;
}

Result<Image8> read_png(const std::filesystem::path& path) {
    auto bytes = read_file(path, uint64_t(1) << 30);
    if (!bytes) return bytes.error();
    return decode_image(bytes->data(), bytes->size(), path.string());
}

namespace {

// Radiance RGBE (.hdr) decoded here, not by stb_image: stb 2.27 loops forever on a
// truncated run-length scanline (a run of length 0 read past the end). Every read is
// checked against the end of the data, so a cut file is refused, never waited on.
// Pixels equal stb's: mantissa * 2^(exponent - 136), alpha 1.
class HdrReader {
public:
    HdrReader(const uint8_t* bytes, size_t size, std::string what) : p_(bytes), end_(bytes + size), what_(std::move(what)) {}

    Result<ImageF> read() {
        std::string magic;
        if (!line(&magic) || (magic != "#?RADIANCE" && magic != "#?RGBE"))
            return fail(what_ + ": not a Radiance HDR image (no #?RADIANCE line)");
        bool rgbe = false;
        for (;;) {
            std::string l;
            if (!line(&l)) return fail(what_ + ": truncated HDR image (the header never ends)");
            if (l.empty()) break;
            if (l == "FORMAT=32-bit_rle_rgbe") rgbe = true;
            else if (l.rfind("FORMAT=", 0) == 0) return fail(what_ + ": HDR " + l + " is not supported (32-bit_rle_rgbe is)");
        }
        if (!rgbe) return fail(what_ + ": not an RGBE HDR image (no FORMAT=32-bit_rle_rgbe)");
        std::string res;
        if (!line(&res)) return fail(what_ + ": truncated HDR image (no resolution line)");
        unsigned long h = 0, w = 0;
        char extra = 0;
        int got = std::sscanf(res.c_str(), "-Y %lu +X %lu%c", &h, &w, &extra);
        if (got < 2 || (got == 3 && extra != ' ' && extra != '\r' && extra != '\t'))
            return fail(what_ + ": HDR resolution \"" + res.substr(0, 40) + "\" is not supported (\"-Y H +X W\" is)");
        if (w == 0 || h == 0 || w > kMaxImageSide || h > kMaxImageSide)
            return fail(what_ + ": HDR image is " + std::to_string(w) + "x" + std::to_string(h) + ", not 1 to " +
                        std::to_string(kMaxImageSide) + " pixels on a side");
        ImageF img;
        img.width = uint32_t(w);
        img.height = uint32_t(h);
        img.rgba.resize(size_t(w) * h * 4);
        std::vector<uint8_t> scan(size_t(w) * 4);
        bool flat = w < 8 || w >= 32768;  // run-length encoding needs 8 to 32767 pixels a row
        for (uint32_t y = 0; y < img.height; ++y) {
            if (!flat) {
                if (end_ - p_ < 4) return truncated(y);
                if (p_[0] != 2 || p_[1] != 2 || (p_[2] & 0x80)) flat = true;  // the rest is flat pixels
            }
            if (flat) {
                if (size_t(end_ - p_) < scan.size()) return truncated(y);
                std::memcpy(scan.data(), p_, scan.size());
                p_ += scan.size();
            } else {
                uint32_t len = uint32_t(p_[2]) << 8 | p_[3];
                p_ += 4;
                if (len != w)
                    return fail(what_ + ": corrupt HDR image (row " + std::to_string(y) + " claims " + std::to_string(len) +
                                " pixels, the image is " + std::to_string(w) + " wide)");
                for (int c = 0; c < 4; ++c) {
                    for (uint32_t x = 0; x < w;) {
                        if (p_ == end_) return truncated(y);
                        uint32_t count = *p_++;
                        bool run = count > 128;
                        if (run) count -= 128;
                        if (count == 0 || count > w - x)
                            return fail(what_ + ": corrupt HDR image (a run of " + std::to_string(count) + " pixels in row " +
                                        std::to_string(y) + ")");
                        if (size_t(end_ - p_) < (run ? 1 : count)) return truncated(y);
                        for (uint32_t k = 0; k < count; ++k) scan[size_t(x + k) * 4 + size_t(c)] = run ? *p_ : p_[k];
                        p_ += run ? 1 : count;
                        x += count;
                    }
                }
            }
            float* out = img.rgba.data() + size_t(y) * w * 4;
            for (uint32_t x = 0; x < w; ++x) {
                const uint8_t* e = &scan[size_t(x) * 4];
                float f = e[3] ? float(std::ldexp(1.0f, int(e[3]) - 136)) : 0.0f;
                for (int c = 0; c < 3; ++c) out[x * 4 + uint32_t(c)] = e[3] ? float(e[c]) * f : 0.0f;
                out[x * 4 + 3] = 1.0f;
            }
        }
        return img;
    }

private:
    const uint8_t* p_;
    const uint8_t* end_;
    std::string what_;

    // A header line (without its newline); false at the end of the data.
    bool line(std::string* out) {
        const uint8_t* nl = static_cast<const uint8_t*>(std::memchr(p_, '\n', size_t(end_ - p_)));
        if (!nl) return false;
        if (nl - p_ > 4096) return false;
        out->assign(reinterpret_cast<const char*>(p_), size_t(nl - p_));
        p_ = nl + 1;
        return true;
    }

    Error truncated(uint32_t y) {
        return fail(what_ + ": truncated HDR image (the pixel data ends in row " + std::to_string(y) + ")");
    }
};

}  // namespace

Result<ImageF> decode_hdr(const uint8_t* bytes, size_t size, const std::string& what) {
    auto img = HdrReader(bytes, size, what).read();
    if (!img) return img;
    for (size_t i = 0; i < img->rgba.size(); ++i)
        if (!(img->rgba[i] >= 0.0f && img->rgba[i] < 65504.0f)) img->rgba[i] = i % 4 == 3 ? 1.0f : 0.0f;
    return img;
}

Result<ImageF> read_hdr(const std::filesystem::path& path) {
    auto bytes = read_file(path, uint64_t(1) << 30);
    if (!bytes) return bytes.error();
    return decode_hdr(bytes->data(), bytes->size(), path.string());
}

// libpng, not stb: with the Up filter and zlib level 1 a 1080p frame encodes in ~30 ms
// instead of ~200 ms, and the files are smaller. libpng reports errors by longjmp, so
// this frame holds no C++ objects with destructors between setjmp and the calls.
static bool encode_png(FILE* file, const Image8& image) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    if (!png) return false;
    png_infop info = png_create_info_struct(png);
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, info ? &info : nullptr);
        return false;
    }
    png_init_io(png, file);
    png_set_IHDR(png, info, image.width, image.height, 8, PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 1);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
    png_write_info(png, info);
    for (uint32_t y = 0; y < image.height; ++y) png_write_row(png, image.rgba.data() + size_t(y) * image.width * 4);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return true;
}

Result<void> write_png(outputs::OutputFile& out, const Image8& image) {
    if (image.width == 0 || image.height == 0 || image.rgba.size() != size_t(image.width) * image.height * 4)
        return fail(out.path().string() + ": refusing to write an empty or malformed image");
    if (!out.stream() || !encode_png(out.stream(), image)) {
        out.discard();
        return fail(ErrorKind::Io, out.path().string() + ": cannot write PNG (disk full?)");
    }
    return {};
}

Result<void> write_png(const std::filesystem::path& path, const Image8& image) {
    auto out = outputs::OutputFile::create(path, outputs::Kind::Png);
    if (!out) return out.error();
    if (auto r = write_png(*out, image); !r) return r;
    return out->commit();
}

}  // namespace vitrine
