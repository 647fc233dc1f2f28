// The visitor preview: the room as a person standing anywhere sees it — every screen's
// surface (planar quads; mesh screens as modelled) showing its region of the canvas as
// emitted light (unlit: the LED's pixels as they are), in a dark room with a floor —
// as an ordinary scene::Model, so the one renderer draws it from any standpoint.
#pragma once
#include "core/image.h"
#include "room/display_file.h"
#include "scene/model.h"

namespace vitrine::room {

// `canvas`: the rendered canvas (8-bit sRGB RGBA, display.canvas_width x height).
scene::Model visitor_room(const DisplayFile& display, Image8 canvas);

}  // namespace vitrine::room
