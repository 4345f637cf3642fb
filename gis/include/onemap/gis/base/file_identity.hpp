#pragma once
// What says a file still holds the bytes it held when something was worked out from them,
// without reading them: its device, inode, size, mtime and ctime, to the nanosecond (as
// git's index does). Any write to the file, and any change of its times (touch, cp -p, a
// restored mtime), moves its ctime, which no user program can set back; a file replaced by
// another has another inode. What is kept against an identity (an audit hash, a proof that
// a GeoPackage's R-tree matches its table) is kept only when the file had settled: not
// changed in the kRacyNs before the work started (a second write in the same timestamp
// tick would not move ctime), nor while the work ran.
// Identities are plain values the caller owns; the functions may be called from any thread.
#include <optional>
#include <string>

namespace onemap::gis {

struct FileIdentity {
    std::string text;      ///< "device inode size mtime-ns ctime-ns"; "" when not a regular file
    long long newest = 0;  ///< the later of mtime and ctime, ns since the epoch

    [[nodiscard]] bool known() const { return !text.empty(); }
};

/// FAT keeps times to 2 s: a change closer than this to the work is not trusted.
inline constexpr long long kRacyNs = 3'000'000'000LL;

/// The identity of the regular file at `path` (symlinks followed); empty text otherwise.
[[nodiscard]] FileIdentity fileIdentity(const std::string& path);
/// The real-time clock, ns since the epoch.
[[nodiscard]] long long nowNs();
/// Whether what was worked out from the file between `started` (nowNs() before the work)
/// and now may be kept against `before` (its identity before the work): the file is the
/// same now, and had settled before the work started.
[[nodiscard]] bool settled(const FileIdentity& before, long long started, const std::string& path);

/// One line worked out from a file and kept in a small file of its own, `entry`, under `key`
/// (lines naming what it is about, the file's identity among them). What was kept under
/// exactly this key, or nothing: no entry, another key, a malformed entry, or something
/// that is not a small regular file (a FIFO planted there would block the open).
[[nodiscard]] std::optional<std::string> recallKept(const std::string& entry,
                                                    const std::string& key);
/// Keeps `line` under `key` in `entry`, written atomically; the entry's folder and `root`
/// (the cache folder above it) are made owner-only, so no other user can plant an entry.
/// Failures (no room, no permission) are swallowed: the next run works it out again.
void keepLine(const std::string& root, const std::string& entry, const std::string& key,
              const std::string& line);

}  // namespace onemap::gis
