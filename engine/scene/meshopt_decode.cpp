#include "scene/meshopt_decode.h"

#include <cstring>

#include <meshoptimizer.h>

#include "core/paths.h"

namespace vitrine::scene {

namespace {
const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr uint64_t kMaxDecoded = uint64_t(1) << 31;
}  // namespace

Result<std::vector<uint8_t>> base64_decode(const std::string& text) {
    std::vector<uint8_t> out;
    out.reserve(text.size() * 3 / 4);
    uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        if (c == '=') break;
        const char* p = std::strchr(kAlphabet, c);
        if (!p || !c) return fail("invalid base64 data");
        acc = (acc << 6) | uint32_t(p - kAlphabet);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(uint8_t(acc >> bits));
        }
    }
    return out;
}

std::string base64_encode(const std::vector<uint8_t>& b) {
    std::string out;
    out.reserve((b.size() + 2) / 3 * 4);
    for (size_t i = 0; i < b.size(); i += 3) {
        uint32_t v = uint32_t(b[i]) << 16 | (i + 1 < b.size() ? uint32_t(b[i + 1]) << 8 : 0) | (i + 2 < b.size() ? b[i + 2] : 0);
        out += kAlphabet[v >> 18 & 63];
        out += kAlphabet[v >> 12 & 63];
        out += i + 1 < b.size() ? kAlphabet[v >> 6 & 63] : '=';
        out += i + 2 < b.size() ? kAlphabet[v & 63] : '=';
    }
    return out;
}

static uint64_t get_u64(const nlohmann::json& o, const char* key, uint64_t fallback) {
    if (!o.contains(key)) return fallback;
    const auto& v = o[key];
    return v.is_number_unsigned() ? v.get<uint64_t>() : v.is_number_integer() && v.get<int64_t>() >= 0 ? uint64_t(v.get<int64_t>()) : UINT64_MAX;
}

Result<bool> decode_meshopt(nlohmann::json& j, const std::vector<uint8_t>* glb_bin, const std::filesystem::path& root) {
    if (!j.is_object() || !j.contains("bufferViews") || !j["bufferViews"].is_array() || !j.contains("buffers") ||
        !j["buffers"].is_array())
        return false;
    auto& buffers = j["buffers"];
    auto& views = j["bufferViews"];
    bool any = false;
    for (auto& v : views)
        if (v.is_object() && v.contains("extensions") && v["extensions"].is_object() && v["extensions"].contains("EXT_meshopt_compression"))
            any = true;
    if (!any) return false;

    // Source buffers are loaded on first use.
    std::vector<std::vector<uint8_t>> sources(buffers.size());
    std::vector<bool> loaded(buffers.size(), false);
    auto source = [&](uint64_t index) -> Result<const std::vector<uint8_t>*> {
        if (index >= buffers.size() || !buffers[index].is_object()) return fail("EXT_meshopt_compression refers to a missing buffer");
        if (!loaded[index]) {
            const auto& b = buffers[index];
            if (b.contains("uri") && b["uri"].is_string()) {
                std::string uri = b["uri"].get<std::string>();
                if (uri.rfind("data:", 0) == 0) {
                    size_t comma = uri.find(";base64,");
                    if (comma == std::string::npos) return fail("buffer " + std::to_string(index) + " has an unsupported data URI");
                    auto d = base64_decode(uri.substr(comma + 8));
                    if (!d) return fail("buffer " + std::to_string(index) + ": " + d.error().message);
                    sources[index] = std::move(d.value());
                } else {
                    auto decoded = decode_uri(uri);
                    if (!decoded) return fail("buffer " + std::to_string(index) + ": " + decoded.error().message);
                    auto path = resolve_inside(root, decoded.value());
                    if (!path) return fail("buffer " + std::to_string(index) + ": " + path.error().message);
                    auto bytes = read_file(path.value(), kMaxDecoded);
                    if (!bytes) return bytes.error();
                    sources[index] = std::move(bytes.value());
                }
            } else if (index == 0 && glb_bin) {
                sources[index] = *glb_bin;
            } else {
                return fail("EXT_meshopt_compression reads buffer " + std::to_string(index) + ", which has no data");
            }
            loaded[index] = true;
        }
        return &sources[index];
    };

    std::vector<uint8_t> decoded;
    for (size_t vi = 0; vi < views.size(); ++vi) {
        auto& v = views[vi];
        if (!v.is_object() || !v.contains("extensions") || !v["extensions"].is_object() ||
            !v["extensions"].contains("EXT_meshopt_compression"))
            continue;
        const auto& e = v["extensions"]["EXT_meshopt_compression"];
        std::string where = "bufferView " + std::to_string(vi) + " (EXT_meshopt_compression)";
        if (!e.is_object()) return fail(where + " is malformed");
        uint64_t buffer = get_u64(e, "buffer", UINT64_MAX), offset = get_u64(e, "byteOffset", 0),
                 length = get_u64(e, "byteLength", UINT64_MAX), stride = get_u64(e, "byteStride", UINT64_MAX),
                 count = get_u64(e, "count", UINT64_MAX);
        std::string mode = e.contains("mode") && e["mode"].is_string() ? e["mode"].get<std::string>() : "";
        std::string filter = e.contains("filter") && e["filter"].is_string() ? e["filter"].get<std::string>() : "NONE";
        if (stride == 0 || stride > 256 || count > kMaxDecoded || stride * count > kMaxDecoded)
            return fail(where + " has an invalid byteStride or count");
        auto src = source(buffer);
        if (!src) return fail(where + ": " + src.error().message);
        const std::vector<uint8_t>& s = *src.value();
        if (offset > s.size() || length > s.size() - offset) return fail(where + " reads past the end of its buffer");
        // meshopt codecs compress at best about 1:64 (constant data); a larger claim is
        // refused before anything is allocated.
        if (stride * count > 128 * length + 4096) return fail(where + " claims more decoded data than its compressed bytes can hold");
        size_t at = (decoded.size() + 15) & ~size_t(15);
        decoded.resize(at + stride * count);
        uint8_t* dst = decoded.data() + at;
        const uint8_t* in = s.data() + offset;
        int rc = -1;
        if (mode == "ATTRIBUTES") {
            if (stride % 4) return fail(where + " has a byteStride that is not a multiple of 4");
            rc = meshopt_decodeVertexBuffer(dst, count, stride, in, length);
        } else if (mode == "TRIANGLES") {
            if ((stride != 2 && stride != 4) || count % 3) return fail(where + " has an invalid index layout");
            rc = meshopt_decodeIndexBuffer(dst, count, stride, in, length);
        } else if (mode == "INDICES") {
            if (stride != 2 && stride != 4) return fail(where + " has an invalid index size");
            rc = meshopt_decodeIndexSequence(dst, count, stride, in, length);
        } else {
            return fail(where + " has unknown mode '" + mode + "'");
        }
        if (rc != 0) return fail(where + " holds corrupt compressed data");
        if (filter == "OCTAHEDRAL") {
            if (stride != 4 && stride != 8) return fail(where + " has an invalid stride for the octahedral filter");
            meshopt_decodeFilterOct(dst, count, stride);
        } else if (filter == "QUATERNION") {
            if (stride != 8) return fail(where + " has an invalid stride for the quaternion filter");
            meshopt_decodeFilterQuat(dst, count, stride);
        } else if (filter == "EXPONENTIAL") {
            if (stride % 4) return fail(where + " has an invalid stride for the exponential filter");
            meshopt_decodeFilterExp(dst, count, stride);
        } else if (filter != "NONE") {
            return fail(where + " has unknown filter '" + filter + "'");
        }
        v["buffer"] = buffers.size();  // the decoded buffer appended below
        v["byteOffset"] = at;
        v["byteLength"] = stride * count;
        if (mode == "ATTRIBUTES") v["byteStride"] = stride;
        v["extensions"].erase("EXT_meshopt_compression");
    }
    // Fallback buffers carry no data; give them a token byte so the parser accepts them.
    for (auto& b : buffers)
        if (b.is_object() && !b.contains("uri") && b.contains("extensions") && b["extensions"].is_object() &&
            b["extensions"].contains("EXT_meshopt_compression")) {
            b["uri"] = "data:application/octet-stream;base64,AA==";
            b["byteLength"] = 1;
        }
    buffers.push_back({{"byteLength", decoded.size()}, {"uri", "data:application/octet-stream;base64," + base64_encode(decoded)}});
    if (j.contains("extensionsRequired") && j["extensionsRequired"].is_array()) {
        auto& req = j["extensionsRequired"];
        for (size_t i = 0; i < req.size(); ++i)
            if (req[i] == "EXT_meshopt_compression") { req.erase(i); break; }
    }
    return true;
}

}  // namespace vitrine::scene
