#pragma once
// The compliance check (项目选址合规性审查): binds a plan's rules to sites and checks them.
// Shares the OneMap (read-only) and owns its Rule objects; one engine may be called from any
// thread, check() from many at once; run() checks in parallel on its own (TBB).
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "onemap/core/check/feedback.hpp"
#include "onemap/core/check/one_map.hpp"
#include "onemap/core/check/report.hpp"
#include "onemap/core/check/site_set.hpp"
#include "onemap/core/rules/rule.hpp"

namespace onemap::core {

/// Checks sites against a loaded one map's rules (项目选址合规性审查).
class ComplianceEngine {
  public:
    /// `ruleIds` restricts the check to some rules (empty = all); the rest are named in the
    /// report (Report::notApplied) and every site is partial. Unknown ids: InputError. Rules
    /// whose layer is not in force on the plan's date are reported not checked for every site.
    explicit ComplianceEngine(std::shared_ptr<const OneMap> map,
                              const std::vector<std::string>& ruleIds = {});
    ~ComplianceEngine();

    /// Checks one site (the viewer's case). Thread-safe.
    [[nodiscard]] SiteReport check(const SiteSet& sites, const Site& site) const;
    /// Checks every site, in parallel, in input order. Binds the rules to the map first.
    [[nodiscard]] Report run(const SiteSet& sites, Feedback* feedback = nullptr,
                             int threads = 0) const;
    /// What a check of `sites` by these rules needs loaded: every layer only near the sites,
    /// except the layers of rules that look beyond a site (nearest feature), read whole.
    /// (The reader still reads a layer whole where that is faster: gis::ReadOptions::near.)
    [[nodiscard]] static LoadScope scopeFor(const Plan& plan,
                                            const std::vector<std::string>& ruleIds,
                                            const SiteSet& sites);

    /// Whether results carry conflict geometries (default yes: the viewer, reports with
    /// maps, --conflicts). Without them, sites under 5 km across are measured by clipping
    /// against their convex pieces (no geometry built), the same areas to 1e-9 relative.
    void setConflictGeometries(bool wanted) { conflictGeometries_ = wanted; }

    /// Binds the rules to the map (layers and fields they need; what they compute once per
    /// map); run() calls it. Rules see the map only, so this engine binds them once: later
    /// calls return at once, or throw again what the binding threw (it is tried again).
    void bind() const;

    [[nodiscard]] const OneMap& map() const { return *map_; }
    [[nodiscard]] const std::vector<std::unique_ptr<Rule>>& rules() const { return rules_; }
    /// The plan's rules this engine leaves out (`ruleIds`): every site it checks is partial.
    [[nodiscard]] const std::vector<RuleNotApplied>& rulesNotApplied() const { return notApplied_; }

  private:
    std::shared_ptr<const OneMap> map_;
    std::vector<std::unique_ptr<Rule>> rules_;
    std::vector<RuleNotApplied> notApplied_;
    /// The results of the chosen rules whose layer has no version in force on the plan's date:
    /// not checked, the same for every site.
    std::vector<RuleResult> notInForce_;
    bool conflictGeometries_ = true;
    mutable std::mutex binding_;
    mutable bool bound_ = false;
};

}  // namespace onemap::core
