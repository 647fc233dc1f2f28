// A PNG written row by row (libpng), for canvases too large to hold twice: a
// 30 000 x 8 000 LED canvas is rendered in bands of tiles and each band's rows go
// straight to the file. Written under a temporary name beside it and renamed by finish()
// (core/outputs.h: never over an input or a file of another kind), so an interrupted or
// failed render never leaves a file that looks complete.
#pragma once
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "core/result.h"

namespace vitrine {

class PngRows {
public:
    // 8-bit RGBA. Fails (naming the file) when it cannot be created.
    static Result<std::unique_ptr<PngRows>> create(const std::filesystem::path& path, uint32_t width, uint32_t height);
    ~PngRows();  // without finish(): the partial file is removed
    PngRows(const PngRows&) = delete;
    PngRows& operator=(const PngRows&) = delete;

    // `rows` rows of width*4 bytes each, top to bottom, continuing where the last call ended.
    Result<void> write(const uint8_t* rgba, uint32_t rows);
    // After every row: completes the file and renames it into place.
    Result<void> finish();
    uint32_t rows_written() const { return written_; }

private:
    PngRows() = default;
    struct State;
    std::unique_ptr<State> state_;
    std::filesystem::path path_, partial_;
    uint32_t width_ = 0, height_ = 0, written_ = 0;
    bool finished_ = false;
};

}  // namespace vitrine
