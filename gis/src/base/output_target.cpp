#include "onemap/gis/base/output_target.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "onemap/gis/base/ascii.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/base/file_set.hpp"

namespace onemap::gis {
namespace fs = std::filesystem;

namespace {

constexpr int kMaxLinks = 40;  // Linux's own limit on links followed in one path

bool isShapefile(const std::string& path) { return lowerExtension(path) == ".shp"; }

bool isLink(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

std::string readLink(const std::string& link) {
    std::vector<char> buf(4096);
    for (;;) {
        const ssize_t n = ::readlink(link.c_str(), buf.data(), buf.size());
        if (n < 0) return "";
        if (static_cast<std::size_t>(n) < buf.size())
            return std::string(buf.data(), static_cast<std::size_t>(n));
        buf.resize(buf.size() * 2);
    }
}

fs::path folderOf(const std::string& path) {
    const fs::path parent = fs::path(path).parent_path();
    return parent.empty() ? fs::path(".") : parent;
}

}  // namespace

std::string cannotWrite(const std::string& path, const std::string& target,
                        const std::string& reason) {
    if (path == target) return path + ": cannot write: " + reason;
    return path + ": cannot write " + target + " (the file it links to): " + reason;
}

namespace {

std::string followLinks(const std::string& path) {
    std::string current = path;
    for (int hops = 0;; ++hops) {
        struct stat st {};
        if (::lstat(current.c_str(), &st) != 0) {
            if (errno == ENOENT) return current;  // to be created (its folder is checked later)
            if (errno == ELOOP)
                throw InputError(path + ": a symbolic link loop; give the file itself");
            if (errno == ENOTDIR)
                throw InputError(path + ": " + folderOf(current).string() + " is not a folder");
            throw InputError(cannotWrite(path, current, std::strerror(errno)));
        }
        if (!S_ISLNK(st.st_mode)) return current;
        if (hops == kMaxLinks)
            throw InputError(path + ": a symbolic link loop (or a chain of more than " +
                             std::to_string(kMaxLinks) + " links); give the file itself");
        const fs::path to(readLink(current));
        if (to.empty()) throw InputError(cannotWrite(path, current, "cannot read the link"));
        current = to.is_absolute() || fs::path(current).parent_path().empty()
                      ? to.string()
                      : (fs::path(current).parent_path() / to).string();
    }
}

}  // namespace

std::string resolveOutputTarget(const std::string& path) {
    // A shapefile is found by the name its reader opens: new sidecars written beside a link's
    // target would not be seen through the link, and a sidecar that is a link would be
    // replaced by a copy while the file it names kept the old table.
    if (isShapefile(path))
        for (const auto& f : fileSetOf(path))
            if (isLink(f))
                throw InputError(path + ": " + (f == path ? "is" : f + " is") +
                                 " a symbolic link; a shapefile is several files that move "
                                 "together, so onemap writes none through a link — give the "
                                 "real folder, or write a .gpkg");
    const std::string target = followLinks(path);
    if (target != path && isShapefile(target))
        throw InputError(path + ": is a symbolic link to the shapefile " + target +
                         "; onemap writes no shapefile through a link — give the real folder");
    return target;
}

void requireWritableTarget(const std::string& path, const std::string& target) {
    const fs::path folder = folderOf(target);
    std::error_code ec;
    if (!fs::exists(folder, ec)) {
        if (path == target)
            throw InputError(path + ": the folder " + folder.string() +
                             " does not exist (onemap creates no folders for output files)");
        throw InputError(path + ": is a symbolic link to " + target + ", whose folder " +
                         folder.string() + " does not exist");
    }
    if (!fs::is_directory(folder, ec))
        throw InputError(path + ": " + folder.string() + " is not a folder");
    // W_OK sees mode bits for ordinary users, and for everyone an immutable inode and a
    // read-only file system; what root may still be refused (/proc) shows when writing.
    if (::access(folder.c_str(), W_OK | X_OK) != 0)
        throw InputError(path + ": cannot write into the folder " + folder.string() + ": " +
                         std::strerror(errno));
    if (::access(target.c_str(), F_OK) == 0 && ::access(target.c_str(), W_OK) != 0)
        throw InputError(cannotWrite(path, target, std::strerror(errno)));
}

}  // namespace onemap::gis
