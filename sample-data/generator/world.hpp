#pragma once
// The generated one map held in memory while the sites are placed against it.
#include <memory>
#include <string>
#include <vector>

#include "onemap/gis/geom/prepared_geometry.hpp"
#include "onemap/gis/index/spatial_index.hpp"
#include "onemap/gis/layer/vector_layer.hpp"
#include "rng.hpp"

namespace onemap::sample {

struct World {
    gis::VectorLayer city, water, axis, rail, station, park, devbound, redline, farmland;
    gis::Geometry devboundAll, redlineAll, waterAll;
    std::vector<gis::Geometry> devboundByCity;  ///< in cities() order
    gis::SpatialIndex farmlandIndex;
    std::vector<gis::Geometry> stationPoints, railLines;

    [[nodiscard]] double stationDistance(const gis::Geometry& g) const;
    [[nodiscard]] double railDistance(const gis::Geometry& g) const;
    [[nodiscard]] bool onFarmland(const gis::Geometry& g) const;
    [[nodiscard]] bool onWater(const gis::Geometry& g) const;
    [[nodiscard]] bool waterIn(gis::Point p) const;  ///< fast: benchmark sites by the million
    std::shared_ptr<const gis::PreparedGeometry> waterPrepared;
    [[nodiscard]] const gis::Geometry& cityGeometry(std::size_t i) const {
        return city.features[i].geometry;
    }
};

/// ~30 hand-shaped project sites (count ≤ 40) or `count` random ones for benchmarks.
gis::VectorLayer makeSites(const World& world, int count, bool dirty, Rng& rng);

}  // namespace onemap::sample
