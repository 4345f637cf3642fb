#include "onemap/core/check/layer_validation.hpp"

#include <map>
#include <numeric>

#include "onemap/core/check/number_format.hpp"
#include "onemap/core/check/report.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/crs_diagnosis.hpp"
#include "onemap/gis/crs/geodesic.hpp"
#include "onemap/gis/crs/web_map_datum.hpp"
#include "onemap/gis/index/spatial_index.hpp"
#include "onemap/gis/layer/layer_reader.hpp"

namespace onemap::core {
namespace {

std::string who(const LayerSpec& spec, const gis::VectorLayer& layer, std::size_t i) {
    std::string s = "fid " + std::to_string(layer.features[i].fid);
    if (!spec.idField.empty()) s += " (" + gis::toString(layer.value(i, spec.idField)) + ")";
    return s;
}

// "plan.toml:12: layer 'approved'": where a message about a layer points.
std::string layerAt(const Plan& plan, const LayerSpec& spec) {
    return plan.path + ":" + std::to_string(spec.line) + ": layer '" + spec.id + "'";
}

std::size_t root(std::vector<std::size_t>& parent, std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
}

}  // namespace

gis::VectorLayer readRaw(const Plan& plan, const LayerSpec& spec,
                         const std::vector<gis::Envelope>& near, bool checkValidity,
                         const std::string& keepProofsIn) {
    try {
        gis::ReadOptions options;
        options.table = spec.table;
        options.filter = spec.filter;
        options.encoding = spec.encoding;
        // Boxes are in the plan CRS: a layer stored in another CRS, or one whose CRS the
        // plan supplies, is read whole.
        if (spec.crs.empty()) {
            options.near = near;
            options.nearCrs = plan.crs;
            options.keepProofsIn = keepProofsIn;
            if (checkValidity) options.checkValidityIn = plan.crs;  // no reprojection after
        }
        auto layer = gis::readLayer(spec.source, options);
        if (!near.empty() && !spec.crs.empty())
            layer.readWholeBecause = "the plan sets its crs (crs = \"" + spec.crs + "\")";
        if (const auto datum = gis::parseWebMapDatum(spec.crs)) {
            // Drawn on a Chinese web map: lon/lat with its offset, which comes off here.
            if (layer.crs.isKnown() && !layer.crs.isGeographic())
                throw InputError("crs = \"" + spec.crs +
                                 "\" needs lon/lat coordinates, but the source is in " +
                                 layer.crs.label());
            if (!layer.crs.isKnown()) layer.crs = gis::Crs::fromEpsg(4326);
            for (auto& f : layer.features) f.geometry = gis::removeWebMapOffset(f.geometry, *datum);
            layer.notes.push_back(gis::webMapDatumName(*datum) +
                                  " offset removed (plan crs), now " + layer.crs.label());
        } else if (!layer.crs.isKnown() && !spec.crs.empty()) {
            layer.crs = gis::Crs::fromUserInput(spec.crs);
        }
        return layer;
    } catch (const InputError& e) {
        throw InputError(plan.path + ":" + std::to_string(spec.line) + ": layer '" + spec.id +
                         "': " + e.what());
    }
}

void keepInForce(const Plan& plan, const LayerSpec& spec, gis::VectorLayer& data,
                 std::vector<std::string>& warnings) {
    const auto field = data.fieldIndex(spec.dateField);
    if (!field)
        throw InputError(layerAt(plan, spec) + ": date_field '" + spec.dateField + "' is not in " +
                         spec.source);
    std::vector<gis::Feature> inForce;
    for (auto& f : data.features) {
        std::string day = gis::toString(f.values[*field]);
        // A Date-typed field reads as GDAL writes it, "2023/01/01" (DateTime adds the time).
        if (day.size() >= 10 && day[4] == '/' && day[7] == '/' &&
            (day.size() == 10 || day[10] == ' ')) {
            day = day.substr(0, 10);
            day[4] = day[7] = '-';
        }
        if (!isIsoDate(day))
            throw InputError(layerAt(plan, spec) + " feature fid " + std::to_string(f.fid) + ": " +
                             spec.dateField + " = '" + day + "' is not a date (YYYY-MM-DD)");
        if (day <= plan.asOf) inForce.push_back(std::move(f));
    }
    if (inForce.size() < data.features.size())
        warnings.push_back("layer '" + spec.id +
                           "': " + std::to_string(data.features.size() - inForce.size()) + " of " +
                           std::to_string(data.features.size()) + " records dated after " +
                           plan.asOf + ", not yet in force");
    data.features = std::move(inForce);
}

LayerValidation validateLayer(const LayerSpec& spec, const gis::VectorLayer& layer,
                              const gis::Crs& planCrs) {
    LayerValidation v;
    v.layerId = spec.id;
    v.title = spec.title;
    v.crs = layer.crs.isKnown() ? layer.crs.label() : "none";
    v.encoding = layer.encoding;
    v.features = layer.features.size();
    v.notes = layer.notes;
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
