// must_be_within: the site must lie (mostly) inside a layer (development boundary, parks).
#include <algorithm>

#include "onemap/core/check/number_format.hpp"
#include "onemap/core/check/phrases.hpp"
#include "onemap/core/rules/rule.hpp"
#include "onemap/gis/base/error.hpp"
#include "rules/builtin_rules.hpp"
#include "rules/overlap.hpp"

namespace onemap::core {
namespace {

class MustBeWithinRule : public Rule {
  public:
    using Rule::Rule;

    void bind(const OneMap& map) const override {
        Rule::bind(map);
        const auto m = match();
        if (!m) return;
        if (!map.layer(spec().text("layer"))->data().fieldIndex(m->second))
            fail("match.layer names field '" + m->second + "', which layer '" +
                 spec().text("layer") + "' does not have");
    }

    [[nodiscard]] bool needsOnlyFeaturesMeetingSite() const override { return true; }

    [[nodiscard]] RuleResult evaluate(const SiteContext& ctx) const override {
        RuleResult r = result();
        const MapLayer& layer = *ctx.map.layer(r.layer);
        std::function<bool(std::size_t)> accept;
        if (const auto m = match()) {
            const std::string want = gis::toString(ctx.sites.value(ctx.site, m->first));
            const auto field = *layer.data().fieldIndex(m->second);
            accept = [&layer, want, field](std::size_t i) {
                return gis::toString(layer.data().features[i].values[field]) == want;
            };
        }
        const Overlap inside = computeOverlap(ctx, layer, accept);
        // With geometry, the outside part is computed on its own, so inside + outside = site
        // is a real check (tests run both paths); from moments it is the site less inside.
        gis::Geometry outside;
        double outsideM2 = 0;
        if (inside.fromMoments) {
            outsideM2 = std::max(0.0, ctx.areaM2 - inside.areaM2);
        } else {
            outside = inside.parts.empty()
                          ? ctx.site.geometry
                          : ctx.site.geometry.difference(inside.area).polygonalPart();
            outsideM2 = ctx.measure.area(outside);
        }
        if (outsideM2 < kNoiseFloorM2) outsideM2 = 0;
        const double minFraction = spec().number("min_fraction");
        const double insideFraction =
            ctx.areaM2 > 0 ? std::clamp(inside.areaM2 / ctx.areaM2, 0.0, 1.0) : 0.0;
        r.passed = outsideM2 <= std::max(kNoiseFloorM2, (1.0 - minFraction) * ctx.areaM2);
        if (outsideM2 > 0) r.conflict = outside;  // empty when measured from moments
        for (const auto f : inside.features) r.features.push_back(layer.featureId(f));
        const Measure fraction =
            Measure::fraction("inside_fraction", phrase::mInsideShare, insideFraction);
        const Measure outsideArea = Measure::area("outside_m2", phrase::mOutsideArea, outsideM2);
        r.measures = {fraction, Measure::area("inside_m2", phrase::mInsideArea, inside.areaM2),
                      outsideArea, Measure::plain("limit", phrase::mMinimumShare, minFraction),
                      Measure::list("features", phrase::mFeaturesInside, r.features)};
        r.summary = fill(phrase::insideShare,
                         {fraction.display(), Wording::same(formatNumber(minFraction * 100, 0)),
                          outsideArea.display()});
        return r;
    }

    [[nodiscard]] std::vector<std::string> siteFields() const override {
        if (const auto m = match()) return {m->first};
        return {};
    }

  private:
    [[nodiscard]] std::optional<std::pair<std::string, std::string>> match() const {
        const auto it = spec().params.find("match");
        if (it == spec().params.end()) return std::nullopt;
        const auto& m = std::get<std::map<std::string, std::string>>(it->second);
        return std::pair{m.at("site"), m.at("layer")};
    }
};

std::string checkMatch(const ParamValue& v) {
    const auto* m = std::get_if<std::map<std::string, std::string>>(&v);
    if (!m) return "must be a table";
    if (m->size() != 2 || !m->count("site") || !m->count("layer"))
        return "must be { site = \"<site field>\", layer = \"<layer field>\" }";
    return "";
}

}  // namespace

RuleKind mustBeWithinKind() {
    RuleKind k;
    k.name = "must_be_within";
    k.label = phrase::kindWithin;
    k.help = "at least min_fraction of the site must lie inside the layer";
    k.layerGeometry = gis::GeometryKind::Polygon;
    k.params = {layerParam(),
                {"min_fraction", ParamType::Number, false, ParamValue{1.0},
                 "share of the site inside, 0..1", fraction},
                {"match", ParamType::Table, false, std::nullopt,
                 "only features whose layer field equals the site's field count", checkMatch}};
    k.create = [](const RuleSpec& s) { return std::make_unique<MustBeWithinRule>(s); };
    k.freeLand = FreeLandPart::Inside;
    k.score = ScorePart::MatchedShare;
    return k;
}

}  // namespace onemap::core
