#include "audio/engine.h"

#define AL_ALEXT_PROTOTYPES
#include <AL/al.h>
#include <AL/alc.h>
#include <AL/alext.h>
#include <AL/efx.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <filesystem>
#include <set>
#include <vector>

#include "audio/reverb.h"
#include "audio/sound_file.h"
#include "core/log.h"

namespace vitrine::audio {

namespace {

constexpr int kStreamBuffers = 4;                 // the ring of each streaming voice
constexpr double kStreamBufferSeconds = 0.25;
// Offline, streams are refilled every 50 ms of output (at any rate), so even at pitch 4 a
// 1 s ring never runs dry inside a render.
constexpr double kRenderChunkSeconds = 0.05;
constexpr double kSeekTolerance = 0.05;            // seconds, offline (the loopback device)
// A real output's clock drifts from the show's (~50 ppm): re-seeking at 50 ms would click a
// looping bed every quarter hour. Live, a voice is re-seeked when it is half a second off
// (a cue's seek, a restore) — drift reaches that after hours, not minutes.
constexpr double kLiveSeekTolerance = 0.5;
constexpr uint64_t kClipIdleUpdates = 600;         // a clip unused this long is freed
constexpr size_t kClipCacheBytes = size_t(256) << 20;
constexpr uint64_t kMaxClipSamples = uint64_t(48000) * 600 * 2;  // 10 minutes of stereo at 48 kHz

ALCenum loopback_channels(Layout layout) {
    switch (layout) {
        case Layout::Stereo: case Layout::Hrtf: return ALC_STEREO_SOFT;
        case Layout::Quad: return ALC_QUAD_SOFT;
        case Layout::Surround51: return ALC_5POINT1_SOFT;
        case Layout::Surround71: return ALC_7POINT1_SOFT;
    }
    return ALC_STEREO_SOFT;
}

ALenum float_format(uint32_t channels) { return channels == 2 ? AL_FORMAT_STEREO_FLOAT32 : AL_FORMAT_MONO_FLOAT32; }

// One fully loaded sound, shared by every voice that plays its file.
struct Clip {
    ALuint buffer = 0;
    uint64_t frames = 0;
    uint32_t rate = 0;
    size_t bytes = 0;
    int users = 0;
    uint64_t last_used = 0;
    bool failed = false;
};

// A long file played through a ring of buffers refilled as they are consumed.
struct Stream {
    SoundFile file;
    ALuint buffers[kStreamBuffers] = {};
    std::vector<ALuint> free_buffers;
    std::deque<uint64_t> queued;   // frames in each queued buffer, oldest first
    uint64_t queue_start = 0;      // file frame (unwrapped for loops) where the oldest queued buffer starts
    bool loop = false, ended = false, failed = false;
    std::vector<float> scratch;
};

struct Playing {
    std::string file;
    bool stream = false;
    ALuint source = 0;              // 0: silent (the file failed)
    Clip* clip = nullptr;
    std::unique_ptr<Stream> streamer;
};

}  // namespace

struct Engine::Impl {
    ALCdevice* device = nullptr;
    ALCcontext* context = nullptr;
    bool loopback = false;
    Layout layout = Layout::Stereo;
    uint32_t rate = 0;
    std::string device_name;
    std::string hrtf_status = "disabled: no device";
    bool healthy = false;
    bool efx = false;
    ALuint slot = 0, effect = 0, send_filter = 0;
    std::string reverb;  // the preset in the slot
    std::map<std::string, Clip> clips;
    std::map<uint32_t, Playing> playing;
    std::set<std::string> warned;
    uint64_t tick = 0;
    int skip_refills = 0;
    bool refills_paused = false;  // the test hook's injected underrun is in progress

    ~Impl() { close(); }

    void warn_once(const std::string& key, const std::string& line) {
        if (warned.insert(key).second) log::warn(line);
    }
    void make_current() const {
        if (context) alcMakeContextCurrent(context);
    }

    Result<void> open();
    void close();
    void apply_reverb(const std::string& name);
    Clip* acquire_clip(const std::string& file);
    void release(Playing& p);
    Result<void> start_stream(Playing& p, uint64_t frame);
    void refill(Playing& p);
    uint64_t position(const Playing& p) const;
    uint64_t length(const Playing& p) const;
    uint32_t file_rate(const Playing& p) const;
    void seek(Playing& p, uint64_t frame);
    void sync_voice(const Voice& v, Playing& p, float gain);
    void evict_clips();
};

Result<void> Engine::Impl::open() {
    const bool want_hrtf = layout == Layout::Hrtf;
    if (loopback) {
        if (!alcIsExtensionPresent(nullptr, "ALC_SOFT_loopback"))
            return fail(ErrorKind::Gpu, "audio: OpenAL Soft's loopback device is missing (ALC_SOFT_loopback)");
        device = alcLoopbackOpenDeviceSOFT(nullptr);
        if (!device) return fail(ErrorKind::Gpu, "audio: the loopback device cannot be opened");
        if (!alcIsRenderFormatSupportedSOFT(device, ALCsizei(rate), loopback_channels(layout), ALC_FLOAT_SOFT)) {
            close();
            return fail("audio: OpenAL Soft cannot render " + layout_name(layout) + " at " + std::to_string(rate) + " Hz");
        }
    } else {
        // ALSA and OpenAL Soft print their own lines to stderr when there is no card; a
        // technician gets our one warning instead (the engine reports unhealthy).
        int saved = ::dup(2), null = ::open("/dev/null", O_WRONLY);
        if (saved >= 0 && null >= 0) ::dup2(null, 2);
        device = alcOpenDevice(device_name.empty() ? nullptr : device_name.c_str());
        if (saved >= 0 && null >= 0) ::dup2(saved, 2);
        if (saved >= 0) ::close(saved);
        if (null >= 0) ::close(null);
        if (!device)
            return fail(ErrorKind::Gpu, "audio: no output device" + (device_name.empty() ? "" : " '" + device_name + "'") +
                                            " could be opened");
    }
    std::string refusal = want_hrtf ? hrtf_refusal(Layout::Stereo, loopback ? rate : 48000) : "";
    if (!loopback && want_hrtf) {
        ALCint device_rate = 0;
        alcGetIntegerv(device, ALC_FREQUENCY, 1, &device_rate);
        refusal = hrtf_refusal(Layout::Stereo, uint32_t(device_rate));
    }
    const bool hrtf = want_hrtf && refusal.empty() && alcIsExtensionPresent(device, "ALC_SOFT_HRTF");
    std::vector<ALCint> attrs;
    if (loopback) {
        attrs.insert(attrs.end(), {ALC_FORMAT_CHANNELS_SOFT, loopback_channels(layout), ALC_FORMAT_TYPE_SOFT,
                                   ALC_FLOAT_SOFT, ALC_FREQUENCY, ALCint(rate)});
    }
    if (alcIsExtensionPresent(device, "ALC_SOFT_HRTF")) attrs.insert(attrs.end(), {ALC_HRTF_SOFT, hrtf ? ALC_TRUE : ALC_FALSE});
    efx = alcIsExtensionPresent(device, "ALC_EXT_EFX");
    if (efx) attrs.insert(attrs.end(), {ALC_MAX_AUXILIARY_SENDS, 1});
    attrs.push_back(0);
    context = alcCreateContext(device, attrs.data());
    if (!context) {
        close();
        return fail(ErrorKind::Gpu, "audio: the output cannot be set up as " + layout_name(layout));
    }
    alcMakeContextCurrent(context);
    ALCint frequency = 0;
    alcGetIntegerv(device, ALC_FREQUENCY, 1, &frequency);
    rate = uint32_t(frequency);

    if (want_hrtf) {
        ALCint status = ALC_HRTF_DISABLED_SOFT;
        alcGetIntegerv(device, ALC_HRTF_STATUS_SOFT, 1, &status);
        if (status == ALC_HRTF_ENABLED_SOFT || status == ALC_HRTF_REQUIRED_SOFT ||
            status == ALC_HRTF_HEADPHONES_DETECTED_SOFT) {
            const ALCchar* name = alcGetString(device, ALC_HRTF_SPECIFIER_SOFT);
            hrtf_status = std::string("enabled (") + (name ? name : "?") + ")";
        } else {
            if (refusal.empty()) refusal = "OpenAL Soft found no usable HRTF data set; panned in stereo";
            hrtf_status = "disabled: " + refusal;
            log::warn("audio: HRTF " + hrtf_status);
        }
    } else {
        hrtf_status = "disabled: not asked for (" + layout_name(layout) + " output)";
    }

    if (alIsExtensionPresent("AL_EXT_source_distance_model")) alEnable(AL_SOURCE_DISTANCE_MODEL);
    if (efx) {
        alGetError();
        alGenAuxiliaryEffectSlots(1, &slot);
        alGenEffects(1, &effect);
        alGenFilters(1, &send_filter);
        alFilteri(send_filter, AL_FILTER_TYPE, AL_FILTER_LOWPASS);
        if (alGetError() != AL_NO_ERROR) efx = false;
    }
    reverb.clear();
    healthy = true;
    return {};
}

void Engine::Impl::close() {
    if (context) {
        alcMakeContextCurrent(context);
        for (auto& [id, p] : playing) release(p);
        playing.clear();
        for (auto& [file, clip] : clips)
            if (clip.buffer) alDeleteBuffers(1, &clip.buffer);
        clips.clear();
        // Whatever was made, also when the EFX setup failed half way (efx is false then).
        if (slot) alDeleteAuxiliaryEffectSlots(1, &slot);
        if (effect) alDeleteEffects(1, &effect);
        if (send_filter) alDeleteFilters(1, &send_filter);
        slot = effect = send_filter = 0;
        alcMakeContextCurrent(nullptr);
        alcDestroyContext(context);
        context = nullptr;
    }
    if (device) alcCloseDevice(device);
    device = nullptr;
    healthy = false;
}

void Engine::Impl::apply_reverb(const std::string& name) {
    if (!efx || name == reverb) return;
    reverb = name;
    const auto preset = reverb_preset(name);
    if (!name.empty() && !preset) {
        std::string known;
        for (const auto& n : reverb_preset_names()) known += (known.empty() ? "" : ", ") + n;
        warn_once("reverb:" + name, "audio: reverb '" + name + "' is unknown (known: " + known + "); no reverb");
    }
    if (!preset) {
        alAuxiliaryEffectSloti(slot, AL_EFFECTSLOT_EFFECT, AL_EFFECT_NULL);
        return;
    }
    const EFXEAXREVERBPROPERTIES& r = *preset;
    alEffecti(effect, AL_EFFECT_TYPE, AL_EFFECT_EAXREVERB);
    alEffectf(effect, AL_EAXREVERB_DENSITY, r.flDensity);
    alEffectf(effect, AL_EAXREVERB_DIFFUSION, r.flDiffusion);
    alEffectf(effect, AL_EAXREVERB_GAIN, r.flGain);
    alEffectf(effect, AL_EAXREVERB_GAINHF, r.flGainHF);
    alEffectf(effect, AL_EAXREVERB_GAINLF, r.flGainLF);
    alEffectf(effect, AL_EAXREVERB_DECAY_TIME, r.flDecayTime);
    alEffectf(effect, AL_EAXREVERB_DECAY_HFRATIO, r.flDecayHFRatio);
    alEffectf(effect, AL_EAXREVERB_DECAY_LFRATIO, r.flDecayLFRatio);
    alEffectf(effect, AL_EAXREVERB_REFLECTIONS_GAIN, r.flReflectionsGain);
    alEffectf(effect, AL_EAXREVERB_REFLECTIONS_DELAY, r.flReflectionsDelay);
    alEffectfv(effect, AL_EAXREVERB_REFLECTIONS_PAN, r.flReflectionsPan);
    alEffectf(effect, AL_EAXREVERB_LATE_REVERB_GAIN, r.flLateReverbGain);
    alEffectf(effect, AL_EAXREVERB_LATE_REVERB_DELAY, r.flLateReverbDelay);
    alEffectfv(effect, AL_EAXREVERB_LATE_REVERB_PAN, r.flLateReverbPan);
    alEffectf(effect, AL_EAXREVERB_ECHO_TIME, r.flEchoTime);
    alEffectf(effect, AL_EAXREVERB_ECHO_DEPTH, r.flEchoDepth);
    alEffectf(effect, AL_EAXREVERB_MODULATION_TIME, r.flModulationTime);
    alEffectf(effect, AL_EAXREVERB_MODULATION_DEPTH, r.flModulationDepth);
    alEffectf(effect, AL_EAXREVERB_AIR_ABSORPTION_GAINHF, r.flAirAbsorptionGainHF);
    alEffectf(effect, AL_EAXREVERB_HFREFERENCE, r.flHFReference);
    alEffectf(effect, AL_EAXREVERB_LFREFERENCE, r.flLFReference);
    alEffectf(effect, AL_EAXREVERB_ROOM_ROLLOFF_FACTOR, r.flRoomRolloffFactor);
    alEffecti(effect, AL_EAXREVERB_DECAY_HFLIMIT, r.iDecayHFLimit);
    alAuxiliaryEffectSloti(slot, AL_EFFECTSLOT_EFFECT, ALint(effect));
}

Clip* Engine::Impl::acquire_clip(const std::string& file) {
    // Keyed by the file's size and modification time as well: a curator who replaces a
    // broken or old file gets the new one (the old clip is freed once unused).
    std::error_code ec;
    auto size = std::filesystem::file_size(file, ec);
    auto time = std::filesystem::last_write_time(file, ec).time_since_epoch().count();
    const std::string key = file + "\n" + (ec ? std::string() : std::to_string(size) + "@" + std::to_string(time));
    auto [it, inserted] = clips.try_emplace(key);
    Clip& clip = it->second;
    clip.last_used = tick;
    if (!inserted) return clip.failed ? nullptr : &clip;
    auto bad = [&](const std::string& line) {
        clip.failed = true;
        warn_once(key, "audio: " + line + "; that sound stays silent");
        return nullptr;
    };
    auto sound = SoundFile::open(file);
    if (!sound) return bad(sound.error().message);
    const Probe& info = sound->info();
    const uint32_t channels = sound->out_channels();
    if (info.frames == 0) return bad(file + ": holds no audio");
    if (info.frames * channels > kMaxClipSamples)
        return bad(file + ": too long to load whole (" + std::to_string(info.frames / info.rate) +
                   " s); mark the sound `stream`");
    std::vector<float> samples(info.frames * channels);
    auto got = sound->read(samples.data(), info.frames);
    if (!got) return bad(got.error().message);
    if (*got < info.frames)
        return bad(file + ": truncated: only " + std::to_string(*got) + " of " + std::to_string(info.frames) +
                   " frames decode");
    alGetError();
    alGenBuffers(1, &clip.buffer);
    alBufferData(clip.buffer, float_format(channels), samples.data(), ALsizei(samples.size() * sizeof(float)),
                 ALsizei(info.rate));
    if (alGetError() != AL_NO_ERROR) {
        if (clip.buffer) alDeleteBuffers(1, &clip.buffer);
        clip.buffer = 0;
        return bad(file + ": OpenAL refused its samples");
    }
    clip.frames = info.frames;
    clip.rate = info.rate;
    clip.bytes = samples.size() * sizeof(float);
    return &clip;
}

void Engine::Impl::release(Playing& p) {
    if (p.source) {
        alSourceStop(p.source);
        alSourcei(p.source, AL_BUFFER, 0);
        alDeleteSources(1, &p.source);
        p.source = 0;
    }
    if (p.streamer) alDeleteBuffers(kStreamBuffers, p.streamer->buffers);
    p.streamer.reset();
    if (p.clip) {
        p.clip->users--;
        p.clip->last_used = tick;
        p.clip = nullptr;
    }
}

uint32_t Engine::Impl::file_rate(const Playing& p) const {
    return p.streamer ? p.streamer->file.info().rate : p.clip ? p.clip->rate : 1;
}

uint64_t Engine::Impl::length(const Playing& p) const {
    return p.streamer ? p.streamer->file.info().frames : p.clip ? p.clip->frames : 0;
}

// The file frame the source plays now (unwrapped for looping streams).
uint64_t Engine::Impl::position(const Playing& p) const {
    ALint offset = 0;
    alGetSourcei(p.source, AL_SAMPLE_OFFSET, &offset);
    return (p.streamer ? p.streamer->queue_start : 0) + uint64_t(std::max(offset, 0));
}

// Queues decoded buffers until the ring is full (or the file ended).
void Engine::Impl::refill(Playing& p) {
    Stream& s = *p.streamer;
    ALint processed = 0;
    alGetSourcei(p.source, AL_BUFFERS_PROCESSED, &processed);
    for (ALint i = 0; i < processed && !s.queued.empty(); ++i) {
        ALuint buffer = 0;
        alSourceUnqueueBuffers(p.source, 1, &buffer);
        s.queue_start += s.queued.front();
        s.queued.pop_front();
        s.free_buffers.push_back(buffer);
    }
    const uint32_t channels = s.file.out_channels();
    const uint64_t per_buffer = std::max<uint64_t>(1, uint64_t(s.file.info().rate * kStreamBufferSeconds));
    s.scratch.resize(per_buffer * channels);
    while (!s.free_buffers.empty() && !s.ended && !s.failed) {
        uint64_t filled = 0;
        int empty_reads = 0;  // a looping file that yields nothing even from its start has ended
        while (filled < per_buffer) {
            auto got = s.file.read(s.scratch.data() + filled * channels, per_buffer - filled);
            if (!got) {
                s.failed = true;
                warn_once(p.file, "audio: " + got.error().message + "; that sound stays silent");
                break;
            }
            filled += *got;
            if (filled == per_buffer) break;
            empty_reads = *got == 0 ? empty_reads + 1 : 0;
            if (!s.loop || empty_reads > 1 || !s.file.seek(0)) {
                s.ended = true;
                break;
            }
        }
        if (filled == 0) break;
        const ALuint buffer = s.free_buffers.back();
        s.free_buffers.pop_back();
        alBufferData(buffer, float_format(channels), s.scratch.data(), ALsizei(filled * channels * sizeof(float)),
                     ALsizei(s.file.info().rate));
        alSourceQueueBuffers(p.source, 1, &buffer);
        s.queued.push_back(filled);
    }
}

Result<void> Engine::Impl::start_stream(Playing& p, uint64_t frame) {
    Stream& s = *p.streamer;
    alSourceStop(p.source);
    alSourcei(p.source, AL_BUFFER, 0);
    s.free_buffers.assign(s.buffers, s.buffers + kStreamBuffers);
    s.queued.clear();
    s.ended = false;
    if (auto sought = s.file.seek(frame); !sought) return sought;
    s.queue_start = frame;
    refill(p);
    return {};
}

void Engine::Impl::seek(Playing& p, uint64_t frame) {
    if (p.streamer) {
        if (p.streamer->failed || refills_paused || !start_stream(p, frame)) return;
        alSourcePlay(p.source);
        return;
    }
    // A clip: a playing source seeks in place; a stopped one plays from its start, then
    // seeks before the next mix (OpenAL Soft 1.19 drops an offset set while stopped).
    ALint state = AL_INITIAL;
    alGetSourcei(p.source, AL_SOURCE_STATE, &state);
    if (state != AL_PLAYING) alSourcePlay(p.source);
    alSourcei(p.source, AL_SAMPLE_OFFSET, ALint(frame));
}

void Engine::Impl::sync_voice(const Voice& v, Playing& p, float gain) {
    const ALuint src = p.source;
    alSourcef(src, AL_MAX_GAIN, 16.0f);  // OpenAL clamps to 1 by default: a group x node gain may pass it
    alSourcef(src, AL_GAIN, std::max(gain, 0.0f));
    alSourcef(src, AL_PITCH, std::clamp(v.pitch, 0.01f, 4.0f));
    alSourcei(src, AL_DISTANCE_MODEL, v.model == DistanceModel::InverseClamped  ? AL_INVERSE_DISTANCE_CLAMPED
                                      : v.model == DistanceModel::LinearClamped ? AL_LINEAR_DISTANCE_CLAMPED
                                                                                : AL_NONE);
    alSourcef(src, AL_REFERENCE_DISTANCE, std::max(v.ref_distance, 0.0f));
    alSourcef(src, AL_MAX_DISTANCE, std::max(v.max_distance, 0.0f));
    alSourcef(src, AL_ROLLOFF_FACTOR, std::max(v.rolloff, 0.0f));
    alSource3f(src, AL_POSITION, v.position.x, v.position.y, v.position.z);
    alSource3f(src, AL_DIRECTION, v.direction.x, v.direction.y, v.direction.z);
    alSourcef(src, AL_CONE_INNER_ANGLE, std::clamp(v.cone_inner, 0.0f, 360.0f));
    alSourcef(src, AL_CONE_OUTER_ANGLE, std::clamp(v.cone_outer, 0.0f, 360.0f));
    alSourcef(src, AL_CONE_OUTER_GAIN, std::clamp(v.cone_outer_gain, 0.0f, 1.0f));
    alSourcei(src, AL_SOURCE_RELATIVE, v.relative ? AL_TRUE : AL_FALSE);
    alSourcei(src, AL_LOOPING, v.loop && !p.streamer ? AL_TRUE : AL_FALSE);
    if (efx) {
        const float send = std::clamp(v.reverb_send, 0.0f, 1.0f);
        if (send > 0) {
            alFilterf(send_filter, AL_LOWPASS_GAIN, send);
            alFilterf(send_filter, AL_LOWPASS_GAINHF, 1.0f);
            alSource3i(src, AL_AUXILIARY_SEND_FILTER, ALint(slot), 0, ALint(send_filter));
        } else {
            alSource3i(src, AL_AUXILIARY_SEND_FILTER, AL_EFFECTSLOT_NULL, 0, AL_FILTER_NULL);
        }
    }

    // Where the show says the sound is, in file frames.
    const uint64_t frames = length(p);
    const double rate = double(file_rate(p));
    const double at = std::max(v.offset, 0.0) * rate;
    const uint64_t tolerance = uint64_t((loopback ? kSeekTolerance : kLiveSeekTolerance) * rate);
    uint64_t want = uint64_t(std::llround(at));
    const bool looping = v.loop && frames > 0;
    if (looping) want %= frames;
    const bool past_end = !looping && want + tolerance >= frames;

    ALint state = AL_INITIAL;
    alGetSourcei(src, AL_SOURCE_STATE, &state);
    if (state != AL_PLAYING) {
        if (!past_end) seek(p, want);  // a new voice, a seek back, or a stream after an underrun
        return;
    }
    uint64_t now = position(p);
    if (looping) now %= frames;
    uint64_t distance = now > want ? now - want : want - now;
    if (looping) distance = std::min(distance, frames - distance);
    if (distance > tolerance) seek(p, want);
}

void Engine::Impl::evict_clips() {
    size_t total = 0;
    for (auto& [file, clip] : clips) total += clip.bytes;
    for (auto it = clips.begin(); it != clips.end();) {
        Clip& clip = it->second;
        const bool idle = clip.users == 0 && tick - clip.last_used > kClipIdleUpdates;
        const bool over = clip.users == 0 && total > kClipCacheBytes;
        if ((idle || over) && !clip.failed) {
            total -= clip.bytes;
            if (clip.buffer) alDeleteBuffers(1, &clip.buffer);
            it = clips.erase(it);
        } else {
            ++it;
        }
    }
}

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::open_device(Layout layout, const std::string& device_name) {
    auto impl = std::make_unique<Impl>();
    impl->layout = layout;
    impl->device_name = device_name;
    if (auto opened = impl->open(); !opened)
        log::warn(opened.error().message + "; the show goes on silently (audio unhealthy)");
    return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

Result<std::unique_ptr<Engine>> Engine::open_loopback(Layout layout, uint32_t rate) {
    if (rate < 8000 || rate > 192000)
        return fail(ErrorKind::Usage, "audio: rate " + std::to_string(rate) + " Hz is outside 8000..192000");
    auto impl = std::make_unique<Impl>();
    impl->layout = layout;
    impl->loopback = true;
    impl->rate = rate;
    if (auto opened = impl->open(); !opened) return opened.error();
    return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

void Engine::update(const Listener& listener, std::span<const Voice> voices, const Mix& mix) {
    Impl& m = *impl_;
    m.tick++;
    const bool refill = m.skip_refills <= 0;
    m.refills_paused = !refill;
    if (m.skip_refills > 0) m.skip_refills--;
    if (!m.healthy) return;
    m.make_current();
    if (!m.loopback && alcIsExtensionPresent(m.device, "ALC_EXT_disconnect")) {
        ALCint connected = ALC_TRUE;
        alcGetIntegerv(m.device, ALC_CONNECTED, 1, &connected);
        if (!connected) {
            m.healthy = false;
            log::warn("audio: the output device disappeared; the show goes on silently until it returns");
            return;
        }
    }
    alListener3f(AL_POSITION, listener.position.x, listener.position.y, listener.position.z);
    const float orientation[6] = {listener.forward.x, listener.forward.y, listener.forward.z,
                                  listener.up.x,      listener.up.y,      listener.up.z};
    alListenerfv(AL_ORIENTATION, orientation);
    alListenerf(AL_GAIN, std::max(mix.master, 0.0f));
    m.apply_reverb(mix.reverb);

    // Voices in id order, so the same show always creates sources in the same order.
    std::vector<const Voice*> order;
    order.reserve(voices.size());
    bool ducking = false;
    for (const Voice& v : voices) {
        order.push_back(&v);
        if (v.playing && v.group == mix.duck_under) ducking = true;
    }
    std::sort(order.begin(), order.end(), [](const Voice* a, const Voice* b) { return a->id < b->id; });

    std::set<uint32_t> seen;
    for (const Voice* v : order) {
        if (!seen.insert(v->id).second) continue;  // a duplicate id: the first one wins
        auto it = m.playing.find(v->id);
        if (it != m.playing.end() && (!v->playing || it->second.file != v->file || it->second.stream != v->stream)) {
            m.release(it->second);
            m.playing.erase(it);
            it = m.playing.end();
        }
        if (!v->playing) continue;
        if (it == m.playing.end()) {
            Playing p;
            p.file = v->file;
            p.stream = v->stream;
            if (v->stream) {
                auto file = SoundFile::open(v->file);
                if (!file) {
                    m.warn_once(v->file, "audio: " + file.error().message + "; that sound stays silent");
                } else {
                    p.streamer = std::make_unique<Stream>(Stream{std::move(*file)});
                    p.streamer->loop = v->loop;
                    alGenBuffers(kStreamBuffers, p.streamer->buffers);
                }
            } else {
                p.clip = m.acquire_clip(v->file);
                if (p.clip) p.clip->users++;
            }
            if (p.clip || p.streamer) {
                alGenSources(1, &p.source);
                if (p.clip) alSourcei(p.source, AL_BUFFER, ALint(p.clip->buffer));
            }
            it = m.playing.emplace(v->id, std::move(p)).first;
        }
        Playing& p = it->second;
        if (!p.source) continue;
        if (p.clip) p.clip->last_used = m.tick;
        float gain = v->gain;
        if (auto g = mix.groups.find(v->group); g != mix.groups.end()) gain *= g->second;
        if (ducking && v->group == mix.duck_group) gain *= mix.duck_gain;
        if (p.streamer && refill) m.refill(p);
        m.sync_voice(*v, p, gain);
    }
    for (auto it = m.playing.begin(); it != m.playing.end();) {
        if (!seen.count(it->first)) {
            m.release(it->second);
            it = m.playing.erase(it);
        } else {
            ++it;
        }
    }
    m.evict_clips();
}

Result<void> Engine::render(float* out, uint32_t frames) {
    Impl& m = *impl_;
    if (!m.loopback) return fail(ErrorKind::Usage, "audio: only an offline (loopback) engine renders");
    const uint32_t channels = uint32_t(channel_count(m.layout));
    if (!m.healthy) {
        std::fill(out, out + uint64_t(frames) * channels, 0.0f);
        return {};
    }
    m.make_current();
    uint32_t done = 0;
    while (done < frames) {
        const uint32_t chunk = std::max<uint32_t>(64, uint32_t(m.rate * kRenderChunkSeconds));
        const uint32_t n = std::min(chunk, frames - done);
        alcRenderSamplesSOFT(m.device, out + uint64_t(done) * channels, ALCsizei(n));
        done += n;
        if (m.refills_paused) continue;
        for (auto& [id, p] : m.playing)
            if (p.streamer && p.source) m.refill(p);
    }
    return {};
}

Layout Engine::layout() const { return impl_->layout; }
uint32_t Engine::rate() const { return impl_->rate; }
std::string Engine::hrtf_status() const { return impl_->hrtf_status; }
bool Engine::healthy() const { return impl_->healthy; }

size_t Engine::silent_files() const {
    size_t n = 0;
    for (const std::string& key : impl_->warned) n += key.rfind("reverb:", 0) != 0;  // files that failed
    return n;
}

Result<void> Engine::reopen() {
    Impl& m = *impl_;
    m.close();
    if (auto opened = m.open(); !opened) return opened;
    log::info("audio: output rebuilt (" + layout_name(m.layout) + ", " + std::to_string(m.rate) + " Hz)");
    return {};
}

void Engine::skip_stream_refills(int updates) { impl_->skip_refills = updates; }
void Engine::simulate_disconnect() {
    impl_->healthy = false;
    log::warn("audio: the output device disappeared; the show goes on silently until it returns");
}
size_t Engine::cached_clips() const { return impl_->clips.size(); }

}  // namespace vitrine::audio
