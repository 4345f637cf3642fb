#include "onemap/gis/base/ascii.hpp"

#include <filesystem>

namespace onemap::gis {

std::string asciiLower(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::string lowerExtension(const std::string& path) {
    return asciiLower(std::filesystem::path(path).extension().string());
}

}  // namespace onemap::gis
