#include "onemap/core/heat/plan_heatmap.hpp"

#include <algorithm>

#include "onemap/core/check/layer_source.hpp"
#include "onemap/core/heat/density_points.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::core {

const HeatmapSpec& planHeatmap(const Plan& plan, const std::string& id, const std::string& what) {
    if (const HeatmapSpec* found = plan.heatmap(id)) return *found;
    const std::string leftOut = "heatmap '" + id + "' is left out";
    for (const auto& note : plan.notes)
        if (note.rfind(leftOut, 0) == 0) throw InputError(what + ": " + note);
    std::string ids;
    for (const auto& h : plan.heatmaps) ids += (ids.empty() ? "" : ", ") + h.id;
    throw InputError(what + ": the plan has no heatmap '" + id + "'" +
                     (ids.empty() ? "" : " (it has " + ids + ")"));
}

PlanHeatmap::PlanHeatmap(const Plan& plan, HeatmapSpec spec,
                         const std::optional<gis::Envelope>& extent)
    : spec_(std::move(spec)) {
    if (spec_.line <= 0) {
        read(plan, extent);
        return;
    }
    try {  // an entry of the plan file: the message says which
        read(plan, extent);
    } catch (const InputError& e) {
        throw InputError(plan.path + ":" + std::to_string(spec_.line) + ": heatmap '" + spec_.id +
                         "': " + e.what());
    }
}

void PlanHeatmap::read(const Plan& plan, const std::optional<gis::Envelope>& extent) {
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
    if (points.empty() && !extent)  // nothing to draw, and no extent to draw it on
        throw InputError("heat: layer '" + spec_.layer + "' has no point" +
                         (spec_.where.empty() ? "" : " matching " + spec_.where) +
                         (plan.hasVersions() ? " in force on " + plan.asOf : ""));

    DensityOptions options;
    options.kernel = spec_.kernel;
    options.radius = spec_.radius;
    options.cellSize = spec_.cell;
    options.extent = extent;
    options.crs = plan.crs;
    density_.emplace(std::move(points), options);
}

}  // namespace onemap::core
