#pragma once
// The ranking terms of a checked candidate plot (station, park, compactness, contiguity,
// single_unit, city),
// its weighted score, and the ranking with its Pareto set.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

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

/// 1 at the feature, ½ at the rule's limit, ⅓ at twice it: nearer is better, also beyond it.
[[nodiscard]] double nearness(double d, double limit);

class CandidateScorer {
  public:
    /// `matchValues`: the project's value per match rule id (those the check applied).
    CandidateScorer(const OneMap& map, const ProjectBrief& brief,
                    const std::map<std::string, std::string>& matchValues)
        : map_(map), brief_(brief), matchValues_(matchValues) {}

    /// The candidate a checked plot makes: its terms (weighted by the brief) and score.
    [[nodiscard]] Candidate score(const SiteReport& s) const;
    /// Marks the Pareto set, sorts by score (stable), numbers the ranks and ids C-001, ….
    static void rank(std::vector<Candidate>& candidates);
    /// The first rule scoring nearness (max_distance) to a point layer (stations): its distance
    /// is a term.
    [[nodiscard]] const RuleSpec* stationRule() const;

  private:
    [[nodiscard]] std::optional<double> contiguity(const gis::Geometry& plot) const;
    [[nodiscard]] std::set<std::string> requestedCityNames() const;

    const OneMap& map_;
    const ProjectBrief& brief_;
    const std::map<std::string, std::string>& matchValues_;
};

}  // namespace onemap::core
