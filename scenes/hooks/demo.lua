-- The demo's hooks: the sandboxed Lua API is show.state, show.time, show.set,
-- show.cue, show.go_to, show.random and show.log (engine/show/hooks.h).

function on_enter(state)
  if state == "attract" then
    -- A slightly different light colour each time the loop starts, from the show's
    -- seeded generator: the same on every run of the show.
    local warm = 0.85 + 0.1 * show.random()
    show.set("sweep.color", {1, warm, warm - 0.1}, 2)
  end
end

function on_touch(node)
  if node ~= "" then show.log("touched " .. node .. " at " .. string.format("%.1f", show.time) .. " s") end
end
