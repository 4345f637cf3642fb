#pragma once
// Compact plots laid on free land: rectangles of a given ellipsoidal area, tried from a grid
// of seeds over every piece big enough, in a few shapes and orientations.
#include <cstddef>
#include <vector>

#include "onemap/gis/crs/crs.hpp"
#include "onemap/gis/geom/geometry.hpp"

namespace onemap::core {

struct PlotRequest {
    double areaM2 = 0;     ///< ellipsoidal area wanted; plots come within 0.5 % below it
    double maxAspect = 2;  ///< long side / short side
    double minWidthM = 0;  ///< the short side at least this (m, on the ground)
    double insetM = 0.2;   ///< plots keep this far inside the free land
    std::size_t maxSeeds = 3000;
    double roomM = 0;  ///< a plot is `roomy` when free land holds it grown this much all round
    /// Lines plots may lie along besides the free land's own outer edges (park boundaries).
    std::vector<std::vector<gis::Point>> edges;
};

struct Placement {
    gis::Geometry geometry;  ///< the plot, plan CRS
    gis::Point center;
    double aspect = 1;       ///< long / short side
    double angleDeg = 0;     ///< of the long side, from the x axis
    std::size_t piece = 0;   ///< which part of the free land it lies in
    std::size_t order = 0;   ///< the seed's position: ties are broken by it
    bool alongEdge = false;  ///< laid along an edge (of the free land or a park)
    bool roomy = false;      ///< free land all round it, `roomM` wide (PlotRequest)
};

/// One plot per seed where one fits wholly inside `freeLand` (more compact shapes first),
/// in seed order: the same land gives the same plots.
[[nodiscard]] std::vector<Placement> placePlots(const gis::Geometry& freeLand, const gis::Crs& crs,
                                                const PlotRequest& request);

/// The rectangle centred on `c`, `longSide` along `angleDeg`.
[[nodiscard]] gis::Geometry orientedRectangle(gis::Point c, double longSide, double shortSide,
                                              double angleDeg);

}  // namespace onemap::core
