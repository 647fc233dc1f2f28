// Shader modules and pipelines from SPIR-V embedded at build time.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "gpu/context.h"

namespace vitrine::gpu {

VkShaderModule make_shader(Context& ctx, const uint32_t* words, size_t bytes);

struct GraphicsPipelineDesc {
    VkShaderModule vert = VK_NULL_HANDLE, frag = VK_NULL_HANDLE;
    VkPipelineLayout layout = VK_NULL_HANDLE;
    VkRenderPass render_pass = VK_NULL_HANDLE;
    std::vector<VkVertexInputBindingDescription> bindings;
    std::vector<VkVertexInputAttributeDescription> attributes;
    VkCullModeFlags cull = VK_CULL_MODE_BACK_BIT;
    bool blend = false;  // premultiplied-style "over" for colour, alpha accumulates coverage
    bool depth_test = true, depth_write = true;
    VkSampleCountFlagBits samples = VK_SAMPLE_COUNT_1_BIT;
    std::optional<int32_t> frag_constant0;  // fragment specialization constant 0, when set
    VkPipelineCache cache = VK_NULL_HANDLE;
};

VkPipeline make_graphics_pipeline(Context& ctx, const GraphicsPipelineDesc& desc);
VkPipeline make_compute_pipeline(Context& ctx, VkShaderModule module, VkPipelineLayout layout);

// A descriptor set layout from (binding, type, stages[, array size]).
struct Binding {
    uint32_t binding;
    VkDescriptorType type;
    VkShaderStageFlags stages;
    uint32_t count = 1;  // array size
};
VkDescriptorSetLayout make_set_layout(Context& ctx, const std::vector<Binding>& bindings);
VkPipelineLayout make_pipeline_layout(Context& ctx, const std::vector<VkDescriptorSetLayout>& sets,
                                      uint32_t push_bytes, VkShaderStageFlags push_stages);

// Small helpers to fill descriptor writes.
void write_image(Context& ctx, VkDescriptorSet set, uint32_t binding, VkDescriptorType type, VkImageView view,
                 VkSampler sampler, VkImageLayout layout, uint32_t array_element = 0);
void write_buffer(Context& ctx, VkDescriptorSet set, uint32_t binding, VkDescriptorType type, VkBuffer buffer,
                  uint64_t size);

}  // namespace vitrine::gpu
