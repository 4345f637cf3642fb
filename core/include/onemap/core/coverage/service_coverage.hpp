#pragma once
// ServiceCoverage: how many residents live within each distance tier of a facility of each
// kind, per unit (onemap coverage; docs/heat.md "Service coverage"). Made from its inputs and
// options (everything checked first), it owns them; compute() may be called from any thread
// and runs in parallel (TBB) itself, giving the same answer whatever the number of threads.
#include <vector>

#include "onemap/core/coverage/coverage_inputs.hpp"
#include "onemap/core/coverage/coverage_result.hpp"
#include "onemap/core/coverage/street_network.hpp"
#include "onemap/gis/crs/crs.hpp"

namespace onemap::core {

struct CoverageOptions {
    /// Distances in CRS units (metres), strictly ascending, each finite and > 0.
    std::vector<double> tiers{300, 500, 1000};
    DistanceMode mode = DistanceMode::Straight;
    /// A CRS in degrees is refused; unknown = taken to be in metres.
    gis::Crs crs;
    /// List the cells left uncovered at the largest tier, with their straight-line distance to
    /// the nearest facility of the kind (CoverageResult::uncovered); off, the list stays empty.
    bool listUncovered = false;
};

class ServiceCoverage {
  public:
    /// InputError (before any work): a CRS in degrees; no tier, a tier that is not a finite
    /// number > 0, tiers not strictly ascending; network mode without a network (or with one
    /// without edges); a negative or non-finite count of residents.
    ServiceCoverage(FacilitySet facilities, std::vector<PopulationCell> cells,
                    std::vector<ServiceUnit> units, CoverageOptions options,
                    const StreetNetwork* network = nullptr);

    /// A cell counts in the first unit (layer order) whose area covers its centre, else in the
    /// "outside" row. Straight: covered at tier t when some facility of the kind has
    /// dx² + dy² ≤ t². Network: when its nearest node's walk from the kind's facilities (each
    /// entering the network at its nearest node, the connector's length added) plus its own
    /// connector is ≤ t.
    [[nodiscard]] CoverageResult compute() const;

    /// The unit index of each cell (units.size() for none), as compute() assigns them.
    [[nodiscard]] std::vector<std::size_t> unitOfCells() const;

  private:
    FacilitySet facilities_;
    std::vector<PopulationCell> cells_;
    std::vector<ServiceUnit> units_;
    CoverageOptions options_;
    const StreetNetwork* network_;
};

}  // namespace onemap::core
