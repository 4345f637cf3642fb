#include "onemap/core/report/conflict_layer.hpp"

#include "onemap/core/check/number_format.hpp"
#include "onemap/core/report/conflict_geojson.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/crs/area_units.hpp"
#include "onemap/gis/crs/geodesic.hpp"
#include "onemap/gis/layer/layer_writer.hpp"
#include "report/report_fields.hpp"

namespace onemap::core {

void writeConflicts(const Report& report, const gis::Crs& crs, const std::string& path) {
    // GeoJSON is RFC 7946 (lon/lat), the same bytes as POST /api/conflicts.
    if (gis::driverForPath(path) == "GeoJSON") {
        gis::writeFileAtomically(path, conflictsGeoJson(report, crs));
        return;
    }
    gis::VectorLayer layer;
    layer.name = "conflicts";
    layer.crs = crs;
    layer.geometryType = "MultiPolygon";
    using gis::FieldType;
    layer.fields = {{"site_id", FieldType::String},     {"site_name", FieldType::String},
                    {"rule_id", FieldType::String},     {"rule_title", FieldType::String},
                    {"verdict", FieldType::String},     {"layer", FieldType::String},
                    {"features", FieldType::String},    {"area_m2", FieldType::Real, 0, 2},
                    {"area_mu", FieldType::Real, 0, 4}, {"area_ha", FieldType::Real, 0, 6}};
    const gis::EllipsoidalMeasure measure(crs);
    std::int64_t fid = 1;
    for (const auto& s : report.sites) {
        for (const auto& r : s.rules) {
            if (r.conflict.isEmpty()) continue;
            const double m2 = measure.area(r.conflict);
            gis::Feature f;
            f.fid = fid++;
            f.geometry = r.conflict;
            f.values = {s.id,
                        s.name,
                        r.ruleId,
                        r.title,
                        std::string(toString(r.verdict())),
                        r.layer,
                        joinList(r.features, ";"),
                        roundTo(m2, 2),
                        roundTo(gis::toMu(m2), 4),
                        roundTo(gis::toHectares(m2), 6)};
            layer.features.push_back(std::move(f));
        }
    }
    gis::writeLayer(path, layer);
}

}  // namespace onemap::core
