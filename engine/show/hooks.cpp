// Lua 5.4 hook sandbox. The Lua library is the C build: a Lua error is a longjmp, so
// no C function below may hold a C++ object with a destructor when it calls something
// that can raise (any allocating Lua API call, luaL_error, lua_error, charge). C++ work
// happens in closed scopes (see attempt()); its failure text waits in Sandbox::pending.
//
// The work budget and the deadline live in lua_budget.h; the charged standard library
// in lua_charged.h and lua_patterns.h.
#include "show/hooks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <lua.hpp>

#include "show/lua_budget.h"
#include "show/lua_charged.h"
#include "show/lua_snapshot.h"

namespace vitrine::show {
namespace {

using lua::charge;
using lua::Stop;

const char kShowKey = 0;  // its address keys the real `show` table in the registry
const char kDataKey = 0;  // and show.data, the hooks' saved state
// A new string at least this long is charged by the allocator (a long string: Lua
// creates one each time, so the charge is the same on every run; short strings are
// interned, and whether one exists already depends on the collector).
constexpr size_t kChargedString = 256;
constexpr uint64_t kQueryCost = 10;         // a question to HookApi (random, time)
constexpr uint64_t kProtectedCallCost = 5;  // pcall/xpcall: a setjmp and a new frame

// print and show.log: a bucket of kHookLogBurst lines, refilled at kHookLogRate a
// second of show time (so offline runs log the same lines); one token is kept back so
// that the count of suppressed lines can always be told.
struct LogLimit {
    double tokens = kHookLogBurst;
    double refilled_at = 0;  // show time
    uint64_t suppressed = 0;
};

// Everything the C functions need, reached from the state's extra space. The budget
// (lua::Budget) is shared by nested calls (show.cue inside on_cue runs on_cue again),
// so a hook cannot launder its budget through the show.
struct Sandbox : lua::Budget {
    size_t memory_limit = 0;
    size_t in_use = 0;
    bool stop_reported = false;  // a nested call already said that the chain was stopped
    LogLimit log;
    struct Call {            // the call in progress; saved and restored around nested calls
        HookApi* api = nullptr;
        bool running = false;
        bool refused = false;  // the allocator said no during this call
        int memory_line = 0;   // where it said no
        int error_line = 0;    // innermost Lua line when the error was raised
    } call;
    std::string file;  // as given, for messages
    std::string src;   // Lua's short form of the chunk name: the prefix of its messages
    std::string memory_message;
    std::string pending;  // a C++ failure about to become a Lua error
    std::string state;    // show.state and show.time for the next refresh
    double time = 0;
};

Sandbox& sandbox(lua_State* L) { return static_cast<Sandbox&>(lua::budget(L)); }

using lua::innermost_line;

// ---- limits ------------------------------------------------------------------------------

void* allocate(void* ud, void* ptr, size_t osize, size_t nsize) {
    Sandbox& c = *static_cast<Sandbox*>(ud);
    size_t old = ptr ? osize : 0;  // without ptr, osize is a type tag
    if (nsize == 0) {
        std::free(ptr);
        c.in_use -= old;
        return nullptr;
    }
    // Shrinking always succeeds (Lua relies on it); growth stops at the ceiling.
    if (nsize > old && nsize - old > c.memory_limit - c.in_use) {
        c.call.refused = true;
        // A refused allocation is raised as LUA_ERRMEM, for which Lua runs no message
        // handler: remember the line now.
        if (c.call.running && c.L) c.call.memory_line = innermost_line(c.L, 0);
        return nullptr;
    }
    void* grown = std::realloc(ptr, nsize);
    if (grown) {
        c.in_use = c.in_use - old + nsize;
        // Without ptr, osize is the new object's type: a long string is charged by its
        // size (`..` in a loop copies what it builds).
        if (!ptr && osize == LUA_TSTRING && nsize >= kChargedString) lua::charge_allocation(c, nsize);
    }
    return grown;
}

// The message handler of every protected run: notes the line, keeps the message.
int note_error_line(lua_State* L) {
    sandbox(L).call.error_line = innermost_line(L, 1);
    return 1;
}

int panic(lua_State* L) {
    const char* message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?";
    std::fprintf(stderr, "vitrine: internal error: Lua error outside a protected call: %s\n", message);
    std::abort();
}

std::string describe_limit(size_t bytes) {
    if (bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
    if (bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KiB";
    return std::to_string(bytes) + " bytes";
}

// ---- bridging to HookApi -------------------------------------------------------------------

HookApi& need_api(lua_State* L, const char* what) {
    HookApi* api = sandbox(L).call.api;
    if (!api) luaL_error(L, "%s is only available inside on_enter, on_cue and on_touch", what);
    return *api;
}

// Runs C++ work that must not meet a Lua error; false with Sandbox::pending on failure.
template <typename Work>
bool attempt(lua_State* L, Work&& work) {
    Sandbox& c = sandbox(L);
    try {
        Result<void> result = work();
        if (result) return true;
        c.pending = result.error().message;
    } catch (const std::exception& e) {
        c.pending = std::string("internal error: ") + e.what();
    }
    return false;
}

// After a call into the show: a nested hook call (show.cue running on_cue) may have
// spent the chain's budget; then this call stops too, before any more of its code runs.
void after_show(lua_State* L) {
    Sandbox& c = sandbox(L);
    if (c.stop != Stop::None) lua::raise_stop(L, c);
}

// Raises Sandbox::pending at the calling hook's line.
int raise_pending(lua_State* L) {
    luaL_where(L, 1);
    lua_pushstring(L, sandbox(L).pending.c_str());
    lua_concat(L, 2);
    return lua_error(L);
}

const char* need_string(lua_State* L, int index, const char* message) {
    if (lua_type(L, index) != LUA_TSTRING) luaL_error(L, "%s", message);
    return lua_tostring(L, index);
}

// ---- output -----------------------------------------------------------------------------

// One line out: HookApi::log inside a call, stderr at the file's top level.
void emit(Sandbox& c, const std::string& line) {
    if (c.call.api)
        c.call.api->log(line);
    else
        std::fprintf(stderr, "%s: %s\n", c.file.c_str(), line.c_str());
}

void refill(Sandbox& c) {
    LogLimit& l = c.log;
    if (c.time > l.refilled_at) {
        l.tokens = std::min(kHookLogBurst, l.tokens + (c.time - l.refilled_at) * kHookLogRate);
        l.refilled_at = c.time;
    }
}

// "… N more lines suppressed", when there were some and a token is left for it.
void tell_suppressed(Sandbox& c) {
    LogLimit& l = c.log;
    if (l.suppressed == 0 || l.tokens < 1) return;
    l.tokens -= 1;
    uint64_t n = l.suppressed;
    l.suppressed = 0;
    emit(c, "\u2026 " + std::to_string(n) + (n == 1 ? " more line suppressed" : " more lines suppressed"));
}

// A line of `total` bytes of which `kept` (at most kHookLogLineBytes) were built.
void log_line(Sandbox& c, const char* kept, size_t kept_length, uint64_t total) {
    refill(c);
    // The line needs a token, and one more stays back for a count of suppressed lines
    // (and when some were, that count is told first, with one more).
    if (c.log.tokens < (c.log.suppressed ? 3 : 2)) {
        ++c.log.suppressed;
        return;
    }
    tell_suppressed(c);
    c.log.tokens -= 1;
    std::string line(kept, kept_length);
    if (total > kept_length) {
        // Cut at a character boundary (never inside a UTF-8 sequence), and say how long it was.
        auto byte = [&](size_t i) { return static_cast<unsigned char>(line[i]); };
        size_t end = line.size(), lead = end;
        while (lead > 0 && end - lead < 3 && (byte(lead - 1) & 0xC0) == 0x80) --lead;
        if (lead > 0 && byte(lead - 1) >= 0xC0) {  // the last character's first byte
            size_t needs = byte(lead - 1) >= 0xF0 ? 4 : byte(lead - 1) >= 0xE0 ? 3 : 2;
            if (lead - 1 + needs > end) line.resize(lead - 1);
        }
        line += "\u2026 (" + std::to_string(total) + " bytes)";
    }
    emit(c, line);
}

// print() and show.log(): the values joined by tabs, one line (at most
// kHookLogLineBytes of it kept), through the log limit.
int log_values(lua_State* L) {
    int n = lua_gettop(L);
    charge(L, 4 + uint64_t(n));
    char line[kHookLogLineBytes];  // no destructor: the conversions below may raise
    size_t kept = 0;
    uint64_t total = 0;
    for (int i = 1; i <= n; ++i) {
        if (i > 1) {
            if (kept < sizeof line) line[kept++] = '\t';
            ++total;
        }
        size_t length = 0;
        const char* text = luaL_tolstring(L, i, &length);  // may run __tostring (charged)
        charge(L, length / lua::kCopyBytes);
        size_t take = std::min(length, sizeof line - kept);
        std::memcpy(line + kept, text, take);
        kept += take;
        total += length;
        lua_pop(L, 1);
    }
    Sandbox& c = sandbox(L);
    if (!attempt(L, [&] { return log_line(c, line, kept, total), Result<void>{}; })) return raise_pending(L);
    return 0;
}

// A number from the API: HookApi::random, time or wall_time.
double ask(lua_State* L, const char* what, double (HookApi::*query)()) {
    HookApi& api = need_api(L, what);
    double value = 0;
    if (!attempt(L, [&] { return value = (api.*query)(), Result<void>{}; })) raise_pending(L);
    return value;
}

double draw_random(lua_State* L, const char* what) {
    double r = ask(L, what, &HookApi::random);
    return r >= 0 && r < 1 ? r : 0;  // a bad generator must not break the arithmetic below
}

// ---- the show table ----------------------------------------------------------------------

int show_set(lua_State* L) {
    HookApi& api = need_api(L, "show.set");
    charge(L, kHookApiCost + (lua_type(L, 2) == LUA_TTABLE ? lua_rawlen(L, 2) : 0));
    const char* path = need_string(L, 1, "show.set: path must be a string");
    const char* bad_value = "show.set: value must be a number or a list of numbers";
    lua_Unsigned count = 1;
    if (lua_type(L, 2) == LUA_TTABLE) {
        count = lua_rawlen(L, 2);
        for (lua_Unsigned i = 1; i <= count; ++i) {
            bool number = lua_rawgeti(L, 2, lua_Integer(i)) == LUA_TNUMBER;
            lua_pop(L, 1);
            if (!number) luaL_error(L, "%s", bad_value);
        }
    } else if (lua_type(L, 2) != LUA_TNUMBER) {
        luaL_error(L, "%s", bad_value);
    }
    if (!lua_isnoneornil(L, 3) && lua_type(L, 3) != LUA_TNUMBER) luaL_error(L, "show.set: fade must be a number");
    double fade = luaL_optnumber(L, 3, 0.0);
    bool ok = attempt(L, [&] {
        std::vector<float> value;
        if (lua_type(L, 2) == LUA_TNUMBER) value.push_back(float(lua_tonumber(L, 2)));
        for (lua_Unsigned i = 1; lua_type(L, 2) == LUA_TTABLE && i <= count; ++i) {
            lua_rawgeti(L, 2, lua_Integer(i));  // cannot raise: a raw read of a checked number
            value.push_back(float(lua_tonumber(L, -1)));
            lua_pop(L, 1);
        }
        return api.set(path, value, fade);
    });
    return ok ? 0 : raise_pending(L);
}

int show_cue(lua_State* L) {
    HookApi& api = need_api(L, "show.cue");
    charge(L, kHookApiCost);
    // Cue ids are written "3" or "3.1" in scene files; a Lua 3.0 means "3" too.
    char number[48];
    const char* id = number;
    if (lua_isinteger(L, 1)) {
        std::snprintf(number, sizeof number, "%lld", static_cast<long long>(lua_tointeger(L, 1)));
    } else if (lua_type(L, 1) == LUA_TNUMBER) {
        double d = lua_tonumber(L, 1);
        bool whole = d == std::floor(d) && std::fabs(d) < 1e15;
        std::snprintf(number, sizeof number, whole ? "%.0f" : "%.14g", d);
    } else {
        id = need_string(L, 1, "show.cue: id must be a string or a number");
    }
    bool ok = attempt(L, [&] { return api.cue(id); });
    after_show(L);
    return ok ? 0 : raise_pending(L);
}

int show_goto(lua_State* L) {
    HookApi& api = need_api(L, "show.go_to");
    charge(L, kHookApiCost);
    const char* state = need_string(L, 1, "show.go_to: state must be a string");
    bool ok = attempt(L, [&] { return api.go_to(state); });
    after_show(L);
    return ok ? 0 : raise_pending(L);
}

int show_magnification(lua_State* L) {
    HookApi& api = need_api(L, "show.magnification");
    charge(L, kHookApiCost);
    const char* node = need_string(L, 1, "show.magnification: node must be a string");
    double value = 0;  // nothing with a destructor may be alive here when raise_pending jumps
    bool ok = attempt(L, [&]() -> Result<void> {
        Result<double> m = api.magnification(node);
        if (!m) return m.error();
        value = *m;
        return {};
    });
    if (!ok) return raise_pending(L);
    lua_pushnumber(L, value);
    return 1;
}

int show_random(lua_State* L) {
    charge(L, kQueryCost);
    lua_pushnumber(L, draw_random(L, "show.random"));
    return 1;
}

int show_read_only(lua_State* L) {
    charge(L, 1);
    if (lua_type(L, 2) != LUA_TSTRING) return luaL_error(L, "show is read-only");
    return luaL_error(L, "show is read-only (cannot set show.%s)", lua_tostring(L, 2));
}

// ---- replacements in the standard libraries --------------------------------------------

// math.random on the show's generator, with Lua's three forms: () float in [0, 1),
// (m) integer in [1, m], (m, n) integer in [m, n]; (0) gives an integer of all bits.
int math_random(lua_State* L) {
    charge(L, kQueryCost + lua::coercion_cost(L, 1, 2));
    lua_Integer low = 1, high = 0;
    switch (lua_gettop(L)) {
        case 0: lua_pushnumber(L, draw_random(L, "math.random")); return 1;
        case 1: high = luaL_checkinteger(L, 1); break;
        case 2:
            low = luaL_checkinteger(L, 1);
            high = luaL_checkinteger(L, 2);
            break;
        default: return luaL_error(L, "wrong number of arguments");
    }
    if (lua_gettop(L) == 1 && high == 0) {
        auto half = [&] { return lua_Unsigned(draw_random(L, "math.random") * 0x1.0p32); };
        lua_Unsigned upper = half();
        lua_pushinteger(L, lua_Integer((upper << 32) | half()));
        return 1;
    }
    luaL_argcheck(L, low <= high, lua_gettop(L), "interval is empty");
    lua_Unsigned range = lua_Unsigned(high) - lua_Unsigned(low);
    // r < 1 keeps the product below 2^64; rounding may still reach range + 1.
    lua_Unsigned offset = lua_Unsigned(draw_random(L, "math.random") * (double(range) + 1.0));
    if (offset > range) offset = range;
    lua_pushinteger(L, lua_Integer(lua_Unsigned(low) + offset));
    return 1;
}

int os_time(lua_State* L) {
    charge(L, kQueryCost);
    if (!lua_isnoneornil(L, 1)) return luaL_error(L, "os.time: a date table is not available in hooks");
    double wall = ask(L, "os.time", &HookApi::wall_time);
    if (!(std::fabs(wall) < 1e18)) wall = 0;                // keep the conversion defined
    lua_pushinteger(L, lua_Integer(std::floor(wall)));  // whole seconds, like Lua's os.time
    return 1;
}

int os_clock(lua_State* L) {
    charge(L, kQueryCost);
    lua_pushnumber(L, ask(L, "os.clock", &HookApi::time));
    return 1;
}

// pcall and xpcall that cannot catch a stop (the work budget or the deadline):
// otherwise `while true do pcall(f) end` would outlive it.
int finish_pcall(lua_State* L, int status, int below) {
    if (status != LUA_OK && sandbox(L).stop != Stop::None) return lua_error(L);
    if (status != LUA_OK) {
        lua_pushboolean(L, 0);
        lua_pushvalue(L, -2);
        return 2;
    }
    return lua_gettop(L) - below;  // true and the results
}

int sandbox_pcall(lua_State* L) {
    luaL_checkany(L, 1);
    charge(L, kProtectedCallCost);
    lua_pushboolean(L, 1);
    lua_insert(L, 1);
    return finish_pcall(L, lua_pcall(L, lua_gettop(L) - 2, LUA_MULTRET, 0), 0);
}

// xpcall's message handler around the hook's (upvalue 1). After a stop it returns the
// error as it is: the hook's handler must not run then (Lua calls the handler of an
// error raised in the count hook from inside the hook, where no instruction is counted,
// so a looping handler would never be stopped). Other errors come from code where the
// count hook is on, and the hook's handler runs counted like any other code.
int xpcall_handler(lua_State* L) {
    if (sandbox(L).stop != Stop::None) return 1;
    charge(L, 1);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

int sandbox_xpcall(lua_State* L) {
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    charge(L, kProtectedCallCost);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, xpcall_handler, 1);
    lua_replace(L, 2);
    lua_pushboolean(L, 1);
    lua_pushvalue(L, 1);
    lua_rotate(L, 3, 2);  // f, handler, true, f, args...
    return finish_pcall(L, lua_pcall(L, n - 2, LUA_MULTRET, 2), 2);
}

// ---- pairs: sorted keys, at a cost that does not depend on Lua's hash order ----------------

// Lua orders string keys in a table by a hash seeded per process (time and addresses),
// so `next` would visit them in a different order on every run, and so would any sort's
// comparisons of what it visited: a hook that picks "the first" key, or is stopped by
// its budget in the middle of a `pairs` loop, would break seeking = playing. In the
// sandbox `pairs` visits keys sorted (numbers, then strings, then booleans; other keys —
// tables, functions — last, in no promised order), is charged n·⌈log2 n⌉ for the sort
// whatever order the keys came in, and `next` is gone.

int key_rank(int type) {
    switch (type) {
        case LUA_TNUMBER: return 0;
        case LUA_TSTRING: return 1;
        case LUA_TBOOLEAN: return 2;
        default: return 3;
    }
}

// Whether key a comes before key b (both at the stack indices given). Raises nothing:
// numbers and strings compare without metamethods; other keys by address.
bool key_before(lua_State* L, int a, int b) {
    int ta = lua_type(L, a), tb = lua_type(L, b);
    if (key_rank(ta) != key_rank(tb)) return key_rank(ta) < key_rank(tb);
    if (ta == LUA_TNUMBER || ta == LUA_TSTRING) return lua_compare(L, a, b, LUA_OPLT);
    if (ta == LUA_TBOOLEAN) return !lua_toboolean(L, a) && lua_toboolean(L, b);
    return lua_topointer(L, a) < lua_topointer(L, b);
}

// The iterator: upvalues 1 the sorted keys, 2 the next position.
int pairs_step(lua_State* L) {
    charge(L, 1);
    lua_Integer i = lua_tointeger(L, lua_upvalueindex(2));
    lua_pushinteger(L, i + 1);
    lua_replace(L, lua_upvalueindex(2));
    if (lua_rawgeti(L, lua_upvalueindex(1), i) == LUA_TNIL) return 1;
    lua_pushvalue(L, -1);
    lua_gettable(L, 1);  // t[k], as the loop would read it
    return 2;
}

int sandbox_pairs(lua_State* L) {
    if (lua_type(L, 1) != LUA_TTABLE)
        return luaL_error(L, "bad argument #1 to 'pairs' (table expected, got %s)", luaL_typename(L, 1));
    lua_settop(L, 1);
    lua_Integer n = 0;
    for (lua_pushnil(L); lua_next(L, 1); lua_pop(L, 1)) ++n;  // raw: no metamethod runs
    uint64_t log2n = 1;
    while ((lua_Integer(1) << log2n) < n && log2n < 62) ++log2n;
    charge(L, uint64_t(n) * (1 + log2n));
    lua_createtable(L, int(std::min<lua_Integer>(n, INT32_MAX)), 0);  // 2: the keys
    lua_Integer at = 0;
    for (lua_pushnil(L); lua_next(L, 1);) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_rawseti(L, 2, ++at);
    }
    // An index array in Lua's memory (a userdata: nothing of ours to free if a later
    // call raises), sorted by the keys it points to.
    auto* order = static_cast<lua_Integer*>(lua_newuserdatauv(L, size_t(n) * sizeof(lua_Integer) + 1, 0));  // 3
    for (lua_Integer i = 0; i < n; ++i) order[i] = i + 1;
    if (!lua_checkstack(L, 4)) return luaL_error(L, "pairs: stack overflow");
    std::sort(order, order + n, [L](lua_Integer a, lua_Integer b) {
        lua_rawgeti(L, 2, a);
        lua_rawgeti(L, 2, b);
        bool before = key_before(L, -2, -1);
        lua_pop(L, 2);
        return before;
    });
    lua_createtable(L, int(std::min<lua_Integer>(n, INT32_MAX)), 0);  // 4: the keys in order
    for (lua_Integer i = 0; i < n; ++i) {
        lua_rawgeti(L, 2, order[i]);
        lua_rawseti(L, 4, i + 1);
    }
    lua_pushinteger(L, 1);
    lua_pushcclosure(L, pairs_step, 2);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;  // the iterator, t, nil
}


// setmetatable without __gc: Lua runs finalizers with hooks off, so a finalizer could
// loop past the work budget (and run at any time, even between calls). Lua marks an
// object for finalization only when its metatable has __gc as it is set, so a __gc
// added to the metatable later is never called.
int sandbox_setmetatable(lua_State* L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    charge(L, 1);
    int type = lua_type(L, 2);
    luaL_argexpected(L, type == LUA_TNIL || type == LUA_TTABLE, 2, "nil or table");
    lua_pushliteral(L, "__gc");
    if (type == LUA_TTABLE && lua_rawget(L, 2) != LUA_TNIL)  // raw, as Lua looks for it
        return luaL_error(L, "setmetatable: __gc is not available in hooks");
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
        return luaL_error(L, "cannot change a protected metatable");
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

void set_field(lua_State* L, const char* name, lua_CFunction f) {
    lua_pushcfunction(L, f);
    lua_setfield(L, -2, name);
}

void remove_field(lua_State* L, const char* name) {
    lua_pushnil(L);
    lua_setfield(L, -2, name);
}

// The `show` global: an empty proxy whose metatable reads from the real table (kept in
// the registry, refreshed before each call) and refuses writes and new metatables.
void open_show(lua_State* L) {
    lua_newtable(L);
    set_field(L, "set", show_set);
    set_field(L, "cue", show_cue);
    set_field(L, "go_to", show_goto);
    set_field(L, "goto", show_goto);  // `goto` is a Lua keyword: show["goto"](s) only
    set_field(L, "random", show_random);
    set_field(L, "magnification", show_magnification);
    set_field(L, "log", log_values);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kDataKey);
    lua_setfield(L, -2, "data");
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kShowKey);
    lua_newtable(L);  // the proxy
    lua_newtable(L);  // its metatable
    lua_rotate(L, -3, -1);  // proxy, metatable, real table
    lua_setfield(L, -2, "__index");
    set_field(L, "__newindex", show_read_only);
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_setglobal(L, "show");
}

// Builds the sandbox (run protected: it allocates and may meet the ceiling).
int open_sandbox(lua_State* L) {
    const luaL_Reg libraries[] = {{LUA_GNAME, luaopen_base},        {LUA_STRLIBNAME, luaopen_string},
                                  {LUA_TABLIBNAME, luaopen_table},  {LUA_MATHLIBNAME, luaopen_math},
                                  {LUA_UTF8LIBNAME, luaopen_utf8}};
    for (const luaL_Reg& library : libraries) {
        luaL_requiref(L, library.name, library.func, 1);
        lua_pop(L, 1);
    }
    lua_pushglobaltable(L);
    // Files, chunks (text or bytecode), the collector, warnings to stderr, and rawset,
    // which would write around show's read-only guard.
    for (const char* name : {"dofile", "loadfile", "load", "loadstring", "require", "collectgarbage", "warn", "rawset"})
        remove_field(L, name);
    lua_getglobal(L, LUA_STRLIBNAME);
    remove_field(L, "dump");
    lua_getglobal(L, LUA_MATHLIBNAME);
    remove_field(L, "randomseed");
    lua_pop(L, 2);
    // What is left of Lua's own functions, charged; the sandbox's own below charge
    // for themselves.
    lua::charge_libraries(L);
    set_field(L, "print", log_values);
    set_field(L, "pcall", sandbox_pcall);
    set_field(L, "xpcall", sandbox_xpcall);
    set_field(L, "setmetatable", sandbox_setmetatable);
    set_field(L, "pairs", sandbox_pairs);
    remove_field(L, "next");
    lua_newtable(L);
    set_field(L, "time", os_time);
    set_field(L, "clock", os_clock);
    lua_setfield(L, -2, "os");
    lua_pop(L, 1);

    // ("").rep still works; getmetatable("") no longer hands out the shared metatable.
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);

    lua_getglobal(L, LUA_MATHLIBNAME);
    set_field(L, "random", math_random);
    lua_pop(L, 1);
    open_show(L);
    return 0;
}

// ---- running hooks ---------------------------------------------------------------------

// Refreshes show.state and show.time, then calls the global named by light userdata 1
// with the string at light userdata 2, when it is defined.
int run_hook(lua_State* L) {
    Sandbox& c = sandbox(L);
    const char* name = static_cast<const char*>(lua_touserdata(L, 1));
    const std::string* argument = static_cast<const std::string*>(lua_touserdata(L, 2));
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kShowKey);
    lua_pushlstring(L, c.state.data(), c.state.size());
    lua_setfield(L, -2, "state");
    lua_pushnumber(L, c.time);
    lua_setfield(L, -2, "time");
    lua_pushglobaltable(L);
    if (lua_getfield(L, -1, name) == LUA_TNIL) return 0;
    if (!lua_isfunction(L, -1)) return luaL_error(L, "%s is not a function", name);
    lua_pushlstring(L, argument->data(), argument->size());
    lua_call(L, 1, 0);
    return 0;
}

// Whether the global named by light userdata 1 is a function; pushes a boolean.
int probe_function(lua_State* L) {
    lua_pushglobaltable(L);
    lua_getfield(L, -1, static_cast<const char*>(lua_touserdata(L, 1)));
    lua_pushboolean(L, lua_isfunction(L, -1));
    return 1;
}

// Lua's "src:LINE: " prefix off `message`; its line, or 0 when it has none.
int strip_position(const std::string& src, std::string& message) {
    if (message.compare(0, src.size(), src) != 0 || message.size() <= src.size() || message[src.size()] != ':')
        return 0;
    size_t digits = src.size() + 1, end = digits;
    while (end < message.size() && message[end] >= '0' && message[end] <= '9') ++end;
    if (end == digits || end >= message.size() || message[end] != ':') return 0;
    int line = std::atoi(message.c_str() + digits);
    message.erase(0, end + 1);
    if (!message.empty() && message[0] == ' ') message.erase(0, 1);
    return line;
}

// The error object at the top as text, without allocating in Lua.
std::string error_text(lua_State* L) {
    if (lua_type(L, -1) == LUA_TSTRING) {
        size_t length = 0;
        const char* text = lua_tolstring(L, -1, &length);
        return std::string(text, length);
    }
    return std::string("(error object is a ") + luaL_typename(L, -1) + " value)";
}

std::string one_line(std::string text) {
    for (char& ch : text)
        if (ch == '\n' || ch == '\r') ch = ' ';
    return text;
}

std::string at(const Sandbox& c, int line) { return line > 0 ? c.file + ":" + std::to_string(line) : c.file; }

// "FILE:LINE: hook WHAT: ..." for a failed protected run.
std::string describe_failure(lua_State* L, const Sandbox& c, int status, const char* what) {
    if (c.stop != Stop::None) {  // whatever the error object became on the way out
        const std::string& message = c.stop == Stop::Time ? c.time_message : c.work_message;
        return at(c, c.stop_line) + ": hook " + what + ": " + message;
    }
    std::string message = error_text(L);
    int line = 0;
    if (status == LUA_ERRMEM || (c.call.refused && message == "not enough memory")) {
        message = c.memory_message;
        line = c.call.memory_line;
    } else {
        line = strip_position(c.src, message);
        if (line == 0) line = c.call.error_line;
    }
    return at(c, line) + ": hook " + what + ": " + one_line(message);
}

// Runs the function under `nargs` arguments at the top, protected and under the limits.
Result<void> run_protected(lua_State* L, Sandbox& c, int nargs, const char* what, HookApi* api) {
    int top = lua_gettop(L) - nargs - 1;  // nested calls run on the stack of a running hook
    Sandbox::Call outer = c.call;
    bool outermost = !outer.running;
    if (outermost) {
        lua::begin(L, c);
        c.stop_reported = false;
    }
    c.call = Sandbox::Call{api, true, false, 0, 0};
    lua_pushcfunction(L, note_error_line);
    lua_insert(L, top + 1);
    int status = lua_pcall(L, nargs, 0, top + 1);
    Result<void> result;
    // A stopped chain says so once: when a nested call was stopped (and reported it),
    // the calls around it end quietly.
    if (status != LUA_OK && !(c.stop != Stop::None && c.stop_reported)) {
        result = fail(describe_failure(L, c, status, what));
        if (c.stop != Stop::None) c.stop_reported = true;
    }
    lua_settop(L, top);
    if (outermost) {
        lua::end(c);
        try {
            refill(c);
            tell_suppressed(c);  // lines this call's flood left untold
        } catch (const std::exception&) {
        }
    }
    if (status != LUA_OK) lua_gc(L, LUA_GCCOLLECT);  // what the failed call built is garbage now
    c.call = outer;
    return result;
}

}  // namespace

struct Hooks::Budget : Sandbox {};


Result<std::unique_ptr<Hooks>> Hooks::load(const std::filesystem::path& file, const std::string& source,
                                           const HookLimits& limits) {
    std::unique_ptr<Hooks> hooks(new Hooks());
    hooks->file_ = file;
    hooks->limits_ = limits;
    hooks->budget_ = std::make_unique<Budget>();
    Sandbox& c = *hooks->budget_;
    c.memory_limit = limits.memory_bytes;
    c.limit = limits.work;
    c.wall_seconds = limits.wall_seconds > 0 && std::isfinite(limits.wall_seconds) ? limits.wall_seconds : 0;
    c.file = file.string();
    c.src = c.file.substr(0, LUA_IDSIZE - 1);  // how Lua shortens a "=name" chunk name
    c.work_message =
        "work budget of " + std::to_string(limits.work) + " exceeded (endless loop or too much work?)";
    c.backstop_seconds = c.wall_seconds > 0 || !(limits.backstop_seconds > 0) || !std::isfinite(limits.backstop_seconds)
                             ? 0
                             : limits.backstop_seconds;
    char ms[32];
    std::snprintf(ms, sizeof ms, "%g", (c.wall_seconds > 0 ? c.wall_seconds : c.backstop_seconds) * 1000);
    c.time_message = c.wall_seconds > 0 ? std::string("stopped after ") + ms + " ms (time budget)"
                                        : std::string("stopped after ") + ms +
                                              " ms by the safety clock: work the budget cannot count (comparing long "
                                              "strings, deep __index chains); where it stops may differ from run to run";
    c.memory_message = "memory ceiling of " + describe_limit(limits.memory_bytes) + " reached";

    lua_State* L = lua_newstate(allocate, &c);
    if (!L) return fail(c.file + ": hook file: " + c.memory_message);
    hooks->L_ = c.L = L;
    *static_cast<lua::Budget**>(lua_getextraspace(L)) = &c;
    lua_atpanic(L, panic);
    lua_pushcfunction(L, open_sandbox);
    if (Result<void> opened = run_protected(L, c, 0, "file", nullptr); !opened) return opened.error();

    std::string chunkname = "=" + c.file;
    int status = luaL_loadbufferx(L, source.data(), source.size(), chunkname.c_str(), "t");
    if (status == LUA_ERRSYNTAX) {
        std::string message = error_text(L);
        int line = strip_position(c.src, message);
        return fail(c.file + ":" + std::to_string(line > 0 ? line : 1) + ":1: lua syntax error: " + one_line(message));
    }
    if (status != LUA_OK) return fail(c.file + ": hook file: " + c.memory_message);
    if (Result<void> ran = run_protected(L, c, 0, "file", nullptr); !ran) return ran.error();
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kDataKey);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kShowKey);
    hooks->clean_ = lua::fingerprint(L, -2, -1);
    lua_pop(L, 2);
    return hooks;
}

Result<HookState> Hooks::save() const {
    if (!lua_checkstack(L_, 8)) return fail(budget_->file + ": show.data: " + budget_->memory_message);
    lua_rawgetp(L_, LUA_REGISTRYINDEX, &kDataKey);
    HookState state;
    std::string error;
    bool saved = lua::save_data(L_, -1, state.data, error);
    lua_pop(L_, 1);
    if (!saved)
        return fail(budget_->file + ": " + error + "; show.data keeps numbers, strings, booleans and tables of them");
    if (state.data.size() > kHookDataBytes)
        return fail(budget_->file + ": show.data takes " + std::to_string(state.data.size()) + " bytes saved, more than " +
                    describe_limit(kHookDataBytes) + " (every checkpoint keeps a copy)");
    const LogLimit& log = budget_->log;
    state.log_tokens = log.tokens, state.log_refilled_at = log.refilled_at, state.log_suppressed = log.suppressed;
    return state;
}

namespace {
int restore_data(lua_State* L) {
    const auto* bytes = static_cast<const std::string*>(lua_touserdata(L, 1));
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kDataKey);
    lua_pushboolean(L, lua::load_data(L, -1, *bytes));
    return 1;
}
}  // namespace

Result<void> Hooks::restore(const HookState& state) {
    int top = lua_gettop(L_);
    lua_pushcfunction(L_, restore_data);
    lua_pushlightuserdata(L_, const_cast<std::string*>(&state.data));
    bool ok = lua_pcall(L_, 1, 1, 0) == LUA_OK && lua_toboolean(L_, -1);
    lua_settop(L_, top);
    if (!ok) return fail(budget_->file + ": show.data could not be restored (" + budget_->memory_message + "?)");
    LogLimit& log = budget_->log;
    log.tokens = state.log_tokens, log.refilled_at = state.log_refilled_at, log.suppressed = state.log_suppressed;
    return {};
}

std::string Hooks::state_outside_data() const {
    if (!lua_checkstack(L_, 8)) return "(out of stack)";
    lua_rawgetp(L_, LUA_REGISTRYINDEX, &kDataKey);
    lua_rawgetp(L_, LUA_REGISTRYINDEX, &kShowKey);
    lua::Fingerprint now = lua::fingerprint(L_, -2, -1);
    lua_pop(L_, 2);
    return lua::first_difference(clean_, now);
}

Hooks::~Hooks() {
    if (L_) lua_close(L_);  // before budget_, which its allocator uses
}

bool Hooks::defines(const char* function) const {
    int top = lua_gettop(L_);
    lua_pushcfunction(L_, probe_function);
    lua_pushlightuserdata(L_, const_cast<char*>(function));
    bool defined = lua_pcall(L_, 1, 1, 0) == LUA_OK && lua_toboolean(L_, -1);
    lua_settop(L_, top);
    return defined;
}

Result<void> Hooks::on_enter(const std::string& state, HookApi& api) { return call("on_enter", state, api); }
Result<void> Hooks::on_cue(const std::string& id, HookApi& api) { return call("on_cue", id, api); }
Result<void> Hooks::on_touch(const std::string& node, HookApi& api) { return call("on_touch", node, api); }

Result<void> Hooks::call(const char* function, const std::string& arg, HookApi& api) {
    Sandbox& c = *budget_;
    c.state = api.state();
    c.time = api.time();
    if (!lua_checkstack(L_, 4)) return fail(at(c, 0) + ": hook " + function + ": " + c.memory_message);
    lua_pushcfunction(L_, run_hook);
    lua_pushlightuserdata(L_, const_cast<char*>(function));
    lua_pushlightuserdata(L_, const_cast<std::string*>(&arg));
    return run_protected(L_, c, 2, function, &api);
}

size_t Hooks::memory_in_use() const { return budget_->in_use; }

uint64_t Hooks::last_work() const {
    // A single charge can be far past the budget (table.move({}, 1, 1e15, 1)): a chain
    // that was stopped for its work counts as one unit more than the budget.
    const Sandbox& c = *budget_;
    return c.stop == Stop::Work ? std::min(c.executed, c.limit + 1) : c.executed;
}

namespace {

// Pushes the names of the functions in the table at the top onto `names` (raw reads:
// no hook code runs). Tables in it are listed one level down when `nested`.
void list_functions(lua_State* L, const std::string& prefix, bool nested, std::vector<std::string>& names) {
    int table = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, table)) {
        if (lua_type(L, -2) == LUA_TSTRING) {
            std::string name = prefix + lua_tostring(L, -2);
            if (lua_isfunction(L, -1)) names.push_back(name);
            if (nested && lua_istable(L, -1) && !lua_rawequal(L, -1, table)) list_functions(L, name + ".", false, names);
        }
        lua_pop(L, 1);
    }
}

int collect_functions(lua_State* L) {
    auto* names = static_cast<std::vector<std::string>*>(lua_touserdata(L, 1));
    lua_pushglobaltable(L);
    list_functions(L, "", true, *names);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kShowKey);  // the real show table behind the proxy
    list_functions(L, "show.", false, *names);
    return 0;
}

}  // namespace

std::vector<std::string> Hooks::functions() const {
    std::vector<std::string> names;
    lua_pushcfunction(L_, collect_functions);
    lua_pushlightuserdata(L_, &names);
    if (lua_pcall(L_, 1, 0, 0) != LUA_OK) lua_pop(L_, 1);
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace vitrine::show
