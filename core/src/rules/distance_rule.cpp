// max_distance / min_distance: planar distance (plan CRS metres) to the nearest feature.
#include <cmath>

#include "builtin_rules.hpp"
#include "onemap/core/one_map.hpp"
#include "onemap/core/rule.hpp"
#include "onemap/core/site_set.hpp"

namespace onemap::core {
namespace {

class DistanceRule : public Rule {
  public:
    DistanceRule(const RuleSpec& spec, bool atMost) : Rule(spec), atMost_(atMost) {}

    [[nodiscard]] RuleResult evaluate(const SiteContext& ctx) const override {
        RuleResult r = result();
        const MapLayer& layer = *ctx.map.layer(r.layer);
        const gis::Geometry& site = ctx.site.geometry;
        std::size_t best = 0;
        double distance = 0;
        // Searched over the layer's pieces: a long rail line costs only its nearby pieces.
        const bool found = layer.pieceIndex().nearest(
            site.envelope(),
            [&](std::size_t j) {
                return ctx.prepared.intersects(layer.piece(j)) ? 0.0
                                                               : site.distance(layer.piece(j));
            },
            best, distance);
        best = found ? layer.pieceFeature(best) : 0;
        r.limit = spec().number("distance_m");
        if (!found) {
            // An empty layer: nothing is near (fails max_distance) and nothing is too close.
            r.distanceM = std::nullopt;
            r.passed = !atMost_;
            return r;
        }
        r.distanceM = distance;
        r.nearest = layer.featureId(best);
        r.features = {r.nearest};
        r.passed = atMost_ ? distance <= *r.limit : distance >= *r.limit;
        return r;
    }

  private:
    bool atMost_;
};

RuleKind distanceKind(const char* name, bool atMost) {
    RuleKind k;
    k.name = name;
    k.help = atMost ? "the nearest feature must be at most distance_m away"
                    : "the nearest feature must be at least distance_m away";
    k.params = {layerParam(),
                {"distance_m", ParamType::Number, true, std::nullopt, "metres, ≥ 0", nonNegative}};
    k.create = [atMost](const RuleSpec& s) { return std::make_unique<DistanceRule>(s, atMost); };
    return k;
}

}  // namespace

RuleKind maxDistanceKind() { return distanceKind("max_distance", true); }
RuleKind minDistanceKind() { return distanceKind("min_distance", false); }

}  // namespace onemap::core
