#pragma once
// The check's conflict geometries as GeoJSON (RFC 7946: lon/lat on WGS 84, exterior rings
// counter-clockwise): what POST /api/conflicts answers and `check --conflicts x.geojson` writes.
// Reads the Report (owned by the caller); no state, any thread.
#include <string>

#include "onemap/core/check/report.hpp"
#include "onemap/gis/crs/crs.hpp"

namespace onemap::core {

/// A FeatureCollection with one feature per site × rule with a conflict (as writeConflicts):
/// site_id, site_name, rule_id, rule_title, verdict, layer, features (the ids, an array),
/// area_m2, area_mu, area_ha, and the overlap as a (Multi)Polygon in lon/lat (9 decimals).
/// `crs` is the CRS of the report's geometries (the plan's). An empty collection when there
/// are no conflicts.
[[nodiscard]] std::string conflictsGeoJson(const Report& report, const gis::Crs& crs);

}  // namespace onemap::core
