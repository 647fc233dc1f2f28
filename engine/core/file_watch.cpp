#include "core/file_watch.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace vitrine {

namespace fs = std::filesystem;

// One watched folder and the watched files in it (as given to watch()).
struct FileWatch::Folder {
    int wd = -1;
    std::vector<fs::path> files;
};

namespace {

// What editors and tools do to a file, and the event each produces in its folder:
// write in place / `cp` over -> IN_CLOSE_WRITE; temporary renamed over -> IN_MOVED_TO;
// delete and recreate -> IN_DELETE, IN_CREATE, IN_CLOSE_WRITE; renamed away ->
// IN_MOVED_FROM; `touch` or chmod -> IN_ATTRIB. IN_MODIFY is left out on purpose: it
// fires during a write, and a reload then would read a half-written file.
constexpr uint32_t kFolderEvents =
    IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_ATTRIB | IN_DELETE_SELF;

fs::path folder_of(const fs::path& file) { return file.has_parent_path() ? file.parent_path() : fs::path("."); }

std::string watch_error(const fs::path& folder, int error) {
    return folder.string() + ": cannot watch for changes: " + std::strerror(error);
}

}  // namespace

Result<std::unique_ptr<FileWatch>> FileWatch::create() {
    std::unique_ptr<FileWatch> watch(new FileWatch());
    watch->fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (watch->fd_ < 0) return fail(ErrorKind::Io, std::string("cannot watch files for changes: ") + std::strerror(errno));
    return watch;
}

FileWatch::~FileWatch() {
    if (fd_ >= 0) close(fd_);  // closing drops every watch
}

Result<void> FileWatch::watch(const std::vector<fs::path>& files) {
    // New watches are added before old ones are removed: a folder in both sets keeps its
    // watch (inotify returns the same descriptor for the same folder, however it is
    // spelled), so changes already queued for it are not lost.
    std::vector<std::unique_ptr<Folder>> folders;
    auto folder_with = [&](int wd) -> Folder* {
        for (auto& folder : folders)
            if (folder->wd == wd) return folder.get();
        return nullptr;
    };
    // On failure the previous set stays as it was: drop only the watches added here.
    auto undo = [&] {
        for (auto& added : folders) {
            bool watched_before = std::any_of(folders_.begin(), folders_.end(),
                                              [&](const auto& old) { return old->wd == added->wd; });
            if (!watched_before) inotify_rm_watch(fd_, added->wd);
        }
    };
    for (const fs::path& file : files) {
        if (!file.has_filename()) {
            undo();
            return fail(ErrorKind::Io, file.string() + ": cannot watch for changes: not a file name");
        }
        const fs::path folder = folder_of(file);
        int wd = inotify_add_watch(fd_, folder.c_str(), kFolderEvents | IN_ONLYDIR);
        if (wd < 0) {
            int error = errno;
            undo();
            return fail(ErrorKind::Io, watch_error(folder, error));
        }
        Folder* entry = folder_with(wd);
        if (!entry) {
            folders.push_back(std::make_unique<Folder>());
            entry = folders.back().get();
            entry->wd = wd;
        }
        if (std::find(entry->files.begin(), entry->files.end(), file) == entry->files.end()) entry->files.push_back(file);
    }
    for (auto& old : folders_)
        if (!folder_with(old->wd)) inotify_rm_watch(fd_, old->wd);
    folders_ = std::move(folders);
    return {};
}

std::vector<fs::path> FileWatch::changed() {
    std::vector<fs::path> result;
    auto report = [&](const fs::path& file) {
        if (std::find(result.begin(), result.end(), file) == result.end()) result.push_back(file);
    };
    auto report_folder = [&](const Folder& folder) {
        for (const auto& file : folder.files) report(file);
    };
    auto folder_with = [&](int wd) -> const Folder* {
        for (auto& folder : folders_)
            if (folder->wd == wd) return folder.get();
        return nullptr;
    };

    // Events are variable-length (a header, then a NUL-padded name); the kernel keeps
    // every header aligned as long as the buffer starts aligned.
    alignas(inotify_event) char buffer[16 * 1024];
    for (;;) {
        ssize_t size = read(fd_, buffer, sizeof buffer);
        if (size < 0 && errno == EINTR) continue;
        if (size <= 0) break;  // EAGAIN: nothing more pending
        for (size_t at = 0; at + sizeof(inotify_event) <= static_cast<size_t>(size);) {
            const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
            at += sizeof(inotify_event) + event->len;
            if (at > static_cast<size_t>(size)) break;
            if (event->mask & IN_Q_OVERFLOW) {
                // Events were lost: any watched file may have changed.
                for (auto& folder : folders_) report_folder(*folder);
                continue;
            }
            const Folder* folder = folder_with(event->wd);
            if (!folder) continue;  // a folder no longer watched
            if (event->mask & IN_DELETE_SELF) {
                report_folder(*folder);  // the folder went away, and its files with it
                continue;
            }
            if (event->len == 0) continue;
            const std::string name(event->name, strnlen(event->name, event->len));
            for (const auto& file : folder->files)
                if (file.filename() == name) report(file);
        }
    }
    return result;
}

}  // namespace vitrine
