// parse_site / load_site: the YAML of docs/site-file.md into a SiteFile, with the scene
// loader's reading plumbing (show/yaml_read.h): every key and value checked for its kind
// and range while reading, then the checks across keys (the site is open some time, a
// date is not both closed and open, a bind beyond loopback has its secret). load_site
// then checks what the file references with the scene and display loaders.
#include "session/site_file.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "core/paths.h"
#include "show/loader.h"
#include "yaml/reader.h"

namespace vitrine::session {
namespace {

namespace fs = std::filesystem;
using namespace yaml;
using show::Loc;
using show::Problem;
using yaml::wording::num;
using yaml::wording::q;

const std::vector<std::string> kTopKeys = {"vitrine", "scene",   "display", "output",   "hours",   "closed_dates",
                                           "open_dates", "outside_hours", "restart", "osc", "audio", "metrics",
                                           "watchdog"};
const std::vector<std::string> kOutputKeys = {"monitor", "fullscreen"};
const std::vector<std::string> kOscKeys = {"bind", "port", "secret"};
const std::vector<std::string> kAudioKeys = {"layout"};
const std::vector<std::string> kMetricsKeys = {"port"};
const std::vector<std::string> kOutsideKeys = {"scene"};
const std::vector<std::string> kWeekdays = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
const std::vector<std::string> kDayWords = {"closed", "always"};
const std::vector<std::string> kLayouts = {"stereo", "hrtf", "quad", "5.1", "7.1", "none"};

constexpr uint64_t kMaxSiteBytes = 1u << 20;
constexpr int kMaxMonitor = 63;
constexpr double kMinWatchdog = 1, kMaxWatchdog = 3600;  // seconds

std::string lower(std::string t) {
    for (char& c : t) c = char(std::tolower(static_cast<unsigned char>(c)));
    return t;
}

// Map::allow with `noun` ("key", "weekday") in the message, and a key that differs only
// in letter case offered as well ("unknown weekday 'Monday' in hours (did you mean 'monday'?)").
void allow(Reader& r, Map& m, const std::vector<std::string>& allowed, const std::string& context,
           const std::string& noun = "key") {
    std::vector<Field> kept;
    for (Field& f : m.fields) {
        if (std::find(allowed.begin(), allowed.end(), f.key) != allowed.end()) {
            kept.push_back(std::move(f));
            continue;
        }
        auto same = std::find_if(allowed.begin(), allowed.end(), [&](const std::string& a) { return lower(a) == lower(f.key); });
        std::string best = same != allowed.end() ? *same : yaml::nearest(f.key, allowed);
        if (!best.empty()) m.suggested.push_back(best);
        r.error(f.key_loc, "unknown " + noun + " " + q(f.key) + " " + context +
                               (best.empty() ? "" : " (did you mean " + q(best) + "?)"));
    }
    m.fields = std::move(kept);
}

// A whole number in [lo, hi]: "osc 'port' must be a whole number from 1 to 65535, got '70000'".
bool whole(Reader& r, const YAML::Node& n, const Loc& where, const std::string& subject, long long lo, long long hi,
           long long& out) {
    double d;
    if (!as_number(r, n, where, subject, d, "a whole number")) return false;
    if (d != std::floor(d) || d < double(lo) || d > double(hi)) {
        r.error(where, subject + " must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                           ", got " + q(n.Scalar()));
        return false;
    }
    out = (long long)d;
    return true;
}

std::optional<in_addr> ipv4(const std::string& host) {  // as the OSC server reads it
    in_addr address{};
    const std::string text = host == "localhost" ? "127.0.0.1" : host;
    if (inet_pton(AF_INET, text.c_str(), &address) != 1) return std::nullopt;
    return address;
}

class Parser {
public:
    Parser(Reader& r, SiteFile& s) : r_(r), s_(s), folder_(s.file.parent_path()) {}
    void file(const YAML::Node& root);

private:
    Reader& r_;
    SiteFile& s_;
    fs::path folder_;
    std::map<Date, Loc> closed_at_, open_at_;
    bool hours_ok_ = true;  // every day's hours read (else "never open" would only repeat a mistake)

    fs::path path(const YAML::Node& n, const Loc& at, const std::string& subject, const std::string& what);
    void output(const Field& f);
    void hours(const Field& f);
    bool day(const YAML::Node& n, const Loc& at, const std::string& subject, DayHours& out);
    bool span(const std::string& text, const Loc& at, const std::string& subject, Span& out);
    void closed_dates(const Field& f);
    void open_dates(const Field& f);
    void outside(const Field& f);
    void restart(const Field& f);
    void osc(const Field& f);
    void audio(const Field& f);
    void metrics(const Field& f);
    void watchdog(const Field& f);
    void where(const std::string& key, const Loc& at) { s_.locs.by_key[key] = at; }
};

void Parser::file(const YAML::Node& root) {
    if (root.IsNull()) return r_.error(r_.start(), "the site file is empty");
    Map m;
    if (!open_map(r_, root, r_.start(), "the site file", m)) return;
    s_.loc = m.loc;
    allow(r_, m, kTopKeys, "at top level");
    m.record(s_.locs);

    double version;
    if (read(r_, m, "vitrine", version) && version != 1)
        r_.error(m.get("vitrine")->loc, "format version " + num(version) + " is not known: only 1 exists");
    if (const Field* f = m.get("scene")) s_.scene = path(f->value, f->loc, f->subject(), "scene");
    else need(r_, m, "scene", "the site file");
    if (const Field* f = m.get("display")) s_.display_file = path(f->value, f->loc, f->subject(), "display");
    if (const Field* f = m.get("output")) output(*f);
    if (const Field* f = m.get("hours")) hours(*f);
    if (const Field* f = m.get("closed_dates")) closed_dates(*f);
    if (const Field* f = m.get("open_dates")) open_dates(*f);
    if (const Field* f = m.get("outside_hours")) outside(*f);
    if (const Field* f = m.get("restart")) restart(*f);
    if (const Field* f = m.get("osc")) osc(*f);
    if (const Field* f = m.get("audio")) audio(*f);
    if (const Field* f = m.get("metrics")) metrics(*f);
    if (const Field* f = m.get("watchdog")) watchdog(*f);

    // A date both closed and specially open: which one was meant?
    for (const auto& [date, at] : open_at_)
        if (auto c = closed_at_.find(date); c != closed_at_.end())
            r_.error(at, q(date_text(date)) + " is in both 'open_dates' and 'closed_dates' (at " + c->second.str() + ")");
    if (const Field* f = m.get("hours"); f && hours_ok_ && !s_.schedule.ever_open())
        r_.error(f->key_loc, "the site is never open: every weekday is closed (a weekday not named is closed) and no "
                         "'open_dates' has a span");
}

// A file named relative to the site file's folder, inside it, a regular file.
fs::path Parser::path(const YAML::Node& n, const Loc& at, const std::string& subject, const std::string& what) {
    std::string p;
    if (!as_string(r_, n, at, subject, p)) return {};
    if (file_inside(r_, folder_, p, at, what, "site file").empty()) return {};
    return (folder_ / p).lexically_normal();  // as the command line named the site file
}

void Parser::output(const Field& f) {
    Map m;
    if (!open_map(r_, f.value, f.loc, f.subject(), m)) return;
    allow(r_, m, kOutputKeys, "in output");
    for (const Field& k : m.fields) where("output." + k.key, k.loc);
    if (const Field* mon = m.get("monitor")) {
        if (mon->value.IsScalar() && is_plain(mon->value) && kind_of(mon->value) == "a number") {
            long long index;
            if (whole(r_, mon->value, mon->loc, "output 'monitor' (an index)", 0, kMaxMonitor, index))
                s_.output.monitor_index = int(index);
        } else if (as_string(r_, mon->value, mon->loc, "output 'monitor'", s_.output.monitor) && s_.output.monitor.empty()) {
            r_.error(mon->loc, "output 'monitor' must not be empty (leave it out for the primary monitor)");
        }
    }
    if (const Field* full = m.get("fullscreen")) as_bool(r_, full->value, full->loc, "output 'fullscreen'", s_.output.fullscreen);
}

bool Parser::span(const std::string& text, const Loc& at, const std::string& subject, Span& out) {
    if (text.find('-') == std::string::npos) {
        std::string best = yaml::nearest(lower(text), kDayWords);
        r_.error(at, subject + " must be a span \"HH:MM-HH:MM\", a list of spans, closed or always, got " + q(text) +
                         (best.empty() ? "" : " (did you mean " + q(best) + "?)"));
        return false;
    }
    std::string why = parse_span(text, out);
    if (why.empty()) return true;
    r_.error(at, subject + ": span " + q(text) + ": " + why);
    return false;
}

// One day's hours: a span, a list of spans, closed or always.
bool Parser::day(const YAML::Node& n, const Loc& at, const std::string& subject, DayHours& out) {
    out.clear();
    if (n.IsScalar()) {
        const std::string& text = n.Scalar();
        if (text == "closed") return true;
        if (text == "always") return out.push_back(Span{0, kDay}), true;
        Span s;
        if (!span(text, at, subject, s)) return false;
        out.push_back(s);
        return true;
    }
    if (!n.IsSequence()) {
        r_.error(at, subject + " must be a span \"HH:MM-HH:MM\", a list of spans, closed or always, got " + kind_of(n));
        return false;
    }
    std::vector<Item> items = open_seq(r_, n, at, subject);
    if (items.empty()) {
        r_.error(at, subject + ": an empty list (for a closed day write closed)");
        return false;
    }
    bool ok = true;
    std::vector<std::pair<Span, Loc>> spans;
    for (const Item& item : items) {
        std::string text;
        if (!as_string(r_, item.node, item.loc, subject + " (a list of spans)", text)) {
            ok = false;
            continue;
        }
        if (text == "closed" || text == "always") {
            r_.error(item.loc, subject + ": " + text + " stands alone, not in a list of spans");
            ok = false;
            continue;
        }
        Span s;
        if (span(text, item.loc, subject, s)) spans.push_back({s, item.loc});
        else ok = false;
    }
    std::stable_sort(spans.begin(), spans.end(), [](const auto& a, const auto& b) { return a.first.start < b.first.start; });
    for (size_t i = 1; i < spans.size(); ++i) {
        const auto& [before, before_at] = spans[i - 1];
        const auto& [s, s_at] = spans[i];
        if (s.start < before.end) {
            const Loc& later = std::tie(s_at.line, s_at.column) > std::tie(before_at.line, before_at.column) ? s_at : before_at;
            r_.error(later, subject + ": spans " + q(span_text(before)) + " and " + q(span_text(s)) + " overlap");
            ok = false;
        }
    }
    if (!ok) return false;
    for (const auto& [s, unused] : spans) out.push_back(s);
    return true;
}

void Parser::hours(const Field& f) {
    Map m;
    if (!open_map(r_, f.value, f.loc, f.subject(), m)) {
        hours_ok_ = false;
        return;
    }
    const size_t given = m.fields.size();
    allow(r_, m, kWeekdays, "in hours", "weekday");
    if (m.fields.size() != given) hours_ok_ = false;
    s_.schedule.week = {};  // a weekday not named is closed
    for (const Field& d : m.fields) {
        where("hours." + d.key, d.loc);
        size_t i = size_t(std::find(kWeekdays.begin(), kWeekdays.end(), d.key) - kWeekdays.begin());
        if (!day(d.value, d.loc, "hours " + q(d.key), s_.schedule.week[i])) hours_ok_ = false;
    }
}

void Parser::closed_dates(const Field& f) {
    for (const Item& item : open_seq(r_, f.value, f.loc, f.subject())) {
        std::string text;
        if (!as_string(r_, item.node, item.loc, "'closed_dates' (a list of dates)", text)) continue;
        auto date = parse_date(text);
        if (!date) {
            r_.error(item.loc, "closed_dates: " + q(text) + " is not a date (YYYY-MM-DD)");
            continue;
        }
        auto [it, fresh] = closed_at_.emplace(*date, item.loc);
        if (!fresh) {
            r_.error(item.loc, "closed_dates: " + q(text) + " is listed twice (first at " + it->second.str() + ")");
            continue;
        }
        where("closed_dates." + date_text(*date), item.loc);
        s_.schedule.closed_dates.insert(*date);
    }
}

void Parser::open_dates(const Field& f) {
    Map m;
    if (!open_map(r_, f.value, f.loc, f.subject(), m)) return;
    for (const Field& d : m.fields) {
        auto date = parse_date(d.key);
        if (!date) {
            r_.error(d.key_loc, "open_dates: " + q(d.key) + " is not a date (YYYY-MM-DD)");
            continue;
        }
        if (auto it = open_at_.find(*date); it != open_at_.end()) {  // "2026-12-28" and 2026-12-28
            r_.error(d.key_loc, "open_dates: " + q(d.key) + " is given twice (first at " + it->second.str() + ")");
            continue;
        }
        open_at_.emplace(*date, d.key_loc);
        where("open_dates." + date_text(*date), d.loc);
        DayHours hours;
        if (day(d.value, d.loc, "open_dates " + q(d.key), hours)) s_.schedule.open_dates[*date] = std::move(hours);
        else hours_ok_ = false;
    }
}

void Parser::outside(const Field& f) {
    if (f.value.IsScalar()) {
        const std::string& text = f.value.Scalar();
        if (text == "black") return;
        r_.error(f.loc, "'outside_hours' must be black or {scene: FILE}, got " + q(text) +
                            yaml::wording::did_you_mean(text, {"black"}));
        return;
    }
    Map m;
    if (!f.value.IsMap()) {
        r_.error(f.loc, "'outside_hours' must be black or {scene: FILE}, got " + kind_of(f.value));
        return;
    }
    if (!open_map(r_, f.value, f.loc, f.subject(), m)) return;
    allow(r_, m, kOutsideKeys, "in outside_hours");
    if (const Field* sc = m.get("scene")) {
        where("outside_hours.scene", sc->loc);
        s_.outside_scene = path(sc->value, sc->loc, "outside_hours 'scene'", "outside_hours scene");
    } else {
        need(r_, m, "scene", "outside_hours");
    }
}

void Parser::restart(const Field& f) {
    std::string text;
    if (!as_string(r_, f.value, f.loc, f.subject(), text)) return;
    auto t = parse_clock_time(text);
    if (!t) {
        r_.error(f.loc, "'restart' must be a time of day \"HH:MM\" (00:00 to 23:59), got " + q(text));
        return;
    }
    s_.restart = *t;
}

void Parser::osc(const Field& f) {
    if (f.value.IsScalar() && f.value.Scalar() == "off") {
        s_.osc.reset();
        return;
    }
    if (!f.value.IsMap()) {
        r_.error(f.loc, "'osc' must be a mapping {bind, port, secret} or off, got " +
                            (f.value.IsScalar() ? q(f.value.Scalar()) : kind_of(f.value)));
        return;
    }
    Map m;
    if (!open_map(r_, f.value, f.loc, f.subject(), m)) return;
    allow(r_, m, kOscKeys, "in osc");
    for (const Field& k : m.fields) where("osc." + k.key, k.loc);
    show::OscOptions& o = *s_.osc;
    bool bind_ok = true;
    if (const Field* b = m.get("bind")) {
        bind_ok = as_string(r_, b->value, b->loc, "osc 'bind'", o.host);
        if (bind_ok && !ipv4(o.host)) {
            r_.error(b->loc, "osc 'bind' must be an IPv4 address (or localhost), got " + q(o.host));
            bind_ok = false;
        }
    }
    if (const Field* p = m.get("port")) {
        long long port;
        if (whole(r_, p->value, p->loc, "osc 'port'", 1, 65535, port)) o.port = uint16_t(port);
    }
    if (const Field* sec = m.get("secret")) {
        if (as_string(r_, sec->value, sec->loc, "osc 'secret'", o.secret) && o.secret.empty())
            r_.error(sec->loc, "osc 'secret' must not be empty");
    }
    // The control port's rule (show/osc.h): beyond loopback, every message carries the secret.
    if (bind_ok && m.has("bind") && (ntohl(ipv4(o.host)->s_addr) >> 24) != 127 && !m.has("secret"))
        r_.error(m.get("bind")->loc, "osc 'bind' " + o.host + " is not a loopback address: it needs a 'secret' (the "
                                     "first argument of every message), or bind 127.0.0.1");
}

void Parser::audio(const Field& f) {
    Map m;
    if (!open_map(r_, f.value, f.loc, f.subject(), m)) return;
    allow(r_, m, kAudioKeys, "in audio");
    const Field* l = m.get("layout");
    if (!l) return;
    where("audio.layout", l->loc);
    std::string name;
    if (!as_string(r_, l->value, l->loc, "audio 'layout'", name)) return;
    if (name == "none") {
        s_.audio.reset();
        return;
    }
    Result<audio::Layout> layout = audio::parse_layout(name);
    if (layout) {
        s_.audio = *layout;
    } else if (name == "6.1") {
        r_.error(l->loc, "audio 'layout': " + layout.error().message);
    } else {
        r_.error(l->loc, "audio 'layout' must be stereo, hrtf, quad, 5.1, 7.1 or none, got " + q(name) +
                             yaml::wording::did_you_mean(lower(name), kLayouts));
    }
}

void Parser::metrics(const Field& f) {
    Map m;
    if (!open_map(r_, f.value, f.loc, f.subject(), m)) return;
    allow(r_, m, kMetricsKeys, "in metrics");
    if (const Field* p = m.get("port")) {
        where("metrics.port", p->loc);
        long long port;
        if (whole(r_, p->value, p->loc, "metrics 'port'", 1, 65535, port)) s_.metrics_port = uint16_t(port);
    } else {
        need(r_, m, "port", "metrics");
    }
}

void Parser::watchdog(const Field& f) {
    double seconds;
    if (!as_number(r_, f.value, f.loc, f.subject(), seconds)) return;
    if (seconds < kMinWatchdog || seconds > kMaxWatchdog) {
        r_.error(f.loc, "'watchdog' must be from " + num(kMinWatchdog) + " to " + num(kMaxWatchdog) + " seconds, got " +
                            num(seconds));
        return;
    }
    s_.watchdog = seconds;
}

// One scene named by the site, loaded as `check` loads it; its own display file too
// unless the site names one for every scene.
void check_scene(const fs::path& scene, bool site_display, std::vector<Problem>& problems) {
    auto loaded = show::load_scene(scene, problems);
    if (loaded && !site_display && !loaded->file.display_file.empty())
        room::load_display(loaded->file.display_file, problems);
}

}  // namespace

bool is_site_file(const std::string& path) {
    auto ends = [&](const std::string& e) {
        return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
    };
    return ends(".site.yaml") || ends(".site.yml");
}

SiteFile parse_site(const std::filesystem::path& file, const std::string& text, std::vector<Problem>& problems) {
    SiteFile s;
    s.file = file;
    s.loc = Loc{file.string(), 1, 1};
    size_t before = problems.size();
    Reader r(file.string(), problems);
    YAML::Node root;
    if (load(r, text, root)) {
        try {
            Parser(r, s).file(root);
        } catch (const std::exception& e) {  // yaml-cpp misbehaving must not take the kiosk down
            r.error(r.start(), std::string("cannot read the site file: ") + e.what());
        }
    }
    yaml::in_reading_order(problems, before, file);
    return s;
}

SiteFile load_site(const std::filesystem::path& file, std::vector<Problem>& problems) {
    std::optional<std::string> text = read_text(file, kMaxSiteBytes, problems);
    if (!text) {
        SiteFile s;
        s.file = file;
        return s;
    }
    SiteFile s = parse_site(file, *text, problems);
    const bool site_display = !s.display_file.empty();
    if (!s.scene.empty()) check_scene(s.scene, site_display, problems);
    if (site_display) {
        std::vector<Problem> own;
        room::DisplayFile d = room::load_display(s.display_file, own);
        if (own.empty()) s.display = std::move(d);
        problems.insert(problems.end(), own.begin(), own.end());
    }
    if (!s.outside_scene.empty()) check_scene(s.outside_scene, site_display, problems);
    return s;
}

}  // namespace vitrine::session
