#include "editor/ui.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include <imgui.h>
#include <imgui_internal.h>

#include "core/log.h"

namespace vitrine::editor {

namespace {

using display::Key;

// ImGui 1.86 reads keys from io.KeysDown[] through io.KeyMap: our Key values are the indices.
void map_keys(ImGuiIO& io) {
    io.KeyMap[ImGuiKey_Tab] = int(Key::Tab);
    io.KeyMap[ImGuiKey_LeftArrow] = int(Key::Left);
    io.KeyMap[ImGuiKey_RightArrow] = int(Key::Right);
    io.KeyMap[ImGuiKey_UpArrow] = int(Key::Up);
    io.KeyMap[ImGuiKey_DownArrow] = int(Key::Down);
    io.KeyMap[ImGuiKey_PageUp] = int(Key::PageUp);
    io.KeyMap[ImGuiKey_PageDown] = int(Key::PageDown);
    io.KeyMap[ImGuiKey_Home] = int(Key::Home);
    io.KeyMap[ImGuiKey_End] = int(Key::End);
    io.KeyMap[ImGuiKey_Delete] = int(Key::Delete);
    io.KeyMap[ImGuiKey_Backspace] = int(Key::Backspace);
    io.KeyMap[ImGuiKey_Space] = int(Key::Space);
    io.KeyMap[ImGuiKey_Enter] = int(Key::Enter);
    io.KeyMap[ImGuiKey_Escape] = int(Key::Escape);
    io.KeyMap[ImGuiKey_KeyPadEnter] = int(Key::Enter);
    io.KeyMap[ImGuiKey_A] = int(Key::A);
    io.KeyMap[ImGuiKey_C] = int(Key::C);
    io.KeyMap[ImGuiKey_V] = int(Key::V);
    io.KeyMap[ImGuiKey_X] = int(Key::X);
    io.KeyMap[ImGuiKey_Y] = int(Key::Y);
    io.KeyMap[ImGuiKey_Z] = int(Key::Z);
}

std::string first_existing(std::initializer_list<const char*> paths) {
    for (const char* p : paths) {
        std::error_code ec;
        if (std::filesystem::exists(p, ec)) return p;
    }
    return {};
}

}  // namespace

Ui::Ui(float scale) : scale_(scale) {
    IMGUI_CHECKVERSION();
    context_ = ImGui::CreateContext();
    ImGui::SetCurrentContext(context_);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // the layout is the editor's, not a file beside the show
    io.LogFilename = nullptr;
    io.BackendPlatformName = "vitrine";
    io.BackendRendererName = "vitrine overlay";
    io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
    map_keys(io);
    ImGui::StyleColorsDark();
    ImGui::GetStyle().ScaleAllSizes(scale);
    ImGui::GetStyle().WindowRounding = 0;

    const float px = std::round(15.0f * scale);
    const char* env = std::getenv("VITRINE_FONT");
    std::string latin = env && *env ? env
                                    : first_existing({"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                                                      "/usr/share/fonts/dejavu/DejaVuSans.ttf"});
    static const ImWchar latin_ranges[] = {0x0020, 0x024F, 0x2000, 0x206F, 0x2190, 0x21FF, 0x2200, 0x22FF, 0x25A0, 0x25FF, 0};
    ImFontConfig config;
    config.OversampleH = 2;
    if (latin.empty() || !io.Fonts->AddFontFromFileTTF(latin.c_str(), px, &config, latin_ranges)) io.Fonts->AddFontDefault();
    std::string cjk = first_existing({"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
                                      "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                                      "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"});
    if (!cjk.empty()) {
        ImFontConfig merge;
        merge.MergeMode = true;
        merge.OversampleH = 1;
        merge.PixelSnapH = true;
        cjk_ = io.Fonts->AddFontFromFileTTF(cjk.c_str(), px, &merge, io.Fonts->GetGlyphRangesChineseSimplifiedCommon()) != nullptr;
    }
    if (!cjk_) log::warn("edit: no CJK font (install fonts-wqy-microhei): Chinese text shows as '?'");
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    auto atlas = std::make_shared<Image8>();
    atlas->width = uint32_t(w);
    atlas->height = uint32_t(h);
    atlas->rgba.assign(pixels, pixels + size_t(w) * size_t(h) * 4);
    atlas_ = std::move(atlas);
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(intptr_t(1)));
    io.Fonts->ClearTexData();  // ours now: the overlay uploads it once
}

Ui::~Ui() {
    if (context_) ImGui::DestroyContext(context_);
}

bool Ui::over_panel() const { return context_ && context_->HoveredWindow != nullptr; }

bool Ui::feed(const display::WindowEvent& e) {
    ImGui::SetCurrentContext(context_);
    ImGuiIO& io = ImGui::GetIO();
    using Kind = display::WindowEvent::Kind;
    io.MousePos = ImVec2(float(e.x), float(e.y));
    switch (e.kind) {
        case Kind::Move: return mouse_over_ui_;
        case Kind::Press:
        case Kind::Release: {
            int b = std::clamp(e.button, 0, 2);
            if (e.kind == Kind::Press) {
                io.MouseDown[b] = true;
                pressed_[b] = true;
            } else if (pressed_[b]) {
                release_later_[b] = true;  // pressed since the last frame: let it see the press
            } else {
                io.MouseDown[b] = false;
            }
            return mouse_over_ui_;
        }
        case Kind::Scroll:
            io.MouseWheel += float(e.scroll);
            return mouse_over_ui_;
        case Kind::Key:
        case Kind::KeyUp: {
            io.KeyCtrl = e.mods & display::kControl;
            io.KeyShift = e.mods & display::kShift;
            io.KeyAlt = e.mods & display::kAlt;
            if (e.key != Key::Other) {
                int k = int(e.key);
                if (e.kind == Kind::Key) {
                    io.KeysDown[k] = true;
                    keys_pressed_.push_back(k);
                } else if (std::find(keys_pressed_.begin(), keys_pressed_.end(), k) != keys_pressed_.end()) {
                    keys_release_later_.push_back(k);
                } else {
                    io.KeysDown[k] = false;
                }
            }
            return keyboard_to_ui_;
        }
        case Kind::Char:
            io.AddInputCharacter(e.codepoint);
            return keyboard_to_ui_;
    }
    return false;
}

void Ui::begin(float width, float height, double seconds) {
    ImGui::SetCurrentContext(context_);
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(width, height);
    io.DeltaTime = float(std::clamp(seconds, 1e-4, 0.5));
    ImGui::NewFrame();
    // This frame saw the presses: releases that came with them apply from the next.
    for (int b = 0; b < 3; ++b) {
        if (release_later_[b]) io.MouseDown[b] = false;
        pressed_[b] = release_later_[b] = false;
    }
    for (int k : keys_release_later_) io.KeysDown[k] = false;
    keys_pressed_.clear();
    keys_release_later_.clear();
}

display::OverlayList Ui::end() {
    ImGui::SetCurrentContext(context_);
    ImGui::Render();
    ImGuiIO& io = ImGui::GetIO();
    mouse_over_ui_ = io.WantCaptureMouse;
    keyboard_to_ui_ = io.WantCaptureKeyboard || io.WantTextInput;
    display::OverlayList list;
    list.ui_atlas = atlas_;
    const ImDrawData* data = ImGui::GetDrawData();
    if (!data) return list;
    for (int n = 0; n < data->CmdListsCount; ++n) {
        const ImDrawList* dl = data->CmdLists[n];
        uint32_t base_vertex = uint32_t(list.vertices.size()), base_index = uint32_t(list.indices.size());
        for (const ImDrawVert& v : dl->VtxBuffer) list.vertices.push_back({{v.pos.x, v.pos.y}, {v.uv.x, v.uv.y}, v.col});
        for (ImDrawIdx i : dl->IdxBuffer) list.indices.push_back(uint32_t(i));
        for (const ImDrawCmd& c : dl->CmdBuffer) {
            if (c.UserCallback) continue;  // none are used
            display::OverlayCommand oc;
            oc.clip = {c.ClipRect.x, c.ClipRect.y, c.ClipRect.z, c.ClipRect.w};
            oc.index_offset = base_index + c.IdxOffset;
            oc.index_count = c.ElemCount;
            oc.vertex_offset = base_vertex + c.VtxOffset;
            oc.texture = display::OverlayTexture::Ui;
            list.commands.push_back(oc);
        }
    }
    return list;
}

}  // namespace vitrine::editor
