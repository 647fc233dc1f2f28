// The Lua hook sandbox (engine/show/hooks.h): the API reaches the show, everything else
// is refused, and every failure is a one-line error after which the hooks still run.
#include "show/hooks.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

namespace vitrine::show {
namespace {

// Records what the hooks asked of the show, in order.
class FakeApi : public HookApi {
public:
    std::string state_name = "intro";
    double now = 12.5;
    double wall = 1700000000.0;
    std::vector<double> randoms = {0.25, 0.5, 0.75, 0.999};
    std::string set_error;  // when not empty, set() fails with it
    std::vector<std::string> calls;

    std::string state() override { return state_name; }
    double time() override { return now; }
    double wall_time() override { return wall; }
    double random() override {
        calls.push_back("random");
        return randoms[next_random_++ % randoms.size()];
    }
    Result<void> set(const std::string& path, const std::vector<float>& value, double fade) override {
        std::string text = "set " + path;
        for (float v : value) text += " " + number(v);
        calls.push_back(text + " fade " + number(fade));
        if (!set_error.empty()) return fail(set_error);
        return {};
    }
    Result<void> cue(const std::string& id) override {
        calls.push_back("cue " + id);
        return {};
    }
    Result<void> go_to(const std::string& state) override {
        calls.push_back("goto " + state);
        return {};
    }
    void log(const std::string& line) override { calls.push_back("log " + line); }

private:
    static std::string number(double v) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", v);
        return text;
    }
    size_t next_random_ = 0;
};

std::unique_ptr<Hooks> load_ok(const std::string& source, const HookLimits& limits = {}) {
    auto hooks = Hooks::load("hooks/test.lua", source, limits);
    EXPECT_TRUE(hooks.ok()) << (hooks.ok() ? "" : hooks.error().message);
    return hooks.ok() ? std::move(*hooks) : nullptr;
}

TEST(Hooks, EveryApiFunctionReachesTheShowInOrder) {
    auto hooks = load_ok(R"(
function on_cue(id)
  show.log("cue " .. id .. " in " .. show.state .. " at " .. show.time)
  show.set("lamp.intensity", 2)
  show.set("lamp.color", {1, 0.5, 0.25}, 1.5)
  show.cue("3.1")
  show.cue(3)
  show.cue(4.0)
  show.go_to("outro")
  print("r", show.random(), math.random(), math.random(10), math.random(5, 6))
  print(os.time(), math.type(os.time()), os.clock())
end
)");
    ASSERT_TRUE(hooks);
    EXPECT_TRUE(hooks->defines("on_cue"));
    EXPECT_FALSE(hooks->defines("on_enter"));
    FakeApi api;
    Result<void> r = hooks->on_cue("7", api);
    ASSERT_TRUE(r.ok()) << r.error().message;
    std::vector<std::string> expected = {
        "log cue 7 in intro at 12.5",
        "set lamp.intensity 2 fade 0",
        "set lamp.color 1 0.5 0.25 fade 1.5",
        "cue 3.1",
        "cue 3",
        "cue 4",
        "goto outro",
        "random",
        "random",
        "random",
        "random",
        // 0.25, 0.5, then 0.75 -> 1 + floor(0.75 * 10) = 8, then 0.999 -> 5 + floor(0.999 * 2) = 6
        "log r\t0.25\t0.5\t8\t6",
        "log 1700000000\tinteger\t12.5",
    };
    EXPECT_EQ(api.calls, expected);
    // Undefined hooks are fine.
    EXPECT_TRUE(hooks->on_enter("intro", api).ok());
    EXPECT_TRUE(hooks->on_touch("door", api).ok());
}

TEST(Hooks, StateAndTimeAreRefreshedBeforeEachCall) {
    auto hooks = load_ok("function on_enter(s) show.log(s .. ' ' .. show.state .. ' ' .. show.time) end");
    ASSERT_TRUE(hooks);
    FakeApi api;
    ASSERT_TRUE(hooks->on_enter("a", api).ok());
    api.state_name = "b";
    api.now = 3;
    ASSERT_TRUE(hooks->on_enter("b", api).ok());
    EXPECT_EQ(api.calls, (std::vector<std::string>{"log a intro 12.5", "log b b 3.0"}));
}

TEST(Hooks, HooksKeepTheirOwnGlobals) {
    auto hooks = load_ok("count = 0\nfunction on_touch(node) count = count + 1; show.log(node .. count) end");
    ASSERT_TRUE(hooks);
    FakeApi api;
    ASSERT_TRUE(hooks->on_touch("door", api).ok());
    ASSERT_TRUE(hooks->on_touch("door", api).ok());
    EXPECT_EQ(api.calls, (std::vector<std::string>{"log door1", "log door2"}));
}

TEST(Hooks, SyntaxErrorNamesFileAndLine) {
    auto hooks = Hooks::load("hooks/test.lua", "function on_cue(id)\n  x = = 1\nend\n");
    ASSERT_FALSE(hooks.ok());
    const std::string& m = hooks.error().message;
    EXPECT_EQ(m.rfind("hooks/test.lua:2:1: lua syntax error: ", 0), 0u) << m;
    EXPECT_NE(m.find("near '='"), std::string::npos) << m;
}

TEST(Hooks, BytecodeFileIsRefused) {
    auto hooks = Hooks::load("hooks/test.lua", std::string("\x1bLua\x54", 5));
    ASSERT_FALSE(hooks.ok());
    EXPECT_NE(hooks.error().message.find("lua syntax error: attempt to load a binary chunk"), std::string::npos)
        << hooks.error().message;
}

TEST(Hooks, RuntimeErrorHasFileLineAndHook) {
    auto hooks = load_ok("function on_cue(id)\n\n  error('boom')\nend\n");
    ASSERT_TRUE(hooks);
    FakeApi api;
    Result<void> r = hooks->on_cue("1", api);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "hooks/test.lua:3: hook on_cue: boom");
}

TEST(Hooks, NonFunctionHookIsAnError) {
    auto hooks = load_ok("on_cue = 5");
    ASSERT_TRUE(hooks);
    FakeApi api;
    Result<void> r = hooks->on_cue("1", api);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("hook on_cue: on_cue is not a function"), std::string::npos) << r.error().message;
    EXPECT_FALSE(hooks->defines("on_cue"));
}

// Each bad hook body is stopped with a clear error on its line, and the next call on
// the same Hooks still works.
struct Refusal {
    const char* body;
    std::vector<const char*> expected;  // substrings of the message
};

TEST(Hooks, SandboxRefusalsLeaveTheHooksUsable) {
    const Refusal refusals[] = {
        {"io.open('/etc/passwd')", {"global 'io'"}},
        {"os.execute('ls')", {"nil", "execute"}},
        {"require('os')", {"nil", "require"}},
        {"load(string.dump(function() end))", {"attempt to call a nil value"}},
        {"loadfile('/etc/passwd')", {"attempt to call a nil value", "loadfile"}},
        {"dofile('/etc/passwd')", {"attempt to call a nil value", "dofile"}},
        {"collectgarbage()", {"attempt to call a nil value", "collectgarbage"}},
        {"debug.getinfo(1)", {"global 'debug'"}},
        {"package.loadlib('x', 'y')", {"global 'package'"}},
        {"math.randomseed(1)", {"attempt to call a nil value"}},
        {"rawset(show, 'set', print)", {"attempt to call a nil value", "rawset"}},
        {"getmetatable('').__index.rep = nil", {"attempt to index a nil value"}},
        {"string.rep('x', 1 << 30)", {"memory ceiling of 16 MiB reached"}},
        {"while true do end", {"work budget of 10000000 exceeded (endless loop or too much work?)"}},
        {"while true do pcall(function() while true do end end) end", {"work budget of 10000000 exceeded"}},
        {"local t = {} local i = 1 while true do t[i] = i i = i + 1 end", {"memory ceiling of 16 MiB reached"}},
        {"local t = {} for i = 1, 1e8 do t[#t + 1] = 'item ' .. i end", {"memory ceiling"}},
        {"setmetatable(show, {})", {"protected metatable"}},
        {"setmetatable({}, {__gc = function() while true do end end})", {"__gc is not available in hooks"}},
        {"show.x = 1", {"show is read-only (cannot set show.x)"}},
        {"show.set = nil", {"read-only"}},
        {"show.set('a', 'red')", {"show.set: value must be a number or a list of numbers"}},
        {"show.set('a', {1, 'x'})", {"show.set: value must be a number or a list of numbers"}},
        {"show.cue({})", {"show.cue: id must be a string or a number"}},
        {"error({})", {"error object is a table value"}},
    };
    for (const Refusal& refusal : refusals) {
        SCOPED_TRACE(refusal.body);
        auto hooks = load_ok(std::string("function on_enter(s) show.log('fine ' .. s) end\n"
                                         "function on_cue(id)\n  ") +
                             refusal.body + "\nend\n");
        ASSERT_TRUE(hooks);
        FakeApi api;
        Result<void> r = hooks->on_cue("1", api);
        ASSERT_FALSE(r.ok());
        const std::string& m = r.error().message;
        EXPECT_EQ(m.rfind("hooks/test.lua:3: hook on_cue: ", 0), 0u) << m;
        for (const char* part : refusal.expected) EXPECT_NE(m.find(part), std::string::npos) << m;
        EXPECT_TRUE(hooks->on_enter("again", api).ok());
        EXPECT_EQ(api.calls.back(), "log fine again");
        // What the failed call built is given back (Lua's string table shrinks by halves).
        EXPECT_LT(hooks->memory_in_use(), size_t(4) << 20);
    }
}

TEST(Hooks, EndlessLoopStopsQuickly) {
    auto hooks = load_ok("function on_cue(id) while true do end end");
    ASSERT_TRUE(hooks);
    FakeApi api;
    auto start = std::chrono::steady_clock::now();
    Result<void> r = hooks->on_cue("1", api);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message,
              "hooks/test.lua:1: hook on_cue: work budget of 10000000 exceeded (endless loop or too much work?)");
    EXPECT_LT(seconds, 2.0);
    // The budget is per call: a fresh call gets all of it again.
    auto counting = load_ok("function on_cue(id) for i = 1, 1000000 do end end");
    ASSERT_TRUE(counting);
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(counting->on_cue("1", api).ok());
}

TEST(Hooks, RecursionBombIsStopped) {
    const char* source = "local function f(n) return 1 + f(n + 1) end\nfunction on_cue(id) f(1) end\n"
                         "function on_enter(s) show.log('fine') end\n";
    for (size_t memory : {size_t(16) << 20, size_t(256) << 20}) {  // the ceiling first; then Lua's own limit
        auto hooks = load_ok(source, HookLimits{memory, 100'000'000});
        ASSERT_TRUE(hooks);
        FakeApi api;
        Result<void> r = hooks->on_cue("1", api);
        ASSERT_FALSE(r.ok());
        const std::string& m = r.error().message;
        EXPECT_EQ(m.rfind("hooks/test.lua:1: hook on_cue: ", 0), 0u) << m;
        bool stopped = m.find("stack overflow") != std::string::npos || m.find("memory ceiling") != std::string::npos;
        EXPECT_TRUE(stopped) << m;
        EXPECT_TRUE(hooks->on_enter("x", api).ok());
    }
}

TEST(Hooks, RunawayTopLevelFailsTheLoad) {
    auto hooks = Hooks::load("hooks/test.lua", "local x = 1\nwhile true do x = x + 1 end\n");
    ASSERT_FALSE(hooks.ok());
    EXPECT_EQ(hooks.error().message,
              "hooks/test.lua:2: hook file: work budget of 10000000 exceeded (endless loop or too much work?)");
    auto big = Hooks::load("hooks/test.lua", "t = {}\nfor i = 1, 1e8 do t[i] = i end\n");
    ASSERT_FALSE(big.ok());
    EXPECT_EQ(big.error().message, "hooks/test.lua:2: hook file: memory ceiling of 16 MiB reached");
}

TEST(Hooks, ShowApiIsOnlyForHookCalls) {
    auto hooks = Hooks::load("hooks/test.lua", "show.cue('1')");
    ASSERT_FALSE(hooks.ok());
    EXPECT_NE(hooks.error().message.find("hooks/test.lua:1: hook file: show.cue is only available inside"),
              std::string::npos)
        << hooks.error().message;
}

TEST(Hooks, ApiErrorIsRaisedAtTheHooksLine) {
    auto hooks = load_ok("function on_cue(id)\n  local ok, e = pcall(show.set, 'x', 1)\n  show.log(e)\n"
                         "  show.set('nowhere.color', {1, 2, 3})\nend\n");
    ASSERT_TRUE(hooks);
    FakeApi api;
    api.set_error = "no property 'nowhere.color'";
    Result<void> r = hooks->on_cue("1", api);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "hooks/test.lua:4: hook on_cue: no property 'nowhere.color'");
    // The hook could catch it, too.
    EXPECT_EQ(api.calls[1], "log no property 'nowhere.color'");
}

// A hook's show.cue may run on_cue again (the show fires the cue's hook).
class ReentrantApi : public FakeApi {
public:
    Hooks* hooks = nullptr;
    Result<void> cue(const std::string& id) override {
        (void)FakeApi::cue(id);
        return hooks->on_cue(id, *this);
    }
};

TEST(Hooks, NestedCallsKeepTheOuterCallWorking) {
    auto hooks =
        load_ok("function on_cue(id)\n  if id == '1' then show.cue('2') end\n  show.log('done ' .. id)\nend\n");
    ASSERT_TRUE(hooks);
    ReentrantApi api;
    api.hooks = hooks.get();
    ASSERT_TRUE(hooks->on_cue("1", api).ok());
    EXPECT_EQ(api.calls, (std::vector<std::string>{"cue 2", "log done 2", "log done 1"}));
}

TEST(Hooks, MemoryStaysBoundedOverManyCalls) {
    auto hooks = load_ok("function on_cue(id) local t = {id, show.state, tostring(show.time)} "
                         "show.set('a.b', {1, 2, 3}) return table.concat(t) end");
    ASSERT_TRUE(hooks);
    FakeApi api;
    ASSERT_TRUE(hooks->on_cue("warm", api).ok());
    size_t start = hooks->memory_in_use();
    for (int i = 0; i < 10000; ++i) {
        api.calls.clear();
        ASSERT_TRUE(hooks->on_cue(std::to_string(i), api).ok());
    }
    EXPECT_GT(hooks->memory_in_use(), 0u);
    EXPECT_LT(hooks->memory_in_use(), start + (size_t(1) << 20));
}

}  // namespace

// show.data: saved as plain values (integers and floats apart, nested tables, any
// strings) and restored into hooks whose top level has run afresh, in the same table.
TEST(HookState, ShowDataIsSavedAndRestoredIntoFreshHooks) {
    const char* source = R"(
local data = show.data
data.n = data.n or 0
function on_cue(id)
  data.n = data.n + 1
  data.half = data.n / 2
  data.name = "cue " .. id .. "\0!"
  data.deep = {list = {1, 2.5, "three", true}, [7] = {x = false}}
  show.set("a.translation", {data.n, data.half, #data.deep.list})
end
)";
    auto first = load_ok(source);
    ASSERT_TRUE(first);
    FakeApi api;
    ASSERT_TRUE(first->on_cue("4", api));
    ASSERT_TRUE(first->on_cue("5", api));
    EXPECT_EQ(first->state_outside_data(), "");  // show.data (and its alias) is not "outside"
    auto saved = first->save();
    ASSERT_TRUE(saved.ok()) << saved.error().message;
    auto again = first->save();
    EXPECT_EQ(saved->data, again->data);  // the same data, the same bytes

    auto second = load_ok(source);
    ASSERT_TRUE(second);
    ASSERT_TRUE(second->restore(*saved));
    auto resaved = second->save();
    ASSERT_TRUE(resaved.ok());
    EXPECT_EQ(resaved->data, saved->data);
    api.calls.clear();
    ASSERT_TRUE(second->on_cue("6", api));
    ASSERT_EQ(api.calls.size(), 1u);
    EXPECT_EQ(api.calls[0], "set a.translation 3 1.5 4 fade 0");  // went on from n = 2: the alias sees it
    EXPECT_EQ(second->state_outside_data(), "");
}

TEST(HookState, ShowDataRefusesWhatCannotBeSaved) {
    struct Case {
        const char* code;
        const char* message;
    } cases[] = {
        {"show.data.f = print", "show.data.f holds a function"},
        {"show.data.t = {{}, setmetatable({}, {})}", "show.data.t[2] has a metatable"},
        {"local t = {} t.me = t show.data.loop = t", "show.data.loop.me is a table met twice"},
        {"local t = {} show.data.a = t show.data.b = t", "is a table met twice"},
        {"show.data[{}] = 1", "a key must be a number, a string or a boolean"},
        {"show.data.big = string.rep('x', 300000)", "show.data takes 300030 bytes saved, more than 256 KiB"},
    };
    for (const Case& c : cases) {
        auto hooks = load_ok(std::string("function on_cue(id) ") + c.code + " end\n");
        ASSERT_TRUE(hooks);
        FakeApi api;
        ASSERT_TRUE(hooks->on_cue("1", api)) << c.code;
        auto saved = hooks->save();
        ASSERT_FALSE(saved.ok()) << c.code;
        EXPECT_NE(saved.error().message.find(c.message), std::string::npos) << saved.error().message;
        EXPECT_EQ(saved.error().message.rfind("hooks/test.lua: ", 0), 0u) << saved.error().message;
    }
}

// State outside show.data is found, and named: globals, tables reachable from them,
// chunk-level locals (upvalues), library tables; reads and locals inside a call are not.
TEST(HookState, StateOutsideShowDataIsFoundAndNamed) {
    struct Case {
        const char* source;
        const char* found;  // "" : nothing outside
    } cases[] = {
        {"count = 0\nfunction on_cue(id) count = count + 1 end\n", "global 'count'"},
        {"function on_cue(id) last = id end\n", "global 'last'"},
        {"seen = {}\nfunction on_cue(id) seen[id] = true end\n", "global 'seen'"},
        {"local n = 0\nfunction on_cue(id) n = n + 1 end\n", "upvalue 'n' of on_cue"},
        {"local t = {}\nfunction on_cue(id) t[#t + 1] = id end\n", "upvalue 't' of on_cue"},
        {"function on_cue(id) string.extra = id end\n", "global 'string'"},
        {"function on_cue(id) on_enter = function() end end\n", "global 'on_enter'"},
        {"config = {speed = 2}\nfunction on_cue(id) local x = config.speed * 2 local y = {x} show.data.x = y[1] end\n", ""},
        {"local d = show.data\nfunction on_cue(id) d.k = (d.k or 0) + 1 end\n", ""},
        {"function on_cue(id) local tmp = {} for i = 1, 10 do tmp[i] = i end end\n", ""},
    };
    for (const Case& c : cases) {
        auto hooks = load_ok(c.source);
        ASSERT_TRUE(hooks);
        EXPECT_EQ(hooks->state_outside_data(), "") << c.source;  // as the top level left it
        FakeApi api;
        ASSERT_TRUE(hooks->on_cue("1", api)) << c.source;
        ASSERT_TRUE(hooks->on_cue("2", api)) << c.source;
        EXPECT_EQ(hooks->state_outside_data(), c.found) << c.source;
    }
}

}  // namespace vitrine::show
