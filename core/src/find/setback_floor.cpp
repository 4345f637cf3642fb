#include "find/setback_floor.hpp"

#include "onemap/core/check/number_format.hpp"
#include "onemap/core/check/one_map.hpp"
#include "onemap/core/rules/rule_registry.hpp"
#include "onemap/gis/crs/geodesic.hpp"

namespace onemap::core {
namespace {

// On the safe side of the ground distance: nearest points are found on the plane, whose
// scale differs from the ground's by well under a part in a thousand over a plot.
constexpr double kMarginM = 0.05;

gis::GeometryKind kindOf(const MapLayer& layer) {
    return layer.size() > 0 ? layer.geometry(0).kind() : gis::GeometryKind::Point;
}

}  // namespace

const RuleSpec* stationRuleOf(const OneMap& map) {
    for (const auto& r : map.plan().rules)
        if (RuleRegistry::instance().kind(r.kind).score == ScorePart::Nearness) {
            const MapLayer* layer = map.layer(r.text("layer"));
            if (layer && layer->size() > 0 && kindOf(*layer) == gis::GeometryKind::Point) return &r;
        }
    return nullptr;
}

SetbackFloor::SetbackFloor(const OneMap& map) : map_(map) {
    for (const auto& r : map.plan().rules) {
        if (r.severity != Severity::Error ||
            RuleRegistry::instance().kind(r.kind).freeLand != FreeLandPart::Setback)
            continue;
        const MapLayer* layer = map.layer(r.text("layer"));
        if (!layer || layer->size() == 0 || kindOf(*layer) != gis::GeometryKind::Line) continue;
        distanceM_ = r.number("distance_m");
        ruleId_ = r.id;
        layers_.push_back(layer);
        break;
    }
    if (distanceM_ <= 0) return;
    if (const RuleSpec* st = stationRuleOf(map))
        if (const MapLayer* stations = map.layer(st->text("layer"))) layers_.push_back(stations);
}

bool SetbackFloor::clear(const gis::Geometry& plot) const {
    if (distanceM_ <= 0) return true;
    const auto& measure = gis::EllipsoidalMeasure::forThisThread(map_.plan().crs);
    gis::Envelope box = plot.envelope();
    const double reach = 2 * distanceM_ + 10;  // planar metres, generously
    box = {box.minx - reach, box.miny - reach, box.maxx + reach, box.maxy + reach};
    for (const MapLayer* layer : layers_)
        for (const auto j : layer->pieceIndex().query(box)) {
            const gis::Geometry& piece = layer->piece(j);
            if (piece.intersects(plot)) return false;
            const auto [a, b] = plot.nearestPoints(piece);
            if (measure.distance(a, b) < distanceM_ + kMarginM) return false;
        }
    return true;
}

std::string SetbackFloor::describe() const {
    if (distanceM_ <= 0) return "";
    std::string names;
    for (const MapLayer* l : layers_)
        names += (names.empty() ? "" : " and ") +
                 (l->spec().title.empty() ? l->spec().id : l->spec().title);
    return formatNumber(distanceM_, 0) + " m from " + names + " (rule '" + ruleId_ + "')";
}

}  // namespace onemap::core
