// Lua 5.4 hooks of a scene, run in a sandbox. A hook file defines any of
//   function on_enter(state) ... end   function on_cue(id) ... end   function on_touch(node) ... end
// and reaches the show only through the `show` table:
//   show.state            the current state's name (read when the hook is called)
//   show.time             show time, seconds
//   show.set(path, value[, fade])   value: number or table of numbers; fade seconds
//   show.cue(id)          fire a cue (id as string or number)
//   show.go_to(state)     (`goto` is a Lua keyword; show["goto"](state) works too)
//   show.random()         [0, 1), from the show's seeded generator (deterministic)
//   show.log(text)        one line on stderr, prefixed with the hook file
//   show.magnification(node)  an image node's magnification now (times actual size; 0: scale unknown)
// The sandbox: base functions without dofile/loadfile/load/loadstring/require/
// collectgarbage/rawset-on-_ENV tricks that matter (print goes to show.log); string
// (without string.dump), table, math (math.random is show.random's generator), utf8;
// `os` holds only os.time() and os.clock(), which return show-derived values (wall
// time of the show and show time) so hooks stay deterministic. No io, no debug, no
// package. Every call (and the file's top level) runs under a memory ceiling and an
// instruction budget; going past either stops that call with an error and the show
// goes on.
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"

struct lua_State;

namespace vitrine::show {

// What hooks may do; implemented by the show runtime. Errors from set/cue/goto become
// Lua errors raised in the hook (with the hook's line).
class HookApi {
public:
    virtual ~HookApi() = default;
    virtual std::string state() = 0;
    virtual double time() = 0;        // show time
    virtual double wall_time() = 0;   // os.time(): seconds since the epoch at this show time
    virtual double random() = 0;      // [0, 1)
    virtual Result<void> set(const std::string& path, const std::vector<float>& value, double fade) = 0;
    virtual Result<void> cue(const std::string& id) = 0;
    virtual Result<void> go_to(const std::string& state) = 0;
    virtual void log(const std::string& line) = 0;
    virtual Result<double> magnification(const std::string& node) {
        return fail("show.magnification: no image node '" + node + "'");
    }
};

struct HookLimits {
    size_t memory_bytes = 16u << 20;      // the whole Lua state
    uint64_t instructions = 10'000'000;   // per call (counted in steps of 1000)
};

class Hooks {
public:
    // Compiles and runs the file's top level (under the limits). A syntax error gives
    // "FILE:LINE:1: lua syntax error: ..." (Lua reports no column).
    static Result<std::unique_ptr<Hooks>> load(const std::filesystem::path& file, const std::string& source,
                                               const HookLimits& limits = {});
    ~Hooks();
    Hooks(const Hooks&) = delete;
    Hooks& operator=(const Hooks&) = delete;

    bool defines(const char* function) const;
    // Each runs the hook when defined (Ok when not). A runtime error, a sandbox refusal,
    // the memory ceiling or the instruction budget give one line
    // "FILE:LINE: hook on_cue: <what happened>"; the Lua state stays usable.
    Result<void> on_enter(const std::string& state, HookApi& api);
    Result<void> on_cue(const std::string& id, HookApi& api);
    Result<void> on_touch(const std::string& node, HookApi& api);

    size_t memory_in_use() const;

private:
    Hooks() = default;
    Result<void> call(const char* function, const std::string& arg, HookApi& api);
    std::filesystem::path file_;
    HookLimits limits_;
    lua_State* L_ = nullptr;
    struct Budget;
    std::unique_ptr<Budget> budget_;
};

}  // namespace vitrine::show
