// Sound in scene files (`sound` nodes, `zone` nodes, the `audio:` section, sound cue
// actions, NODE.gain / NODE.pitch / audio.GROUP): parsing, every validation problem at
// its line, audio files probed at load, and what Show::evaluate puts in Frame::sounds,
// zones and groups — exact play/stop/seek timing, seek == play, a sound ending with its
// file. CPU only: tiny WAV files written here.
#include <cstring>
#include <filesystem>
#include <random>

#include <gtest/gtest.h>

#include "mutate.h"
#include "temp_dir.h"
#include "show/loader.h"
#include "show/show.h"

using namespace vitrine::show;

namespace {

// A 16-bit PCM WAV of silence-ish ramp: `frames` sample frames of `channels` at `rate` Hz.
std::string wav(uint32_t rate, uint16_t channels, uint32_t frames) {
    auto u32 = [](std::string& s, uint32_t v) { for (int i = 0; i < 4; ++i) s += char((v >> (8 * i)) & 0xff); };
    auto u16 = [](std::string& s, uint16_t v) { s += char(v & 0xff), s += char(v >> 8); };
    uint32_t data = frames * channels * 2;
    std::string s = "RIFF";
    u32(s, 36 + data);
    s += "WAVEfmt ";
    u32(s, 16);
    u16(s, 1);  // PCM
    u16(s, channels);
    u32(s, rate);
    u32(s, rate * channels * 2);
    u16(s, uint16_t(channels * 2));
    u16(s, 16);
    s += "data";
    u32(s, data);
    for (uint32_t i = 0; i < frames * channels; ++i) u16(s, uint16_t(i * 7));
    return s;
}

struct TempDir : vitrine::test::TempDir {
    TempDir() : vitrine::test::TempDir("vitrine_show_sound") {
        write("sounds/bell.wav", wav(48000, 1, 96000));  // 2 s, 48 kHz mono
    }
};

std::string all(const std::vector<Problem>& problems) {
    std::string out;
    for (const Problem& p : problems) out += "\n  " + p.str();
    return out;
}

std::unique_ptr<LoadedScene> load_ok(const TempDir& dir, const std::string& text) {
    std::vector<Problem> problems;
    auto scene = load_scene(dir.write("s.scene.yaml", text), problems);
    EXPECT_TRUE(problems.empty()) << all(problems);
    return scene;
}

// "LINE:COL" of the first `token` on 1-based line `line` of `text`.
std::string where(const std::string& text, int line, const std::string& token) {
    size_t start = 0;
    for (int l = 1; l < line; ++l) start = text.find('\n', start) + 1;
    size_t end = text.find('\n', start);
    size_t at = text.substr(start, end - start).find(token);
    if (at == std::string::npos) return "(token '" + token + "' not on line " + std::to_string(line) + ")";
    return std::to_string(line) + ":" + std::to_string(at + 1);
}

const FrameSound& sound_of(const Frame& f, const LoadedScene& s, const std::string& name) {
    int node = s.file.node_index(name);
    for (const FrameSound& fs : f.sounds)
        if (fs.node == node) return fs;
    ADD_FAILURE() << "no sound node " << name;
    static FrameSound none;
    return none;
}

Frame frame_at(Show& show, double t) {
    show.advance(t);
    Frame f;
    show.evaluate(f);
    return f;
}

const char* kShow = R"(assets:
  bell: {audio: sounds/bell.wav}
audio:
  reverb: gallery
  groups: {music: 0.7}
  duck: {group: music, under: narration, gain: 0.3}
  listener: viewer
nodes:
  - name: relic
    translation: [1, 0, 0]
    children:
      - name: narrator
        sound: {audio: bell, group: narration, in_head: true}
        translation: [0, 2, 0]
  - name: bed
    sound: {audio: bell, group: music, loop: true, play: true, gain: 0.5}
  - name: chime
    sound: {audio: bell, pitch: 1.5, stream: true, reverb: 0.3,
            distance: {model: linear, ref: 2, max: 30, rolloff: 0.5},
            cone: {inner: 60, outer: 120, outer_gain: 0.2}}
  - name: crypt
    zone: {reverb: cave, size: [4, 3, 4]}
    translation: [10, 0, 0]
    children:
      - name: altar
        zone: {reverb: chapel, size: [2, 2, 2]}
timelines:
  - name: swell
    duration: 2
    tracks:
      - target: chime.pitch
        keys: [{t: 0, value: 1}, {t: 2, value: 2}]
cues:
  - {id: "1", at: 1, actions: [{play_sound: chime}]}
  - {id: "2", at: 1.5, actions: [{seek_sound: chime, to: 0.25}]}
  - {id: "3", at: 2, actions: [{set: bed.gain, value: 0, fade: 2}, {set: audio.music, value: 0.2, fade: 1}]}
  - {id: "4", at: 2.5, actions: [{stop_sound: chime}]}
  - {id: "5", at: 3, actions: [{play_sound: narrator}]}
  - {id: "6", at: 3.5, actions: [{play_sound: narrator}]}
  - {id: "7", at: 4.5, actions: [{seek_sound: bed, to: 1}]}
  - {id: "8", at: 6, actions: [{play: swell}]}
)";

}  // namespace

TEST(ShowSound, ParsesSoundsZonesAndTheAudioSection) {
    std::vector<Problem> problems;
    SceneFile s = parse_scene("t.scene.yaml", kShow, problems);
    ASSERT_TRUE(problems.empty()) << all(problems);
    ASSERT_EQ(s.assets.size(), 1u);
    EXPECT_EQ(s.assets[0].kind, AssetKind::Audio);
    EXPECT_EQ(s.audio.reverb, "gallery");
    EXPECT_EQ(s.audio.groups.at("music"), 0.7f);
    EXPECT_EQ(s.audio.duck_group, "music");
    EXPECT_EQ(s.audio.duck_under, "narration");
    EXPECT_FLOAT_EQ(s.audio.duck_gain, 0.3f);
    EXPECT_TRUE(s.audio.listener_viewer);
    const Node& narrator = s.nodes[size_t(s.node_index("narrator"))];
    ASSERT_TRUE(narrator.sound);
    EXPECT_EQ(narrator.sound->group, "narration");
    EXPECT_TRUE(narrator.sound->in_head);
    EXPECT_FALSE(narrator.sound->play);
    const SoundDesc& chime = *s.nodes[size_t(s.node_index("chime"))].sound;
    EXPECT_EQ(chime.group, "effects");  // the default
    EXPECT_EQ(chime.distance, DistanceModel::Linear);
    EXPECT_EQ(chime.ref, 2.0f);
    EXPECT_EQ(chime.max, 30.0f);
    EXPECT_EQ(chime.rolloff, 0.5f);
    EXPECT_EQ(chime.cone_inner, 60.0f);
    EXPECT_EQ(chime.cone_outer, 120.0f);
    EXPECT_EQ(chime.cone_outer_gain, 0.2f);
    EXPECT_EQ(chime.reverb, 0.3f);
    EXPECT_TRUE(chime.stream);
    EXPECT_EQ(chime.locs.at("distance.ref", chime.loc).str(), "t.scene.yaml:" + where(kShow, 19, "2,"));
    const Node& altar = s.nodes[size_t(s.node_index("altar"))];
    ASSERT_TRUE(altar.zone);
    EXPECT_EQ(altar.zone->reverb, "chapel");
    EXPECT_EQ(altar.zone->size, glm::vec3(2));
    const Cue& seek = s.cues[1];
    ASSERT_EQ(seek.actions.size(), 1u);
    EXPECT_EQ(seek.actions[0].kind, ActionKind::SeekSound);
    EXPECT_EQ(seek.actions[0].target, "chime");
    EXPECT_EQ(seek.actions[0].seek_to, 0.25);
    EXPECT_EQ(s.cues[3].actions[0].kind, ActionKind::StopSound);
    EXPECT_EQ(s.cues[4].actions[0].kind, ActionKind::PlaySound);
    EXPECT_EQ(s.audio_groups(), (std::vector<std::string>{"effects", "music", "narration"}));
    EXPECT_EQ(reverb_presets().front(), "none");
}

TEST(ShowSound, EveryProblemAtItsLine) {
    TempDir dir;
    const std::string head = "assets:\n  bell: {audio: sounds/bell.wav}\n  scroll: {pyramid: \"procedural:pattern:1000x500\"}\n"
                             "nodes:\n  - name: s\n";
    const std::string box = "  - name: box\n";
    struct Case {
        std::string rest;   // after `head` (line 6 on)
        int line;
        std::string token;  // where on that line
        std::string message;
    };
    const std::vector<Case> cases = {
        {"    sound: {audio: bel}\n", 6, "bel}", "unknown asset 'bel' (did you mean 'bell'?)"},
        {"    sound: {audio: scroll}\n", 6, "scroll", "asset 'scroll' is not an audio file"},
        {"    sound: {gain: 1}\n", 6, "{gain", "sound needs 'audio'"},
        {"    sound: {audio: bell, gain: -1}\n", 6, "-1", "'gain' must be 0 or more, got -1"},
        {"    sound: {audio: bell, pitch: 0}\n", 6, "0}", "'pitch' must be more than 0 and at most 4, got 0"},
        {"    sound: {audio: bell, pitch: 5}\n", 6, "5}", "'pitch' must be more than 0 and at most 4, got 5"},
        {"    sound: {audio: bell, distance: {ref: 0}}\n", 6, "0}", "'ref' must be more than 0, got 0"},
        {"    sound: {audio: bell, distance: {ref: 2, max: 1}}\n", 6, "1}", "'max' must be at least 'ref' (2), got 1"},
        {"    sound: {audio: bell, distance: {model: inverted}}\n", 6, "inverted",
         "'model' must be one of inverse, linear, none, got 'inverted' (did you mean 'inverse'?)"},
        {"    sound: {audio: bell, cone: {inner: 400, outer: 360}}\n", 6, "400",
         "'inner' must be between 0 and 360 degrees, got 400"},
        {"    sound: {audio: bell, cone: {outer: -5}}\n", 6, "-5", "'outer' must be between 0 and 360 degrees, got -5"},
        {"    sound: {audio: bell, cone: {inner: 90, outer: 60}}\n", 6, "90",
         "cone 'inner' 90 must not be more than 'outer' 60"},
        {"    sound: {audio: bell, cone: {outer_gain: 2}}\n", 6, "2}", "'outer_gain' must be between 0 and 1, got 2"},
        {"    sound: {audio: bell, reverb: 1.5}\n", 6, "1.5", "'reverb' must be between 0 and 1, got 1.5"},
        {"    sound: {audio: bell, gan: 2}\n", 6, "gan", "unknown key 'gan' in sound (did you mean 'gain'?)"},
        {"    sound: {audio: bell, distance: {rollof: 2}}\n", 6, "rollof",
         "unknown key 'rollof' in distance (did you mean 'rolloff'?)"},
        {"    sound: {audio: bell, group: \"\"}\n", 6, "\"\"", "'group' must not be empty"},
        {"    zone: {reverb: cav, size: [1, 1, 1]}\n", 6, "cav", "got 'cav' (did you mean 'cave'?)"},
        {"    zone: {reverb: cave, size: [1, 0, 1]}\n", 6, "[1, 0, 1]", "zone 'size' must be more than 0, got 1 x 0 x 1"},
        {"    zone: {reverb: cave}\n", 6, "{reverb", "zone needs 'size'"},
        {"    zone: {reverb: cave, size: [1, 1, 1], sise: 2}\n", 6, "sise", "unknown key 'sise' in zone (did you mean 'size'?)"},
        {"    souns: {audio: bell}\n", 6, "souns", "unknown key 'souns' in node 's' (did you mean 'sound'?)"},
        {"    sound: {audio: bell}\naudio: {reverb: galery}\n", 7, "galery", "got 'galery' (did you mean 'gallery'?)"},
        {"    sound: {audio: bell}\naudio: {groups: {music: -1}}\n", 7, "-1", "group 'music' gain must not be negative, got -1"},
        {"    sound: {audio: bell}\naudio: {duck: {group: music, under: music}}\n", 7, "music}",
         "group 'music' cannot duck under itself"},
        {"    sound: {audio: bell}\naudio: {duck: {group: music, under: narration, gain: 2}}\n", 7, "2}",
         "'gain' of duck must be between 0 and 1, got 2"},
        {"    sound: {audio: bell}\naudio: {duck: {group: music}}\n", 7, "{group", "'duck' needs 'under'"},
        {"    sound: {audio: bell}\naudio: {listener: viewr}\n", 7, "viewr", "got 'viewr' (did you mean 'viewer'?)"},
        {"    sound: {audio: bell}\naudio: {revreb: cave}\n", 7, "revreb", "unknown key 'revreb' in audio (did you mean 'reverb'?)"},
        {"    sound: {audio: bell}\n" + box + "cues:\n  - {id: \"1\", actions: [{play_sound: box}]}\n", 9, "box}",
         "play_sound needs a sound node: 'box' is not one"},
        {"    sound: {audio: bell}\n" + box + "cues:\n  - {id: \"1\", actions: [{stop_sound: ss}]}\n", 9, "ss}",
         "unknown node 'ss' (did you mean 's'?)"},
        {"    sound: {audio: bell}\n" + box + "cues:\n  - {id: \"1\", actions: [{seek_sound: box, to: 1}]}\n", 9, "box,",
         "seek_sound needs a sound node: 'box' is not one"},
        {"    sound: {audio: bell}\ncues:\n  - {id: \"1\", actions: [{seek_sound: s, to: -1}]}\n", 8, "-1",
         "'to' must not be negative, got -1"},
        {"    sound: {audio: bell}\ncues:\n  - {id: \"1\", actions: [{seek_sound: s}]}\n", 8, "{seek", "seek_sound needs 'to'"},
        {"    sound: {audio: bell}\ncues:\n  - {id: \"1\", actions: [{play_sond: s}]}\n", 8, "play_sond",
         "unknown key 'play_sond' in action (did you mean 'play_sound'?)"},
        {"    sound: {audio: bell}\ncues:\n  - {id: \"1\", actions: [{set: s.gain, value: -1}]}\n", 8, "-1",
         "gain must not be negative, got -1"},
        {"    sound: {audio: bell}\n" + box + "cues:\n  - {id: \"1\", actions: [{set: box.gain, value: 1}]}\n", 9,
         "box.gain", "node 'box' is not a sound: 'gain' needs one"},
        {"    sound: {audio: bell, group: music}\ncues:\n  - {id: \"1\", actions: [{set: audio.musc, value: 1}]}\n", 8,
         "audio.musc", "unknown audio group 'musc' in 'audio.musc' (did you mean 'music'?)"},
        {"    sound: {audio: bell}\ntimelines:\n  - {name: t, duration: 2, tracks: [{target: s.pitch, keys: [{t: 0, value: 0}]}]}\n",
         8, "0}]}]}", "pitch must be more than 0 and at most 4, got 0"},
        {"    sound: {audio: bell}\n  - name: audio\n", 7, "audio", "node name 'audio' is reserved"},
    };
    for (const Case& c : cases) {
        std::string text = head + c.rest;
        std::vector<Problem> problems;
        auto scene = load_scene(dir.write("p.scene.yaml", text), problems);
        EXPECT_EQ(scene, nullptr) << c.rest;
        std::string at = "p.scene.yaml:" + where(text, c.line, c.token) + ": ";
        bool found = false;
        for (const Problem& p : problems) {
            std::string line = (dir.path / "p.scene.yaml").string() + ":";
            std::string s = p.str();
            if (s.rfind(line, 0) == 0) s = "p.scene.yaml:" + s.substr(line.size());
            if (s.rfind(at, 0) == 0 && s.find(c.message) != std::string::npos) found = true;
        }
        EXPECT_TRUE(found) << "expected " << at << c.message << "\nfor:\n" << c.rest << "got:" << all(problems);
    }
}

TEST(ShowSound, AudioFilesAreProbedAtLoad) {
    TempDir dir;
    dir.write("sounds/cut.wav", wav(48000, 1, 96000).substr(0, 20));  // the header cut short
    dir.write("sounds/text.wav", "this is a text file, not a sound\n");
    dir.write("sounds/fast.wav", wav(200000, 1, 100));
    dir.write("sounds/wide.wav", wav(48000, 9, 10));
    struct Case {
        std::string file, message;
    };
    for (const Case& c : std::vector<Case>{{"cut.wav", "cannot read audio: "},
                                           {"text.wav", "cannot read audio: "},
                                           {"fast.wav", "200000"},
                                           {"wide.wav", "9 channels"}}) {
        std::string text = "assets:\n  bad: {audio: sounds/" + c.file + "}\nnodes:\n  - {name: s, sound: {audio: bad}}\n";
        std::vector<Problem> problems;
        auto scene = load_scene(dir.write("a.scene.yaml", text), problems);
        EXPECT_EQ(scene, nullptr);
        ASSERT_EQ(problems.size(), 1u) << all(problems);
        EXPECT_EQ(problems[0].loc.line, 2) << c.file;
        EXPECT_EQ(problems[0].loc.column, 16) << c.file;
        EXPECT_NE(problems[0].message.find(c.message), std::string::npos) << problems[0].message;
        EXPECT_NE(problems[0].message.find(c.file), std::string::npos) << problems[0].message;  // names the file
    }
    auto scene = load_ok(dir, "assets:\n  bell: {audio: sounds/bell.wav}\n");
    ASSERT_TRUE(scene);
    ASSERT_EQ(scene->audio.count("bell"), 1u);
    EXPECT_EQ(scene->audio.at("bell").rate, 48000u);
    EXPECT_EQ(scene->audio.at("bell").channels, 1u);
    EXPECT_EQ(scene->audio.at("bell").frames, 96000u);
}

TEST(ShowSound, FrameCarriesSoundsZonesAndGroups) {
    TempDir dir;
    auto scene = load_ok(dir, kShow);
    ASSERT_TRUE(scene);
    auto show = Show::create(*scene);
    Frame f = frame_at(*show, 0);
    ASSERT_EQ(f.sounds.size(), 3u);
    const FrameSound& narrator = sound_of(f, *scene, "narrator");
    EXPECT_EQ(glm::vec3(narrator.world[3]), glm::vec3(1, 2, 0));  // follows its parent
    EXPECT_EQ(narrator.asset, "bell");
    EXPECT_EQ(narrator.file, scene->file.assets[0].resolved);
    EXPECT_EQ(narrator.group, "narration");
    EXPECT_TRUE(narrator.in_head);
    EXPECT_FALSE(narrator.playing);
    EXPECT_TRUE(narrator.visible);
    const FrameSound& bed = sound_of(f, *scene, "bed");
    EXPECT_TRUE(bed.playing);  // play: true
    EXPECT_TRUE(bed.loop);
    EXPECT_EQ(bed.offset, 0.0);
    EXPECT_EQ(bed.gain, 0.5f);
    EXPECT_EQ(bed.distance_model, 0);
    EXPECT_EQ(bed.cone_inner, 360.0f);
    const FrameSound& chime = sound_of(f, *scene, "chime");
    EXPECT_EQ(chime.distance_model, 1);
    EXPECT_EQ(chime.ref_distance, 2.0f);
    EXPECT_EQ(chime.max_distance, 30.0f);
    EXPECT_EQ(chime.rolloff, 0.5f);
    EXPECT_EQ(chime.cone_outer, 120.0f);
    EXPECT_EQ(chime.cone_outer_gain, 0.2f);
    EXPECT_EQ(chime.reverb, 0.3f);
    EXPECT_EQ(chime.pitch, 1.5f);
    EXPECT_TRUE(chime.stream);
    EXPECT_FALSE(chime.playing);

    EXPECT_EQ(f.reverb, "gallery");
    EXPECT_EQ(f.groups, (std::map<std::string, float>{{"effects", 1.0f}, {"music", 0.7f}, {"narration", 1.0f}}));
    EXPECT_EQ(f.duck_group, "music");
    EXPECT_EQ(f.duck_under, "narration");
    EXPECT_EQ(f.duck_gain, 0.3f);
    EXPECT_TRUE(f.listener_viewer);
    EXPECT_EQ(f.volume, 1.0f);
    ASSERT_EQ(f.zones.size(), 2u);
    EXPECT_EQ(f.zones[0].reverb, "cave");
    EXPECT_EQ(f.zones[0].size, glm::vec3(4, 3, 4));
    EXPECT_EQ(glm::vec3(f.zones[1].world[3]), glm::vec3(10, 0, 0));  // the altar, inside the crypt
    EXPECT_EQ(zone_reverb(f, {10, 0, 0}), "chapel");     // inside both: the inner (later) one
    EXPECT_EQ(zone_reverb(f, {11.5f, 0, 0}), "cave");     // the crypt only
    EXPECT_EQ(zone_reverb(f, {10, 1.6f, 0}), "gallery");  // above the crypt (3 m high): the default
    EXPECT_EQ(zone_reverb(f, {0, 0, 0}), "gallery");

    // Fades on NODE.gain and audio.GROUP (cue 3 at t 2: 2 s and 1 s).
    f = frame_at(*show, 2.75);
    EXPECT_FLOAT_EQ(sound_of(f, *scene, "bed").gain, 0.5f * (1 - 0.375f));
    EXPECT_FLOAT_EQ(f.groups.at("music"), 0.7f + (0.2f - 0.7f) * 0.75f);
    f = frame_at(*show, 4.5);
    EXPECT_EQ(sound_of(f, *scene, "bed").gain, 0.0f);
    EXPECT_FLOAT_EQ(f.groups.at("music"), 0.2f);
    // A track on NODE.pitch (swell plays from t 6).
    f = frame_at(*show, 7);
    EXPECT_FLOAT_EQ(sound_of(f, *scene, "chime").pitch, 1.5f);
}

TEST(ShowSound, PlayStopSeekTimingIsExact) {
    TempDir dir;
    auto scene = load_ok(dir, kShow);
    ASSERT_TRUE(scene);
    auto show = Show::create(*scene);
    Frame f = frame_at(*show, 0.999);
    EXPECT_FALSE(sound_of(f, *scene, "chime").playing);
    // The chime plays at pitch 1.5: 1.5 s of its file a second.
    f = frame_at(*show, 1.25);
    EXPECT_TRUE(sound_of(f, *scene, "chime").playing);
    EXPECT_EQ(sound_of(f, *scene, "chime").offset, 0.375);
    f = frame_at(*show, 1.75);  // seek to 0.25 at 1.5: keeps playing
    EXPECT_TRUE(sound_of(f, *scene, "chime").playing);
    EXPECT_EQ(sound_of(f, *scene, "chime").offset, 0.625);
    f = frame_at(*show, 2.75);  // stopped at 2.5
    EXPECT_FALSE(sound_of(f, *scene, "chime").playing);
    f = frame_at(*show, 3.25);
    EXPECT_EQ(sound_of(f, *scene, "narrator").offset, 0.25);
    f = frame_at(*show, 4);  // restarted at 3.5 from the beginning
    EXPECT_TRUE(sound_of(f, *scene, "narrator").playing);
    EXPECT_EQ(sound_of(f, *scene, "narrator").offset, 0.5);
    f = frame_at(*show, 5);  // the bed seeked to 1 s at 4.5, looping
    EXPECT_TRUE(sound_of(f, *scene, "bed").playing);
    EXPECT_EQ(sound_of(f, *scene, "bed").offset, 1.5);
    f = frame_at(*show, 100);  // a loop is never over; its offset is not wrapped
    EXPECT_TRUE(sound_of(f, *scene, "bed").playing);
    EXPECT_EQ(sound_of(f, *scene, "bed").offset, 96.5);
}

TEST(ShowSound, ANonLoopingSoundStopsAtItsLength) {
    TempDir dir;
    auto scene = load_ok(dir, kShow);
    ASSERT_TRUE(scene);
    auto show = Show::create(*scene);
    // The narrator (2 s) restarted at 3.5: it ends at 5.5.
    Frame f = frame_at(*show, 5.25);
    EXPECT_TRUE(sound_of(f, *scene, "narrator").playing);
    f = frame_at(*show, 5.5);
    EXPECT_FALSE(sound_of(f, *scene, "narrator").playing);
    EXPECT_GE(sound_of(f, *scene, "narrator").offset, 2.0);
    f = frame_at(*show, 8);
    EXPECT_FALSE(sound_of(f, *scene, "narrator").playing);
}

TEST(ShowSound, SeekEqualsPlay) {
    TempDir dir;
    auto scene = load_ok(dir, kShow);
    ASSERT_TRUE(scene);
    for (double end : {1.6, 2.3, 3.9, 5.49, 7.1}) {
        auto stepped = Show::create(*scene);
        for (int i = 1; double(i) / 60 < end; ++i) stepped->advance(double(i) / 60);
        stepped->advance(end);
        auto sought = Show::create(*scene);
        sought->advance(0.5);
        sought->seek(end);
        auto once = Show::create(*scene);
        once->advance(end);
        Frame a, b, c;
        stepped->evaluate(a);
        sought->evaluate(b);
        once->evaluate(c);
        ASSERT_EQ(a.sounds.size(), b.sounds.size());
        for (size_t k = 0; k < a.sounds.size(); ++k)
            for (const Frame* other : {&b, &c}) {
                const FrameSound &x = a.sounds[k], &y = other->sounds[k];
                EXPECT_EQ(x.playing, y.playing) << end << " " << k;
                EXPECT_EQ(x.offset, y.offset) << end << " " << k;
                EXPECT_EQ(x.gain, y.gain) << end << " " << k;
                EXPECT_EQ(x.pitch, y.pitch) << end << " " << k;
            }
        EXPECT_EQ(a.groups, b.groups) << end;
        EXPECT_EQ(a.groups, c.groups) << end;
    }
}

TEST(ShowSound, VolumeAndStopReachTheFrame) {
    TempDir dir;
    auto scene = load_ok(dir, kShow);
    ASSERT_TRUE(scene);
    auto show = Show::create(*scene);
    Input in;
    in.t = 1;
    in.address = "/vitrine/volume";
    in.args = {"0.25"};
    show->input(in);
    Frame f = frame_at(*show, 2);
    EXPECT_EQ(f.volume, 0.25f);
    EXPECT_TRUE(sound_of(f, *scene, "bed").playing);
    in.t = 2.2;
    in.address = "/vitrine/stop";
    in.args = {};
    show->input(in);
    f = frame_at(*show, 2.3);
    EXPECT_FALSE(sound_of(f, *scene, "bed").playing);  // the operator's stop silences the sounds too
    EXPECT_FALSE(sound_of(f, *scene, "chime").playing);
}

TEST(ShowSound, MutatedScenesNeverCrash) {
    TempDir dir;
    std::mt19937 rng(9);
    int loaded = 0;
    for (int i = 0; i < 150; ++i) {
        std::vector<Problem> problems;
        auto scene = load_scene(dir.write("m.scene.yaml", vitrine::test::mutate_yaml(kShow, rng)), problems);
        EXPECT_EQ(scene == nullptr, !problems.empty());
        for (const Problem& p : problems) EXPECT_FALSE(p.message.empty());
        if (!scene) continue;
        ++loaded;
        auto show = Show::create(*scene);
        Frame frame = frame_at(*show, 6.5);
        for (const FrameSound& s : frame.sounds) {
            EXPECT_GE(s.gain, 0.0f);
            EXPECT_GT(s.pitch, 0.0f);
        }
        zone_reverb(frame, {10, 0, 0});
    }
    EXPECT_GT(loaded, 0);
    EXPECT_LT(loaded, 150);
}
