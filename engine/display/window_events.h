// What a window hands its command each frame: the user's input as plain events, in the
// order they happened, instead of its GLFW window (no callbacks, no globals).
#pragma once
#include <cstdint>

namespace vitrine::display {

// The keys commands act on; any other key is Other.
enum class Key {
    Other, Escape, Q, F, F11, Enter, Space, Left, Right, R, I,
    // the editor's: text fields and shortcuts
    Tab, Backspace, Delete, Up, Down, Home, End, PageUp, PageDown, A, C, V, X, Y, Z, S, G, W, E, T, F1,
};

// Modifier bits of a key event.
constexpr int kShift = 1, kControl = 2, kAlt = 4;

struct WindowEvent {
    // Key: pressed (again while held: `repeat`); KeyUp: released; Char: a character typed.
    enum class Kind { Press, Release, Move, Scroll, Key, KeyUp, Char };
    Kind kind = Kind::Move;
    int button = 0;          // Press/Release: 0 left, 1 right, 2 middle
    Key key = Key::Other;    // Key, KeyUp
    bool repeat = false;     // Key: held down, not a new press
    int mods = 0;            // Key, KeyUp, Press, Release: kShift | kControl | kAlt
    uint32_t codepoint = 0;  // Char: Unicode
    double x = 0, y = 0;     // the cursor, in window coordinates (y down), when it happened
    double scroll = 0;       // Scroll: wheel steps, up positive
    double width = 0, height = 0;  // the window's size then (window coordinates)
};

}  // namespace vitrine::display
