#include "gpu/context.h"

#include <cstring>

#include "core/log.h"

namespace vitrine::gpu {

const char* vk_result_name(VkResult r) {
    switch (r) {
        case VK_SUCCESS: return "VK_SUCCESS";
        case VK_NOT_READY: return "VK_NOT_READY";
        case VK_TIMEOUT: return "VK_TIMEOUT";
        case VK_SUBOPTIMAL_KHR: return "VK_SUBOPTIMAL_KHR";
        case VK_ERROR_OUT_OF_HOST_MEMORY: return "VK_ERROR_OUT_OF_HOST_MEMORY";
        case VK_ERROR_OUT_OF_DEVICE_MEMORY: return "VK_ERROR_OUT_OF_DEVICE_MEMORY";
        case VK_ERROR_INITIALIZATION_FAILED: return "VK_ERROR_INITIALIZATION_FAILED";
        case VK_ERROR_DEVICE_LOST: return "VK_ERROR_DEVICE_LOST";
        case VK_ERROR_LAYER_NOT_PRESENT: return "VK_ERROR_LAYER_NOT_PRESENT";
        case VK_ERROR_EXTENSION_NOT_PRESENT: return "VK_ERROR_EXTENSION_NOT_PRESENT";
        case VK_ERROR_FEATURE_NOT_PRESENT: return "VK_ERROR_FEATURE_NOT_PRESENT";
        case VK_ERROR_INCOMPATIBLE_DRIVER: return "VK_ERROR_INCOMPATIBLE_DRIVER";
        case VK_ERROR_SURFACE_LOST_KHR: return "VK_ERROR_SURFACE_LOST_KHR";
        case VK_ERROR_OUT_OF_DATE_KHR: return "VK_ERROR_OUT_OF_DATE_KHR";
        default: return "VkResult error";
    }
}

static VKAPI_ATTR VkBool32 VKAPI_CALL on_validation(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                    VkDebugUtilsMessageTypeFlagsEXT,
                                                    const VkDebugUtilsMessengerCallbackDataEXT* data, void* user) {
    if (severity >= VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT) {
        static_cast<Context*>(user)->note_validation_message();
        log::error(std::string("validation: ") + (data && data->pMessage ? data->pMessage : "(no message)"));
    }
    return VK_FALSE;
}

static bool has_layer(const char* name) {
    uint32_t n = 0;
    vkEnumerateInstanceLayerProperties(&n, nullptr);
    std::vector<VkLayerProperties> layers(n);
    vkEnumerateInstanceLayerProperties(&n, layers.data());
    for (auto& l : layers)
        if (std::strcmp(l.layerName, name) == 0) return true;
    return false;
}

static int device_rank(VkPhysicalDeviceType t) {
    switch (t) {
        case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return 4;
        case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return 3;
        case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return 2;
        case VK_PHYSICAL_DEVICE_TYPE_CPU: return 1;
        default: return 0;
    }
}

Result<std::unique_ptr<Context>> Context::create(const ContextOptions& options) {
    std::unique_ptr<Context> ctx(new Context());
    VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
    app.pApplicationName = "vitrine";
    app.pEngineName = "vitrine";
    app.apiVersion = VK_API_VERSION_1_2;

    std::vector<const char*> extensions, layers;
    for (const auto& e : options.instance_extensions) extensions.push_back(e.c_str());
    bool installed = has_layer("VK_LAYER_KHRONOS_validation");
    bool validation = options.validation == Validation::Required || (options.validation == Validation::IfInstalled && installed);
    if (validation && !installed) {
        return fail("Vulkan validation was requested but VK_LAYER_KHRONOS_validation is not installed "
                    "(install the vulkan-validationlayers package)");
    }
    if (validation) {
        layers.push_back("VK_LAYER_KHRONOS_validation");
        extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
    }
    VkDebugUtilsMessengerCreateInfoEXT dbg{VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
    dbg.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
    dbg.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT;
    dbg.pfnUserCallback = on_validation;
    dbg.pUserData = ctx.get();

    VkInstanceCreateInfo ici{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
    ici.pApplicationInfo = &app;
    ici.enabledExtensionCount = uint32_t(extensions.size());
    ici.ppEnabledExtensionNames = extensions.data();
    ici.enabledLayerCount = uint32_t(layers.size());
    ici.ppEnabledLayerNames = layers.data();
    if (validation) ici.pNext = &dbg;
    VkResult r = vkCreateInstance(&ici, nullptr, &ctx->instance_);
    if (r != VK_SUCCESS)
        return fail(std::string("cannot create a Vulkan instance (") + vk_result_name(r) +
                    "); is a Vulkan driver installed? (mesa-vulkan-drivers provides one that needs no GPU)");
    if (validation) {
        auto create = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
            vkGetInstanceProcAddr(ctx->instance_, "vkCreateDebugUtilsMessengerEXT"));
        if (create) VK_CHECK(create(ctx->instance_, &dbg, nullptr, &ctx->messenger_));
    }
    if (options.make_surface) {
        ctx->surface_ = options.make_surface(ctx->instance_);
        if (!ctx->surface_) return fail("cannot create a window surface");
    }

    uint32_t count = 0;
    vkEnumeratePhysicalDevices(ctx->instance_, &count, nullptr);
    std::vector<VkPhysicalDevice> devices(count);
    vkEnumeratePhysicalDevices(ctx->instance_, &count, devices.data());
    int best_rank = -1;
    for (VkPhysicalDevice d : devices) {
        VkPhysicalDeviceProperties p;
        vkGetPhysicalDeviceProperties(d, &p);
        if (p.apiVersion < VK_API_VERSION_1_2) continue;
        uint32_t qn = 0;
        vkGetPhysicalDeviceQueueFamilyProperties(d, &qn, nullptr);
        std::vector<VkQueueFamilyProperties> qf(qn);
        vkGetPhysicalDeviceQueueFamilyProperties(d, &qn, qf.data());
        for (uint32_t q = 0; q < qn; ++q) {
            bool ok = (qf[q].queueFlags & VK_QUEUE_GRAPHICS_BIT) && (qf[q].queueFlags & VK_QUEUE_COMPUTE_BIT);
            if (ok && ctx->surface_) {
                VkBool32 present = VK_FALSE;
                vkGetPhysicalDeviceSurfaceSupportKHR(d, q, ctx->surface_, &present);
                ok = present;
            }
            if (ok && device_rank(p.deviceType) > best_rank) {
                best_rank = device_rank(p.deviceType);
                ctx->physical_ = d;
                ctx->queue_family_ = q;
                ctx->properties_ = p;
            }
            if (ok) break;
        }
    }
    if (!ctx->physical_) return fail("no Vulkan 1.2 device with graphics and compute was found");
    ctx->device_name_ = ctx->properties_.deviceName;

    VkPhysicalDeviceFeatures supported{};
    vkGetPhysicalDeviceFeatures(ctx->physical_, &supported);
    VkPhysicalDeviceFeatures features{};
    features.samplerAnisotropy = supported.samplerAnisotropy;
    ctx->anisotropy_ = supported.samplerAnisotropy;
    float priority = 1.0f;
    VkDeviceQueueCreateInfo qci{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
    qci.queueFamilyIndex = ctx->queue_family_;
    qci.queueCount = 1;
    qci.pQueuePriorities = &priority;
    std::vector<const char*> device_ext;
    if (ctx->surface_) device_ext.push_back(VK_KHR_SWAPCHAIN_EXTENSION_NAME);
    VkDeviceCreateInfo dci{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
    dci.queueCreateInfoCount = 1;
    dci.pQueueCreateInfos = &qci;
    dci.pEnabledFeatures = &features;
    dci.enabledExtensionCount = uint32_t(device_ext.size());
    dci.ppEnabledExtensionNames = device_ext.data();
    r = vkCreateDevice(ctx->physical_, &dci, nullptr, &ctx->device_);
    if (r != VK_SUCCESS) return fail(std::string("cannot create the Vulkan device (") + vk_result_name(r) + ")");
    vkGetDeviceQueue(ctx->device_, ctx->queue_family_, 0, &ctx->queue_);
    ctx->allocator_ = std::make_unique<Allocator>(ctx->physical_, ctx->device_);

    VkCommandPoolCreateInfo pci{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    pci.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT;
    pci.queueFamilyIndex = ctx->queue_family_;
    VK_CHECK(vkCreateCommandPool(ctx->device_, &pci, nullptr, &ctx->upload_pool_));
    VkFenceCreateInfo fci{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    VK_CHECK(vkCreateFence(ctx->device_, &fci, nullptr, &ctx->upload_fence_));
    return ctx;
}

Context::~Context() {
    if (device_) {
        vkDeviceWaitIdle(device_);  // shutdown only
        for (auto& bucket : deferred_) {
            for (auto& f : bucket) f();
            bucket.clear();
        }
        vkDestroyFence(device_, upload_fence_, nullptr);
        vkDestroyCommandPool(device_, upload_pool_, nullptr);
        allocator_.reset();
        vkDestroyDevice(device_, nullptr);
    }
    if (surface_) vkDestroySurfaceKHR(instance_, surface_, nullptr);
    if (messenger_) {
        auto destroy = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
            vkGetInstanceProcAddr(instance_, "vkDestroyDebugUtilsMessengerEXT"));
        if (destroy) destroy(instance_, messenger_, nullptr);
    }
    if (instance_) vkDestroyInstance(instance_, nullptr);
}

void Context::defer(std::function<void()> destroy) { deferred_[slot_].push_back(std::move(destroy)); }

void Context::begin_frame_slot(uint32_t slot) {
    slot_ = slot % kFramesInFlight;
    auto bucket = std::move(deferred_[slot_]);
    deferred_[slot_].clear();
    for (auto& f : bucket) f();
}

void Context::submit_now(const std::function<void(VkCommandBuffer)>& record) {
    VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    ai.commandPool = upload_pool_;
    ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    ai.commandBufferCount = 1;
    VkCommandBuffer cmd;
    VK_CHECK(vkAllocateCommandBuffers(device_, &ai, &cmd));
    VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    VK_CHECK(vkBeginCommandBuffer(cmd, &bi));
    record(cmd);
    VK_CHECK(vkEndCommandBuffer(cmd));
    VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    si.commandBufferCount = 1;
    si.pCommandBuffers = &cmd;
    VK_CHECK(vkQueueSubmit(queue_, 1, &si, upload_fence_));
    VK_CHECK(vkWaitForFences(device_, 1, &upload_fence_, VK_TRUE, UINT64_MAX));
    VK_CHECK(vkResetFences(device_, 1, &upload_fence_));
    vkFreeCommandBuffers(device_, upload_pool_, 1, &cmd);
}

void Context::finish_all() {
    VK_CHECK(vkQueueWaitIdle(queue_));
    for (auto& bucket : deferred_) {
        auto b = std::move(bucket);
        bucket.clear();
        for (auto& f : b) f();
    }
}

}  // namespace vitrine::gpu
