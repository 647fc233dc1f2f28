// Watches files for changes (Linux inotify) so a running show reloads when its scene,
// hooks or assets change. Editors save in many ways (write in place, write a temporary
// and rename over, delete and recreate): the watch is on each file's folder, filtered by
// name, so all of them are seen. Non-blocking; no thread.
#pragma once
#include <filesystem>
#include <memory>
#include <set>
#include <vector>

#include "core/result.h"

namespace vitrine {

class FileWatch {
public:
    static Result<std::unique_ptr<FileWatch>> create();
    ~FileWatch();
    FileWatch(const FileWatch&) = delete;
    FileWatch& operator=(const FileWatch&) = delete;

    // Replaces the watched set (folders are watched once however many files they hold).
    Result<void> watch(const std::vector<std::filesystem::path>& files);
    // The watched files changed (written and closed, moved in, created, deleted) since
    // the last call, each once, in no particular order. Never blocks.
    std::vector<std::filesystem::path> changed();

private:
    FileWatch() = default;
    int fd_ = -1;
    struct Folder;
    std::vector<std::unique_ptr<Folder>> folders_;
};

}  // namespace vitrine
