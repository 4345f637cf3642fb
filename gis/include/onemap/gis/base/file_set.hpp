#pragma once
// The files that make up one dataset on disk (a shapefile and its sidecars, a GeoPackage and
// its journals), by name alone. A pure function over the caller's path; any thread.
#include <string>
#include <vector>

namespace onemap::gis {

/// The files that make up the dataset at `path`: a shapefile's sidecars (.shx .dbf .prj .cpg
/// .qix .sbn .sbx .shp.xml), a GeoPackage's -wal/-shm/-journal; else the path alone.
[[nodiscard]] std::vector<std::string> fileSetOf(const std::string& path);

}  // namespace onemap::gis
