// The Vulkan instance, device and queue, validation, memory, and the per-frame
// deletion queue. One per process. Headless unless a surface factory is given.
#pragma once
#include <array>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "gpu/memory.h"
#include "gpu/vk.h"

namespace vitrine::gpu {

constexpr uint32_t kFramesInFlight = 2;

enum class Validation { Off, IfInstalled, Required };

struct ContextOptions {
    Validation validation = Validation::Off;  // VK_LAYER_KHRONOS_validation + debug messenger
    std::vector<std::string> instance_extensions;  // e.g. what GLFW needs for a window
    // Creates the window surface once the instance exists (null: headless).
    std::function<VkSurfaceKHR(VkInstance)> make_surface;
};

class Context {
public:
    static Result<std::unique_ptr<Context>> create(const ContextOptions& options);
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    VkInstance instance() const { return instance_; }
    VkPhysicalDevice physical() const { return physical_; }
    VkDevice device() const { return device_; }
    VkQueue queue() const { return queue_; }
    uint32_t queue_family() const { return queue_family_; }
    VkSurfaceKHR surface() const { return surface_; }
    const std::string& device_name() const { return device_name_; }
    const VkPhysicalDeviceProperties& properties() const { return properties_; }
    Allocator& allocator() { return *allocator_; }
    bool anisotropy() const { return anisotropy_; }

    // Destroys GPU objects once the GPU can no longer use them: at the start of the
    // frame slot that queued them, after that slot's fence has signalled.
    void defer(std::function<void()> destroy);
    // Called by the frame loop after waiting for `slot`'s fence.
    void begin_frame_slot(uint32_t slot);
    // Load-time work: records, submits, and waits for this one command buffer.
    void submit_now(const std::function<void(VkCommandBuffer)>& record);
    // Outside any frame loop (load, shutdown): waits for the queue, then runs every
    // deferred destruction.
    void finish_all();

    // Validation messages (warnings and errors) seen so far.
    uint32_t validation_messages() const { return validation_messages_; }
    bool validation_enabled() const { return messenger_ != VK_NULL_HANDLE; }
    void note_validation_message() { ++validation_messages_; }

private:
    Context() = default;

    VkInstance instance_ = VK_NULL_HANDLE;
    VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
    VkSurfaceKHR surface_ = VK_NULL_HANDLE;
    VkPhysicalDevice physical_ = VK_NULL_HANDLE;
    VkPhysicalDeviceProperties properties_{};
    VkDevice device_ = VK_NULL_HANDLE;
    VkQueue queue_ = VK_NULL_HANDLE;
    uint32_t queue_family_ = 0;
    VkCommandPool upload_pool_ = VK_NULL_HANDLE;
    VkFence upload_fence_ = VK_NULL_HANDLE;
    std::string device_name_;
    bool anisotropy_ = false;
    std::unique_ptr<Allocator> allocator_;
    std::array<std::vector<std::function<void()>>, kFramesInFlight> deferred_;
    uint32_t slot_ = 0;
    uint32_t validation_messages_ = 0;
};

}  // namespace vitrine::gpu
