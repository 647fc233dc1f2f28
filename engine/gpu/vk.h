// Vulkan include and the check for calls that only fail on a bug or a lost device.
#pragma once
#include <cstdio>
#include <cstdlib>

#include <vulkan/vulkan.h>

namespace vitrine::gpu {
const char* vk_result_name(VkResult r);
}

// Every Vulkan object the engine makes or destroys is counted (gpu/live_objects.h): the
// calls below are mapped onto versions with the same arguments and results that count
// them, so no call site can forget (VITRINE_COUNTERS prints the counts per frame).
namespace vitrine::gpu::counted {
#define VITRINE_COUNTED_PAIR(Create, Destroy, Info, Handle)                                                 \
    VkResult Create(VkDevice, const Info*, const VkAllocationCallbacks*, Handle*);                           \
    void Destroy(VkDevice, Handle, const VkAllocationCallbacks*);
VITRINE_COUNTED_PAIR(vkCreateBuffer, vkDestroyBuffer, VkBufferCreateInfo, VkBuffer)
VITRINE_COUNTED_PAIR(vkCreateImage, vkDestroyImage, VkImageCreateInfo, VkImage)
VITRINE_COUNTED_PAIR(vkCreateImageView, vkDestroyImageView, VkImageViewCreateInfo, VkImageView)
VITRINE_COUNTED_PAIR(vkCreateSampler, vkDestroySampler, VkSamplerCreateInfo, VkSampler)
VITRINE_COUNTED_PAIR(vkCreateDescriptorSetLayout, vkDestroyDescriptorSetLayout, VkDescriptorSetLayoutCreateInfo,
                     VkDescriptorSetLayout)
VITRINE_COUNTED_PAIR(vkCreatePipelineLayout, vkDestroyPipelineLayout, VkPipelineLayoutCreateInfo, VkPipelineLayout)
VITRINE_COUNTED_PAIR(vkCreatePipelineCache, vkDestroyPipelineCache, VkPipelineCacheCreateInfo, VkPipelineCache)
VITRINE_COUNTED_PAIR(vkCreateShaderModule, vkDestroyShaderModule, VkShaderModuleCreateInfo, VkShaderModule)
VITRINE_COUNTED_PAIR(vkCreateRenderPass, vkDestroyRenderPass, VkRenderPassCreateInfo, VkRenderPass)
VITRINE_COUNTED_PAIR(vkCreateFramebuffer, vkDestroyFramebuffer, VkFramebufferCreateInfo, VkFramebuffer)
VITRINE_COUNTED_PAIR(vkCreateSemaphore, vkDestroySemaphore, VkSemaphoreCreateInfo, VkSemaphore)
VITRINE_COUNTED_PAIR(vkCreateFence, vkDestroyFence, VkFenceCreateInfo, VkFence)
VITRINE_COUNTED_PAIR(vkCreateQueryPool, vkDestroyQueryPool, VkQueryPoolCreateInfo, VkQueryPool)
VITRINE_COUNTED_PAIR(vkCreateSwapchainKHR, vkDestroySwapchainKHR, VkSwapchainCreateInfoKHR, VkSwapchainKHR)
VITRINE_COUNTED_PAIR(vkCreateCommandPool, vkDestroyCommandPool, VkCommandPoolCreateInfo, VkCommandPool)
VITRINE_COUNTED_PAIR(vkCreateDescriptorPool, vkDestroyDescriptorPool, VkDescriptorPoolCreateInfo, VkDescriptorPool)
#undef VITRINE_COUNTED_PAIR
VkResult vkCreateRenderPass2(VkDevice, const VkRenderPassCreateInfo2*, const VkAllocationCallbacks*, VkRenderPass*);
VkResult vkAllocateMemory(VkDevice, const VkMemoryAllocateInfo*, const VkAllocationCallbacks*, VkDeviceMemory*);
void vkFreeMemory(VkDevice, VkDeviceMemory, const VkAllocationCallbacks*);
VkResult vkCreateGraphicsPipelines(VkDevice, VkPipelineCache, uint32_t, const VkGraphicsPipelineCreateInfo*,
                                   const VkAllocationCallbacks*, VkPipeline*);
VkResult vkCreateComputePipelines(VkDevice, VkPipelineCache, uint32_t, const VkComputePipelineCreateInfo*,
                                  const VkAllocationCallbacks*, VkPipeline*);
void vkDestroyPipeline(VkDevice, VkPipeline, const VkAllocationCallbacks*);
VkResult vkAllocateDescriptorSets(VkDevice, const VkDescriptorSetAllocateInfo*, VkDescriptorSet*);
VkResult vkFreeDescriptorSets(VkDevice, VkDescriptorPool, uint32_t, const VkDescriptorSet*);
VkResult vkResetDescriptorPool(VkDevice, VkDescriptorPool, VkDescriptorPoolResetFlags);
VkResult vkAllocateCommandBuffers(VkDevice, const VkCommandBufferAllocateInfo*, VkCommandBuffer*);
void vkFreeCommandBuffers(VkDevice, VkCommandPool, uint32_t, const VkCommandBuffer*);
}  // namespace vitrine::gpu::counted

#ifndef VITRINE_VK_UNCOUNTED  // gpu/live_objects.cpp calls the real ones
#define vkCreateBuffer ::vitrine::gpu::counted::vkCreateBuffer
#define vkDestroyBuffer ::vitrine::gpu::counted::vkDestroyBuffer
#define vkCreateImage ::vitrine::gpu::counted::vkCreateImage
#define vkDestroyImage ::vitrine::gpu::counted::vkDestroyImage
#define vkCreateImageView ::vitrine::gpu::counted::vkCreateImageView
#define vkDestroyImageView ::vitrine::gpu::counted::vkDestroyImageView
#define vkCreateSampler ::vitrine::gpu::counted::vkCreateSampler
#define vkDestroySampler ::vitrine::gpu::counted::vkDestroySampler
#define vkCreateDescriptorSetLayout ::vitrine::gpu::counted::vkCreateDescriptorSetLayout
#define vkDestroyDescriptorSetLayout ::vitrine::gpu::counted::vkDestroyDescriptorSetLayout
#define vkCreatePipelineLayout ::vitrine::gpu::counted::vkCreatePipelineLayout
#define vkDestroyPipelineLayout ::vitrine::gpu::counted::vkDestroyPipelineLayout
#define vkCreatePipelineCache ::vitrine::gpu::counted::vkCreatePipelineCache
#define vkDestroyPipelineCache ::vitrine::gpu::counted::vkDestroyPipelineCache
#define vkCreateShaderModule ::vitrine::gpu::counted::vkCreateShaderModule
#define vkDestroyShaderModule ::vitrine::gpu::counted::vkDestroyShaderModule
#define vkCreateRenderPass ::vitrine::gpu::counted::vkCreateRenderPass
#define vkCreateRenderPass2 ::vitrine::gpu::counted::vkCreateRenderPass2
#define vkDestroyRenderPass ::vitrine::gpu::counted::vkDestroyRenderPass
#define vkCreateFramebuffer ::vitrine::gpu::counted::vkCreateFramebuffer
#define vkDestroyFramebuffer ::vitrine::gpu::counted::vkDestroyFramebuffer
#define vkCreateSemaphore ::vitrine::gpu::counted::vkCreateSemaphore
#define vkDestroySemaphore ::vitrine::gpu::counted::vkDestroySemaphore
#define vkCreateFence ::vitrine::gpu::counted::vkCreateFence
#define vkDestroyFence ::vitrine::gpu::counted::vkDestroyFence
#define vkCreateQueryPool ::vitrine::gpu::counted::vkCreateQueryPool
#define vkDestroyQueryPool ::vitrine::gpu::counted::vkDestroyQueryPool
#define vkCreateSwapchainKHR ::vitrine::gpu::counted::vkCreateSwapchainKHR
#define vkDestroySwapchainKHR ::vitrine::gpu::counted::vkDestroySwapchainKHR
#define vkCreateCommandPool ::vitrine::gpu::counted::vkCreateCommandPool
#define vkDestroyCommandPool ::vitrine::gpu::counted::vkDestroyCommandPool
#define vkCreateDescriptorPool ::vitrine::gpu::counted::vkCreateDescriptorPool
#define vkDestroyDescriptorPool ::vitrine::gpu::counted::vkDestroyDescriptorPool
#define vkResetDescriptorPool ::vitrine::gpu::counted::vkResetDescriptorPool
#define vkAllocateMemory ::vitrine::gpu::counted::vkAllocateMemory
#define vkFreeMemory ::vitrine::gpu::counted::vkFreeMemory
#define vkCreateGraphicsPipelines ::vitrine::gpu::counted::vkCreateGraphicsPipelines
#define vkCreateComputePipelines ::vitrine::gpu::counted::vkCreateComputePipelines
#define vkDestroyPipeline ::vitrine::gpu::counted::vkDestroyPipeline
#define vkAllocateDescriptorSets ::vitrine::gpu::counted::vkAllocateDescriptorSets
#define vkFreeDescriptorSets ::vitrine::gpu::counted::vkFreeDescriptorSets
#define vkAllocateCommandBuffers ::vitrine::gpu::counted::vkAllocateCommandBuffers
#define vkFreeCommandBuffers ::vitrine::gpu::counted::vkFreeCommandBuffers
#endif

#define VK_CHECK(call)                                                                            \
    do {                                                                                          \
        VkResult vk_check_result_ = (call);                                                       \
        if (vk_check_result_ != VK_SUCCESS) {                                                     \
            std::fprintf(stderr, "vitrine: Vulkan error %s at %s:%d: %s\n",                       \
                         vitrine::gpu::vk_result_name(vk_check_result_), __FILE__, __LINE__, #call); \
            std::abort();                                                                         \
        }                                                                                         \
    } while (0)
