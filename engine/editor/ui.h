// Dear ImGui on our own plumbing: the window's events in (no GLFW callbacks: the window
// hands out WindowEvents), ImGui's draw data out as a display::OverlayList drawn by the
// OverlayPass over the finished picture — so the panels draw on a window and on files
// (tests) alike. Fonts: DejaVu Sans for Latin, a CJK font from Debian (WenQuanYi Micro
// Hei, or Noto Sans CJK) merged in for Chinese; `scale` for high-DPI screens.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "display/overlay.h"
#include "display/window_events.h"

struct ImGuiContext;

namespace vitrine::editor {

class Ui {
public:
    explicit Ui(float scale = 1);
    ~Ui();
    Ui(const Ui&) = delete;
    Ui& operator=(const Ui&) = delete;

    // Feeds one event to ImGui; true when the panels take it (the pointer is over a panel
    // or an item is active; a text field has the keyboard), so the viewport must not.
    bool feed(const display::WindowEvent& e);
    // A frame of panels: begin, ImGui calls, end (the list to draw).
    void begin(float width, float height, double seconds);
    display::OverlayList end();
    // Whether the pointer was over a panel in the last frame (a drag from a panel let go
    // over the picture is not).
    bool over_panel() const;
    // Whether a CJK font was found (Chinese shows as '?' otherwise: said once).
    bool cjk() const { return cjk_; }
    float scale() const { return scale_; }

private:
    ImGuiContext* context_ = nullptr;
    std::shared_ptr<const Image8> atlas_;
    bool cjk_ = false;
    float scale_ = 1;
    bool mouse_over_ui_ = false, keyboard_to_ui_ = false;
    // ImGui 1.86 reads buttons and keys as states once a frame: a press and its release
    // between two frames (a quick click) would never be seen, so such a release waits
    // for the frame after the press.
    bool pressed_[3] = {}, release_later_[3] = {};
    std::vector<int> keys_pressed_, keys_release_later_;
};

}  // namespace vitrine::editor
