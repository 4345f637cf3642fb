#pragma once
// `onemap find`: where can this project go? Free land from the plan's error rules, compact
// plots of the requested area laid on it, each checked by the compliance engine with the
// same plan, ranked by the plan's soft objectives. "Nothing fits" is a result naming why.
// A SiteFinder shares the OneMap (read-only) and owns its brief; find() works in parallel on
// its own and may be called from any thread.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "onemap/core/check/feedback.hpp"
#include "onemap/core/check/report.hpp"
#include "onemap/core/find/free_land.hpp"
#include "onemap/core/plan/project_brief.hpp"

namespace onemap::core {

class OneMap;

/// One ranking term of a candidate, 0 (worst) .. 1 (best).
struct ScoreTerm {
    /// "station", "park", "compactness", "contiguity", "single_unit", "city"
    std::string name;
    double value = 0;
    double weight = 1;
    std::string detail;  ///< what it was measured from, in words
};

struct Candidate {
    std::string id;  ///< "C-001" by rank
    int rank = 0;    ///< 1 = best score
    double score = 0;
    bool pareto =
        false;  ///< no other candidate is at least as good on every term and better on one
    std::vector<ScoreTerm> terms;
    double areaM2 = 0;
    gis::Point lonLat;    ///< its centre, degrees on the plan CRS's datum
    std::string admin;    ///< the admin feature holding most of it
    std::string park;     ///< the matching park features it lies in ("" none)
    std::string nearest;  ///< nearest feature of the first max_distance point layer
    std::optional<double> nearestM;
    std::vector<std::string> warningsMissed;  ///< ids of warning rules it does not meet
    SiteReport check;                         ///< the compliance engine's verdict on it
};

struct FindResult {
    std::string planName;
    std::string planPath;
    std::string crs;
    Lang lang = Lang::Zh;               ///< the language of its reports (the plan's)
    std::string asOf;                   ///< the plan's day; "" when it has no versions
    std::vector<VersionUsed> versions;  ///< versioned layers in force that day
    ProjectBrief brief;
    FreeLand freeLand;
    std::vector<Candidate> candidates;  ///< by rank
    std::vector<std::string> rulesChecked;
    /// The site fields every candidate carried into the check: the industry under each
    /// `match` rule's site field, and the brief's [attributes].
    std::map<std::string, gis::Value> siteFields;
    /// Rules left out of the candidates' check, and how free land took the plan's rules.
    std::vector<std::string> notes;
    /// Why fewer than brief.count candidates were found ("" when all were).
    std::string binding;
    /// With no candidate: the binding constraint relaxed and the free land it would give
    /// ("within 15,000 m instead of 10,000 m (rule 'near-station'): …"); "" otherwise.
    std::string relaxation;
    std::size_t plotsTried = 0;  ///< plots that fitted on free land before selection
};

class SiteFinder {
  public:
    SiteFinder(std::shared_ptr<const OneMap> map, ProjectBrief brief);
    /// InputError for what the brief cannot give the plan (a `match` rule with no industry, an
    /// unknown city); everything about the land is in the result.
    [[nodiscard]] FindResult find(Feedback* feedback = nullptr) const;

  private:
    std::shared_ptr<const OneMap> map_;
    ProjectBrief brief_;
};

}  // namespace onemap::core
