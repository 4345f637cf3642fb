#include "onemap/gis/layer/source_files.hpp"

#include <cctype>
#include <filesystem>

#include "onemap/gis/base/ascii.hpp"

namespace onemap::gis {
namespace fs = std::filesystem;

namespace {
std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}
bool isFile(const std::string& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}
}  // namespace

std::vector<std::string> contentFilesOf(const std::string& path) {
    std::vector<std::string> out{path};
    const std::string ext = asciiLower(fs::path(path).extension().string());
    if (ext == ".shp") {
        const std::string stem = fs::path(path).replace_extension().string();
        for (const std::string side : {".shx", ".dbf", ".prj", ".cpg"}) {
            // GDAL looks for the lower-case name first, then the upper-case one.
            if (isFile(stem + side))
                out.push_back(stem + side);
            else if (isFile(stem + upper(side)))
                out.push_back(stem + upper(side));
        }
    } else if (ext == ".gpkg" || ext == ".sqlite" || ext == ".db") {
        if (isFile(path + "-wal")) out.push_back(path + "-wal");
    }
    return out;
}

}  // namespace onemap::gis
