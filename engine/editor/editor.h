// The curator's editor (`vitrine edit SCENE`): a live Session of the scene — the show
// exactly as the kiosk draws it — with Dear ImGui panels over it that only ever issue
// commands of the edit language (engine/edit) to the session's Document: an outliner,
// an inspector, a timeline with a playhead that scrubs the show, the cue list and
// states, the problems of the edited show; a move gizmo and a ruler in the viewport; an
// editor camera beside the show's. Saving writes the document's text (edit::Document).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "editor/ui.h"
#include "scene/orbit.h"
#include "session/session.h"

namespace vitrine::edit {
class Document;
}

namespace vitrine::editor {

class Editor {
public:
    Editor(session::Session& session, edit::Document& document, Ui& ui);

    // The session's window filter: the panels' events, the viewport's clicks (select,
    // gizmo, ruler) and the editor's keys; Alt+click passes through as a visitor's touch.
    bool take(const display::WindowEvent& e);
    // One frame of panels for a window of w x h; the events the editor sends the show
    // (seek, pause, touches, cues) for this step.
    std::vector<session::Event> frame(uint32_t w, uint32_t h, double seconds);
    // The window is closing: true when it may (nothing unsaved, or the curator chose).
    bool may_close();
    bool quit() const { return quit_; }
    const std::string& message() const { return message_; }
    const std::string& selected() const { return selected_; }
    void select(std::string node) { selected_ = std::move(node); }

private:
    // One command of the language for the document. While the panels are being built it
    // is queued and run after them (a command replaces the document's scene, which the
    // panels are reading), and true is returned; else it runs now. Its error becomes the
    // status line.
    bool command(const std::string& line);
    bool run_now(const std::string& line);
    void menu_bar();
    void outliner();
    void inspector();
    void timeline();
    void cues_and_states();
    void problems();
    void viewport();  // gizmo, ruler, selection outline: drawn over the picture
    void quit_dialog();
    void disk_banner();
    std::optional<show::FrameCamera> camera() const;
    show::CameraMatrices matrices() const;
    int frame_node(const std::string& name) const;  // index in the frame last drawn, or -1 (not in it)
    void frame_selected();
    glm::vec2 project(const glm::vec3& p) const;     // window pixels
    void ray(float x, float y, glm::vec3& origin, glm::vec3& dir) const;

    session::Session& session_;
    edit::Document& doc_;
    Ui& ui_;
    std::vector<session::Event> out_;
    bool in_panels_ = false;
    std::vector<std::string> queued_;
    float width_ = 1, height_ = 1;
    std::string selected_;
    std::string message_;
    bool message_error_ = false;
    // Editor camera (C switches): an orbit separate from the show's camera.
    bool editor_camera_ = false;
    scene::Orbit orbit_;
    bool orbit_ready_ = false;
    // The pointer in the viewport.
    enum class Drag { None, Pending, Axis, Orbit, Pan };
    Drag drag_ = Drag::None;
    int axis_ = -1;
    glm::vec2 press_{0}, last_{0}, now_{0};
    float axis_moved_ = 0;  // what the drag did, snapped: metres (move), degrees (turn) or a factor - 1 (scale)
    // The gizmo's tool: W moves along an axis, E turns about it (15° steps), T scales
    // along it (Shift: all three), each snapped unless View > Snap is off.
    enum class Tool { Move, Turn, Scale };
    Tool tool_ = Tool::Move;
    bool uniform_ = false;
    float grid_cm_ = 1;
    bool snap_ = true;
    // A true-scale grid on the floor (y = 0): 10 cm squares, every metre brighter (G).
    bool grid_ = false;
    // Ruler: two picked points.
    bool ruler_ = false;
    std::vector<glm::vec3> ruler_points_;
    // Panels.
    char filter_[64] = "";
    char osc_[128] = "/vitrine/custom/hello";
    char new_cue_[32] = "";
    std::string timeline_name_;
    std::string key_track_;
    double key_time_ = -1;
    std::string snap_target_;
    bool show_quit_ = false, quit_ = false;
    bool disk_changed_ = false;
    double disk_check_ = 0, clock_ = 0;
    float scrub_ = 0;
    float zoom_ = 1;
    int screen_ = -1;  // a wall's screen shown alone, or -1: the canvas  // the timeline's: its duration over this many widths
};

}  // namespace vitrine::editor
