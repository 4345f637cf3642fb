#include "onemap/gis/base/zip_writer.hpp"

#include <cpl_conv.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include "onemap/gis/base/error.hpp"

namespace onemap::gis {

void writeZip(const std::string& zipPath, const std::vector<std::string>& files) {
    struct CloseZip {
        void operator()(void* zip) const { CPLCloseZip(zip); }
    };
    std::unique_ptr<void, CloseZip> zip(CPLCreateZip(zipPath.c_str(), nullptr));
    if (!zip) throw Error(zipPath + ": cannot create the zip archive");
    for (const auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
        if (!in.good() && !in.eof()) throw Error(file + ": cannot be read for the zip archive");
        const std::string name = std::filesystem::path(file).filename().string();
        if (CPLCreateFileInZip(zip.get(), name.c_str(), nullptr) != CE_None ||
            CPLWriteFileInZip(zip.get(), bytes.data(), static_cast<int>(bytes.size())) != CE_None ||
            CPLCloseFileInZip(zip.get()) != CE_None)
            throw Error(zipPath + ": cannot add " + name + " to the zip archive");
    }
    if (CPLCloseZip(zip.release()) != CE_None) throw Error(zipPath + ": cannot finish the zip");
}

}  // namespace onemap::gis
