#include "scene/gltf_import.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <atomic>
#include <optional>
#include <string_view>
#include <thread>

#include <nlohmann/json.hpp>
#include <tiny_gltf.h>

#include "core/paths.h"
#include "core/text_checks.h"
#include "scene/draco_decode.h"
#include "scene/geometry.h"
#include "scene/meshopt_decode.h"

namespace vitrine::scene {

namespace fs = std::filesystem;
namespace tg = tinygltf;

namespace {

const char* kSupported[] = {
    "KHR_materials_emissive_strength", "KHR_texture_transform", "KHR_mesh_quantization",
    "KHR_lights_punctual", "KHR_draco_mesh_compression", "EXT_meshopt_compression",
    "KHR_materials_clearcoat", "KHR_materials_specular", "KHR_materials_sheen", "KHR_materials_transmission",
    "KHR_materials_volume", "KHR_materials_unlit", "KHR_materials_ior",
};

// Everything the loader needs to keep file reads inside the model's folder.
struct LoadContext {
    fs::path root;
    uint64_t max_bytes;
    std::string first_refusal;  // why a file read was refused, for the error line
    std::vector<fs::path> files;  // every external file read (buffers)
};

bool fs_exists(const std::string& path, void* user) {
    auto* ctx = static_cast<LoadContext*>(user);
    if (path.find('\0') != std::string::npos) {  // "\u0000" in a URI: the OS would read a shorter name
        if (ctx->first_refusal.empty()) ctx->first_refusal = "a URI contains a NUL byte";
        return false;
    }
    auto inside = resolve_inside(ctx->root, fs::path(path).lexically_relative(ctx->root).string());
    std::error_code ec;
    return inside.ok() && fs::is_regular_file(inside.value(), ec);
}

std::string fs_expand(const std::string& path, void*) { return path; }

bool fs_read(std::vector<unsigned char>* out, std::string* err, const std::string& path, void* user) {
    auto* ctx = static_cast<LoadContext*>(user);
    auto inside = resolve_inside(ctx->root, fs::path(path).lexically_relative(ctx->root).string());
    if (!inside) {
        if (ctx->first_refusal.empty()) ctx->first_refusal = inside.error().message;
        if (err) *err += inside.error().message;
        return false;
    }
    auto bytes = read_file(inside.value(), ctx->max_bytes);
    if (!bytes) {
        if (err) *err += bytes.error().message;
        return false;
    }
    ctx->files.push_back(inside.value());
    *out = std::move(bytes.value());
    return true;
}

bool fs_write(std::string*, const std::string&, const std::vector<unsigned char>&, void*) { return false; }

// tinygltf calls this for images in a bufferView or a data: URI. It does not check
// that a bufferView lies inside its buffer, so those bytes are not touched here: the
// importer decodes them after its own bounds check. data: URI bytes are tinygltf's
// own decoded copy and are kept raw for the importer.
bool load_image_data(tg::Image* image, const int, std::string*, std::string*, int, int, const unsigned char* bytes,
                     int size, void*) {
    image->width = image->height = -1;
    image->image.clear();
    if (image->bufferView < 0 && bytes && size > 0) image->image.assign(bytes, bytes + size);
    return true;
}

int component_count(int type) {
    switch (type) {
        case TINYGLTF_TYPE_SCALAR: return 1;
        case TINYGLTF_TYPE_VEC2: return 2;
        case TINYGLTF_TYPE_VEC3: return 3;
        case TINYGLTF_TYPE_VEC4: return 4;
        case TINYGLTF_TYPE_MAT2: return 4;
        case TINYGLTF_TYPE_MAT3: return 9;
        case TINYGLTF_TYPE_MAT4: return 16;
        default: return 0;
    }
}

int component_size(int component_type) {
    switch (component_type) {
        case TINYGLTF_COMPONENT_TYPE_BYTE:
        case TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE: return 1;
        case TINYGLTF_COMPONENT_TYPE_SHORT:
        case TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT: return 2;
        case TINYGLTF_COMPONENT_TYPE_UNSIGNED_INT:
        case TINYGLTF_COMPONENT_TYPE_FLOAT: return 4;
        default: return 0;
    }
}

double read_component(const uint8_t* p, int component_type, bool normalized) {
    switch (component_type) {
        case TINYGLTF_COMPONENT_TYPE_BYTE: {
            int8_t v; std::memcpy(&v, p, 1);
            return normalized ? std::max(v / 127.0, -1.0) : v;
        }
        case TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE: return normalized ? *p / 255.0 : *p;
        case TINYGLTF_COMPONENT_TYPE_SHORT: {
            int16_t v; std::memcpy(&v, p, 2);
            return normalized ? std::max(v / 32767.0, -1.0) : v;
        }
        case TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT: {
            uint16_t v; std::memcpy(&v, p, 2);
            return normalized ? v / 65535.0 : v;
        }
        case TINYGLTF_COMPONENT_TYPE_UNSIGNED_INT: {
            uint32_t v; std::memcpy(&v, p, 4);
            return v;
        }
        default: {
            float v; std::memcpy(&v, p, 4);
            return v;
        }
    }
}

class Importer {
public:
    Importer(const tg::Model& in, const std::string& name) : in_(in), name_(name) {}

    // Reads accessor `index` as count*components doubles, with sparse values applied.
    Result<std::vector<double>> accessor(int index, const char* what, int* components_out = nullptr) {
        if (index < 0 || size_t(index) >= in_.accessors.size())
            return err(std::string(what) + " refers to accessor " + std::to_string(index) + ", which does not exist");
        const tg::Accessor& a = in_.accessors[size_t(index)];
        std::string where = "accessor " + std::to_string(index);
        int comps = component_count(a.type), csize = component_size(a.componentType);
        if (!comps || !csize) return err(where + " has an unknown type or component type");
        if (a.count > (size_t(1) << 28)) return err(where + " claims " + std::to_string(a.count) + " elements");
        size_t elem = size_t(comps) * size_t(csize);
        // Every range is checked before anything is allocated: the count must be backed
        // by bytes in the file (an accessor without a bufferView is zeros, kept small).
        const uint8_t* base = nullptr;
        size_t stride = 0;
        if (a.bufferView >= 0) {
            auto view = view_bytes(a.bufferView, where, &base, &stride, elem);
            if (!view) return view.error();
            size_t view_len = in_.bufferViews[size_t(a.bufferView)].byteLength;
            if (a.count && (a.byteOffset > view_len || stride * (a.count - 1) + elem > view_len - a.byteOffset))
                return err(where + " reads past the end of bufferView " + std::to_string(a.bufferView));
        } else if (a.count > (size_t(1) << 22)) {
            return err(where + " has no bufferView but claims " + std::to_string(a.count) + " elements");
        }
        std::vector<double> out(a.count * size_t(comps), 0.0);
        if (components_out) *components_out = comps;
        if (a.bufferView >= 0) {
            for (size_t i = 0; i < a.count; ++i)
                for (int c = 0; c < comps; ++c)
                    out[i * size_t(comps) + size_t(c)] =
                        read_component(base + a.byteOffset + i * stride + size_t(c * csize), a.componentType, a.normalized);
        } else if (!a.sparse.isSparse) {
            warn(where + " has no bufferView; its values are zero");
        }
        if (a.sparse.isSparse) {
            size_t n = size_t(std::max(a.sparse.count, 0));
            if (a.sparse.count <= 0 || n > a.count) return err(where + " has an invalid sparse count");
            int isize = component_size(a.sparse.indices.componentType);
            if (isize != 1 && isize != 2 && isize != 4) return err(where + " has invalid sparse index type");
            const uint8_t* ib = nullptr; size_t istride = 0;
            auto iv = view_bytes(a.sparse.indices.bufferView, where + " sparse indices", &ib, &istride, size_t(isize));
            if (!iv) return iv.error();
            const uint8_t* vb = nullptr; size_t vstride = 0;
            auto vv = view_bytes(a.sparse.values.bufferView, where + " sparse values", &vb, &vstride, elem);
            if (!vv) return vv.error();
            size_t ilen = in_.bufferViews[size_t(a.sparse.indices.bufferView)].byteLength;
            size_t vlen = in_.bufferViews[size_t(a.sparse.values.bufferView)].byteLength;
            if (a.sparse.indices.byteOffset < 0 || size_t(a.sparse.indices.byteOffset) + n * size_t(isize) > ilen ||
                a.sparse.values.byteOffset < 0 || size_t(a.sparse.values.byteOffset) + n * elem > vlen)
                return err(where + " sparse data reads past its bufferView");
            for (size_t k = 0; k < n; ++k) {
                double target = read_component(ib + a.sparse.indices.byteOffset + k * size_t(isize),
                                               a.sparse.indices.componentType, false);
                if (target >= double(a.count)) return err(where + " sparse index out of range");
                for (int c = 0; c < comps; ++c)
                    out[size_t(target) * size_t(comps) + size_t(c)] =
                        read_component(vb + a.sparse.values.byteOffset + k * elem + size_t(c * csize),
                                       a.componentType, a.normalized);
            }
        }
        for (double v : out)
            if (!std::isfinite(v)) return err(where + " (" + what + ") contains NaN or infinite values");
        return out;
    }

    Result<Model> run() {
        Model m;
        m.source = name_;
        m.extensions_used = in_.extensionsUsed;
        m.extensions_required = in_.extensionsRequired;
        for (auto& e : in_.extensionsUsed)
            if (!is_supported_extension(e)) m.unsupported_extensions.push_back(e);
        for (auto& e : in_.extensionsRequired)
            if (!is_supported_extension(e))
                return err("requires extension " + e + ", which Vitrine does not support yet");

        if (auto r = import_images(m); !r) return r.error();
        if (auto r = import_textures(m); !r) return r.error();
        if (auto r = import_materials(m); !r) return r.error();
        if (auto r = import_meshes(m); !r) return r.error();
        import_cameras_and_lights(m);
        if (auto r = import_nodes(m); !r) return r.error();
        if (auto r = import_skins(m); !r) return r.error();
        if (auto r = import_animations(m); !r) return r.error();
        m.warnings = std::move(warnings_);
        return m;
    }

private:
    Error err(const std::string& problem) const { return fail(name_ + ": " + problem); }
    void warn(const std::string& problem) { warnings_.push_back(problem); }

    Result<void> view_bytes(int view_index, const std::string& where, const uint8_t** base, size_t* stride,
                            size_t elem) {
        if (view_index < 0 || size_t(view_index) >= in_.bufferViews.size())
            return err(where + " refers to bufferView " + std::to_string(view_index) + ", which does not exist");
        const tg::BufferView& v = in_.bufferViews[size_t(view_index)];
        if (v.buffer < 0 || size_t(v.buffer) >= in_.buffers.size())
            return err("bufferView " + std::to_string(view_index) + " refers to a missing buffer");
        const tg::Buffer& b = in_.buffers[size_t(v.buffer)];
        if (v.byteOffset > b.data.size() || v.byteLength > b.data.size() - v.byteOffset)
            return err("bufferView " + std::to_string(view_index) + " lies outside buffer " + std::to_string(v.buffer));
        *stride = v.byteStride ? v.byteStride : elem;
        if (*stride < elem) return err("bufferView " + std::to_string(view_index) + " has a byteStride smaller than its elements");
        *base = b.data.data() + v.byteOffset;
        return {};
    }

    // Image bytes are found (and bounds-checked) in file order; decoding, the slow
    // part, runs on every core. Results and warnings stay in file order.
    Result<void> import_images(Model& m) {
        struct Job {
            std::vector<uint8_t> owned;
            const uint8_t* bytes = nullptr;
            size_t size = 0;
            std::optional<Result<Image8>> decoded;
        };
        std::vector<Job> jobs(in_.images.size());
        for (size_t i = 0; i < in_.images.size(); ++i) {
            const tg::Image& src = in_.images[i];
            std::string where = "image " + std::to_string(i);
            ModelImage img;
            img.name = src.name.empty() ? (src.uri.empty() || src.uri.rfind("data:", 0) == 0 ? where : src.uri) : src.name;
            Job& job = jobs[i];
            if (src.bufferView >= 0) {
                size_t stride = 0;
                if (auto r = view_bytes(src.bufferView, where, &job.bytes, &stride, 1); !r) return r.error();
                job.size = in_.bufferViews[size_t(src.bufferView)].byteLength;
            } else if (!src.image.empty()) {  // data: URI, decoded from base64 by tinygltf
                job.bytes = src.image.data();
                job.size = src.image.size();
            } else if (!src.uri.empty()) {
                auto decoded_uri = decode_uri(src.uri);
                if (!decoded_uri) return err(where + ": " + decoded_uri.error().message);
                auto path = resolve_inside(root_, decoded_uri.value());
                if (!path) return err(where + ": " + path.error().message);
                files_.push_back(path.value());
                auto file = read_file(path.value(), uint64_t(1) << 30);
                if (file) {
                    job.owned = std::move(file.value());
                    job.bytes = job.owned.data();
                    job.size = job.owned.size();
                }
            }
            // The header's size, before a pixel is allocated: a claim past the limits
            // refuses the model (a 100 000 x 100 000 texture is a broken or hostile file).
            uint32_t w = 0, h = 0;
            if (job.bytes && job.size && image_size(job.bytes, job.size, &w, &h)) {
                if (w > kMaxImageSide || h > kMaxImageSide || uint64_t(w) * h > kMaxImagePixels)
                    return err(where + " ('" + img.name + "') claims " + std::to_string(w) + " x " + std::to_string(h) +
                               " pixels, more than the " + std::to_string(kMaxImageSide) +
                               " a side a texture may have");
                if (!decode_images_) {
                    img.pixels.width = w;
                    img.pixels.height = h;
                }
            }
            m.images.push_back(std::move(img));
        }
        if (decode_images_) {
            std::atomic<size_t> next{0};
            auto worker = [&] {
                for (size_t i = next++; i < jobs.size(); i = next++)
                    if (jobs[i].bytes && jobs[i].size) jobs[i].decoded = decode_image(jobs[i].bytes, jobs[i].size, m.images[i].name);
            };
            size_t threads = std::min<size_t>(jobs.size(), std::max(1u, std::thread::hardware_concurrency()));
            std::vector<std::thread> pool;
            for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
            worker();
            for (auto& t : pool) t.join();
        }
        for (size_t i = 0; i < jobs.size(); ++i) {
            if (!jobs[i].bytes || !jobs[i].size) {
                warn("image " + std::to_string(i) + " ('" + m.images[i].name + "') is missing; shown white");
            } else if (jobs[i].decoded) {
                if (jobs[i].decoded->ok()) m.images[i].pixels = std::move(jobs[i].decoded->value());
                else warn(jobs[i].decoded->error().message + "; shown white");
            }
        }
        return {};
    }

    Result<void> import_textures(Model& m) {
        for (size_t i = 0; i < in_.textures.size(); ++i) {
            const tg::Texture& t = in_.textures[i];
            Texture tex;
            if (t.source >= 0 && size_t(t.source) < m.images.size()) tex.image = t.source;
            else if (t.source >= 0) return err("texture " + std::to_string(i) + " refers to image " + std::to_string(t.source) + ", which does not exist");
            else warn("texture " + std::to_string(i) + " has no supported image source; shown white");
            if (t.sampler >= 0) {
                if (size_t(t.sampler) >= in_.samplers.size())
                    return err("texture " + std::to_string(i) + " refers to a missing sampler");
                const tg::Sampler& s = in_.samplers[size_t(t.sampler)];
                auto wrap = [](int w) {
                    return w == TINYGLTF_TEXTURE_WRAP_CLAMP_TO_EDGE ? Wrap::Clamp
                         : w == TINYGLTF_TEXTURE_WRAP_MIRRORED_REPEAT ? Wrap::Mirror : Wrap::Repeat;
                };
                tex.sampler.wrap_s = wrap(s.wrapS);
                tex.sampler.wrap_t = wrap(s.wrapT);
                tex.sampler.mag = s.magFilter == TINYGLTF_TEXTURE_FILTER_NEAREST ? Filter::Nearest : Filter::Linear;
                switch (s.minFilter) {
                    case TINYGLTF_TEXTURE_FILTER_NEAREST: tex.sampler.min = Filter::Nearest; tex.sampler.mipmaps = false; break;
                    case TINYGLTF_TEXTURE_FILTER_LINEAR: tex.sampler.min = Filter::Linear; tex.sampler.mipmaps = false; break;
                    case TINYGLTF_TEXTURE_FILTER_NEAREST_MIPMAP_NEAREST: tex.sampler.min = Filter::Nearest; tex.sampler.mip = Filter::Nearest; break;
                    case TINYGLTF_TEXTURE_FILTER_LINEAR_MIPMAP_NEAREST: tex.sampler.min = Filter::Linear; tex.sampler.mip = Filter::Nearest; break;
                    case TINYGLTF_TEXTURE_FILTER_NEAREST_MIPMAP_LINEAR: tex.sampler.min = Filter::Nearest; break;
                    default: break;
                }
            }
            m.textures.push_back(tex);
        }
        return {};
    }

    static float number(const tg::Value& v, float fallback) {
        return v.IsNumber() ? float(v.GetNumberAsDouble()) : fallback;
    }

    Result<TextureRef> texture_ref(Model& m, int index, int tex_coord, const tg::ExtensionMap& ext,
                                   const std::string& where, bool srgb) {
        TextureRef ref;
        if (index < 0) return ref;
        if (size_t(index) >= m.textures.size())
            return err(where + " refers to texture " + std::to_string(index) + ", which does not exist");
        if (tex_coord < 0 || tex_coord > 1) {
            warn(where + " uses TEXCOORD_" + std::to_string(tex_coord) + "; only 0 and 1 are supported, using 0");
            tex_coord = 0;
        }
        ref.texture = index;
        ref.tex_coord = tex_coord;
        auto it = ext.find("KHR_texture_transform");
        if (it != ext.end() && it->second.IsObject()) {
            const tg::Value& t = it->second;
            if (t.Has("offset") && t.Get("offset").ArrayLen() == 2)
                ref.transform.offset = {number(t.Get("offset").Get(0), 0), number(t.Get("offset").Get(1), 0)};
            if (t.Has("scale") && t.Get("scale").ArrayLen() == 2)
                ref.transform.scale = {number(t.Get("scale").Get(0), 1), number(t.Get("scale").Get(1), 1)};
            if (t.Has("rotation")) ref.transform.rotation = number(t.Get("rotation"), 0);
            if (t.Has("texCoord")) {
                int tc = int(number(t.Get("texCoord"), 0));
                ref.tex_coord = (tc == 0 || tc == 1) ? tc : 0;
            }
        }
        int image = m.textures[size_t(index)].image;
        if (image >= 0) (srgb ? m.images[size_t(image)].srgb : m.images[size_t(image)].linear) = true;
        return ref;
    }

    Result<void> import_materials(Model& m) {
        for (size_t i = 0; i < in_.materials.size(); ++i) {
            const tg::Material& s = in_.materials[i];
            std::string where = "material " + std::to_string(i);
            Material mat;
            mat.name = s.name;
            const auto& pbr = s.pbrMetallicRoughness;
            if (pbr.baseColorFactor.size() == 4)
                mat.base_color = {pbr.baseColorFactor[0], pbr.baseColorFactor[1], pbr.baseColorFactor[2], pbr.baseColorFactor[3]};
            mat.metallic = float(std::clamp(pbr.metallicFactor, 0.0, 1.0));
            mat.roughness = float(std::clamp(pbr.roughnessFactor, 0.0, 1.0));
            if (s.emissiveFactor.size() == 3) mat.emissive = {s.emissiveFactor[0], s.emissiveFactor[1], s.emissiveFactor[2]};
            mat.alpha_mode = s.alphaMode == "BLEND" ? AlphaMode::Blend : s.alphaMode == "MASK" ? AlphaMode::Mask : AlphaMode::Opaque;
            mat.alpha_cutoff = float(s.alphaCutoff);
            mat.double_sided = s.doubleSided;
            for (float v : {mat.base_color.r, mat.base_color.g, mat.base_color.b, mat.base_color.a,
                            mat.emissive.r, mat.emissive.g, mat.emissive.b, mat.alpha_cutoff})
                if (!std::isfinite(v)) return err(where + " has a non-finite factor");
            auto tr = [&](const auto& info, const char* slot, bool srgb, float scale) -> Result<TextureRef> {
                auto r = texture_ref(m, info.index, info.texCoord, info.extensions, where + " " + slot, srgb);
                if (r) r->scale = scale;
                return r;
            };
            auto a = tr(pbr.baseColorTexture, "baseColorTexture", true, 1);
            auto b = tr(pbr.metallicRoughnessTexture, "metallicRoughnessTexture", false, 1);
            auto c = tr(s.normalTexture, "normalTexture", false, float(s.normalTexture.scale));
            auto d = tr(s.occlusionTexture, "occlusionTexture", false, float(s.occlusionTexture.strength));
            auto e = tr(s.emissiveTexture, "emissiveTexture", true, 1);
            for (auto* r : {&a, &b, &c, &d, &e})
                if (!r->ok()) return r->error();
            mat.base_color_tex = a.value();
            mat.metal_rough_tex = b.value();
            mat.normal_tex = c.value();
            mat.occlusion_tex = d.value();
            mat.emissive_tex = e.value();
            if (auto it = s.extensions.find("KHR_materials_emissive_strength"); it != s.extensions.end())
                mat.emissive_strength = std::max(0.0f, number(it->second.Get("emissiveStrength"), 1));
            if (auto it = s.extensions.find("KHR_materials_ior"); it != s.extensions.end())
                mat.ior = std::max(1.0f, number(it->second.Get("ior"), 1.5f));
            mat.unlit = s.extensions.count("KHR_materials_unlit") > 0;
            if (auto r = import_material_layers(m, s.extensions, where, mat); !r) return r.error();
            m.materials.push_back(mat);
        }
        return {};
    }

    // A textureInfo inside an extension object (tinygltf leaves those as Values).
    Result<TextureRef> texture_value(Model& m, const tg::Value& ext, const char* key, const std::string& where, bool srgb) {
        if (!ext.Has(key)) return TextureRef{};
        const tg::Value& info = ext.Get(key);
        if (!info.IsObject() || !info.Get("index").IsInt()) return err(where + " " + key + " has no texture index");
        tg::ExtensionMap exts;
        if (info.Has("extensions") && info.Get("extensions").Has("KHR_texture_transform"))
            exts["KHR_texture_transform"] = info.Get("extensions").Get("KHR_texture_transform");
        int tc = info.Get("texCoord").IsInt() ? info.Get("texCoord").Get<int>() : 0;
        auto ref = texture_ref(m, info.Get("index").Get<int>(), tc, exts, where + " " + key, srgb);
        if (ref) ref->scale = number(info.Get("scale"), 1);
        return ref;
    }

    Result<void> import_material_layers(Model& m, const tg::ExtensionMap& ext, const std::string& where, Material& mat) {
        auto get = [&](const char* name) -> const tg::Value* {
            auto it = ext.find(name);
            return it != ext.end() && it->second.IsObject() ? &it->second : nullptr;
        };
        auto vec3 = [](const tg::Value& v, glm::vec3 fallback) {
            if (!v.IsArray() || v.ArrayLen() != 3) return fallback;
            return glm::vec3(number(v.Get(0), fallback.x), number(v.Get(1), fallback.y), number(v.Get(2), fallback.z));
        };
        auto tex = [&](const tg::Value& e, const char* key, bool srgb, TextureRef& out) -> Result<void> {
            auto r = texture_value(m, e, key, where, srgb);
            if (!r) return r.error();
            out = r.value();
            return {};
        };
        if (const tg::Value* e = get("KHR_materials_clearcoat")) {
            mat.clearcoat.factor = std::clamp(number(e->Get("clearcoatFactor"), 0), 0.0f, 1.0f);
            mat.clearcoat.roughness = std::clamp(number(e->Get("clearcoatRoughnessFactor"), 0), 0.0f, 1.0f);
            for (auto r : {tex(*e, "clearcoatTexture", false, mat.clearcoat.texture),
                           tex(*e, "clearcoatRoughnessTexture", false, mat.clearcoat.roughness_texture),
                           tex(*e, "clearcoatNormalTexture", false, mat.clearcoat.normal_texture)})
                if (!r) return r;
        }
        if (const tg::Value* e = get("KHR_materials_specular")) {
            mat.specular.factor = std::clamp(number(e->Get("specularFactor"), 1), 0.0f, 1.0f);
            mat.specular.color = glm::max(vec3(e->Get("specularColorFactor"), glm::vec3(1)), glm::vec3(0));
            for (auto r : {tex(*e, "specularTexture", false, mat.specular.texture),
                           tex(*e, "specularColorTexture", true, mat.specular.color_texture)})
                if (!r) return r;
        }
        if (const tg::Value* e = get("KHR_materials_sheen")) {
            mat.sheen.color = glm::clamp(vec3(e->Get("sheenColorFactor"), glm::vec3(0)), glm::vec3(0), glm::vec3(1));
            mat.sheen.roughness = std::clamp(number(e->Get("sheenRoughnessFactor"), 0), 0.0f, 1.0f);
            for (auto r : {tex(*e, "sheenColorTexture", true, mat.sheen.color_texture),
                           tex(*e, "sheenRoughnessTexture", false, mat.sheen.roughness_texture)})
                if (!r) return r;
        }
        if (const tg::Value* e = get("KHR_materials_transmission")) {
            mat.transmission.factor = std::clamp(number(e->Get("transmissionFactor"), 0), 0.0f, 1.0f);
            if (auto r = tex(*e, "transmissionTexture", false, mat.transmission.texture); !r) return r;
        }
        if (const tg::Value* e = get("KHR_materials_volume")) {
            mat.transmission.thickness = std::max(0.0f, number(e->Get("thicknessFactor"), 0));
            mat.transmission.attenuation_distance = std::max(0.0f, number(e->Get("attenuationDistance"), 0));
            mat.transmission.attenuation_color = glm::clamp(vec3(e->Get("attenuationColor"), glm::vec3(1)), glm::vec3(0), glm::vec3(1));
            if (auto r = tex(*e, "thicknessTexture", false, mat.transmission.thickness_texture); !r) return r;
        }
        return {};
    }

    Result<void> import_meshes(Model& m) {
        for (size_t mi = 0; mi < in_.meshes.size(); ++mi) {
            const tg::Mesh& s = in_.meshes[mi];
            Mesh mesh;
            mesh.name = s.name;
            for (double w : s.weights) mesh.weights.push_back(float(w));
            for (size_t pi = 0; pi < s.primitives.size(); ++pi) {
                std::string where = "mesh " + std::to_string(mi) + " primitive " + std::to_string(pi);
                auto prim = import_primitive(m, s.primitives[pi], where);
                if (!prim) return prim.error();
                if (prim->vertices.empty()) continue;  // warned: not drawn
                mesh.primitives.push_back(std::move(prim.value()));
            }
            m.meshes.push_back(std::move(mesh));
        }
        return {};
    }

    template <typename Vec, int N>
    Result<std::vector<Vec>> attribute(const tg::Primitive& p, const std::string& name, const std::string& where,
                                       size_t expect_count, bool optional_components = false,
                                       const DracoMesh* draco = nullptr) {
        std::vector<Vec> out;
        auto it = p.attributes.find(name);
        if (it == p.attributes.end()) return out;
        int comps = 0;
        Result<std::vector<double>> data = std::vector<double>{};
        auto dit = draco ? draco->attributes.find(name) : decltype(draco->attributes.end()){};
        if (draco && dit != draco->attributes.end()) {
            comps = dit->second.components;
            data->assign(dit->second.values.begin(), dit->second.values.end());
        } else {
            data = accessor(it->second, (where + " " + name).c_str(), &comps);
        }
        if (!data) return data.error();
        if (comps != N && !(optional_components && comps == N - 1))
            return err(where + " attribute " + name + " has " + std::to_string(comps) + " components, expected " + std::to_string(N));
        size_t count = data->size() / size_t(comps);
        if (expect_count != size_t(-1) && count != expect_count)
            return err(where + " attribute " + name + " has " + std::to_string(count) + " elements, but POSITION has " + std::to_string(expect_count));
        out.resize(count, Vec(1));
        for (size_t i = 0; i < count; ++i)
            for (int c = 0; c < comps; ++c) out[i][c] = float((*data)[i * size_t(comps) + size_t(c)]);
        return out;
    }

    Result<DracoMesh> decode_draco_primitive(const tg::Value& ext, const std::string& where) {
        if (!ext.IsObject() || !ext.Get("bufferView").IsInt() || !ext.Get("attributes").IsObject())
            return err(where + " has a malformed KHR_draco_mesh_compression extension");
        int view = ext.Get("bufferView").Get<int>();
        const uint8_t* base = nullptr;
        size_t stride = 0;
        if (auto r = view_bytes(view, where + " Draco data", &base, &stride, 1); !r) return r.error();
        std::map<std::string, int> ids;
        const tg::Value& attrs = ext.Get("attributes");
        for (const std::string& key : attrs.Keys()) {
            if (!attrs.Get(key).IsInt()) return err(where + " Draco attribute " + key + " is not an integer id");
            ids[key] = attrs.Get(key).Get<int>();
        }
        auto d = decode_draco(base, in_.bufferViews[size_t(view)].byteLength, ids);
        if (!d) return err(where + ": " + d.error().message);
        return d;
    }

    Result<Primitive> import_primitive(Model& m, const tg::Primitive& p, const std::string& where) {
        Primitive prim;
        if (p.mode != TINYGLTF_MODE_TRIANGLES && p.mode != TINYGLTF_MODE_TRIANGLE_STRIP &&
            p.mode != TINYGLTF_MODE_TRIANGLE_FAN && p.mode != -1) {
            warn(where + " draws points or lines, which are not shown");
            return prim;
        }
        if (!p.attributes.count("POSITION")) {
            warn(where + " has no POSITION attribute and is not shown");
            return prim;
        }
        if (p.material >= 0 && size_t(p.material) >= m.materials.size())
            return err(where + " refers to material " + std::to_string(p.material) + ", which does not exist");
        prim.material = p.material;

        std::optional<DracoMesh> draco;
        if (auto it = p.extensions.find("KHR_draco_mesh_compression"); it != p.extensions.end()) {
            auto d = decode_draco_primitive(it->second, where);
            if (!d) return d.error();
            draco = std::move(d.value());
        }
        const DracoMesh* dm = draco ? &*draco : nullptr;
        auto pos = attribute<glm::vec3, 3>(p, "POSITION", where, size_t(-1), false, dm);
        if (!pos) return pos.error();
        size_t n = pos->size();
        auto nrm = attribute<glm::vec3, 3>(p, "NORMAL", where, n, false, dm);
        auto tan = attribute<glm::vec4, 4>(p, "TANGENT", where, n, false, dm);
        auto uv0 = attribute<glm::vec2, 2>(p, "TEXCOORD_0", where, n, false, dm);
        auto uv1 = attribute<glm::vec2, 2>(p, "TEXCOORD_1", where, n, false, dm);
        auto col = attribute<glm::vec4, 4>(p, "COLOR_0", where, n, true, dm);
        auto jnt = attribute<glm::vec4, 4>(p, "JOINTS_0", where, n, false, dm);
        auto wgt = attribute<glm::vec4, 4>(p, "WEIGHTS_0", where, n, false, dm);
        if (!nrm) return nrm.error();
        if (!tan) return tan.error();
        if (!uv0) return uv0.error();
        if (!uv1) return uv1.error();
        if (!col) return col.error();
        if (!jnt) return jnt.error();
        if (!wgt) return wgt.error();

        prim.has_uv0 = !uv0->empty();
        prim.vertices.resize(n);
        for (size_t i = 0; i < n; ++i) {
            Vertex& v = prim.vertices[i];
            v.position = (*pos)[i];
            if (!nrm->empty()) v.normal = (*nrm)[i];
            if (!tan->empty()) v.tangent = (*tan)[i];
            if (!uv0->empty()) v.uv0 = (*uv0)[i];
            if (!uv1->empty()) v.uv1 = (*uv1)[i];
            if (!col->empty()) v.color = (*col)[i];
        }
        if (!jnt->empty() && !wgt->empty()) {
            prim.joints.resize(n);
            prim.weights = wgt.value();
            for (size_t i = 0; i < n; ++i) prim.joints[i] = glm::u16vec4((*jnt)[i]);
        }

        // Indices: validated against the vertex count, strips and fans made into lists.
        std::vector<uint32_t> idx;
        if (draco) {
            idx = std::move(draco->indices);
            for (uint32_t i : idx)
                if (i >= n) return err(where + " Draco index out of range");
        } else if (p.indices >= 0) {
            int comps = 0;
            auto data = accessor(p.indices, (where + " indices").c_str(), &comps);
            if (!data) return data.error();
            if (comps != 1) return err(where + " indices are not scalars");
            int ct = in_.accessors[size_t(p.indices)].componentType;
            if (ct != TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE && ct != TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT &&
                ct != TINYGLTF_COMPONENT_TYPE_UNSIGNED_INT)
                return err(where + " indices have a component type other than unsigned byte/short/int");
            idx.reserve(data->size());
            for (double d : data.value()) {
                if (d >= double(n)) return err(where + " index " + std::to_string(uint64_t(d)) + " is out of range (" + std::to_string(n) + " vertices)");
                idx.push_back(uint32_t(d));
            }
        } else {
            idx.resize(n);
            for (size_t i = 0; i < n; ++i) idx[i] = uint32_t(i);
        }
        if (p.mode == TINYGLTF_MODE_TRIANGLE_STRIP) idx = strip_to_list(idx);
        else if (p.mode == TINYGLTF_MODE_TRIANGLE_FAN) idx = fan_to_list(idx);
        idx.resize(idx.size() / 3 * 3);
        prim.indices = std::move(idx);

        // Morph targets.
        for (size_t t = 0; t < p.targets.size(); ++t) {
            MorphTarget target;
            auto get = [&](const char* attr, std::vector<glm::vec3>& dst) -> Result<void> {
                auto it = p.targets[t].find(attr);
                if (it == p.targets[t].end()) return {};
                int comps = 0;
                auto data = accessor(it->second, (where + " morph target").c_str(), &comps);
                if (!data) return data.error();
                if (comps != 3 || data->size() != n * 3) return err(where + " morph target " + std::to_string(t) + " " + attr + " has the wrong size");
                dst.resize(n);
                for (size_t i = 0; i < n; ++i) dst[i] = {(*data)[i * 3], (*data)[i * 3 + 1], (*data)[i * 3 + 2]};
                return {};
            };
            if (auto r = get("POSITION", target.position); !r) return r.error();
            if (auto r = get("NORMAL", target.normal); !r) return r.error();
            if (auto r = get("TANGENT", target.tangent); !r) return r.error();
            prim.targets.push_back(std::move(target));
        }

        const Material* mat = prim.material >= 0 ? &m.materials[size_t(prim.material)] : nullptr;
        if (nrm->empty()) {
            make_flat_normals(prim);
        }
        if (tan->empty() && mat && mat->normal_tex.texture >= 0) {
            int uv = mat->normal_tex.tex_coord;
            if ((uv == 0 && uv0->empty()) || (uv == 1 && uv1->empty()))
                warn(where + " has a normal texture but no texture coordinates for it");
            else
                generate_tangents(prim, uv);
        }
        compute_bounds(prim);
        return prim;
    }

    void import_cameras_and_lights(Model& m) {
        for (const tg::Camera& c : in_.cameras) {
            Camera cam;
            cam.name = c.name;
            cam.perspective = c.type != "orthographic";
            if (cam.perspective) {
                cam.yfov = float(c.perspective.yfov);
                cam.aspect = float(c.perspective.aspectRatio);
                cam.znear = float(c.perspective.znear);
                cam.zfar = float(c.perspective.zfar);
                if (!(cam.yfov > 0.001f && cam.yfov < 3.1f)) { warn("camera '" + c.name + "' has an invalid yfov; using 0.8"); cam.yfov = 0.8f; }
                if (!(cam.znear > 0)) cam.znear = 0.01f;
            } else {
                cam.xmag = float(c.orthographic.xmag);
                cam.ymag = float(c.orthographic.ymag);
                cam.znear = float(c.orthographic.znear);
                cam.zfar = float(c.orthographic.zfar);
            }
            m.cameras.push_back(cam);
        }
        for (const tg::Light& l : in_.lights) {
            Light light;
            light.name = l.name;
            light.type = l.type == "directional" ? LightType::Directional : l.type == "spot" ? LightType::Spot : LightType::Point;
            if (l.color.size() == 3) light.color = {l.color[0], l.color[1], l.color[2]};
            light.intensity = float(l.intensity);
            light.range = float(l.range);
            light.inner_cone = float(l.spot.innerConeAngle);
            light.outer_cone = float(l.spot.outerConeAngle);
            if (!std::isfinite(light.intensity)) light.intensity = 0;
            m.lights.push_back(light);
        }
    }

    Result<void> import_nodes(Model& m) {
        size_t n = in_.nodes.size();
        m.nodes.resize(n);
        for (size_t i = 0; i < n; ++i) {
            const tg::Node& s = in_.nodes[i];
            Node& d = m.nodes[i];
            std::string where = "node " + std::to_string(i);
            d.name = s.name;
            if (s.matrix.size() == 16) {
                d.has_matrix = true;
                for (int k = 0; k < 16; ++k) d.matrix[k / 4][k % 4] = float(s.matrix[size_t(k)]);
            }
            if (s.translation.size() == 3) d.translation = {s.translation[0], s.translation[1], s.translation[2]};
            if (s.rotation.size() == 4) d.rotation = glm::quat(float(s.rotation[3]), float(s.rotation[0]), float(s.rotation[1]), float(s.rotation[2]));
            if (s.scale.size() == 3) d.scale = {s.scale[0], s.scale[1], s.scale[2]};
            const float* f = &d.matrix[0][0];
            for (int k = 0; k < 16; ++k)
                if (!std::isfinite(f[k])) return err(where + " has a non-finite matrix");
            for (int k = 0; k < 3; ++k)
                if (!std::isfinite(d.translation[k]) || !std::isfinite(d.scale[k])) return err(where + " has a non-finite transform");
            if (!std::isfinite(d.rotation.w) || !std::isfinite(d.rotation.x) || !std::isfinite(d.rotation.y) || !std::isfinite(d.rotation.z))
                return err(where + " has a non-finite rotation");
            if (s.mesh >= 0 && size_t(s.mesh) >= m.meshes.size()) return err(where + " refers to mesh " + std::to_string(s.mesh) + ", which does not exist");
            if (s.camera >= 0 && size_t(s.camera) >= m.cameras.size()) return err(where + " refers to a missing camera");
            if (s.skin >= 0 && size_t(s.skin) >= in_.skins.size()) return err(where + " refers to a missing skin");
            d.mesh = s.mesh;
            d.camera = s.camera;
            d.skin = s.skin;
            for (double w : s.weights) d.weights.push_back(float(w));
            if (auto it = s.extensions.find("KHR_lights_punctual"); it != s.extensions.end()) {
                int light = int(number(it->second.Get("light"), -1));
                if (light >= 0 && size_t(light) < m.lights.size()) d.light = light;
                else warn(where + " refers to a missing light");
            }
            for (int c : s.children) {
                if (c < 0 || size_t(c) >= n) return err(where + " has child " + std::to_string(c) + ", which does not exist");
                if (size_t(c) == i) return err(where + " is its own child (node cycle)");
                if (m.nodes[size_t(c)].parent >= 0)
                    return err("node " + std::to_string(c) + " has more than one parent (node graph is not a tree)");
                m.nodes[size_t(c)].parent = int(i);
                d.children.push_back(c);
            }
        }
        // A cycle means some node never reaches a root when walking parents.
        for (size_t i = 0; i < n; ++i) {
            int p = int(i);
            size_t steps = 0;
            while (p >= 0 && steps <= n) { p = m.nodes[size_t(p)].parent; ++steps; }
            if (steps > n) return err("node " + std::to_string(i) + " is part of a node cycle");
        }
        int scene = in_.defaultScene >= 0 ? in_.defaultScene : (in_.scenes.empty() ? -1 : 0);
        if (scene >= 0 && size_t(scene) >= in_.scenes.size()) return err("default scene " + std::to_string(scene) + " does not exist");
        if (scene >= 0) {
            for (int r : in_.scenes[size_t(scene)].nodes) {
                if (r < 0 || size_t(r) >= n) return err("scene " + std::to_string(scene) + " lists node " + std::to_string(r) + ", which does not exist");
                if (m.nodes[size_t(r)].parent >= 0) return err("scene root node " + std::to_string(r) + " has a parent");
                if (std::find(m.roots.begin(), m.roots.end(), r) == m.roots.end()) m.roots.push_back(r);
            }
        } else {
            warn("file has no scene; showing every root node");
            for (size_t i = 0; i < n; ++i)
                if (m.nodes[i].parent < 0) m.roots.push_back(int(i));
        }
        return {};
    }

    Result<void> import_skins(Model& m) {
        for (size_t i = 0; i < in_.skins.size(); ++i) {
            const tg::Skin& s = in_.skins[i];
            Skin skin;
            skin.name = s.name;
            for (int j : s.joints) {
                if (j < 0 || size_t(j) >= m.nodes.size()) return err("skin " + std::to_string(i) + " refers to a missing joint node");
                skin.joints.push_back(j);
            }
            skin.inverse_bind.assign(skin.joints.size(), glm::mat4(1));
            if (s.inverseBindMatrices >= 0) {
                int comps = 0;
                auto data = accessor(s.inverseBindMatrices, "inverseBindMatrices", &comps);
                if (!data) return data.error();
                if (comps != 16 || data->size() < skin.joints.size() * 16)
                    return err("skin " + std::to_string(i) + " inverseBindMatrices has the wrong size");
                for (size_t j = 0; j < skin.joints.size(); ++j)
                    for (int k = 0; k < 16; ++k) skin.inverse_bind[j][k / 4][k % 4] = float((*data)[j * 16 + size_t(k)]);
            }
            m.skins.push_back(std::move(skin));
        }
        for (auto& mesh : m.meshes)
            for (auto& prim : mesh.primitives)
                for (auto& j : prim.joints)
                    for (int k = 0; k < 4; ++k)
                        if (j[k] >= 1024) return err("a JOINTS_0 value is out of range");
        return {};
    }

    Result<void> import_animations(Model& m) {
        for (size_t ai = 0; ai < in_.animations.size(); ++ai) {
            const tg::Animation& s = in_.animations[ai];
            std::string where = "animation " + std::to_string(ai);
            Animation anim;
            anim.name = s.name.empty() ? where : s.name;
            for (const tg::AnimationSampler& ss : s.samplers) {
                AnimSampler sampler;
                auto input = accessor(ss.input, (where + " input").c_str());
                if (!input) return input.error();
                int comps = 0;
                auto output = accessor(ss.output, (where + " output").c_str(), &comps);
                if (!output) return output.error();
                sampler.input.assign(input->begin(), input->end());
                sampler.output.assign(output->begin(), output->end());
                for (size_t k = 1; k < sampler.input.size(); ++k)
                    if (!(sampler.input[k] > sampler.input[k - 1])) return err(where + " key times are not increasing");
                sampler.interpolation = ss.interpolation == "STEP" ? Interpolation::Step
                                      : ss.interpolation == "CUBICSPLINE" ? Interpolation::CubicSpline
                                                                           : Interpolation::Linear;
                if (sampler.input.empty()) return err(where + " has a sampler with no keys");
                size_t per_key = sampler.interpolation == Interpolation::CubicSpline ? 3 : 1;
                if (sampler.output.size() % (sampler.input.size() * per_key) != 0)
                    return err(where + " output count does not match its key count");
                anim.duration = std::max(anim.duration, sampler.input.back());
                anim.samplers.push_back(std::move(sampler));
            }
            for (const tg::AnimationChannel& sc : s.channels) {
                AnimChannel ch;
                if (sc.sampler < 0 || size_t(sc.sampler) >= anim.samplers.size()) return err(where + " channel refers to a missing sampler");
                if (sc.target_node < 0) continue;  // allowed by the spec: ignored
                if (size_t(sc.target_node) >= m.nodes.size()) return err(where + " channel targets a missing node");
                ch.sampler = sc.sampler;
                ch.node = sc.target_node;
                if (sc.target_path == "translation") ch.path = AnimPath::Translation;
                else if (sc.target_path == "rotation") ch.path = AnimPath::Rotation;
                else if (sc.target_path == "scale") ch.path = AnimPath::Scale;
                else if (sc.target_path == "weights") ch.path = AnimPath::Weights;
                else { warn(where + " targets unknown path '" + sc.target_path + "'"); continue; }
                size_t comps = ch.path == AnimPath::Rotation ? 4 : ch.path == AnimPath::Weights ? 0 : 3;
                const AnimSampler& smp = anim.samplers[size_t(ch.sampler)];
                size_t per_key = smp.interpolation == Interpolation::CubicSpline ? 3 : 1;
                if (comps && smp.output.size() != smp.input.size() * per_key * comps)
                    return err(where + " output size does not match its target path");
                anim.channels.push_back(ch);
            }
            m.animations.push_back(std::move(anim));
        }
        return {};
    }

    const tg::Model& in_;
    std::string name_;
    std::vector<std::string> warnings_;

public:
    fs::path root_;
    std::vector<fs::path> files_;  // image files read
    bool decode_images_ = true;
};

// Before tinygltf parses a file, two extensions are handled on its JSON:
// - Draco: tinygltf (built without its Draco path, which does no bounds checking)
//   refuses an index accessor without a bufferView, which is normal for Draco
//   primitives, so "indices" moves into the extension object; the importer decodes
//   the Draco data itself.
// - EXT_meshopt_compression: decoded here (meshopt_decode.cpp).
// Bytes that are not parseable are passed through so tinygltf reports the problem.
Result<std::vector<uint8_t>> prepare_for_tinygltf(std::vector<uint8_t> bytes, bool binary, const fs::path& root) {
    size_t json_start = 0, json_len = bytes.size();
    std::vector<uint8_t> bin;
    bool has_bin = false;
    if (binary) {
        if (bytes.size() < 20) return bytes;
        uint32_t len = 0, type = 0;
        std::memcpy(&len, bytes.data() + 12, 4);
        std::memcpy(&type, bytes.data() + 16, 4);
        if (type != 0x4E4F534Au || size_t(len) > bytes.size() - 20) return bytes;
        json_start = 20;
        json_len = len;
        size_t bin_at = json_start + ((json_len + 3) & ~size_t(3));
        if (bin_at + 8 <= bytes.size()) {
            uint32_t blen = 0, btype = 0;
            std::memcpy(&blen, bytes.data() + bin_at, 4);
            std::memcpy(&btype, bytes.data() + bin_at + 4, 4);
            if (btype == 0x004E4942u && size_t(blen) <= bytes.size() - bin_at - 8) {
                bin.assign(bytes.begin() + long(bin_at + 8), bytes.begin() + long(bin_at + 8 + blen));
                has_bin = true;
            }
        }
    }
    std::string text(reinterpret_cast<const char*>(bytes.data()) + json_start, json_len);
    bool draco = text.find("KHR_draco_mesh_compression") != std::string::npos;
    bool meshopt = text.find("EXT_meshopt_compression") != std::string::npos;
    if (!draco && !meshopt) return bytes;
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return bytes;
    if (draco && j.contains("meshes") && j["meshes"].is_array()) {
        for (auto& mesh : j["meshes"]) {
            if (!mesh.is_object() || !mesh.contains("primitives") || !mesh["primitives"].is_array()) continue;
            for (auto& prim : mesh["primitives"]) {
                if (!prim.is_object() || !prim.contains("extensions") || !prim["extensions"].is_object()) continue;
                auto& ext = prim["extensions"];
                if (!ext.contains("KHR_draco_mesh_compression") || !ext["KHR_draco_mesh_compression"].is_object()) continue;
                if (prim.contains("indices")) {
                    ext["KHR_draco_mesh_compression"]["vitrineIndices"] = prim["indices"];
                    prim.erase("indices");
                }
            }
        }
    }
    if (meshopt) {
        auto r = decode_meshopt(j, has_bin ? &bin : nullptr, root);
        if (!r) return r.error();
    }
    std::string out = j.dump();
    if (!binary) return std::vector<uint8_t>(out.begin(), out.end());
    while (out.size() % 4) out += ' ';
    std::vector<uint8_t> glb(bytes.begin(), bytes.begin() + 12);
    uint32_t len = uint32_t(out.size()), type = 0x4E4F534Au;
    glb.insert(glb.end(), reinterpret_cast<uint8_t*>(&len), reinterpret_cast<uint8_t*>(&len) + 4);
    glb.insert(glb.end(), reinterpret_cast<uint8_t*>(&type), reinterpret_cast<uint8_t*>(&type) + 4);
    glb.insert(glb.end(), out.begin(), out.end());
    size_t rest = json_start + ((json_len + 3) & ~size_t(3));
    if (rest < bytes.size()) glb.insert(glb.end(), bytes.begin() + long(rest), bytes.end());
    uint32_t total = uint32_t(glb.size());
    std::memcpy(glb.data() + 8, &total, 4);
    return glb;
}

}  // namespace

bool is_supported_extension(const std::string& name) {
    return std::find(std::begin(kSupported), std::end(kSupported), name) != std::end(kSupported);
}

namespace {

// Whether `bytes` can be a glTF at all, before tinygltf (whose JSON errors read
// "[json.exception.parse_error.101] ..."): binary glTF's magic, or JSON's '{' as the
// first character after an optional byte order mark and white space. Also refuses JSON
// nested too deep for the parser (nlohmann::json recurses once per level).
Result<void> check_gltf_bytes(const std::vector<uint8_t>& bytes, bool binary, const std::string& what) {
    std::string_view json;
    if (binary) {
        uint32_t len = 0;
        if (bytes.size() >= 20) std::memcpy(&len, bytes.data() + 12, 4);
        if (bytes.size() >= 20 && size_t(len) <= bytes.size() - 20)
            json = std::string_view(reinterpret_cast<const char*>(bytes.data()) + 20, len);
    } else {
        json = std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        size_t i = json.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
        while (i < json.size() && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r')) ++i;
        if (i == json.size() || json[i] != '{') {
            std::string head;
            for (size_t k = i; k < json.size() && k < i + 4; ++k) {
                const auto c = static_cast<unsigned char>(json[k]);
                head += c >= 0x20 && c < 0x7F ? char(c) : '.';
            }
            return fail(what + ": not a glTF file (neither JSON nor binary glTF; it starts with \"" + head + "\")");
        }
    }
    return check_json_nesting(json, what);
}

}  // namespace

Result<Model> import_gltf(const fs::path& path, const ImportOptions& options) {
    std::string name = path.filename().string();
    auto bytes = read_file(path, options.max_file_bytes);  // a regular file only: never a FIFO or a device
    if (!bytes) return bytes.error();
    if (bytes->size() < 12) return fail(path.string() + ": file is empty or too short to be glTF");

    LoadContext ctx{fs::weakly_canonical(fs::absolute(path).parent_path()), options.max_file_bytes, {}};
    tg::TinyGLTF loader;
    loader.SetFsCallbacks(tg::FsCallbacks{fs_exists, fs_expand, fs_read, fs_write, &ctx});
    loader.SetImageLoader(load_image_data, &ctx);

    bool binary = bytes->size() >= 4 && std::memcmp(bytes->data(), "glTF", 4) == 0;
    if (auto ok = check_gltf_bytes(*bytes, binary, path.string()); !ok) return ok.error();
    auto prepared = prepare_for_tinygltf(std::move(bytes.value()), binary, ctx.root);
    if (!prepared) return fail(path.string() + ": " + prepared.error().message);
    bytes.value() = std::move(prepared.value());

    tg::Model in;
    std::string error, warning;
    bool ok = binary ? loader.LoadBinaryFromMemory(&in, &error, &warning, bytes->data(), unsigned(bytes->size()),
                                                   ctx.root.string())
                     : loader.LoadASCIIFromString(&in, &error, &warning, reinterpret_cast<const char*>(bytes->data()),
                                                  unsigned(bytes->size()), ctx.root.string());
    if (!ok) {
        std::string why = !ctx.first_refusal.empty() ? ctx.first_refusal : error;
        std::replace(why.begin(), why.end(), '\n', ' ');
        while (!why.empty() && why.back() == ' ') why.pop_back();
        if (why.empty()) why = "not a valid glTF file";
        return fail(path.string() + ": " + why);
    }
    Importer importer(in, path.string());
    importer.root_ = ctx.root;
    importer.decode_images_ = options.decode_images;
    auto model = importer.run();
    if (model) {
        model->files.push_back(path.string());
        for (const fs::path& f : ctx.files) model->files.push_back(f.string());
        for (const fs::path& f : importer.files_) model->files.push_back(f.string());
    }
    if (model && !warning.empty()) {
        std::string w = warning;
        size_t start = 0;
        while (start < w.size()) {
            size_t end = w.find('\n', start);
            if (end == std::string::npos) end = w.size();
            if (end > start) model->warnings.push_back(w.substr(start, end - start));
            start = end + 1;
        }
    }
    return model;
}

}  // namespace vitrine::scene
