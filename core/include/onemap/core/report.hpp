#pragma once
// What a check produces: verdicts with measures and conflict geometries — results,
// not exceptions. Writers turn a Report into text, JSON, CSV or conflict layers.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "onemap/core/plan.hpp"
#include "onemap/gis/feature.hpp"
#include "onemap/gis/geometry.hpp"

namespace onemap::core {

/// Unchecked: the site could not be checked (its geometry made GEOS fail); the reason is in
/// SiteReport::error. It ranks above Fail: nothing is known of that site.
enum class Verdict { Pass, Warn, Fail, Unchecked };
[[nodiscard]] const char* toString(Verdict v);

/// Overlap below this is numerical noise (sites touching layers along shared edges).
constexpr double kNoiseFloorM2 = 0.01;

struct RuleResult {
    std::string ruleId;
    std::string title;
    std::string kind;
    std::string layer;  ///< layer the rule reads ("" for attribute rules)
    Severity severity = Severity::Error;
    bool passed = true;
    // Measures: which are set depends on the kind.
    std::optional<double> overlapM2;
    std::optional<double> insideFraction;
    std::optional<double> insideM2;
    std::optional<double> outsideM2;
    std::optional<double> distanceM;
    std::optional<double> limit;        ///< the threshold compared against (m, m², fraction)
    std::string nearest;                ///< feature id of the nearest feature
    std::optional<gis::Value> value;    ///< attribute rules: the site's value (NULL if missing)
    std::vector<std::string> features;  ///< ids of the features involved
    std::vector<std::pair<std::string, double>> byClass;  ///< overlap m² per class, largest first
    gis::Geometry conflict;  ///< overlap (or the part outside) in the plan CRS

    [[nodiscard]] Verdict verdict() const {
        if (passed) return Verdict::Pass;
        return severity == Severity::Error ? Verdict::Fail : Verdict::Warn;
    }
};

struct AdminShare {
    std::string name;
    double areaM2 = 0;
    double fraction = 0;
};

struct SiteReport {
    std::string id;
    std::string name;
    double areaM2 = 0;
    std::vector<AdminShare> admin;  ///< largest share first
    std::vector<std::string> warnings;
    std::vector<RuleResult> rules;
    gis::Geometry geometry;  ///< in the plan CRS
    std::string error;       ///< why the site could not be checked ("" when it was)

    [[nodiscard]] Verdict verdict() const;
    [[nodiscard]] bool crossBoundary() const { return admin.size() > 1; }
};

struct Report {
    std::string planName;
    std::string planPath;
    std::string crs;
    std::string sitesPath;
    std::map<std::string, std::string> inputs;  ///< path → sha256
    std::vector<std::string> warnings;          ///< plan-level (layer repairs, ...)
    std::vector<SiteReport> sites;

    [[nodiscard]] std::size_t count(Verdict v) const;
    /// 2 when a site could not be checked, else 1 when any site fails an error-severity rule,
    /// else 0.
    [[nodiscard]] int exitCode() const {
        if (count(Verdict::Unchecked) > 0) return 2;
        return count(Verdict::Fail) > 0 ? 1 : 0;
    }
};

}  // namespace onemap::core
