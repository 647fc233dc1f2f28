// Vulkan include and the check for calls that only fail on a bug or a lost device.
#pragma once
#include <cstdio>
#include <cstdlib>

#include <vulkan/vulkan.h>

namespace vitrine::gpu {
const char* vk_result_name(VkResult r);
}

#define VK_CHECK(call)                                                                            \
    do {                                                                                          \
        VkResult vk_check_result_ = (call);                                                       \
        if (vk_check_result_ != VK_SUCCESS) {                                                     \
            std::fprintf(stderr, "vitrine: Vulkan error %s at %s:%d: %s\n",                       \
                         vitrine::gpu::vk_result_name(vk_check_result_), __FILE__, __LINE__, #call); \
            std::abort();                                                                         \
        }                                                                                         \
    } while (0)
