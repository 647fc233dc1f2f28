// The standard functions of the hook sandbox, each charged to the call's work budget
// (lua_budget.h) by what its arguments make it do.
//
// Lua's own C functions (base, string, math, utf8) are wrapped in a C closure that
// charges a cost computed from the arguments before calling the original, and the
// number of results after. Where the work of a Lua function cannot be told from its
// arguments, or Lua's own version can do unbounded work in one call, the sandbox has
// its own version that charges as it goes: the whole table library (a deterministic
// heap sort), string.rep, string.find/match/gmatch/gsub (lua_patterns.h), utf8.offset
// and utf8.codes. The allocator charges every new long string by its size, so building
// text with `..` costs what it copies.
#pragma once

struct lua_State;

namespace vitrine::show::lua {

// Replaces every C function in _G, string, table, math and utf8 with a charged one.
// Run once the libraries are open and trimmed; functions added afterwards (the
// sandbox's print, pcall, show.*) must charge for themselves.
void charge_libraries(lua_State* L);

}  // namespace vitrine::show::lua
