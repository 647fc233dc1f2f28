#include "edit/document.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/paths.h"
#include "yaml/wording.h"

namespace vitrine::edit {

namespace {

constexpr uint64_t kLargestScene = 16u << 20;  // as load_scene reads

Result<std::string> read_scene_text(const std::filesystem::path& file) {
    auto bytes = read_file(file, kLargestScene);
    if (!bytes) return bytes.error();
    return std::string(bytes->begin(), bytes->end());
}

}  // namespace

Result<std::unique_ptr<Document>> Document::open(const std::filesystem::path& file) {
    auto text = read_scene_text(file);
    if (!text) return text.error();
    std::string why;
    auto tree = yaml::text_tree(*text, &why);
    if (!tree) return Error{file.string() + ":" + why + " (the editor places values in the text: fix it in a text editor first)", ErrorKind::BadInput};
    std::unique_ptr<Document> doc(new Document());
    doc->path_ = file;
    doc->text_ = doc->saved_ = doc->on_disk_ = *text;
    doc->check();
    return doc;
}

void Document::check() {
    std::string why;
    if (auto tree = yaml::text_tree(text_, &why)) tree_ = std::move(*tree);
    problems_.clear();
    auto loaded = show::load_scene(path_, problems_, &cache_, &text_);
    if (loaded) {
        scene_ = loaded->file;
        loaded_ = std::move(loaded);
    } else {
        std::vector<yaml::Problem> ignored;
        scene_ = show::parse_scene(path_, text_, ignored);
    }
    ++version_;
}

void Document::change(std::string text) {
    if (text == text_) return;
    held_bytes_ += text_.size();
    undo_.push_back(std::move(text_));
    for (const std::string& r : redo_) held_bytes_ -= r.size();
    redo_.clear();
    while (held_bytes_ > undo_bytes_ && undo_.size() > 1) {  // the oldest edits go first
        held_bytes_ -= undo_.front().size();
        undo_.pop_front();
    }
    text_ = std::move(text);
    check();
}

bool Document::undo() {
    if (undo_.empty()) return false;
    redo_.push_back(std::move(text_));
    text_ = std::move(undo_.back());
    undo_.pop_back();
    held_bytes_ += redo_.back().size();
    held_bytes_ -= text_.size();
    check();
    return true;
}

bool Document::redo() {
    if (redo_.empty()) return false;
    undo_.push_back(std::move(text_));
    text_ = std::move(redo_.back());
    redo_.pop_back();
    held_bytes_ += undo_.back().size();
    held_bytes_ -= text_.size();
    check();
    return true;
}

Result<void> Document::apply(const std::string& line) {
    auto command = parse_command(line);
    if (!command) return command.error();
    return run(*command);
}

Result<void> Document::run(const Command& c) {
    const auto& a = c.args;
    if (c.verb.empty()) return {};
    if (c.verb == "undo") {
        if (!undo()) return Error{"nothing to undo", ErrorKind::BadInput};
        return {};
    }
    if (c.verb == "redo") {
        if (!redo()) return Error{"nothing to redo", ErrorKind::BadInput};
        return {};
    }
    if (c.verb == "save" || c.verb == "save as") {
        bool as = c.verb == "save as";
        size_t force_at = as ? 1 : 0;
        bool force = a.size() > force_at;
        if (force && a[force_at] != "force")
            return Error{"'" + c.verb + "' takes 'force' or nothing after " + (as ? "the file" : "it"), ErrorKind::BadInput};
        return as ? save_as(a[0], force) : save(force);
    }
    if (text_ != "" && tree_.kind != yaml::TextNode::Kind::Map)
        return Error{"the scene file is not a YAML mapping: fix it in a text editor first", ErrorKind::BadInput};
    Result<std::string> out = Error{"", ErrorKind::BadInput};
    if (c.verb == "set") out = set(a[0], a[1]);
    else if (c.verb == "move") out = move(c, false);
    else if (c.verb == "turn") out = move(c, true);
    else if (c.verb == "snap") out = snap(c);
    else if (c.verb == "zup") out = zup(a[0]);
    else if (c.verb == "node add") out = node_add(c);
    else if (c.verb == "node delete") out = node_delete(a[0]);
    else if (c.verb == "node rename") out = node_rename(a[0], a[1]);
    else if (c.verb == "node duplicate") out = node_duplicate(a[0], a[1]);
    else if (c.verb == "node parent") out = node_parent(a[0], a[1]);
    else if (c.verb == "key add") out = key_add(c);
    else if (c.verb == "key move") out = key_move(c);
    else if (c.verb == "key delete") out = key_delete(c);
    else if (c.verb == "track interpolation") out = track_interpolation(c);
    else if (c.verb == "timeline set") out = timeline_set(c);
    else if (c.verb == "label set") out = label_set(c);
    else if (c.verb == "label delete") out = label_delete(c);
    else if (c.verb == "cue add") out = cue_add(c);
    else if (c.verb == "cue set") out = cue_set(c);
    else if (c.verb == "cue delete") out = cue_delete(a[0]);
    else return Error{"'" + c.verb + "' is not an edit", ErrorKind::BadInput};
    if (!out) return out.error();
    // A change the editor cannot place values in afterwards would strand the document.
    std::string why;
    if (!yaml::text_tree(*out, &why))
        return Error{"'" + c.line + "' would leave text the editor cannot read (" + why + "); not done",
                     ErrorKind::BadInput};
    change(std::move(*out));
    return {};
}

Result<void> Document::save(bool force) { return write(path_, force); }

Result<void> Document::save_as(const std::filesystem::path& file, bool force) {
    if (auto r = write(file, force); !r) return r;
    path_ = file;
    check();  // paths are relative to the new place
    return {};
}

Result<void> Document::write(const std::filesystem::path& file, bool force) {
    if (!problems_.empty() && !force)
        return Error{file.string() + ": not saved: the edited show has " + std::to_string(problems_.size()) +
                         (problems_.size() == 1 ? " problem" : " problems") + " (the first: " + problems_[0].str() +
                         "); 'save force' (edit --script: --force) saves it anyway",
                     ErrorKind::BadInput};
    // Another file than the scene: never one the show reads (a model, its hooks, the
    // display), and an existing file that is not a YAML file only when forced.
    std::error_code same_ec;
    if (!std::filesystem::equivalent(file, path_, same_ec) && std::filesystem::exists(file, same_ec)) {
        if (loaded_)
            for (const std::filesystem::path& input : loaded_->files)
                if (std::filesystem::equivalent(file, input, same_ec))
                    return Error{file.string() + ": refusing to save the scene over one of the files it reads; choose another file",
                                 ErrorKind::BadInput};
        std::string ext = file.extension().string();
        if (!force && ext != ".yaml" && ext != ".yml")
            return Error{file.string() + ": exists and is not a YAML file; 'save as FILE force' replaces it",
                         ErrorKind::BadInput};
    }
    // The file changed by another program since it was read: saving would lose that.
    if (file == path_ && !force) {
        auto disk = read_scene_text(file);
        if (disk && *disk != on_disk_)
            return Error{file.string() + ": changed on disk since it was opened (another program?): reload it, or "
                                         "'save force' to replace it",
                         ErrorKind::BadInput};
    }
    // A symbolic link is written through (the link stays), and the file keeps its mode.
    std::error_code link_ec;
    std::filesystem::path target = std::filesystem::is_symlink(file, link_ec) ? std::filesystem::canonical(file, link_ec) : file;
    if (link_ec) target = file;
    struct stat st {};
    mode_t mode = ::stat(target.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0644;
    // Beside the file, then renamed over it: a reader sees the old text or the new one.
    std::filesystem::path temp = target;
    temp += ".partial-" + std::to_string(::getpid());
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Error{file.string() + ": cannot save: " + std::strerror(errno), ErrorKind::Io};
    ::fchmod(fd, mode);
    size_t done = 0;
    while (done < text_.size()) {
        ssize_t n = ::write(fd, text_.data() + done, text_.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int err = errno;
            ::close(fd);
            ::unlink(temp.c_str());
            return Error{file.string() + ": cannot save: " + std::strerror(err), ErrorKind::Io};
        }
        done += size_t(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        ::unlink(temp.c_str());
        return Error{file.string() + ": cannot save: " + std::strerror(errno), ErrorKind::Io};
    }
    std::error_code ec;
    if (std::filesystem::exists(target, ec)) {
        std::filesystem::path backup = file;
        backup += "~";
        std::filesystem::copy_file(target, backup, std::filesystem::copy_options::overwrite_existing, ec);
        if (ec) {
            ::unlink(temp.c_str());
            return Error{backup.string() + ": cannot keep the previous version: " + ec.message() + "; not saved",
                         ErrorKind::Io};
        }
    }
    std::filesystem::rename(temp, target, ec);
    if (ec) {
        ::unlink(temp.c_str());
        return Error{file.string() + ": cannot save: " + ec.message(), ErrorKind::Io};
    }
    saved_ = on_disk_ = text_;
    return {};
}

bool Document::changed_on_disk() const {
    auto text = read_scene_text(path_);
    return text && *text != on_disk_;
}

Result<void> Document::reload() {
    auto text = read_scene_text(path_);
    if (!text) return text.error();
    std::string why;
    if (!yaml::text_tree(*text, &why)) return Error{path_.string() + ":" + why, ErrorKind::BadInput};
    on_disk_ = saved_ = *text;
    change(std::move(*text));
    return {};
}

}  // namespace vitrine::edit

namespace vitrine::edit {

void Document::keep_mine() {
    if (auto text = read_scene_text(path_)) on_disk_ = *text;
}

}  // namespace vitrine::edit
