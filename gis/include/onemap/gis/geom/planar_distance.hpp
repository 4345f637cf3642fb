#pragma once
// Planar distances from one geometry (a site) to many others (the pieces of a rail line),
// without a GEOS distance operation per pair: the site's vertices are copied out once, and
// each candidate is walked in place. Same method as GEOS's DistanceOp (a vertex of one
// inside the other's polygons gives 0, else the nearest pair of segments), with GEOS's
// segment formulas on the same absolute coordinates, so the numbers are GEOS's to rounding.
// Near contact (under a micrometre at Gauss–Krüger magnitudes), where rounding could say
// "apart" for geometries that touch, GEOS answers instead: exact predicates decide 0.
// A PlanarDistance owns a copy of the site's vertices; once made, its queries are safe from
// any number of threads.
#include <memory>

#include "onemap/gis/geom/geometry.hpp"

namespace onemap::gis {

class FacetIndex;

class PlanarDistance {
  public:
    explicit PlanarDistance(Geometry from);
    ~PlanarDistance();
    PlanarDistance(PlanarDistance&&) noexcept;
    PlanarDistance& operator=(PlanarDistance&&) noexcept;

    struct Nearest {
        double distance = 0;  ///< as Geometry::distance: 0 when they meet, or either is empty
        Point onFrom;         ///< the closest pair, when distance > 0
        Point onOther;
    };
    /// Distance from the geometry given at construction to other, and the closest pair.
    /// Safe from many threads at once (scratch buffers are per thread).
    [[nodiscard]] Nearest to(const Geometry& other) const;
    /// The same answer, bit for bit, through other's facet index (built from other; nullptr:
    /// the brute-force loop): a long line or a big polygon costs its nearby segments only.
    [[nodiscard]] Nearest to(const Geometry& other, const FacetIndex* facets) const;

    struct Shape;  ///< internal: a geometry's vertices as runs (planar_distance.cpp)

  private:
    Geometry from_;
    std::unique_ptr<Shape> shape_;
    double touch_ = 0;   ///< under this, GEOS decides
    double scale_ = 0;   ///< largest |coordinate|
    bool tame_ = false;  ///< every coordinate 0 or within [1e-100, 1e100] (FacetIndex::tame)
};

}  // namespace onemap::gis
