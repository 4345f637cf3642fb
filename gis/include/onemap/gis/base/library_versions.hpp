#pragma once
// The versions of the libraries behind onemap::gis, as they report themselves (for reports
// and cache keys). Any thread.
#include <string>

namespace onemap::gis {

/// GDAL's version string, e.g. "3.6.2"; and GEOS's, PROJ's.
[[nodiscard]] std::string gdalVersion();
[[nodiscard]] std::string geosVersion();
[[nodiscard]] std::string projVersion();

}  // namespace onemap::gis
