// A show's sound: the step from a show::Frame to the audio engine (voices at their room
// positions, the listener, group gains, ducking, the zone's reverb), for `run` (a real
// output, rebuilt when the device comes back) and `render --audio` (the loopback device,
// in lockstep with the frames' show times, to a WAV file).
#pragma once
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include <glm/glm.hpp>

#include "session/show_stage.h"
#include "audio/engine.h"
#include "room/display_file.h"
#include "show/frame.h"

namespace vitrine::session {

struct ShowAudio {
    std::unique_ptr<audio::Engine> engine;
    std::vector<audio::Voice> voices;  // reused every update
    // The listener, when the scene says `audio: {listener: viewer}` and there is a display:
    // the visitor's sweet spot looking at `look_at` (the middle of the screens).
    std::optional<glm::vec3> viewer, look_at;
    float aspect = 16.0f / 9.0f;  // the picture's, for the camera listener
};

// The display's sweet spot and the middle of its planar screens, for `listener: viewer`.
void set_viewer(ShowAudio& sa, const room::DisplayFile& display);
// Where the show's ears are: the camera (looking where it looks), or the display's viewer.
audio::Listener frame_listener(const show::Frame& frame, const ShowAudio& sa);
// The frame's sounds, gains and reverb to the engine.
void update_audio(ShowAudio& sa, const show::Frame& frame);

// `render --audio`: the show's sound for frames 0 .. count-1 (frame i is show time
// from + i / fps and lasts 1 / fps; sample counts are rounded cumulatively, so the file is
// exactly count / fps long; the show is stepped every 10 ms inside a frame, so sounds
// start within 10 ms of their cues) through the loopback device, into a WAV file with the
// layout's channel mask (16-bit). The show is replayed from `from` (seeking equals
// playing), so the sound is the same bits on every run and after a lost GPU.
// Whether `seconds` of sound fit a WAV file (RIFF's 4 GiB, 16-bit samples): checked before
// any frame is rendered, so a long render is refused at once, not after its pictures.
Result<void> audio_span_fits(audio::Layout layout, uint32_t rate, double seconds);
// `sa` brings the listener's setting (aspect, viewer); its engine is made here.
Result<void> render_show_audio(ShowStage& st, ShowAudio sa, const std::string& path, audio::Layout layout, uint32_t rate,
                               double from, double fps, long count);

}  // namespace vitrine::session
