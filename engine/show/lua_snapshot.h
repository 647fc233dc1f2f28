// What a hook file keeps between calls, for checkpoints (engine/show/hooks.h): the
// plain values of `show.data` written out and read back, and a fingerprint of
// everything else a hook could keep state in. Internal to the show module (built with
// Lua's headers).
#pragma once
#include <cstdint>
#include <lua.hpp>
#include <string>
#include <utility>
#include <vector>

namespace vitrine::show::lua {

// The table at `index` (show.data) as bytes: numbers (integers and floats apart),
// strings, booleans and tables of them, keys in a fixed order, so equal data gives
// equal bytes. Raw reads only: no hook code runs. False with `error` naming the place,
// e.g. "show.data.rooms[3] holds a function", for anything else (functions, userdata,
// metatables, a table met twice — cycles and shared tables —, nesting past 100 levels).
bool save_data(lua_State* L, int index, std::string& out, std::string& error);

// Replaces the contents of the table at `index` with what save_data wrote (the table
// keeps its identity). Allocates: call it protected. False on bytes it did not write.
bool load_data(lua_State* L, int index, const std::string& bytes);

// One line per place a hook could keep state in, with a hash of what is there: each
// global ("global 'count'": its value, and all that is reachable from it through
// tables, metatables and functions' upvalues) and each upvalue of a global Lua function
// ("upvalue 'n' of on_touch"), in name order. C functions count by identity (hooks
// cannot make them or reach their upvalues). The tables at `data_index` (show.data:
// saved by itself) and `show_index` (the real `show` table behind the global's proxy:
// show.state and show.time change at every call) count by identity only, wherever they
// are met. Raw reads only; no Lua allocation.
using Fingerprint = std::vector<std::pair<std::string, uint64_t>>;
Fingerprint fingerprint(lua_State* L, int data_index, int show_index);

// The first place where `now` differs from `then`, "" when none.
std::string first_difference(const Fingerprint& then, const Fingerprint& now);

}  // namespace vitrine::show::lua
