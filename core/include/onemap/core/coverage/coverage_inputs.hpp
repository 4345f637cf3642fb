#pragma once
// What a service coverage is computed from (onemap coverage; docs/heat.md "Service coverage"):
// facilities with their kinds, population cells and the units that hold them, taken from
// layers already in the plan's CRS. Functions of their arguments, results owned by the caller;
// any thread.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "onemap/gis/geom/geometry.hpp"
#include "onemap/gis/layer/vector_layer.hpp"

namespace onemap::core {

/// One facility: where it is and the index of its kind in FacilitySet::kinds.
struct ServiceFacility {
    double x = 0;
    double y = 0;
    std::size_t kind = 0;
};

/// The facilities of a layer and the names of their kinds ("all" when no kind field is given),
/// kinds sorted by their UTF-8 bytes.
struct FacilitySet {
    std::vector<std::string> kinds;
    std::vector<ServiceFacility> facilities;
};

/// One population cell, counted at its centre (the point, or a polygon's centroid).
struct PopulationCell {
    double x = 0;
    double y = 0;
    double residents = 0;
    std::int64_t fid = -1;
};

/// A unit the residents are counted in (a city, a district): its name and its area.
struct ServiceUnit {
    std::string name;
    gis::Geometry area;
};

struct FacilityRequest {
    std::string layerId;     ///< for messages
    std::string kindField;   ///< "" = every facility is of the one kind "all"
    bool centroids = false;  ///< lines and polygons count at their centroids
};

/// The facilities of `layer`, in feature order (each part of a multipoint); empty geometries
/// skipped. InputError naming the layer (and the feature's fid): no such kind field, a NULL
/// kind, a line or polygon without `centroids`.
[[nodiscard]] FacilitySet readFacilities(const gis::VectorLayer& layer,
                                         const FacilityRequest& request);

/// The population cells of `layer`: each feature at its point, or a polygon's centroid; the
/// residents from `popField`. Empty geometries skipped. InputError naming the layer and fid: no
/// such field, a NULL, text, negative, NaN or infinite count, a multipoint or line.
[[nodiscard]] std::vector<PopulationCell> readPopulation(const gis::VectorLayer& layer,
                                                         const std::string& layerId,
                                                         const std::string& popField);

/// The units of an admin layer, named by `labelField` (by fid when ""); empty ones skipped.
[[nodiscard]] std::vector<ServiceUnit> readUnits(const gis::VectorLayer& layer,
                                                 const std::string& labelField);

}  // namespace onemap::core
