#include "editor/editor.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <glm/gtc/matrix_transform.hpp>
#include <imgui.h>

#include "core/log.h"
#include "edit/document.h"
#include "edit/yaml_text.h"

namespace vitrine::editor {

using display::Key;
using display::WindowEvent;

Editor::Editor(session::Session& session, edit::Document& document, Ui& ui)
    : session_(session), doc_(document), ui_(ui) {}

bool Editor::command(const std::string& line) {
    if (in_panels_) {
        queued_.push_back(line);
        return true;
    }
    return run_now(line);
}

bool Editor::run_now(const std::string& line) {
    auto r = doc_.apply(line);
    message_ = r ? line : r.error().message;
    message_error_ = !r;
    if (!r) log::warn("edit: " + line + ": " + r.error().message);
    return bool(r);
}

int Editor::frame_node(const std::string& name) const {
    const show::LoadedScene* scene = session_.stage().scene;
    int node = scene && !name.empty() ? scene->file.node_index(name) : -1;
    // The frame last drawn may be of the version before a reload (or none yet): only a
    // node it has is placed.
    return node >= 0 && size_t(node) < session_.frame().world.size() ? node : -1;
}

std::optional<show::FrameCamera> Editor::camera() const {
    if (!editor_camera_) return std::nullopt;
    show::FrameCamera c;
    c.world = glm::inverse(orbit_.view());
    c.yfov = orbit_.yfov;
    c.znear = 0.01f;
    c.orbit = true;
    return c;
}

show::CameraMatrices Editor::matrices() const {
    show::Frame f;  // only the camera matters to camera_view
    f.camera = editor_camera_ ? *camera() : session_.frame().camera;
    f.min = session_.frame().min, f.max = session_.frame().max, f.empty = session_.frame().empty;
    return show::camera_view(f, width_ / height_);
}

glm::vec2 Editor::project(const glm::vec3& p) const {
    show::CameraMatrices m = matrices();
    glm::vec4 c = m.proj * m.view * glm::vec4(p, 1);
    if (c.w <= 1e-6f) return {-1e6f, -1e6f};
    // Vulkan clip space: y down in the picture.
    return {(c.x / c.w * 0.5f + 0.5f) * width_, (c.y / c.w * 0.5f + 0.5f) * height_};
}

void Editor::ray(float x, float y, glm::vec3& origin, glm::vec3& dir) const {
    show::CameraMatrices m = matrices();
    glm::mat4 inv = glm::inverse(m.proj * m.view);
    float nx = x / width_ * 2 - 1, ny = y / height_ * 2 - 1;
    glm::vec4 a = inv * glm::vec4(nx, ny, 0, 1), b = inv * glm::vec4(nx, ny, 0.5f, 1);
    origin = glm::vec3(a) / a.w;
    dir = glm::normalize(glm::vec3(b) / b.w - origin);
}

void Editor::frame_selected() {
    const show::Frame& f = session_.frame();
    int node = frame_node(selected_);
    glm::vec3 lo = f.min, hi = f.max;
    for (const show::FrameModel& m : f.models)
        if (node >= 0 && m.node == node && !m.empty) lo = m.min, hi = m.max;
    orbit_.target = (lo + hi) * 0.5f;
    float r = std::max(0.05f, glm::length(hi - lo) * 0.5f);
    orbit_.distance = r / std::sin(orbit_.yfov * 0.5f);
    editor_camera_ = true;
}

bool Editor::take(const WindowEvent& e) {
    using Kind = WindowEvent::Kind;
    bool ui = ui_.feed(e);
    now_ = {float(e.x), float(e.y)};
    if (e.kind == Kind::Key || e.kind == Kind::KeyUp || e.kind == Kind::Char) {
        if (ui) return true;
        if (e.kind != Kind::Key) return true;
        bool ctrl = e.mods & display::kControl;
        if (ctrl && e.key == Key::Z) command(e.mods & display::kShift ? "redo" : "undo");
        else if (ctrl && e.key == Key::Y) command("redo");
        else if (ctrl && e.key == Key::S) command("save");
        else if (ctrl && e.key == Key::Q) show_quit_ = true;
        else if (e.key == Key::Escape) show_quit_ = true;
        else if (e.repeat) return true;
        else if (e.key == Key::F) frame_selected();
        else if (e.key == Key::C) {
            if (!orbit_ready_ || !editor_camera_) frame_selected();
            else editor_camera_ = false;
        } else if (e.key == Key::R) ruler_ = !ruler_, ruler_points_.clear();
        else if (e.key == Key::G) grid_ = !grid_;
        else if (e.key == Key::W) tool_ = Tool::Move;
        else if (e.key == Key::E) tool_ = Tool::Turn;
        else if (e.key == Key::T) tool_ = Tool::Scale;
        else if (e.key == Key::Space)
            out_.push_back({session_.clock().paused() ? session::Event::Kind::Resume : session::Event::Kind::Pause});
        else if (e.key == Key::Delete && !selected_.empty()) {
            if (command("node delete " + selected_)) selected_.clear();
        } else if (e.key == Key::F11 || e.key == Key::I) return false;  // the session's: fullscreen, status panel
        return true;
    }
    // An asset dragged from the outliner and let go over the picture: an instance
    // standing on the floor where the pointer points.
    if (e.kind == Kind::Release && e.button == 0) {
        const ImGuiPayload* payload = ImGui::GetDragDropPayload();
        if (payload && payload->IsDataType("asset") && !ui_.over_panel()) {
            std::string asset(static_cast<const char*>(payload->Data), size_t(payload->DataSize));
            glm::vec3 o, dir;
            ray(now_.x, now_.y, o, dir);
            glm::vec3 p(0);
            if (dir.y < -1e-4f) p = o + dir * (-o.y / dir.y);  // the floor, y = 0
            float step = snap_ ? grid_cm_ / 100 : 0.001f;
            p = glm::round(p / step) * step;
            std::string name = asset;
            for (int k = 2; doc_.scene().node_index(name) >= 0; ++k) name = asset + "_" + std::to_string(k);
            if (command("node add model " + name + " " + asset + " at " + edit::number(p.x) + " 0 " + edit::number(p.z)))
                selected_ = name;
            return true;
        }
    }
    if (ui && drag_ == Drag::None) return true;
    // Alt+click: a visitor's touch, as the show would get it.
    if ((e.kind == Kind::Press || e.kind == Kind::Release) && (e.mods & display::kAlt)) return false;
    switch (e.kind) {
        case Kind::Press:
            press_ = last_ = now_;
            if (e.button == 1) drag_ = Drag::Orbit;
            else if (e.button == 2) drag_ = Drag::Pan;
            else {
                drag_ = Drag::Pending;
                // On a gizmo axis: drag along it.
                int node = frame_node(selected_);
                if (node >= 0 && !ruler_) {
                    glm::vec3 p = glm::vec3(session_.frame().world[size_t(node)][3]);
                    glm::vec2 o = project(p);
                    float len = 0.12f * glm::length(p - glm::vec3(glm::inverse(matrices().view)[3]));
                    for (int k = 0; k < 3; ++k) {
                        glm::vec3 axis(0);
                        axis[k] = len;
                        glm::vec2 end = project(p + axis), d = end - o;
                        float l2 = glm::dot(d, d);
                        if (l2 < 1) continue;
                        float t = std::clamp(glm::dot(now_ - o, d) / l2, 0.0f, 1.0f);
                        if (glm::length(now_ - (o + t * d)) < 8 * ui_.scale() && t > 0.2f) {
                            drag_ = Drag::Axis;
                            axis_ = k;
                            axis_moved_ = 0;
                            uniform_ = e.mods & display::kShift;
                        }
                    }
                }
            }
            return true;
        case Kind::Move: {
            glm::vec2 d = now_ - last_;
            last_ = now_;
            if (drag_ == Drag::Orbit && editor_camera_) {
                orbit_.yaw -= d.x * 0.008f;
                orbit_.pitch = std::clamp(orbit_.pitch + d.y * 0.008f, -1.5f, 1.5f);
            } else if (drag_ == Drag::Pan && editor_camera_) {
                glm::mat4 w = glm::inverse(orbit_.view());
                float s = orbit_.distance * 0.0015f;
                orbit_.target += -glm::vec3(w[0]) * d.x * s + glm::vec3(w[1]) * d.y * s;
            } else if (drag_ == Drag::Axis) {
                int node = frame_node(selected_);
                if (node >= 0) {
                    glm::vec3 p = glm::vec3(session_.frame().world[size_t(node)][3]);
                    glm::vec3 axis(0);
                    axis[axis_] = 1;
                    glm::vec2 o = project(p), one = project(p + axis * 0.1f) - o;  // pixels per 10 cm
                    float l2 = glm::dot(one, one);
                    if (l2 > 1e-6f) {
                        float along = glm::dot(now_ - press_, one) / std::sqrt(l2);  // pixels along the axis
                        if (tool_ == Tool::Move) {
                            float metres = along / std::sqrt(l2) * 0.1f;
                            float step = snap_ ? grid_cm_ / 100 : 0.001f;
                            axis_moved_ = std::round(metres / step) * step;
                        } else if (tool_ == Tool::Turn) {
                            float step = snap_ ? 15.0f : 1.0f;  // degrees
                            axis_moved_ = std::round(along * 0.5f / step) * step;
                        } else {
                            float step = snap_ ? 0.05f : 0.01f;  // of the size
                            axis_moved_ = std::max(-0.95f, std::round(along / 200 / step) * step);
                        }
                    }
                }
            }
            return true;
        }
        case Kind::Scroll:
            if (editor_camera_) orbit_.distance = std::max(0.02f, orbit_.distance * std::pow(0.9f, float(e.scroll)));
            return true;
        case Kind::Release: {
            Drag was = drag_;
            drag_ = Drag::None;
            if (was == Drag::Axis && axis_moved_ != 0 && frame_node(selected_) >= 0) {
                glm::vec3 d(0);
                d[axis_] = axis_moved_;
                auto words = [](glm::vec3 v) { return edit::number(v.x) + " " + edit::number(v.y) + " " + edit::number(v.z); };
                if (tool_ == Tool::Move) {
                    // The move in the world, in the node's parent's frame (what `translation` is in).
                    int node = frame_node(selected_);
                    int parent = session_.stage().scene->file.nodes[size_t(node)].parent;
                    if (parent >= 0) d = glm::inverse(glm::mat3(session_.frame().world[size_t(parent)])) * d;
                    command("move " + selected_ + " " + words(d));
                } else if (tool_ == Tool::Turn) {
                    command("turn " + selected_ + " " + words(d));  // about the node's own Euler axis
                } else if (int i = doc_.scene().node_index(selected_); i >= 0) {
                    glm::vec3 scale = doc_.scene().nodes[size_t(i)].scale;
                    if (uniform_) scale *= 1 + axis_moved_;
                    else scale[axis_] *= 1 + axis_moved_;
                    command("set " + selected_ + ".scale " + edit::numbers({scale.x, scale.y, scale.z}));
                }
                axis_moved_ = 0;
                return true;
            }
            if (was != Drag::Pending || glm::length(now_ - press_) > 4) return true;
            // A click: select what is under it (through the camera in use), or a ruler point.
            show::Frame f = session_.frame();
            if (auto c = camera()) f.camera = *c;
            int hit = show::pick(f, width_ / height_, now_.x / width_, now_.y / height_);
            const show::LoadedScene* scene = session_.stage().scene;
            if (ruler_) {
                glm::vec3 o, dir;
                ray(now_.x, now_.y, o, dir);
                for (const show::FrameModel& m : f.models) {
                    if (m.node != hit || m.empty) continue;
                    // The ray's entry into the model's box: the point measured from.
                    glm::vec3 inv = 1.0f / dir, t0 = (m.min - o) * inv, t1 = (m.max - o) * inv;
                    glm::vec3 lo = glm::min(t0, t1), hi = glm::max(t0, t1);
                    float near = std::max({lo.x, lo.y, lo.z}), far = std::min({hi.x, hi.y, hi.z});
                    if (near <= far && far > 0) {
                        if (ruler_points_.size() == 2) ruler_points_.clear();
                        ruler_points_.push_back(o + dir * std::max(near, 0.0f));
                    }
                }
                return true;
            }
            selected_ = hit >= 0 && scene ? scene->file.nodes[size_t(hit)].name : std::string();
            return true;
        }
        default: return true;
    }
}

std::vector<session::Event> Editor::frame(uint32_t w, uint32_t h, double seconds) {
    width_ = float(std::max(1u, w));
    height_ = float(std::max(1u, h));
    clock_ += seconds;
    if (!orbit_ready_ && !session_.frame().empty) {
        // The editor camera starts where the show's looks from.
        const show::Frame& f = session_.frame();
        glm::mat4 world = session_.frame().camera.world;
        glm::vec3 eye = world[3], forward = -glm::vec3(world[2]);
        orbit_.target = (f.min + f.max) * 0.5f;
        orbit_.distance = std::max(0.1f, glm::length(orbit_.target - eye));
        orbit_.yaw = std::atan2(-forward.x, -forward.z);
        orbit_.pitch = std::asin(std::clamp(-forward.y, -1.0f, 1.0f));
        orbit_.yfov = f.camera.yfov;
        orbit_ready_ = true;
    }
    if (clock_ - disk_check_ > 1) {  // the file edited elsewhere?
        disk_check_ = clock_;
        if (doc_.changed_on_disk()) {
            if (!doc_.unsaved()) {
                if (auto r = doc_.reload(); r) message_ = "reloaded " + doc_.path().string() + " (changed on disk)";
            } else {
                disk_changed_ = true;
            }
        }
    }
    doc_.set_time(session_.show().now());
    ui_.begin(width_, height_, seconds);
    in_panels_ = true;
    menu_bar();
    outliner();
    inspector();
    timeline();
    cues_and_states();
    problems();
    viewport();
    disk_banner();
    in_panels_ = false;
    quit_dialog();  // runs its save now: it reads nothing of the scene
    session_.set_overlay(ui_.end());
    std::vector<std::string> queued;
    queued.swap(queued_);
    for (const std::string& line : queued) run_now(line);
    session_.set_camera(camera());
    std::vector<session::Event> out;
    out.swap(out_);
    return out;
}

bool Editor::may_close() {
    if (!doc_.unsaved()) return true;
    show_quit_ = true;
    return false;
}

void Editor::menu_bar() {
    if (!ImGui::BeginMainMenuBar()) return;
    if (ImGui::BeginMenu("File")) {
        if (ImGui::MenuItem("Save", "Ctrl+S")) command("save");
        if (ImGui::MenuItem("Save with problems")) command("save force");
        if (ImGui::MenuItem("Reload from disk")) {
            if (auto r = doc_.reload(); !r) message_ = r.error().message, message_error_ = true;
        }
        if (ImGui::MenuItem("Quit", "Esc")) show_quit_ = true;
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Edit")) {
        if (ImGui::MenuItem("Undo", "Ctrl+Z", false, doc_.undo_depth() > 0)) command("undo");
        if (ImGui::MenuItem("Redo", "Ctrl+Y", false, doc_.redo_depth() > 0)) command("redo");
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        if (ImGui::MenuItem("Editor camera", "C", editor_camera_)) {
            if (editor_camera_) editor_camera_ = false;
            else frame_selected();
        }
        if (ImGui::MenuItem("Frame selected", "F")) frame_selected();
        if (ImGui::MenuItem("Ruler", "R", ruler_)) ruler_ = !ruler_, ruler_points_.clear();
        ImGui::MenuItem("Floor grid (10 cm)", "G", &grid_);
        if (ImGui::MenuItem("Move (gizmo)", "W", tool_ == Tool::Move)) tool_ = Tool::Move;
        if (ImGui::MenuItem("Turn (gizmo)", "E", tool_ == Tool::Turn)) tool_ = Tool::Turn;
        if (ImGui::MenuItem("Scale (gizmo; Shift: all axes)", "T", tool_ == Tool::Scale)) tool_ = Tool::Scale;
        ImGui::MenuItem("Snap (1 cm, 15°, 5 %)", nullptr, &snap_);
        // On a wall: the whole canvas, or one screen of it filling the window.
        if (const room::DisplayFile* wall = session_.display(); wall && !wall->lenticular) {
            ImGui::Separator();
            if (ImGui::MenuItem("Wall: the whole canvas", nullptr, screen_ < 0)) screen_ = -1;
            int planar = 0;
            for (const room::Screen& sc : wall->screens) {
                if (!sc.planar) continue;
                if (ImGui::MenuItem(("Wall: screen " + sc.name).c_str(), nullptr, screen_ == planar)) screen_ = planar;
                ++planar;
            }
            session_.set_screen(screen_);
        }
        ImGui::EndMenu();
    }
    ImGui::Separator();
    ImGui::TextUnformatted(doc_.path().filename().string().c_str());
    if (doc_.unsaved()) ImGui::TextColored(ImVec4(1, 0.8f, 0.3f, 1), "unsaved");
    ImGui::TextDisabled("| %s camera | %s |", editor_camera_ ? "editor" : "show",
                        tool_ == Tool::Move ? "move" : tool_ == Tool::Turn ? "turn" : "scale");
    if (!message_.empty()) {
        if (message_error_) ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", message_.c_str());
        else ImGui::TextDisabled("%s", message_.c_str());
    }
    ImGui::EndMainMenuBar();
}

void Editor::viewport() {
    if (grid_) {
        // Behind the panels: lines of the floor 4 m around the scene's centre, each cut to
        // the part in front of the camera.
        ImDrawList* bg = ImGui::GetBackgroundDrawList();
        const show::Frame& f = session_.frame();
        glm::vec3 c = f.empty ? glm::vec3(0) : (f.min + f.max) * 0.5f;
        float cx = std::round(c.x * 10) / 10, cz = std::round(c.z * 10) / 10;
        show::CameraMatrices m = matrices();
        auto line = [&](glm::vec3 a, glm::vec3 b, ImU32 colour) {
            glm::vec4 ca = m.proj * m.view * glm::vec4(a, 1), cb = m.proj * m.view * glm::vec4(b, 1);
            const float near = 1e-3f;
            if (ca.w < near && cb.w < near) return;
            if (ca.w < near) ca = cb + (ca - cb) * ((cb.w - near) / (cb.w - ca.w));
            if (cb.w < near) cb = ca + (cb - ca) * ((ca.w - near) / (ca.w - cb.w));
            auto px = [&](glm::vec4 p) {
                return ImVec2((p.x / p.w * 0.5f + 0.5f) * width_, (p.y / p.w * 0.5f + 0.5f) * height_);
            };
            bg->AddLine(px(ca), px(cb), colour);
        };
        for (int i = -40; i <= 40; ++i) {
            bool metre = (int(std::lround(cx * 10)) + i) % 10 == 0;
            ImU32 colour = metre ? IM_COL32(255, 255, 255, 140) : IM_COL32(255, 255, 255, 45);
            line({cx + i * 0.1f, 0, cz - 4}, {cx + i * 0.1f, 0, cz + 4}, colour);
            metre = (int(std::lround(cz * 10)) + i) % 10 == 0;
            colour = metre ? IM_COL32(255, 255, 255, 140) : IM_COL32(255, 255, 255, 45);
            line({cx - 4, 0, cz + i * 0.1f}, {cx + 4, 0, cz + i * 0.1f}, colour);
        }
    }
    ImDrawList* dl = ImGui::GetForegroundDrawList();
    int node = frame_node(selected_);
    if (node >= 0 && !ruler_) {
        const show::Frame& f = session_.frame();
        glm::vec3 p = glm::vec3(f.world[size_t(node)][3]);
        for (const show::FrameModel& m : f.models) {
            if (m.node != node || m.empty) continue;
            // The selection's box, its 12 edges.
            glm::vec3 c[8];
            for (int i = 0; i < 8; ++i) c[i] = {i & 1 ? m.max.x : m.min.x, i & 2 ? m.max.y : m.min.y, i & 4 ? m.max.z : m.min.z};
            for (int i = 0; i < 8; ++i)
                for (int b = 1; b < 8; b <<= 1)
                    if (!(i & b)) {
                        glm::vec2 a = project(c[i]), z = project(c[i | b]);
                        dl->AddLine({a.x, a.y}, {z.x, z.y}, IM_COL32(255, 200, 60, 160));
                    }
        }
        float len = 0.12f * glm::length(p - glm::vec3(glm::inverse(matrices().view)[3]));
        glm::vec2 o = project(p);
        const ImU32 colours[3] = {IM_COL32(235, 70, 70, 255), IM_COL32(80, 220, 80, 255), IM_COL32(80, 130, 255, 255)};
        for (int k = 0; k < 3; ++k) {
            glm::vec3 axis(0);
            axis[k] = len;
            glm::vec3 moved = p;
            if (drag_ == Drag::Axis && axis_ == k && tool_ == Tool::Move) moved[k] += axis_moved_;
            glm::vec2 a = project(moved), z = project(moved + axis);
            float r = 5 * ui_.scale();
            dl->AddLine({a.x, a.y}, {z.x, z.y}, colours[k], 3 * ui_.scale());
            if (tool_ == Tool::Move) dl->AddCircleFilled({z.x, z.y}, r, colours[k]);
            else if (tool_ == Tool::Turn) dl->AddCircle({z.x, z.y}, r * 1.6f, colours[k], 0, 2 * ui_.scale());
            else dl->AddRectFilled({z.x - r, z.y - r}, {z.x + r, z.y + r}, colours[k]);
        }
        if (drag_ == Drag::Axis) {
            char text[64];
            if (tool_ == Tool::Move) std::snprintf(text, sizeof text, "%c %+.1f cm", "xyz"[axis_], axis_moved_ * 100);
            else if (tool_ == Tool::Turn) std::snprintf(text, sizeof text, "turn %c %+.0f°", "xyz"[axis_], axis_moved_);
            else std::snprintf(text, sizeof text, "scale %s x%.2f", uniform_ ? "all" : std::string(1, "xyz"[axis_]).c_str(), 1 + axis_moved_);
            if (tool_ == Tool::Move) {
                glm::vec3 m(0);
                m[axis_] = axis_moved_;
                glm::vec2 e = project(p + m);
                dl->AddLine({o.x, o.y}, {e.x, e.y}, IM_COL32(255, 255, 255, 200), 1);
            }
            dl->AddText({now_.x + 12, now_.y}, IM_COL32(255, 255, 255, 255), text);
        }
    }
    if (ruler_) {
        for (const glm::vec3& p : ruler_points_) {
            glm::vec2 s = project(p);
            dl->AddCircleFilled({s.x, s.y}, 4 * ui_.scale(), IM_COL32(255, 255, 0, 255));
        }
        std::string text = "ruler: click two points on models";
        if (ruler_points_.size() == 2) {
            glm::vec2 a = project(ruler_points_[0]), b = project(ruler_points_[1]);
            dl->AddLine({a.x, a.y}, {b.x, b.y}, IM_COL32(255, 255, 0, 255), 2);
            float d = glm::distance(ruler_points_[0], ruler_points_[1]);
            char buf[64];
            if (d < 0.1f) std::snprintf(buf, sizeof buf, "%.1f mm", d * 1000);
            else if (d < 2) std::snprintf(buf, sizeof buf, "%.1f cm", d * 100);
            else std::snprintf(buf, sizeof buf, "%.3f m", d);
            text = std::string("ruler: ") + buf;
            dl->AddText({(a.x + b.x) / 2 + 8, (a.y + b.y) / 2}, IM_COL32(255, 255, 0, 255), buf);
        }
        message_ = text;
        message_error_ = false;
    }
}

void Editor::disk_banner() {
    if (!disk_changed_) return;
    ImGui::SetNextWindowPos(ImVec2(width_ * 0.5f, 40 * ui_.scale()), ImGuiCond_Always, ImVec2(0.5f, 0));
    ImGui::Begin("The file changed on disk", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse);
    ImGui::Text("%s was changed by another program, and you have unsaved edits.", doc_.path().string().c_str());
    if (ImGui::Button("Reload it (my edits go to undo)")) {
        if (auto r = doc_.reload(); !r) message_ = r.error().message, message_error_ = true;
        disk_changed_ = false;
    }
    ImGui::SameLine();
    if (ImGui::Button("Keep my edits")) {
        doc_.keep_mine();
        disk_changed_ = false;
    }
    ImGui::End();
}

void Editor::quit_dialog() {
    if (show_quit_) {
        if (!doc_.unsaved()) {
            quit_ = true;
            show_quit_ = false;
            return;
        }
        ImGui::OpenPopup("Unsaved edits");
        show_quit_ = false;
    }
    if (ImGui::BeginPopupModal("Unsaved edits", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::Text("%s has unsaved edits.", doc_.path().string().c_str());
        if (ImGui::Button("Save and quit")) {
            if (command("save")) quit_ = true;
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button("Quit without saving")) {
            quit_ = true;
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

}  // namespace vitrine::editor
