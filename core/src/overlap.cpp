#include "overlap.hpp"

#include <algorithm>

namespace onemap::core {

Overlap computeOverlap(const SiteContext& ctx, const MapLayer& layer, const std::function<bool(std::size_t)>& accept) {
    Overlap out;
    const gis::Geometry& site = ctx.site.geometry;
    auto candidates = layer.index().query(site.envelope());
    std::sort(candidates.begin(), candidates.end());  // deterministic order whatever the tree
    std::vector<gis::Geometry> parts;
    for (const std::size_t i : candidates) {
        if (accept && !accept(i)) continue;
        const gis::Geometry& feature = layer.geometry(i);
        if (!ctx.prepared.intersects(feature)) continue;
        gis::Geometry piece;
        if (ctx.prepared.covers(feature)) piece = feature;        // whole feature inside the site
        else if (ctx.prepared.within(feature)) piece = site;      // site wholly inside the feature
        else piece = site.intersection(feature).polygonalPart();
        // Pieces of zero area come from sites touching a feature along an edge.
        if (piece.isEmpty() || piece.area() < kNoiseFloorM2) continue;
        parts.push_back(piece);
        out.pieces.push_back({i, std::move(piece)});
    }
    if (parts.empty()) return out;
    out.area = parts.size() == 1 ? parts.front() : gis::Geometry::unionOf(parts);
    out.areaM2 = ctx.measure.area(out.area);
    if (out.areaM2 < kNoiseFloorM2) {
        out = Overlap{};
    }
    return out;
}

}  // namespace onemap::core
