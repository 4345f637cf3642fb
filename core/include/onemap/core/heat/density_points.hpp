#pragma once
// The weighted points a kernel density is made of, taken from a layer: its points (each part of
// a multipoint), or with `centroids` the centroids of any geometry, each with its feature's
// weight. A function of its arguments, the result owned by the caller; any thread.
#include <string>
#include <vector>

#include "onemap/core/heat/weighted_point.hpp"
#include "onemap/gis/layer/vector_layer.hpp"

namespace onemap::core {

struct DensityPointsRequest {
    std::string layerId;      ///< for messages
    std::string weightField;  ///< "" = every point weighs 1
    bool centroids = false;   ///< lines and polygons count at their centroids
};

/// The points, in feature order, with their weights; empty geometries are skipped (counted in
/// `skipped` when given). InputError naming the layer and the feature (fid): no such weight
/// field, a weight that is NULL, text that is not a number, negative, NaN or infinite; a line
/// or polygon without `centroids`.
[[nodiscard]] std::vector<WeightedPoint> densityPoints(const gis::VectorLayer& layer,
                                                       const DensityPointsRequest& request,
                                                       std::size_t* skipped = nullptr);

}  // namespace onemap::core
