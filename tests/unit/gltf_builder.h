// Writes small synthetic glTF files for importer tests: a .gltf whose buffer is
// an external .bin in the same temporary folder.
#pragma once
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

struct GltfBuilder {
    std::vector<uint8_t> bin;
    std::string views, accessors;
    int nviews = 0, naccessors = 0;

    template <typename T>
    int view(const std::vector<T>& data) {
        while (bin.size() % 4) bin.push_back(0);
        size_t off = bin.size();
        bin.resize(off + data.size() * sizeof(T));
        std::memcpy(bin.data() + off, data.data(), data.size() * sizeof(T));
        views += (nviews ? "," : "") + std::string("{\"buffer\":0,\"byteOffset\":") + std::to_string(off) +
                 ",\"byteLength\":" + std::to_string(data.size() * sizeof(T)) + "}";
        return nviews++;
    }
    int accessor(int view, int component, size_t count, const std::string& type, const std::string& extra = "") {
        accessors += (naccessors ? "," : "") + std::string("{") + (view >= 0 ? "\"bufferView\":" + std::to_string(view) + "," : "") +
                     "\"componentType\":" + std::to_string(component) + ",\"count\":" + std::to_string(count) +
                     ",\"type\":\"" + type + "\"" + extra + "}";
        return naccessors++;
    }
    // Writes dir/name.gltf with `body` (everything but buffers/bufferViews/accessors/asset).
    std::filesystem::path write(const std::string& name, const std::string& body, const std::string& bin_uri = "") {
        auto dir = std::filesystem::temp_directory_path() / "vitrine_import_tests";
        std::filesystem::create_directories(dir);
        std::string uri = bin_uri.empty() ? name + ".bin" : bin_uri;
        std::ofstream(dir / (name + ".bin"), std::ios::binary).write(reinterpret_cast<const char*>(bin.data()), std::streamsize(bin.size()));
        std::ofstream f(dir / (name + ".gltf"));
        f << "{\"asset\":{\"version\":\"2.0\"}," << body << (body.empty() ? "" : ",") << "\"buffers\":[{\"uri\":\"" << uri
          << "\",\"byteLength\":" << bin.size() << "}],\"bufferViews\":[" << views << "],\"accessors\":[" << accessors << "]}";
        return dir / (name + ".gltf");
    }
};

constexpr int kFloat = 5126, kUShort = 5123, kUInt = 5125, kUByte = 5121, kShort = 5122;
