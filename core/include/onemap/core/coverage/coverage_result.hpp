#pragma once
// The answer of a service coverage (onemap coverage) as data: per unit, per kind of service,
// per distance tier, the residents and those covered; and the uncovered cells of the largest
// tier. Plain values owned by whoever computed them; any thread may read them.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace onemap::core {

enum class DistanceMode { Straight, Network };

/// "straight" or "network", as --distance takes it.
[[nodiscard]] const char* toString(DistanceMode mode);

/// One tier of one kind in one unit.
struct TierCoverage {
    double tier = 0;       ///< metres
    double residents = 0;  ///< everyone counted in the unit
    double covered = 0;    ///< those whose cell centre is within the tier of a facility
    /// covered / residents; 0 for a unit without residents.
    [[nodiscard]] double share() const { return residents > 0 ? covered / residents : 0; }
};

struct KindCoverage {
    std::string kind;
    std::vector<TierCoverage> tiers;  ///< ascending
};

struct UnitCoverage {
    std::string name;
    std::size_t cells = 0;  ///< population cells counted here
    std::vector<KindCoverage> kinds;
};

/// A cell not covered at the largest tier by a facility of a kind (one per cell and kind;
/// cells without residents are left out).
struct UncoveredCell {
    double x = 0;
    double y = 0;
    std::int64_t fid = -1;
    double residents = 0;
    std::size_t unit = 0;  ///< index into CoverageResult::units (the "outside" row included)
    std::size_t kind = 0;  ///< index into CoverageResult::kinds
    /// The straight-line distance to the nearest facility of the kind (a lower bound of the
    /// walk in network mode); +∞ when the kind has no facility.
    double nearest = 0;
};

struct CoverageResult {
    DistanceMode mode = DistanceMode::Straight;
    std::vector<double> tiers;
    std::vector<std::string> kinds;
    /// The units in their layer's order; then, when some cell lies in no unit, the row
    /// kOutsideUnit; then the row kTotalUnit over every cell.
    std::vector<UnitCoverage> units;
    std::vector<UncoveredCell> uncovered;  ///< by kind, then in cell order
    std::size_t facilities = 0;
    std::size_t cells = 0;
    std::size_t offNetworkCells =
        0;  ///< network mode: cells whose nearest node is beyond the largest tier

    static constexpr const char* kOutsideUnit = "(outside every unit)";
    static constexpr const char* kTotalUnit = "(all)";
};

}  // namespace onemap::core
