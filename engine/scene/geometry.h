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

// Tangents as MikkTSpace builds them: per-corner tangents in the normal's plane,
// angle weighted, averaged per vertex and handedness; vertices where mirrored UV
// islands meet are split (may append vertices). Handedness in w, glTF convention.
void generate_tangents(Primitive& prim, int uv_set);

void compute_bounds(Primitive& prim);

}  // namespace vitrine::scene
