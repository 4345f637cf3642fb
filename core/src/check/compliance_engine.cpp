#include "onemap/core/check/compliance_engine.hpp"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <optional>

#include "onemap/core/check/coverage_words.hpp"
#include "onemap/core/rules/rule_registry.hpp"
#include "onemap/gis/base/error.hpp"
#include "rules/overlap.hpp"

namespace onemap::core {
namespace {

std::vector<AdminShare> adminShares(const SiteContext& ctx, const MapLayer& admin) {
    std::vector<AdminShare> out;
    const Overlap overlap = computeOverlap(ctx, admin);
    for (const auto feature : overlap.features) {
        const double a =
            areaOfParts(ctx, overlap, [&](const OverlapPart& p) { return p.feature == feature; });
        if (a < kNoiseFloorM2) continue;
        std::string name = admin.label(feature);
        if (name.empty()) name = admin.featureId(feature);
        out.push_back({name, a, ctx.areaM2 > 0 ? a / ctx.areaM2 : 0});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.areaM2 > b.areaM2; });
    return out;
}

// Why `rule` cannot be checked for `site` ("" when it can): a field it reads that the site
// file does not have (nor --attr, --attr-table), or has no value for (NULL or blank) there.
Wording whyNotCheckable(const Rule& rule, const SiteSet& sites, const Site& site) {
    for (const auto& field : rule.siteFields()) {
        if (!sites.hasField(field)) return reasonNoField(field, sites.source);
        const gis::Value v = sites.value(site, field);
        const auto* text = std::get_if<std::string>(&v);
        if (gis::isNull(v) || (text && text->find_first_not_of(" \t\r\n") == std::string::npos))
            return reasonNoValue(field);
    }
    return {};
}

}  // namespace

ComplianceEngine::ComplianceEngine(std::shared_ptr<const OneMap> map,
                                   const std::vector<std::string>& ruleIds)
    : map_(std::move(map)) {
    const Plan& plan = map_->plan();
    for (const auto& id : ruleIds) {
        if (plan.rule(id)) continue;
        for (const auto& note : plan.notes)  // declared, but its layer is not in force that day
            if (note.rfind("rule '" + id + "'", 0) == 0) throw InputError("--rules: " + note);
        throw InputError("--rules: the plan has no rule '" + id + "'");
    }
    const auto chosen = [&ruleIds](const std::string& id) {
        return ruleIds.empty() || std::find(ruleIds.begin(), ruleIds.end(), id) != ruleIds.end();
    };
    for (const auto& spec : plan.rules) {
        if (!chosen(spec.id)) {
            notApplied_.push_back({spec.id, spec.title});
            continue;
        }
        rules_.push_back(RuleRegistry::instance().find(spec.kind)->create(spec));
    }
    for (const auto& [spec, layer] : plan.rulesNotInForce) {
        if (!chosen(spec.id)) {
            notApplied_.push_back({spec.id, spec.title});
            continue;
        }
        std::string title = layer;
        for (const auto& l : plan.layersNotInForce)
            if (l.id == layer && !l.title.empty()) title = l.title;
        RuleResult r;
        r.ruleId = spec.id;
        r.title = spec.title;
        r.kind = spec.kind;
        r.kindLabel = RuleRegistry::instance().find(spec.kind)->label;
        r.layer = spec.text("layer");
        r.severity = spec.severity;
        r.passed = false;
        r.notChecked = reasonNotInForce(title, plan.asOf);
        notInForce_.push_back(std::move(r));
    }
}

ComplianceEngine::~ComplianceEngine() = default;

LoadScope ComplianceEngine::scopeFor(const Plan& plan, const std::vector<std::string>& ruleIds,
                                     const SiteSet& sites) {
    LoadScope scope;
    if (sites.sites.empty()) return scope;
    std::vector<std::string> whole;
    for (const auto& spec : plan.rules) {
        if (!ruleIds.empty() && std::find(ruleIds.begin(), ruleIds.end(), spec.id) == ruleIds.end())
            continue;
        const RuleKind& kind = *RuleRegistry::instance().find(spec.kind);
        if (kind.create(spec)->needsOnlyFeaturesMeetingSite()) continue;
        for (const auto& param : kind.params)  // every layer the rule reads (a quota: three)
            if (param.type == ParamType::Layer && spec.has(param.name))
                whole.push_back(spec.text(param.name));
    }
    // A dated layer is read whole: its warning counts the records not yet in force in the
    // layer, which a read near the sites cannot (nor may the count depend on the read).
    for (const auto& layer : plan.layers)
        if (layer.dateField.empty() &&
            std::find(whole.begin(), whole.end(), layer.id) == whole.end())
            scope.nearLayers.push_back(layer.id);
    // A metre of margin: GeoPackage R-tree boxes are single precision (rounded outwards,
    // but a margin costs nothing and keeps other indexes honest too).
    constexpr double kMarginM = 1.0;
    for (const auto& site : sites.sites) {
        gis::Envelope box = site.geometry.envelope();
        if (box.isEmpty()) continue;
        box.minx -= kMarginM;
        box.miny -= kMarginM;
        box.maxx += kMarginM;
        box.maxy += kMarginM;
        scope.near.push_back(box);
    }
    if (scope.near.empty()) scope.nearLayers.clear();
    return scope;
}

void ComplianceEngine::bind() const {
    const std::lock_guard lock(binding_);
    if (bound_) return;
    for (const auto& rule : rules_) rule->bind(*map_);
    bound_ = true;
}

SiteReport ComplianceEngine::check(const SiteSet& sites, const Site& site) const {
    SiteReport report;
    report.id = site.id;
    report.name = site.name;
    report.warnings = site.warnings;
    report.geometry = site.geometry;
    const gis::EllipsoidalMeasure& measure =
        gis::EllipsoidalMeasure::forThisThread(map_->plan().crs);
    const gis::PreparedGeometry prepared(site.geometry);
    SiteContext ctx{site, sites, *map_, prepared, measure, measure.area(site.geometry)};
    std::optional<gis::ConvexPartition> partition;
    if (!conflictGeometries_ && map_->plan().crs.isProjected()) {
        const gis::Envelope box = site.geometry.envelope();
        if (std::max(box.width(), box.height()) <= gis::EllipsoidalMeasure::kScaleFactorMaxSize)
            partition = gis::ConvexPartition::of(site.geometry);
        if (partition) ctx.partition = &*partition;
    }
    report.areaM2 = ctx.areaM2;
    if (const MapLayer* admin = map_->adminLayer()) {
        report.admin = adminShares(ctx, *admin);
        if (report.admin.empty())
            report.warnings.push_back("the site lies outside every feature of layer '" +
                                      admin->spec().id + "' (" + admin->spec().title + ")");
    }
    for (const auto& rule : rules_) {
        Wording why = whyNotCheckable(*rule, sites, site);
        report.rules.push_back(why.empty() ? rule->evaluate(ctx)
                                           : rule->notChecked(std::move(why)));
    }
    for (const auto& r : notInForce_) report.rules.push_back(r);
    report.rulesLeftOut = !notApplied_.empty();
    return report;
}

Report ComplianceEngine::run(const SiteSet& sites, Feedback* feedback, int threads) const {
    bind();
    Report report;
    report.planName = map_->plan().name;
    report.lang = map_->plan().language;
    report.planPath = map_->plan().path;
    report.crs = map_->plan().crsText;
    report.sitesPath = sites.source;
    report.inputs = map_->inputs();
    if (map_->plan().hasVersions()) {
        report.asOf = map_->plan().asOf;
        for (const auto& l : map_->plan().layers)
            if (l.inForce) report.versions.push_back({l.id, l.inForce->from, l.inForce->doc});
        report.absent = map_->plan().notes;
        for (const auto& l : map_->plan().layersNotInForce)
            report.notInForce.push_back(
                {l.id, l.title, l.versions.empty() ? "" : l.versions.front().from});
    }
    report.notApplied = notApplied_;
    for (const auto& [path, hash] : sites.inputs) report.inputs[path] = hash;
    report.warnings = map_->warnings();
    for (const auto& note : sites.notes) report.warnings.push_back(sites.source + ": " + note);
    report.sites.resize(sites.sites.size());

    std::unique_ptr<tbb::global_control> limit;
    if (threads > 0)
        limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                      static_cast<std::size_t>(threads));
    std::atomic<std::size_t> done{0};
    const std::size_t total = sites.sites.size();
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, total, 8), [&](const auto& range) {
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
            if (feedback && feedback->isCancelled()) return;
            try {
                report.sites[i] = check(sites, sites.sites[i]);
            } catch (const Cancelled&) {
                throw;
            } catch (const std::exception& e) {
                // One site GEOS cannot handle must not sink the others: it gets a result
                // saying why, the rest are checked, and the exit code says so (2).
                SiteReport failed;
                failed.id = sites.sites[i].id;
                failed.name = sites.sites[i].name;
                failed.warnings = sites.sites[i].warnings;
                failed.geometry = sites.sites[i].geometry;
                failed.error = e.what();
                failed.rulesLeftOut = !notApplied_.empty();
                report.sites[i] = std::move(failed);
            }
            const std::size_t n = ++done;
            if (feedback && (n % 64 == 0 || n == total))
                feedback->progress(static_cast<double>(n) / static_cast<double>(total),
                                   "checking sites");
        }
    });
    if (feedback && feedback->isCancelled()) throw Cancelled{};
    return report;
}

}  // namespace onemap::core
