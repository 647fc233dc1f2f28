#include "gpu/pipeline.h"

namespace vitrine::gpu {

VkShaderModule make_shader(Context& ctx, const uint32_t* words, size_t bytes) {
    VkShaderModuleCreateInfo ci{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
    ci.codeSize = bytes;
    ci.pCode = words;
    VkShaderModule m;
    VK_CHECK(vkCreateShaderModule(ctx.device(), &ci, nullptr, &m));
    return m;
}

VkPipeline make_graphics_pipeline(Context& ctx, const GraphicsPipelineDesc& d) {
    int32_t constant = d.frag_constant0.value_or(0);
    VkSpecializationMapEntry entry{0, 0, sizeof(int32_t)};
    VkSpecializationInfo spec{1, &entry, sizeof(int32_t), &constant};
    VkPipelineShaderStageCreateInfo stages[2] = {
        {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO, nullptr, 0, VK_SHADER_STAGE_VERTEX_BIT, d.vert, "main", nullptr},
        {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO, nullptr, 0, VK_SHADER_STAGE_FRAGMENT_BIT, d.frag, "main",
         d.frag_constant0 ? &spec : nullptr},
    };
    VkPipelineVertexInputStateCreateInfo vi{VK_STRUCTURE_TYPE_PIPELINE_VERTEX_INPUT_STATE_CREATE_INFO};
    vi.vertexBindingDescriptionCount = uint32_t(d.bindings.size());
    vi.pVertexBindingDescriptions = d.bindings.data();
    vi.vertexAttributeDescriptionCount = uint32_t(d.attributes.size());
    vi.pVertexAttributeDescriptions = d.attributes.data();
    VkPipelineInputAssemblyStateCreateInfo ia{VK_STRUCTURE_TYPE_PIPELINE_INPUT_ASSEMBLY_STATE_CREATE_INFO};
    ia.topology = VK_PRIMITIVE_TOPOLOGY_TRIANGLE_LIST;
    VkPipelineViewportStateCreateInfo vp{VK_STRUCTURE_TYPE_PIPELINE_VIEWPORT_STATE_CREATE_INFO};
    vp.viewportCount = 1;
    vp.scissorCount = 1;
    VkPipelineRasterizationStateCreateInfo rs{VK_STRUCTURE_TYPE_PIPELINE_RASTERIZATION_STATE_CREATE_INFO};
    rs.polygonMode = VK_POLYGON_MODE_FILL;
    rs.cullMode = d.cull;
    rs.frontFace = VK_FRONT_FACE_COUNTER_CLOCKWISE;
    rs.lineWidth = 1.0f;
    VkPipelineMultisampleStateCreateInfo ms{VK_STRUCTURE_TYPE_PIPELINE_MULTISAMPLE_STATE_CREATE_INFO};
    ms.rasterizationSamples = d.samples;
    VkPipelineDepthStencilStateCreateInfo ds{VK_STRUCTURE_TYPE_PIPELINE_DEPTH_STENCIL_STATE_CREATE_INFO};
    ds.depthTestEnable = d.depth_test;
    ds.depthWriteEnable = d.depth_write;
    ds.depthCompareOp = VK_COMPARE_OP_LESS_OR_EQUAL;
    VkPipelineColorBlendAttachmentState att{};
    att.colorWriteMask = 0xF;
    if (d.blend) {
        att.blendEnable = VK_TRUE;
        att.srcColorBlendFactor = VK_BLEND_FACTOR_SRC_ALPHA;
        att.dstColorBlendFactor = VK_BLEND_FACTOR_ONE_MINUS_SRC_ALPHA;
        att.colorBlendOp = VK_BLEND_OP_ADD;
        att.srcAlphaBlendFactor = VK_BLEND_FACTOR_ONE;
        att.dstAlphaBlendFactor = VK_BLEND_FACTOR_ONE_MINUS_SRC_ALPHA;
        att.alphaBlendOp = VK_BLEND_OP_ADD;
    }
    VkPipelineColorBlendStateCreateInfo cb{VK_STRUCTURE_TYPE_PIPELINE_COLOR_BLEND_STATE_CREATE_INFO};
    cb.attachmentCount = 1;
    cb.pAttachments = &att;
    VkDynamicState dyn[] = {VK_DYNAMIC_STATE_VIEWPORT, VK_DYNAMIC_STATE_SCISSOR};
    VkPipelineDynamicStateCreateInfo dy{VK_STRUCTURE_TYPE_PIPELINE_DYNAMIC_STATE_CREATE_INFO};
    dy.dynamicStateCount = 2;
    dy.pDynamicStates = dyn;
    VkGraphicsPipelineCreateInfo ci{VK_STRUCTURE_TYPE_GRAPHICS_PIPELINE_CREATE_INFO};
    ci.stageCount = 2;
    ci.pStages = stages;
    ci.pVertexInputState = &vi;
    ci.pInputAssemblyState = &ia;
    ci.pViewportState = &vp;
    ci.pRasterizationState = &rs;
    ci.pMultisampleState = &ms;
    ci.pDepthStencilState = &ds;
    ci.pColorBlendState = &cb;
    ci.pDynamicState = &dy;
    ci.layout = d.layout;
    ci.renderPass = d.render_pass;
    VkPipeline p;
    VK_CHECK(vkCreateGraphicsPipelines(ctx.device(), d.cache, 1, &ci, nullptr, &p));
    return p;
}

VkPipeline make_compute_pipeline(Context& ctx, VkShaderModule module, VkPipelineLayout layout) {
    VkComputePipelineCreateInfo ci{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
    ci.stage = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO, nullptr, 0, VK_SHADER_STAGE_COMPUTE_BIT, module, "main", nullptr};
    ci.layout = layout;
    VkPipeline p;
    VK_CHECK(vkCreateComputePipelines(ctx.device(), VK_NULL_HANDLE, 1, &ci, nullptr, &p));
    return p;
}

VkDescriptorSetLayout make_set_layout(Context& ctx, const std::vector<Binding>& bindings) {
    std::vector<VkDescriptorSetLayoutBinding> b;
    for (const Binding& x : bindings) b.push_back({x.binding, x.type, x.count, x.stages, nullptr});
    VkDescriptorSetLayoutCreateInfo ci{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
    ci.bindingCount = uint32_t(b.size());
    ci.pBindings = b.data();
    VkDescriptorSetLayout l;
    VK_CHECK(vkCreateDescriptorSetLayout(ctx.device(), &ci, nullptr, &l));
    return l;
}

VkPipelineLayout make_pipeline_layout(Context& ctx, const std::vector<VkDescriptorSetLayout>& sets,
                                      uint32_t push_bytes, VkShaderStageFlags push_stages) {
    VkPushConstantRange range{push_stages, 0, push_bytes};
    VkPipelineLayoutCreateInfo ci{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    ci.setLayoutCount = uint32_t(sets.size());
    ci.pSetLayouts = sets.data();
    ci.pushConstantRangeCount = push_bytes ? 1 : 0;
    ci.pPushConstantRanges = &range;
    VkPipelineLayout l;
    VK_CHECK(vkCreatePipelineLayout(ctx.device(), &ci, nullptr, &l));
    return l;
}

static void write_descriptor(Context& ctx, VkDescriptorSet set, uint32_t binding, uint32_t element, VkDescriptorType type,
                             const VkDescriptorImageInfo* image, const VkDescriptorBufferInfo* buffer) {
    VkWriteDescriptorSet w{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
    w.dstSet = set;
    w.dstBinding = binding;
    w.dstArrayElement = element;
    w.descriptorCount = 1;
    w.descriptorType = type;
    w.pImageInfo = image;
    w.pBufferInfo = buffer;
    vkUpdateDescriptorSets(ctx.device(), 1, &w, 0, nullptr);
}

void write_image(Context& ctx, VkDescriptorSet set, uint32_t binding, VkDescriptorType type, VkImageView view,
                 VkSampler sampler, VkImageLayout layout, uint32_t array_element) {
    VkDescriptorImageInfo info{sampler, view, layout};
    write_descriptor(ctx, set, binding, array_element, type, &info, nullptr);
}

void write_buffer(Context& ctx, VkDescriptorSet set, uint32_t binding, VkDescriptorType type, VkBuffer buffer,
                  uint64_t size) {
    VkDescriptorBufferInfo info{buffer, 0, size};
    write_descriptor(ctx, set, binding, 0, type, nullptr, &info);
}

}  // namespace vitrine::gpu
