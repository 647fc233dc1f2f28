// `vitrine kiosk SITE.site.yaml`: the installation (a thin command over session::run_kiosk,
// engine/session/kiosk.h); `vitrine kiosk install SITE [--user]`: its systemd unit.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "app/args.h"
#include "app/commands.h"
#include "app/usage.h"
#include "core/log.h"
#include "core/outputs.h"
#include "session/kiosk.h"
#include "session/soak.h"
#include "session/schedule.h"

namespace vitrine::app {

namespace fs = std::filesystem;

namespace {

// "2026-12-08T10:00" (local time) -> time_t.
Result<std::time_t> parse_local(const std::string& text) {
    auto t = text.find('T');
    auto date = session::parse_date(text.substr(0, t));
    auto clock = t == std::string::npos ? std::nullopt : session::parse_clock_time(text.substr(t + 1));
    if (!date || !clock) return fail("--at expects a local date and time YYYY-MM-DDTHH:MM, got '" + text + "'");
    std::tm tm{};
    tm.tm_year = date->year - 1900, tm.tm_mon = date->month - 1, tm.tm_mday = date->day;
    tm.tm_hour = *clock / 3600, tm.tm_min = *clock / 60 % 60, tm.tm_sec = *clock % 60;
    tm.tm_isdst = -1;
    return std::mktime(&tm);
}

int install(int argc, char** argv) {
    auto args = Args::parse(argc, argv, 3, {"--out"}, {"--user", "--force"});
    if (!args) { usage_error("kiosk install", args.error().message); return kUsage; }
    if (args->words().size() != 1) {
        usage_error("kiosk install");
        return kUsage;
    }
    std::error_code ec;
    fs::path site = fs::absolute(args->words()[0], ec);
    std::vector<show::Problem> problems;
    session::SiteFile s = session::load_site(site, problems);
    for (const show::Problem& p : problems) std::fprintf(stderr, "%s\n", p.str().c_str());
    if (!problems.empty()) {
        log::error(site.string() + ": " + std::to_string(problems.size()) + " problem(s) (listed above); no unit written");
        return kBadInput;
    }
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (ec) self = "/usr/bin/vitrine";
    bool user = args->has("--user");
    std::string name = "vitrine-kiosk-" + site.stem().stem().string() + ".service";
    fs::path out = args->has("--out") ? fs::path(args->get("--out", ""))
                   : user ? fs::path(std::getenv("HOME") ? std::getenv("HOME") : ".") / ".config/systemd/user" / name
                          : fs::path("/etc/systemd/system") / name;
    // Never over the site or anything it names, nor over a file that is not a unit
    // (without --force); written under a temporary name and moved into place.
    for (const fs::path& input : {site, s.scene, s.display_file, s.outside_scene})
        if (!input.empty()) outputs::protect(input);
    outputs::set_force(args->has("--force"));
    if (out.has_parent_path()) fs::create_directories(out.parent_path(), ec);
    auto file = outputs::OutputFile::create(out, outputs::Kind::SystemdUnit);
    if (!file) {
        log::error(file.error().message + (user || args->has("--out") ? "" : " (run it with sudo, or give --out FILE)"));
        return exit_code(file.error().kind);
    }
    std::string unit = session::kiosk_unit(self, site, s, user);
    std::fwrite(unit.data(), 1, unit.size(), file->stream());
    if (auto r = file->commit(); !r) {
        log::error(r.error().message);
        return exit_code(r.error().kind);
    }
    std::string ctl = user ? "systemctl --user" : "sudo systemctl";
    std::printf("wrote %s\nenable and start it with:\n  %s daemon-reload && %s enable --now %s\n"
                "its log: journalctl %s-u %s -f\n",
                out.string().c_str(), ctl.c_str(), ctl.c_str(), out.filename().string().c_str(), user ? "--user " : "",
                out.filename().string().c_str());
    return kOk;
}

// `vitrine kiosk SITE --simulate SPAN`: the soak (session/soak.h).
int simulate(int argc, char** argv) {
    auto args = Args::parse(argc, argv, 2, {"--simulate", "--touches-per-hour", "--size", "--at", "--scratch", "--seed"},
                            {"--faults", "--quiet"});
    if (!args) { usage_error("kiosk simulate", args.error().message); return kUsage; }
    if (args->words().size() != 1) {
        usage_error("kiosk simulate");
        return kUsage;
    }
    if (args->has("--quiet")) log::set_quiet(true);
    session::SoakOptions o;
    o.site = args->words()[0];
    o.validation = validation_requested();
    o.faults = args->has("--faults");
    auto span = session::parse_span(args->get("--simulate", ""));
    if (!span) { log::error("--simulate expects a span such as 30d, 12h or 90m (at most a year)"); return kBadInput; }
    o.seconds = *span;
    if (args->has("--size")) {  // a window; else fullscreen as the site says
        auto size = args->size("--size", 320, 180);
        if (!size) { log::error(size.error().message); return kBadInput; }
        o.size = *size;
    }
    auto touches = args->number("--touches-per-hour", 0);
    if (!touches || *touches < 0 || *touches > 36000) { log::error("--touches-per-hour expects 0 .. 36000"); return kBadInput; }
    o.touches_per_hour = *touches;
    auto seed = args->integer("--seed", 1);
    if (!seed || *seed < 0) { log::error("--seed expects a whole number, 0 or more"); return kBadInput; }
    o.seed = uint32_t(*seed);
    if (args->has("--at")) {
        auto at = parse_local(args->get("--at", ""));
        if (!at) { log::error(at.error().message); return kBadInput; }
        o.start_at = *at;
    }
    o.scratch = args->get("--scratch", "");
    return session::run_soak(o);
}

}  // namespace

int cmd_kiosk(int argc, char** argv) {
    if (argc > 2 && std::string(argv[2]) == "install") return install(argc, argv);
    for (int i = 2; i < argc; ++i)
        if (std::string(argv[i]) == "--simulate") return simulate(argc, argv);
    auto args = Args::parse(argc, argv, 2, {"--size", "--frames", "--at", "--hook-budget-ms", "--metrics-port"}, {"--quiet"});
    if (!args) { usage_error("kiosk", args.error().message); return kUsage; }
    if (args->words().size() != 1) {
        usage_error("kiosk");
        return kUsage;
    }
    if (args->has("--quiet")) log::set_quiet(true);
    session::KioskOptions o;
    o.site = args->words()[0];
    o.argv.assign(argv, argv + argc);
    o.validation = validation_requested();
    if (args->has("--size")) {  // tests: a window of this size, not fullscreen
        auto size = args->size("--size", 1280, 720);
        if (!size) { log::error(size.error().message); return kBadInput; }
        o.window = *size;
    }
    auto frames = args->integer("--frames", 0);
    if (!frames || *frames < 0) { log::error(frames ? "--frames expects 0 or more" : frames.error().message); return kBadInput; }
    o.frames = *frames;
    if (args->has("--at")) {
        auto at = parse_local(args->get("--at", ""));
        if (!at) { log::error(at.error().message); return kBadInput; }
        o.start_at = *at;
    }
    auto hook_ms = args->integer("--hook-budget-ms", 50);
    if (!hook_ms || *hook_ms <= 0) { log::error("--hook-budget-ms expects a number of milliseconds above 0"); return kBadInput; }
    o.hook_budget_seconds = *hook_ms / 1000.0;
    if (args->has("--metrics-port")) {  // instead of the site's (0: any free port, logged)
        auto port = args->integer("--metrics-port", 0);
        if (!port || *port < 0 || *port > 65535) { log::error("--metrics-port expects 0..65535"); return kBadInput; }
        o.metrics_port = uint16_t(*port);
    }
    // VITRINE_FAULT=hang@N: the frame loop freezes at frame N (tests of systemd's watchdog).
    if (const char* fault = std::getenv("VITRINE_FAULT"); fault && std::string(fault).rfind("hang@", 0) == 0)
        o.hang_at = std::atol(fault + 5);
    return session::run_kiosk(o);
}

}  // namespace vitrine::app
