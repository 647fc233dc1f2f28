// A glTF model as plain C++ data (no Vulkan, no tinygltf types). Units are the
// file's: metres, radians, seconds. Indices into vectors replace glTF indices;
// -1 means "none".
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <glm/glm.hpp>
#include <glm/gtc/quaternion.hpp>

#include "core/image.h"

namespace vitrine::scene {

// What the renderer draws: one interleaved vertex layout for every primitive.
struct Vertex {
    glm::vec3 position{0};
    glm::vec3 normal{0, 0, 1};
    glm::vec4 tangent{1, 0, 0, 1};  // xyz tangent, w handedness
    glm::vec2 uv0{0};
    glm::vec2 uv1{0};
    glm::vec4 color{1};
};

struct MorphTarget {
    std::vector<glm::vec3> position, normal, tangent;  // deltas; empty when absent
};

struct Primitive {
    std::vector<Vertex> vertices;
    std::vector<uint32_t> indices;  // triangle list, always present after import
    int material = -1;              // -1: the glTF default material
    std::vector<glm::u16vec4> joints;  // skinning; empty when not skinned
    std::vector<glm::vec4> weights;
    std::vector<MorphTarget> targets;
    glm::vec3 min{0}, max{0};  // object-space bounds of positions
    bool has_uv0 = false;      // the file gave TEXCOORD_0 (else uv0 is all zero)
};

struct Mesh {
    std::string name;
    std::vector<Primitive> primitives;
    std::vector<float> weights;  // default morph weights
};

struct TextureTransform {
    glm::vec2 offset{0}, scale{1};
    float rotation = 0;
    glm::mat3 matrix() const;  // KHR_texture_transform: T * R * S
};

struct TextureRef {
    int texture = -1;  // index into Model::textures, -1 = none
    int tex_coord = 0;
    float scale = 1;   // normalTexture.scale or occlusionTexture.strength
    TextureTransform transform;
};

enum class AlphaMode { Opaque, Mask, Blend };

// KHR_materials_* layers. A factor of 0 (or an absent extension) disables a layer.
struct Clearcoat {
    float factor = 0, roughness = 0;
    TextureRef texture, roughness_texture, normal_texture;  // R, G, normal
};
struct Specular {
    float factor = 1;
    glm::vec3 color{1};
    TextureRef texture, color_texture;  // A, RGB (sRGB)
};
struct Sheen {
    glm::vec3 color{0};
    float roughness = 0;
    TextureRef color_texture, roughness_texture;  // RGB (sRGB), A
};
struct Transmission {
    float factor = 0;
    TextureRef texture;  // R
    // KHR_materials_volume
    float thickness = 0;
    TextureRef thickness_texture;  // G
    float attenuation_distance = 0;  // 0 = infinite
    glm::vec3 attenuation_color{1};
};

struct Material {
    std::string name;
    glm::vec4 base_color{1};
    float metallic = 1, roughness = 1;
    glm::vec3 emissive{0};
    float emissive_strength = 1;  // KHR_materials_emissive_strength
    AlphaMode alpha_mode = AlphaMode::Opaque;
    float alpha_cutoff = 0.5f;
    bool double_sided = false;
    bool unlit = false;  // KHR_materials_unlit
    float ior = 1.5f;    // KHR_materials_ior
    TextureRef base_color_tex, metal_rough_tex, normal_tex, occlusion_tex, emissive_tex;
    Clearcoat clearcoat;
    Specular specular;
    Sheen sheen;
    Transmission transmission;
};

enum class Filter { Nearest, Linear };
enum class Wrap { Repeat, Clamp, Mirror };

struct Sampler {
    Filter mag = Filter::Linear, min = Filter::Linear;
    bool mipmaps = true;
    Filter mip = Filter::Linear;
    Wrap wrap_s = Wrap::Repeat, wrap_t = Wrap::Repeat;
};

struct Texture {
    int image = -1;  // index into Model::images; -1 = unsupported source (shown as white)
    Sampler sampler;
};

struct ModelImage {
    std::string name;
    Image8 pixels;  // empty when the source could not be decoded
    bool srgb = false;    // used as colour (base colour, emissive)
    bool linear = false;  // used as data (normal, metal/rough, occlusion)
};

struct Camera {
    std::string name;
    bool perspective = true;
    float yfov = 0.8f, aspect = 0, znear = 0.01f, zfar = 0;  // aspect/zfar 0 = unspecified
    float xmag = 1, ymag = 1;
};

enum class LightType { Directional, Point, Spot };

struct Light {
    std::string name;
    LightType type = LightType::Point;
    glm::vec3 color{1};
    float intensity = 1;  // candela (point/spot) or lux (directional)
    float range = 0;      // 0 = infinite
    float inner_cone = 0, outer_cone = 0.7853982f;
};

struct Node {
    std::string name;
    int parent = -1;
    std::vector<int> children;
    glm::vec3 translation{0};
    glm::quat rotation{1, 0, 0, 0};
    glm::vec3 scale{1};
    bool has_matrix = false;
    glm::mat4 matrix{1};
    int mesh = -1, camera = -1, light = -1, skin = -1;
    std::vector<float> weights;  // morph weights override
    glm::mat4 local() const;
};

struct Skin {
    std::string name;
    std::vector<int> joints;
    std::vector<glm::mat4> inverse_bind;  // one per joint (identity when absent)
};

enum class Interpolation { Step, Linear, CubicSpline };
enum class AnimPath { Translation, Rotation, Scale, Weights };

struct AnimSampler {
    std::vector<float> input;   // key times, seconds, strictly increasing
    std::vector<float> output;  // flattened values (components * keys, x3 for cubic)
    Interpolation interpolation = Interpolation::Linear;
};

struct AnimChannel {
    int sampler = -1, node = -1;
    AnimPath path = AnimPath::Translation;
};

struct Animation {
    std::string name;
    std::vector<AnimSampler> samplers;
    std::vector<AnimChannel> channels;
    float duration = 0;  // seconds
};

// A material's factors replaced for one instance (a show's tracks and cues set them).
struct MaterialOverride {
    int material = -1;  // index into Model::materials
    bool has_base_color = false, has_emissive = false;
    glm::vec4 base_color{1};
    glm::vec3 emissive{0};  // the factor; KHR_materials_emissive_strength still applies
};

struct Model {
    std::string source;  // file name, for messages
    std::vector<std::string> files;  // every file it was read from: the .gltf/.glb, buffers, images
    std::vector<Mesh> meshes;
    std::vector<Material> materials;
    std::vector<Texture> textures;
    std::vector<ModelImage> images;
    std::vector<Camera> cameras;
    std::vector<Light> lights;
    std::vector<Node> nodes;
    std::vector<Skin> skins;
    std::vector<Animation> animations;
    std::vector<int> roots;  // root nodes of the scene shown (default scene, or scene 0)
    std::vector<std::string> extensions_used, extensions_required;
    std::vector<std::string> unsupported_extensions;  // used by the file, not by us
    std::vector<std::string> warnings;                // recoverable problems found on import
    bool gpu_data_dropped = false;  // see scene/gpu_data.h: pixels and rigid geometry live on the GPU only
};

}  // namespace vitrine::scene
