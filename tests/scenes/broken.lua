function on_enter(state)
  if state == "attract" then
    show.set("look.exposure", 1
  end
end
