#pragma once
// One rule of a plan: the Rule base class its kind creates, and the SiteContext it sees of a
// site. The ComplianceEngine owns the rules; evaluate() is called from many threads at once,
// so a rule keeps no mutable state.
#include <string>
#include <vector>

#include "onemap/core/check/report.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/gis/crs/geodesic.hpp"
#include "onemap/gis/geom/convex_partition.hpp"
#include "onemap/gis/geom/prepared_geometry.hpp"

namespace onemap::core {

class OneMap;
class SiteSet;
struct Site;

/// What a rule sees of one site. Per thread: the prepared geometry and the measure.
struct SiteContext {
    const Site& site;
    const SiteSet& sites;
    const OneMap& map;
    const gis::PreparedGeometry& prepared;
    const gis::EllipsoidalMeasure& measure;
    double areaM2 = 0;  ///< ellipsoidal area of the site
    /// Set when results need no geometry and the site can be measured from area moments
    /// (projected CRS, site under 5 km across): overlaps are then measured by clipping
    /// against its convex pieces, with no conflict geometry built. Null: GEOS overlay.
    const gis::ConvexPartition* partition = nullptr;
};

/// One rule of a plan, created by its kind from a validated RuleSpec.
class Rule {
  public:
    explicit Rule(RuleSpec spec) : spec_(std::move(spec)) {}
    virtual ~Rule() = default;
    Rule(const Rule&) = delete;
    Rule& operator=(const Rule&) = delete;

    [[nodiscard]] const RuleSpec& spec() const { return spec_; }
    /// Checks what the rule needs exists (layers, layer fields) and prepares what it computes
    /// once per map. Throws InputError naming the rule. It sees the map only, never the sites
    /// (site fields a site file lacks are no error: the rule is not checked on those sites), so
    /// an engine binds its rules once for every check on its map.
    virtual void bind(const OneMap& map) const;
    /// The site attributes the rule reads: a site drawn on the map has none, so
    /// only rules reading none can speak about it.
    [[nodiscard]] virtual std::vector<std::string> siteFields() const { return {}; }
    /// Whether the rule needs only the features of its layer that meet the site (overlap,
    /// within): then a check of a few sites may read just those. A nearest-feature rule can
    /// find its answer anywhere in its layer, so the default is no.
    [[nodiscard]] virtual bool needsOnlyFeaturesMeetingSite() const { return false; }
    /// Evaluates one site. Thread-safe: called from many threads at once.
    [[nodiscard]] virtual RuleResult evaluate(const SiteContext& ctx) const = 0;
    /// The rule's result for a site it was not checked on, saying why (the engine's words:
    /// a field of siteFields() the site file lacks or has no value for at that site).
    [[nodiscard]] RuleResult notChecked(Wording reason) const;

  protected:
    /// A result pre-filled with the rule's id, title, kind, layer and severity.
    [[nodiscard]] RuleResult result() const;
    [[noreturn]] void fail(
        const std::string& message) const;  ///< throws InputError naming the rule

  private:
    RuleSpec spec_;
};

}  // namespace onemap::core
