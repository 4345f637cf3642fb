#pragma once
// What the 国土 TXT reader and writer share: the Gauss-Kruger zones the format can state
// and their EPSG codes, and how a file is known. Internal to gis/src.
#include <optional>
#include <string_view>
#include <vector>

#include "onemap/gis/geom/envelope.hpp"

namespace onemap::gis::guotu {

enum class Datum { Cgcs2000, Xian1980, Beijing1954 };

struct Zone {
    Datum datum = Datum::Cgcs2000;
    int width = 3;          ///< 3 or 6 degrees
    int number = 0;         ///< 带号: 25–45 (3°) or 13–23 (6°), the ranges EPSG defines
    bool prefixed = false;  ///< eastings carry the zone number (40 500 000)
};

/// The EPSG code of a zone, or nullopt when EPSG has none (zone out of range).
[[nodiscard]] std::optional<int> epsgOf(const Zone& zone);
/// The zone an EPSG code stands for, nullopt for any other code.
[[nodiscard]] std::optional<Zone> zoneOfEpsg(int code);
[[nodiscard]] bool zoneInRange(int width, int number);
[[nodiscard]] double centralMeridian(const Zone& zone);
[[nodiscard]] double falseEasting(const Zone& zone);
/// "2000国家大地坐标系", "1980西安坐标系", "1954北京坐标系".
[[nodiscard]] const char* headerName(Datum datum);
/// "CGCS2000", "Xi'an 1980", "Beijing 1954".
[[nodiscard]] const char* englishName(Datum datum);
/// PROJ ellipsoid: GRS80, IAU76 (IAG-75, as Xi'an 1980), krass.
[[nodiscard]] const char* ellipsoid(Datum datum);

/// A ring's signed area by the shoelace formula, taken about its first vertex (fewer digits
/// lost to eastings of 500 000 m): positive counter-clockwise. The ring is not closed.
[[nodiscard]] double signedArea(const std::vector<Point>& ring);

/// Whether the bytes hold a "[属性描述]" or "[地块坐标]" line marker, in UTF-8 or GBK.
[[nodiscard]] bool holdsSectionMarker(std::string_view bytes);

}  // namespace onemap::gis::guotu
