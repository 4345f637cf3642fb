#include "onemap/gis/base/file_set.hpp"

#include <cctype>
#include <filesystem>

#include "onemap/gis/base/ascii.hpp"

namespace onemap::gis {
namespace fs = std::filesystem;
namespace {}  // namespace

std::vector<std::string> fileSetOf(const std::string& path) {
    const fs::path p(path);
    const std::string ext = asciiLower(p.extension().string());
    std::vector<std::string> out{path};
    if (ext == ".shp") {
        const fs::path stem = fs::path(p).replace_extension();
        for (const char* side :
             {".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".shp.xml", ".fields.csv"}) {
            out.push_back(stem.string() + side);
            std::string upper = side;
            for (auto& c : upper)
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            out.push_back(stem.string() + upper);
        }
    } else if (ext == ".gpkg" || ext == ".sqlite" || ext == ".db") {
        for (const char* side : {"-wal", "-shm", "-journal"}) out.push_back(path + side);
    }
    return out;
}

}  // namespace onemap::gis
