#pragma once
// The members of a zip as its central directory declares them, read without inflating
// anything, and a reader that inflates one member through GDAL's /vsizip/ while counting
// what it really yields (a directory can lie about sizes).
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace onemap::gis::detail {

struct ZipMember {
    std::string name;  ///< as stored (bytes of the directory entry)
    std::uint64_t compressed = 0;
    std::uint64_t expanded = 0;
};

/// The central directory of the zip at `path` (a file or /vsimem/ path); empty when the
/// bytes hold no end-of-central-directory record (not a zip: GDAL will say so). A directory
/// that is found but cannot be read whole is refused (InputError naming `shown`).
std::vector<ZipMember> zipDirectory(const std::string& path, const std::string& shown);

/// Inflates the member GDAL lists as `name` inside the zip at `path`, handing each block to
/// `sink`, and refuses (InputError) a member that yields more than `allowed` bytes. Returns
/// the bytes it yielded.
std::uint64_t inflateMember(const std::string& path, const std::string& name, std::uint64_t allowed,
                            const std::string& shown,
                            const std::function<void(std::string_view)>& sink);

/// Each file member of the zip at `path` as GDAL lists it, with the size GDAL believes it has.
void forEachListedMember(
    const std::string& path,
    const std::function<void(const std::string& name, std::uint64_t declared)>& fn);

}  // namespace onemap::gis::detail
