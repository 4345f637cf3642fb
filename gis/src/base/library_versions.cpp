#include "onemap/gis/base/library_versions.hpp"

#include <gdal.h>
#include <geos_c.h>
#include <proj.h>

namespace onemap::gis {

std::string gdalVersion() { return GDALVersionInfo("RELEASE_NAME"); }
std::string geosVersion() { return GEOSversion(); }
std::string projVersion() { return proj_info().version; }

}  // namespace onemap::gis
