// A layer's features as weighted points (docs/heat.md "Inputs").
#include "onemap/core/heat/density_points.hpp"

#include <cmath>

#include "onemap/gis/base/error.hpp"

namespace onemap::core {
namespace {

std::string featureName(const DensityPointsRequest& request, const gis::Feature& f) {
    return "heat: layer '" + request.layerId + "' feature fid " + std::to_string(f.fid);
}

double weightOf(const DensityPointsRequest& request, const gis::Feature& f, std::size_t field) {
    const gis::Value& v = f.values.at(field);
    const std::string where = featureName(request, f) + ": weight '" + request.weightField + "' ";
    if (gis::isNull(v)) throw InputError(where + "is NULL");
    const auto n = gis::toNumber(v);
    if (!n) throw InputError(where + "holds text (\"" + gis::toString(v) + "\"), not a number");
    if (!std::isfinite(*n) || *n < 0)
        throw InputError(where + "is " + gis::toString(v) + "; weights must be finite, ≥ 0");
    return *n;
}

}  // namespace

std::vector<WeightedPoint> densityPoints(const gis::VectorLayer& layer,
                                         const DensityPointsRequest& request,
                                         std::size_t* skipped) {
    std::optional<std::size_t> field;
    if (!request.weightField.empty()) {
        field = layer.fieldIndex(request.weightField);
        if (!field)
            throw InputError("heat: layer '" + request.layerId + "' has no field '" +
                             request.weightField + "' for --weight");
    }
    std::vector<WeightedPoint> out;
    out.reserve(layer.features.size());
    std::size_t empty = 0;
    for (const auto& f : layer.features) {
        const double weight = field ? weightOf(request, f, *field) : 1.0;
        if (f.geometry.isEmpty()) {
            ++empty;
            continue;
        }
        const auto kind = f.geometry.kind();
        if (request.centroids) {
            const auto at = f.geometry.centroid().paths();
            if (at.empty() || at.front().empty()) {
                ++empty;
                continue;
            }
            out.push_back({at.front().front().x, at.front().front().y, weight});
            continue;
        }
        if (kind != gis::GeometryKind::Point)
            throw InputError(featureName(request, f) + " is not a point (the layer holds " +
                             gis::pluralName(kind) +
                             "): give --centroids to count each at its centroid");
        for (const auto& path : f.geometry.paths())
            for (const auto& p : path) out.push_back({p.x, p.y, weight});
    }
    if (skipped) *skipped = empty;
    return out;
}

}  // namespace onemap::core
