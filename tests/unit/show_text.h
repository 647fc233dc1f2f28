// Shows in unit tests: a scene written into the test's folder and loaded (any problem
// fails the test), and inputs as a visitor or a control desk would send them.
#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "show/inputs.h"
#include "show/loader.h"
#include "temp_dir.h"

namespace vitrine::test {

inline std::unique_ptr<show::LoadedScene> load_scene_text(const TempDir& dir, const std::string& text,
                                                          const std::string& name = "t.scene.yaml") {
    std::vector<show::Problem> problems;
    auto scene = show::load_scene(dir.write(name, text), problems);
    for (const show::Problem& p : problems) ADD_FAILURE() << p.str();
    return scene;
}

inline show::Input touch(double t, const std::string& node) {
    show::Input in;
    in.t = t;
    in.kind = show::InputKind::TouchNode;
    in.node = node;
    return in;
}

inline show::Input osc(double t, const std::string& address, std::vector<std::string> args = {}) {
    show::Input in;
    in.t = t;
    in.kind = show::InputKind::Osc;
    in.address = address;
    in.args = std::move(args);
    return in;
}

}  // namespace vitrine::test
