// max_distance / min_distance: distance to the nearest feature of a layer, measured on the
// ellipsoid (as areas are) unless the plan asks for `distance = "planar"`.
#include <cmath>

#include "onemap/core/check/number_format.hpp"
#include "onemap/core/check/one_map.hpp"
#include "onemap/core/check/phrases.hpp"
#include "onemap/core/check/site_set.hpp"
#include "onemap/core/rules/rule.hpp"
#include "onemap/gis/geom/planar_distance.hpp"
#include "rules/builtin_rules.hpp"

namespace onemap::core {
namespace {

class DistanceRule : public Rule {
  public:
    DistanceRule(const RuleSpec& spec, bool atMost)
        : Rule(spec), atMost_(atMost), planar_(spec.text("distance") == "planar") {}

    [[nodiscard]] RuleResult evaluate(const SiteContext& ctx) const override {
        RuleResult r = result();
        const MapLayer& layer = *ctx.map.layer(r.layer);
        const gis::Geometry& site = ctx.site.geometry;
        std::size_t bestPiece = 0;
        double planar = 0;
        // The nearest piece is found in plan-CRS terms: a long rail line costs only its nearby
        // pieces. Over the few kilometres these rules span, the projection's scale varies by
        // well under 1e-4 (GK at 230 km from the central meridian: scale 1.00065 changing
        // ~6e-6 per km), so the pair nearest in the plane is the geodesically nearest pair
        // too, to within centimetres; only its length is measured again on the ellipsoid.
        const gis::PlanarDistance kernel(site);
        const bool found = layer.pieceIndex().nearest(
            site.envelope(),
            [&](std::size_t j) { return kernel.to(layer.piece(j), layer.pieceFacets(j)).distance; },
            bestPiece, planar);
        const double limit = spec().number("distance_m");
        std::optional<double> distance;
        std::string nearest;
        if (found) {
            distance = planar;
            if (!planar_ && planar > 0) {
                const auto pair = kernel.to(layer.piece(bestPiece), layer.pieceFacets(bestPiece));
                distance = ctx.measure.distance(pair.onFrom, pair.onOther);
            }
            nearest = layer.featureId(layer.pieceFeature(bestPiece));
            r.features = {nearest};
            // Within a micrometre of the limit meets it: a site drawn exactly 50 m off in the
            // plan must not fail on the projection round trip's last digits.
            constexpr double kEpsilonM = 1e-6;
            r.passed = atMost_ ? *distance <= limit + kEpsilonM : *distance >= limit - kEpsilonM;
        } else {
            // An empty layer: nothing is near (fails max_distance) and nothing is too close.
            r.passed = !atMost_;
        }
        const Measure d = Measure::metres("distance_m", phrase::mDistance, distance);
        r.measures = {
            d, Measure::text("nearest", phrase::mNearest, nearest),
            Measure::plain("limit", atMost_ ? phrase::mAtMost : phrase::mAtLeast, limit),
            Measure::text("distance_method", phrase::mMethod, planar_ ? "planar" : "geodesic")};
        r.summary =
            distance
                ? fill(atMost_ ? phrase::distanceAtMost : phrase::distanceAtLeast,
                       {d.display(), Wording::same(nearest), Wording::same(formatNumber(limit, 0)),
                        planar_ ? phrase::planarSuffix : Wording()})
                : phrase::layerEmpty;
        return r;
    }

  private:
    bool atMost_;
    bool planar_;
};

std::string checkMethod(const ParamValue& v) {
    const auto* s = std::get_if<std::string>(&v);
    return s && (*s == "geodesic" || *s == "planar") ? "" : "must be \"geodesic\" or \"planar\"";
}

RuleKind distanceKind(const char* name, bool atMost) {
    RuleKind k;
    k.name = name;
    k.label = atMost ? phrase::kindAtMost : phrase::kindAtLeast;
    k.help = atMost ? "the nearest feature must be at most distance_m away"
                    : "the nearest feature must be at least distance_m away";
    k.params = {layerParam(),
                {"distance_m", ParamType::Number, true, std::nullopt, "metres, ≥ 0", nonNegative},
                {"distance", ParamType::Text, false, ParamValue{std::string("geodesic")},
                 "geodesic (on the ellipsoid, default) or planar (in the plan CRS, where a "
                 "regulation measures on the projection)",
                 checkMethod}};
    k.create = [atMost](const RuleSpec& s) { return std::make_unique<DistanceRule>(s, atMost); };
    k.freeLand = atMost ? FreeLandPart::Reach : FreeLandPart::Setback;
    if (atMost) k.score = ScorePart::Nearness;
    return k;
}

}  // namespace

RuleKind maxDistanceKind() { return distanceKind("max_distance", true); }
RuleKind minDistanceKind() { return distanceKind("min_distance", false); }

}  // namespace onemap::core
