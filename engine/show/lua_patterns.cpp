// Lua 5.4 patterns (reference manual, section 6.4.1), matched by backtracking with every
// step charged to the work budget. The results, captures and error messages are those
// of Lua's own string library (tests/unit/hooks_hostile_test.cpp compares them on a
// table of patterns); only the cost is new.
//
// Lua errors are longjmps: nothing below holds a C++ object with a destructor.
#include "show/lua_patterns.h"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstring>

#include "show/lua_budget.h"

namespace vitrine::show::lua {
namespace {

constexpr int kMaxCaptures = 32;          // as LUA_MAXCAPTURES
constexpr int kMaxDepth = 200;            // nested matching calls before "pattern too complex"
constexpr uint64_t kFlushSteps = 4096;    // steps counted locally before they are charged
constexpr ptrdiff_t kOpen = -1;           // a capture whose ')' has not been reached
constexpr ptrdiff_t kPosition = -2;       // a position capture, ()
constexpr char kSpecials[] = "^$*+?.([%-";

struct Matcher {
    lua_State* L;
    const char* text;      // the subject
    const char* text_end;
    const char* pat_end;
    int depth;             // nested calls left
    int level;             // captures opened so far
    uint64_t steps;        // not yet charged
    struct {
        const char* start;
        ptrdiff_t length;  // or kOpen, kPosition
    } capture[kMaxCaptures];
};

void flush(Matcher& m) {
    uint64_t steps = m.steps;
    m.steps = 0;
    if (steps) charge(m.L, steps);
}

inline void step(Matcher& m, uint64_t n = 1) {
    m.steps += n;
    if (m.steps >= kFlushSteps) flush(m);
}

void prepare(Matcher& m, lua_State* L, const char* s, size_t ls, const char* pat_end) {
    m.L = L;
    m.text = s;
    m.text_end = s + ls;
    m.pat_end = pat_end;
    m.depth = kMaxDepth;
    m.level = 0;
    m.steps = 0;
}

// ---- single-character classes ------------------------------------------------------------

// %a %c %d %g %l %p %s %u %w %x (and %z, NUL; upper case: the complement); any other
// character after % stands for itself.
bool class_matches(unsigned char c, unsigned char cl) {
    bool in;
    switch (std::tolower(cl)) {
        case 'a': in = std::isalpha(c); break;
        case 'c': in = std::iscntrl(c); break;
        case 'd': in = std::isdigit(c); break;
        case 'g': in = std::isgraph(c); break;
        case 'l': in = std::islower(c); break;
        case 'p': in = std::ispunct(c); break;
        case 's': in = std::isspace(c); break;
        case 'u': in = std::isupper(c); break;
        case 'w': in = std::isalnum(c); break;
        case 'x': in = std::isxdigit(c); break;
        case 'z': in = c == 0; break;  // deprecated in the manual, still in Lua 5.4's library
        default: return cl == c;
    }
    return std::isupper(cl) ? !in : in;
}

// A set [...] from its '[' to its closing ']' (found by class_end, so every '%' in it
// is followed by a character before `close`).
bool set_matches(unsigned char c, const char* p, const char* close) {
    bool in = true;
    ++p;
    if (*p == '^') {
        in = false;
        ++p;
    }
    for (; p < close; ++p) {
        if (*p == '%') {
            ++p;
            if (class_matches(c, static_cast<unsigned char>(*p))) return in;
        } else if (p[1] == '-' && p + 2 < close) {
            if (static_cast<unsigned char>(p[0]) <= c && c <= static_cast<unsigned char>(p[2])) return in;
            p += 2;
        } else if (static_cast<unsigned char>(*p) == c) {
            return in;
        }
    }
    return !in;
}

// Past the single-character class that starts at p: x, ., %x, [set].
const char* class_end(Matcher& m, const char* p) {
    char c = *p++;
    if (c == '%') {
        if (p >= m.pat_end) luaL_error(m.L, "malformed pattern (ends with '%%')");
        return p + 1;
    }
    if (c == '[') {
        if (p < m.pat_end && *p == '^') ++p;
        do {  // the set's first character is itself, even ']'
            if (p >= m.pat_end) luaL_error(m.L, "malformed pattern (missing ']')");
            c = *p++;
            if (c == '%') {
                if (p >= m.pat_end) luaL_error(m.L, "malformed pattern (missing ']')");
                ++p;
            }
        } while (p >= m.pat_end || *p != ']');
        return p + 1;
    }
    return p;
}

bool single_matches(const Matcher& m, const char* s, const char* p, const char* ep) {
    if (s >= m.text_end) return false;
    unsigned char c = static_cast<unsigned char>(*s);
    switch (*p) {
        case '.': return true;
        case '%': return class_matches(c, static_cast<unsigned char>(p[1]));
        case '[': return set_matches(c, p, ep - 1);
        default: return static_cast<unsigned char>(*p) == c;
    }
}

// ---- matching --------------------------------------------------------------------------

const char* do_match(Matcher& m, const char* s, const char* p);

const char* start_capture(Matcher& m, const char* s, const char* p, ptrdiff_t what) {
    if (m.level >= kMaxCaptures) luaL_error(m.L, "too many captures");
    m.capture[m.level].start = s;
    m.capture[m.level].length = what;
    ++m.level;
    const char* result = do_match(m, s, p);
    if (!result) --m.level;  // undo the capture
    return result;
}

const char* end_capture(Matcher& m, const char* s, const char* p) {
    int open = m.level - 1;
    while (open >= 0 && m.capture[open].length != kOpen) --open;
    if (open < 0) luaL_error(m.L, "invalid pattern capture");
    m.capture[open].length = s - m.capture[open].start;
    const char* result = do_match(m, s, p);
    if (!result) m.capture[open].length = kOpen;
    return result;
}

// %bxy at s: a balanced run from x to y, or null. p points at x.
const char* balance(Matcher& m, const char* s, const char* p) {
    if (p + 1 >= m.pat_end) luaL_error(m.L, "malformed pattern (missing arguments to '%%b')");
    if (s >= m.text_end || *s != p[0]) return nullptr;
    char open = p[0], close = p[1];
    int depth = 1;
    while (++s < m.text_end) {
        step(m);
        if (*s == close) {
            if (--depth == 0) return s + 1;
        } else if (*s == open) {
            ++depth;
        }
    }
    return nullptr;
}

// %1-%9 at s: the same text as that (closed) capture, or null.
const char* back_reference(Matcher& m, const char* s, char digit) {
    int index = digit - '1';
    if (index < 0 || index >= m.level || m.capture[index].length == kOpen)
        luaL_error(m.L, "invalid capture index %%%d", index + 1);
    ptrdiff_t length = m.capture[index].length;
    if (length < 0) return nullptr;  // a position capture matches no text
    step(m, 1 + size_t(length) / kCopyBytes);
    if (m.text_end - s >= length && std::memcmp(m.capture[index].start, s, size_t(length)) == 0) return s + length;
    return nullptr;
}

// The longest run of the class at s, then shorter ones, each followed by the rest.
const char* max_expand(Matcher& m, const char* s, const char* p, const char* ep) {
    ptrdiff_t count = 0;
    while (single_matches(m, s + count, p, ep)) {
        ++count;
        step(m);
    }
    for (; count >= 0; --count) {
        const char* result = do_match(m, s + count, ep + 1);
        if (result) return result;
    }
    return nullptr;
}

// The shortest run of the class at s that the rest follows.
const char* min_expand(Matcher& m, const char* s, const char* p, const char* ep) {
    for (;;) {
        const char* result = do_match(m, s, ep + 1);
        if (result) return result;
        if (!single_matches(m, s, p, ep)) return nullptr;
        ++s;
    }
}

const char* match_items(Matcher& m, const char* s, const char* p) {
    for (;;) {
        step(m);
        if (p == m.pat_end) return s;
        switch (*p) {
            case '(':
                if (p + 1 < m.pat_end && p[1] == ')') return start_capture(m, s, p + 2, kPosition);
                return start_capture(m, s, p + 1, kOpen);
            case ')': return end_capture(m, s, p + 1);
            case '$':
                if (p + 1 == m.pat_end) return s == m.text_end ? s : nullptr;
                break;  // elsewhere '$' is itself
            case '%':
                if (p + 1 < m.pat_end) {
                    char next = p[1];
                    if (next == 'b') {
                        s = balance(m, s, p + 2);
                        if (!s) return nullptr;
                        p += 4;
                        continue;
                    }
                    if (next == 'f') {
                        p += 2;
                        if (p >= m.pat_end || *p != '[') luaL_error(m.L, "missing '[' after '%%f' in pattern");
                        const char* ep = class_end(m, p);
                        unsigned char before = s == m.text ? 0 : static_cast<unsigned char>(s[-1]);
                        unsigned char at = s < m.text_end ? static_cast<unsigned char>(*s) : 0;
                        if (set_matches(before, p, ep - 1) || !set_matches(at, p, ep - 1)) return nullptr;
                        p = ep;
                        continue;
                    }
                    if (next >= '0' && next <= '9') {
                        s = back_reference(m, s, next);
                        if (!s) return nullptr;
                        p += 2;
                        continue;
                    }
                }
                break;  // a class, or "ends with '%'" from class_end
            default: break;
        }
        const char* ep = class_end(m, p);
        bool matched = single_matches(m, s, p, ep);
        if (ep < m.pat_end) {
            switch (*ep) {
                case '?':
                    if (matched) {
                        const char* result = do_match(m, s + 1, ep + 1);
                        if (result) return result;
                    }
                    p = ep + 1;
                    continue;
                case '+': return matched ? max_expand(m, s + 1, p, ep) : nullptr;
                case '*': return max_expand(m, s, p, ep);
                case '-': return min_expand(m, s, p, ep);
                default: break;
            }
        }
        if (!matched) return nullptr;
        ++s;
        p = ep;
    }
}

const char* do_match(Matcher& m, const char* s, const char* p) {
    if (m.depth-- == 0) luaL_error(m.L, "pattern too complex");
    const char* result = match_items(m, s, p);
    ++m.depth;
    return result;
}

// ---- results ---------------------------------------------------------------------------

// Capture i, or the whole match s..e when the pattern has none and i is 0.
void push_capture(Matcher& m, int i, const char* s, const char* e) {
    if (i >= m.level) {
        if (i != 0) luaL_error(m.L, "invalid capture index %%%d", i + 1);
        lua_pushlstring(m.L, s, size_t(e - s));
        return;
    }
    ptrdiff_t length = m.capture[i].length;
    if (length == kOpen) luaL_error(m.L, "unfinished capture");
    if (length == kPosition)
        lua_pushinteger(m.L, m.capture[i].start - m.text + 1);
    else
        lua_pushlstring(m.L, m.capture[i].start, size_t(length));
}

// All captures (the whole match when there are none, unless s is null).
int push_captures(Matcher& m, const char* s, const char* e) {
    int count = m.level == 0 && s ? 1 : m.level;
    luaL_checkstack(m.L, count, "too many captures");
    for (int i = 0; i < count; ++i) push_capture(m, i, s, e);
    return count;
}

// A 1-based start position from Lua's init argument (negative: from the end).
size_t start_position(lua_Integer position, size_t length) {
    if (position > 0) return size_t(position);
    if (position == 0) return 1;
    if (position < -static_cast<lua_Integer>(length)) return 1;
    return size_t(lua_Integer(length) + position + 1);
}

bool has_specials(const char* p, size_t length) {
    for (size_t i = 0; i < length; ++i)
        if (p[i] != 0 && std::strchr(kSpecials, p[i])) return true;
    return false;
}

// memmem (glibc's: linear), a window at a time so that the deadline is looked at
// between windows, each charged by its bytes (a one-byte needle is a memchr; longer ones
// can take ~10 ns a byte on a text like "xxxx" for "xx...xy").
const char* plain_find(lua_State* L, const char* s, size_t ls, const char* p, size_t lp) {
    if (lp == 0) return s;
    if (lp > ls) return nullptr;
    size_t bytes_per_unit = lp == 1 ? kCopyBytes : 2;
    size_t window = std::max<size_t>(size_t(1) << 16, 4 * lp);
    for (size_t at = 0;; at += window) {
        size_t length = std::min(window + lp - 1, ls - at);  // every start in [at, at + window)
        charge(L, 1 + length / bytes_per_unit);
        const char* found = static_cast<const char*>(memmem(s + at, length, p, lp));
        if (found) return found;
        if (at + length >= ls) return nullptr;
    }
}

int find_or_match(lua_State* L, bool find) {
    size_t ls = 0, lp = 0;
    const char* s = luaL_checklstring(L, 1, &ls);
    const char* p = luaL_checklstring(L, 2, &lp);
    charge(L, 1 + coercion_cost(L, 3, 3) + lp / kLoopBytes);
    size_t init = start_position(luaL_optinteger(L, 3, 1), ls) - 1;
    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    if (find && (lua_toboolean(L, 4) || !has_specials(p, lp))) {
        const char* found = plain_find(L, s + init, ls - init, p, lp);
        if (!found) {
            luaL_pushfail(L);
            return 1;
        }
        lua_pushinteger(L, found - s + 1);
        lua_pushinteger(L, lua_Integer(size_t(found - s) + lp));
        return 2;
    }
    Matcher m;
    prepare(m, L, s, ls, p + lp);
    bool anchor = lp > 0 && *p == '^';
    if (anchor) ++p;
    const char* start = s + init;
    do {
        m.level = 0;
        m.depth = kMaxDepth;
        const char* e = do_match(m, start, p);
        if (e) {
            flush(m);
            if (!find) return push_captures(m, start, e);
            lua_pushinteger(L, start - s + 1);
            lua_pushinteger(L, e - s);
            return push_captures(m, nullptr, nullptr) + 2;
        }
    } while (start++ < m.text_end && !anchor);
    flush(m);
    luaL_pushfail(L);
    return 1;
}

int str_find(lua_State* L) { return find_or_match(L, true); }
int str_match(lua_State* L) { return find_or_match(L, false); }

// gmatch's iterator. Upvalues: the subject, the pattern, where the next search starts
// (0-based) and where the last match ended (-1: none), so that an empty match right
// after a match is skipped.
int gmatch_next(lua_State* L) {
    size_t ls = 0, lp = 0;
    const char* s = lua_tolstring(L, lua_upvalueindex(1), &ls);
    const char* p = lua_tolstring(L, lua_upvalueindex(2), &lp);
    lua_Integer position = lua_tointeger(L, lua_upvalueindex(3));
    lua_Integer last = lua_tointeger(L, lua_upvalueindex(4));
    charge(L, 1);
    Matcher m;
    prepare(m, L, s, ls, p + lp);
    for (const char* src = s + position; src <= m.text_end; ++src) {
        m.level = 0;
        m.depth = kMaxDepth;
        const char* e = do_match(m, src, p);
        if (e && (last < 0 || e != s + last)) {
            flush(m);
            lua_pushinteger(L, e - s);
            lua_copy(L, -1, lua_upvalueindex(3));
            lua_replace(L, lua_upvalueindex(4));
            return push_captures(m, src, e);
        }
    }
    flush(m);
    lua_pushinteger(L, lua_Integer(ls) + 1);  // done: later calls find nothing at once
    lua_replace(L, lua_upvalueindex(3));
    return 0;
}

int str_gmatch(lua_State* L) {
    size_t ls = 0;
    luaL_checklstring(L, 1, &ls);
    luaL_checkstring(L, 2);
    charge(L, 1 + coercion_cost(L, 3, 3));
    size_t init = start_position(luaL_optinteger(L, 3, 1), ls) - 1;
    if (init > ls) init = ls + 1;
    lua_settop(L, 2);
    lua_pushinteger(L, lua_Integer(init));
    lua_pushinteger(L, -1);
    lua_pushcclosure(L, gmatch_next, 4);
    return 1;
}

// gsub's replacement string: %0 the match, %1-%9 captures, %% a '%'.
void add_replacement_string(Matcher& m, luaL_Buffer* b, const char* s, const char* e) {
    lua_State* L = m.L;
    size_t length = 0;
    const char* text = lua_tolstring(L, 3, &length);
    const char* end = text + length;
    step(m, 1 + length / kCopyBytes);
    for (;;) {
        const char* escape = static_cast<const char*>(std::memchr(text, '%', size_t(end - text)));
        if (!escape) break;
        luaL_addlstring(b, text, size_t(escape - text));
        const char* p = escape + 1;
        if (p < end && *p == '%') {
            luaL_addchar(b, '%');
        } else if (p < end && *p == '0') {
            step(m, size_t(e - s) / kCopyBytes);
            luaL_addlstring(b, s, size_t(e - s));
        } else if (p < end && std::isdigit(static_cast<unsigned char>(*p))) {
            push_capture(m, *p - '1', s, e);
            size_t piece = 0;
            luaL_tolstring(L, -1, &piece);  // a position capture is a number
            lua_remove(L, -2);
            step(m, piece / kCopyBytes);
            luaL_addvalue(b);
        } else {
            luaL_error(L, "invalid use of '%c' in replacement string", '%');
        }
        text = p + 1;
    }
    luaL_addlstring(b, text, size_t(end - text));
}

// Adds the replacement of the match s..e; false when the match was kept as it was.
bool add_value(Matcher& m, luaL_Buffer* b, const char* s, const char* e, int kind) {
    lua_State* L = m.L;
    if (kind == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);
        int count = push_captures(m, s, e);
        flush(m);
        lua_call(L, count, 1);
    } else if (kind == LUA_TTABLE) {
        push_capture(m, 0, s, e);
        flush(m);
        lua_gettable(L, 3);
    } else {
        add_replacement_string(m, b, s, e);
        return true;
    }
    if (!lua_toboolean(L, -1)) {  // nil or false: keep the match
        lua_pop(L, 1);
        step(m, size_t(e - s) / kCopyBytes);
        luaL_addlstring(b, s, size_t(e - s));
        return false;
    }
    if (!lua_isstring(L, -1)) luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    size_t length = 0;
    lua_tolstring(L, -1, &length);
    step(m, length / kCopyBytes);
    luaL_addvalue(b);
    return true;
}

int str_gsub(lua_State* L) {
    size_t ls = 0, lp = 0;
    const char* src = luaL_checklstring(L, 1, &ls);
    const char* p = luaL_checklstring(L, 2, &lp);
    int kind = lua_type(L, 3);
    charge(L, 1 + coercion_cost(L, 4, 4) + lp / kLoopBytes);
    lua_Integer max_n = luaL_optinteger(L, 4, lua_Integer(ls) + 1);
    const char* pat_end = p + lp;
    bool anchor = lp > 0 && *p == '^';
    if (anchor) ++p;
    luaL_argexpected(L, kind == LUA_TNUMBER || kind == LUA_TSTRING || kind == LUA_TFUNCTION || kind == LUA_TTABLE, 3,
                     "string/function/table");
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    Matcher m;
    prepare(m, L, src, ls, pat_end);
    const char* last = nullptr;
    lua_Integer count = 0;
    bool changed = false;
    while (count < max_n) {
        m.level = 0;
        m.depth = kMaxDepth;
        const char* e = do_match(m, src, p);
        if (e && e != last) {
            ++count;
            changed = add_value(m, &b, src, e, kind) || changed;
            src = last = e;
        } else if (src < m.text_end) {
            luaL_addchar(&b, *src++);
            step(m);
        } else {
            break;
        }
        if (anchor) break;
    }
    flush(m);
    if (!changed) {
        lua_pushvalue(L, 1);  // the subject itself
    } else {
        charge(L, size_t(m.text_end - src) / kCopyBytes);
        luaL_addlstring(&b, src, size_t(m.text_end - src));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, count);
    return 2;
}

}  // namespace

void set_pattern_functions(lua_State* L, int index) {
    index = lua_absindex(L, index);
    const luaL_Reg functions[] = {{"find", str_find}, {"match", str_match}, {"gmatch", str_gmatch}, {"gsub", str_gsub}};
    for (const luaL_Reg& f : functions) {
        lua_pushcfunction(L, f.func);
        lua_setfield(L, index, f.name);
    }
}

}  // namespace vitrine::show::lua
