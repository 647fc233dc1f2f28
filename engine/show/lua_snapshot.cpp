#include "show/lua_snapshot.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <unordered_set>

namespace vitrine::show::lua {
namespace {

constexpr int kMaxDepth = 100;

// ---- show.data as bytes ----------------------------------------------------------------
// b0|b1 boolean, i int64, f double, s length + bytes, t count + (key, value)..., keys in
// the order of their bytes.

void put_u64(std::string& out, uint64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }

std::string key_text(lua_State* L, int index) {
    char buf[64];
    switch (lua_type(L, index)) {
        case LUA_TSTRING: {
            size_t n = 0;
            const char* s = lua_tolstring(L, index, &n);
            return "." + std::string(s, std::min<size_t>(n, 40));
        }
        case LUA_TNUMBER:
            if (lua_isinteger(L, index))
                std::snprintf(buf, sizeof buf, "[%lld]", static_cast<long long>(lua_tointeger(L, index)));
            else
                std::snprintf(buf, sizeof buf, "[%g]", lua_tonumber(L, index));
            return buf;
        case LUA_TBOOLEAN: return lua_toboolean(L, index) ? "[true]" : "[false]";
        default: return std::string("[a ") + lua_typename(L, lua_type(L, index)) + " key]";
    }
}

bool save_value(lua_State* L, int index, const std::string& path, std::string& out, std::string& error,
                std::unordered_set<const void*>& seen, int depth, bool is_key) {
    switch (lua_type(L, index)) {
        case LUA_TBOOLEAN: out += lua_toboolean(L, index) ? "b1" : "b0"; return true;
        case LUA_TNUMBER:
            if (lua_isinteger(L, index)) {
                out += 'i';
                put_u64(out, uint64_t(lua_tointeger(L, index)));
            } else {
                double d = lua_tonumber(L, index);
                out += 'f';
                uint64_t bits;
                std::memcpy(&bits, &d, sizeof bits);
                put_u64(out, bits);
            }
            return true;
        case LUA_TSTRING: {
            size_t n = 0;
            const char* s = lua_tolstring(L, index, &n);
            out += 's';
            put_u64(out, n);
            out.append(s, n);
            return true;
        }
        case LUA_TTABLE: {
            if (is_key) break;
            const void* p = lua_topointer(L, index);
            if (!seen.insert(p).second) {
                error = path + " is a table met twice (a cycle, or one table in two places)";
                return false;
            }
            if (depth >= kMaxDepth) {
                error = path + " nests tables more than " + std::to_string(kMaxDepth) + " deep";
                return false;
            }
            if (!lua_checkstack(L, 4)) {
                error = path + ": out of stack";
                return false;
            }
            if (lua_getmetatable(L, index)) {
                lua_pop(L, 1);
                error = path + " has a metatable";
                return false;
            }
            std::vector<std::pair<std::string, std::string>> entries;
            int t = lua_absindex(L, index);
            lua_pushnil(L);
            while (lua_next(L, t)) {
                std::string key, value;
                std::string at = path + key_text(L, -2);
                if (!save_value(L, lua_gettop(L) - 1, at, key, error, seen, depth + 1, true)) {
                    if (error.empty()) error = at + ": a key must be a number, a string or a boolean";
                    lua_pop(L, 2);
                    return false;
                }
                if (!save_value(L, lua_gettop(L), at, value, error, seen, depth + 1, false)) {
                    lua_pop(L, 2);
                    return false;
                }
                entries.emplace_back(std::move(key), std::move(value));
                lua_pop(L, 1);
            }
            std::sort(entries.begin(), entries.end());
            out += 't';
            put_u64(out, entries.size());
            for (const auto& [k, v] : entries) out += k, out += v;
            return true;
        }
        default: break;
    }
    if (!is_key) error = path + " holds a " + lua_typename(L, lua_type(L, index));
    return false;
}

struct Reader {
    const char* p;
    const char* end;
    bool u64(uint64_t& v) {
        if (size_t(end - p) < sizeof v) return false;
        std::memcpy(&v, p, sizeof v);
        p += sizeof v;
        return true;
    }
};

// Pushes the value at the reader (allocates: runs protected).
bool push_value(lua_State* L, Reader& r, int depth) {
    if (r.p >= r.end || depth > kMaxDepth || !lua_checkstack(L, 4)) return false;
    char tag = *r.p++;
    uint64_t v = 0;
    switch (tag) {
        case 'b':
            if (r.p >= r.end) return false;
            lua_pushboolean(L, *r.p++ == '1');
            return true;
        case 'i':
            if (!r.u64(v)) return false;
            lua_pushinteger(L, lua_Integer(v));
            return true;
        case 'f': {
            if (!r.u64(v)) return false;
            double d;
            std::memcpy(&d, &v, sizeof d);
            lua_pushnumber(L, d);
            return true;
        }
        case 's':
            if (!r.u64(v) || v > uint64_t(r.end - r.p)) return false;
            lua_pushlstring(L, r.p, size_t(v));
            r.p += v;
            return true;
        case 't': {
            if (!r.u64(v) || v > uint64_t(r.end - r.p)) return false;
            lua_createtable(L, 0, int(v));
            for (uint64_t i = 0; i < v; ++i) {
                if (!push_value(L, r, depth + 1)) return false;
                if (!push_value(L, r, depth + 1)) return false;
                lua_rawset(L, -3);
            }
            return true;
        }
        default: return false;
    }
}

// ---- the fingerprint --------------------------------------------------------------------

struct Hash {
    uint64_t h = 1469598103934665603ull;
    void bytes(const void* data, size_t n) {
        const auto* b = static_cast<const unsigned char*>(data);
        for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
    }
    void word(uint64_t v) { bytes(&v, sizeof v); }
    void pointer(const void* p) { word(reinterpret_cast<uintptr_t>(p)); }
};

uint64_t mix(uint64_t x) {  // splitmix64's finalizer
    x ^= x >> 30, x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27, x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

struct Walk {
    lua_State* L;
    const void* data;
    const void* show;
    std::unordered_set<const void*> seen;

    uint64_t value(int index, int depth, bool upvalues = true) {
        Hash h;
        int type = lua_type(L, index);
        h.word(uint64_t(type));
        switch (type) {
            case LUA_TNIL: break;
            case LUA_TBOOLEAN: h.word(lua_toboolean(L, index)); break;
            case LUA_TNUMBER:
                if (lua_isinteger(L, index)) {
                    h.word(1), h.word(uint64_t(lua_tointeger(L, index)));
                } else {
                    double d = lua_tonumber(L, index);
                    h.word(2), h.bytes(&d, sizeof d);
                }
                break;
            case LUA_TSTRING: {
                size_t n = 0;
                const char* s = lua_tolstring(L, index, &n);
                h.bytes(s, n);
                break;
            }
            case LUA_TFUNCTION:
                if (lua_iscfunction(L, index)) {  // the sandbox's own: hooks cannot change their upvalues
                    h.pointer(lua_topointer(L, index));
                    break;
                }
                [[fallthrough]];
            case LUA_TTABLE: {
                const void* p = lua_topointer(L, index);
                h.pointer(p);  // identity matters: another table with the same contents is another state
                if (p == data || p == show || !seen.insert(p).second || depth > 200 || !lua_checkstack(L, 6)) break;
                int at = lua_absindex(L, index);
                if (type == LUA_TTABLE) {
                    uint64_t sum = 0;  // entries in any order
                    lua_pushnil(L);
                    while (lua_next(L, at)) {
                        uint64_t k = value(-2, depth + 1), v = value(-1, depth + 1);
                        sum += mix(k * 31 + v);
                        lua_pop(L, 1);
                    }
                    h.word(sum);
                    if (lua_getmetatable(L, at)) {
                        h.word(value(-1, depth + 1));
                        lua_pop(L, 1);
                    }
                } else if (upvalues) {
                    for (int u = 1; lua_getupvalue(L, at, u); ++u) {
                        h.word(value(-1, depth + 1));
                        lua_pop(L, 1);
                    }
                }
                break;
            }
            default: h.pointer(lua_topointer(L, index)); break;  // userdata, threads
        }
        return h.h;
    }
};

}  // namespace

bool save_data(lua_State* L, int index, std::string& out, std::string& error) {
    std::unordered_set<const void*> seen;
    out.clear();
    return save_value(L, lua_absindex(L, index), "show.data", out, error, seen, 0, false);
}

bool load_data(lua_State* L, int index, const std::string& bytes) {
    int t = lua_absindex(L, index);
    lua_pushnil(L);
    while (lua_next(L, t)) {  // clearing fields during a traversal is allowed
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_pushnil(L);
        lua_rawset(L, t);
    }
    Reader r{bytes.data(), bytes.data() + bytes.size()};
    if (r.p == r.end) return true;  // nothing saved: empty
    if (!push_value(L, r, 0) || !lua_istable(L, -1)) return false;
    int saved = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, saved)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, t);
    }
    lua_pop(L, 1);
    return r.p == r.end;
}

Fingerprint fingerprint(lua_State* L, int data_index, int show_index) {
    Fingerprint out;
    if (!lua_checkstack(L, 8)) return {{"(out of stack)", 0}};
    Walk walk{L, lua_topointer(L, data_index), lua_topointer(L, show_index), {}};
    lua_pushglobaltable(L);
    int globals = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, globals)) {
        std::string name = "global '" + key_text(L, -2).substr(lua_type(L, -2) == LUA_TSTRING ? 1 : 0) + "'";
        walk.seen.clear();
        walk.seen.insert(lua_topointer(L, globals));  // the globals (_ENV), each on its own line
        bool lua_function = lua_type(L, -1) == LUA_TFUNCTION && !lua_iscfunction(L, -1);
        out.emplace_back(name, walk.value(-1, 0, !lua_function) ^ mix(walk.value(-2, 0)));
        if (lua_function) {  // a chunk's locals that its functions share: one line each
            int f = lua_gettop(L);
            for (int u = 1;; ++u) {
                const char* upvalue = lua_getupvalue(L, f, u);
                if (!upvalue) break;
                walk.seen.clear();
                walk.seen.insert(lua_topointer(L, globals));
                out.emplace_back("upvalue '" + std::string(*upvalue ? upvalue : "?") + "' of " +
                                     name.substr(8, name.size() - 9),
                                 walk.value(-1, 0));
                lua_pop(L, 1);
            }
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    std::sort(out.begin(), out.end());
    return out;
}

std::string first_difference(const Fingerprint& then, const Fingerprint& now) {
    size_t i = 0, j = 0;
    while (i < then.size() || j < now.size()) {
        if (j == now.size() || (i < then.size() && then[i].first < now[j].first)) return then[i].first + ", removed";
        if (i == then.size() || now[j].first < then[i].first) return now[j].first;
        if (then[i].second != now[j].second) return now[j].first;
        ++i, ++j;
    }
    return {};
}

}  // namespace vitrine::show::lua
