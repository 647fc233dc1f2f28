// The audio engine: one OpenAL Soft output (a real device, or the loopback device that
// offline renders pull samples from) playing the show's sounds at their room positions.
// The show describes every voice in full at each update; the engine makes OpenAL match.
// Problems never stop the show: a missing device, a lost device or a file that cannot be
// decoded give one warning and silence, and `healthy()` says so.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>

#include <glm/vec3.hpp>

#include "audio/layout.h"
#include "core/result.h"

namespace vitrine::audio {

enum class DistanceModel { InverseClamped, LinearClamped, None };

// One sound source at one show time, described in full every update.
struct Voice {
    uint32_t id = 0;                  // stable across updates (the show's node index)
    std::string file;                 // resolved path
    bool stream = false, loop = false;  // stream: decoded 0.25 s at a time (music, narration)
    std::string group = "effects";    // narration | music | effects | any name
    float gain = 1, pitch = 1;
    DistanceModel model = DistanceModel::InverseClamped;
    float ref_distance = 1, max_distance = 100, rolloff = 1;  // metres
    glm::vec3 position{0}, direction{0};  // world metres; direction 0 = omnidirectional
    float cone_inner = 360, cone_outer = 360, cone_outer_gain = 0;  // degrees
    bool relative = false;            // position is relative to the listener (a voice in the head)
    float reverb_send = 0;            // 0..1 into the active zone's reverb
    bool playing = false;
    double offset = 0;                // seconds into the clip at this update (looping: modulo its length)
};

struct Listener {
    glm::vec3 position{0}, forward{0, 0, -1}, up{0, 1, 0};
};

struct Mix {
    float master = 1;
    std::map<std::string, float> groups;  // missing = 1
    std::string reverb;                   // preset (audio/reverb.h) of the listener's zone; "" = none
    std::string duck_group = "music", duck_under = "narration";
    float duck_gain = 0.3f;               // duck_group x duck_gain while a duck_under voice plays
};

class Engine {
public:
    // A real output. A device that cannot open is not an error: the engine is returned
    // unhealthy (one warning) and reopen() tries again. Errors: a refused layout.
    static Result<std::unique_ptr<Engine>> open_device(Layout layout, const std::string& device_name = "");
    // Offline: render() pulls the mix. Rates 8000..192000 Hz.
    static Result<std::unique_ptr<Engine>> open_loopback(Layout layout, uint32_t rate = 48000);
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Applies the show's state at this instant: creates, updates and stops sources so they
    // match `voices`. A voice whose offset is more than 50 ms from where its source plays
    // is re-seeked; a new voice starts exactly at its offset. Streams are refilled here
    // (and, offline, inside render as it consumes them).
    void update(const Listener& listener, std::span<const Voice> voices, const Mix& mix);
    // Loopback only: the next `frames` frames, interleaved, channel_count(layout()) floats
    // each. Deterministic: the same updates and renders give the same bits.
    Result<void> render(float* out, uint32_t frames);

    Layout layout() const;     // as asked (Hrtf stays Hrtf even when it fell back)
    uint32_t rate() const;     // Hz
    std::string hrtf_status() const;  // "enabled (NAME)" or "disabled: REASON"
    bool healthy() const;      // false once the device disappeared or none could open
    size_t silent_files() const;  // files that could not be decoded (each warned once, silent)
    // Rebuilds the output (after a disconnect, or to retry a device that would not open);
    // the next update() restores the voices at their offsets.
    Result<void> reopen();

    // Test hooks: skip stream refills for the next `updates` updates (an injected
    // underrun); pretend the device was unplugged.
    void skip_stream_refills(int updates);
    void simulate_disconnect();
    size_t cached_clips() const;  // clips held in memory (freed after a while unused)

    struct Impl;

private:
    explicit Engine(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace vitrine::audio
