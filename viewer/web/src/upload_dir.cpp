#include "upload_dir.hpp"

#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "onemap/gis/base/error.hpp"

namespace onemap::web {

namespace fs = std::filesystem;

UploadDir::UploadDir() {
    std::string pattern = (fs::temp_directory_path() / "onemap-upload-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw Error("cannot make a temporary folder for an upload");
    path_ = pattern;
}

UploadDir::~UploadDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

std::string UploadDir::write(const std::string& name, const std::string& bytes) const {
    const std::string at = (fs::path(path_) / name).string();
    std::ofstream out(at, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) throw Error("cannot write the upload to the temporary folder");
    return at;
}

std::string UploadDir::relabel(std::string text) const {
    // "<dir>/name" → "name", and the folder alone → ".".
    std::string out;
    out.reserve(text.size());
    std::size_t from = 0;
    for (auto at = text.find(path_); at != std::string::npos; at = text.find(path_, from)) {
        out.append(text, from, at - from);
        from = at + path_.size();
        if (from < text.size() && text[from] == '/')
            ++from;
        else
            out += '.';
    }
    out.append(text, from, std::string::npos);
    return out;
}

}  // namespace onemap::web
