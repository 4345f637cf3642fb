#pragma once
// Cross-layer consistency of a plan (三线冲突检测): each [[consistency]] entry checked on the
// plan's day — farmland outside the development boundary, the red line clear of both, approved
// projects inside the boundary. Conflicts are values with their polygons; the caller owns them.
// checkConsistency reads only the map (any thread); checkPlanConsistency loads the layers.
#include <memory>
#include <string>
#include <vector>

#include "onemap/core/check/one_map.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/gis/geom/geometry.hpp"

namespace onemap::core {

/// One conflict: for `disjoint`, where a feature of a overlaps a feature of b; for `within`,
/// the part of a feature of a outside b (bId names the features of b it does reach, "" none).
struct ConsistencyConflict {
    std::string aId;  ///< the features' ids as reports show them (id_field, else fid)
    std::string bId;
    double areaM2 = 0;       ///< ellipsoidal, as the check measures areas
    gis::Geometry geometry;  ///< in the plan CRS
};

struct ConsistencyResult {
    ConsistencySpec spec;
    std::string aTitle, bTitle;
    std::size_t aFeatures = 0, bFeatures = 0;
    std::size_t pairsMeasured =
        0;  ///< candidate pairs whose boxes met (disjoint), features of a (within)
    std::vector<ConsistencyConflict> conflicts;  ///< above the tolerance, by a's then b's order
    [[nodiscard]] double totalM2() const;
};

/// The plan's [[consistency]] entries checked on its day (plan.asOf), reading only the layers
/// they name (as `check` reads them: in the plan CRS, repaired, dated records in force). An
/// entry naming a layer without polygons is an InputError naming the plan line.
std::vector<ConsistencyResult> checkPlanConsistency(const Plan& plan, bool useCache = true);

/// One entry against a loaded map holding both its layers.
ConsistencyResult checkConsistency(const OneMap& map, const ConsistencySpec& spec);

}  // namespace onemap::core
