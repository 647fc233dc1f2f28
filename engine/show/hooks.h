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
//   show.data             a table the show keeps for the hooks (see "State" below)
// The sandbox: base functions without dofile/loadfile/load/loadstring/require/
// collectgarbage/rawset-on-_ENV tricks that matter (print goes to show.log); string
// (without string.dump), table, math (math.random is show.random's generator), utf8;
// `os` holds only os.time() and os.clock(), which return show-derived values (wall
// time of the show and show time) so hooks stay deterministic. No io, no debug, no
// package, no coroutine.
//
// No hook call can hold the show. Every call (and the file's top level) runs under:
// - a memory ceiling (HookLimits::memory_bytes, the whole Lua state);
// - a WORK budget (HookLimits::work units per call; default 10 M), the same live and
//   offline, so a stop is decided by work done, never by a clock: offline renders stop
//   a hook at the same point on every run. A unit is about one VM instruction's time
//   (measured: 10 M units take 0.1-0.4 s on a slow 2-core VM, as 10 M instructions do):
//   1 per instruction (counted by a count hook every 1000), and every function the
//   sandbox exposes charges, before it works, what its arguments make it do: at least
//   1 a call; 1 per 8 bytes copied or allocated (every new string of 256 bytes or more,
//   `..` included, is charged by its size); 1 per 4 bytes handled one by one (upper,
//   lower, reverse, format, utf8, numbers parsed from strings; 8 per control character
//   that %q escapes); 1 per element a table function moves, reads or compares
//   (table.move({}, 1, 1e15, 1) is stopped before it starts; insert/remove are charged
//   by the elements they shift, whatever __len says); 1 per step of pattern matching
//   (string.find/match/gmatch/gsub are the sandbox's own, so backtracking is charged
//   step by step; plain finds use memmem, linear, 1 per 2 bytes scanned); kHookApiCost
//   per show.set/cue/go_to/magnification. table.sort is the sandbox's own heap sort:
//   O(n log n) whatever the order function, the same on every run. A C function used
//   as a metamethod is the charged one. Lua functions (hooks, metamethods, sort
//   comparators, message handlers, __close) are counted like any other code.
// - live only, a WALL-CLOCK deadline (HookLimits::wall_seconds; `vitrine run` sets
//   50 ms, --hook-budget-ms), looked at by the count hook, by charged functions every
//   1000 units and by the pattern matcher every 4096 steps; a single charge of 20 000
//   units or more that could not finish in the time left (at 50 ns a unit) stops the
//   call before it starts. Offline it is 0 (none), and the work budget decides — but
//   for a safety clock (HookLimits::backstop_seconds, 5 s: a hundred times what 10 M
//   units take) against the operations the budget cannot see (below); only a hook
//   that meets it stops at a point that can differ from run to run, and it says so.
// One chain of nested calls (show.cue in on_cue running on_cue again) shares one budget
// and one deadline. Past either, the chain stops: pcall/xpcall cannot catch it, no code
// of the hook runs again in that chain (no message handler, no __close, no code after
// the show.cue that ran the nested call), the call returns one line
// "FILE:LINE: hook on_cue: work budget of N exceeded (endless loop or too much work?)"
// or "FILE:LINE: hook on_cue: stopped after 50 ms (time budget)" (said once per chain:
// the calls around a stopped nested call end quietly), the Lua state stays usable and
// later calls run normally. setmetatable refuses __gc (finalizers would run unbudgeted).
// Not charged: VM operators that read a whole long string in one instruction (==, <,
// <= between two different strings, arithmetic on a numeric string) and long __index
// chains; live the deadline stops them, offline the safety clock does (`==` of two
// different 3 MB strings in a loop would take the work budget about an hour).
//
// Output: print and show.log write one line per call, at most kHookLogLineBytes of it
// (a longer line ends "… (N bytes)"), kHookLogBurst lines at once, then kHookLogRate
// lines a second of show time (so offline runs log the same lines); one of the burst
// is kept for "… N more lines suppressed", told when output resumes or at the end of
// a call. Building the line is charged (a 1 MB tostring costs its bytes).
//
// State. A show saves checkpoints as it plays (show/checkpoint.h), so that a seek or a
// reload starts from the latest one instead of from show time 0. What hooks keep from
// one call to the next belongs in `show.data`: plain values only (numbers — integers
// and floats apart —, strings, booleans and tables of them, no cycles, no table in two
// places, no metatables, no functions). Every checkpoint saves it; a show restored at a
// checkpoint runs the hook file's top level afresh and then sets show.data's contents
// (the table keeps its identity, so `local data = show.data` at the top level still
// works). State kept anywhere else — a global assigned after the top level, a table
// reachable from the globals changed, a chunk-level local captured by a hook and
// changed — cannot be restored: the show compares a fingerprint of everything reachable
// from the globals (and the hooks' upvalues), show.data aside, with the one taken after
// the top level, at every checkpoint; on the first difference it warns once
// ("FILE: hooks keep state outside show.data (global 'x'); seeks and reloads of this
// show replay from the start") and takes no more checkpoints, so its seeks replay from
// the last checkpoint taken before (show time 0 unless older inputs were folded):
// correct, only slower. show.data holding something else, or more than kHookDataBytes
// of it, is the same (the warning names the place, e.g. "show.data.rooms[3] holds a
// function"). A table with holes may give a
// different `#` after a restore (Lua's border is any border).
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
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
    size_t memory_bytes = 16u << 20;  // the whole Lua state
    uint64_t work = 10'000'000;       // work units per call chain (about one VM instruction each)
    double wall_seconds = 0;          // per call chain, live only; 0: no deadline (offline)
    // Offline (no wall_seconds): a safety clock per call chain for the little the work
    // budget cannot see (see above); a hook stopped by it may stop at another point on
    // another run, and its warning says so. 0: none.
    double backstop_seconds = 5;
};

inline constexpr uint64_t kHookApiCost = 10'000;   // work units of show.set/cue/go_to/magnification
inline constexpr size_t kHookLogLineBytes = 1024;  // kept of one print/show.log line
inline constexpr double kHookLogBurst = 50;        // lines at once
inline constexpr double kHookLogRate = 10;         // lines a second of show time after that
inline constexpr size_t kHookDataBytes = 256u << 10;  // show.data saved, at most (each checkpoint keeps it)

// What a checkpoint keeps of a hook file: show.data (lua_snapshot.h's bytes) and the
// print/show.log rate limiter.
struct HookState {
    std::string data;
    double log_tokens = kHookLogBurst;
    double log_refilled_at = 0;  // show time
    uint64_t log_suppressed = 0;
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
    // the memory ceiling, the work budget or the deadline give one line
    // "FILE:LINE: hook on_cue: <what happened>"; the Lua state stays usable. A call whose
    // nested call was stopped (and said so) returns Ok.
    Result<void> on_enter(const std::string& state, HookApi& api);
    Result<void> on_cue(const std::string& id, HookApi& api);
    Result<void> on_touch(const std::string& node, HookApi& api);

    // show.data and the log limiter now. Fails with one line, "FILE: show.data.x holds a
    // function; ...", when show.data holds what cannot be saved.
    Result<HookState> save() const;
    // Into hooks just loaded (their top level run): show.data's contents and the limiter.
    Result<void> restore(const HookState& state);
    // "" while everything reachable from the globals and the hooks' upvalues (show.data
    // aside) is as the top level left it; else the first place that changed, e.g.
    // "global 'count'" or "upvalue 'visits' of on_touch".
    std::string state_outside_data() const;

    size_t memory_in_use() const;
    // Work units the last call chain (or the file's top level) used; a chain stopped by
    // the work budget counts as the budget + 1.
    uint64_t last_work() const;
    // Every function the sandbox exposes by name, "name" for globals and "lib.name" for
    // library tables and `show` (sorted): tests give each a hostile case.
    std::vector<std::string> functions() const;

private:
    Hooks() = default;
    Result<void> call(const char* function, const std::string& arg, HookApi& api);
    std::filesystem::path file_;
    HookLimits limits_;
    lua_State* L_ = nullptr;
    struct Budget;
    std::unique_ptr<Budget> budget_;
    std::vector<std::pair<std::string, uint64_t>> clean_;  // the fingerprint after the top level
};

}  // namespace vitrine::show
