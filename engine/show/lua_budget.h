// The work budget and the wall-clock deadline of one hook call (the contract is in
// engine/show/hooks.h). Internal to the show module: included only by the sandbox's
// own sources, which are built with Lua's headers.
//
// Every Lua error here is a longjmp (Lua's C build): code that charges must hold no
// C++ object with a destructor when it calls charge().
#pragma once
#include <chrono>
#include <cstdint>
#include <lua.hpp>
#include <string>

namespace vitrine::show::lua {

// Work units: 1 per VM instruction (counted by the count hook in steps of kHookStep);
// C functions charge what their arguments make them do, before they do it.
constexpr int kHookStep = 1000;            // instructions between two count hook calls
constexpr uint64_t kClockUnits = 1000;     // work between two looks at the clock (live)
constexpr size_t kCopyBytes = 8;           // bytes copied or allocated (memcpy, new strings) per unit
constexpr size_t kLoopBytes = 4;           // bytes handled one by one (upper, utf8, parsing) per unit
// Live, a single charge of at least kPredictUnits is weighed against the time left: at
// kPredictNanoseconds a unit (slow for most work: a safe guess), a call that could not
// finish before the deadline stops the chain before it starts. Offline nothing is
// predicted: the work budget alone decides.
constexpr uint64_t kPredictUnits = 20'000;
constexpr uint64_t kPredictNanoseconds = 50;

enum class Stop : uint8_t { None, Work, Time };

struct Budget {
    uint64_t limit = 0;       // work units per call chain
    uint64_t executed = 0;    // work units so far in this chain
    uint64_t next_check = 0;  // executed past this: look at the limit, the clock, a stop
    double wall_seconds = 0;  // 0: no deadline (offline)
    double backstop_seconds = 0;  // offline: the safety clock (HookLimits::backstop_seconds); 0: none
    std::chrono::steady_clock::time_point deadline;
    bool active = false;  // a call chain is running: allocations are charged
    Stop stop = Stop::None;
    int stop_line = 0;  // where the chain was stopped (0: unknown)
    lua_State* L = nullptr;
    std::string work_message, time_message;
};

// The budget of a sandboxed state (its extra space holds the pointer).
inline Budget& budget(lua_State* L) { return **static_cast<Budget**>(lua_getextraspace(L)); }

// Starts a call chain: the whole budget, the deadline from now, the count hook.
void begin(lua_State* L, Budget& b);
// Ends it: nothing is charged until the next begin().
void end(Budget& b);

// The slow path of charge(): past the limit, past the deadline (or, for a big charge,
// sure to pass it) or already stopped: raises the stop (never returns then); else sets
// the next check.
void check(lua_State* L, Budget& b, uint64_t units);

// Adds `units` of work to the chain; raises when that passes the budget or the deadline.
inline void charge(lua_State* L, uint64_t units) {
    Budget& b = budget(L);
    b.executed = units > UINT64_MAX - b.executed ? UINT64_MAX : b.executed + units;
    if (b.executed > b.next_check || units >= kPredictUnits) [[unlikely]]
        check(L, b, units);
}

// Work of `count` units about to be done one at a time, each charged as it is done
// (so that the deadline is looked at on the way): when they cannot fit in what is left
// of the budget, the chain stops now instead of after most of them (table.move({}, 1,
// 1e15, 1) stops before it starts).
inline void expect_work(lua_State* L, uint64_t count) {
    Budget& b = budget(L);
    if (b.executed >= b.limit || count > b.limit - b.executed) charge(L, count);
}

// Charged allocations: a new long string of `bytes` (called by the allocator, which
// cannot raise: past the budget it marks the stop, and the next instruction or
// charged call raises it).
void charge_allocation(Budget& b, size_t bytes);

// The stop as a Lua error (the chain must have been stopped).
[[noreturn]] void raise_stop(lua_State* L, Budget& b);

// The line of the innermost Lua function from `level` outwards (0: unknown). Reads
// only, allocates nothing.
int innermost_line(lua_State* L, int level);

// Work of turning the string arguments in [first, last] into numbers (Lua parses a
// numeric string each time one is used as a number).
uint64_t coercion_cost(lua_State* L, int first, int last);

}  // namespace vitrine::show::lua
