// Facilities, population cells and units taken from layers (docs/heat.md "Service coverage").
#include "onemap/core/coverage/coverage_inputs.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "onemap/gis/base/error.hpp"

namespace onemap::core {
namespace {

std::string featureName(const std::string& layerId, const gis::Feature& f) {
    return "coverage: layer '" + layerId + "' feature fid " + std::to_string(f.fid);
}

std::optional<gis::Point> centreOf(const gis::Geometry& g) {
    const auto at = g.centroid().paths();
    if (at.empty() || at.front().empty()) return std::nullopt;
    return at.front().front();
}

}  // namespace

FacilitySet readFacilities(const gis::VectorLayer& layer, const FacilityRequest& request) {
    std::optional<std::size_t> field;
    if (!request.kindField.empty()) {
        field = layer.fieldIndex(request.kindField);
        if (!field)
            throw InputError("coverage: layer '" + request.layerId + "' has no field '" +
                             request.kindField + "' for --kind");
    }
    struct Raw {
        double x, y;
        std::string kind;
    };
    std::vector<Raw> raw;
    raw.reserve(layer.features.size());
    for (const auto& f : layer.features) {
        std::string kind = "all";
        if (field) {
            const gis::Value& v = f.values.at(*field);
            if (gis::isNull(v))
                throw InputError(featureName(request.layerId, f) + ": kind '" + request.kindField +
                                 "' is NULL");
            kind = gis::toString(v);
        }
        if (f.geometry.isEmpty()) continue;
        const auto geometryKind = f.geometry.kind();
        if (request.centroids) {
            if (const auto c = centreOf(f.geometry)) raw.push_back({c->x, c->y, kind});
            continue;
        }
        if (geometryKind != gis::GeometryKind::Point)
            throw InputError(featureName(request.layerId, f) + " is not a point (the layer holds " +
                             gis::pluralName(geometryKind) +
                             "): give --centroids to count each at its centroid");
        for (const auto& path : f.geometry.paths())
            for (const auto& p : path) raw.push_back({p.x, p.y, kind});
    }
    FacilitySet out;
    std::map<std::string, std::size_t> index;
    for (const auto& r : raw) index.emplace(r.kind, 0);
    for (auto& [name, i] : index) {
        i = out.kinds.size();
        out.kinds.push_back(name);
    }
    if (out.kinds.empty() && !field) out.kinds.push_back("all");  // no facility at all
    out.facilities.reserve(raw.size());
    for (const auto& r : raw) out.facilities.push_back({r.x, r.y, index.at(r.kind)});
    return out;
}

std::vector<PopulationCell> readPopulation(const gis::VectorLayer& layer,
                                           const std::string& layerId,
                                           const std::string& popField) {
    const auto field = layer.fieldIndex(popField);
    if (!field)
        throw InputError("coverage: layer '" + layerId + "' has no field '" + popField +
                         "' for --pop-field");
    std::vector<PopulationCell> out;
    out.reserve(layer.features.size());
    for (const auto& f : layer.features) {
        const gis::Value& v = f.values.at(*field);
        const std::string where = featureName(layerId, f) + ": residents '" + popField + "' ";
        if (gis::isNull(v)) throw InputError(where + "is NULL");
        const auto n = gis::toNumber(v);
        if (!n) throw InputError(where + "holds text (\"" + gis::toString(v) + "\"), not a number");
        if (!std::isfinite(*n) || *n < 0)
            throw InputError(where + "is " + gis::toString(v) + "; counts must be finite, ≥ 0");
        // Residents with nowhere to stand would silently leave the totals: refused.
        const auto centre = f.geometry.isEmpty() ? std::nullopt : centreOf(f.geometry);
        if (!centre && *n > 0)
            throw InputError(featureName(layerId, f) + " has no geometry: its " + gis::toString(v) +
                             " residents cannot be placed");
        if (!centre) continue;
        const auto kind = f.geometry.kind();
        if (kind == gis::GeometryKind::Point) {
            const auto paths = f.geometry.paths();
            if (paths.size() != 1 || paths.front().size() != 1)
                throw InputError(featureName(layerId, f) +
                                 " is a multipoint: a population cell is one point or polygon");
            out.push_back({paths.front().front().x, paths.front().front().y, *n, f.fid});
        } else if (kind == gis::GeometryKind::Polygon) {
            out.push_back({centre->x, centre->y, *n, f.fid});
        } else {
            throw InputError(featureName(layerId, f) + " is not a point or polygon (" +
                             gis::pluralName(kind) + "): a population cell is one");
        }
    }
    return out;
}

std::vector<ServiceUnit> readUnits(const gis::VectorLayer& layer, const std::string& labelField) {
    std::vector<ServiceUnit> out;
    for (std::size_t i = 0; i < layer.features.size(); ++i) {
        const auto& f = layer.features[i];
        if (f.geometry.isEmpty()) continue;
        std::string name = labelField.empty() ? "" : gis::toString(layer.value(i, labelField));
        if (name.empty()) name = "fid " + std::to_string(f.fid);
        out.push_back({name, f.geometry});
    }
    return out;
}

}  // namespace onemap::core
