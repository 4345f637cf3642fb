#include "rules/overlap.hpp"

#include <algorithm>
#include <map>
#include <optional>

namespace onemap::core {
namespace {

// Features touching the site by less than the noise floor (planar, per feature) are not
// overlaps: keeps the parts and the features above it.
void keepAboveNoiseFloor(std::vector<OverlapPart>& parts, Overlap& out) {
    std::map<std::size_t, double> featureArea;
    for (const auto& p : parts)
        featureArea[p.feature] += p.geometry.isEmpty() ? p.moments.area : p.geometry.area();
    for (auto& p : parts)
        if (featureArea[p.feature] >= kNoiseFloorM2) out.parts.push_back(std::move(p));
    for (const auto& [feature, a] : featureArea)
        if (a >= kNoiseFloorM2) out.features.push_back(feature);
}

std::vector<std::size_t> candidates(const SiteContext& ctx, const MapLayer& layer) {
    auto found = layer.pieceIndex().query(ctx.site.geometry.envelope());
    std::sort(found.begin(), found.end());  // deterministic order whatever the tree
    return found;
}

// Clipped moments per piece; nullopt when a piece meeting the site overlaps another
// feature (then only a union counts shared ground once).
std::optional<Overlap> overlapFromMoments(const SiteContext& ctx, const MapLayer& layer,
                                          const std::function<bool(std::size_t)>& accept) {
    std::vector<OverlapPart> parts;
    for (const std::size_t j : candidates(ctx, layer)) {
        const std::size_t feature = layer.pieceFeature(j);
        if (accept && !accept(feature)) continue;
        const gis::AreaMoments m = ctx.partition->momentsInside(layer.piece(j));
        if (m.area <= 0) continue;  // edge contact only
        if (layer.pieceOverlapsOthers(j)) return std::nullopt;
        parts.push_back({feature, {}, m});
    }
    Overlap out;
    keepAboveNoiseFloor(parts, out);
    if (out.parts.empty()) return out;
    out.fromMoments = true;
    out.areaM2 = areaOfParts(ctx, out, {});
    if (out.areaM2 < 0) return std::nullopt;  // not a projected CRS
    if (out.areaM2 < kNoiseFloorM2) out = Overlap{};
    return out;
}

}  // namespace

Overlap computeOverlap(const SiteContext& ctx, const MapLayer& layer,
                       const std::function<bool(std::size_t)>& accept) {
    if (ctx.partition)
        if (auto fast = overlapFromMoments(ctx, layer, accept)) return std::move(*fast);
    return computeOverlapByOverlay(ctx, layer, accept);
}

Overlap computeOverlapByOverlay(const SiteContext& ctx, const MapLayer& layer,
                                const std::function<bool(std::size_t)>& accept) {
    Overlap out;
    const gis::Geometry& site = ctx.site.geometry;
    std::vector<OverlapPart> parts;
    for (const std::size_t j : candidates(ctx, layer)) {
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
        if (part.isEmpty() || part.area() <= 0) continue;  // edge contact only
        parts.push_back({feature, std::move(part), {}});
    }
    keepAboveNoiseFloor(parts, out);
    if (out.parts.empty()) return out;
    std::vector<gis::Geometry> geometries;
    geometries.reserve(out.parts.size());
    for (const auto& p : out.parts) geometries.push_back(p.geometry);
    out.area = geometries.size() == 1 ? geometries.front() : gis::Geometry::unionOf(geometries);
    out.areaM2 = ctx.measure.area(out.area);
    if (out.areaM2 < kNoiseFloorM2) out = Overlap{};
    return out;
}

double areaOfParts(const SiteContext& ctx, const Overlap& overlap,
                   const std::function<bool(const OverlapPart&)>& pick) {
    if (overlap.fromMoments) {
        gis::AreaMoments sum;
        for (const auto& p : overlap.parts)
            if (!pick || pick(p)) sum += p.moments;
        return ctx.measure.area(sum, ctx.partition->origin());
    }
    std::vector<gis::Geometry> picked;
    for (const auto& p : overlap.parts)
        if (!pick || pick(p)) picked.push_back(p.geometry);
    if (picked.empty()) return 0;
    return ctx.measure.area(picked.size() == 1 ? picked.front() : gis::Geometry::unionOf(picked));
}

}  // namespace onemap::core
