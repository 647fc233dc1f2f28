// KHR_draco_mesh_compression, decoded by us with Debian's libdraco: the caller has
// already checked that the compressed bytes lie inside their buffer.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"

namespace vitrine::scene {

struct DracoMesh {
    struct Attribute {
        int components = 0;
        std::vector<float> values;  // num_points * components, normalised integers mapped to [0,1]/[-1,1]
    };
    std::map<std::string, Attribute> attributes;  // by glTF semantic (POSITION, NORMAL, ...)
    std::vector<uint32_t> indices;                // triangle list
    uint32_t points = 0;
};

// `attribute_ids` maps glTF semantics to Draco unique attribute ids, as in the
// extension's "attributes" object.
Result<DracoMesh> decode_draco(const uint8_t* data, size_t size, const std::map<std::string, int>& attribute_ids);

}  // namespace vitrine::scene
