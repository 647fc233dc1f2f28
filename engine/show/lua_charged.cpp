// Charged standard functions for the hook sandbox (see lua_charged.h). Written from
// the Lua 5.4 reference manual; results and error messages follow Debian's liblua5.4
// (5.4.4), which tests/unit/hooks_hostile_test.cpp compares them with.
//
// Lua errors are longjmps: nothing below holds a C++ object with a destructor.
#include "show/lua_charged.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "show/lua_budget.h"
#include "show/lua_patterns.h"

namespace vitrine::show::lua {
namespace {

// ---- costs of Lua's own functions --------------------------------------------------------

size_t string_length(lua_State* L, int index) {
    if (lua_type(L, index) != LUA_TSTRING) return 0;
    size_t length = 0;
    lua_tolstring(L, index, &length);
    return length;
}

uint64_t cost_one(lua_State*) { return 1; }

// Every argument may be a number written as a string (parsed each time).
uint64_t cost_numbers(lua_State* L) { return 1 + uint64_t(lua_gettop(L)) / 8 + coercion_cost(L, 1, lua_gettop(L)); }

uint64_t cost_values(lua_State* L) { return 1 + uint64_t(lua_gettop(L)) / 8; }  // passed through untouched

uint64_t cost_select(lua_State* L) { return cost_values(L) + coercion_cost(L, 1, 1); }

uint64_t cost_error(lua_State* L) { return 1 + coercion_cost(L, 2, 2); }

// Comparing two different strings of the same length reads both.
uint64_t cost_rawequal(lua_State* L) {
    return 1 + std::min(string_length(L, 1), string_length(L, 2)) / kCopyBytes;
}

// A slice of the first argument (string.byte, string.sub): the result is what costs.
uint64_t cost_slice(lua_State* L) { return 1 + coercion_cost(L, 2, lua_gettop(L)); }

// The first argument handled byte by byte (upper, lower, reverse, tonumber, packsize).
uint64_t cost_text(lua_State* L) { return 1 + string_length(L, 1) / kLoopBytes + coercion_cost(L, 2, lua_gettop(L)); }

// %q writes each control character with snprintf (~100 ns): 8 units each.
uint64_t cost_format(lua_State* L) {
    uint64_t units = 4 + cost_values(L);
    size_t length = 0;
    const char* format = lua_type(L, 1) == LUA_TSTRING ? lua_tolstring(L, 1, &length) : "";
    bool quoting = std::memchr(format, 'q', length) != nullptr;
    for (int i = 1; i <= lua_gettop(L); ++i) {
        if (lua_type(L, i) != LUA_TSTRING) continue;
        const char* text = lua_tolstring(L, i, &length);
        units += length / kLoopBytes;
        if (quoting && i > 1)
            for (size_t c = 0; c < length; ++c) units += std::iscntrl(static_cast<unsigned char>(text[c])) ? 8 : 0;
    }
    return units;
}

// Conversions that make a new short string (lua_pushfstring, snprintf): a few instructions' worth.
uint64_t cost_tostring(lua_State*) { return 8; }

// string.char: a byte per argument; utf8.char: an escape formatted per argument.
uint64_t cost_char(lua_State* L) { return 1 + 2 * uint64_t(lua_gettop(L)) + coercion_cost(L, 1, lua_gettop(L)); }
uint64_t cost_utf8_char(lua_State* L) { return 1 + 4 * uint64_t(lua_gettop(L)) + coercion_cost(L, 1, lua_gettop(L)); }

// The sum of the sizes written in a pack format ("c8000000", "i16", "!8"): an upper
// bound of the bytes it packs or unpacks besides variable-length strings.
uint64_t format_sizes(lua_State* L, int index) {
    size_t length = 0;
    const char* format = lua_type(L, index) == LUA_TSTRING ? lua_tolstring(L, index, &length) : nullptr;
    uint64_t sum = 0, run = 0;
    for (size_t i = 0; i < length; ++i) {
        if (format[i] >= '0' && format[i] <= '9') {
            run = std::min<uint64_t>(run * 10 + uint64_t(format[i] - '0'), uint64_t(1) << 40);
        } else {
            sum += run;
            run = 0;
        }
    }
    return sum + run + length;
}

uint64_t cost_pack(lua_State* L) {
    uint64_t units = cost_values(L) + format_sizes(L, 1) / kLoopBytes;
    for (int i = 2; i <= lua_gettop(L); ++i)
        units += lua_type(L, i) == LUA_TSTRING ? string_length(L, i) / kCopyBytes : 0;
    return units;
}

uint64_t cost_unpack(lua_State* L) {
    uint64_t units = 1 + format_sizes(L, 1) / kCopyBytes + string_length(L, 1) / kLoopBytes + coercion_cost(L, 3, 3);
    size_t length = 0;
    const char* format = lua_type(L, 1) == LUA_TSTRING ? lua_tolstring(L, 1, &length) : "";
    if (std::memchr(format, 'z', length)) units += string_length(L, 2) / kCopyBytes;  // strlen per 'z'
    return units;
}

// The bytes between utf8 positions i and j (i and j as utf8.codepoint / utf8.len read
// them; negative from the end).
uint64_t utf8_range(lua_State* L, lua_Integer i_default, bool j_defaults_to_i) {
    lua_Integer length = lua_Integer(string_length(L, 1));
    auto position = [length](lua_Integer p) {
        if (p >= 0) return p;
        if (lua_Unsigned(0) - lua_Unsigned(p) > lua_Unsigned(length)) return lua_Integer(0);
        return length + p + 1;
    };
    int ok = 0;
    lua_Integer i = lua_tointegerx(L, 2, &ok);
    i = position(ok ? i : i_default);
    lua_Integer j = lua_tointegerx(L, 3, &ok);
    j = position(ok ? j : (j_defaults_to_i ? i : -1));
    i = std::max<lua_Integer>(i, 1);
    j = std::min(j, length);
    uint64_t bytes = j >= i ? uint64_t(j - i + 1) : 0;
    return 1 + bytes / kLoopBytes + coercion_cost(L, 2, 3);
}

uint64_t cost_codepoint(lua_State* L) { return utf8_range(L, 1, true); }
uint64_t cost_utf8_len(lua_State* L) { return utf8_range(L, 1, false); }

struct Cost {
    const char* name;  // as "lib.name"; base functions bare
    uint64_t (*units)(lua_State*);
};

// Lua's own functions that stay in the sandbox; any other C function found in the
// libraries (math's, the string metatable's arithmetic, a compatibility function) costs
// cost_numbers.
const Cost kCosts[] = {
    {"assert", cost_values},
    {"error", cost_error},
    {"getmetatable", cost_one},
    {"ipairs", cost_one},
    {"next", cost_one},
    {"pairs", cost_one},
    {"rawequal", cost_rawequal},
    {"rawget", cost_one},
    {"rawlen", cost_one},
    {"select", cost_select},
    {"tonumber", cost_text},
    {"tostring", cost_tostring},
    {"type", cost_one},
    {"string.byte", cost_slice},
    {"string.char", cost_char},
    {"string.format", cost_format},
    {"string.len", cost_one},
    {"string.lower", cost_text},
    {"string.upper", cost_text},
    {"string.reverse", cost_text},
    {"string.sub", cost_slice},
    {"string.pack", cost_pack},
    {"string.packsize", cost_text},
    {"string.unpack", cost_unpack},
    {"utf8.char", cost_utf8_char},
    {"utf8.codepoint", cost_codepoint},
    {"utf8.len", cost_utf8_len},
};

// The charged closure: upvalue 1 the original function, upvalue 2 its Cost. The
// original runs in this closure's frame (no extra call level), so its argument errors
// name the function as Lua's would.
int charged_call(lua_State* L) {
    const Cost* cost = static_cast<const Cost*>(lua_touserdata(L, lua_upvalueindex(2)));
    charge(L, cost->units(L));
    int results = lua_tocfunction(L, lua_upvalueindex(1))(L);
    if (results >= 8) charge(L, uint64_t(results) / 8);
    return results;
}

const Cost kDefaultCost = {"", cost_numbers};

// Wraps every C function of the table at the top (`prefix`: "string." or "" for _G).
void wrap_table(lua_State* L, const char* prefix) {
    int table = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, table)) {
        if (lua_type(L, -2) == LUA_TSTRING && lua_iscfunction(L, -1)) {
            const char* key = lua_tostring(L, -2);
            const Cost* cost = &kDefaultCost;
            size_t plen = std::strlen(prefix);
            for (const Cost& c : kCosts)
                if (std::strncmp(c.name, prefix, plen) == 0 && std::strcmp(c.name + plen, key) == 0) cost = &c;
            lua_pushvalue(L, -2);  // key
            lua_pushcfunction(L, lua_tocfunction(L, -2));
            lua_pushlightuserdata(L, const_cast<Cost*>(cost));
            lua_pushcclosure(L, charged_call, 2);
            lua_rawset(L, table);  // changing an existing field's value during lua_next is allowed
        }
        lua_pop(L, 1);
    }
}

// ---- the table library -------------------------------------------------------------------

enum : int { kRead = 1, kWrite = 2, kLength = 4 };

// A table, or a value whose metatable has what the function uses (__index, __newindex,
// __len); else the usual "table expected" argument error.
void check_table(lua_State* L, int arg, int needs) {
    if (lua_type(L, arg) == LUA_TTABLE) return;
    int top = lua_gettop(L);
    bool ok = lua_getmetatable(L, arg);
    const char* fields[] = {"__index", "__newindex", "__len"};
    for (int f = 0; f < 3 && ok; ++f) {
        if (!(needs & (1 << f))) continue;
        lua_pushstring(L, fields[f]);
        ok = lua_rawget(L, top + 1) != LUA_TNIL;
    }
    lua_settop(L, top);
    if (!ok) luaL_checktype(L, arg, LUA_TTABLE);
}

lua_Integer checked_length(lua_State* L, int arg, int needs) {
    check_table(L, arg, needs | kLength);
    return luaL_len(L, arg);
}

int table_insert(lua_State* L) {
    lua_Integer size = checked_length(L, 1, kRead | kWrite);
    lua_Integer end = lua_Integer(lua_Unsigned(size) + 1u);  // the first empty slot
    lua_Integer position = end;
    switch (lua_gettop(L)) {
        case 2: charge(L, 1); break;
        case 3: {
            charge(L, 1 + coercion_cost(L, 2, 2));
            position = luaL_checkinteger(L, 2);
            // 1 <= position <= end, written so that it cannot overflow
            luaL_argcheck(L, lua_Unsigned(position) - 1u < lua_Unsigned(end), 2, "position out of bounds");
            expect_work(L, lua_Unsigned(end) - lua_Unsigned(position));  // the elements moved up
            for (lua_Integer i = end; i > position; --i) {
                charge(L, 1);
                lua_geti(L, 1, i - 1);
                lua_seti(L, 1, i);
            }
            break;
        }
        default: return luaL_error(L, "wrong number of arguments to 'insert'");
    }
    lua_seti(L, 1, position);
    return 0;
}

int table_remove(lua_State* L) {
    lua_Integer size = checked_length(L, 1, kRead | kWrite);
    charge(L, 1 + coercion_cost(L, 2, 2));
    lua_Integer position = luaL_optinteger(L, 2, size);
    if (position != size)  // a given position must be in [1, size + 1]
        luaL_argcheck(L, lua_Unsigned(position) - 1u <= lua_Unsigned(size), 1, "position out of bounds");
    if (position < size) expect_work(L, lua_Unsigned(size) - lua_Unsigned(position));  // the elements moved down
    lua_geti(L, 1, position);
    for (; position < size; ++position) {
        charge(L, 1);
        lua_geti(L, 1, position + 1);
        lua_seti(L, 1, position);
    }
    lua_pushnil(L);
    lua_seti(L, 1, position);
    return 1;
}

int table_move(lua_State* L) {
    charge(L, 1 + coercion_cost(L, 2, 4));
    lua_Integer first = luaL_checkinteger(L, 2);
    lua_Integer last = luaL_checkinteger(L, 3);
    lua_Integer to = luaL_checkinteger(L, 4);
    int target = lua_isnoneornil(L, 5) ? 1 : 5;
    check_table(L, 1, kRead);
    check_table(L, target, kWrite);
    if (last >= first) {
        luaL_argcheck(L, first > 0 || last < LUA_MAXINTEGER + first, 3, "too many elements to move");
        lua_Integer count = last - first + 1;
        luaL_argcheck(L, to <= LUA_MAXINTEGER - count + 1, 4, "destination wrap around");
        expect_work(L, lua_Unsigned(count));  // every element, even a nil: the work is the range
        bool forward = to > last || to <= first || (target != 1 && !lua_compare(L, 1, target, LUA_OPEQ));
        if (forward) {
            for (lua_Integer i = 0; i < count; ++i) {
                charge(L, 1);
                lua_geti(L, 1, first + i);
                lua_seti(L, target, to + i);
            }
        } else {  // overlapping, moving up: from the end
            for (lua_Integer i = count - 1; i >= 0; --i) {
                charge(L, 1);
                lua_geti(L, 1, first + i);
                lua_seti(L, target, to + i);
            }
        }
    }
    lua_pushvalue(L, target);
    return 1;
}

void add_concat_field(lua_State* L, luaL_Buffer* b, lua_Integer i) {
    charge(L, 2);
    lua_geti(L, 1, i);
    if (!lua_isstring(L, -1))
        luaL_error(L, "invalid value (%s) at index %I in table for 'concat'", luaL_typename(L, -1),
                   static_cast<LUAI_UACINT>(i));
    bool number = lua_type(L, -1) == LUA_TNUMBER;  // formatted as it is added
    size_t length = 0;
    lua_tolstring(L, -1, &length);
    charge(L, (number ? 8 : 0) + length / kCopyBytes);
    luaL_addvalue(b);
}

int table_concat(lua_State* L) {
    lua_Integer last = checked_length(L, 1, kRead);
    size_t separator_length = 0;
    const char* separator = luaL_optlstring(L, 2, "", &separator_length);
    charge(L, 1 + coercion_cost(L, 3, 4));
    lua_Integer i = luaL_optinteger(L, 3, 1);
    last = luaL_optinteger(L, 4, last);
    if (i <= last)  // the elements (the separators are charged as they are added)
        expect_work(L, uint64_t(lua_Unsigned(last) - lua_Unsigned(i)) + 1);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (; i < last; ++i) {
        add_concat_field(L, &b, i);
        charge(L, separator_length / kCopyBytes);
        luaL_addlstring(&b, separator, separator_length);
    }
    if (i == last) add_concat_field(L, &b, i);
    luaL_pushresult(&b);
    return 1;
}

int table_pack(lua_State* L) {
    int count = lua_gettop(L);
    charge(L, 1 + uint64_t(count));
    lua_createtable(L, count, 1);
    lua_insert(L, 1);
    for (int i = count; i >= 1; --i) lua_seti(L, 1, i);
    lua_pushinteger(L, count);
    lua_setfield(L, 1, "n");
    return 1;
}

int table_unpack(lua_State* L) {
    charge(L, 1 + coercion_cost(L, 2, 3));
    lua_Integer i = luaL_optinteger(L, 2, 1);
    lua_Integer last = lua_isnoneornil(L, 3) ? luaL_len(L, 1) : luaL_checkinteger(L, 3);
    if (i > last) return 0;
    lua_Unsigned count = lua_Unsigned(last) - lua_Unsigned(i);
    if (count >= unsigned(INT_MAX) || count >= LUAI_MAXSTACK) return luaL_error(L, "too many results to unpack");
    ++count;
    charge(L, count);
    if (!lua_checkstack(L, int(count))) return luaL_error(L, "too many results to unpack");
    for (; i < last; ++i) lua_geti(L, 1, i);
    lua_geti(L, 1, last);
    return int(count);
}

// table.sort: an in-place heap sort on the table (through __index/__newindex like
// Lua's), so its work is O(n log n) whatever the data or the order function, and the
// same on every run (Lua's own quicksort picks some pivots from the clock). Not
// stable, as Lua's is not. An inconsistent order function gives some order, no error.
struct Sorter {
    lua_State* L;
    bool custom;  // an order function at index 2
};

// Whether the value at a is before the one at b (stack indices).
bool sort_before(const Sorter& s, int a, int b) {
    lua_State* L = s.L;
    if (!s.custom) {
        // Comparing strings reads them (strcoll).
        charge(L, 2 + std::min(string_length(L, a), string_length(L, b)) / kCopyBytes);
        return lua_compare(L, a, b, LUA_OPLT);
    }
    charge(L, 2);
    a = lua_absindex(L, a);
    b = lua_absindex(L, b);
    lua_pushvalue(L, 2);
    lua_pushvalue(L, a);
    lua_pushvalue(L, b);
    lua_call(L, 2, 1);
    bool before = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return before;
}

// Moves t[root] down the heap t[1..end] until no child comes after it.
void sift_down(const Sorter& s, lua_Integer root, lua_Integer end) {
    lua_State* L = s.L;
    lua_geti(L, 1, root);  // the value being placed
    for (;;) {
        lua_Integer child = 2 * root;
        if (child > end) break;
        lua_geti(L, 1, child);
        if (child + 1 <= end) {
            lua_geti(L, 1, child + 1);
            if (sort_before(s, -2, -1)) {  // the right child is the larger
                lua_remove(L, -2);
                ++child;
            } else {
                lua_pop(L, 1);
            }
        }
        if (!sort_before(s, -2, -1)) {  // the value is not before its larger child: here
            lua_pop(L, 1);
            break;
        }
        lua_seti(L, 1, root);  // the child moves up
        root = child;
    }
    lua_seti(L, 1, root);
}

int table_sort(lua_State* L) {
    lua_Integer count = checked_length(L, 1, kRead | kWrite);
    charge(L, 1);
    if (count > 1) {
        luaL_argcheck(L, count < INT_MAX, 1, "array too big");
        if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TFUNCTION);
        lua_settop(L, 2);
        Sorter s{L, !lua_isnil(L, 2)};
        for (lua_Integer root = count / 2; root >= 1; --root) sift_down(s, root, count);
        for (lua_Integer end = count; end > 1; --end) {
            lua_geti(L, 1, 1);
            lua_geti(L, 1, end);
            lua_seti(L, 1, 1);    // t[1] = t[end]
            lua_seti(L, 1, end);  // t[end] = the largest
            sift_down(s, 1, end - 1);
        }
    }
    return 0;
}

// ---- string.rep --------------------------------------------------------------------------

int string_rep(lua_State* L) {
    size_t length = 0, separator_length = 0;
    const char* text = luaL_checklstring(L, 1, &length);
    lua_Integer count = luaL_checkinteger(L, 2);
    const char* separator = luaL_optlstring(L, 3, "", &separator_length);
    charge(L, 1 + coercion_cost(L, 2, 2));
    size_t unit = length + separator_length;
    if (count <= 0 || unit == 0) {  // Lua's own loops count times over nothing
        lua_pushliteral(L, "");
        return 1;
    }
    if (unit < length || unit > size_t(INT_MAX) / size_t(count)) return luaL_error(L, "resulting string too large");
    size_t total = size_t(count) * length + size_t(count - 1) * separator_length;
    luaL_Buffer b;
    char* out = luaL_buffinitsize(L, &b, total);  // the memory ceiling speaks first
    charge(L, total / kCopyBytes);
    // One copy of text + separator, then the filled part doubled: the result repeats
    // with that period, so copying its start onward is right, and the last copy cut short
    // ends with the text, without the separator.
    std::memcpy(out, text, length);
    if (total > length) std::memcpy(out + length, separator, std::min(separator_length, total - length));
    size_t filled = std::min(unit, total);
    while (filled < total) {
        size_t piece = std::min(filled, total - filled);
        std::memcpy(out + filled, out, piece);
        filled += piece;
    }
    luaL_pushresultsize(&b, total);
    return 1;
}

// ---- utf8.offset and utf8.codes ----------------------------------------------------------

bool continuation(const char* p) { return (static_cast<unsigned char>(*p) & 0xC0) == 0x80; }

// Decodes one character at s (Lua strings end in a NUL, which is never a continuation
// byte, so reading stops there). Lax: sequences of up to 6 bytes, values up to 2^31 - 1;
// strict: at most U+10FFFF and no surrogates. Overlong forms are invalid in both.
const char* decode(const char* s, lua_Integer* value, bool strict) {
    unsigned lead = static_cast<unsigned char>(s[0]);
    int extra = 0;
    uint32_t code = 0, least = 0;
    if (lead < 0x80) {
        code = lead;
    } else if (lead < 0xC0) {
        return nullptr;  // a continuation byte
    } else if (lead < 0xE0) {
        extra = 1, code = lead & 0x1F, least = 0x80;
    } else if (lead < 0xF0) {
        extra = 2, code = lead & 0x0F, least = 0x800;
    } else if (lead < 0xF8) {
        extra = 3, code = lead & 0x07, least = 0x10000;
    } else if (lead < 0xFC) {
        extra = 4, code = lead & 0x03, least = 0x200000;
    } else if (lead < 0xFE) {
        extra = 5, code = lead & 0x01, least = 0x4000000;
    } else {
        return nullptr;
    }
    for (int i = 1; i <= extra; ++i) {
        if (!continuation(s + i)) return nullptr;
        code = (code << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
    }
    if (code < least) return nullptr;
    if (strict && (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))) return nullptr;
    *value = code;
    return s + extra + 1;
}

// utf8's relative positions: negative counts from the end; before the start is 0.
lua_Integer utf8_position(lua_Integer position, size_t length) {
    if (position >= 0) return position;
    if (lua_Unsigned(0) - lua_Unsigned(position) > length) return 0;
    return lua_Integer(length) + position + 1;
}

int utf8_offset(lua_State* L) {
    size_t length = 0;
    const char* s = luaL_checklstring(L, 1, &length);
    lua_Integer n = luaL_checkinteger(L, 2);
    lua_Integer i = utf8_position(luaL_optinteger(L, 3, n >= 0 ? 1 : lua_Integer(length) + 1), length);
    luaL_argcheck(L, 1 <= i && --i <= lua_Integer(length), 3, "position out of bounds");
    charge(L, 1 + coercion_cost(L, 2, 3));
    uint64_t moved = 0;  // bytes stepped over, charged at the end (at most the string)
    if (n == 0) {
        while (i > 0 && continuation(s + i)) --i, ++moved;  // back to the start of this character
    } else {
        if (continuation(s + i)) return luaL_error(L, "initial position is a continuation byte");
        if (n < 0) {
            while (n < 0 && i > 0) {
                do {
                    --i, ++moved;
                } while (i > 0 && continuation(s + i));
                ++n;
            }
        } else {
            --n;  // the character at i is the first
            while (n > 0 && i < lua_Integer(length)) {
                do {
                    ++i, ++moved;
                } while (continuation(s + i));
                --n;
            }
        }
    }
    charge(L, moved / kLoopBytes);
    if (n == 0)
        lua_pushinteger(L, i + 1);
    else
        luaL_pushfail(L);
    return 1;
}

// The iterator of utf8.codes: control value = the previous character's position
// (0 at the start); skips that character's continuation bytes.
int codes_next(lua_State* L, bool strict) {
    size_t length = 0;
    const char* s = luaL_checklstring(L, 1, &length);
    lua_Unsigned at = lua_Unsigned(lua_tointeger(L, 2));
    uint64_t moved = 0;
    if (at < length)
        while (continuation(s + at)) ++at, ++moved;
    charge(L, 1 + moved / kLoopBytes);
    if (at >= length) return 0;
    lua_Integer code = 0;
    if (!decode(s + at, &code, strict)) return luaL_error(L, "invalid UTF-8 code");
    lua_pushinteger(L, lua_Integer(at) + 1);
    lua_pushinteger(L, code);
    return 2;
}

int codes_strict(lua_State* L) { return codes_next(L, true); }
int codes_lax(lua_State* L) { return codes_next(L, false); }

int utf8_codes(lua_State* L) {
    bool lax = lua_toboolean(L, 2);
    luaL_checkstring(L, 1);
    charge(L, 1);
    lua_pushcfunction(L, lax ? codes_lax : codes_strict);
    lua_pushvalue(L, 1);
    lua_pushinteger(L, 0);
    return 3;
}

void set_functions(lua_State* L, const char* library, const luaL_Reg* functions) {
    lua_getglobal(L, library);
    luaL_setfuncs(L, functions, 0);
    lua_pop(L, 1);
}

}  // namespace

void charge_libraries(lua_State* L) {
    lua_pushglobaltable(L);
    wrap_table(L, "");
    lua_pop(L, 1);
    // Arithmetic on strings ("10" + 1) goes through the string metatable's __add, __sub,
    // ... (C functions that parse the strings): charged by their strings' lengths.
    lua_pushliteral(L, "");
    if (lua_getmetatable(L, -1)) {
        wrap_table(L, "(string metatable).");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    for (const char* library : {"string", "math", "utf8", "table"}) {
        lua_getglobal(L, library);
        char prefix[16];
        std::snprintf(prefix, sizeof prefix, "%s.", library);
        wrap_table(L, prefix);
        lua_pop(L, 1);
    }
    const luaL_Reg table[] = {{"insert", table_insert}, {"remove", table_remove}, {"move", table_move},
                              {"concat", table_concat}, {"pack", table_pack},     {"unpack", table_unpack},
                              {"sort", table_sort},     {nullptr, nullptr}};
    set_functions(L, "table", table);
    const luaL_Reg utf8[] = {{"offset", utf8_offset}, {"codes", utf8_codes}, {nullptr, nullptr}};
    set_functions(L, "utf8", utf8);
    const luaL_Reg string[] = {{"rep", string_rep}, {nullptr, nullptr}};
    set_functions(L, "string", string);
    lua_getglobal(L, "string");
    set_pattern_functions(L, -1);
    lua_pop(L, 1);
}

}  // namespace vitrine::show::lua
