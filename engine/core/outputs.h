// Where a run may write. A tool's first promise is that it never destroys its user's
// work, so every file the program writes goes through here:
//  - an output that is one of the run's inputs — the same file however it is spelt
//    (symlinks, "./", hard links: compared by device and inode) — or that lies inside an
//    input folder (a pyramid's tiles) is refused, with or without --force;
//  - an existing file of another kind (a scene where a PNG goes) is replaced only with
//    --force; one of the same kind (the frames of an earlier render) is replaced; a
//    folder is never replaced by a file;
//  - files are written under a fresh temporary name beside their place and renamed into
//    place when whole (`OutputFile`), so a failed or stopped run leaves no partial file
//    and no half-written frame.
// One policy per process: a command protects its inputs as it loads them (before it
// writes anything), sets --force, then writes. Thread-safe (frames are written by workers).
#pragma once
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"

namespace vitrine::outputs {

// What is written; an existing file at the output path must be of this kind (or empty)
// to be replaced without --force.
enum class Kind { Png, Wav, Tiff, DeepZoom, Json, SystemdUnit };
const char* kind_name(Kind kind);  // "a PNG image", ...

// A file or folder this run reads. Paths that do not exist are ignored (nothing to lose).
void protect(const std::filesystem::path& input);
// --force: replace existing files of another kind.
void set_force(bool force);
bool force();
// Forgets every protected input and --force (tests; a new command in one process).
void reset();

// Why `out` may not be written as `kind` (Ok when it may). One line, naming the file:
//   "scenes/show.scene.yaml: refusing to write a PNG image over this run's input (the scene
//    file itself, by another name?); choose another --out"
Result<void> check(const std::filesystem::path& out, Kind kind);
// Whether `path` is a protected input or inside a protected folder (for writers that
// clear or replace folders: they may touch nothing that is).
bool is_input(const std::filesystem::path& path);
// What kind `path` holds: its first bytes compared with each kind's signature.
bool holds(const std::filesystem::path& path, Kind kind);

// A file being written: made under a fresh name beside `path` ("NAME.partial-PID-N",
// created exclusively, never replacing anything), moved over `path` by commit(), which
// checks `path` again first; removed when destroyed uncommitted (an error, an exception,
// a stopped run).
class OutputFile {
public:
    static Result<OutputFile> create(const std::filesystem::path& path, Kind kind);
    OutputFile(OutputFile&& other) noexcept;
    OutputFile& operator=(OutputFile&& other) noexcept;
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;
    ~OutputFile();

    std::FILE* stream() { return stream_; }  // open for writing ("wb"); closed by commit()
    // Closes the stream (writers that open the temporary name themselves — libtiff —
    // close it first and write to temp()).
    void close_stream();
    const std::filesystem::path& path() const { return path_; }
    const std::filesystem::path& temp() const { return temp_; }
    // Flushes, closes and renames into place; a write error (disk full) fails here.
    Result<void> commit();
    // Removes the temporary file now (also done by the destructor).
    void discard();

private:
    OutputFile() = default;
    std::filesystem::path path_, temp_;
    Kind kind_ = Kind::Png;
    std::FILE* stream_ = nullptr;
    bool done_ = true;
};

// A fresh temporary name beside `path` for a folder (pyramid writers), not created.
std::filesystem::path temporary_beside(const std::filesystem::path& path);

}  // namespace vitrine::outputs
