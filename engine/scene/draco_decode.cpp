#include "scene/draco_decode.h"

#include <cmath>

#include <draco/compression/decode.h>
#include <draco/core/decoder_buffer.h>

namespace vitrine::scene {

Result<DracoMesh> decode_draco(const uint8_t* data, size_t size, const std::map<std::string, int>& attribute_ids) {
    draco::DecoderBuffer buffer;
    buffer.Init(reinterpret_cast<const char*>(data), size);
    draco::Decoder decoder;
    auto decoded = decoder.DecodeMeshFromBuffer(&buffer);
    if (!decoded.ok()) return fail("Draco data cannot be decoded (" + decoded.status().error_msg_string() + ")");
    const std::unique_ptr<draco::Mesh>& mesh = decoded.value();
    if (!mesh) return fail("Draco data holds no mesh");
    DracoMesh out;
    out.points = mesh->num_points();
    if (out.points > (1u << 26) || mesh->num_faces() > (1u << 27)) return fail("Draco mesh is implausibly large");
    out.indices.reserve(size_t(mesh->num_faces()) * 3);
    for (draco::FaceIndex f(0); f < mesh->num_faces(); ++f) {
        const auto& face = mesh->face(f);
        for (int k = 0; k < 3; ++k) {
            uint32_t v = face[k].value();
            if (v >= out.points) return fail("Draco face refers to a missing point");
            out.indices.push_back(v);
        }
    }
    for (const auto& [semantic, id] : attribute_ids) {
        const draco::PointAttribute* a = mesh->GetAttributeByUniqueId(uint32_t(id));
        if (!a) return fail("Draco data has no attribute " + std::to_string(id) + " for " + semantic);
        int comps = a->num_components();
        if (comps < 1 || comps > 4) return fail("Draco attribute " + semantic + " has " + std::to_string(comps) + " components");
        DracoMesh::Attribute attr;
        attr.components = comps;
        attr.values.resize(size_t(out.points) * size_t(comps));
        float tmp[4];
        for (draco::PointIndex p(0); p < out.points; ++p) {
            if (!a->ConvertValue<float>(a->mapped_index(p), int8_t(comps), tmp))
                return fail("Draco attribute " + semantic + " cannot be read as numbers");
            for (int c = 0; c < comps; ++c) {
                if (!std::isfinite(tmp[c])) return fail("Draco attribute " + semantic + " contains NaN or infinite values");
                attr.values[size_t(p.value()) * size_t(comps) + size_t(c)] = tmp[c];
            }
        }
        out.attributes[semantic] = std::move(attr);
    }
    return out;
}

}  // namespace vitrine::scene
