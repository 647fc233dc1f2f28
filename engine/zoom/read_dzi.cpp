// Deep Zoom: NAME.dzi + NAME_files/LEVEL/COL_ROW.FORMAT, in a folder or in a zip (vips
// dzsave --container zip writes NAME/NAME.dzi and NAME/NAME_files/... into NAME.zip; a
// zip with NAME.dzi at its root works too). Deep Zoom levels count from the 1 x 1
// level (0) up; ours from the full resolution down (dzi_level()).
#include <unistd.h>
#include <zip.h>

#include <cstring>
#include <fstream>
#include <mutex>

#include "core/paths.h"
#include "zoom/readers.h"
#include "zoom/tile_codec.h"

namespace vitrine::zoom {

// ---- the XML reader ----

const std::string* XmlElement::attribute(const std::string& key) const {
    for (const auto& [k, v] : attributes)
        if (k == key) return &v;
    return nullptr;
}

namespace {

bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':' || c == '-' || c == '.';
}

bool decode_entities(const std::string& raw, std::string* out) {
    static const std::pair<const char*, char> entities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    out->clear();
    for (size_t i = 0; i < raw.size();) {
        if (raw[i] != '&') {
            out->push_back(raw[i++]);
            continue;
        }
        bool known = false;
        for (auto [text, c] : entities) {
            size_t n = std::strlen(text);
            if (raw.compare(i, n, text) == 0) {
                out->push_back(c);
                i += n;
                known = true;
                break;
            }
        }
        if (!known) return false;
    }
    return true;
}

}  // namespace

Result<std::vector<XmlElement>> parse_xml(const std::string& text, const std::string& what) {
    std::vector<XmlElement> elements;
    std::vector<int> open;
    bool root_done = false;
    size_t i = 0, n = text.size();
    auto problem = [&](const std::string& p) { return fail(what + ": " + p); };
    auto truncated = [&]() { return fail(what + ": truncated XML (the file ends inside a tag)"); };
    auto skip_space = [&]() {
        while (i < n && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    };
    auto read_name = [&]() {
        size_t start = i;
        while (i < n && is_name_char(text[i])) ++i;
        return text.substr(start, i - start);
    };
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;  // a UTF-8 byte order mark
    while (true) {
        size_t lt = text.find('<', i);
        for (size_t k = i; k < std::min(lt, n); ++k)
            if (open.empty() && !std::isspace(static_cast<unsigned char>(text[k])))
                return problem("text outside the root element");
        if (lt == std::string::npos) break;
        i = lt;
        if (text.compare(i, 4, "<!--") == 0) {
            size_t end = text.find("-->", i + 4);
            if (end == std::string::npos) return truncated();
            i = end + 3;
        } else if (text.compare(i, 2, "<?") == 0) {
            size_t end = text.find("?>", i + 2);
            if (end == std::string::npos) return truncated();
            i = end + 2;
        } else if (text.compare(i, 2, "<!") == 0) {
            size_t end = text.find('>', i + 2);
            if (end == std::string::npos) return truncated();
            i = end + 1;
        } else if (text.compare(i, 2, "</") == 0) {
            i += 2;
            std::string name = read_name();
            skip_space();
            if (i >= n) return truncated();
            if (text[i] != '>') return problem("malformed end tag </" + name + ">");
            ++i;
            if (open.empty() || elements[open.back()].name != name)
                return problem("</" + name + "> does not close " +
                               (open.empty() ? std::string("any element") : "<" + elements[open.back()].name + ">"));
            open.pop_back();
            if (open.empty()) root_done = true;
        } else {
            ++i;
            XmlElement e;
            e.name = read_name();
            if (e.name.empty()) return i >= n ? truncated() : problem("malformed tag");
            if (open.empty() && root_done) return problem("a second root element <" + e.name + ">");
            e.parent = open.empty() ? -1 : open.back();
            bool closed = false;
            while (true) {
                size_t before = i;
                skip_space();
                if (i >= n) return truncated();
                if (text[i] == '>') {
                    ++i;
                    break;
                }
                if (text.compare(i, 2, "/>") == 0) {
                    i += 2;
                    closed = true;
                    break;
                }
                if (i == before && !e.attributes.empty()) return problem("malformed attributes in <" + e.name + ">");
                std::string key = read_name();
                if (key.empty()) return i >= n ? truncated() : problem("malformed attributes in <" + e.name + ">");
                skip_space();
                if (i >= n) return truncated();
                if (text[i] != '=') return problem("attribute " + key + " of <" + e.name + "> has no value");
                ++i;
                skip_space();
                if (i >= n) return truncated();
                char quote = text[i];
                if (quote != '"' && quote != '\'') return problem("attribute " + key + " of <" + e.name + "> is not quoted");
                size_t end = text.find(quote, i + 1);
                if (end == std::string::npos) return truncated();
                std::string value;
                if (!decode_entities(text.substr(i + 1, end - i - 1), &value))
                    return problem("unknown entity in attribute " + key + " of <" + e.name + ">");
                i = end + 1;
                if (e.attribute(key)) return problem("attribute " + key + " of <" + e.name + "> given twice");
                e.attributes.emplace_back(std::move(key), std::move(value));
            }
            elements.push_back(std::move(e));
            if (!closed) open.push_back(int(elements.size()) - 1);
            else if (open.empty()) root_done = true;
        }
    }
    if (!open.empty()) return fail(what + ": truncated XML (<" + elements[open.back()].name + "> is not closed)");
    if (elements.empty()) return fail(what + ": no XML element (empty or not XML)");
    return elements;
}

Result<uint64_t> xml_number(const XmlElement& element, const std::string& key, uint64_t min, uint64_t max,
                            const std::string& what) {
    const std::string* v = element.attribute(key);
    if (!v) return fail(what + ": <" + element.name + "> has no " + key);
    uint64_t value = 0;
    bool digits = !v->empty() && v->size() <= 19;
    for (char c : *v) {
        if (c < '0' || c > '9') digits = false;
        else value = value * 10 + uint64_t(c - '0');
    }
    if (!digits) return fail(what + ": " + key + "=\"" + *v + "\" is not a whole number");
    if (value < min || value > max)
        return fail(what + ": " + key + "=" + *v + " is out of range (" + std::to_string(min) + " to " +
                    std::to_string(max) + ")");
    return value;
}

// ---- Deep Zoom ----

namespace {

struct Dzi {
    PyramidInfo info;
    std::string suffix;  // the tiles' file suffix: Format as written
};

// What the .dzi says.
Result<Dzi> parse_dzi(const std::string& text, const std::string& what) {
    auto elements = parse_xml(text, what);
    if (!elements) return elements.error();
    const XmlElement& root = elements->front();
    if (root.name != "Image") return fail(what + ": the root element is <" + root.name + ">, not a Deep Zoom <Image>");
    if (const std::string* ns = root.attribute("xmlns"); ns && ns->find("deepzoom") == std::string::npos)
        return fail(what + ": xmlns \"" + *ns + "\" is not Deep Zoom's (http://schemas.microsoft.com/deepzoom/2008)");
    const XmlElement* size = nullptr;
    for (const XmlElement& e : elements.value())
        if (e.name == "Size" && e.parent == 0) size = &e;
    if (!size) return fail(what + ": <Image> has no <Size Width=... Height=.../>");
    PyramidInfo info;
    auto tile = xml_number(root, "TileSize", 1, kMaxTileSide, what);
    if (!tile) return tile.error();
    auto overlap = xml_number(root, "Overlap", 0, (kMaxTileSide - *tile) / 2, what);
    if (!overlap) return overlap.error();
    if (*overlap > *tile)  // each tile repeats this much of its neighbours: more than a tile is no pyramid
        return fail(what + ": Overlap=" + std::to_string(*overlap) + " is larger than TileSize=" + std::to_string(*tile));
    auto width = xml_number(*size, "Width", 1, kMaxPyramidSide, what);
    if (!width) return width.error();
    auto height = xml_number(*size, "Height", 1, kMaxPyramidSide, what);
    if (!height) return height.error();
    if (auto ok = check_pyramid_size(*width, *height, what); !ok) return ok.error();
    const std::string* format = root.attribute("Format");
    if (!format) return fail(what + ": <Image> has no Format");
    if (*format == "jpeg" || *format == "jpg") info.tile_format = "jpeg";
    else if (*format == "png") info.tile_format = "png";
    else return fail(what + ": tile Format \"" + *format + "\" is not supported (jpeg, jpg or png)");
    info.width = uint32_t(*width);
    info.height = uint32_t(*height);
    info.tile_width = info.tile_height = uint32_t(*tile);
    info.overlap = uint32_t(*overlap);
    info.levels = halving_levels(info.width, info.height);
    return Dzi{std::move(info), *format};
}

// Where the tiles are (a folder or a zip) and how to read one. `suffix` is the Format
// as written in the .dzi (checked to be one of a few plain words, so a tile path can
// never leave the pyramid).
class DziPyramid : public Pyramid {
public:
    DziPyramid(PyramidInfo info, std::string suffix) : info_(std::move(info)), suffix_(std::move(suffix)) {}
    const PyramidInfo& info() const override { return info_; }
    Result<Image8> read_tile(uint32_t level, uint32_t col, uint32_t row) const override {
        std::string name = "/" + std::to_string(dzi_level(level, uint32_t(info_.levels.size()))) + "/" +
                           std::to_string(col) + "_" + std::to_string(row) + "." + suffix_;
        if (level >= info_.levels.size() || col >= columns(level) || row >= rows(level))
            return fail(info_.path + ": no tile " + name.substr(1) + " in this pyramid");
        PixelRect r = tile_pixels(level, col, row);
        return read(name, r.width, r.height);
    }

protected:
    // Reads the tile `files_name + name` (name: "/LEVEL/COL_ROW.FORMAT").
    virtual Result<Image8> read(const std::string& name, uint32_t width, uint32_t height) const = 0;
    PyramidInfo info_;
    std::string suffix_;
};

class DziFolder final : public DziPyramid {
public:
    DziFolder(PyramidInfo info, std::string suffix, std::filesystem::path files)
        : DziPyramid(std::move(info), std::move(suffix)), files_(std::move(files)) {}

private:
    Result<Image8> read(const std::string& name, uint32_t width, uint32_t height) const override {
        std::filesystem::path path = files_.string() + name;
        return read_tile_file(path, width, height, path.string());
    }
    std::filesystem::path files_;
};

// libzip handles are not thread-safe: one lock around finding and reading an entry's
// bytes; the decode runs outside it.
class DziZip final : public DziPyramid {
public:
    DziZip(PyramidInfo info, std::string suffix, zip_t* zip, std::string files)
        : DziPyramid(std::move(info), std::move(suffix)), zip_(zip), files_(std::move(files)) {}
    ~DziZip() override { zip_discard(zip_); }

private:
    Result<Image8> read(const std::string& name, uint32_t width, uint32_t height) const override {
        std::string entry = files_ + name;
        std::string what = info_.path + ":" + entry;
        std::vector<uint8_t> bytes;
        {
            std::lock_guard lock(mutex_);
            auto read = read_entry(zip_, entry, what, kMaxTileFileBytes);
            if (!read) return read.error();
            bytes = std::move(read.value());
        }
        auto tile = decode_tile(bytes.data(), bytes.size(), what);
        if (!tile) return tile;
        if (auto ok = check_tile_size(*tile, width, height, what); !ok) return ok.error();
        return tile;
    }

public:
    static Result<std::vector<uint8_t>> read_entry(zip_t* zip, const std::string& entry, const std::string& what,
                                                   uint64_t max_bytes) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat(zip, entry.c_str(), 0, &st) != 0) return fail(ErrorKind::Io, what + ": missing");
        if (!(st.valid & ZIP_STAT_SIZE) || st.size > max_bytes)
            return fail(what + ": " + std::to_string(st.size) + " bytes is too large");
        zip_file_t* f = zip_fopen(zip, entry.c_str(), 0);
        if (!f) return fail(ErrorKind::Io, what + ": cannot be opened (" + zip_strerror(zip) + ")");
        std::vector<uint8_t> bytes(st.size);
        zip_int64_t got = bytes.empty() ? 0 : zip_fread(f, bytes.data(), bytes.size());
        zip_fclose(f);
        if (got != zip_int64_t(bytes.size())) return fail(ErrorKind::Io, what + ": cannot be read (corrupt zip?)");
        return bytes;
    }

private:
    mutable std::mutex mutex_;
    zip_t* zip_;
    std::string files_;  // "NAME/NAME_files" or "NAME_files"
};

}  // namespace

Result<std::unique_ptr<Pyramid>> open_dzi(const std::string& path) {
    std::filesystem::path p(path);
    auto bytes = read_file(p, 1 << 20);
    if (!bytes) {
        std::error_code ec;
        if (!std::filesystem::exists(p, ec)) return fail(ErrorKind::Io, path + ": no such file");
        return bytes.error();
    }
    auto dzi = parse_dzi(std::string(bytes->begin(), bytes->end()), path);
    if (!dzi) return dzi.error();
    PyramidInfo* info = &dzi->info;
    info->path = path;
    info->format = PyramidFormat::Dzi;
    std::filesystem::path base = p.parent_path() / p.stem();
    if (auto ok = read_sidecar(base.string() + ".vitrine.json", info); !ok) return ok.error();
    std::filesystem::path files = base.string() + "_files";
    std::error_code ec;
    if (!std::filesystem::is_directory(files, ec))
        return fail(path + ": its tiles folder " + files.filename().string() + " is missing");
    return std::unique_ptr<Pyramid>(new DziFolder(std::move(*info), dzi->suffix, files));
}

Result<std::unique_ptr<Pyramid>> open_dzi_zip(const std::string& path) {
    int error = 0;
    auto fd = open_regular(path);  // a regular file only: a FIFO would block libzip
    if (!fd) {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) return fail(ErrorKind::Io, path + ": no such file");
        return fd.error();
    }
    zip_t* zip = zip_fdopen(*fd, 0, &error);  // read-only; owns the descriptor from here
    if (!zip) {
        ::close(*fd);
        zip_error_t e;
        zip_error_init_with_code(&e, error);
        std::string message = path + ": " + (error == ZIP_ER_NOENT ? std::string("no such file")
                                                                  : "cannot open the zip (" + std::string(zip_error_strerror(&e)) + ")");
        zip_error_fini(&e);
        return fail(error == ZIP_ER_NOENT ? ErrorKind::Io : ErrorKind::BadInput, message);
    }
    struct Discard {  // until the pyramid owns the handle
        zip_t* zip;
        ~Discard() {
            if (zip) zip_discard(zip);
        }
    } guard{zip};
    // The .dzi: NAME/NAME.dzi (vips) or NAME.dzi at the root; else the only .dzi there is.
    std::string name = std::filesystem::path(path).stem().string();
    std::string dzi;
    for (const std::string& candidate : {name + "/" + name + ".dzi", name + ".dzi"})
        if (zip_name_locate(zip, candidate.c_str(), 0) >= 0) {
            dzi = candidate;
            break;
        }
    if (dzi.empty()) {
        zip_int64_t entries = zip_get_num_entries(zip, 0);
        for (zip_int64_t k = 0; k < entries; ++k) {
            const char* entry = zip_get_name(zip, uint64_t(k), 0);
            std::string e = entry ? entry : "";
            if (e.size() > 4 && e.compare(e.size() - 4, 4, ".dzi") == 0) {
                if (!dzi.empty()) return fail(path + ": more than one .dzi inside (" + dzi + ", " + e + ")");
                dzi = e;
            }
        }
    }
    if (dzi.empty()) return fail(path + ": no .dzi inside (expected " + name + "/" + name + ".dzi, as vips dzsave --container zip writes)");
    std::string what = path + ":" + dzi;
    auto bytes = DziZip::read_entry(zip, dzi, what, 1 << 20);
    if (!bytes) return bytes.error();
    auto parsed = parse_dzi(std::string(bytes->begin(), bytes->end()), what);
    if (!parsed) return parsed.error();
    PyramidInfo* info = &parsed->info;
    info->path = path;
    info->format = PyramidFormat::DziZip;
    std::string base = dzi.substr(0, dzi.size() - 4);
    if (auto side = DziZip::read_entry(zip, base + ".vitrine.json", what, 1 << 20)) {
        if (auto ok = parse_sidecar(std::string(side->begin(), side->end()), path + ":" + base + ".vitrine.json",
                                    info);
            !ok)
            return ok.error();
    } else {
        std::filesystem::path p(path);
        if (auto ok = read_sidecar((p.parent_path() / p.stem()).string() + ".vitrine.json", info); !ok)
            return ok.error();
    }
    guard.zip = nullptr;
    return std::unique_ptr<Pyramid>(new DziZip(std::move(*info), parsed->suffix, zip, base + "_files"));
}

}  // namespace vitrine::zoom
