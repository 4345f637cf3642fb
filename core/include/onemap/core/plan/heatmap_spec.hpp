#pragma once
// One [[heatmaps]] entry of a plan: a kernel density of one of its point layers (公共服务热力
// 分布图), drawn on request by `onemap render --heatmap`, the viewer and `onemap heat --heatmap`
// (docs/heat.md). A plain value; any thread.
#include <optional>
#include <string>

#include "onemap/core/heat/kernel.hpp"

namespace onemap::core {

struct HeatmapSpec {
    std::string id;
    std::string title;
    std::string layer;       ///< the layer whose points are counted
    std::string where;       ///< an attribute filter on it (SQL), "" = every feature
    std::string weight;      ///< a numeric field, "" = every point weighs 1
    bool centroids = false;  ///< lines and polygons count at their centroids
    Kernel kernel = Kernel::Quartic;
    std::optional<double> radius;  ///< metres; nullopt = the spatial Silverman rule
    std::optional<double> cell;    ///< metres; nullopt = the extent's shorter side / 250
    std::string ramp = "heat";     ///< a name of core::heatRampStops
    double opacity = 0.85;         ///< of the heat under the layers, in [0, 1]
    int line = 0;                  ///< where it is declared in the plan file
};

}  // namespace onemap::core
