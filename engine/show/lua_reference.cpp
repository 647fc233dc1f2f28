// Lua's own libraries as a reference for tests (see lua_reference.h).
#include "show/lua_reference.h"

#include <lua.hpp>

namespace vitrine::show::lua {
namespace {

std::string top_text(lua_State* L, bool failed) {
    size_t length = 0;
    const char* text = luaL_tolstring(L, -1, &length);
    std::string out = (failed ? "error: " : "") + std::string(text, length);
    lua_pop(L, 1);
    return out;
}

}  // namespace

std::vector<std::string> reference_calls(const std::string& chunkname, const std::string& source, int count) {
    std::vector<std::string> results;
    lua_State* L = luaL_newstate();
    if (!L) return {"error: no memory"};
    luaL_openlibs(L);
    std::string name = "=" + chunkname;
    if (luaL_loadbufferx(L, source.data(), source.size(), name.c_str(), "t") != LUA_OK ||
        lua_pcall(L, 0, 1, 0) != LUA_OK) {
        results.push_back(top_text(L, true));
    } else {
        for (int i = 1; i <= count; ++i) {
            lua_pushvalue(L, -1);
            lua_pushinteger(L, i);
            bool failed = lua_pcall(L, 1, 1, 0) != LUA_OK;
            results.push_back(top_text(L, failed));
            lua_pop(L, 1);
        }
    }
    lua_close(L);
    return results;
}

}  // namespace vitrine::show::lua
