#include "session/show_audio.h"

#include <algorithm>
#include <cmath>

#include <glm/gtc/matrix_inverse.hpp>

#include "audio/wav.h"
#include "core/log.h"

namespace vitrine::session {

void set_viewer(ShowAudio& sa, const room::DisplayFile& display) {
    sa.viewer = glm::vec3(display.viewer.eye);
    glm::dvec3 sum(0);
    int n = 0;
    for (const room::Screen& s : display.screens)
        if (s.planar) sum += (s.pa + s.pc) * 0.5, ++n;
    if (n) sa.look_at = glm::vec3(sum / double(n));
}

audio::Listener frame_listener(const show::Frame& frame, const ShowAudio& sa) {
    audio::Listener l;
    if (frame.listener_viewer && sa.viewer) {
        l.position = *sa.viewer;
        glm::vec3 to = sa.look_at ? *sa.look_at - *sa.viewer : glm::vec3(0, 0, -1);
        to.y = 0;  // a standing visitor: level ears
        if (glm::length(to) > 1e-6f) l.forward = glm::normalize(to);
        return l;
    }
    show::CameraMatrices m = show::camera_view(frame, sa.aspect);
    glm::mat4 world = glm::inverse(m.view);
    l.position = m.eye;
    l.forward = -glm::normalize(glm::vec3(world[2]));
    l.up = glm::normalize(glm::vec3(world[1]));
    return l;
}

void update_audio(ShowAudio& sa, const show::Frame& frame) {
    if (!sa.engine) return;
    sa.voices.clear();
    for (const show::FrameSound& s : frame.sounds) {
        audio::Voice v;
        v.id = uint32_t(s.node);
        v.file = s.file.string();
        v.stream = s.stream;
        v.loop = s.loop;
        v.group = s.group;
        v.gain = s.gain;
        v.pitch = s.pitch;
        v.model = s.distance_model == 1   ? audio::DistanceModel::LinearClamped
                  : s.distance_model == 2 ? audio::DistanceModel::None
                                          : audio::DistanceModel::InverseClamped;
        v.ref_distance = s.ref_distance;
        v.max_distance = s.max_distance;
        v.rolloff = s.rolloff;
        v.relative = s.in_head;
        v.position = s.in_head ? glm::vec3(0) : glm::vec3(s.world[3]);
        // A cone faces the node's -Z; an omnidirectional sound has no direction.
        bool cone = s.cone_inner < 360 || s.cone_outer < 360;
        v.direction = cone && !s.in_head ? -glm::normalize(glm::vec3(s.world[2])) : glm::vec3(0);
        v.cone_inner = s.cone_inner;
        v.cone_outer = s.cone_outer;
        v.cone_outer_gain = s.cone_outer_gain;
        v.reverb_send = s.reverb;
        v.playing = s.playing && s.visible;
        v.offset = s.offset;
        sa.voices.push_back(std::move(v));
    }
    audio::Listener listener = frame_listener(frame, sa);
    audio::Mix mix;
    mix.master = frame.volume;
    mix.groups = frame.groups;
    std::string reverb = show::zone_reverb(frame, listener.position);
    mix.reverb = reverb == "none" ? "" : reverb;
    if (frame.duck_group.empty()) {
        mix.duck_group.clear();
        mix.duck_gain = 1;
    } else {
        mix.duck_group = frame.duck_group;
        mix.duck_under = frame.duck_under;
        mix.duck_gain = frame.duck_gain;
    }
    sa.engine->update(listener, sa.voices, mix);
}

Result<void> audio_span_fits(audio::Layout layout, uint32_t rate, double seconds) {
    double bytes = seconds * rate * audio::channel_count(layout) * 2;
    if (bytes > double(0xFFFFFFFFu) - 4096)
        return fail("--audio: " + std::to_string(int64_t(seconds)) + " s of " + audio::layout_name(layout) + " at " +
                    std::to_string(rate) + " Hz is more than a WAV file holds (4 GiB); render it in parts");
    return {};
}

Result<void> render_show_audio(ShowStage& st, ShowAudio sa, const std::string& path, audio::Layout layout, uint32_t rate,
                               double from, double fps, long count) {
    auto engine = audio::Engine::open_loopback(layout, rate);
    if (!engine) return engine.error();
    sa.engine = std::move(engine.value());
    if (layout == audio::Layout::Hrtf) log::info("audio: HRTF " + sa.engine->hrtf_status());
    const int channels = audio::channel_count(layout);
    std::vector<float> samples;
    samples.reserve(size_t(double(count) / fps * rate * channels) + 16);
    st.show->seek(from);
    // Each frame's 1/fps in steps of at most 10 ms, so a cue between two frames starts its
    // sound within 10 ms of its show time (and at the right offset), whatever the frame rate.
    const long steps = std::max<long>(1, long(std::ceil(1.0 / fps / 0.010 - 1e-9)));
    int64_t written = 0;
    for (long i = 0; i < count; ++i)
        for (long j = 0; j < steps; ++j) {
            double t = from + (double(i) + double(j) / double(steps)) / fps;
            st.show->advance(t);
            (void)st.show->take_warnings();  // said once already by the frames' pass
            (void)st.show->take_log();
            (void)st.show->take_outgoing();
            st.show->evaluate(st.frame);
            update_audio(sa, st.frame);
            int64_t end = std::llround((double(i) + double(j + 1) / double(steps)) * rate / fps);
            uint32_t frames = uint32_t(end - written);
            size_t at = samples.size();
            samples.resize(at + size_t(frames) * channels);
            if (frames)
                if (auto r = sa.engine->render(samples.data() + at, frames); !r) return r.error();
            written = end;
        }
    if (auto r = audio::write_wav(path, samples, layout, rate, audio::WavSamples::Int16); !r) return r.error();
    log::info("wrote " + path + " (" + audio::layout_name(layout) + ", " + std::to_string(rate) + " Hz, " +
              std::to_string(double(written) / rate) + " s)");
    return {};
}

}  // namespace vitrine::session
