#include "onemap/core/report/conflict_geojson.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "onemap/core/check/number_format.hpp"
#include "onemap/gis/crs/area_units.hpp"
#include "onemap/gis/crs/geodesic.hpp"

namespace onemap::core {
namespace {

using Json = nlohmann::ordered_json;
using Ring = std::vector<gis::Point>;

// Twice the signed area (shoelace): positive when counter-clockwise with y up (lat north).
double signedArea2(const Ring& ring) {
    double s = 0;
    for (std::size_t i = 1; i < ring.size(); ++i)
        s += ring[i - 1].x * ring[i].y - ring[i].x * ring[i - 1].y;
    return s;
}

Json ringJson(Ring ring, bool exterior) {
    // RFC 7946 §3.1.6: exteriors counter-clockwise, holes clockwise.
    if ((signedArea2(ring) > 0) != exterior) std::reverse(ring.begin(), ring.end());
    Json out = Json::array();
    for (const auto& p : ring) out.push_back({roundTo(p.x, 9), roundTo(p.y, 9)});
    return out;
}

Json geometryJson(const gis::Geometry& lonLat) {
    Json polygons = Json::array();
    for (const auto& rings : lonLat.polygons()) {
        Json polygon = Json::array();
        for (std::size_t i = 0; i < rings.size(); ++i)
            polygon.push_back(ringJson(rings[i], i == 0));
        polygons.push_back(std::move(polygon));
    }
    if (polygons.size() == 1) return {{"type", "Polygon"}, {"coordinates", polygons[0]}};
    return {{"type", "MultiPolygon"}, {"coordinates", std::move(polygons)}};
}

}  // namespace

std::string conflictsGeoJson(const Report& report, const gis::Crs& crs) {
    const gis::EllipsoidalMeasure measure(crs);
    const gis::CoordinateTransform toLonLat(crs, gis::Crs::fromEpsg(4326));
    std::string out = "{\"type\":\"FeatureCollection\",\"features\":[";
    bool first = true;
    for (const auto& s : report.sites) {
        for (const auto& r : s.rules) {
            if (r.conflict.isEmpty()) continue;
            const double m2 = measure.area(r.conflict);
            const Json feature = {{"type", "Feature"},
                                  {"properties",
                                   {{"site_id", s.id},
                                    {"site_name", s.name},
                                    {"rule_id", r.ruleId},
                                    {"rule_title", r.title},
                                    {"verdict", std::string(toString(r.verdict()))},
                                    {"layer", r.layer},
                                    {"features", r.features},
                                    {"area_m2", roundTo(m2, 2)},
                                    {"area_mu", roundTo(gis::toMu(m2), 4)},
                                    {"area_ha", roundTo(gis::toHectares(m2), 6)}}},
                                  {"geometry", geometryJson(toLonLat.apply(r.conflict))}};
            out += first ? "\n" : ",\n";
            // Names from any source: a byte that is not UTF-8 becomes U+FFFD, never an error.
            out += feature.dump(-1, ' ', false, Json::error_handler_t::replace);
            first = false;
        }
    }
    out += "\n]}\n";
    return out;
}

}  // namespace onemap::core
