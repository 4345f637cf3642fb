#include "upload_dir.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "onemap/gis/base/error.hpp"
#include "onemap/web/http_error.hpp"

namespace onemap::web {

namespace fs = std::filesystem;

namespace {

// Where uploads go: $TMPDIR when it is set, else /dev/shm (memory: a folder made and removed
// per request costs a journal write on a disk) when it is a folder we may write, else the
// system's temporary folder.
fs::path uploadRoot() {
    if (const char* tmp = std::getenv("TMPDIR"); tmp && *tmp) return fs::temp_directory_path();
    std::error_code ec;
    // Only a /dev/shm with room for many bodies at the size limit: a container's is often 64 MB.
    const auto space = fs::space("/dev/shm", ec);
    if (!ec && ::access("/dev/shm", W_OK | X_OK) == 0 &&
        space.available >= (std::uintmax_t{1} << 30))
        return "/dev/shm";
    return fs::temp_directory_path();
}

}  // namespace

UploadDir::UploadDir() {
    static const fs::path root = uploadRoot();
    std::string pattern = (root / "onemap-upload-XXXXXX").string();
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
    // Out of room for the moment (other uploads in flight): the client may try again.
    if (!out) throw HttpError(503, "no room to hold the upload now: try again later");
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
