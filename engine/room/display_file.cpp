// parse_display / load_display: the YAML of docs/display-file.md into a DisplayFile.
// Every key and value is checked for its kind while reading; mesh screens and a
// calibration file are loaded on the way; then the checks that need several keys (the
// eye against every screen, regions against the canvas and each other, a panel's canvas).
#include "room/display_file.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

#include "core/paths.h"
#include "room/projection.h"
#include "scene/gltf_import.h"
#include "scene/pose.h"
#include "yaml/reader.h"

namespace vitrine::room {
namespace {

namespace fs = std::filesystem;
using namespace yaml;
using yaml::wording::num;
using yaml::wording::q;

const std::vector<std::string> kTopKeys = {"canvas", "viewer", "screens", "lenticular", "stage"};
const std::vector<std::string> kViewerKeys = {"eye", "tracked", "near", "far", "ipd"};
const std::vector<std::string> kScreenKeys = {"name",   "pa",     "pb",     "pc",    "mesh",
                                              "region", "rotate", "flip_x", "flip_y"};
const std::vector<std::string> kLenticularKeys = {"calibration", "quilt", "views", "focal_plane", "depthiness", "size"};
const std::vector<std::string> kCalibrationKeys = {"pitch",   "slope",   "center",     "viewCone",   "invView", "DPI",
                                                   "screenW", "screenH", "flipImageX", "flipImageY", "flipSubp"};
const std::vector<std::string> kQuiltKeys = {"columns", "rows", "width", "height"};

constexpr int64_t kMaxCanvas = 65536;       // per side; outputs larger than 16384 are tiled
// In all: 2^31 pixels (8 GiB of RGBA8 rendered in tiles). The largest LED canvases (a
// 16K x 16K dome) are 2^28; a 30 000 x 8 000 wall is 2^27.8.
constexpr int64_t kMaxCanvasPixels = int64_t(1) << 31;
// Room coordinates (metres) within 10 km of the origin: a screen 10^12 m away is a typo
// (or worse), and single-precision views lose the scene long before.
constexpr double kMaxCoordinate = 10000;
constexpr int64_t kMaxQuilt = 16384;        // per side: one image on the GPU
constexpr int64_t kMaxQuiltGrid = 256;      // columns, rows
constexpr size_t kMaxScreens = 4096;
constexpr double kRightAngleTolerance = 0.5;  // degrees
constexpr double kSamePlace = 1e-6;           // metres: corners closer than this coincide
constexpr uint64_t kMaxDisplayBytes = 16u << 20;
constexpr uint64_t kMaxCalibrationBytes = 1u << 20;

// "87.2" (digits = 1), "5.37" (2).
std::string fixed(double v, int digits) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

std::string region_text(const Region& g) {
    return "[" + std::to_string(g.x) + ", " + std::to_string(g.y) + ", " + std::to_string(g.width) + ", " +
           std::to_string(g.height) + "]";
}

// Map::allow, and a key that differs only in letter case is offered as well
// ("unknown key 'dpi' in calibration (did you mean 'DPI'?)").
void allow(Reader& r, Map& m, const std::vector<std::string>& allowed, const std::string& context) {
    auto lower = [](std::string t) {
        for (char& c : t) c = char(std::tolower(static_cast<unsigned char>(c)));
        return t;
    };
    std::vector<Field> kept;
    for (Field& f : m.fields) {
        auto same = std::find_if(allowed.begin(), allowed.end(), [&](const std::string& a) {
            return a != f.key && lower(a) == lower(f.key);
        });
        if (same == allowed.end() || std::find(allowed.begin(), allowed.end(), f.key) != allowed.end()) {
            kept.push_back(std::move(f));
            continue;
        }
        m.suggested.push_back(*same);
        r.error(f.key_loc, "unknown key " + q(f.key) + " " + context + " (did you mean " + q(*same) + "?)");
    }
    m.fields = std::move(kept);
    m.allow(r, allowed, context);
}

// The items of a list of exactly `count` values: "'pa' takes 3 numbers, got 2".
bool list_of(Reader& r, const YAML::Node& n, const Loc& where, const std::string& subject, size_t count,
             std::vector<Item>& out) {
    if (!n.IsSequence()) {
        r.error(where, subject + " must be a list of " + yaml::wording::numbers(count) + ", got " + kind_of(n));
        return false;
    }
    out = open_seq(r, n, where, subject);
    if (out.size() != count) {
        r.error(where, subject + " takes " + yaml::wording::numbers(count) + ", got " + std::to_string(out.size()));
        return false;
    }
    return true;
}

bool vec3(Reader& r, const Field& f, const std::string& subject, glm::dvec3& out) {
    std::vector<Item> items;
    if (!list_of(r, f.value, f.loc, subject, 3, items)) return false;
    glm::dvec3 v(0);
    bool ok = true;
    for (size_t i = 0; i < 3; ++i) {
        if (!as_number(r, items[i].node, items[i].loc, subject, v[int(i)], "a list of 3 numbers")) {
            ok = false;
        } else if (std::fabs(v[int(i)]) > kMaxCoordinate) {
            r.error(items[i].loc, subject + " must lie within 10 km of the room's origin (each coordinate from -10000 "
                                            "to 10000 m), got " + num(v[int(i)]));
            ok = false;
        }
    }
    if (ok) out = v;
    return ok;
}

// A whole number in [lo, hi]; "1536" and "1536.0" alike (visual.json writes floats).
bool whole(Reader& r, const YAML::Node& n, const Loc& where, const std::string& subject, int64_t lo, int64_t hi,
           int64_t& out) {
    double d;
    if (!as_number(r, n, where, subject, d, "a whole number")) return false;
    if (d != std::floor(d) || d < double(lo) || d > double(hi)) {
        r.error(where, subject + " must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                           ", got " + q(n.Scalar()));
        return false;
    }
    out = int64_t(d);
    return true;
}

// The field `key` of `m`, named "<owner> 'key'" in messages; absent: false, `out` untouched.
bool number(Reader& r, const Map& m, const char* key, const std::string& owner, double& out) {
    const Field* f = m.get(key);
    return f && as_number(r, f->value, f->loc, owner + q(key), out);
}

// A number that must be more than 0 (or, with `zero_ok`, not negative).
bool positive(Reader& r, const Map& m, const char* key, const std::string& owner, double& out, bool zero_ok = false) {
    double v;
    if (!number(r, m, key, owner, v)) return false;
    if (zero_ok ? v < 0 : v <= 0) {
        r.error(m.get(key)->loc, owner + q(key) + (zero_ok ? " must not be negative" : " must be more than 0") +
                                     ", got " + num(v));
        return false;
    }
    out = v;
    return true;
}

bool whole_field(Reader& r, const Map& m, const char* key, const std::string& owner, int64_t lo, int64_t hi,
                 int64_t& out) {
    const Field* f = m.get(key);
    return f && whole(r, f->value, f->loc, owner + q(key), lo, hi, out);
}

class Parser {
public:
    Parser(Reader& r, DisplayFile& d, std::vector<Problem>& problems)
        : r_(r), d_(d), problems_(problems), folder_(d.file.parent_path()) {}
    void file(const YAML::Node& root);

private:
    // What the checks across keys need to know about a screen beyond its data.
    struct Read {
        std::string what;  // "screen 'left'" (or "screen 2" without a name)
        bool corners = false, mesh = false, region = false;
        Loc corners_at, mesh_at, region_at;
    };

    Reader& r_;
    DisplayFile& d_;
    std::vector<Problem>& problems_;
    fs::path folder_;
    std::vector<Read> read_;  // one per d_.screens
    bool canvas_given_ = false, canvas_ok_ = false, eye_ok_ = false;
    Loc canvas_at_;

    void canvas(const Field& f);
    void viewer(const Field& f);
    void screens(const Field& f);
    void screen(const Item& item, size_t index, std::map<std::string, Loc>& names);
    void corners(const Map& m, Screen& s, Read& info);
    void mesh(const Field& f, Screen& s, Read& info);
    void region(const Field& f, Screen& s, Read& info);
    void lenticular(const Field& f);
    void calibration(Reader& r, const Map& m, bool json, Calibration& c);
    void stage(const Field& f);
    fs::path inside(const std::string& path, const Loc& at, const std::string& what);
    void check_canvas_pixels();
    void check_regions();
    void check_eye();
};

void Parser::file(const YAML::Node& root) {
    if (root.IsNull()) return r_.error(r_.start(), "the display file is empty");
    Map m;
    if (!open_map(r_, root, r_.start(), "the display file", m)) return;
    allow(r_, m, kTopKeys, "at top level");

    const Field* screens_f = m.get("screens");
    const Field* lenticular_f = m.get("lenticular");
    if (screens_f && lenticular_f) {
        const Field* later = screens_f->key_loc.line > lenticular_f->key_loc.line ? screens_f : lenticular_f;
        r_.error(later->key_loc, "the display file takes either 'screens' or 'lenticular', not both");
    } else if (!screens_f && !lenticular_f && !m.misspelt({"screens", "lenticular"})) {
        r_.error(m.loc, "the display file needs 'screens' or 'lenticular'");
    }
    if (const Field* f = m.get("canvas")) canvas(*f);
    else if (screens_f) need(r_, m, "canvas", "the display file");
    if (const Field* f = m.get("viewer")) viewer(*f);
    else if (screens_f) need(r_, m, "viewer", "the display file");
    if (screens_f) screens(*screens_f);
    if (lenticular_f && !screens_f) lenticular(*lenticular_f);
    if (const Field* f = m.get("stage")) stage(*f);

    check_canvas_pixels();
    check_regions();
    check_eye();
}

// Sides are bounded while reading; so is the whole (a 65536 x 65536 canvas would render
// tile after tile for days).
void Parser::check_canvas_pixels() {
    if (!canvas_ok_ || d_.canvas_width * d_.canvas_height <= kMaxCanvasPixels) return;
    r_.error(canvas_at_, "the canvas is " + std::to_string(d_.canvas_width) + " x " + std::to_string(d_.canvas_height) +
                             " = " + std::to_string(d_.canvas_width * d_.canvas_height) + " pixels, more than the " +
                             std::to_string(kMaxCanvasPixels) + " (2^31) a canvas may have");
    canvas_ok_ = false;
}

void Parser::canvas(const Field& f) {
    canvas_given_ = true;
    canvas_at_ = f.loc;
    std::vector<Item> items;
    if (!list_of(r_, f.value, f.loc, "'canvas'", 2, items)) return;
    bool ok = whole(r_, items[0].node, items[0].loc, "'canvas' width", 1, kMaxCanvas, d_.canvas_width);
    ok = whole(r_, items[1].node, items[1].loc, "'canvas' height", 1, kMaxCanvas, d_.canvas_height) && ok;
    canvas_ok_ = ok;
}

void Parser::viewer(const Field& f) {
    Map m;
    if (!open_map(r_, f.value, f.loc, f.subject(), m)) return;
    allow(r_, m, kViewerKeys, "in viewer");
    Viewer& v = d_.viewer;
    const std::string owner = "viewer ";
    if (const Field* t = m.get("tracked")) {
        std::string how;
        if (as_string(r_, t->value, t->loc, owner + q("tracked"), how)) {
            if (how == "osc") v.tracked = true;
            else r_.error(t->loc, "viewer 'tracked' must be osc, got " + q(how));
        }
    }
    if (const Field* e = m.get("eye")) eye_ok_ = vec3(r_, *e, owner + q("eye"), v.eye);
    else if (!m.has("tracked") && !m.misspelt({"eye", "tracked"}))
        r_.error(m.loc, "viewer needs 'eye' (or 'tracked: osc')");
    bool near_ok = positive(r_, m, "near", owner, v.near) || !m.has("near");
    double far = v.far;
    if (number(r_, m, "far", owner, far) && near_ok) {
        if (far <= v.near)
            r_.error(m.get("far")->loc, "viewer 'far' must be more than 'near' (" + num(v.near) + "), got " + num(far));
        else
            v.far = far;
    } else if (!m.has("far") && m.has("near") && near_ok && v.near >= v.far) {
        r_.error(m.get("near")->loc, "viewer 'near' must be less than 'far' (" + num(v.far) + "), got " + num(v.near));
    }
    positive(r_, m, "ipd", owner, v.ipd, true);
}

void Parser::screens(const Field& f) {
    std::vector<Item> items = open_seq(r_, f.value, f.loc, f.subject());
    if (items.empty() && (f.value.IsNull() || f.value.IsSequence())) r_.error(f.loc, "'screens' must not be empty");
    if (items.size() > kMaxScreens) {
        r_.error(f.loc, "more than " + std::to_string(kMaxScreens) + " screens");
        return;
    }
    std::map<std::string, Loc> names;
    for (size_t i = 0; i < items.size(); ++i) screen(items[i], i, names);
}

void Parser::screen(const Item& item, size_t index, std::map<std::string, Loc>& names) {
    Map m;
    if (!open_map(r_, item.node, item.loc, "a screen", m)) return;
    Screen s;
    Read info;
    s.loc = m.loc;
    info.what = "screen " + std::to_string(index + 1);
    if (need(r_, m, "name", "screen " + std::to_string(index + 1)) && read(r_, m, "name", s.name)) {
        const Loc& at = m.get("name")->loc;
        if (s.name.empty()) {
            r_.error(at, "screen " + std::to_string(index + 1) + " name must not be empty");
        } else {
            info.what = "screen " + q(s.name);
            auto [it, fresh] = names.emplace(s.name, at);
            if (!fresh) r_.error(at, info.what + " is defined twice (first at " + it->second.str() + ")");
        }
    }
    allow(r_, m, kScreenKeys, "in " + info.what);
    const std::string owner = info.what + ": ";

    bool has_corner = m.has("pa") || m.has("pb") || m.has("pc");
    if (const Field* f = m.get("mesh")) {
        if (has_corner) r_.error(f->key_loc, info.what + " takes either corners (pa, pb, pc) or 'mesh', not both");
        else mesh(*f, s, info);
    } else if (has_corner) {
        corners(m, s, info);
    } else if (!m.misspelt({"pa", "pb", "pc", "mesh"})) {
        r_.error(m.loc, info.what + " needs corners (pa, pb, pc) or 'mesh'");
    }

    if (need(r_, m, "region", info.what)) region(*m.get("region"), s, info);
    if (const Field* f = m.get("rotate")) {
        double deg;
        if (as_number(r_, f->value, f->loc, owner + q("rotate"), deg)) {
            if (deg == 0 || deg == 90 || deg == 180 || deg == 270) s.orientation.rotate = int(deg);
            else r_.error(f->loc, owner + "'rotate' must be 0, 90, 180 or 270, got " + num(deg));
        }
    }
    if (const Field* f = m.get("flip_x")) as_bool(r_, f->value, f->loc, owner + q("flip_x"), s.orientation.flip_x);
    if (const Field* f = m.get("flip_y")) as_bool(r_, f->value, f->loc, owner + q("flip_y"), s.orientation.flip_y);

    d_.screens.push_back(std::move(s));
    read_.push_back(std::move(info));
}

// pa, pb, pc: distinct, not on one line, meeting at a right angle at pa.
void Parser::corners(const Map& m, Screen& s, Read& info) {
    const std::string owner = info.what + ": ";
    bool ok = true;
    glm::dvec3* out[3] = {&s.pa, &s.pb, &s.pc};
    const char* keys[3] = {"pa", "pb", "pc"};
    for (int i = 0; i < 3; ++i) {
        if (!need(r_, m, keys[i], info.what)) ok = false;
        else ok = vec3(r_, *m.get(keys[i]), owner + q(keys[i]), *out[i]) && ok;
    }
    if (!ok) return;
    info.corners_at = m.get("pa")->loc;
    auto fail = [&](const char* key, const std::string& message) {
        r_.error(m.get(key)->loc, owner + key + ": " + message);
    };
    glm::dvec3 u = s.pb - s.pa, v = s.pc - s.pa;
    if (glm::length(u) < kSamePlace) return fail("pb", "corner is at the same place as pa");
    if (glm::length(v) < kSamePlace) return fail("pc", "corner is at the same place as pa");
    if (glm::length(s.pc - s.pb) < kSamePlace) return fail("pc", "corner is at the same place as pb");
    double sine = glm::length(glm::cross(u, v)) / (glm::length(u) * glm::length(v));
    if (sine < 1e-9) return fail("pc", "corners pa, pb and pc lie on one line");
    double angle = glm::degrees(std::atan2(glm::length(glm::cross(u, v)), glm::dot(u, v)));
    if (std::fabs(angle - 90) > kRightAngleTolerance)
        return fail("pc", "corners are not at a right angle (pb-pa and pc-pa meet at " + fixed(angle, 1) + " degrees)");
    s.planar = true;
    info.corners = true;
}

// A path relative to the display file's folder that must stay inside it and be a file;
// empty (and reported) otherwise. `what`: "screen 'c': mesh", "calibration".
fs::path Parser::inside(const std::string& path, const Loc& at, const std::string& what) {
    return file_inside(r_, folder_, path, at, what, "display file");
}

// The glTF's triangles in the room, node transforms applied (default scene, no animation).
void Parser::mesh(const Field& f, Screen& s, Read& info) {
    s.planar = false;
    info.mesh_at = f.loc;
    const std::string owner = info.what + ": ";
    std::string path;
    if (!as_string(r_, f.value, f.loc, owner + q("mesh"), path)) return;
    fs::path full = inside(path, f.loc, owner + "mesh");
    if (full.empty()) return;
    Result<scene::Model> model = scene::import_gltf(full);
    if (!model) return r_.error(f.loc, owner + "cannot load mesh " + q(path) + ": " + model.error().message);
    ScreenMesh& out = s.mesh;
    out.file = full;
    scene::Pose pose = scene::evaluate_pose(*model, -1, 0);
    for (const scene::DrawItem& item : pose.items) {
        const scene::Primitive& prim = model->meshes[size_t(item.mesh)].primitives[size_t(item.primitive)];
        if (prim.vertices.empty() || prim.indices.empty()) continue;
        if (!prim.has_uv0)
            return r_.error(f.loc, owner + "mesh " + q(path) + " has no TEXCOORD_0 (mesh " + std::to_string(item.mesh) +
                                       ", primitive " + std::to_string(item.primitive) +
                                       "): its UVs place the surface on the screen's region");
        uint32_t base = uint32_t(out.positions.size());
        for (size_t i = 0; i < prim.vertices.size(); ++i) {
            glm::vec3 p = item.deformed.empty() ? glm::vec3(item.world * glm::vec4(prim.vertices[i].position, 1))
                                                : item.deformed[i].position;
            out.positions.push_back(glm::dvec3(p));
            out.uvs.push_back(glm::dvec2(prim.vertices[i].uv0));
        }
        for (uint32_t index : prim.indices) out.indices.push_back(base + index);
    }
    for (const glm::dvec3& p : out.positions)
        if (!(std::fabs(p.x) <= kMaxCoordinate && std::fabs(p.y) <= kMaxCoordinate && std::fabs(p.z) <= kMaxCoordinate))
            return r_.error(f.loc, owner + "mesh " + q(path) + " has a vertex at [" + num(p.x) + ", " + num(p.y) + ", " +
                                       num(p.z) + "], more than 10 km from the room's origin");
    if (out.indices.empty()) return r_.error(f.loc, owner + "mesh " + q(path) + " has no triangles");
    info.mesh = true;
}

void Parser::region(const Field& f, Screen& s, Read& info) {
    const std::string subject = info.what + ": 'region'";
    std::vector<Item> items;
    info.region_at = f.loc;
    if (!list_of(r_, f.value, f.loc, subject, 4, items)) return;
    int64_t v[4] = {0, 0, 0, 0};
    bool ok = true;
    for (size_t i = 0; i < 4; ++i) {
        double d = 0;
        if (!as_number(r_, items[i].node, items[i].loc, subject, d, "a list of 4 numbers")) {
            ok = false;
        } else if (d != std::floor(d) || std::fabs(d) > 1e9) {
            r_.error(items[i].loc, subject + " must be 4 whole numbers [x, y, width, height], got " +
                                       q(items[i].node.Scalar()));
            ok = false;
        } else {
            v[i] = int64_t(d);
        }
    }
    if (!ok) return;
    s.region = Region{v[0], v[1], v[2], v[3]};
    if (v[2] <= 0 || v[3] <= 0)
        return r_.error(f.loc, info.what + ": region: width and height must be more than 0, got " +
                                   std::to_string(v[2]) + " x " + std::to_string(v[3]));
    info.region = true;
}

// A calibration value: a number, or {value: N} as visual.json writes it; `at` is
// where the number is.
bool calibration_value(Reader& r, const Map& m, const char* key, bool json, double& out, Loc& at) {
    const Field* f = m.get(key);
    if (!f) return false;
    const std::string subject = "calibration " + q(key);
    YAML::Node value = f->value;
    at = f->loc;
    if (value.IsMap()) {
        Map inner;
        if (!open_map(r, value, at, subject, inner)) return false;
        if (!json) allow(r, inner, {"value"}, "in " + subject);
        const Field* v = inner.get("value");
        if (!v) {
            if (!inner.misspelt({"value"})) r.error(inner.loc, subject + " needs 'value'");
            return false;
        }
        value = v->value;
        at = v->loc;
    }
    return as_number(r, value, at, subject, out, "a number or {value: N}");
}

// The Looking Glass fields (visual.json's names), from a YAML mapping or the JSON file.
void Parser::calibration(Reader& r, const Map& m, bool json, Calibration& c) {
    for (const char* key : {"pitch", "slope", "center", "DPI", "screenW", "screenH"}) need(r, m, key, "calibration");
    // Each number with the rule it must meet ("" = any).
    struct Rule {
        const char* key;
        double* out;
        bool (*ok)(double);
        const char* must;
    };
    const Rule rules[] = {
        {"pitch", &c.pitch, [](double v) { return v > 0; }, "be more than 0"},
        {"slope", &c.slope, [](double v) { return v != 0; }, "not be 0"},
        {"center", &c.center, [](double) { return true; }, ""},
        {"viewCone", &c.view_cone, [](double v) { return v > 0 && v < 180; },
         "be more than 0 and less than 180 degrees"},
        {"DPI", &c.dpi, [](double v) { return v > 0; }, "be more than 0"},
    };
    double v;
    Loc at;
    for (const Rule& rule : rules) {
        if (!calibration_value(r, m, rule.key, json, v, at)) continue;
        if (rule.ok(v)) *rule.out = v;
        else r.error(at, "calibration " + q(rule.key) + " must " + rule.must + ", got " + num(v));
    }
    for (auto [key, out] : {std::pair{"screenW", &c.screen_w}, std::pair{"screenH", &c.screen_h}}) {
        if (!calibration_value(r, m, key, json, v, at)) continue;
        if (v == std::floor(v) && v >= 1 && v <= double(kMaxCanvas)) *out = int64_t(v);
        else r.error(at, "calibration " + q(key) + " must be a whole number from 1 to " + std::to_string(kMaxCanvas) +
                             ", got " + num(v));
    }
    // Flags: 0 or 1 as visual.json writes them, or true/false.
    for (auto [key, out] : {std::pair{"invView", &c.inv_view}, std::pair{"flipImageX", &c.flip_image_x},
                            std::pair{"flipImageY", &c.flip_image_y}, std::pair{"flipSubp", &c.flip_subp}}) {
        const Field* f = m.get(key);
        bool b;
        if (f && f->value.IsScalar() && is_plain(f->value) && parse_bool(f->value.Scalar(), b)) {
            *out = b;
        } else if (calibration_value(r, m, key, json, v, at)) {
            if (v == 0 || v == 1) *out = v == 1;
            else r.error(at, "calibration " + q(key) + " must be 0 or 1, got " + num(v));
        }
    }
}

void Parser::lenticular(const Field& f) {
    Map m;
    if (!open_map(r_, f.value, f.loc, f.subject(), m)) return;
    allow(r_, m, kLenticularKeys, "in lenticular");
    Lenticular l;
    bool panel_ok = false;  // screenW and screenH known
    if (need(r_, m, "calibration", "lenticular")) {
        const Field& c = *m.get("calibration");
        if (c.value.IsScalar()) {  // a path to the device's visual.json
            std::string path;
            fs::path full;
            if (as_string(r_, c.value, c.loc, "lenticular 'calibration'", path))
                full = inside(path, c.loc, "calibration");
            if (!full.empty()) {
                Result<std::vector<uint8_t>> bytes = read_file(full, kMaxCalibrationBytes);
                if (!bytes) {
                    r_.error(c.loc, "cannot read calibration file " + q(path) + ": " + bytes.error().message);
                } else {
                    fs::path shown = (folder_ / path).lexically_normal();
                    Reader json(shown.string(), problems_);
                    YAML::Node root;
                    Map cm;
                    if (load(json, std::string(bytes->begin(), bytes->end()), root, "JSON")) {
                        if (root.IsNull()) json.error(json.start(), "the calibration file is empty");
                        else if (open_map(json, root, json.start(), "the calibration file", cm))
                            calibration(json, cm, true, l.calibration);
                    }
                }
            }
        } else {
            Map cm;
            if (open_map(r_, c.value, c.loc, "lenticular 'calibration'", cm)) {
                allow(r_, cm, kCalibrationKeys, "in calibration");
                calibration(r_, cm, false, l.calibration);
            }
        }
        panel_ok = l.calibration.screen_w > 0 && l.calibration.screen_h > 0;
    }
    bool quilt_ok = true;
    if (const Field* q_f = m.get("quilt")) {
        Map qm;
        if (open_map(r_, q_f->value, q_f->loc, "lenticular 'quilt'", qm)) {
            allow(r_, qm, kQuiltKeys, "in quilt");
            QuiltLayout& ql = l.quilt;
            // Absent keys keep their defaults; present ones must read.
            quilt_ok = whole_field(r_, qm, "columns", "quilt ", 1, kMaxQuiltGrid, ql.columns) || !qm.has("columns");
            quilt_ok = (whole_field(r_, qm, "rows", "quilt ", 1, kMaxQuiltGrid, ql.rows) || !qm.has("rows")) &&
                       quilt_ok;
            bool w_ok = whole_field(r_, qm, "width", "quilt ", 1, kMaxQuilt, ql.width) || !qm.has("width");
            bool h_ok = whole_field(r_, qm, "height", "quilt ", 1, kMaxQuilt, ql.height) || !qm.has("height");
            if (quilt_ok && w_ok && ql.width < ql.columns)
                r_.error(qm.has("width") ? qm.get("width")->loc : qm.loc,
                         "quilt 'width' must be at least 'columns' (" + std::to_string(ql.columns) + "), got " +
                             std::to_string(ql.width));
            if (quilt_ok && h_ok && ql.height < ql.rows)
                r_.error(qm.has("height") ? qm.get("height")->loc : qm.loc,
                         "quilt 'height' must be at least 'rows' (" + std::to_string(ql.rows) + "), got " +
                             std::to_string(ql.height));
        } else {
            quilt_ok = false;
        }
    }
    if (const Field* v = m.get("views")) {
        int64_t views = 0;
        if (whole(r_, v->value, v->loc, "lenticular 'views'", 1, kMaxQuiltGrid * kMaxQuiltGrid, views)) {
            int64_t tiles = l.quilt.columns * l.quilt.rows;
            if (quilt_ok && views > tiles)
                r_.error(v->loc, "lenticular 'views' must be at most the quilt's columns x rows (" +
                                     std::to_string(tiles) + "), got " + std::to_string(views));
            else l.views = views;
        }
    } else if (quilt_ok && l.views > l.quilt.columns * l.quilt.rows) {
        r_.error(m.has("quilt") ? m.get("quilt")->loc : m.loc,
                 "the quilt holds " + std::to_string(l.quilt.columns * l.quilt.rows) +
                     " views, fewer than 'views' (default 48)");
    }
    positive(r_, m, "focal_plane", "lenticular ", l.focal_plane);
    positive(r_, m, "depthiness", "lenticular ", l.depthiness, true);
    positive(r_, m, "size", "lenticular ", l.size);

    // The canvas is the panel's native picture.
    if (panel_ok) {
        const Calibration& c = l.calibration;
        if (!canvas_given_) {
            d_.canvas_width = c.screen_w;
            d_.canvas_height = c.screen_h;
            canvas_ok_ = true;
            canvas_at_ = m.get("calibration")->loc;
        } else if (canvas_ok_ && (d_.canvas_width != c.screen_w || d_.canvas_height != c.screen_h)) {
            r_.error(canvas_at_, "'canvas' must equal the panel's screenW x screenH (" + std::to_string(c.screen_w) +
                                     " x " + std::to_string(c.screen_h) + "), got " + std::to_string(d_.canvas_width) +
                                     " x " + std::to_string(d_.canvas_height));
        }
    }
    d_.lenticular = l;
}

void Parser::stage(const Field& f) {
    Map m;
    if (!open_map(r_, f.value, f.loc, f.subject(), m)) return;
    allow(r_, m, {"center", "size"}, "in stage");
    d_.stage.given = true;
    if (const Field* c = m.get("center")) vec3(r_, *c, "stage 'center'", d_.stage.center);
    positive(r_, m, "size", "stage ", d_.stage.size);
}

// Every region on the canvas and no two sharing a pixel.
void Parser::check_regions() {
    for (size_t i = 0; i < d_.screens.size(); ++i) {
        const Region& g = d_.screens[i].region;
        if (!read_[i].region || !canvas_ok_) continue;
        if (g.x < 0 || g.y < 0 || g.x + g.width > d_.canvas_width || g.y + g.height > d_.canvas_height) {
            r_.error(read_[i].region_at, read_[i].what + ": region " + region_text(g) +
                                             " reaches outside the canvas (" + std::to_string(d_.canvas_width) +
                                             " x " + std::to_string(d_.canvas_height) + ")");
            read_[i].region = false;
        }
    }
    for (size_t j = 0; j < d_.screens.size(); ++j)
        for (size_t i = 0; i < j; ++i) {
            if (!read_[i].region || !read_[j].region) continue;
            const Region &a = d_.screens[i].region, &b = d_.screens[j].region;
            int64_t w = std::min(a.x + a.width, b.x + b.width) - std::max(a.x, b.x);
            int64_t h = std::min(a.y + a.height, b.y + b.height) - std::max(a.y, b.y);
            if (w > 0 && h > 0)
                r_.error(read_[j].region_at, read_[j].what + ": region overlaps the region of " + read_[i].what +
                                                 " by " + std::to_string(w) + " x " + std::to_string(h) + " pixels");
        }
}

// The eye in front of every screen: of a planar screen's plane, of each mesh triangle.
void Parser::check_eye() {
    if (!eye_ok_) return;
    const glm::dvec3 eye = d_.viewer.eye;
    for (size_t i = 0; i < d_.screens.size(); ++i) {
        const Screen& s = d_.screens[i];
        const Read& info = read_[i];
        if (info.corners) {
            double d = eye_distance(s.pa, s.pb, s.pc, eye);
            if (std::fabs(d) < 1e-9)
                r_.error(info.corners_at, info.what + ": the eye is on the screen's plane");
            else if (d < 0)
                r_.error(info.corners_at, info.what + ": the eye is " + fixed(-d, 2) +
                                              " m behind the screen; seen from the eye, pa, pb and pc must be its "
                                              "lower-left, lower-right and upper-left corners");
        } else if (info.mesh) {
            const ScreenMesh& m = s.mesh;
            size_t triangles = m.indices.size() / 3, away = 0;
            for (size_t t = 0; t < triangles; ++t) {
                const glm::dvec3 &a = m.positions[m.indices[3 * t]], &b = m.positions[m.indices[3 * t + 1]],
                                 &c = m.positions[m.indices[3 * t + 2]];
                glm::dvec3 n = glm::cross(b - a, c - a);
                double area2 = glm::length(n);
                if (area2 < 1e-12) continue;  // degenerate: faces nowhere
                if (glm::dot(eye - a, n / area2) <= 1e-9) ++away;
            }
            if (away)
                r_.error(info.mesh_at, info.what + ": the eye is not in front of " + std::to_string(away) + " of " +
                                           std::to_string(triangles) + " triangles of the mesh (each triangle's " +
                                           "front, by its winding, must face the eye)");
        }
    }
}

}  // namespace

DisplayFile parse_display(const std::filesystem::path& file, const std::string& text, std::vector<Problem>& problems) {
    DisplayFile d;
    d.file = file;
    size_t before = problems.size();
    Reader r(file.string(), problems);
    YAML::Node root;
    if (load(r, text, root)) {
        try {
            Parser(r, d, problems).file(root);
        } catch (const std::exception& e) {  // yaml-cpp misbehaving must not take the show down
            r.error(r.start(), std::string("cannot read the display file: ") + e.what());
        }
    }
    yaml::in_reading_order(problems, before, file);  // the display file, then the files it names
    return d;
}

DisplayFile load_display(const std::filesystem::path& file, std::vector<Problem>& problems) {
    std::optional<std::string> text = read_text(file, kMaxDisplayBytes, problems);
    if (!text) {
        DisplayFile d;
        d.file = file;
        return d;
    }
    return parse_display(file, *text, problems);
}

}  // namespace vitrine::room
