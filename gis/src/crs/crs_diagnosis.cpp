#include "onemap/gis/crs/crs_diagnosis.hpp"

#include <cmath>

namespace onemap::gis {

namespace {

// Within 10° of the CRS's area of use.
bool nearAreaOfUse(const Point& lonLat, const Envelope& use) {
    return !use.isEmpty() && lonLat.x >= use.minx - 10 && lonLat.x <= use.maxx + 10 &&
           lonLat.y >= use.miny - 10 && lonLat.y <= use.maxy + 10;
}

}  // namespace

std::string diagnoseCoordinates(const Envelope& e, const Crs& crs) {
    return assessCoordinates(e, crs).message;
}

CoordinateDoubt assessCoordinates(const Envelope& e, const Crs& crs) {
    if (e.isEmpty() || !crs.isKnown()) return {};
    const bool lonLatLike = e.minx >= -180 && e.maxx <= 180 && e.miny >= -90 && e.maxy <= 90;
    // Small local numbers (test data, CAD drawings) look like lon/lat too: certain only when,
    // read as lon/lat, they fall where the CRS is used.
    if (crs.isProjected() && lonLatLike)
        return {"coordinates look like longitude/latitude but the CRS is " + crs.label() +
                    " (projected); the layer is probably EPSG:4490 (CGCS2000) or EPSG:4326",
                nearAreaOfUse(e.center(), crs.areaOfUse())};
    if (crs.isGeographic() && !lonLatLike)
        return {"coordinates are not longitude/latitude but the CRS is " + crs.label() +
                    "; it is probably a projected CRS",
                true};
    const auto code = crs.epsg();
    if (!code) return {};
    // CGCS2000 3-degree Gauss-Kruger: zone-prefixed eastings (EPSG:4513–4533, zones 25–45) and
    // central-meridian ones without the prefix (EPSG:4534–4554, CM 75E–135E).
    const double midX = (e.minx + e.maxx) / 2;
    if (*code >= 4534 && *code <= 4554 && midX > 1e7) {
        const int zone = static_cast<int>(midX / 1e6);
        if (zone >= 25 && zone <= 45)
            return {
                "eastings carry a zone prefix (" + std::to_string(zone) + ") but " + crs.label() +
                    " has none; the layer is probably EPSG:" + std::to_string(4513 + zone - 25) +
                    " (CGCS2000 3-degree GK zone " + std::to_string(zone) + ")",
                true};
    }
    if (*code >= 4513 && *code <= 4533 && midX < 1e6) {
        const int zone = 25 + (*code - 4513);
        return {"eastings lack the zone prefix of " + crs.label() +
                    "; the layer is probably EPSG:" + std::to_string(4534 + zone - 25) +
                    " (CGCS2000 3-degree GK CM " + std::to_string(zone * 3) + "E)",
                true};
    }
    // Far outside the CRS's area of use (more than 10° beyond it).
    const Envelope use = crs.areaOfUse();
    if (!use.isEmpty() && crs.isProjected()) {
        try {
            const CoordinateTransform toLonLat(crs, crs.geographic());
            const Point c = toLonLat.apply(e.center());
            if (!nearAreaOfUse(c, use))
                return {"coordinates lie far outside the area of use of " + crs.label(), true};
        } catch (const std::exception&) {
            return {"coordinates cannot be transformed from " + crs.label(), true};
        }
    }
    return {};
}

std::string suggestCrs(const Envelope& e) {
    if (e.isEmpty()) return "";
    const double x = (e.minx + e.maxx) / 2;
    const double y = (e.miny + e.maxy) / 2;
    const bool northing = y >= 1e6 && y < 1e7;  // 9°–90° N on a Gauss-Kruger grid
    if (x >= 60 && x <= 140 && y >= 0 && y <= 60)
        return "the coordinates look like longitude/latitude (EPSG:4490 for CGCS2000, "
               "EPSG:4326 for WGS84)";
    if (northing && x >= 1.3e7 && x < 4.6e7) {
        const int zone = static_cast<int>(x / 1e6);
        // 3-degree zones 25–45 cover China (75°E–135°E); 6-degree zones 13–23 likewise.
        if (zone >= 25)
            return "the eastings carry Gauss-Kruger 3-degree zone prefix " + std::to_string(zone) +
                   " (CM " + std::to_string(zone * 3) +
                   "E): EPSG:" + std::to_string(4513 + zone - 25) + " for CGCS2000";
        if (zone <= 23)
            return "the eastings carry Gauss-Kruger 6-degree zone prefix " + std::to_string(zone) +
                   " (CM " + std::to_string(zone * 6 - 3) +
                   "E): EPSG:" + std::to_string(4491 + zone - 13) + " for CGCS2000";
    }
    if (northing && x >= 1e5 && x < 1e6)
        return "Gauss-Kruger eastings without a zone prefix: the CRS depends on the central "
               "meridian, which the numbers do not tell (CGCS2000 3-degree: EPSG:4549 for CM "
               "120E, EPSG:4548 for 117E, EPSG:4550 for 123E)";
    if (x >= 1e6 && x < 1e7 && ((y >= 1e5 && y < 1e6) || (y >= 1.3e7 && y < 4.6e7)))
        return "x looks like a northing and y like an easting: are the axes swapped (Chinese "
               "survey tables put the northing in X)?";
    return "";
}

}  // namespace onemap::gis
