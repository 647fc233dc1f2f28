// A scene file open for editing: its text as the curator wrote it, changed only by
// commands (edit/command.h) that touch the values they change; every change undoable
// (the texts before and after, unbounded); after each change the text is parsed and
// checked again (the same `check` as `vitrine check`), its problems kept for the
// Problems panel. Saving writes the text atomically and keeps the previous version as
// `SCENE~`.
#pragma once
#include <deque>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "edit/command.h"
#include "show/loader.h"
#include "yaml/text_tree.h"

namespace vitrine::edit {

class Document {
public:
    // Fails when the file cannot be read or is not YAML the editor can place values in
    // (a syntax error); a scene with other problems opens, with them in problems().
    static Result<std::unique_ptr<Document>> open(const std::filesystem::path& file);

    const std::filesystem::path& path() const { return path_; }
    const std::string& text() const { return text_; }
    bool unsaved() const { return text_ != saved_; }

    // The scene as the text now says (parsed even when it has problems).
    const show::SceneFile& scene() const { return scene_; }
    const std::vector<yaml::Problem>& problems() const { return problems_; }
    // The scene with its assets loaded, as of the last text without problems (null
    // before there was one): what the viewport shows and snaps measure.
    const show::LoadedScene* loaded() const { return loaded_.get(); }
    std::shared_ptr<const show::LoadedScene> loaded_shared() const { return loaded_; }
    // Counts changes of text (an undo counts too): the viewport reloads when it moves.
    uint64_t version() const { return version_; }

    // The show time snaps measure bounds at (the editor's playhead).
    void set_time(double t) { time_ = t; }

    // One command (a line of the language). Fails with one line saying why; the text is
    // then unchanged. `undo`, `redo` and `save` are commands too.
    Result<void> apply(const std::string& line);
    Result<void> run(const Command& command);

    // Unbounded in count; in memory the oldest texts go once all held texts pass
    // kUndoBytes (a kiosk edited over OSC for months must not grow without end): at the
    // size of the demo that is tens of thousands of edits.
    static constexpr size_t kUndoBytes = size_t(256) << 20;
    void set_undo_bytes(size_t bytes) { undo_bytes_ = bytes; }  // tests
    bool undo();
    bool redo();
    size_t undo_depth() const { return undo_.size(); }
    size_t redo_depth() const { return redo_.size(); }

    // Refused while the show has problems, or when the file changed on disk since it
    // was read (another program's edit would be lost), unless `force`. A symbolic link
    // is written through; the file keeps its mode. `save_as` makes that file the document's.
    Result<void> save(bool force = false);
    Result<void> save_as(const std::filesystem::path& file, bool force = false);

    // The file on disk changed (a text editor): whether it differs from what was loaded
    // or last saved. reload() takes it (undoable), dropping nothing but the redo list.
    bool changed_on_disk() const;
    Result<void> reload();
    // Keep the edits and stop telling about the file's version on disk (until it changes again).
    void keep_mine();

private:
    Document() = default;
    void change(std::string text);  // records undo, clears redo, checks
    void check();
    Result<void> write(const std::filesystem::path& file, bool force);

    // The commands (commands.cpp).
    Result<std::string> set(const std::string& path, const std::string& value) const;
    Result<std::string> move(const Command& c, bool turn) const;
    Result<std::string> snap(const Command& c) const;
    Result<std::string> zup(const std::string& node) const;
    Result<std::string> node_add(const Command& c) const;
    Result<std::string> node_delete(const std::string& name) const;
    Result<std::string> node_rename(const std::string& name, const std::string& to) const;
    Result<std::string> node_duplicate(const std::string& name, const std::string& to) const;
    Result<std::string> node_parent(const std::string& name, const std::string& parent) const;
    Result<std::string> key_add(const Command& c) const;
    Result<std::string> key_move(const Command& c) const;
    Result<std::string> key_delete(const Command& c) const;
    Result<std::string> track_interpolation(const Command& c) const;
    Result<std::string> timeline_set(const Command& c) const;
    Result<std::string> label_set(const Command& c) const;
    Result<std::string> label_delete(const Command& c) const;
    Result<std::string> cue_add(const Command& c) const;
    Result<std::string> cue_set(const Command& c) const;
    Result<std::string> cue_delete(const std::string& id) const;

    std::filesystem::path path_;
    std::string text_, saved_, on_disk_;
    std::deque<std::string> undo_;
    std::vector<std::string> redo_;
    size_t held_bytes_ = 0;  // of undo_ and redo_
    size_t undo_bytes_ = kUndoBytes;
    yaml::TextNode tree_;
    show::SceneFile scene_;
    std::vector<yaml::Problem> problems_;
    std::shared_ptr<show::LoadedScene> loaded_;
    show::AssetCache cache_;
    uint64_t version_ = 0;
    double time_ = 0;
};

}  // namespace vitrine::edit
