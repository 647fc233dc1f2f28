// The Vulkan instance, device and queue; what the device can do (limits, features);
// validation; memory; the queue's submission timeline and the deletion queue keyed on
// it; the staging upload ring. One Context serves every output of a process (window,
// file capture, later LED canvases and quilts). Headless unless a surface factory is given.
#pragma once
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "gpu/deletion_queue.h"
#include "gpu/memory.h"
#include "gpu/vk.h"

namespace vitrine::gpu {

class UploadRing;

// Frames each output keeps in flight.
constexpr uint32_t kFramesInFlight = 2;

enum class Validation { Off, IfInstalled, Required };

// A fault for soaks and tests: the process's next queue submission reports a lost device
// (as VITRINE_FAULT=device-lost@N does for a submission counted from the start).
void inject_device_loss();

struct ContextOptions {
    Validation validation = Validation::Off;  // VK_LAYER_KHRONOS_validation + debug messenger
    bool sync_validation = true;              // with validation: synchronization validation too
    std::vector<std::string> instance_extensions;  // e.g. what GLFW needs for a window
    // Creates the window surface once the instance exists (null: headless).
    std::function<VkSurfaceKHR(VkInstance)> make_surface;
    uint64_t staging_bytes = 32ull << 20;  // ceiling of the upload ring's staging memory
};

// What the chosen device can do, read from it (never hard-coded).
struct DeviceLimits {
    uint32_t max_image_2d = 0;            // maxImageDimension2D, pixels a side
    uint32_t max_framebuffer_width = 0, max_framebuffer_height = 0;
    uint32_t max_viewports = 1;
    VkSampleCountFlags msaa = VK_SAMPLE_COUNT_1_BIT;  // colour and depth sample counts both support
    bool multiview = false;               // Vulkan 1.1 multiview (enabled when present)
    uint32_t max_multiview_views = 0;
    bool timeline_semaphores = false;     // Vulkan 1.2 (enabled when present)
    bool descriptor_indexing = false;     // Vulkan 1.2 (enabled when present)
    bool fragment_stores = false;         // fragmentStoresAndAtomics: the tile feedback (enabled when present)
    uint64_t min_uniform_offset_alignment = 256, min_storage_offset_alignment = 256;
    std::string summary() const;          // one line for logs and `vitrine bench`
};

// One wait or signal of a submission: a binary semaphore and the stage that waits on it.
struct SemaphoreUse {
    VkSemaphore semaphore = VK_NULL_HANDLE;
    VkPipelineStageFlags stage = VK_PIPELINE_STAGE_ALL_COMMANDS_BIT;
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
    const DeviceLimits& limits() const { return limits_; }
    Allocator& allocator() { return *allocator_; }
    UploadRing& uploads() { return *uploads_; }
    bool anisotropy() const { return anisotropy_; }

    // --- The queue timeline. Every submission gets the next value; values complete in order.
    // Submits `cmds` (may be empty) waiting on `waits` and signalling `signals`. Pending
    // upload copies are submitted first. VITRINE_FAULT=device-lost@N makes the process's
    // N-th submission report VK_ERROR_DEVICE_LOST as a driver would (for tests).
    Result<uint64_t> submit(std::span<const VkCommandBuffer> cmds, std::span<const SemaphoreUse> waits = {},
                            std::span<const VkSemaphore> signals = {});
    uint64_t submitted() const { return submitted_; }
    uint64_t completed();                       // polls the timeline
    Result<void> wait(uint64_t value);          // waits until `value` has completed
    Result<void> wait_all() { return wait(submitted_); }
    bool lost() const { return lost_; }
    // Marks the device lost (a wait, acquire or present reported it).
    Error device_lost(const std::string& where);

    // Destroys GPU objects once the GPU can no longer use them: after every submission
    // made so far, and the one being recorded now, has completed.
    void defer(std::function<void()> destroy) { deletions_.push(submitted_ + 1, std::move(destroy)); }
    // Runs the deferred destructions whose submissions have completed (each frame).
    void collect() { deletions_.collect(completed()); }

    // Load-time work: records, submits, and waits for this one command buffer.
    Result<void> submit_now(const std::function<void(VkCommandBuffer)>& record);
    // Outside any frame loop (load, shutdown): waits for the queue, then runs every
    // deferred destruction.
    void finish_all();

    // Debug names and pass labels, when VK_EXT_debug_utils is enabled (validation or debug builds).
    void name(VkObjectType type, uint64_t handle, const std::string& name) const;
    template <typename T>
    void name(VkObjectType type, T handle, const std::string& n) const { name(type, reinterpret_cast<uint64_t>(handle), n); }
    void begin_label(VkCommandBuffer cmd, const char* label) const;
    void end_label(VkCommandBuffer cmd) const;

    // Validation messages (warnings and errors) seen so far.
    uint32_t validation_messages() const { return validation_messages_; }
    bool validation_enabled() const { return messenger_ != VK_NULL_HANDLE; }
    void note_validation_message() { ++validation_messages_; }

private:
    Context() = default;
    Result<void> create_device(const ContextOptions& options);
    void retire_fences();

    VkInstance instance_ = VK_NULL_HANDLE;
    VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
    VkSurfaceKHR surface_ = VK_NULL_HANDLE;
    VkPhysicalDevice physical_ = VK_NULL_HANDLE;
    VkPhysicalDeviceProperties properties_{};
    DeviceLimits limits_;
    VkDevice device_ = VK_NULL_HANDLE;
    VkQueue queue_ = VK_NULL_HANDLE;
    uint32_t queue_family_ = 0;
    VkCommandPool upload_pool_ = VK_NULL_HANDLE;
    std::string device_name_;
    bool anisotropy_ = false, debug_utils_ = false;
    std::unique_ptr<Allocator> allocator_;
    std::unique_ptr<UploadRing> uploads_;
    DeletionQueue deletions_;

    // Timeline: a timeline semaphore when the device has one, else a fence per submission.
    VkSemaphore timeline_ = VK_NULL_HANDLE;
    std::vector<std::pair<uint64_t, VkFence>> pending_fences_;
    std::vector<VkFence> free_fences_;
    uint64_t submitted_ = 0, completed_ = 0;
    bool lost_ = false;
    uint32_t validation_messages_ = 0;
    PFN_vkSetDebugUtilsObjectNameEXT set_name_ = nullptr;
    PFN_vkCmdBeginDebugUtilsLabelEXT begin_label_ = nullptr;
    PFN_vkCmdEndDebugUtilsLabelEXT end_label_ = nullptr;
};

const char* vk_result_name(VkResult r);

}  // namespace vitrine::gpu
