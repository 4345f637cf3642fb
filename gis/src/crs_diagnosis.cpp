#include "onemap/gis/crs_diagnosis.hpp"

#include <cmath>

namespace onemap::gis {

std::string diagnoseCoordinates(const Envelope& e, const Crs& crs) {
    if (e.isEmpty() || !crs.isKnown()) return "";
    const bool lonLatLike = e.minx >= -180 && e.maxx <= 180 && e.miny >= -90 && e.maxy <= 90;
    if (crs.isProjected() && lonLatLike)
        return "coordinates look like longitude/latitude but the CRS is " + crs.label() +
               " (projected); the layer is probably EPSG:4490 (CGCS2000) or EPSG:4326";
    if (crs.isGeographic() && !lonLatLike)
        return "coordinates are not longitude/latitude but the CRS is " + crs.label() +
               "; it is probably a projected CRS";
    const auto code = crs.epsg();
    if (!code) return "";
    // CGCS2000 3-degree Gauss-Kruger: zone-prefixed eastings (EPSG:4513–4533, zones 25–45) and
    // central-meridian ones without the prefix (EPSG:4534–4554, CM 75E–135E).
    const double midX = (e.minx + e.maxx) / 2;
    if (*code >= 4534 && *code <= 4554 && midX > 1e7) {
        const int zone = static_cast<int>(midX / 1e6);
        if (zone >= 25 && zone <= 45)
            return "eastings carry a zone prefix (" + std::to_string(zone) + ") but " +
                   crs.label() +
                   " has none; the layer is probably EPSG:" + std::to_string(4513 + zone - 25) +
                   " (CGCS2000 3-degree GK zone " + std::to_string(zone) + ")";
    }
    if (*code >= 4513 && *code <= 4533 && midX < 1e6) {
        const int zone = 25 + (*code - 4513);
        return "eastings lack the zone prefix of " + crs.label() +
               "; the layer is probably EPSG:" + std::to_string(4534 + zone - 25) +
               " (CGCS2000 3-degree GK CM " + std::to_string(zone * 3) + "E)";
    }
    // Far outside the CRS's area of use (more than 10° beyond it).
    const Envelope use = crs.areaOfUse();
    if (!use.isEmpty() && crs.isProjected()) {
        try {
            const CoordinateTransform toLonLat(crs, crs.geographic());
            const Point c = toLonLat.apply(e.center());
            if (c.x < use.minx - 10 || c.x > use.maxx + 10 || c.y < use.miny - 10 ||
                c.y > use.maxy + 10)
                return "coordinates lie far outside the area of use of " + crs.label();
        } catch (const std::exception&) {
            return "coordinates cannot be transformed from " + crs.label();
        }
    }
    return "";
}

}  // namespace onemap::gis
