// Geometry repairs the glTF spec asks of a loader: strips/fans to lists, flat
// normals when NORMAL is missing, tangents when a normal map has no TANGENT.
#pragma once
#include <cstdint>
#include <vector>

#include "scene/model.h"

namespace vitrine::scene {

std::vector<uint32_t> strip_to_list(const std::vector<uint32_t>& strip);
std::vector<uint32_t> fan_to_list(const std::vector<uint32_t>& fan);

// Unwelds the primitive so each triangle has its own three vertices, and gives them
// the face normal (glTF 3.7.2.1: "client implementations MUST calculate flat normals").
void make_flat_normals(Primitive& prim);

// Per-vertex tangents from UV derivatives (accumulated per triangle, area weighted,
// Gram-Schmidt against the normal, handedness in w). Matches MikkTSpace on meshes
// whose UV seams are already split, as exported meshes are.
void generate_tangents(Primitive& prim, int uv_set);

void compute_bounds(Primitive& prim);

}  // namespace vitrine::scene
