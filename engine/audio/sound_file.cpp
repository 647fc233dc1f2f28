#include "audio/sound_file.h"

#include <sndfile.h>

#include "core/paths.h"

#include <algorithm>
#include <cstdlib>
#include <system_error>

namespace vitrine::audio {

namespace {

std::string container_name(int format) {
    switch (format & SF_FORMAT_TYPEMASK) {
        case SF_FORMAT_WAV: return "WAV";
        case SF_FORMAT_WAVEX: return "WAV";
        case SF_FORMAT_RF64: return "RF64";
        case SF_FORMAT_AIFF: return "AIFF";
        case SF_FORMAT_AU: return "AU";
        case SF_FORMAT_FLAC: return "FLAC";
        case SF_FORMAT_OGG: return "OGG";
        case SF_FORMAT_CAF: return "CAF";
        case SF_FORMAT_W64: return "W64";
        default: return "audio";
    }
}

std::string codec_name(int format) {
    switch (format & SF_FORMAT_SUBMASK) {
        case SF_FORMAT_PCM_S8: case SF_FORMAT_PCM_U8: return "8-bit";
        case SF_FORMAT_PCM_16: return "16-bit";
        case SF_FORMAT_PCM_24: return "24-bit";
        case SF_FORMAT_PCM_32: return "32-bit";
        case SF_FORMAT_FLOAT: return "float";
        case SF_FORMAT_DOUBLE: return "double";
        case SF_FORMAT_VORBIS: return "Vorbis";
        case SF_FORMAT_OPUS: return "Opus";
        case SF_FORMAT_ULAW: return "u-law";
        case SF_FORMAT_ALAW: return "A-law";
        case SF_FORMAT_IMA_ADPCM: case SF_FORMAT_MS_ADPCM: return "ADPCM";
        default: return "";
    }
}

// Bytes per frame of uncompressed sample formats (0 for compressed ones).
uint64_t pcm_bytes(int format, uint32_t channels) {
    switch (format & SF_FORMAT_SUBMASK) {
        case SF_FORMAT_PCM_S8: case SF_FORMAT_PCM_U8: return channels;
        case SF_FORMAT_PCM_16: return 2ull * channels;
        case SF_FORMAT_PCM_24: return 3ull * channels;
        case SF_FORMAT_PCM_32: case SF_FORMAT_FLOAT: return 4ull * channels;
        case SF_FORMAT_DOUBLE: return 8ull * channels;
        default: return 0;
    }
}

}  // namespace

void SoundFile::Close::operator()(sf_private_tag* file) const { sf_close(file); }

Result<SoundFile> SoundFile::open(const std::filesystem::path& path) {
    const std::string name = path.string();
    // A regular file only, opened without blocking: a FIFO or a device named as a sound
    // would stop libsndfile's open (or never end).
    uint64_t bytes = 0;
    auto fd = open_regular(path, &bytes);
    if (!fd) {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) return fail(ErrorKind::Io, name + ": no such audio file");
        return fd.error();
    }

    SF_INFO sf{};
    SNDFILE* raw = sf_open_fd(*fd, SFM_READ, &sf, SF_TRUE);  // closes the descriptor, also when it fails
    if (!raw) {
        return fail(name + ": not an audio file libsndfile can read (" + sf_strerror(nullptr) +
                    "); use WAV, FLAC, OGG Vorbis or Opus");
    }
    SoundFile file;
    file.file_.reset(raw);
    file.path_ = path;
    if (sf.samplerate < int(kMinRate) || sf.samplerate > int(kMaxRate))
        return fail(name + ": sample rate " + std::to_string(sf.samplerate) + " Hz is outside 8000..384000");
    if (sf.channels < 1 || sf.channels > int(kMaxChannels))
        return fail(name + ": " + std::to_string(sf.channels) + " channels; at most 8 are read");
    if (sf.frames < 0 || uint64_t(sf.frames) > kMaxFrames)
        return fail(name + ": its header claims " + std::to_string(sf.frames) + " frames (more than 2^32)");
    // Bytes per frame where samples are stored as they are (FLAC's "PCM 16" is compressed).
    const int container = sf.format & SF_FORMAT_TYPEMASK;
    const bool compressed = container == SF_FORMAT_FLAC || container == SF_FORMAT_OGG;
    const uint64_t per_frame = compressed ? 0 : pcm_bytes(sf.format, uint32_t(sf.channels));
    if (per_frame && uint64_t(sf.frames) > bytes / per_frame)
        return fail(name + ": truncated: its header claims " + std::to_string(sf.frames) +
                    " frames, the file holds at most " + std::to_string(bytes / per_frame));
    // libsndfile shortens a WAV whose data chunk runs past the end of the file and says so
    // in its log ("data : 96000 (should be 200)"): that file was cut short (an interrupted
    // copy), not a shorter sound. Sizes 0 and 0xFFFFFFFF mean "unknown" (a streamed WAV).
    char log[4096] = {};
    sf_command(raw, SFC_GET_LOG_INFO, log, sizeof log);
    const std::string text = log;
    if (const size_t at = text.find("\ndata : "); at != std::string::npos) {
        const size_t end = text.find('\n', at + 1);
        const std::string line = text.substr(at + 1, end == std::string::npos ? end : end - at - 1);
        const unsigned long long claimed = std::strtoull(line.c_str() + 7, nullptr, 10);
        if (line.find("should be") != std::string::npos && claimed != 0 && claimed != 0xFFFFFFFFull)
            return fail(name + ": truncated: its data chunk claims " + std::to_string(claimed) +
                        " bytes, the file ends before");
    }
    // PCM sample widths below a byte (a "7-bit" WAV) are no PCM anyone writes: libsndfile would
    // read them as 8-bit noise. Wider odd widths (12, 20 bits) sit in whole-byte containers.
    for (size_t at = text.find("Bit Width"); per_frame && at != std::string::npos; at = text.find("Bit Width", at + 1)) {
        const size_t colon = text.find(':', at);
        if (colon == std::string::npos) break;
        const unsigned long bits = std::strtoul(text.c_str() + colon + 1, nullptr, 10);
        if (bits < 8 || bits > 64)
            return fail(name + ": " + std::to_string(bits) + "-bit samples (WAV samples are 8 to 64 bits: 8, 16, 24 or 32 "
                                                           "for PCM, 32 or 64 for float)");
    }
    // RF64 keeps its real sizes in a ds64 chunk; libsndfile clamps them to the file and
    // logs what the header claimed ("Data size : 2199023255552").
    if (const size_t at = text.find("Data size : "); at != std::string::npos) {
        const unsigned long long claimed = std::strtoull(text.c_str() + at + 12, nullptr, 10);
        if (claimed > bytes)
            return fail(name + ": its header claims " + std::to_string(claimed) + " bytes of audio, the file holds " +
                        std::to_string(bytes) + " (truncated or corrupt)");
    }
    file.info_.rate = uint32_t(sf.samplerate);
    file.info_.channels = uint32_t(sf.channels);
    file.info_.frames = uint64_t(sf.frames);
    const std::string codec = codec_name(sf.format);
    file.info_.format = container_name(sf.format) + (codec.empty() ? "" : " " + codec);
    return file;
}

Result<uint64_t> SoundFile::read(float* out, uint64_t frames) {
    const uint32_t in = info_.channels;
    if (in <= 2) {
        const sf_count_t got = sf_readf_float(file_.get(), out, sf_count_t(frames));
        if (sf_error(file_.get()) != SF_ERR_NO_ERROR)
            return fail(path_.string() + ": cannot be decoded (" + sf_strerror(file_.get()) + ")");
        return uint64_t(std::max<sf_count_t>(got, 0));
    }
    uint64_t done = 0;
    while (done < frames) {
        const uint64_t chunk = std::min<uint64_t>(frames - done, 4096);
        if (scratch_frames_ < chunk) {
            scratch_.reset(new float[chunk * in]);
            scratch_frames_ = chunk;
        }
        const sf_count_t got = sf_readf_float(file_.get(), scratch_.get(), sf_count_t(chunk));
        if (sf_error(file_.get()) != SF_ERR_NO_ERROR)
            return fail(path_.string() + ": cannot be decoded (" + sf_strerror(file_.get()) + ")");
        for (sf_count_t f = 0; f < got; ++f) {
            float sum = 0;
            for (uint32_t c = 0; c < in; ++c) sum += scratch_[uint64_t(f) * in + c];
            out[done + uint64_t(f)] = sum / float(in);
        }
        done += uint64_t(std::max<sf_count_t>(got, 0));
        if (uint64_t(got) < chunk) break;
    }
    return done;
}

Result<void> SoundFile::seek(uint64_t frame) {
    frame = std::min(frame, info_.frames);
    if (sf_seek(file_.get(), sf_count_t(frame), SEEK_SET) < 0)
        return fail(path_.string() + ": cannot seek to frame " + std::to_string(frame));
    return {};
}

}  // namespace vitrine::audio
