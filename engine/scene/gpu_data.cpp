#include "scene/gpu_data.h"

#include "scene/gltf_import.h"

namespace vitrine::scene {

static bool rigid(const Primitive& p) { return p.joints.empty() && p.targets.empty(); }

void drop_gpu_data(Model& model) {
    for (Mesh& mesh : model.meshes)
        for (Primitive& p : mesh.primitives)
            if (rigid(p)) {
                std::vector<Vertex>().swap(p.vertices);
                std::vector<uint32_t>().swap(p.indices);
            }
    for (ModelImage& img : model.images) std::vector<uint8_t>().swap(img.pixels.rgba);
    model.gpu_data_dropped = true;
}

Result<void> restore_gpu_data(Model& model) {
    if (!model.gpu_data_dropped) return {};
    auto fresh = import_gltf(model.source);
    if (!fresh) return fresh.error();
    auto changed = [&] { return fail(model.source + ": the file changed since it was loaded; cannot upload it again"); };
    if (fresh->meshes.size() != model.meshes.size() || fresh->images.size() != model.images.size()) return changed();
    for (size_t m = 0; m < model.meshes.size(); ++m) {
        if (fresh->meshes[m].primitives.size() != model.meshes[m].primitives.size()) return changed();
        for (size_t p = 0; p < model.meshes[m].primitives.size(); ++p) {
            const Primitive& f = fresh->meshes[m].primitives[p];
            const Primitive& o = model.meshes[m].primitives[p];
            if (rigid(o) && (f.min != o.min || f.max != o.max || !rigid(f))) return changed();
        }
    }
    for (size_t i = 0; i < model.images.size(); ++i) {
        const Image8& f = fresh->images[i].pixels;
        const Image8& o = model.images[i].pixels;
        if (f.width != o.width || f.height != o.height) return changed();
    }
    for (size_t m = 0; m < model.meshes.size(); ++m)
        for (size_t p = 0; p < model.meshes[m].primitives.size(); ++p) {
            Primitive& o = model.meshes[m].primitives[p];
            if (!rigid(o)) continue;
            o.vertices = std::move(fresh->meshes[m].primitives[p].vertices);
            o.indices = std::move(fresh->meshes[m].primitives[p].indices);
        }
    for (size_t i = 0; i < model.images.size(); ++i) model.images[i].pixels.rgba = std::move(fresh->images[i].pixels.rgba);
    model.gpu_data_dropped = false;
    return {};
}

}  // namespace vitrine::scene
