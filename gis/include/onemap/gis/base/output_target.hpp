#pragma once
// Where writing a file lands, and whether it can. An output named through a symbolic link is
// written to the file the link names (the link stays a link, so whoever reads through it —
// a plan, a register — sees the new bytes); the staging beside that file keeps the final
// rename atomic. What cannot be written is an InputError naming the user's path and the
// reason, before any work where that can be known, and never a filesystem exception.
// Free functions over the caller's paths, nothing kept; any thread.
#include <string>

namespace onemap::gis {

/// The file that writing `path` replaces or creates: `path` itself, or the file a symbolic
/// link (a chain of them) finally names. InputError naming `path` for a link loop (or a chain
/// of more than 40 links), and for a shapefile whose .shp or any sidecar is a link (the
/// sidecars are found beside the name a reader opens, so the set cannot be moved through a
/// link as a unit).
[[nodiscard]] std::string resolveOutputTarget(const std::string& path);

/// InputError "<path>: cannot write …: <reason>" unless `target` (resolveOutputTarget(path))
/// can be replaced or created: its folder exists, the folder admits new files, and an
/// existing file there is writable (a read-only or immutable file, a read-only file system).
void requireWritableTarget(const std::string& path, const std::string& target);

/// "<path>: cannot write: <reason>" — with " (<target>)" after the path when they differ.
[[nodiscard]] std::string cannotWrite(const std::string& path, const std::string& target,
                                      const std::string& reason);

}  // namespace onemap::gis
