// Once a model is on the GPU, the CPU copies that only the GPU reads — image pixels, and
// the vertices and indices of rigid (neither skinned nor morphed) primitives — can be
// dropped; for a large scan that is most of its memory. restore_gpu_data reads them
// again from the model's file (after a lost device, to upload again) and refuses a file
// that no longer matches what was loaded.
#pragma once
#include "core/result.h"
#include "scene/model.h"

namespace vitrine::scene {

void drop_gpu_data(Model& model);
Result<void> restore_gpu_data(Model& model);

}  // namespace vitrine::scene
