#include "onemap/gis/crs/web_map_datum.hpp"

#include <cctype>

#include "onemap/gis/crs/web_offset.hpp"

namespace onemap::gis {

std::optional<WebMapDatum> parseWebMapDatum(const std::string& name) {
    std::string key;
    for (unsigned char c : name)
        if (c != '-' && c != '_') key += static_cast<char>(std::tolower(c));
    if (key == "gcj02") return WebMapDatum::Gcj02;
    if (key == "bd09") return WebMapDatum::Bd09;
    return std::nullopt;
}

std::string webMapDatumName(WebMapDatum datum) {
    return datum == WebMapDatum::Gcj02 ? "GCJ-02" : "BD-09";
}

Geometry removeWebMapOffset(const Geometry& lonLat, WebMapDatum datum) {
    return lonLat.mapCoordinates([datum](double& x, double& y) {
        const Point p = datum == WebMapDatum::Gcj02 ? gcj02ToWgs84({x, y}) : bd09ToWgs84({x, y});
        x = p.x;
        y = p.y;
    });
}

}  // namespace onemap::gis
