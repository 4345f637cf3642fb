#pragma once
// The hard floor `find` keeps every plot off: the plan's rail setback (its first error
// min_distance rule to a line layer), measured from that layer and from the stations (the
// point layer the station term reads), since a station sits on the line. Reads the shared
// OneMap only; a plain value owned by the search; any thread may call its const members.
#include <string>
#include <vector>

#include "onemap/gis/geom/geometry.hpp"

namespace onemap::core {

class OneMap;
class MapLayer;
struct RuleSpec;

/// The first rule scoring nearness (max_distance) to a point layer: the stations.
[[nodiscard]] const RuleSpec* stationRuleOf(const OneMap& map);

class SetbackFloor {
  public:
    explicit SetbackFloor(const OneMap& map);

    /// The floor (m on the ground); 0 when the plan has no rail setback.
    [[nodiscard]] double distanceM() const { return distanceM_; }
    /// True when the plot is at least the floor from every feature of its layers.
    [[nodiscard]] bool clear(const gis::Geometry& plot) const;
    /// "50 m from 铁路 and 高铁站 (rule 'rail-setback')", "" when there is no floor.
    [[nodiscard]] std::string describe() const;

  private:
    const OneMap& map_;
    double distanceM_ = 0;
    std::string ruleId_;
    std::vector<const MapLayer*> layers_;
};

}  // namespace onemap::core
