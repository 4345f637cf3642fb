#pragma once
// The files whose bytes make up what a data source gives, for audit hashes and cache keys.
// A free function over the caller's path; any thread.
#include <string>
#include <vector>

namespace onemap::gis {

/// The files whose bytes a whole read of `path` depends on, the source first, then only those
/// that exist: a shapefile's .shp with its .shx, .dbf, .prj and .cpg (either case), a
/// GeoPackage or SQLite file with its -wal (changes not yet written back into the file);
/// any other path alone. Indexes (.qix, .sbn, -shm) are left out: they change how fast a
/// read is, never what a whole read gives.
[[nodiscard]] std::vector<std::string> contentFilesOf(const std::string& path);

}  // namespace onemap::gis
