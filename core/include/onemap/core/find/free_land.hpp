#pragma once
// Free land (可用地): where a project could go under a plan's error-severity rules — inside
// every must_be_within layer (with `match`, only the features of the project's value), off
// every must_not_overlap layer, beyond every min_distance setback, within every max_distance
// reach, inside the admin layer (and the chosen cities). Worked out in the plan CRS, tile by
// tile in parallel (TBB); reads the shared OneMap only; any thread may call it.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "onemap/core/check/feedback.hpp"
#include "onemap/gis/geom/geometry.hpp"

namespace onemap::core {

class OneMap;

/// The free land left after one constraint, in the order they were applied.
struct FreeLandStep {
    std::string constraint;  ///< "admin", or the rule id
    std::string title;       ///< the layer's or rule's title
    std::string kind;        ///< "admin" or the rule kind
    double areaM2 = 0;       ///< ellipsoidal, after this step
};

struct CityLand {
    std::string name;
    double areaM2 = 0;
};

struct FreeLand {
    gis::Geometry geometry;         ///< plan CRS; empty when nothing is free
    double areaM2 = 0;              ///< ellipsoidal
    std::vector<CityLand> perCity;  ///< admin features with free land, largest first
    std::vector<FreeLandStep> steps;
    double largestPieceM2 = 0;       ///< the largest connected piece
    std::vector<std::string> notes;  ///< how rules were taken (tolerances, fractions)

    /// The first step after which nothing was free, or null.
    [[nodiscard]] const FreeLandStep* emptiedBy() const;
};

struct FreeLandQuery {
    /// The value a must_be_within `match` compares with (the project's industry), per rule
    /// id; a rule with `match` absent from this map is an InputError (the value is needed).
    std::map<std::string, std::string> matchValues;
    std::vector<std::string> cities;  ///< admin feature labels (or ids); empty = all
    /// A relaxation asked for (what `find` suggests when nothing fits): rules left out, and
    /// distances used instead of a distance rule's own, by rule id.
    std::set<std::string> withoutRules;
    std::map<std::string, double> distanceM;
    double tileM = 5000;  ///< work is done tile by tile, in parallel
};

/// Throws InputError for a city the admin layer does not have.
[[nodiscard]] FreeLand computeFreeLand(const OneMap& map, const FreeLandQuery& query,
                                       Feedback* feedback = nullptr);

}  // namespace onemap::core
