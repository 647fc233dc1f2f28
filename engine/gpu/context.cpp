#include "gpu/context.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>

#include "core/log.h"
#include "gpu/upload_ring.h"

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

[[maybe_unused]] static bool has_instance_extension(const char* name) {
    uint32_t n = 0;
    vkEnumerateInstanceExtensionProperties(nullptr, &n, nullptr);
    std::vector<VkExtensionProperties> exts(n);
    vkEnumerateInstanceExtensionProperties(nullptr, &n, exts.data());
    for (auto& e : exts)
        if (std::strcmp(e.extensionName, name) == 0) return true;
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


std::string DeviceLimits::summary() const {
    std::string msaa_list;
    for (uint32_t s = 1; s <= 64; s <<= 1)
        if (msaa & s) msaa_list += (msaa_list.empty() ? "" : "/") + std::to_string(s);
    return "max image " + std::to_string(max_image_2d) + " px, MSAA " + msaa_list + ", multiview " +
           (multiview ? std::to_string(max_multiview_views) + " views" : std::string("no")) + ", timeline semaphores " +
           (timeline_semaphores ? "yes" : "no") + ", descriptor indexing " + (descriptor_indexing ? "yes" : "no");
}

namespace {

// VITRINE_FAULT=device-lost@N: the process's N-th queue submission reports a lost device;
// device-lost@N+ : the N-th and every one after it (a GPU that does not come back).
// Counted per process, so a rebuilt device does not fail again at the same N.
uint64_t g_submissions = 0;
struct Fault {
    uint64_t at = 0;
    bool onwards = false;
};
Fault fault_plan() {
    static Fault f = [] {
        Fault out;
        const char* env = std::getenv("VITRINE_FAULT");
        unsigned long long v = 0;
        char more = 0;
        int n = env ? std::sscanf(env, "device-lost@%llu%c", &v, &more) : 0;
        if (n >= 1) out.at = v;
        out.onwards = n == 2 && more == '+';
        return out;
    }();
    return f;
}
std::atomic<bool> g_lose_next{false};
bool fault_now(uint64_t submission) {
    if (g_lose_next.exchange(false)) return true;
    Fault f = fault_plan();
    return f.at && (submission == f.at || (f.onwards && submission > f.at));
}

}  // namespace

void inject_device_loss() { g_lose_next = true; }

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
        return fail(ErrorKind::Gpu, "Vulkan validation was requested but VK_LAYER_KHRONOS_validation is not installed "
                                    "(install the vulkan-validationlayers package)");
    }
#ifndef NDEBUG
    // Debug builds label objects and passes for captures and validation text.
    bool names = validation || has_instance_extension(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
#else
    bool names = validation;
#endif
    if (validation) layers.push_back("VK_LAYER_KHRONOS_validation");
    if (names) extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
    VkDebugUtilsMessengerCreateInfoEXT dbg{VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
    dbg.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
    dbg.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT;
    dbg.pfnUserCallback = on_validation;
    dbg.pUserData = ctx.get();
    VkValidationFeatureEnableEXT sync = VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT;
    VkValidationFeaturesEXT features{VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT};
    features.enabledValidationFeatureCount = 1;
    features.pEnabledValidationFeatures = &sync;
    if (options.sync_validation) dbg.pNext = &features;

    VkInstanceCreateInfo ici{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
    ici.pApplicationInfo = &app;
    ici.enabledExtensionCount = uint32_t(extensions.size());
    ici.ppEnabledExtensionNames = extensions.data();
    ici.enabledLayerCount = uint32_t(layers.size());
    ici.ppEnabledLayerNames = layers.data();
    if (validation) ici.pNext = &dbg;
    VkResult r = vkCreateInstance(&ici, nullptr, &ctx->instance_);
    if (r != VK_SUCCESS)
        return fail(ErrorKind::Gpu, std::string("cannot create a Vulkan instance (") + vk_result_name(r) +
                                        "); is a Vulkan driver installed? (mesa-vulkan-drivers provides one that needs no GPU)");
    if (validation) {
        auto create = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
            vkGetInstanceProcAddr(ctx->instance_, "vkCreateDebugUtilsMessengerEXT"));
        dbg.pNext = nullptr;
        if (create) VK_CHECK(create(ctx->instance_, &dbg, nullptr, &ctx->messenger_));
    }
    if (names) {
        ctx->debug_utils_ = true;
        ctx->set_name_ = reinterpret_cast<PFN_vkSetDebugUtilsObjectNameEXT>(
            vkGetInstanceProcAddr(ctx->instance_, "vkSetDebugUtilsObjectNameEXT"));
        ctx->begin_label_ = reinterpret_cast<PFN_vkCmdBeginDebugUtilsLabelEXT>(
            vkGetInstanceProcAddr(ctx->instance_, "vkCmdBeginDebugUtilsLabelEXT"));
        ctx->end_label_ = reinterpret_cast<PFN_vkCmdEndDebugUtilsLabelEXT>(
            vkGetInstanceProcAddr(ctx->instance_, "vkCmdEndDebugUtilsLabelEXT"));
    }
    if (options.make_surface) {
        ctx->surface_ = options.make_surface(ctx->instance_);
        if (!ctx->surface_) return fail(ErrorKind::Gpu, "cannot create a window surface");
    }
    if (auto d = ctx->create_device(options); !d) return d.error();
    return ctx;
}

Result<void> Context::create_device(const ContextOptions& options) {
    uint32_t count = 0;
    vkEnumeratePhysicalDevices(instance_, &count, nullptr);
    std::vector<VkPhysicalDevice> devices(count);
    vkEnumeratePhysicalDevices(instance_, &count, devices.data());
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
            if (ok && surface_) {
                VkBool32 present = VK_FALSE;
                vkGetPhysicalDeviceSurfaceSupportKHR(d, q, surface_, &present);
                ok = present;
            }
            if (ok && device_rank(p.deviceType) > best_rank) {
                best_rank = device_rank(p.deviceType);
                physical_ = d;
                queue_family_ = q;
                properties_ = p;
            }
            if (ok) break;
        }
    }
    if (!physical_) return fail(ErrorKind::Gpu, "no Vulkan 1.2 device with graphics and compute was found");
    device_name_ = properties_.deviceName;

    // What the device offers; multiview, timeline semaphores and descriptor indexing are
    // enabled when present (later displays and the virtual texture use them).
    VkPhysicalDeviceVulkan12Features f12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
    VkPhysicalDeviceVulkan11Features f11{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES, &f12};
    VkPhysicalDeviceFeatures2 supported{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, &f11};
    vkGetPhysicalDeviceFeatures2(physical_, &supported);
    VkPhysicalDeviceMultiviewProperties mv{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MULTIVIEW_PROPERTIES};
    VkPhysicalDeviceProperties2 props2{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, &mv};
    vkGetPhysicalDeviceProperties2(physical_, &props2);
    const VkPhysicalDeviceLimits& l = properties_.limits;
    limits_.max_image_2d = l.maxImageDimension2D;
    limits_.max_framebuffer_width = l.maxFramebufferWidth;
    limits_.max_framebuffer_height = l.maxFramebufferHeight;
    limits_.max_viewports = l.maxViewports;
    limits_.msaa = l.framebufferColorSampleCounts & l.framebufferDepthSampleCounts;
    limits_.multiview = f11.multiview;
    limits_.fragment_stores = supported.features.fragmentStoresAndAtomics;
    limits_.max_multiview_views = f11.multiview ? mv.maxMultiviewViewCount : 0;
    limits_.timeline_semaphores = f12.timelineSemaphore && !std::getenv("VITRINE_NO_TIMELINE");
    limits_.descriptor_indexing = f12.descriptorIndexing;
    limits_.min_uniform_offset_alignment = l.minUniformBufferOffsetAlignment;
    limits_.min_storage_offset_alignment = l.minStorageBufferOffsetAlignment;

    VkPhysicalDeviceVulkan12Features e12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
    e12.timelineSemaphore = limits_.timeline_semaphores;
    if (f12.descriptorIndexing) {
        e12.descriptorIndexing = VK_TRUE;
        e12.shaderSampledImageArrayNonUniformIndexing = f12.shaderSampledImageArrayNonUniformIndexing;
        e12.runtimeDescriptorArray = f12.runtimeDescriptorArray;
        e12.descriptorBindingPartiallyBound = f12.descriptorBindingPartiallyBound;
        e12.descriptorBindingVariableDescriptorCount = f12.descriptorBindingVariableDescriptorCount;
    }
    VkPhysicalDeviceVulkan11Features e11{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES, &e12};
    e11.multiview = f11.multiview;
    VkPhysicalDeviceFeatures2 enabled{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, &e11};
    // llvmpipe's anisotropic filter (Mesa 22.3) runs for minutes on edge-on triangles, whose
    // derivatives are unbounded (DamagedHelmet seen exactly from +X hung a render), so CPU
    // devices filter trilinearly; GPUs get 8x anisotropy.
    bool cpu = properties_.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU;
    anisotropy_ = supported.features.samplerAnisotropy && !cpu;
    enabled.features.samplerAnisotropy = anisotropy_;
    enabled.features.fragmentStoresAndAtomics = supported.features.fragmentStoresAndAtomics;

    float priority = 1.0f;
    VkDeviceQueueCreateInfo qci{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
    qci.queueFamilyIndex = queue_family_;
    qci.queueCount = 1;
    qci.pQueuePriorities = &priority;
    std::vector<const char*> device_ext;
    if (surface_) device_ext.push_back(VK_KHR_SWAPCHAIN_EXTENSION_NAME);
    VkDeviceCreateInfo dci{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
    dci.pNext = &enabled;
    dci.queueCreateInfoCount = 1;
    dci.pQueueCreateInfos = &qci;
    dci.enabledExtensionCount = uint32_t(device_ext.size());
    dci.ppEnabledExtensionNames = device_ext.data();
    VkResult r = vkCreateDevice(physical_, &dci, nullptr, &device_);
    if (r != VK_SUCCESS) return fail(ErrorKind::Gpu, std::string("cannot create the Vulkan device (") + vk_result_name(r) + ")");
    vkGetDeviceQueue(device_, queue_family_, 0, &queue_);
    allocator_ = std::make_unique<Allocator>(physical_, device_);

    VkCommandPoolCreateInfo pci{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    pci.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT;
    pci.queueFamilyIndex = queue_family_;
    VK_CHECK(vkCreateCommandPool(device_, &pci, nullptr, &upload_pool_));
    if (limits_.timeline_semaphores) {
        VkSemaphoreTypeCreateInfo ti{VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO, nullptr, VK_SEMAPHORE_TYPE_TIMELINE, 0};
        VkSemaphoreCreateInfo sci{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO, &ti};
        VK_CHECK(vkCreateSemaphore(device_, &sci, nullptr, &timeline_));
        name(VK_OBJECT_TYPE_SEMAPHORE, timeline_, "queue timeline");
    }
    uploads_ = std::make_unique<UploadRing>(*this, options.staging_bytes);
    return {};
}

Context::~Context() {
    if (device_) {
        vkDeviceWaitIdle(device_);  // shutdown only (also after a lost device: returns at once)
        uploads_.reset();
        deletions_.flush();
        for (auto& [v, f] : pending_fences_) vkDestroyFence(device_, f, nullptr);
        for (VkFence f : free_fences_) vkDestroyFence(device_, f, nullptr);
        if (timeline_) vkDestroySemaphore(device_, timeline_, nullptr);
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

Error Context::device_lost(const std::string& where) {
    lost_ = true;
    return fail(ErrorKind::DeviceLost, "the GPU device was lost (" + where + ")");
}

Result<uint64_t> Context::submit(std::span<const VkCommandBuffer> cmds, std::span<const SemaphoreUse> waits,
                                 std::span<const VkSemaphore> signals) {
    if (lost_) return device_lost("submit after loss");
    // Pending upload copies go first in the same submission.
    VkCommandBuffer upload = uploads_ ? uploads_->close_open_batch() : VK_NULL_HANDLE;
    VkCommandBuffer cmd_list[8];
    uint32_t ncmd = 0;
    VITRINE_CHECK(cmds.size() < 8);
    if (upload) cmd_list[ncmd++] = upload;
    for (VkCommandBuffer c : cmds) cmd_list[ncmd++] = c;
    uint64_t value = submitted_ + 1;
    bool fault = fault_now(++g_submissions);
    // An injected fault still consumes the waits and advances the timeline, so the
    // device is in a clean state to tear down, but runs no commands and signals nothing else.
    VkSemaphore wait_sems[8];
    VkPipelineStageFlags wait_stages[8];
    VkSemaphore signal_sems[8];
    uint64_t signal_values[8] = {};
    VITRINE_CHECK(waits.size() <= 8 && signals.size() < 8);
    for (size_t i = 0; i < waits.size(); ++i) {
        wait_sems[i] = waits[i].semaphore;
        wait_stages[i] = waits[i].stage;
    }
    uint32_t nsignal = 0;
    if (!fault)
        for (VkSemaphore s : signals) signal_sems[nsignal++] = s;
    VkTimelineSemaphoreSubmitInfo ti{VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO};
    VkFence fence = VK_NULL_HANDLE;
    if (timeline_) {
        signal_values[nsignal] = value;
        signal_sems[nsignal++] = timeline_;
        ti.signalSemaphoreValueCount = nsignal;
        ti.pSignalSemaphoreValues = signal_values;
    } else {
        if (free_fences_.empty()) {
            VkFenceCreateInfo fci{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
            VkFence f;
            VK_CHECK(vkCreateFence(device_, &fci, nullptr, &f));
            free_fences_.push_back(f);
        }
        fence = free_fences_.back();
        free_fences_.pop_back();
    }
    VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO, timeline_ ? &ti : nullptr};
    si.waitSemaphoreCount = uint32_t(waits.size());
    si.pWaitSemaphores = wait_sems;
    si.pWaitDstStageMask = wait_stages;
    si.commandBufferCount = fault ? 0 : ncmd;
    si.pCommandBuffers = cmd_list;
    si.signalSemaphoreCount = nsignal;
    si.pSignalSemaphores = signal_sems;
    VkResult r = vkQueueSubmit(queue_, 1, &si, fence);
    if (r == VK_SUCCESS) {
        submitted_ = value;
        if (fence) pending_fences_.emplace_back(value, fence);
    } else if (fence) {
        free_fences_.push_back(fence);
    }
    if (upload) uploads_->batch_submitted(upload, value);
    if (fault) {
        log::warn("VITRINE_FAULT: submission " + std::to_string(g_submissions) + " reports VK_ERROR_DEVICE_LOST");
        return device_lost("injected at submission " + std::to_string(g_submissions));
    }
    if (r == VK_ERROR_DEVICE_LOST) return device_lost("vkQueueSubmit");
    if (r != VK_SUCCESS) return fail(ErrorKind::Gpu, std::string("vkQueueSubmit failed (") + vk_result_name(r) + ")");
    return value;
}

void Context::retire_fences() {
    size_t done = 0;
    while (done < pending_fences_.size() && vkGetFenceStatus(device_, pending_fences_[done].second) == VK_SUCCESS) {
        completed_ = pending_fences_[done].first;
        VkFence f = pending_fences_[done].second;
        VK_CHECK(vkResetFences(device_, 1, &f));
        free_fences_.push_back(f);
        ++done;
    }
    pending_fences_.erase(pending_fences_.begin(), pending_fences_.begin() + long(done));
}

uint64_t Context::completed() {
    if (timeline_) {
        uint64_t v = 0;
        if (vkGetSemaphoreCounterValue(device_, timeline_, &v) == VK_SUCCESS) completed_ = std::max(completed_, v);
    } else {
        retire_fences();
    }
    return completed_;
}

Result<void> Context::wait(uint64_t value) {
    if (lost_) return device_lost("wait after loss");
    value = std::min(value, submitted_);  // a submission never made: wait for all that were
    if (value == 0 || completed() >= value) return {};
    VkResult r;
    if (timeline_) {
        VkSemaphoreWaitInfo wi{VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO};
        wi.semaphoreCount = 1;
        wi.pSemaphores = &timeline_;
        wi.pValues = &value;
        r = vkWaitSemaphores(device_, &wi, UINT64_MAX);
    } else {
        r = VK_SUCCESS;
        for (auto& [v, f] : pending_fences_) {
            if (v > value) break;
            r = vkWaitForFences(device_, 1, &f, VK_TRUE, UINT64_MAX);
            if (r != VK_SUCCESS) break;
        }
    }
    if (r == VK_ERROR_DEVICE_LOST) return device_lost("waiting for the GPU");
    if (r != VK_SUCCESS) return fail(ErrorKind::Gpu, std::string("waiting for the GPU failed (") + vk_result_name(r) + ")");
    completed();
    return {};
}

Result<void> Context::submit_now(const std::function<void(VkCommandBuffer)>& record) {
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
    auto value = submit(std::span<const VkCommandBuffer>(&cmd, 1));
    Result<void> done = value ? wait(value.value()) : Result<void>(value.error());
    VkDevice dev = device_;
    VkCommandPool pool = upload_pool_;
    if (done) vkFreeCommandBuffers(dev, pool, 1, &cmd);
    else defer([dev, pool, cmd] { vkFreeCommandBuffers(dev, pool, 1, &cmd); });
    return done;
}

void Context::finish_all() {
    if (uploads_ && uploads_->has_open_batch() && !lost_) (void)uploads_->submit_open_batch();
    vkQueueWaitIdle(queue_);  // also fine after a lost device: everything is torn down next
    completed_ = submitted_;
    retire_fences();
    deletions_.flush();
}

void Context::name(VkObjectType type, uint64_t handle, const std::string& n) const {
    if (!set_name_ || !handle) return;
    VkDebugUtilsObjectNameInfoEXT info{VK_STRUCTURE_TYPE_DEBUG_UTILS_OBJECT_NAME_INFO_EXT};
    info.objectType = type;
    info.objectHandle = handle;
    info.pObjectName = n.c_str();
    set_name_(device_, &info);
}

void Context::begin_label(VkCommandBuffer cmd, const char* label) const {
    if (!begin_label_) return;
    VkDebugUtilsLabelEXT l{VK_STRUCTURE_TYPE_DEBUG_UTILS_LABEL_EXT};
    l.pLabelName = label;
    begin_label_(cmd, &l);
}

void Context::end_label(VkCommandBuffer cmd) const {
    if (end_label_) end_label_(cmd);
}

}  // namespace vitrine::gpu
