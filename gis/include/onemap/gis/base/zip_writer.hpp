#pragma once
// Files packed into one zip archive (a shapefile's .shp, .shx, .dbf, .prj, .cpg as one
// download). A free function; any thread.
#include <string>
#include <vector>

namespace onemap::gis {

/// Writes a zip at `zipPath` holding each of `files` under its file name (no folders).
/// Throws Error when a file cannot be read or the archive cannot be written.
void writeZip(const std::string& zipPath, const std::vector<std::string>& files);

}  // namespace onemap::gis
