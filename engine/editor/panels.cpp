// The editor's panels. Each shows the document's scene (as the text now says) and issues
// commands of the edit language for every change; nothing here writes the scene itself.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

#include <imgui.h>

#include "edit/document.h"
#include "edit/yaml_text.h"
#include "editor/editor.h"

namespace vitrine::editor {

namespace {

std::string vec(const glm::vec3& v) { return edit::numbers({v.x, v.y, v.z}); }

// "file:line" of a value, shown beside its field.
void place(const yaml::Loc& loc) {
    if (ImGui::IsItemHovered() && loc.line > 0) ImGui::SetTooltip("%s", loc.str().c_str());
}

void panel(const char* title, float x, float y, float w, float h) {
    ImGui::SetNextWindowPos(ImVec2(x, y), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(w, h), ImGuiCond_FirstUseEver);
    ImGui::Begin(title);
}

const char* kind_of(const show::Node& n) {
    return !n.model.empty() ? "model"
           : n.light        ? "light"
           : n.camera       ? "camera"
           : n.image        ? "image"
           : n.sound        ? "sound"
           : n.zone         ? "zone"
           : n.hotspot      ? "hotspot"
                            : "group";
}

}  // namespace

void Editor::outliner() {
    const float s = ui_.scale(), top = ImGui::GetFrameHeight();
    panel("Outliner", 0, top, 250 * s, (height_ - top) * 0.5f);
    const show::SceneFile& scene = doc_.scene();
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint("##filter", "filter", filter_, sizeof filter_);
    std::string filter = filter_;
    auto matches = [&](const std::string& name) { return filter.empty() || name.find(filter) != std::string::npos; };
    if (ImGui::CollapsingHeader("Nodes", ImGuiTreeNodeFlags_DefaultOpen)) {
        std::function<void(int)> tree = [&](int parent) {
            for (size_t i = 0; i < scene.nodes.size(); ++i) {
                const show::Node& n = scene.nodes[i];
                if (n.parent != parent) continue;
                bool leaf = std::none_of(scene.nodes.begin(), scene.nodes.end(), [&](const show::Node& c) { return c.parent == int(i); });
                if (!filter.empty()) {  // flat while filtering
                    if (matches(n.name) && ImGui::Selectable((n.name + "  (" + kind_of(n) + ")").c_str(), selected_ == n.name))
                        selected_ = n.name;
                    tree(int(i));
                    continue;
                }
                ImGuiTreeNodeFlags flags = ImGuiTreeNodeFlags_OpenOnArrow | ImGuiTreeNodeFlags_DefaultOpen |
                                           (leaf ? ImGuiTreeNodeFlags_Leaf : 0) |
                                           (selected_ == n.name ? ImGuiTreeNodeFlags_Selected : 0);
                bool open = ImGui::TreeNodeEx(n.name.c_str(), flags, "%s  (%s)", n.name.c_str(), kind_of(n));
                if (ImGui::IsItemClicked()) selected_ = n.name;
                // Drop a model asset on a node: a new instance under it.
                if (ImGui::BeginDragDropTarget()) {
                    if (const ImGuiPayload* p = ImGui::AcceptDragDropPayload("asset")) {
                        std::string asset(static_cast<const char*>(p->Data), size_t(p->DataSize));
                        std::string name = asset;
                        for (int k = 2; scene.node_index(name) >= 0; ++k) name = asset + "_" + std::to_string(k);
                        if (command("node add model " + name + " " + asset + " under " + n.name)) selected_ = name;
                    }
                    ImGui::EndDragDropTarget();
                }
                if (open) {
                    tree(int(i));
                    ImGui::TreePop();
                }
            }
        };
        tree(-1);
    }
    if (ImGui::CollapsingHeader("Assets", ImGuiTreeNodeFlags_DefaultOpen)) {
        const char* kinds[] = {"glTF", "HDR", "audio", "pyramid"};
        for (const show::Asset& a : scene.assets) {
            if (!matches(a.name)) continue;
            ImGui::Selectable((a.name + "  (" + kinds[int(a.kind)] + ")").c_str());
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s  %s", a.path.c_str(), a.loc.str().c_str());
            if (a.kind == show::AssetKind::Gltf && ImGui::BeginDragDropSource()) {
                ImGui::SetDragDropPayload("asset", a.name.data(), a.name.size());
                ImGui::Text("place %s (drop on a node, or on Add)", a.name.c_str());
                ImGui::EndDragDropSource();
            }
        }
    }
    if (ImGui::Button("Add...")) ImGui::OpenPopup("add node");
    if (ImGui::BeginDragDropTarget()) {
        if (const ImGuiPayload* p = ImGui::AcceptDragDropPayload("asset")) {
            std::string asset(static_cast<const char*>(p->Data), size_t(p->DataSize));
            std::string name = asset;
            for (int k = 2; scene.node_index(name) >= 0; ++k) name = asset + "_" + std::to_string(k);
            if (command("node add model " + name + " " + asset)) selected_ = name;
        }
        ImGui::EndDragDropTarget();
    }
    if (ImGui::BeginPopup("add node")) {
        auto fresh = [&](const std::string& base) {
            std::string name = base;
            for (int k = 2; scene.node_index(name) >= 0; ++k) name = base + "_" + std::to_string(k);
            return name;
        };
        std::string under = selected_.empty() ? "" : " under " + selected_;
        for (const char* kind : {"light", "camera", "group"})
            if (ImGui::MenuItem(kind)) {
                std::string name = fresh(kind);
                if (command(std::string("node add ") + kind + " " + name + under)) selected_ = name;
            }
        const std::pair<show::AssetKind, const char*> with_asset[] = {
            {show::AssetKind::Gltf, "model"}, {show::AssetKind::Pyramid, "image"}, {show::AssetKind::Audio, "sound"}};
        for (const auto& [kind, word] : with_asset) {
            if (!ImGui::BeginMenu(word)) continue;
            for (const show::Asset& a : scene.assets)
                if (a.kind == kind && ImGui::MenuItem(a.name.c_str())) {
                    std::string name = fresh(a.name);
                    if (command(std::string("node add ") + word + " " + name + " " + a.name + under)) selected_ = name;
                }
            ImGui::EndMenu();
        }
        ImGui::EndPopup();
    }
    ImGui::End();
}

void Editor::inspector() {
    const float s = ui_.scale(), top = ImGui::GetFrameHeight();
    panel("Inspector", width_ - 320 * s, top, 320 * s, height_ - top - 210 * s);
    const show::SceneFile& scene = doc_.scene();
    int i = scene.node_index(selected_);
    if (i < 0) {
        ImGui::TextWrapped("Click a node in the picture or the outliner. Right drag orbits and the wheel zooms the "
                           "editor camera (C), F frames the selection, R measures, Alt+click touches as a visitor.");
        ImGui::End();
        return;
    }
    const show::Node& n = scene.nodes[size_t(i)];
    ImGui::Text("%s  (%s)", n.name.c_str(), kind_of(n));
    ImGui::TextDisabled("%s", n.loc.str().c_str());
    static char rename[64];
    static std::string renaming;
    if (renaming != n.name) {
        std::snprintf(rename, sizeof rename, "%s", n.name.c_str());
        renaming = n.name;
    }
    if (ImGui::InputText("name", rename, sizeof rename, ImGuiInputTextFlags_EnterReturnsTrue) && rename != n.name) {
        if (command("node rename " + n.name + " " + rename)) selected_ = rename;
        ImGui::End();
        return;
    }
    // A field edited by dragging or typing is one command when it is let go.
    auto vec3 = [&](const char* label, const char* key, glm::vec3 value, float speed, const char* unit) {
        ImGui::DragFloat3(label, &value.x, speed, 0, 0, unit);
        place(n.locs.at(key, n.loc));
        if (ImGui::IsItemDeactivatedAfterEdit()) command("set " + n.name + "." + key + " " + vec(value));
    };
    static glm::vec3 t, r, sc;
    if (!ImGui::IsAnyItemActive()) t = n.translation, r = n.rotation, sc = n.scale;
    vec3("translation", "translation", t, 0.005f, "%.3f m");
    vec3("rotation", "rotation", r, 0.5f, "%.1f°");
    vec3("scale", "scale", sc, 0.005f, "%.3f");
    bool visible = n.visible;
    if (ImGui::Checkbox("visible", &visible)) command("set " + n.name + ".visible " + (visible ? "true" : "false"));
    if (!n.model.empty()) {
        ImGui::Separator();
        ImGui::Text("model %s", n.model.c_str());
        place(n.locs.at("model", n.loc));
        if (ImGui::Button("Z-up model")) command("zup " + n.name);
        ImGui::SameLine();
        if (ImGui::Button("Snap to floor")) command("snap " + n.name + " floor");
        std::vector<std::string> others;
        for (const show::Node& o : scene.nodes)
            if (!o.model.empty() && o.name != n.name) others.push_back(o.name);
        if (snap_target_.empty() && !others.empty()) snap_target_ = others[0];
        ImGui::SetNextItemWidth(120 * s);
        if (ImGui::BeginCombo("##onto", snap_target_.c_str())) {
            for (const std::string& o : others)
                if (ImGui::Selectable(o.c_str(), o == snap_target_)) snap_target_ = o;
            ImGui::EndCombo();
        }
        ImGui::SameLine();
        if (ImGui::Button("Snap onto") && !snap_target_.empty()) command("snap " + n.name + " onto " + snap_target_);
    }
    auto number = [&](const char* label, const std::string& path, float value, float speed, const yaml::Loc& loc,
                      float lo = 0, float hi = 0, const char* format = "%.3f") {
        ImGui::DragFloat(label, &value, speed, lo, hi, format);
        place(loc);
        if (ImGui::IsItemDeactivatedAfterEdit()) command("set " + path + " " + edit::number(value));
    };
    if (n.light) {
        ImGui::Separator();
        const show::LightDesc& l = *n.light;
        glm::vec3 c = l.color;
        ImGui::ColorEdit3("colour", &c.x);
        place(l.locs.at("color", l.loc));
        if (ImGui::IsItemDeactivatedAfterEdit()) command("set " + n.name + ".color " + vec(c));
        number(l.type == show::LightKind::Directional ? "intensity (lux)" : "intensity (cd)", n.name + ".intensity",
               l.intensity, 0.1f, l.locs.at("intensity", l.loc), 0, 1e6f);
        if (l.type == show::LightKind::Spot) {
            number("inner cone", n.name + ".light.inner_cone", l.inner_cone, 0.2f, l.locs.at("inner_cone", l.loc), 0, 90, "%.1f°");
            number("outer cone", n.name + ".light.outer_cone", l.outer_cone, 0.2f, l.locs.at("outer_cone", l.loc), 0, 90, "%.1f°");
        }
        number("range (m, 0: infinite)", n.name + ".light.range", l.range, 0.05f, l.locs.at("range", l.loc), 0, 1e4f);
    }
    if (n.camera) {
        ImGui::Separator();
        number("fov", n.name + ".fov", n.camera->fov, 0.2f, n.camera->locs.at("fov", n.camera->loc), 1, 179, "%.1f°");
        if (n.camera->orbit) {
            const show::OrbitDesc& o = *n.camera->orbit;
            ImGui::Text("orbit yaw %.1f° pitch %.1f° distance %.2f m", o.yaw, o.pitch, o.distance);
            place(o.loc);
            if (editor_camera_ && ImGui::Button("Set from the editor camera")) {
                const float deg = 57.2957795f;
                command("set " + n.name + ".orbit " +
                        edit::numbers({orbit_.yaw * deg, orbit_.pitch * deg, orbit_.distance, orbit_.target.x,
                                       orbit_.target.y, orbit_.target.z}));
            }
        }
    }
    if (n.sound) {
        ImGui::Separator();
        const show::SoundDesc& d = *n.sound;
        float db = 20 * std::log10(std::max(d.gain, 1e-5f));
        ImGui::DragFloat("gain", &db, 0.1f, -60, 24, "%.1f dB");
        place(d.locs.at("gain", d.loc));
        if (ImGui::IsItemDeactivatedAfterEdit()) command("set " + n.name + ".gain " + edit::number(std::pow(10.0f, db / 20)));
        number("pitch", n.name + ".pitch", d.pitch, 0.01f, d.locs.at("pitch", d.loc), 0.01f, 4);
        number("reference distance (m)", n.name + ".sound.distance.ref", d.ref, 0.05f, d.locs.at("distance.ref", d.loc), 0, 1e4f);
        number("max distance (m)", n.name + ".sound.distance.max", d.max, 0.5f, d.locs.at("distance.max", d.loc), 0, 1e5f);
    }
    if (n.image) {
        ImGui::Separator();
        const show::ImageDesc& d = *n.image;
        number("opacity", n.name + ".opacity", d.opacity, 0.01f, d.locs.at("opacity", d.loc), 0, 1);
        glm::vec2 size = d.size;
        ImGui::DragFloat2("size (m)", &size.x, 0.01f, 0.01f, 100);
        place(d.locs.at("size", d.loc));
        if (ImGui::IsItemDeactivatedAfterEdit()) command("set " + n.name + ".size " + edit::numbers({size.x, size.y}));
        if (d.has_region) {  // the part of the image the frame shows, in image pixels
            double region[4] = {d.region.x, d.region.y, d.region.z, d.region.w};
            ImGui::DragScalarN("region (px)", ImGuiDataType_Double, region, 4, 10.0f);
            place(d.locs.at("region", d.loc));
            if (ImGui::IsItemDeactivatedAfterEdit())
                command("set " + n.name + ".region " +
                        edit::numbers({float(region[0]), float(region[1]), float(region[2]), float(region[3])}));
        }
    }
    if (n.hotspot) {
        ImGui::Separator();
        const show::HotspotDesc& h = *n.hotspot;
        double pixel[2] = {h.pixel.x, h.pixel.y};
        ImGui::DragScalarN("hotspot pixel", ImGuiDataType_Double, pixel, 2, 1.0f);
        place(h.locs.at("pixel", h.loc));
        if (ImGui::IsItemDeactivatedAfterEdit())
            command("set " + n.name + ".hotspot.pixel " + edit::numbers({float(pixel[0]), float(pixel[1])}));
        number("hotspot radius (m)", n.name + ".hotspot.radius", h.radius, 0.005f, h.locs.at("radius", h.loc), 0, 10);
    }
    ImGui::Separator();
    if (ImGui::Button("Duplicate")) {
        std::string name = n.name + "_copy";
        for (int k = 2; scene.node_index(name) >= 0; ++k) name = n.name + "_copy" + std::to_string(k);
        if (command("node duplicate " + n.name + " " + name)) selected_ = name;
    }
    ImGui::SameLine();
    if (ImGui::Button("Delete")) {
        if (command("node delete " + n.name)) selected_.clear();
    }
    ImGui::SameLine();
    if (ImGui::Button("Touch")) out_.push_back({session::Event::Kind::TouchNode, 0, 0, n.name});
    if (ImGui::BeginCombo("parent", n.parent >= 0 ? scene.nodes[size_t(n.parent)].name.c_str() : "(root)")) {
        if (ImGui::Selectable("(root)", n.parent < 0) && n.parent >= 0) command("node parent " + n.name + " root");
        for (const show::Node& o : scene.nodes)
            if (o.name != n.name && ImGui::Selectable(o.name.c_str(), n.parent >= 0 && scene.nodes[size_t(n.parent)].name == o.name))
                command("node parent " + n.name + " " + o.name);
        ImGui::EndCombo();
    }
    ImGui::End();
}

void Editor::timeline() {
    const float s = ui_.scale(), h = 210 * s;
    panel("Timeline", 0, height_ - h, width_ * 0.6f, h);
    const show::SceneFile& scene = doc_.scene();
    show::Show& show = session_.show();
    // The playhead: show time. Scrubbing seeks the running show (through its checkpoints):
    // the picture is the frame `render --time T` gives.
    double now = show.now();
    bool paused = session_.clock().paused();
    if (ImGui::Button(paused ? "Play" : "Pause")) out_.push_back({paused ? session::Event::Kind::Resume : session::Event::Kind::Pause});
    ImGui::SameLine();
    if (ImGui::Button("|<")) {
        session::Event e{session::Event::Kind::Seek};
        e.seconds = 0;
        out_.push_back(e);
    }
    ImGui::SameLine();
    double longest = 60;
    for (const show::Timeline& t : scene.timelines) longest = std::max(longest, t.duration * 2);
    float scrub_span = float(std::max(longest, now * 1.25));
    if (!ImGui::IsItemActive()) scrub_ = float(now);
    ImGui::SetNextItemWidth(-90 * s);
    if (ImGui::SliderFloat("##playhead", &scrub_, 0, scrub_span, "show time %.2f s")) {
        session::Event e{session::Event::Kind::Seek};
        e.seconds = scrub_;
        out_.push_back(e);
    }
    ImGui::SameLine();
    ImGui::Text("%s", show.state().c_str());
    // Which timeline: the one chosen, else the state's.
    if (timeline_name_.empty() || !scene.timeline(timeline_name_)) {
        int st = scene.state_index(show.state());
        timeline_name_ = st >= 0 && !scene.states[size_t(st)].timeline.empty() ? scene.states[size_t(st)].timeline
                         : scene.timelines.empty()                           ? ""
                                                                               : scene.timelines[0].name;
    }
    const show::Timeline* tl = scene.timeline(timeline_name_);
    ImGui::SetNextItemWidth(140 * s);
    if (ImGui::BeginCombo("timeline", timeline_name_.c_str())) {
        for (const show::Timeline& t : scene.timelines)
            if (ImGui::Selectable(t.name.c_str(), t.name == timeline_name_)) timeline_name_ = t.name;
        ImGui::EndCombo();
    }
    if (!tl) {
        ImGui::End();
        return;
    }
    double local = show.timeline_time(tl->name);
    ImGui::SameLine();
    if (local >= 0) ImGui::Text("%.2f /", local);
    else ImGui::TextDisabled("not playing /");
    ImGui::SameLine();
    float duration = float(tl->duration);
    ImGui::SetNextItemWidth(70 * s);
    ImGui::DragFloat("##duration", &duration, 0.1f, 0.01f, 86400, "%.2f s");
    if (ImGui::IsItemDeactivatedAfterEdit()) command("timeline set " + tl->name + " duration " + edit::number(duration));
    ImGui::SameLine();
    bool loop = tl->loop;
    if (ImGui::Checkbox("loop", &loop)) command("timeline set " + tl->name + " loop " + (loop ? "true" : "false"));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(80 * s);
    ImGui::SliderFloat("zoom", &zoom_, 1, 50, "x%.0f", ImGuiSliderFlags_Logarithmic);
    double key_at = local >= 0 ? local : 0;
    const std::string camera_track = [&] {
        int st = scene.state_index(show.state());
        std::string cam = st >= 0 ? scene.states[size_t(st)].camera : "";
        if (cam.empty()) cam = scene.camera;
        return cam.empty() ? std::string() : cam + ".orbit";
    }();
    if (!camera_track.empty() && editor_camera_ && (ImGui::SameLine(), ImGui::Button("Key the camera"))) {
        const float deg = 57.2957795f;
        char t[32];
        std::snprintf(t, sizeof t, "%.3f", key_at);
        command("key add " + tl->name + " " + camera_track + " " + t + " " +
                edit::numbers({orbit_.yaw * deg, orbit_.pitch * deg, orbit_.distance, orbit_.target.x, orbit_.target.y,
                               orbit_.target.z}));
    }
    // Tracks: a row each, keys as diamonds across the timeline's duration.
    const float label_w = 170 * s;
    ImVec2 origin = ImGui::GetCursorScreenPos();
    float width = std::max(50.0f, ImGui::GetContentRegionAvail().x - label_w);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float row = ImGui::GetTextLineHeightWithSpacing();
    // Zoomed: a window of duration / zoom around the playhead.
    const double span = tl->duration / std::max(1.0f, zoom_);
    const double view = std::clamp((local >= 0 ? local : 0) - span / 2, 0.0, std::max(0.0, tl->duration - span));
    auto x_of = [&](double t) { return origin.x + label_w + float((t - view) / span) * width; };
    auto shown = [&](double t) { return t >= view - 1e-9 && t <= view + span + 1e-9; };
    for (size_t k = 0; k < tl->tracks.size(); ++k)
        dl->AddText(ImVec2(origin.x, origin.y + float(k) * row),
                    tl->tracks[k].target == key_track_ ? IM_COL32(255, 210, 80, 255) : IM_COL32(220, 220, 220, 255),
                    tl->tracks[k].target.c_str());
    dl->PushClipRect(ImVec2(origin.x + label_w - 8, origin.y), ImVec2(origin.x + label_w + width + 8, origin.y + 1e4f), true);
    for (size_t k = 0; k < tl->tracks.size(); ++k) {
        const show::Track& track = tl->tracks[k];
        float y = origin.y + float(k) * row;
        dl->AddLine(ImVec2(x_of(0), y + row / 2), ImVec2(x_of(tl->duration), y + row / 2), IM_COL32(90, 90, 90, 255));
        for (const show::ZoomMove& m : track.moves) {  // a zoom_to track: its moves, from start to end
            if (!shown(m.at) && !shown(m.at + m.duration)) continue;
            float x0 = x_of(m.at), x1 = std::max(x0 + 3, x_of(m.at + m.duration)), cy = y + row / 2;
            dl->AddRectFilled(ImVec2(x0, cy - row * 0.25f), ImVec2(x1, cy + row * 0.25f), IM_COL32(120, 200, 160, 200));
        }
        for (const show::Key& key : track.keys) {
            if (!shown(key.t)) continue;
            float x = x_of(key.t), cy = y + row / 2, r = row * 0.35f;
            bool sel = track.target == key_track_ && std::fabs(key.t - key_time_) < 1e-6;
            ImVec2 pts[4] = {{x, cy - r}, {x + r, cy}, {x, cy + r}, {x - r, cy}};
            dl->AddConvexPolyFilled(pts, 4, sel ? IM_COL32(255, 210, 80, 255) : IM_COL32(160, 190, 255, 255));
            ImGui::SetCursorScreenPos(ImVec2(x - r, cy - r));
            ImGui::PushID(int(k * 1000 + size_t(&key - track.keys.data())));
            ImGui::InvisibleButton("key", ImVec2(2 * r, 2 * r));
            if (ImGui::IsItemClicked()) key_track_ = track.target, key_time_ = key.t;
            // Drag a key along the timeline: one `key move` when let go.
            if (ImGui::IsItemActive() && ImGui::IsMouseDragging(0)) {
                double t = std::clamp(key.t + ImGui::GetMouseDragDelta(0).x / width * span, 0.0, tl->duration);
                dl->AddLine(ImVec2(x_of(t), y), ImVec2(x_of(t), y + row), IM_COL32(255, 210, 80, 255), 2);
            }
            if (ImGui::IsItemDeactivated() && std::fabs(ImGui::GetMouseDragDelta(0).x) > 2) {
                double t = std::clamp(key.t + ImGui::GetMouseDragDelta(0).x / width * span, 0.0, tl->duration);
                t = std::round(t * 100) / 100;  // hundredths of a second
                if (command("key move " + tl->name + " " + track.target + " " + edit::number(key.t) + " " + edit::number(t)))
                    key_track_ = track.target, key_time_ = t;
            }
            ImGui::PopID();
        }
    }
    if (local >= 0) {
        float x = x_of(local);
        dl->AddLine(ImVec2(x, origin.y), ImVec2(x, origin.y + row * float(tl->tracks.size())), IM_COL32(255, 80, 80, 255), 2);
    }
    // Labels below the tracks; the cues timed on this timeline as markers with their ids.
    const float below = origin.y + row * float(tl->tracks.size());
    for (const auto& [label, t] : tl->labels)
        if (shown(t)) dl->AddText(ImVec2(x_of(t) + 2, below), IM_COL32(180, 180, 180, 255), label.c_str());
    for (const show::Cue& c : scene.cues) {
        if (c.trigger != show::TriggerKind::Time || c.timeline != tl->name || !shown(c.at)) continue;
        float x = x_of(c.at);
        dl->AddTriangleFilled(ImVec2(x - 4, below + row), ImVec2(x + 4, below + row), ImVec2(x, below + row + 6),
                              IM_COL32(255, 150, 60, 255));
        dl->AddText(ImVec2(x + 5, below + row), IM_COL32(255, 170, 90, 255), ("cue " + c.id).c_str());
    }
    dl->PopClipRect();
    ImGui::SetCursorScreenPos(ImVec2(origin.x, below + row * 2));
    // The selected key, and keys added at the playhead.
    for (const show::Track& track : tl->tracks) {
        if (track.target != key_track_) continue;
        ImGui::Text("%s", track.target.c_str());
        ImGui::SameLine();
        const char* interps[] = {"STEP", "LINEAR", "CUBICSPLINE"};
        ImGui::SetNextItemWidth(120 * s);
        if (ImGui::BeginCombo("##interp", interps[int(track.interp)])) {
            for (int k = 0; k < 3; ++k)
                if (ImGui::Selectable(interps[k], int(track.interp) == k))
                    command("track interpolation " + tl->name + " " + track.target + " " + interps[k]);
            ImGui::EndCombo();
        }
        ImGui::SameLine();
        if (ImGui::Button("Key at playhead") && !track.keys.empty()) {
            // The value in force: the nearest key at or before the playhead.
            const show::Key* before = &track.keys.front();
            for (const show::Key& k : track.keys)
                if (k.t <= key_at) before = &k;
            char t[32];
            std::snprintf(t, sizeof t, "%.3f", key_at);
            command("key add " + tl->name + " " + track.target + " " + t + " " + edit::numbers(before->value));
        }
        for (const show::Key& key : track.keys) {
            if (std::fabs(key.t - key_time_) > 1e-6) continue;
            ImGui::SameLine();
            if (ImGui::Button("Delete key")) {
                command("key delete " + tl->name + " " + track.target + " " + edit::number(key.t));
                key_time_ = -1;
                break;
            }
            ImGui::Text("key at %.3f s: %s", key.t, edit::numbers(key.value).c_str());
            place(key.loc);
        }
    }
    ImGui::End();
}

void Editor::cues_and_states() {
    const float s = ui_.scale(), h = 210 * s;
    panel("Cues and states", width_ * 0.6f, height_ - h, width_ * 0.4f, h);
    const show::SceneFile& scene = doc_.scene();
    show::Show& show = session_.show();
    auto osc = [&](const std::string& address, std::vector<std::string> args) {
        session::Event e{session::Event::Kind::Osc};
        e.address = address;
        e.args = std::move(args);
        out_.push_back(e);
    };
    if (ImGui::BeginTabBar("cues and states")) {
        if (ImGui::BeginTabItem("Cues")) {
            if (ImGui::Button("GO")) osc("/vitrine/go", {});
            ImGui::SameLine();
            ImGui::Text("current cue: %s", show.current_cue().empty() ? "-" : show.current_cue().c_str());
            if (ImGui::BeginTable("cues", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable,
                                  ImVec2(0, -ImGui::GetFrameHeightWithSpacing()))) {
                ImGui::TableSetupColumn("id", ImGuiTableColumnFlags_WidthFixed, 50 * s);
                ImGui::TableSetupColumn("name");
                ImGui::TableSetupColumn("trigger", ImGuiTableColumnFlags_WidthFixed, 110 * s);
                ImGui::TableSetupColumn("pre-wait", ImGuiTableColumnFlags_WidthFixed, 70 * s);
                ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 80 * s);
                ImGui::TableHeadersRow();
                for (const show::Cue& c : scene.cues) {
                    ImGui::PushID(c.id.c_str());
                    ImGui::TableNextRow();
                    // Id and name: typed, one command on Enter (an id typed anew renumbers the cue).
                    ImGui::TableNextColumn();
                    char id[32], name[256];
                    std::snprintf(id, sizeof id, "%s", c.id.c_str());
                    std::snprintf(name, sizeof name, "%s", c.name.c_str());
                    ImGui::SetNextItemWidth(-1);
                    if (ImGui::InputText("##id", id, sizeof id, ImGuiInputTextFlags_EnterReturnsTrue) && c.id != id && id[0])
                        command("cue set " + c.id + " id " + id);
                    place(c.loc);
                    ImGui::TableNextColumn();
                    ImGui::SetNextItemWidth(-1);
                    if (ImGui::InputText("##name", name, sizeof name, ImGuiInputTextFlags_EnterReturnsTrue) && c.name != name)
                        command("cue set " + c.id + " name \"" + name + "\"");
                    if (ImGui::IsItemHovered() && !c.actions.empty())
                        ImGui::SetTooltip("%zu action%s (edit them in the file)", c.actions.size(), c.actions.size() == 1 ? "" : "s");
                    ImGui::TableNextColumn();
                    char trigger[96];
                    switch (c.trigger) {
                        case show::TriggerKind::Go: std::snprintf(trigger, sizeof trigger, "GO"); break;
                        case show::TriggerKind::Time:
                            std::snprintf(trigger, sizeof trigger, "%s %.2f s", c.timeline.empty() ? "show" : c.timeline.c_str(), c.at);
                            break;
                        case show::TriggerKind::Touch: std::snprintf(trigger, sizeof trigger, "touch %s", c.node.c_str()); break;
                        case show::TriggerKind::Osc: std::snprintf(trigger, sizeof trigger, "osc %s", c.osc.c_str()); break;
                    }
                    ImGui::TextUnformatted(trigger);
                    ImGui::TableNextColumn();
                    float prewait = float(c.prewait);
                    ImGui::SetNextItemWidth(-1);
                    ImGui::DragFloat("##prewait", &prewait, 0.05f, 0, 600, "%.2f s");
                    if (ImGui::IsItemDeactivatedAfterEdit()) command("cue set " + c.id + " prewait " + edit::number(std::max(0.0f, prewait)));
                    ImGui::TableNextColumn();
                    if (ImGui::SmallButton("fire")) osc("/vitrine/cue", {c.id});
                    ImGui::SameLine();
                    if (ImGui::SmallButton("x")) command("cue delete " + c.id);
                    ImGui::PopID();
                }
                ImGui::EndTable();
            }
            ImGui::SetNextItemWidth(60 * s);
            ImGui::InputTextWithHint("##newcue", "id", new_cue_, sizeof new_cue_);
            ImGui::SameLine();
            if (ImGui::Button("Add cue") && new_cue_[0]) {
                if (command(std::string("cue add ") + new_cue_)) new_cue_[0] = 0;
            }
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("States")) {
            for (const show::State& st : scene.states) {
                bool current = st.name == show.state();
                ImGui::PushID(st.name.c_str());
                if (ImGui::SmallButton("force")) osc("/vitrine/state", {st.name});
                ImGui::SameLine();
                ImGui::TextColored(current ? ImVec4(1, 0.85f, 0.3f, 1) : ImVec4(0.85f, 0.85f, 0.85f, 1), "%s%s", st.name.c_str(),
                                   current ? "  (now)" : "");
                place(st.loc);
                for (const show::Transition& tr : st.transitions) {
                    ImGui::SameLine();
                    const char* kinds[] = {"touch", "idle", "end", "osc", "time of day"};
                    ImGui::TextDisabled("%s -> %s", kinds[int(tr.kind)], tr.to.c_str());
                }
                ImGui::PopID();
            }
            ImGui::Separator();
            if (ImGui::Button("Touch anywhere")) {
                session::Event e{session::Event::Kind::TouchAt};
                e.x = e.y = 0.5;
                out_.push_back(e);
            }
            ImGui::SameLine();
            if (ImGui::Button("Wait out the idle timeout")) {
                session::Event e{session::Event::Kind::Seek};
                e.seconds = show.now() + scene.idle_timeout + 0.1;
                out_.push_back(e);
            }
            ImGui::SetNextItemWidth(200 * s);
            ImGui::InputText("##osc", osc_, sizeof osc_);
            ImGui::SameLine();
            if (ImGui::Button("Send OSC")) {
                std::string line = osc_;
                size_t space = line.find(' ');
                std::vector<std::string> args;
                std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
                for (size_t i = 0; i < rest.size();) {
                    size_t e = rest.find(' ', i);
                    if (e == std::string::npos) e = rest.size();
                    if (e > i) args.push_back(rest.substr(i, e - i));
                    i = e + 1;
                }
                osc(line.substr(0, space), args);
            }
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    ImGui::End();
}

void Editor::problems() {
    const float s = ui_.scale(), top = ImGui::GetFrameHeight();
    float y = top + (height_ - top) * 0.5f;
    panel("Problems", 0, y, 250 * s, height_ - y - 210 * s);
    const auto& list = doc_.problems();
    if (list.empty()) ImGui::TextDisabled("none: the show is valid");
    for (size_t k = 0; k < list.size(); ++k) {
        const yaml::Problem& p = list[k];
        ImGui::PushID(int(k));
        ImGui::PushTextWrapPos(0);
        if (ImGui::Selectable(p.str().c_str())) {
            // The node whose lines hold the problem's.
            const show::SceneFile& scene = doc_.scene();
            int best = -1;
            for (size_t i = 0; i < scene.nodes.size(); ++i)
                if (scene.nodes[i].loc.line <= p.loc.line && (best < 0 || scene.nodes[i].loc.line > scene.nodes[size_t(best)].loc.line))
                    best = int(i);
            if (best >= 0) selected_ = scene.nodes[size_t(best)].name;
        }
        ImGui::PopTextWrapPos();
        ImGui::PopID();
    }
    ImGui::End();
}

}  // namespace vitrine::editor
