#include "overlap.hpp"

#include <algorithm>
#include <map>

namespace onemap::core {

Overlap computeOverlap(const SiteContext& ctx, const MapLayer& layer,
                       const std::function<bool(std::size_t)>& accept) {
    Overlap out;
    const gis::Geometry& site = ctx.site.geometry;
    auto candidates = layer.pieceIndex().query(site.envelope());
    std::sort(candidates.begin(), candidates.end());  // deterministic order whatever the tree
    std::map<std::size_t, double> featureArea;        // planar, per feature, for the noise floor
    std::vector<OverlapPart> parts;
    for (const std::size_t j : candidates) {
        const std::size_t feature = layer.pieceFeature(j);
        if (accept && !accept(feature)) continue;
        const gis::Geometry& piece = layer.piece(j);
        if (!ctx.prepared.intersects(piece)) continue;
        gis::Geometry part;
        if (ctx.prepared.covers(piece))
            part = piece;  // whole piece inside the site
        else if (ctx.prepared.within(piece))
            part = site;  // site wholly inside the piece
        else
            part = site.intersection(piece).polygonalPart();
        const double a = part.isEmpty() ? 0.0 : part.area();
        if (a <= 0) continue;  // edge contact only
        featureArea[feature] += a;
        parts.push_back({feature, std::move(part)});
    }
    // Features touching the site by less than the noise floor are not overlaps.
    for (auto& p : parts) {
        if (featureArea[p.feature] >= kNoiseFloorM2) out.parts.push_back(std::move(p));
    }
    if (out.parts.empty()) return out;
    for (const auto& [feature, a] : featureArea)
        if (a >= kNoiseFloorM2) out.features.push_back(feature);
    std::vector<gis::Geometry> geometries;
    geometries.reserve(out.parts.size());
    for (const auto& p : out.parts) geometries.push_back(p.geometry);
    out.area = geometries.size() == 1 ? geometries.front() : gis::Geometry::unionOf(geometries);
    out.areaM2 = ctx.measure.area(out.area);
    if (out.areaM2 < kNoiseFloorM2) out = Overlap{};
    return out;
}

}  // namespace onemap::core
