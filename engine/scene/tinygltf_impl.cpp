// The single translation unit that compiles tinygltf, with Draco decoding enabled
// against Debian's libdraco and stb_image from Debian's libstb.
#define TINYGLTF_IMPLEMENTATION
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <tiny_gltf.h>
