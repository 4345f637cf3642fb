#pragma once
// A service coverage written out: text (Chinese labels), JSON, CSV, and the uncovered cells as
// a point layer. Functions of their arguments; any thread.
#include <string>

#include "onemap/core/coverage/coverage_result.hpp"
#include "onemap/gis/crs/crs.hpp"
#include "onemap/gis/layer/vector_layer.hpp"

namespace onemap::core {

/// A table per unit: kind × tier with residents, covered and share, under a header saying
/// 直线距离 or 沿街步行距离.
[[nodiscard]] std::string coverageText(const CoverageResult& result);
/// {"distance": …, "tiers": […], "kinds": […], "units": [{"name", "cells", "kinds": [{"kind",
/// "tiers": [{"tier", "residents", "covered", "share"}]}]}], …} (docs/heat.md).
[[nodiscard]] std::string coverageJson(const CoverageResult& result);
/// unit,kind,tier_m,residents,covered,share — one row per unit, kind and tier.
[[nodiscard]] std::string coverageCsv(const CoverageResult& result);
/// The uncovered cells as points (layer "uncovered"): fid of the cell, pop, unit, kind,
/// nearest_m (straight-line, NULL when the kind has no facility), tier_m.
[[nodiscard]] gis::VectorLayer uncoveredLayer(const CoverageResult& result, const gis::Crs& crs);

}  // namespace onemap::core
