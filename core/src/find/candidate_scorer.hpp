#pragma once
// The ranking terms of a checked candidate plot (station, park, compactness, contiguity,
// single_unit, city), its weighted score, and the ranking with its Pareto set. Every term
// saturates where a planner stops caring (docs/find.md). Reads the shared OneMap; any thread.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "find/park_cover.hpp"
#include "onemap/core/check/one_map.hpp"
#include "onemap/core/find/site_finder.hpp"

namespace onemap::core {

/// A rule whose kind scores its share inside matched features (must_be_within) with `match`: which
/// site field meets which layer field.
struct MatchRule {
    const RuleSpec* rule;
    std::string siteField;
    std::string layerField;
};
[[nodiscard]] std::vector<MatchRule> matchRules(const Plan& plan);

/// Station access: 1 within `fullM`, falling linearly to 0 at `zeroM`, 0 beyond; never more
/// for being nearer than `fullM`.
[[nodiscard]] double stationAccess(double d, double fullM, double zeroM);

/// The width of the ring around a plot the contiguity term looks at (m).
constexpr double kNeighbourhoodM = 200;

class CandidateScorer {
  public:
    /// `matchValues`: the project's value per match rule id (those the check applied).
    /// `parks`: which park a plot lies in; `freeLand`: the search's free land (contiguity).
    CandidateScorer(const OneMap& map, const ProjectBrief& brief,
                    const std::map<std::string, std::string>& matchValues, const ParkCover& parks,
                    const gis::Geometry& freeLand)
        : map_(map), brief_(brief), matchValues_(matchValues), parks_(parks), freeLand_(freeLand) {}

    /// The candidate a checked plot makes: its terms (weighted by the brief) and score.
    [[nodiscard]] Candidate score(const SiteReport& s) const;
    /// Marks the Pareto set, sorts by score (stable), numbers the ranks and ids C-001, ….
    static void rank(std::vector<Candidate>& candidates);
    /// The first rule scoring nearness (max_distance) to a point layer (stations): its distance
    /// is a term.
    [[nodiscard]] const RuleSpec* stationRule() const;
    /// The station term's band (m): full marks within the first, 0 from the second.
    [[nodiscard]] std::pair<double, double> stationBand() const;
    /// Whether the park term is scored: an industry matched, or any_park.
    [[nodiscard]] bool scoresPark() const;

  private:
    [[nodiscard]] double contiguity(const gis::Geometry& plot) const;
    [[nodiscard]] std::set<std::string> requestedCityNames() const;

    const OneMap& map_;
    const ProjectBrief& brief_;
    const std::map<std::string, std::string>& matchValues_;
    const ParkCover& parks_;
    const gis::Geometry& freeLand_;
};

}  // namespace onemap::core
