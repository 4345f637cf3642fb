#include "onemap/core/validate/layer_validation.hpp"

#include <algorithm>
#include <map>
#include <numeric>

#include "onemap/core/check/layer_source.hpp"
#include "onemap/core/check/number_format.hpp"
#include "onemap/core/check/report.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/crs_diagnosis.hpp"
#include "onemap/gis/crs/geodesic.hpp"
#include "onemap/gis/index/spatial_index.hpp"

namespace onemap::core {
namespace {

std::string who(const LayerSpec& spec, const gis::VectorLayer& layer, std::size_t i) {
    std::string s = "fid " + std::to_string(layer.features[i].fid);
    if (!spec.idField.empty()) s += " (" + gis::toString(layer.value(i, spec.idField)) + ")";
    return s;
}

std::size_t root(std::vector<std::size_t>& parent, std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
}

// The fields the plan names: there, and the date field's records real dates. At most this many
// bad records are named (the count says the rest).
constexpr std::size_t kNamedRecords = 20;

void checkFields(const LayerSpec& spec, const gis::VectorLayer& layer,
                 std::vector<std::string>& problems) {
    for (const auto& [key, name] :
         {std::pair{"id_field", spec.idField}, std::pair{"label", spec.label},
          std::pair{"date_field", spec.dateField}}) {
        if (!name.empty() && !layer.fieldIndex(name))
            problems.push_back(std::string(key) + " '" + name + "' is not a field of the layer");
    }
    const auto field = spec.dateField.empty() ? std::nullopt : layer.fieldIndex(spec.dateField);
    if (!field) return;
    const auto type = layer.fields[*field].type;
    if (type != gis::FieldType::String && type != gis::FieldType::Date) {
        problems.push_back("date_field '" + spec.dateField +
                           "' holds numbers, not dates (YYYY-MM-DD text or a Date field)");
        return;
    }
    std::size_t bad = 0;
    for (const auto& f : layer.features) {
        if (recordDate(f.values[*field])) continue;
        if (++bad <= kNamedRecords)
            problems.push_back("date_field '" + spec.dateField + "': fid " + std::to_string(f.fid) +
                               ": '" + gis::toString(f.values[*field]) +
                               "' is not a date (YYYY-MM-DD)");
    }
    if (bad > kNamedRecords)
        problems.push_back("date_field '" + spec.dateField + "': " +
                           std::to_string(bad - kNamedRecords) + " more records without a date");
}

}  // namespace

LayerValidation validateLayer(const LayerSpec& spec, const gis::VectorLayer& layer,
                              const gis::Crs& planCrs) {
    LayerValidation v;
    v.layerId = spec.id;
    v.title = spec.title;
    if (spec.inForce) {
        v.versionFrom = spec.inForce->from;
        v.versionDoc = spec.inForce->doc;
    }
    v.table = layer.geometryType == "None";
    v.crs = layer.crs.isKnown() && !v.table ? layer.crs.label() : "none";
    v.encoding = layer.encoding;
    v.features = layer.features.size();
    v.notes = layer.notes;
    checkFields(spec, layer, v.fieldProblems);
    if (v.table) return v;  // records by design: no coordinates to check
    v.crsProblem = layer.crs.isKnown()
                       ? gis::diagnoseCoordinates(layer.extent(), layer.crs)
                       : "no CRS: add crs = \"EPSG:...\" to the layer or a .prj to the data";

    // Geometry in the plan CRS (for areas in m²), invalid ones repaired for measuring only.
    std::vector<gis::Geometry> geoms(layer.features.size());
    std::unique_ptr<gis::CoordinateTransform> toPlan;
    if (layer.crs.isKnown() && v.crsProblem.empty())
        toPlan = std::make_unique<gis::CoordinateTransform>(layer.crs, planCrs);
    for (std::size_t i = 0; i < layer.features.size(); ++i) {
        const auto& g = layer.features[i].geometry;
        if (g.isEmpty()) {
            v.empty.push_back(who(spec, layer, i));
            continue;
        }
        if (g.isValid()) {
            geoms[i] = toPlan ? toPlan->apply(g) : gis::Geometry{};
            continue;
        }
        std::string problem = who(spec, layer, i) + ": " + g.invalidReason();
        try {
            geoms[i] = toPlan ? toPlan->apply(g.makeValid()) : gis::Geometry{};
        } catch (const InputError& e) {
            problem += std::string("; ") + e.what();  // validate reports it; check refuses it
        }
        v.invalid.push_back(problem);
    }
    if (!toPlan) return v;

    // Overlaps within the layer (polygons only), grouped so triple overlaps count right.
    std::vector<gis::Envelope> boxes;
    for (const auto& g : geoms)
        boxes.push_back(g.kind() == gis::GeometryKind::Polygon ? g.envelope() : gis::Envelope{});
    const gis::SpatialIndex index(boxes);
    std::vector<std::size_t> parent(geoms.size());
    std::iota(parent.begin(), parent.end(), 0);
    const gis::EllipsoidalMeasure measure(planCrs);
    bool any = false;
    for (std::size_t i = 0; i < geoms.size(); ++i) {
        if (boxes[i].isEmpty()) continue;
        auto candidates = index.query(boxes[i]);
        std::sort(candidates.begin(), candidates.end());
        for (const auto j : candidates) {
            if (j <= i || !geoms[i].intersects(geoms[j])) continue;
            const double a = measure.area(geoms[i].intersection(geoms[j]));
            if (a < kNoiseFloorM2) continue;
            v.overlaps.push_back(who(spec, layer, i) + " ∩ " + who(spec, layer, j) + ": " +
                                 formatNumber(a, 2) + " m²");
            parent[root(parent, j)] = root(parent, i);
            any = true;
        }
    }
    if (any) {
        std::map<std::size_t, std::vector<std::size_t>> groups;
        for (std::size_t i = 0; i < geoms.size(); ++i)
            if (!boxes[i].isEmpty()) groups[root(parent, i)].push_back(i);
        for (const auto& [r, members] : groups) {
            if (members.size() < 2) continue;
            double sum = 0;
            std::vector<gis::Geometry> parts;
            for (const auto m : members) {
                sum += measure.area(geoms[m]);
                parts.push_back(geoms[m]);
            }
            v.doubleCountedM2 += sum - measure.area(gis::Geometry::unionOf(parts));
        }
    }
    return v;
}

}  // namespace onemap::core
