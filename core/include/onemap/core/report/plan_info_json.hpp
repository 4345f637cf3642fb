#pragma once
// The plan and its loaded one map as JSON: the twin of `onemap info` (docs/web.md, GET
// /api/info). A pure function of the map (owned by the caller); any thread may call it.
#include <string>

#include "onemap/core/check/one_map.hpp"

namespace onemap::core {

/// Layers (id, title, geometry, count, extent in the plan CRS and EPSG:4326, versions,
/// style) and rules (id, kind, severity, title, parameters), two-space indented.
[[nodiscard]] std::string planInfoJson(const OneMap& map, const std::string& version);

}  // namespace onemap::core
