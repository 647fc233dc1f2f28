// Lua's own standard library, unsandboxed and unbudgeted: the reference that the hook
// sandbox's own string, table and utf8 functions are tested against
// (tests/unit/hooks_hostile_test.cpp). Not used by the show.
#pragma once
#include <string>
#include <vector>

namespace vitrine::show::lua {

// Runs `source` (a chunk that returns a function) in a fresh plain Lua state with all
// of Lua's standard libraries, then calls that function with 1, 2, ..., count and
// returns each call's first result as text (luaL_tolstring), or "error: MESSAGE" when
// a call or the chunk fails. `chunkname` names the chunk in messages as Lua's "=NAME".
std::vector<std::string> reference_calls(const std::string& chunkname, const std::string& source, int count);

}  // namespace vitrine::show::lua
