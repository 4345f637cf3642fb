#pragma once
#include <functional>
#include <vector>

#include "onemap/core/check/one_map.hpp"
#include "onemap/core/check/site_set.hpp"
#include "onemap/core/rules/rule.hpp"

namespace onemap::core {

struct OverlapPart {
    std::size_t feature = 0;   ///< feature index in the layer
    gis::Geometry geometry;    ///< site ∩ feature (or one piece of it); empty if fromMoments
    gis::AreaMoments moments;  ///< of that part about ctx.partition's origin, if fromMoments
};

/// A site's overlap with a layer: the parts per feature and their union (so features
/// that overlap each other are never counted twice), with its ellipsoidal area.
struct Overlap {
    std::vector<OverlapPart> parts;     ///< of features overlapping above the noise floor
    std::vector<std::size_t> features;  ///< those features, ascending, each once
    gis::Geometry area;                 ///< union of the parts; empty if fromMoments
    double areaM2 = 0;                  ///< ellipsoidal; 0 below the noise floor
    /// Measured without geometry: the parts belong to features that overlap no other, so
    /// their moments add up (SiteContext::partition).
    bool fromMoments = false;
};

/// `accept` (optional) filters candidate features, e.g. by a matching attribute. With a
/// ctx.partition the overlap is measured from moments where the layer's features there
/// overlap no other, else (and always without a partition) by GEOS overlay and union.
Overlap computeOverlap(const SiteContext& ctx, const MapLayer& layer,
                       const std::function<bool(std::size_t)>& accept = {});
/// The GEOS overlay path alone: the reference the moment path is tested against.
Overlap computeOverlapByOverlay(const SiteContext& ctx, const MapLayer& layer,
                                const std::function<bool(std::size_t)>& accept = {});

/// Ellipsoidal area of the parts `pick` selects, shared ground counted once.
double areaOfParts(const SiteContext& ctx, const Overlap& overlap,
                   const std::function<bool(const OverlapPart&)>& pick);

}  // namespace onemap::core
