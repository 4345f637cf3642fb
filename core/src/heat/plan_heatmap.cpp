#include "onemap/core/heat/plan_heatmap.hpp"

#include <algorithm>

#include "onemap/core/check/layer_source.hpp"
#include "onemap/core/heat/density_points.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::core {

PlanHeatmap::PlanHeatmap(const Plan& plan, HeatmapSpec spec,
                         const std::optional<gis::Envelope>& extent)
    : spec_(std::move(spec)) {
    const LayerSpec* found = plan.layer(spec_.layer);
    if (!found) {
        const bool declared =
            std::any_of(plan.layersNotInForce.begin(), plan.layersNotInForce.end(),
                        [&](const LayerSpec& l) { return l.id == spec_.layer; });
        throw InputError("heat: the plan has no layer '" + spec_.layer + "'" +
                         (declared ? " in force on " + plan.asOf : ""));
    }
    LayerSpec layer = *found;
    if (!spec_.where.empty())
        layer.filter =
            layer.filter.empty() ? spec_.where : "(" + layer.filter + ") AND (" + spec_.where + ")";
    std::string sourceCrs;
    const gis::VectorLayer data = readInPlanCrs(plan, layer, {}, {}, notes_, sourceCrs);
    auto points = densityPoints(data, {spec_.layer, spec_.weight, spec_.centroids}, &skipped_);

    DensityOptions options;
    options.kernel = spec_.kernel;
    options.radius = spec_.radius;
    options.cellSize = spec_.cell;
    options.extent = extent;
    options.crs = plan.crs;
    density_.emplace(std::move(points), options);
}

}  // namespace onemap::core
