// Lua 5.4 pattern matching for the hook sandbox (string.find, match, gmatch, gsub),
// written from the reference manual (section 6.4.1) so that every matching step is
// charged to the call's work budget (lua_budget.h): backtracking cannot outlive it.
// Plain searches (find's `plain`, or a pattern without special characters) use
// memmem, linear in the text, and are charged by the bytes scanned.
#pragma once

struct lua_State;

namespace vitrine::show::lua {

// Sets find, match, gmatch and gsub in the table at `index` (the string library).
void set_pattern_functions(lua_State* L, int index);

}  // namespace vitrine::show::lua
