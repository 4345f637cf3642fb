#pragma once
// The default search radius of a kernel density: ArcGIS's "spatial variant of Silverman's rule
// of thumb" (How Kernel Density works, ArcGIS Pro 3.x Spatial Analyst:
// https://pro.arcgis.com/en/pro-app/latest/tool-reference/spatial-analyst/how-kernel-density-works.htm).
// A pure function of its arguments; any thread.
#include <vector>

#include "onemap/core/heat/weighted_point.hpp"

namespace onemap::core {

/// 0.9 · min(SD, √(1/ln 2) · Dm) · n^−0.2, all weighted as ArcGIS documents for a population
/// field: the mean centre is the weighted mean, SD the weighted standard distance
/// √(Σ wᵢ·dᵢ² / Σ wᵢ) from it, Dm the weighted median of the distances dᵢ to it (the smallest
/// dᵢ at which the weights of the points at or within it reach half of Σ w, ties in input
/// order), and n = Σ w (the number of points when every weight is 1). 0 when the points do not
/// spread (fewer than two distinct places, or Σ w = 0): the caller must then ask for a radius.
[[nodiscard]] double silvermanRadius(const std::vector<WeightedPoint>& points);

}  // namespace onemap::core
