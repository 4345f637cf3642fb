#pragma once
// The check's conflict geometries as a layer: one feature per site × rule with a conflict.
// Reads the Report (owned by the caller); any thread may call it for its own output path.
#include <string>

#include "onemap/core/check/report.hpp"
#include "onemap/gis/crs/crs.hpp"

namespace onemap::core {

/// Conflict geometries as a layer (GeoPackage or Shapefile, in `crs`), written atomically;
/// a .geojson (or .json) path gets conflictsGeoJson (RFC 7946, lon/lat) instead.
void writeConflicts(const Report& report, const gis::Crs& crs, const std::string& path);

}  // namespace onemap::core
