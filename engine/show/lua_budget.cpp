// The work budget and the deadline of hook calls (see lua_budget.h).
#include "show/lua_budget.h"

#include <algorithm>

namespace vitrine::show::lua {
namespace {

void count_hook(lua_State* L, lua_Debug*) {
    Budget& b = budget(L);
    b.executed += kHookStep;
    if (b.executed > b.next_check) check(L, b, 0);
}

// Once a chain is stopped no user code may run in it again: the count hook then fires
// before every instruction (a __close method, a message handler run by Lua, the code
// after a show.cue whose nested call was stopped), and every charge raises.
void mark_stop(lua_State* L, Budget& b, Stop why) {
    b.stop = why;
    b.stop_line = innermost_line(L, 0);
    b.next_check = 0;
    if (b.executed == 0) b.executed = 1;
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
}

}  // namespace

int innermost_line(lua_State* L, int level) {
    lua_Debug ar;
    while (lua_getstack(L, level++, &ar))
        if (lua_getinfo(L, "l", &ar) && ar.currentline > 0) return ar.currentline;
    return 0;
}

void begin(lua_State* L, Budget& b) {
    b.executed = 0;
    b.stop = Stop::None;
    b.stop_line = 0;
    b.active = true;
    double clock = b.wall_seconds > 0 ? b.wall_seconds : b.backstop_seconds;
    if (clock > 0) {
        b.deadline = std::chrono::steady_clock::now() +
                     std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(clock));
        b.next_check = std::min(b.limit, kClockUnits);
    } else {
        b.next_check = b.limit;
    }
    lua_sethook(L, count_hook, LUA_MASKCOUNT, kHookStep);  // also restarts the hook's count
}

void end(Budget& b) {
    b.active = false;
    if (b.L) lua_sethook(b.L, count_hook, LUA_MASKCOUNT, kHookStep);
}

void check(lua_State* L, Budget& b, uint64_t units) {
    if (b.stop == Stop::None) {
        if (b.executed > b.limit) {
            mark_stop(L, b, Stop::Work);
        } else if (b.wall_seconds > 0 || b.backstop_seconds > 0) {
            auto now = std::chrono::steady_clock::now();
            bool fits = now < b.deadline;
            if (fits && units >= kPredictUnits && b.wall_seconds > 0) {  // predicted only live
                auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(b.deadline - now).count();
                fits = units < uint64_t(left) / kPredictNanoseconds;
            }
            if (fits) {
                b.next_check = std::min(b.limit, b.executed + kClockUnits);
                return;
            }
            mark_stop(L, b, Stop::Time);
        } else {
            b.next_check = b.limit;
            return;
        }
    }
    raise_stop(L, b);
}

void charge_allocation(Budget& b, size_t bytes) {
    if (!b.active || b.stop != Stop::None || !b.L) return;
    uint64_t units = bytes / kCopyBytes;
    b.executed = units > UINT64_MAX - b.executed ? UINT64_MAX : b.executed + units;
    // The clock is left to the next charge; only the work limit is decided here.
    if (b.executed > b.limit) mark_stop(b.L, b, Stop::Work);
}

void raise_stop(lua_State* L, Budget& b) {
    const std::string& message = b.stop == Stop::Time ? b.time_message : b.work_message;
    lua_pushlstring(L, message.data(), message.size());
    lua_error(L);
    __builtin_unreachable();
}

uint64_t coercion_cost(lua_State* L, int first, int last) {
    uint64_t units = 0;
    for (int i = first; i <= last; ++i)
        if (lua_type(L, i) == LUA_TSTRING) {
            size_t length = 0;
            lua_tolstring(L, i, &length);
            units += length / kLoopBytes;
        }
    return units;
}

}  // namespace vitrine::show::lua
