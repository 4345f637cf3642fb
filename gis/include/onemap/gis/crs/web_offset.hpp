#pragma once
// Chinese web-map offsets. GCJ-02 ("Mars coordinates", AMap/Tencent) and BD-09 (Baidu)
// shift WGS84 by hundreds of metres with a published forward formula; the inverse has
// no closed form, so it is found by fixed-point iteration to well under a millimetre.
// Pure functions; any thread.
#include "onemap/gis/geom/envelope.hpp"

namespace onemap::gis {

/// True inside the rough China box where the offset applies (outside it GCJ-02 = WGS84).
[[nodiscard]] bool isInChina(double lon, double lat);
[[nodiscard]] Point wgs84ToGcj02(Point lonLat);
[[nodiscard]] Point gcj02ToWgs84(Point lonLat);  ///< iterative inverse
[[nodiscard]] Point gcj02ToBd09(Point lonLat);
[[nodiscard]] Point bd09ToGcj02(Point lonLat);
[[nodiscard]] Point bd09ToWgs84(Point lonLat);
[[nodiscard]] Point wgs84ToBd09(Point lonLat);

}  // namespace onemap::gis
