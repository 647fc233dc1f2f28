#include <cstdio>
#include "scene/gltf_import.h"
#include "scene/info.h"
int main(int argc, char** argv) {
    if (argc < 3) return 2;
    auto m = vitrine::scene::import_gltf(argv[2]);
    if (!m) { std::fprintf(stderr, "vitrine: error: %s\n", m.error().message.c_str()); return 1; }
    std::printf("%s", vitrine::scene::describe(m.value()).c_str());
}
