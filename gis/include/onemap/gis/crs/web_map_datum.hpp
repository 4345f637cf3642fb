#pragma once
// Which Chinese web map drew a lon/lat geometry, and undoing its offset: the name a user
// writes (`--from gcj02`, a plan layer's `crs = "GCJ-02"`) and the geometry-wide conversion.
// Pure functions over the caller's values; any thread.
#include <optional>
#include <string>

#include "onemap/gis/geom/geometry.hpp"

namespace onemap::gis {

enum class WebMapDatum { Gcj02, Bd09 };

/// "gcj02"/"GCJ-02" (AMap, Tencent) and "bd09"/"BD-09" (Baidu), any case; nullopt otherwise.
[[nodiscard]] std::optional<WebMapDatum> parseWebMapDatum(const std::string& name);
[[nodiscard]] std::string webMapDatumName(WebMapDatum datum);  ///< "GCJ-02", "BD-09"
/// The lon/lat geometry moved back to WGS84 lon/lat (iterative inverse, sub-millimetre).
[[nodiscard]] Geometry removeWebMapOffset(const Geometry& lonLat, WebMapDatum datum);

}  // namespace onemap::gis
