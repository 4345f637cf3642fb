#pragma once
// The SHA-256 of an input file for the audit trail, remembered between runs.
//
// Hashing a 460 MB GeoPackage costs 0.3 s of CPU on every check. So the hash is kept under
// $XDG_CACHE_HOME/onemap/hashes with the file's identity when it was read: device, inode,
// size, mtime and ctime, to the nanosecond (as git's index does). Any write to the file,
// and any change of its times (touch, cp -p, a restored mtime), moves its ctime, which no
// user program can set back; a file replaced by another has another inode. So a kept hash
// is used only for the very bytes it was computed from. A file changed in the 3 s before it
// was hashed is not remembered (a second write in the same timestamp tick would not move
// ctime), nor one that changed while it was being read.
#include <string>

namespace onemap::core {

/// The lower-case hex SHA-256 of the regular file at `path`; with `remember`, taken from
/// the hash cache when the file is unchanged since, and kept there when computed.
/// Throws InputError when the file cannot be read.
[[nodiscard]] std::string auditHash(const std::string& path, bool remember);

}  // namespace onemap::core
