#pragma once
#include <functional>
#include <vector>

#include "onemap/core/one_map.hpp"
#include "onemap/core/rule.hpp"
#include "onemap/core/site_set.hpp"

namespace onemap::core {

struct OverlapPart {
    std::size_t feature = 0;  ///< feature index in the layer
    gis::Geometry geometry;   ///< site ∩ feature (or ∩ one piece of a big feature)
};

/// A site's overlap with a layer: the parts per feature and their union (so features
/// that overlap each other are never counted twice), with its ellipsoidal area.
struct Overlap {
    std::vector<OverlapPart> parts;     ///< of features overlapping above the noise floor
    std::vector<std::size_t> features;  ///< those features, ascending, each once
    gis::Geometry area;                 ///< union of the parts
    double areaM2 = 0;                  ///< ellipsoidal; 0 below the noise floor
};

/// `accept` (optional) filters candidate features, e.g. by a matching attribute.
Overlap computeOverlap(const SiteContext& ctx, const MapLayer& layer,
                       const std::function<bool(std::size_t)>& accept = {});

}  // namespace onemap::core
