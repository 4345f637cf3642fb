// must_not_overlap: the site may not take land from a layer (farmland, red line).
#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "onemap/core/check/phrases.hpp"
#include "onemap/core/rules/rule.hpp"
#include "rules/builtin_rules.hpp"
#include "rules/overlap.hpp"

namespace onemap::core {
namespace {

class MustNotOverlapRule : public Rule {
  public:
    using Rule::Rule;

    void bind(const OneMap& map) const override {
        Rule::bind(map);
        const std::string by = spec().text("by");
        if (!by.empty() && !map.layer(spec().text("layer"))->data().fieldIndex(by))
            fail("'by' names field '" + by + "', which layer '" + spec().text("layer") +
                 "' does not have");
    }

    [[nodiscard]] bool needsOnlyFeaturesMeetingSite() const override { return true; }

    [[nodiscard]] RuleResult evaluate(const SiteContext& ctx) const override {
        RuleResult r = result();
        const MapLayer& layer = *ctx.map.layer(r.layer);
        // A register's record of this very project (same id) is its approval, not a conflict:
        // a re-check of an approved project does not count it, as the quota rule does not.
        bool ownRecord = false;
        std::function<bool(std::size_t)> notOwn;
        if (!layer.spec().dateField.empty() && !layer.spec().idField.empty())
            notOwn = [&](std::size_t f) {
                const bool own = layer.featureId(f) == ctx.site.id;
                ownRecord = ownRecord || own;
                return !own;
            };
        const Overlap overlap = computeOverlap(ctx, layer, notOwn);
        const double limit = spec().number("tolerance_m2");
        r.passed = overlap.areaM2 <= limit;
        r.conflict = overlap.area;
        for (const auto f : overlap.features) r.features.push_back(layer.featureId(f));

        std::vector<std::pair<std::string, double>> byClass;
        if (const std::string by = spec().text("by"); !by.empty() && !overlap.parts.empty()) {
            // Per class, shared ground counted once (duplicated parcels stay single).
            std::set<std::string> classes;
            for (const auto& p : overlap.parts)
                classes.insert(gis::toString(layer.data().value(p.feature, by)));
            for (const std::string& cls : classes)
                byClass.emplace_back(cls, areaOfParts(ctx, overlap, [&](const OverlapPart& p) {
                                         return gis::toString(layer.data().value(p.feature, by)) ==
                                                cls;
                                     }));
            std::stable_sort(byClass.begin(), byClass.end(),
                             [](const auto& a, const auto& b) { return a.second > b.second; });
        }
        r.measures.push_back(
            Measure::area("overlap_m2", phrase::mOverlap, overlap.areaM2, /*alsoMuHa=*/true));
        if (!byClass.empty())
            r.measures.push_back(Measure::byClass("by_m2", phrase::mByClass, byClass));
        r.measures.push_back(Measure::plain("limit", phrase::mTolerance, limit));
        r.measures.push_back(Measure::list("features", phrase::mFeaturesInvolved, r.features));

        r.summary = fill(phrase::overlap, {r.measures[0].display()});
        if (!byClass.empty()) r.summary += Wording::same(" [") + r.measures[1].display() + "]";
        if (!r.features.empty())
            r.summary += fill(phrase::featuresInvolved, {r.measures.back().display()});
        if (ownRecord) r.summary += fill(phrase::ownRecordNotCounted, {Wording::same(ctx.site.id)});
        return r;
    }
};

}  // namespace

RuleKind mustNotOverlapKind() {
    RuleKind k;
    k.name = "must_not_overlap";
    k.label = phrase::kindNotOverlap;
    k.help = "the site may not overlap the layer by more than tolerance_m2";
    k.layerGeometry = gis::GeometryKind::Polygon;
    k.params = {layerParam(),
                {"tolerance_m2", ParamType::Number, false, ParamValue{0.0}, "overlap allowed, m²",
                 nonNegative},
                {"by",
                 ParamType::Field,
                 false,
                 std::nullopt,
                 "class field of the layer to split the overlap by",
                 {}}};
    k.create = [](const RuleSpec& s) { return std::make_unique<MustNotOverlapRule>(s); };
    k.freeLand = FreeLandPart::Outside;
    return k;
}

}  // namespace onemap::core
