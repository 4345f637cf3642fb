#pragma once
// Files written whole or not at all, read whole, and hashed (SHA-256). Free functions: the
// caller owns its paths and bytes, nothing is kept between calls; any thread.
#include <cstdint>
#include <string>

namespace onemap::gis {

/// Writes a whole text/binary file atomically: to ".<name>.tmp-PID-N" beside it first, then
/// rename. A symbolic link is written through: the file it names is replaced, the link stays
/// (gis/output_target.hpp). InputError "<path>: cannot write: <reason>" when it cannot be.
void writeFileAtomically(const std::string& path, const std::string& bytes);
/// A temporary path beside `path` (same directory, so rename is atomic).
[[nodiscard]] std::string temporarySibling(const std::string& path);
/// SHA-256 of a file's bytes, lower-case hex. Throws InputError if unreadable.
[[nodiscard]] std::string sha256File(const std::string& path);
[[nodiscard]] std::string sha256(const std::string& bytes);
/// The bytes of a regular file. InputError "<path>: not a regular file (…)" for a FIFO, a
/// device or a folder (reading a FIFO blocks for ever, /dev/zero never ends), and
/// "<path>: cannot read <what>" when it is missing or unreadable.
[[nodiscard]] std::string readRegularFile(const std::string& path, const std::string& what);
/// The size of a regular file, looked at before a byte is read. InputError "<path>: no such
/// file", or "<path>: not a regular file (a folder | a FIFO | a device or socket | a symlink
/// loop)".
[[nodiscard]] std::uint64_t regularFileSize(const std::string& path);

}  // namespace onemap::gis
