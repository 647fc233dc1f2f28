// Command-line flags: "--name value" pairs and bare words, parsed once, with
// typed getters that report the flag by name when its value is malformed.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "gpu/context.h"

namespace vitrine::app {

// Exit codes (documented in README.md).
enum Exit { kOk = 0, kBadInput = 1, kUsage = 2, kGpuFailure = 3, kValidation = 4 };

class Args {
public:
    // `switches` are flags that take no value (e.g. "--fullscreen").
    static Result<Args> parse(int argc, char** argv, int first, const std::vector<std::string>& known,
                              const std::vector<std::string>& switches);
    const std::vector<std::string>& words() const { return words_; }
    bool has(const std::string& flag) const { return values_.count(flag) > 0; }
    std::string get(const std::string& flag, const std::string& fallback) const;
    Result<float> number(const std::string& flag, float fallback) const;
    // Show times: double precision, so "7.3" is the same instant wherever it is written.
    Result<double> seconds(const std::string& flag, double fallback) const;
    Result<int> integer(const std::string& flag, int fallback) const;
    // "1920x1080"
    Result<std::pair<uint32_t, uint32_t>> size(const std::string& flag, uint32_t w, uint32_t h) const;

private:
    std::vector<std::string> words_;
    std::map<std::string, std::string> values_;
};

// --tile-memory MB: GPU memory for pyramids' tiles (1 to 16384; default 256), in bytes.
Result<uint64_t> tile_memory_option(const Args& args);

// VITRINE_VALIDATION=1: required (tests); =0: off; unset: on in debug builds when installed.
gpu::Validation validation_requested();
using gpu::Validation;

}  // namespace vitrine::app
